/** The shared service schemas and the client's reading of error answers, without a server. */
import { describe, expect, test } from 'vitest';
import { parseRetryAfter } from '../../electron/services/napster/client';
import { errorFromResponse, fieldOfCode } from '../../electron/services/napster/errors';
import {
  carriesTags,
  companionCreatedAtMs,
  companionSchema,
  createTwinRequestSchema,
  ethnicitiesAnswerSchema,
  suggestExternalClientId,
} from '../../shared/napster';
import { externalClientIdPattern } from '../../shared/drafts';

describe('suggestExternalClientId', () => {
  test('makes a valid id from any name', () => {
    expect(suggestExternalClientId('Sarah', 'Johnson')).toBe('sarah-johnson');
    expect(suggestExternalClientId('  Zoë ', "O'Brien-Łukasz")).toBe('zoe-o-brien-ukasz');
    expect(suggestExternalClientId('José María', 'de la Cruz Fernández-Villaverde')).toBe('jose-maria-de-la-cruz-fernandez');
    for (const [first, last] of [
      ['Wolfgang Amadeus Theophilus', 'Mozart von Salzburg und Wien'],
      ['李', '小龙'],
      ['', ''],
    ]) {
      const id = suggestExternalClientId(first!, last!);
      expect(id.length).toBeLessThanOrEqual(32);
      if (id) expect(id).toMatch(externalClientIdPattern);
      expect(id.endsWith('-')).toBe(false);
    }
  });
});

describe('service answers', () => {
  test('ethnicities in any of the plausible shapes become a list of strings', () => {
    expect(ethnicitiesAnswerSchema.parse(['Asian', 'Caucasian', 'Asian', ' '])).toEqual(['Asian', 'Caucasian']);
    expect(ethnicitiesAnswerSchema.parse({ items: [{ value: 'Asian' }, { name: 'Hispanic' }] })).toEqual(['Asian', 'Hispanic']);
    expect(ethnicitiesAnswerSchema.safeParse({ values: 'Asian' }).success).toBe(false);
  });

  test('when a companion was made, if the service says; whether it carries tags', () => {
    expect(companionCreatedAtMs({ createdAt: '2025-03-01T10:00:00.000Z' })).toBe(Date.parse('2025-03-01T10:00:00.000Z'));
    expect(companionCreatedAtMs({ createdAt: 1_740_823_200 })).toBe(1_740_823_200_000);
    expect(companionCreatedAtMs({ createdAt: 1_740_823_200_000 })).toBe(1_740_823_200_000);
    for (const createdAt of [undefined, null, 'yesterday', 0]) expect(companionCreatedAtMs({ createdAt })).toBeNull();
    expect(carriesTags({ tags: { twinStudioDraft: 'd_1' } })).toBe(true);
    for (const tags of [undefined, null, {}]) expect(carriesTags({ tags })).toBe(false);
  });

  test('a companion with nulls and unknown fields still reads, an unknown status passes through', () => {
    const parsed = companionSchema.parse({ id: 'comp_1', firstName: null, status: 'queued', somethingNew: 1 });
    expect(parsed).toEqual({ id: 'comp_1', firstName: null, status: 'queued' });
  });

  test('a twin request needs every identity field and the media its version uses', () => {
    const base = {
      firstName: 'A',
      lastName: 'B',
      description: 'C',
      gender: 'female',
      ethnicity: 'Asian',
      externalClientId: 'ab',
      voiceUrl: 'https://cdn.example.com/v.wav',
    };
    expect(createTwinRequestSchema.safeParse({ ...base, pictureUrl: 'https://cdn.example.com/p.jpg' }).success).toBe(true);
    expect(createTwinRequestSchema.parse({ ...base, pictureUrl: 'https://cdn.example.com/p.jpg' }).version).toBe('v1');
    const v2 = createTwinRequestSchema.safeParse({ ...base, version: 'v2', voiceUrl: undefined, videoUrl: 'https://cdn.example.com/v.mp4' });
    expect(v2.success).toBe(true);
    const paths = (value: unknown) => createTwinRequestSchema.safeParse(value).error?.issues.map((issue) => issue.path.join('.'));
    expect(paths({ ...base, version: 'v2' })).toEqual(['videoUrl']);
    // v2 takes its appearance from a picture when there is no video (Napster's guide); the voice then needs voiceUrl.
    expect(createTwinRequestSchema.safeParse({ ...base, version: 'v2', pictureUrl: 'https://cdn.example.com/p.jpg' }).success).toBe(true);
    expect(paths({ ...base, version: 'v2', voiceUrl: undefined, pictureUrl: 'https://cdn.example.com/p.jpg' })).toEqual(['voiceUrl']);
    expect(paths({ ...base, voiceUrl: undefined, pictureUrl: 'https://cdn.example.com/p.jpg' })).toEqual(['voiceUrl']);
    expect(paths({ ...base, pictureUrl: 'https://x/p.jpg', voiceId: 'v' })).toEqual(['']);
  });
});

describe('errors from the service', () => {
  test('field codes in several spellings map to form fields', () => {
    expect(fieldOfCode('externalClientId')).toBe('externalClientId');
    expect(fieldOfCode('DigitalTwin.ExternalClientId')).toBe('externalClientId');
    expect(fieldOfCode('version')).toBe('avatarVersion');
    expect(fieldOfCode('General.Failure')).toBeNull();
  });

  test('a 400 in the documented shape, as a list, or as problem details', () => {
    const single = errorFromResponse(400, { code: 'gender', description: 'gender is invalid', type: 'Validation', numericType: 2 }, undefined);
    expect(single.fields).toEqual({ gender: 'gender is invalid' });
    const list = errorFromResponse(
      400,
      [
        { code: 'FirstName', description: 'required' },
        { code: 'lastName', description: 'too long' },
      ],
      undefined,
    );
    expect(list.fields).toEqual({ firstName: 'required', lastName: 'too long' });
    const problem = errorFromResponse(400, { title: 'One or more validation errors occurred.', errors: { Ethnicity: ['Unknown value.'] } }, undefined);
    expect(problem.fields).toEqual({ ethnicity: 'Unknown value.' });
  });

  test('consent is recognised by its code whatever the status, and explained', () => {
    for (const status of [400, 403, 409]) {
      const error = errorFromResponse(status, { code: 'DigitalTwinConsentRequired', description: 'x', type: 'Forbidden', numericType: 6 }, undefined);
      expect(error.kind).toBe('consent-required');
      expect(error.message).toContain('admin');
    }
  });

  test('v2 not enabled is recognised by its code whatever the status, and offers v1', () => {
    for (const status of [400, 403, 409]) {
      const error = errorFromResponse(status, { code: 'CompanionV2NotEnabled', description: 'v2 is off', type: 'Forbidden', numericType: 6 }, undefined);
      expect(error).toMatchObject({ kind: 'v2-not-enabled', code: 'FORBIDDEN', serviceCode: 'CompanionV2NotEnabled', status });
      expect(error.message).toMatch(/^Avatar v2 is not enabled for your organisation.*submit this twin as v1/);
      expect(error.fields).toBeUndefined();
    }
  });

  test('a key echoed by the service is redacted from the message', async () => {
    const { registerSecret } = await import('../../electron/services/log');
    registerSecret('echoed-secret-key-123456');
    const error = errorFromResponse(
      403,
      { code: 'Forbidden', description: 'Key echoed-secret-key-123456 has no access', type: 'Forbidden', numericType: 6 },
      undefined,
    );
    expect(error.message).not.toContain('echoed-secret-key-123456');
    expect(error.message).toContain('[redacted]');
  });

  test('Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
