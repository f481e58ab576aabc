import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { MIN_KNOWN_SECRET_LENGTH, secretForms, secretVariants } from './secretVariants.js';

const token = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('secretVariants', () => {
  it('plain, URL-encoded, JSON-escaped and base64 forms', () => {
    const secret = 'p@ss/w"rd é+1';
    const forms = secretVariants(secret);
    expect(forms).toContain(secret);
    expect(forms).toContain(encodeURIComponent(secret));
    expect(forms).toContain(encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
    expect(forms).toContain(encodeURIComponent(secret).replace(/%20/g, '+'));
    expect(forms).toContain(JSON.stringify(secret).slice(1, -1));
    expect(forms).toContain(JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'));
    expect(forms).toContain(JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1));
    expect(forms).toContain('p@ss/w\\"rd \\u00e9+1');
    expect(forms).toContain(b64(secret));
    expect(forms).toContain(Buffer.from(secret).toString('base64url'));
    expect(forms).toContain(b64(`x-access-token:${secret}`));
  });

  it('base64 of the value at each of the three alignments in a longer stream, trimmed to stable characters', () => {
    const forms = secretVariants(token);
    for (const prefix of ['', 'a', 'ab', 'user:', 'x-access-token:', 'someone-else:']) {
      for (const suffix of ['', '\n', 'zz']) {
        const encoded = b64(`${prefix}${token}${suffix}`);
        expect(forms.some((form) => form.length >= 40 && encoded.includes(form)), `${prefix}|${suffix}`).toBe(true);
      }
    }
  });

  it('each line of a multi-line value, and its CRLF form', () => {
    const secret = 'first-line-secret\nsecond-line-secret\nab';
    const forms = secretVariants(secret);
    expect(forms).toContain('first-line-secret');
    expect(forms).toContain('second-line-secret');
    expect(forms).toContain(secret.replace(/\n/g, '\r\n'));
    expect(forms).not.toContain('ab');
  });

  it(`ignores values shorter than ${MIN_KNOWN_SECRET_LENGTH} characters after trimming`, () => {
    expect(secretVariants('')).toEqual([]);
    expect(secretVariants('12345')).toEqual([]);
    expect(secretVariants('  main \n')).toEqual([]);
    expect(secretVariants('123456')).toContain('123456');
    expect(secretVariants(`${token}\n`)).toContain(token);
  });

  it('marks base64 forms, lists longest first, without duplicates', () => {
    const forms = secretForms(token);
    expect(new Set(forms.map((f) => f.value)).size).toBe(forms.length);
    expect(forms.find((f) => f.value === token)?.base64).toBe(false);
    expect(forms.find((f) => f.value === b64(token))?.base64).toBe(true);
    for (let i = 1; i < forms.length; i++) expect(forms[i - 1]!.value.length).toBeGreaterThanOrEqual(forms[i]!.value.length);
  });
});
