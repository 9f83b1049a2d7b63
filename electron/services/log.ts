/** Scoped loggers that redact every registered secret before a line leaves the process. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogSink = (line: string) => void;

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  child(scope: string): Logger;
}

const secrets = new Set<string>();

/** Call as soon as a secret is read or entered; every logger redacts it from then on. */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  // Belt and braces for values that were never registered: header-style and query-style secrets.
  return result
    .replace(/(x-api-key|authorization|x-studio-token)(["':=\s]+)([^\s"',&]+)/gi, '$1$2[redacted]')
    .replace(/([?&](?:token|X-Amz-Signature|X-Amz-Credential)=)[^&\s"]+/g, '$1[redacted]');
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.name}: ${detail.message}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    return ` ${String(detail)}`;
  }
}

export function createLogger(scope: string, sink: LogSink = (line) => process.stderr.write(`${line}\n`)): Logger {
  const write = (level: LogLevel) => (message: string, detail?: unknown) => {
    sink(redact(`${new Date().toISOString()} ${level} [${scope}] ${message}${describe(detail)}`));
  };
  return {
    debug: process.env.STUDIO_DEBUG ? write('debug') : () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (child) => createLogger(`${scope}/${child}`, sink),
  };
}
