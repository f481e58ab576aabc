import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { createKnownValueScanner, KNOWN_SECRET_RULE } from './knownValueScanner.js';
import { mergeFindings } from './mergeFindings.js';
import type { SecretFinding } from './types.js';

const secret = 'Zq7-ledger-key-3f9a';
const scanner = createKnownValueScanner([secret, 'tiny']);
const spans = (text: string) => mergeFindings(scanner(text, Number.POSITIVE_INFINITY) as SecretFinding[]).map((f) => text.slice(f.start, f.end));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('createKnownValueScanner', () => {
  it('finds each form with the rule known-secret', () => {
    const text = `a ${secret} b ${encodeURIComponent('x' + secret)} c`;
    expect((scanner(text, Infinity) as SecretFinding[]).every((f) => f.rule === KNOWN_SECRET_RULE)).toBe(true);
    expect(spans(text)).toEqual([secret, secret]);
  });

  it('widens a base64 form to its whole base64 run (basic auth with any user name)', () => {
    const header = b64(`octocat:${secret}`);
    expect(spans(`Authorization: Basic ${header}\n`)).toEqual([header]);
    const padded = b64(`u:${secret}x`);
    expect(spans(`"${padded}"`)).toEqual([padded]);
  });

  it('finds every occurrence, including back to back', () => {
    expect(spans(`${secret}${secret} and ${secret}`)).toEqual([secret, secret, secret]);
  });

  it('ignores values shorter than 6 characters', () => {
    expect(spans('tiny things')).toEqual([]);
  });

  it('a scanner without values finds nothing', () => {
    expect(createKnownValueScanner([])('anything', Infinity)).toEqual([]);
  });

  it('stops at its deadline', () => {
    expect(() => scanner('text', performance.now() - 1)).toThrow(/budget/);
  });
});
