import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../contract/common.js';
import { Finding } from '../contract/envelope.js';
import type { Facts } from '../contract/facts.js';
import { Policy } from '../contract/policy.js';
import { run } from '../../test/fixtures.js';
import { DROP_REASONS, type FindingSelection, fingerprintOf, selectFindings } from './findings.js';

type FindingsPolicy = Policy['findings'];
type Files = Facts['files'];

const findingsPolicy = (findings: Record<string, unknown> = {}): FindingsPolicy =>
  v.parse(Policy, { version: 1, repositories: ['octo/app'], approval: 'none', findings }).findings;

let serial = 0;
/** A valid finding; `title` defaults to a unique text so that findings are distinct unless a test says otherwise. */
const finding = (over: Partial<Finding> = {}): Finding =>
  v.parse(Finding, {
    ruleId: 'rule',
    severity: 'medium',
    confidence: 0.9,
    path: 'src/a.ts',
    startLine: 10,
    title: `finding ${String.fromCharCode(97 + (serial++ % 26))}${'x'.repeat(Math.floor(serial / 26))}`,
    ...over,
  });

const files: Files = [
  { path: 'src/a.ts', hunks: [[5, 20], [40, 50]] },
  { path: 'src/b.ts', hunks: [[1, 3]] },
];

const total = (s: FindingSelection) => s.kept.length + DROP_REASONS.reduce((n, r) => n + s.dropped[r], 0);
const nonZeroDrops = (s: FindingSelection) => Object.fromEntries(Object.entries(s.dropped).filter(([, n]) => n > 0));

