import { createHash } from 'node:crypto';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestOf, sharedDigestOf } from './digest.js';

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
        const memo = new WeakMap<object, Buffer>();
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

describe('canonicalJson', () => {
  /** The library's answer: its text, or that it refuses the value. */
  const library = (value: unknown): string => {
    try {
      return canonicalize(value) ?? 'null';
    } catch (error) {
      return `throws: ${(error as Error).message}`;
    }
  };
  const ours = (value: unknown): string => {
    try {
      return canonicalJson(value);
    } catch (error) {
      return `throws: ${(error as Error).message}`;
    }
  };
  // Keys that JavaScript orders on its own (integer-like), that need escaping, that are lone surrogates, or `__proto__`.
  const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '2', '01', '4294967295', '-1', '1a', '__proto__', 'toJSON', '\ud800', '\u{1F600}', '\uFFFF', 'é', '"', '\u2028'));
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\ud800', 'a\udfffb', '\u2028', '</script>', '\u0000\u001f'));
  const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity));

  it('writes what the RFC 8785 library writes, for any JSON data', () => {
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), number, text, fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(key, tie('value'), { maxKeys: 6 })),
    })).value;
    fc.assert(
      fc.property(data, (value) => {
        expect(ours(value)).toBe(library(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes what the library writes (or refuses what it refuses) for values that are not plain data', () => {
    const odd = fc.anything({
      key,
      values: [fc.constant(undefined), text, number, fc.constant(() => 1), fc.constant(Symbol('s')), fc.constant({ toJSON: () => ({ b: 1, a: 2 }) }), fc.constant(Object.create({ inherited: 1 }) as unknown)],
      withBoxedValues: true,
      withNullPrototype: true,
      withDate: true,
      withSparseArray: true,
      withBigInt: true,
      withObjectString: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      maxDepth: 4,
    });
    fc.assert(
      fc.property(odd, (value) => {
        expect(ours(value)).toBe(library(value));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['Object.prototype', Object.prototype, { b: 1, a: 2 }],
    ['Array.prototype', Array.prototype, [2, 1]],
  ] as const)('leaves an inherited toJSON to the library (a polluted %s)', (_, proto, value) => {
    Object.defineProperty(proto, 'toJSON', { value: () => 'replaced', configurable: true, writable: true });
    try {
      expect(canonicalJson(value)).toBe(library(value));
      expect(canonicalJson(value)).toBe('"replaced"');
    } finally {
      delete (proto as { toJSON?: unknown }).toJSON;
    }
  });

  it("leaves an array's own toJSON to the library", () => {
    const value = Object.assign([2, 1], { toJSON: () => 'replaced' });
    expect(canonicalJson(value)).toBe(library(value));
    expect(canonicalJson({ a: value })).toBe('{"a":"replaced"}');
  });

  it('orders members by UTF-16 code units, integer-like keys included, and keeps __proto__ as a member', () => {
    const value = JSON.parse('{"b":1,"10":2,"2":3,"a":{"__proto__":{"z":1,"y":2}},"\\ud83d\\ude00":4,"\\uffff":5}') as unknown;
    expect(canonicalJson(value)).toBe('{"10":2,"2":3,"a":{"__proto__":{"y":2,"z":1}},"b":1,"\u{1F600}":4,"\uffff":5}');
  });
});
