/** electron-builder.yml against electron-builder's own JSON schema, plus the settings security relies on. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/studio-host';

const require = createRequire(import.meta.url);
// The YAML is checked against the schema below; reading it loosely keeps the assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', () => {
    const schema = require('app-builder-lib/scheme.json');
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('sets the fuses that close Node back doors', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds for every platform with the capture permissions macOS asks for', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/video|photo/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/voice/);
    const entitlements = readFileSync(path.join(repoRoot, config.mac.entitlements), 'utf8');
    expect(entitlements).toContain('com.apple.security.device.camera');
    expect(entitlements).toContain('com.apple.security.device.audio-input');
    expect(config.win.target[0].target).toBe('nsis');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('keeps native and wasm payloads outside the asar archive', () => {
    expect(config.asarUnpack.join(' ')).toContain('@napi-rs/keyring');
    expect(config.asarUnpack.join(' ')).toContain('@ffmpeg/core');
    // sharp's addon and the libvips it loads live in node_modules/sharp and node_modules/@img/sharp-*.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/sharp/**', 'node_modules/@img/**']));
  });

  it('leaves sharp out of the main-process bundle, to be loaded from node_modules', () => {
    const script = readFileSync(path.join(repoRoot, 'scripts/build-electron.mjs'), 'utf8');
    expect(script).toMatch(/external: \[[^\]]*'sharp'/);
  });
});
