import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOf, sharedDigestOf } from './digest.js';

/** Values shaped like payloads: members of any JSON value, arrays of objects shared between payloads, and members without a JSON value. */
const member = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.array(fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), fc.constant(undefined)), { maxLength: 5 }));
const payload = fc.dictionary(fc.string(), member, { maxKeys: 8 });

describe('sharedDigestOf', () => {
  it('gives the digest of canonicalJson, for any payload-shaped value', () => {
    fc.assert(
      fc.property(payload, (value) => {
        expect(sharedDigestOf(value, new WeakMap())).toBe(digestOf(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same digest when the elements are shared between values and already in the memo', () => {
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 6 }), payload, payload, (shared, a, b) => {
        const memo = new WeakMap<object, string>();
        const first = { ...a, findings: shared };
        const second = { ...b, kind: 'review', findings: shared };
        expect(sharedDigestOf(first, memo)).toBe(digestOf(first));
        expect(sharedDigestOf(second, memo)).toBe(digestOf(second));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts members by UTF-16 code units, as RFC 8785 does', () => {
    const value = { b: 1, a: [{ y: 2, x: 1 }], '\u{1F600}': 0, '\uFFFF': 0, A: null, c: undefined };
    const canonical = '{"A":null,"a":[{"x":1,"y":2}],"b":1,"\u{1F600}":0,"\uFFFF":0}';
    expect(sharedDigestOf(value, new WeakMap())).toBe(`sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`);
  });
});
