import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { envelopeFromText, evidenceFromText, policyFromText } from '../../src/contract/documents.js';
import type { Loaded } from '../../src/decide/blockers.js';
import { EXAMPLES, anyCodeUnit, deepJsonText, deepYamlText, hostileJsonValue, hostileText, mutatedJson, mutatedYaml } from './arbitraries.js';

/**
 * Issue 8, bad input: every document loader takes any text and answers with a `Loaded`, never an
 * exception, never a hang, never a polluted prototype.
 */

const PER_CASE_MS = 2_000;

type Loader = (text: string, fileName: string) => Loaded<unknown>;
const loaders: Record<'envelope' | 'sarif' | 'evidence' | 'policy', { load: Loader; code: string }> = {
  envelope: { load: (t, f) => envelopeFromText(t, f, 'file'), code: 'ENVELOPE_INVALID' },
  sarif: { load: (t) => envelopeFromText(t, 'results.sarif', 'artifact'), code: 'ENVELOPE_INVALID' },
  evidence: { load: (t, f) => evidenceFromText(t, f, 'file'), code: 'EVIDENCE_INVALID' },
  policy: { load: (t, f) => policyFromText(t, f, 'file'), code: 'CONFIG_INVALID' },
};

/** The loader's answer is a well-formed `Loaded`, made in bounded time, and nothing leaked onto Object.prototype. */
function check(kind: keyof typeof loaders, text: string, fileName = 'doc.json'): Loaded<unknown> {
  const { load, code } = loaders[kind];
  const started = performance.now();
  let result: Loaded<unknown>;
  try {
    result = load(text, fileName);
  } catch (error) {
    throw new Error(`${kind} loader threw on ${JSON.stringify(text.slice(0, 200))}: ${String(error)}`, { cause: error });
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `${kind} took ${elapsed.toFixed(0)} ms`).toBeLessThan(PER_CASE_MS);
  expect(result).toBeTypeOf('object');
  if (result.status === 'ok') {
    expect(['file', 'artifact', 'api', 'assumed']).toContain(result.source);
    expect(result.value).toBeDefined();
  } else {
    expect(result.status).toBe('failed');
    expect(result.code).toBe(code);
    expect(result.message).toBeTypeOf('string');
  }
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
  return result;
}

const kinds = fc.constantFrom<keyof typeof loaders>('envelope', 'sarif', 'evidence', 'policy');
const anyText = fc.oneof(
  fc.string({ unit: anyCodeUnit, maxLength: 400 }),
  hostileText(200),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('fuzz: documents through the loaders (issue 8)', () => {
  it('the examples load (the mutations below start from valid documents)', () => {
    for (const text of EXAMPLES.envelope) expect(check('envelope', text).status).toBe('ok');
    for (const text of EXAMPLES.evidence) expect(check('evidence', text).status).toBe('ok');
    for (const text of EXAMPLES.policy) expect(check('policy', text, 'publish-gate.yml').status).toBe('ok');
  });

  it('arbitrary text: never throws, always a Loaded', () => {
    fc.assert(
      fc.property(kinds, anyText, (kind, text) => void check(kind, text)),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON (fc.json, hostile keys and leaves, huge strings, lone surrogates)', () => {
    const jsonText = fc.oneof(
      fc.json({ depthSize: 'medium' }),
      hostileJsonValue.map((v) => JSON.stringify(v) ?? 'null'),
      hostileJsonValue.map((v) => yamlStringify(v) ?? ''),
    );
    fc.assert(
      fc.property(kinds, jsonText, (kind, text) => void check(kind, text)),
      { numRuns: 400 },
    );
  });

  it('deep nesting, closed or not, up to 200,000 levels', () => {
    fc.assert(
      fc.property(kinds, deepJsonText, (kind, text) => void check(kind, text)),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(deepYamlText, (text) => void check('policy', text, 'publish-gate.yml')),
      { numRuns: 40 },
    );
  });

  it('mutations of the valid envelopes, evidence and policies', () => {
    fc.assert(
      fc.property(mutatedJson(EXAMPLES.envelope), (text) => void check('envelope', text)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutatedJson(EXAMPLES.envelope), (text) => void check('sarif', text)),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(mutatedJson(EXAMPLES.evidence), (text) => void check('evidence', text)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(mutatedYaml, (text) => void check('policy', text, 'publish-gate.yml')),
      { numRuns: 300 },
    );
  });

  it('a document at and just over its size limit is answered quickly', () => {
    // Limits: envelope 16 MiB, evidence 1 MiB, policy 256 KiB (src/contract/limits.ts).
    for (const [kind, bytes] of [
      ['envelope', 16 * 1024 * 1024],
      ['evidence', 1024 * 1024],
      ['policy', 256 * 1024],
    ] as const) {
      const padded = (n: number) => `{"pad":"${'é'.repeat(Math.max(0, Math.floor((n - 10) / 2)))}"}`;
      for (const n of [bytes - 16, bytes + 1]) check(kind, padded(n));
    }
  });
});