describe('filters', () => {
  it.each([
    ['critical', ['critical']],
    ['high', ['critical', 'high']],
    ['medium', ['critical', 'high', 'medium']],
    ['low', ['critical', 'high', 'medium', 'low']],
    ['info', ['critical', 'high', 'medium', 'low', 'info']],
  ] as const)('min-severity %s keeps %j', (min, kept) => {
    const all = SEVERITIES.map((severity) => finding({ severity }));
    const s = selectFindings(all, findingsPolicy({ 'min-severity': min }), files);
    expect(s.kept.map((f) => f.severity)).toEqual(kept);
    expect(nonZeroDrops(s)).toEqual(kept.length < 5 ? { severity: 5 - kept.length } : {});
  });

  it('min-confidence is inclusive', () => {
    const s = selectFindings(
      [finding({ confidence: 0.7 }), finding({ confidence: 0.6999 }), finding({ confidence: 1 }), finding({ confidence: 0 })],
      findingsPolicy({ 'min-confidence': 0.7 }),
      files,
    );
    expect(s.kept.map((f) => f.confidence)).toEqual([1, 0.7]);
    expect(nonZeroDrops(s)).toEqual({ confidence: 2 });
  });

  it('deny-paths drop findings by glob', () => {
    const s = selectFindings(
      [finding({ path: 'vendor/lib/x.ts' }), finding({ path: 'src/gen/api.generated.ts' }), finding({ path: 'src/a.ts' })],
      findingsPolicy({ 'deny-paths': ['vendor/**', '**/*.generated.ts'], scope: 'repository' }),
      files,
    );
    expect(s.kept.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(nonZeroDrops(s)).toEqual({ 'denied-path': 2 });
  });

  it.each(['../etc/passwd', 'src/../../x.ts', '/abs/path.ts', 'C:/x.ts', 'src\\a.ts', './src/a.ts', 'src//a.ts', '.git/config', 'sub/.Git/HEAD'])(
    'an unsafe path is dropped whatever the scope: %s',
    (path) => {
      const s = selectFindings([finding({ path })], findingsPolicy({ scope: 'repository' }), [{ path, hunks: [[1, 100]] }]);
      expect(s.kept).toEqual([]);
      expect(nonZeroDrops(s)).toEqual({ 'unsafe-path': 1 });
    },
  );

  it('counts each dropped finding once, under the first reason that applies', () => {
    const s = selectFindings(
      [
        finding({ path: '../x.ts', severity: 'info', confidence: 0 }), // unsafe, also low and unconfident
        finding({ path: 'vendor/x.ts', severity: 'info' }), // denied, also low
        finding({ severity: 'info', confidence: 0 }), // severity, also unconfident
        finding({ confidence: 0, path: 'src/elsewhere.ts' }), // confidence, also out of scope
        finding({ path: 'src/elsewhere.ts' }), // out of scope
      ],
      findingsPolicy({ 'min-severity': 'low', 'min-confidence': 0.5, 'deny-paths': ['vendor/**'] }),
      files,
    );
    expect(s.dropped).toEqual({ 'unsafe-path': 1, 'denied-path': 1, severity: 1, confidence: 1, 'out-of-scope': 1, duplicate: 0 });
    expect(s.kept).toEqual([]);
  });
});

describe('scope', () => {
  const inHunk = finding({ path: 'src/a.ts', startLine: 12 });
  const touchesHunkEnd = finding({ path: 'src/a.ts', startLine: 20, endLine: 25 });
  const spansIntoHunk = finding({ path: 'src/a.ts', startLine: 30, endLine: 40 });
  const betweenHunks = finding({ path: 'src/a.ts', startLine: 25, endLine: 35 });
  const otherFile = finding({ path: 'src/c.ts', startLine: 1 });
  const all = [inHunk, touchesHunkEnd, spansIntoHunk, betweenHunks, otherFile];
  const titles = (s: FindingSelection) => s.kept.map((f) => f.title).sort();
  const inline = (s: FindingSelection) => s.kept.filter((f) => f.inline).map((f) => f.title).sort();

  it('diff keeps findings overlapping a hunk; only those wholly inside one hunk are inline (GitHub refuses the rest)', () => {
    const s = selectFindings(all, findingsPolicy({ scope: 'diff' }), files);
    expect(titles(s)).toEqual([inHunk, touchesHunkEnd, spansIntoHunk].map((f) => f.title).sort());
    expect(inline(s)).toEqual([inHunk.title]);
    expect(s.folded).toBe(2);
    expect(nonZeroDrops(s)).toEqual({ 'out-of-scope': 2 });
  });

  it('files keeps every finding in a changed file; those outside hunks are folded', () => {
    const s = selectFindings(all, findingsPolicy({ scope: 'files' }), files);
    expect(titles(s)).toEqual([inHunk, touchesHunkEnd, spansIntoHunk, betweenHunks].map((f) => f.title).sort());
    expect(inline(s)).toEqual([inHunk.title]);
    expect(s.folded).toBe(3);
    expect(nonZeroDrops(s)).toEqual({ 'out-of-scope': 1 });
  });

  it('repository keeps everything; only findings inside hunks are inline', () => {
    const s = selectFindings(all, findingsPolicy({ scope: 'repository' }), files);
    expect(s.kept).toHaveLength(5);
    expect(s.kept.filter((f) => f.inline).map((f) => f.title)).toEqual([inHunk.title]);
    expect(s.folded).toBe(4);
    expect(nonZeroDrops(s)).toEqual({});
  });

  it.each(['diff', 'files'] as const)('unknown diff (null files) puts nothing in scope for %s', (scope) => {
    const s = selectFindings(all, findingsPolicy({ scope }), null);
    expect(s.kept).toEqual([]);
    expect(nonZeroDrops(s)).toEqual({ 'out-of-scope': 5 });
  });

  it('unknown diff with scope repository keeps everything, none inline', () => {
    const s = selectFindings(all, findingsPolicy({ scope: 'repository' }), null);
    expect(s.kept).toHaveLength(5);
    expect(s.folded).toBe(5);
    expect(inline(s)).toEqual([]);
  });

  it('an empty diff puts nothing in scope for diff or files', () => {
    expect(selectFindings(all, findingsPolicy({ scope: 'diff' }), []).dropped['out-of-scope']).toBe(5);
    expect(selectFindings(all, findingsPolicy({ scope: 'files' }), []).dropped['out-of-scope']).toBe(5);
  });
});

describe('deduplication', () => {
  const policy = findingsPolicy({ scope: 'repository' });
  const twin = (over: Partial<Finding> = {}) =>
    finding({ ruleId: 'sql-injection', path: 'src/db.ts', title: 'Unescaped input', body: 'Use a bound parameter.', ...over });

  it('the same rule, path and text at different lines is one finding', () => {
    const s = selectFindings([twin({ startLine: 52, endLine: 53 }), twin({ startLine: 10, endLine: 12 })], policy, null);
    expect(s.kept).toHaveLength(1);
    expect(s.kept[0]?.startLine).toBe(10);
    expect(s.dropped.duplicate).toBe(1);
    expect(fingerprintOf(twin({ startLine: 1 }))).toBe(fingerprintOf(twin({ startLine: 900 })));
  });

  it('numbers, case and whitespace in the text do not change identity', () => {
    const a = twin({ title: 'Unescaped input on line 10', body: 'Use  a bound\nparameter.' });
    const b = twin({ title: 'unescaped INPUT on line 47', body: 'Use a bound parameter.', startLine: 47 });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(selectFindings([a, b], policy, null).dropped.duplicate).toBe(1);
  });

  it('a different rule, path or text is a different finding', () => {
    const base = twin();
    for (const other of [twin({ ruleId: 'xss' }), twin({ path: 'src/other.ts' }), twin({ title: 'Escaped input' }), twin({ body: 'Sanitize it.' })]) {
      expect(fingerprintOf(other)).not.toBe(fingerprintOf(base));
      expect(selectFindings([base, other], policy, null).kept).toHaveLength(2);
    }
  });

  it("keeps the most severe, then most confident, of duplicates", () => {
    const s = selectFindings([twin({ severity: 'low', startLine: 1 }), twin({ severity: 'critical', startLine: 90 }), twin({ severity: 'critical', confidence: 0.99, startLine: 95 })], policy, null);
    expect(s.kept.map((f) => [f.severity, f.confidence, f.startLine])).toEqual([['critical', 0.99, 95]]);
    expect(s.dropped.duplicate).toBe(2);
  });

  it("the agent's own fingerprint is the identity when given", () => {
    const a = finding({ fingerprint: 'stable-1', title: 'One', path: 'src/a.ts' });
    const b = finding({ fingerprint: 'stable-1', title: 'Two', path: 'src/b.ts' });
    const c = finding({ fingerprint: 'stable-2', title: 'One', path: 'src/a.ts' });
    const s = selectFindings([a, b, c], policy, null);
    expect(s.kept.map((f) => f.fingerprint).sort()).toEqual(['stable-1', 'stable-2']);
    expect(s.dropped.duplicate).toBe(1);
    expect(fingerprintOf(finding())).toMatch(/^fp:[0-9a-f]{32}$/);
  });

  it('which duplicate survives does not depend on input order', () => {
    // Same rule, path, normalized text and sort position, different details.
    const a = twin({ startLine: 10, endLine: 11, evidence: 'first' });
    const b = twin({ startLine: 10, endLine: 14, evidence: 'second' });
    expect(selectFindings([a, b], policy, files)).toEqual(selectFindings([b, a], policy, files));
  });
});

describe('max-inline and order', () => {
  const inDiff = (n: number) =>
    Array.from({ length: n }, (_, i) => finding({ path: 'src/a.ts', startLine: 5 + i, severity: SEVERITIES[i % 5]!, confidence: 0.5 + i / 100 }));

  it('overflow past max-inline is folded, highest-ranked findings inline first', () => {
    const s = selectFindings(inDiff(7), findingsPolicy({ 'max-inline': 3, 'min-severity': 'info' }), files);
    expect(s.kept).toHaveLength(7);
    expect(s.kept.map((f) => f.inline)).toEqual([true, true, true, false, false, false, false]);
    expect(s.folded).toBe(4);
  });

  it('max-inline 0 folds everything', () => {
    const s = selectFindings(inDiff(3), findingsPolicy({ 'max-inline': 0, 'min-severity': 'info' }), files);
    expect(s.kept.every((f) => !f.inline)).toBe(true);
    expect(s.folded).toBe(3);
  });

  it('orders by severity, confidence, path, line and rule', () => {
    const s = selectFindings(
      [
        finding({ severity: 'low', path: 'src/a.ts', startLine: 6, title: 'l' }),
        finding({ severity: 'high', confidence: 0.8, path: 'src/b.ts', startLine: 2, title: 'ha' }),
        finding({ severity: 'high', confidence: 0.9, path: 'src/b.ts', startLine: 3, title: 'hb' }),
        finding({ severity: 'high', confidence: 0.8, path: 'src/a.ts', startLine: 45, title: 'hc' }),
        finding({ severity: 'high', confidence: 0.8, path: 'src/a.ts', startLine: 7, ruleId: 'b', title: 'hd' }),
        finding({ severity: 'high', confidence: 0.8, path: 'src/a.ts', startLine: 7, ruleId: 'a', title: 'he' }),
      ],
      findingsPolicy(),
      files,
    );
    expect(s.kept.map((f) => f.title)).toEqual(['hb', 'he', 'hd', 'hc', 'ha', 'l']);
  });

  it('is deterministic: any permutation of the input gives the same selection', () => {
    const pool = [
      ...inDiff(6),
      finding({ path: 'src/c.ts' }),
      finding({ path: 'src/a.ts', startLine: 42, title: 'dup', ruleId: 'd' }),
      finding({ path: 'src/a.ts', startLine: 44, title: 'dup', ruleId: 'd' }),
      finding({ path: 'src/a.ts', startLine: 42, endLine: 49, title: 'dup 2', ruleId: 'd' }),
      finding({ path: 'src/a.ts', startLine: 42, endLine: 43, title: 'dup 7', ruleId: 'd', body: 'x' }),
    ];
    const policy = findingsPolicy({ 'max-inline': 4, scope: 'files' });
    const expected = selectFindings(pool, policy, files);
    fc.assert(
      fc.property(fc.shuffledSubarray(pool, { minLength: pool.length, maxLength: pool.length }), (shuffled) => {
        expect(selectFindings(shuffled, policy, files)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('properties', () => {
  const arbFinding = fc
    .record({
      ruleId: fc.constantFrom('r1', 'r2'),
      severity: fc.constantFrom(...SEVERITIES),
      confidence: fc.constantFrom(0, 0.3, 0.7, 1),
      path: fc.constantFrom('src/a.ts', 'src/b.ts', 'src/c.ts', 'vendor/x.ts', '../up.ts'),
      startLine: fc.integer({ min: 1, max: 8 }),
      span: fc.integer({ min: 0, max: 5 }),
      title: fc.constantFrom('Bad input 1', 'bad input 2', 'Other'),
      fingerprint: fc.option(fc.constantFrom('f1', 'f2'), { nil: undefined }),
    })
    .map(({ span, fingerprint, ...f }) => finding({ ...f, endLine: f.startLine + span, ...(fingerprint ? { fingerprint } : {}) }));
  const arbPolicy = fc
    .record({
      'min-severity': fc.constantFrom(...SEVERITIES),
      'min-confidence': fc.constantFrom(0, 0.5, 0.7),
      'max-inline': fc.integer({ min: 0, max: 5 }),
      scope: fc.constantFrom('diff', 'files', 'repository'),
      'deny-paths': fc.constantFrom([], ['vendor/**']),
    })
    .map((p) => findingsPolicy(p));
  const arbFiles = fc.constantFrom<Files>(null, [], files);

  it('every finding is either kept or counted under exactly one drop reason, and kept ones are unique', () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 25 }), arbPolicy, arbFiles, (list, policy, diff) => {
        const s = selectFindings(list, policy, diff);
        expect(total(s)).toBe(list.length);
        expect(new Set(s.kept.map((f) => f.fingerprint)).size).toBe(s.kept.length);
        const inline = s.kept.filter((f) => f.inline).length;
        expect(inline).toBeLessThanOrEqual(policy['max-inline']);
        expect(s.folded).toBe(s.kept.length - inline);
        for (const f of s.kept) expect(f.path.startsWith('../')).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  /** Findings plus look-alikes: same identity and rank, different end line or evidence. */
  const arbFindings = fc
    .array(fc.tuple(arbFinding, fc.array(fc.record({ span: fc.integer({ min: 0, max: 3 }), evidence: fc.constantFrom('e1', 'e2') }), { maxLength: 2 })), { maxLength: 10 })
    .map((groups) => groups.flatMap(([f, twins]) => [f, ...twins.map(({ span, evidence }) => ({ ...f, endLine: f.startLine + span, evidence }))]));

  it('the selection does not depend on the order of the findings', () => {
    fc.assert(
      fc.property(
        arbFindings.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }))),
        arbPolicy,
        arbFiles,
        ([list, shuffled], policy, diff) => {
          expect(selectFindings(shuffled, policy, diff)).toEqual(selectFindings(list, policy, diff));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('through decide', () => {
  it('reports totals, inline, folded and drops by reason', () => {
    const plan = run((s) => {
      s.envelope.findings.push(
        { ruleId: 'sql-injection', severity: 'high', confidence: 0.9, path: 'src/db/search.ts', startLine: 52, endLine: 53, title: 'Unescaped filter value in SQL string', body: '`filter.name` is interpolated into the query text. Use a bound parameter (`$1`) instead.' },
        { ruleId: 'naming', severity: 'info', confidence: 0.9, path: 'src/search/filters.ts', startLine: 30, title: 'Name' },
        { ruleId: 'dead-code', severity: 'medium', confidence: 0.4, path: 'src/legacy/util.ts', startLine: 5, title: 'Unused' },
        { ruleId: 'style', severity: 'medium', confidence: 0.9, path: 'src/legacy/util.ts', startLine: 5, title: 'Outside the diff' },
        { ruleId: 'escape', severity: 'high', confidence: 0.9, path: '../../etc/passwd', startLine: 1, title: 'Escape' },
      );
      s.policy.findings['max-inline'] = 2;
    });
    expect(plan.findings).toEqual({
      total: 8,
      published: 3,
      inline: 2,
      folded: 1,
      dropped: { 'unsafe-path': 1, 'denied-path': 0, severity: 1, confidence: 1, 'out-of-scope': 1, duplicate: 1 },
    });
    const review = plan.payloads[plan.entries.find((e) => e.kind === 'review')!.key];
    expect(review?.kind === 'review' && review.findings.map((f) => f.ruleId)).toEqual(['sql-injection', 'unbounded-retry', 'missing-test']);
  });

  it('severity decides REQUEST_CHANGES under review: request-changes', () => {
    const event = (mutation: Parameters<typeof run>[0]) => {
      const plan = run((s) => void (s.policy.writes.review = 'request-changes'), mutation);
      const payload = plan.payloads[plan.entries.find((e) => e.kind === 'review')!.key];
      return payload?.kind === 'review' ? payload.event : undefined;
    };
    expect(event(() => undefined)).toBe('REQUEST_CHANGES');
    expect(event((s) => void (s.envelope.findings = s.envelope.findings.filter((f) => f.severity !== 'high')))).toBe('COMMENT');
    expect(run().payloads[run().entries.find((e) => e.kind === 'review')!.key]).toMatchObject({ event: 'COMMENT' });
  });

  it('no review is planned when no finding survives selection', () => {
    const plan = run((s) => void (s.policy.findings['min-severity'] = 'critical'));
    expect(plan.entries.some((e) => e.kind === 'review')).toBe(false);
    expect(plan.findings.dropped.severity).toBe(3);
  });
});
