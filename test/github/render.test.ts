import { describe, expect, it } from 'vitest';
import { Limits, measure } from '../../src/content/markdown/index.js';
import { ContentPipeline } from '../../src/content/pipeline.js';
import { createRedactor } from '../../src/content/redact/index.js';
import { DROP_REASONS, type SelectedFinding } from '../../src/decide/findings.js';
import { VISIBLE_ROWS, findingsTable, renderCheckRun, renderComment, renderReview } from '../../src/github/render.js';

const content = new ContentPipeline(createRedactor({ secrets: [] }));
const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<(typeof DROP_REASONS)[number], number>;

function findings(n: number, title = (i: number) => `Finding ${i}: unescaped input reaches the query builder`): SelectedFinding[] {
  return Array.from({ length: n }, (_, i) => ({
    ruleId: `rule-${i % 7}`,
    severity: 'medium',
    confidence: 0.9,
    path: `src/module-${i % 13}/file-${i}.ts`,
    startLine: 10 + i,
    title: title(i),
    fingerprint: `fp-${i}`,
    inline: false,
  }));
}

/** Table rows (not the two header lines of each table). */
const rows = (markdown: string) => markdown.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \|/.test(l));
const fitsBody = (text: string, limit = Limits.body) => {
  const m = measure(text);
  return m.chars <= limit.chars && m.bytes <= limit.bytes;
};

describe('findings tables are built within the body, never cut inside', () => {
  it('a few findings: all rows, no folding, nothing unlisted', async () => {
    const table = await findingsTable(content, findings(5), Limits.body);
    expect(rows(table)).toHaveLength(5);
    expect(table).not.toContain('<details>');
    expect(table).not.toContain('not listed');
  });

  it(`past ${VISIBLE_ROWS} rows the rest is folded, with the table header again`, async () => {
    const table = await findingsTable(content, findings(VISIBLE_ROWS + 7), Limits.body);
    expect(rows(table)).toHaveLength(VISIBLE_ROWS + 7);
    expect(table).toContain('<details><summary>7 more findings</summary>');
    expect(table.match(/\| Severity \| Location \| Finding \|/g)).toHaveLength(2);
    expect(table.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('thousands of findings: as many rows as fit, the rest counted, the whole within the budget', async () => {
    for (const n of [1_500, 5_000]) {
      const table = await findingsTable(content, findings(n), Limits.checkRunText);
      expect(fitsBody(table, Limits.checkRunText)).toBe(true);
      const listed = rows(table).length;
      expect(listed).toBeGreaterThan(VISIBLE_ROWS);
      expect(listed).toBeLessThan(n);
      expect(table).toContain(`_${n - listed} more findings not listed: a body cannot hold them._`);
      expect(table.trimEnd().endsWith('</details>')).toBe(true);
      // Rows are whole, in order, and none is listed twice.
      expect(rows(table).map((r) => /file-(\d+)\.ts/.exec(r)![1])).toEqual(Array.from({ length: listed }, (_, i) => String(i)));
    }
  });

  it('the budget is close to used: one more row would not have fit', async () => {
    const table = await findingsTable(content, findings(5_000), Limits.checkRunText);
    const row = rows(table)[0]!;
    expect(measure(table).chars + measure(row).chars + 1).toBeGreaterThan(Limits.checkRunText.chars - 200);
  });

  it('multi-byte titles are counted in bytes as well as characters', async () => {
    const table = await findingsTable(content, findings(3_000, (i) => `${'🔥'.repeat(40)} ${i}`), Limits.checkRunText);
    expect(measure(table).bytes).toBeLessThanOrEqual(Limits.checkRunText.bytes);
    expect(measure(table).bytes).toBeGreaterThan(measure(table).chars);
    expect(table).toContain('not listed');
  });

  it('a budget too small for any row says how many findings are not listed', async () => {
    expect(await findingsTable(content, findings(12), { chars: 300, bytes: 300 })).toBe('_12 findings not listed: a body cannot hold them._');
  });

  it('comment, review and check run bodies with thousands of findings are not cut by the pipeline', async () => {
    const many = findings(4_000);
    const comment = await renderComment(content, { kind: 'comment', number: 42, summary: 'Summary.', findings: many, dropped }, 'a'.repeat(32));
    const review = await renderReview(content, { kind: 'review', number: 42, commitId: 'a'.repeat(40), event: 'COMMENT', summary: 'Summary.', findings: many }, 'b'.repeat(32));
    const run = await renderCheckRun(content, { kind: 'check-run', name: 'publish-gate', headSha: 'a'.repeat(40), conclusion: 'neutral', title: 'Publish Gate', summary: 'Summary.', findings: many }, 'c'.repeat(32));
    for (const body of [comment, review.body, run.output.text!]) {
      expect(fitsBody(body)).toBe(true);
      expect(body).not.toContain('truncated by Publish Gate');
      expect(body).toContain('more findings not listed');
      expect(body.trimEnd().endsWith('</details>')).toBe(true);
    }
    expect(run.annotations).toHaveLength(4_000);
  });
});
