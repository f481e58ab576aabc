import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS, readCorpus } from '../../scripts/eval-secrets.js';
import { BATCH_CHARS, ContentPipeline } from './pipeline.js';
import { AUTOMATON_FROM_CHARS } from './redact/patternScanner.js';
import { createRedactor } from './redact/index.js';
import type { Redactor } from './redact/types.js';

const LIMIT = { chars: 64 * 1024, bytes: 64 * 1024 };
const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;

describe('ContentPipeline.plainMany (batched annotations)', () => {
  it('fills batches past the length from which anchors are found by the automaton (the faster finder)', () => {
    // The two constants live in different modules; the batch size was chosen with the threshold in mind.
    expect(BATCH_CHARS).toBeGreaterThan(AUTOMATON_FROM_CHARS);
  });

  it('gives what plain gives, text by text, for ordinary texts and known secrets', async () => {
    const texts = ['Unescaped input', `token ${TOKEN} leaked`, '', 'src/db/search.ts', `password=${'s3cr3t'.repeat(3)}`, 'line\nbreak\u0000and\u202Ebidi'];
    const one = new ContentPipeline(createRedactor({ secrets: ['known-secret-value'] }));
    const many = new ContentPipeline(createRedactor({ secrets: ['known-secret-value'] }));
    const single = await Promise.all(texts.map((t) => one.plain(t, LIMIT)));
    expect(await many.plainMany(texts, LIMIT)).toEqual(single);
    expect(many.report.redactions).toEqual(one.report.redactions);
  });

  it('a batch that cannot be scanned becomes placeholders, all of it (fail closed)', async () => {
    const broken: Redactor = { scan: async () => Promise.reject(new Error('scanner down')), redact: async () => ({ text: 'x', counts: {}, failed: true }) };
    const pipeline = new ContentPipeline(broken);
    expect(await pipeline.plainMany(['a', 'b', 'c'], LIMIT)).toEqual(['[REDACTED:unscannable]', '[REDACTED:unscannable]', '[REDACTED:unscannable]']);
    expect(pipeline.report.unscannable).toBe(3);
  });

  it('a finding across the separator redacts both sides: more, never less', async () => {
    const spanning: Redactor = {
      scan: async (text) => [{ start: text.indexOf('tail'), end: text.indexOf('head') + 4, rule: 'test' }],
      redact: async (text) => ({ text, counts: {}, failed: false }),
    };
    expect(await new ContentPipeline(spanning).plainMany(['x tail', 'head y'], LIMIT)).toEqual(['x [REDACTED:test]', '[REDACTED:test] y']);
  });

  it('each text gets exactly the findings that reach into it, for any sorted disjoint findings', async () => {
    // Oracle: which finding covers each character of the joined batch; within one text, a run of
    // characters covered by one finding becomes one placeholder named after it.
    const SEPARATOR = '\n\u0000\n';
    const texts = fc.array(fc.stringMatching(/^[a-z]{0,12}$/), { minLength: 2, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(texts, fc.array(fc.nat(), { maxLength: 20 }), async (parts, cuts) => {
        const joined = parts.join(SEPARATOR);
        const points = [...new Set(cuts.map((c) => c % (joined.length + 1)))].sort((a, b) => a - b);
        const findings: { start: number; end: number; rule: string }[] = [];
        for (let i = 0; i + 1 < points.length; i += 2) findings.push({ start: points[i]!, end: points[i + 1]!, rule: `r${i}` });
        const fixed: Redactor = { scan: async () => findings, redact: async (text) => ({ text, counts: {}, failed: false }) };
        const cover = Array.from({ length: joined.length }, (_, at) => findings.find((f) => f.start <= at && at < f.end));
        let from = 0;
        const expected = parts.map((text) => {
          let out = '';
          for (let at = 0; at < text.length; at++) {
            const f = cover[from + at];
            if (!f) out += text[at];
            else if (at === 0 || cover[from + at - 1] !== f) out += `[REDACTED:${f.rule}]`;
          }
          from += text.length + SEPARATOR.length;
          return out;
        });
        expect(await new ContentPipeline(fixed).plainMany(parts, LIMIT)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  const corpus = readCorpus(DEFAULT_CORPUS);
  if (!corpus) console.warn(`plainMany.test.ts: ${DEFAULT_CORPUS} is absent (no /work/shared): the corpus comparison is skipped.`);
  it.skipIf(!corpus)('on the secret corpus, batching never redacts less than one text at a time', async () => {
    const texts = corpus!.slice(0, 1500).map((c) => c.text);
    const one = new ContentPipeline(createRedactor());
    const many = new ContentPipeline(createRedactor());
    const single = await Promise.all(texts.map((t) => one.plain(t, LIMIT)));
    const batched = await many.plainMany(texts, LIMIT);
    const weaker = batched.map((b, i) => [b, single[i]!] as const).filter(([b, s]) => b !== s && (s.match(/\[REDACTED:/g)?.length ?? 0) > (b.match(/\[REDACTED:/g)?.length ?? 0));
    expect(weaker.slice(0, 3)).toEqual([]);
    const differ = batched.filter((b, i) => b !== single[i]).length;
    expect(differ).toBeLessThanOrEqual(texts.length * 0.01);
  }, 120_000);
});
