/**
 * The one rule for every address the studio sends a credential to: the API base URL (`X-Api-Key`),
 * an S3 endpoint (signed requests), a presign endpoint (`Authorization: Bearer`) and the signed upload
 * URLs they hand out. It is checked where the address is entered (the settings and storage schemas,
 * `--api-base-url`) and again by each sender right before its request, so a value that reached a
 * file some other way still never goes out.
 *
 * The rule: `https:`, or `http:` to this computer only (`localhost`, 127.0.0.0/8, `[::1]`: the
 * emulator, the sandbox, tests). Over plain http to any other host the credential crosses the network
 * readable by anyone on the way (a café's Wi-Fi, a proxy), and the address alone cannot say the
 * network is private, so there is no "trusted LAN" exception. A user name or password in the address
 * (`https://user:pw@host`) is refused too: the studio sends its own credential, and anything before
 * `@` would be kept in files and logs as written (and `http://127.0.0.1@evil.example` goes to
 * evil.example, whatever it looks like).
 *
 * The address is parsed with the WHATWG URL parser, the one fetch, `node:http` and the AWS SDK use,
 * so the host checked is the host connected to: `http://0x7f.1` is 127.0.0.1 here as there, and
 * `localhost.evil.example` or `127.0.0.1.nip.io` are names, not loopback. Only the exact name
 * `localhost` counts: `*.localhost` and `localhost.` depend on the resolver, and IPv4-mapped IPv6
 * (`[::ffff:127.0.0.1]`) is left out as no one types it.
 */
import { z } from 'zod';

/** The fields of a parsed WHATWG `URL` this rule reads (shared/ has neither DOM nor Node types). */
export type ParsedUrl = {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly username: string;
  readonly password: string;
};
// Every runtime of the studio (Node, Chromium, Electron) has the global WHATWG `URL`.
declare const URL: new (input: string) => ParsedUrl;

/** What the address is, for the message: each names the credential it would carry. */
export type CredentialUrlKind = 'api' | 'storage' | 'presign' | 'upload';

const subjects: Record<CredentialUrlKind, { what: string; carries: string; example: string }> = {
  api: { what: 'The API address', carries: 'the API key', example: 'https://companion-api.napster.com' },
  storage: { what: 'The storage endpoint', carries: 'the storage key’s signed requests', example: 'https://s3.example.com' },
  presign: { what: 'The presign endpoint', carries: 'its token', example: 'https://api.example.com/presign' },
  upload: { what: 'The upload address', carries: 'its signature', example: 'https://bucket.s3.example.com/key' },
};

export type CredentialUrlCheck = { ok: true; value: ParsedUrl } | { ok: false; reason: string };

/** Whether a parsed host name is this computer: `localhost`, 127.0.0.0/8 or `[::1]` (as WHATWG URL writes them). */
export function isLoopbackHostname(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // The parser has already turned every IPv4 spelling (0x7f.1, 2130706433) into four decimals; a name
  // ending in a number that is not a valid address fails to parse, so a dotted quad here is an address.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Checks one address against the rule. Returns the parsed address, or a reason in plain English for
 * the person who entered it (one sentence or two, no code, no echo of anything after a `@`).
 */
export function checkCredentialUrl(url: string, kind: CredentialUrlKind = 'api'): CredentialUrlCheck {
  const { what, carries, example } = subjects[kind];
  let parsed: ParsedUrl;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, reason: `${what} is not a complete address. Enter it with https://, for example ${example}.` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, reason: `${what} must start with https:// (it starts with ${parsed.protocol}).` };
  }
  if (parsed.username || parsed.password) {
    return {
      ok: false,
      reason: `${what} must not contain a user name or password (the part before “@”): the studio sends ${carries} itself, and a password in an address ends up in files and logs.`,
    };
  }
  if (parsed.protocol === 'https:' || isLoopbackHostname(parsed.hostname)) return { ok: true, value: parsed };
  return {
    ok: false,
    reason: `${what} must start with https:// — over plain http ${carries} would cross the network readable by anyone. (http:// is allowed only for this computer: localhost, 127.0.0.1.)`,
  };
}

/** A zod string that must pass the rule, with the rule's reason as the field's message. */
export function credentialUrlSchema(kind: CredentialUrlKind) {
  return z
    .string()
    .trim()
    .max(2048, 'That address is too long.')
    .superRefine((value, ctx) => {
      const checked = checkCredentialUrl(value, kind);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
    });
}
