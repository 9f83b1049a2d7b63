/**
 * The credential rule (shared/credential-url.ts): HTTPS, or http:// to this computer only; and the
 * schemas that carry it to the Settings and Storage forms with its reason at the field.
 */
import { describe, expect, it } from 'vitest';
import { storageTargetSchema } from '../../shared/contract/storage';
import { checkCredentialUrl, isLoopbackHostname } from '../../shared/credential-url';
import { describeIssues } from '../../shared/errors';
import { settingsPatchSchema, settingsSchema } from '../../shared/settings';

function reasonOf(url: string, kind?: Parameters<typeof checkCredentialUrl>[1]): string {
  const checked = checkCredentialUrl(url, kind);
  if (checked.ok) throw new Error(`${url} was accepted`);
  return checked.reason;
}

describe('checkCredentialUrl', () => {
  it('accepts https anywhere', () => {
    for (const url of ['https://companion-api.napster.com', 'https://10.0.0.5:8443/api/', 'HTTPS://Example.COM', '  https://s3.eu-central-1.amazonaws.com  ']) {
      const checked = checkCredentialUrl(url);
      expect(checked.ok, url).toBe(true);
    }
    const checked = checkCredentialUrl('https://companion-api.napster.com');
    expect(checked.ok && checked.value.hostname).toBe('companion-api.napster.com');
  });

  it('accepts plain http to this computer: localhost, all of 127.0.0.0/8, [::1]', () => {
    for (const url of [
      'http://localhost:8787',
      'http://LOCALHOST/',
      'http://127.0.0.1:7480',
      'http://127.8.9.10',
      'http://127.255.255.255:1/x',
      'http://[::1]:9000',
      'http://[0:0:0:0:0:0:0:1]/',
      // Other spellings of 127.0.0.1 that every HTTP stack reads the same way.
      'http://0x7f.1:80',
      'http://2130706433/',
    ]) {
      expect(checkCredentialUrl(url).ok, url).toBe(true);
    }
  });

  it('refuses plain http to any other host, naming the credential and the way out', () => {
    expect(reasonOf('http://companion-api.napster.com')).toBe(
      'The API address must start with https:// — over plain http the API key would cross the network readable by anyone. (http:// is allowed only for this computer: localhost, 127.0.0.1.)',
    );
    for (const url of [
      'http://10.0.0.5:8787',
      'http://192.168.1.20',
      'http://0.0.0.0:8787',
      'http://128.0.0.1',
      'http://[::2]',
      'http://[::ffff:127.0.0.1]',
      'http://minio.lan:9000',
    ]) {
      expect(reasonOf(url), url).toMatch(/must start with https:\/\//);
    }
    expect(reasonOf('http://minio.lan:9000', 'storage')).toMatch(/^The storage endpoint must start with https:\/\/ .*signed requests/);
    expect(reasonOf('http://backend.lan/presign', 'presign')).toMatch(/^The presign endpoint must start with https:\/\/ .*its token/);
    expect(reasonOf('http://bucket.example.com/k?X-Amz-Signature=1', 'upload')).toMatch(/^The upload address must start with https:\/\//);
  });

  it('refuses names that only look like loopback', () => {
    for (const url of [
      'http://localhost.evil.com',
      'http://localhost.',
      'http://studio.localhost',
      'http://127.0.0.1.nip.io',
      'http://127.0.0.1.evil.com:80',
      'http://evil.com/127.0.0.1',
      'http://evil.com?host=localhost',
    ]) {
      expect(checkCredentialUrl(url).ok, url).toBe(false);
    }
  });

  it('refuses a user name or password in the address, however it is dressed up', () => {
    // Each of these connects to evil.com (or carries a password), whatever the part before "@" says.
    for (const url of [
      'http://127.0.0.1@evil.com',
      'http://localhost:80@evil.com/',
      'http://127.0.0.1%40evil.com@evil.com',
      'https://user:secret@companion-api.napster.com',
      'http://user@localhost:8787',
    ]) {
      const reason = reasonOf(url);
      expect(reason, url).toMatch(/must not contain a user name or password/);
      // The message never repeats what was before the "@".
      expect(reason).not.toMatch(/secret|user@/);
    }
  });

  it('refuses other schemes and things that are not addresses', () => {
    expect(reasonOf('ftp://example.com/')).toBe('The API address must start with https:// (it starts with ftp:).');
    for (const url of ['ws://localhost:8787', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x'])
      expect(reasonOf(url), url).toMatch(/must start with https:\/\//);
    for (const url of ['', 'companion-api.napster.com', 'https://', 'http://exa mple.com', '//localhost:8787']) {
      expect(reasonOf(url), url).toMatch(/is not a complete address\. Enter it with https:\/\//);
    }
  });

  it('isLoopbackHostname takes host names as the URL parser writes them', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHostname(host), host).toBe(true);
    for (const host of ['::1', '127.0.0.1.nip.io', 'localhost.evil.com', '0.0.0.0', '10.127.0.1', '']) expect(isLoopbackHostname(host), host).toBe(false);
  });
});

describe('the schemas carry the rule to the forms', () => {
  it('settings: a plain-http API address is refused at its field with the reason', () => {
    const parsed = settingsPatchSchema.safeParse({ apiBaseUrl: 'http://api.example.com' });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!.issues).fields).toEqual({
      apiBaseUrl: expect.stringMatching(/^The API address must start with https:\/\/ .*the API key/),
    });
    expect(settingsPatchSchema.safeParse({ apiBaseUrl: 'http://127.0.0.1:8787' }).success).toBe(true);
    // A settings file with such an address does not parse either (the store then falls back to defaults).
    expect(settingsSchema.safeParse({ apiBaseUrl: 'http://api.example.com' }).success).toBe(false);
    expect(settingsSchema.parse({}).apiBaseUrl).toBe('https://companion-api.napster.com');
  });

  it('storage: the S3 endpoint and the presign endpoint, each at its field', () => {
    const s3 = {
      kind: 's3',
      endpoint: 'http://minio.lan:9000',
      region: 'us-east-1',
      bucket: 'media',
      keyPrefix: '',
      pathStyle: true,
      accessKeyId: 'AKIAEXAMPLE',
      publicBaseUrl: 'https://cdn.example.com',
    };
    const refusedS3 = storageTargetSchema.safeParse(s3);
    expect(refusedS3.success).toBe(false);
    expect(describeIssues(refusedS3.error!.issues).fields).toEqual({ endpoint: expect.stringMatching(/^The storage endpoint must start with https:\/\//) });
    expect(storageTargetSchema.safeParse({ ...s3, endpoint: 'https://minio.example.com' }).success).toBe(true);
    expect(storageTargetSchema.safeParse({ ...s3, endpoint: 'http://127.0.0.1:7480' }).success).toBe(true);
    expect(storageTargetSchema.safeParse({ ...s3, endpoint: null }).success).toBe(true);

    const refusedPresign = storageTargetSchema.safeParse({ kind: 'presign', url: 'http://backend.example.com/presign' });
    expect(refusedPresign.success).toBe(false);
    expect(describeIssues(refusedPresign.error!.issues).fields).toEqual({ url: expect.stringMatching(/^The presign endpoint must start with https:\/\//) });
    expect(storageTargetSchema.safeParse({ kind: 'presign', url: 'http://localhost:9999/presign' }).success).toBe(true);
  });
});
