/**
 * What a storage server's refusal means for the person at the desk. S3-compatible servers (AWS, R2,
 * MinIO, Ceph) answer errors as `<Error><Code>…</Code><Message>…</Message></Error>`.
 */
import { StudioError } from '../../../shared/errors';

export function s3ErrorCode(body: string): string | null {
  return /<Code>([^<]{1,100})<\/Code>/.exec(body)?.[1] ?? null;
}

function s3ErrorMessage(body: string): string | null {
  const text = /<Message>([^<]{1,300})<\/Message>/.exec(body)?.[1]?.trim();
  return text || null;
}

/**
 * A refusal worth one more try with a freshly signed URL: an expired URL gives 403 (AccessDenied on
 * AWS and Ceph, with or without "expired" in the message), and signing again is cheap.
 */
export function mayBeExpired(status: number, body: string): boolean {
  return status === 403 || s3ErrorCode(body) === 'ExpiredToken';
}

/** Worth trying again unchanged after a pause. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** A failed PUT (or SDK call) with status and S3 code, as a message that says what to change. */
export function storageRefusal(status: number, code: string | null, where: string, said: string | null = null): StudioError {
  switch (code) {
    case 'SignatureDoesNotMatch':
      return new StudioError(
        'UNAUTHORIZED',
        `The storage refused the upload signature: the secret access key does not belong to this access key id, or the region is wrong. Re-enter the secret key (and check the region) under Settings → Storage.`,
      );
    case 'InvalidAccessKeyId':
      return new StudioError('UNAUTHORIZED', `The storage does not know this access key id. Check it under Settings → Storage; it may have been deleted.`);
    case 'NoSuchBucket':
      return new StudioError('NOT_FOUND', `The bucket does not exist at ${where}. Check the bucket name and endpoint under Settings → Storage.`);
    case 'RequestTimeTooSkewed':
      return new StudioError(
        'FORBIDDEN',
        `The storage refused the upload because this computer's clock is wrong. Set the clock automatically (network time) and try again.`,
      );
    case 'EntityTooLarge':
      return new StudioError('FORBIDDEN', `The storage refused the file as too large.`);
    case 'AccessDenied':
    case 'AllAccessDisabled':
    case 'ExpiredToken':
      return new StudioError(
        'FORBIDDEN',
        `The storage refused the upload (${code}): this key may not write to ${where}, or the upload URL had expired. Check the key's permissions (it needs PutObject) and this computer's clock.`,
      );
  }
  if (status === 401 || status === 403) {
    return new StudioError(
      'FORBIDDEN',
      `The storage refused the upload (HTTP ${status}${code ? `, ${code}` : ''}). Check the credentials and permissions under Settings → Storage.`,
    );
  }
  if (status >= 500)
    return new StudioError('NETWORK', `The storage had a problem (HTTP ${status}${code ? `, ${code}` : ''}) and kept failing. Try again later.`);
  return new StudioError('SERVICE', `The storage refused the upload (HTTP ${status}${code ? `, ${code}` : ''}${said ? `: ${said}` : ''}).`);
}

export function refusalOfPut(status: number, body: string, where: string): StudioError {
  return storageRefusal(status, s3ErrorCode(body), where, s3ErrorMessage(body));
}

/** An AWS SDK failure (S3ServiceException or a network error) as a StudioError. */
export function refusalOfSdk(error: unknown, where: string): StudioError {
  if (error instanceof StudioError) return error;
  const sdk = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number }; code?: string; message?: string };
  const status = sdk.$metadata?.httpStatusCode;
  if (status) return storageRefusal(status, sdk.Code ?? sdk.name ?? null, where, sdk.message ?? null);
  const code = sdk.code ?? sdk.name ?? 'error';
  return new StudioError('NETWORK', `The storage at ${where} could not be reached (${code}). Check the endpoint and the network.`);
}
