import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { envelopeFromText, isSarifName } from './documents.js';
import { Finding } from './envelope.js';
import { Limits } from './limits.js';
import { parseSarif } from './sarif.js';

type Json = Record<string, any>;

const location = (uri: string, region: Json = { startLine: 10 }) => ({ physicalLocation: { artifactLocation: { uri }, region } });

const result = (overrides: Json = {}): Json => ({
  ruleId: 'js/sql-injection',
  level: 'error',
  message: { text: 'User input reaches a query.' },
  locations: [location('src/db.ts')],
  ...overrides,
});

const log = (results: Json[], runOverrides: Json = {}): Json => ({
  version: '2.1.0',
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  runs: [{ tool: { driver: { name: 'CodeQL', version: '2.20.0', rules: [] } }, results, ...runOverrides }],
});

function mapped(value: unknown) {
  const parsed = parseSarif(value);
  if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
  return parsed.value;
}

const only = (r: Json) => {
  const { findings } = mapped(log([r]));
  expect(findings).toHaveLength(1);
  return findings[0]!;
};

describe('SARIF 2.1.0: mapping a result to a finding', () => {
  it('maps the basic members', () => {
    expect(only(result({ locations: [location('src/db.ts', { startLine: 10, endLine: 12 })] }))).toEqual({
      ruleId: 'js/sql-injection',
      severity: 'high',
      confidence: 1,
      path: 'src/db.ts',
      startLine: 10,
      endLine: 12,
      title: 'User input reaches a query.',
    });
  });

  it.each([
    ['error', 'high'],
    ['warning', 'medium'],
    ['note', 'low'],
    ['none', 'info'],
  ])('maps level %s to severity %s', (level, severity) => {
    expect(only(result({ level })).severity).toBe(severity);
  });

  it('takes warning as the default level (SARIF §3.27.10)', () => {
    const r = result();
    delete r.level;
    expect(only(r).severity).toBe('medium');
  });

  it('rejects unknown levels', () => {
    expect(parseSarif(log([result({ level: 'critical' })])).ok).toBe(false);
  });

  it.each([
    [9.8, 'critical'],
    [9.0, 'critical'],
    [8.9, 'high'],
    [7.0, 'high'],
    [6.9, 'medium'],
    [4.0, 'medium'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'info'],
    ['9.1', 'critical'],
    ['5.5', 'medium'],
  ] as const)('gives properties.security-severity %s precedence over level (%s)', (score, severity) => {
    expect(only(result({ level: 'note', properties: { 'security-severity': score } })).severity).toBe(severity);
  });

  it("reads security-severity from the result's rule when the result has none (CodeQL's layout)", () => {
    const rules = [{ id: 'js/sql-injection', properties: { 'security-severity': '8.8' } }, { id: 'other', properties: { 'security-severity': '2.0' } }];
    const run = { tool: { driver: { name: 'CodeQL', rules } } };
    const findings = mapped(log([result({ level: 'note' }), result({ ruleId: 'unrated', level: 'note' })], run)).findings;
    expect(findings.map((f) => f.severity)).toEqual(['high', 'low']);
    // The result's own score still wins over its rule's.
    expect(mapped(log([result({ properties: { 'security-severity': '9.5' } })], run)).findings[0]!.severity).toBe('critical');
  });

  it('falls back to level when security-severity is not a number', () => {
    expect(only(result({ level: 'note', properties: { 'security-severity': 'high' } })).severity).toBe('low');
    expect(only(result({ level: 'note', properties: { 'security-severity': '' } })).severity).toBe('low');
  });

  it('reads confidence from properties.confidence, else rank/100, else 1', () => {
    expect(only(result({ properties: { confidence: 0.42 } })).confidence).toBe(0.42);
    expect(only(result({ rank: 75 })).confidence).toBe(0.75);
    expect(only(result({ rank: 0 })).confidence).toBe(0);
    expect(only(result({ rank: 100 })).confidence).toBe(1);
    expect(only(result({ rank: 30, properties: { confidence: 0.9 } })).confidence).toBe(0.9);
    expect(only(result()).confidence).toBe(1);
  });

  it('treats rank -1 (SARIF for "no rank") as absent', () => {
    expect(only(result({ rank: -1 })).confidence).toBe(1);
    expect(only(result({ rank: -1, properties: { confidence: 0.3 } })).confidence).toBe(0.3);
  });

  it('rejects out-of-range confidence and rank', () => {
    for (const r of [result({ rank: 101 }), result({ rank: -2 }), result({ rank: -0.5 }), result({ properties: { confidence: 1.5 } })]) {
      expect(parseSarif(log([r])).ok).toBe(false);
    }
  });

  it('joins partialFingerprints into a stable fingerprint, sorted by key', () => {
    const a = only(result({ partialFingerprints: { primaryLocationLineHash: 'abc:1', 'other/v1': 'z' } }));
    const b = only(result({ partialFingerprints: { 'other/v1': 'z', primaryLocationLineHash: 'abc:1' } }));
    expect(a.fingerprint).toBe('other/v1=z;primaryLocationLineHash=abc:1');
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(only(result()).fingerprint).toBeUndefined();
    expect(only(result({ partialFingerprints: {} })).fingerprint).toBeUndefined();
  });

  it('bounds the fingerprint', () => {
    const fingerprint = only(result({ partialFingerprints: { a: 'x'.repeat(200), b: 'y'.repeat(200) } })).fingerprint!;
    expect(fingerprint.length).toBeLessThanOrEqual(Limits.name);
  });

  it('uses the first line of the message as title and keeps the rest as body', () => {
    const f = only(result({ message: { text: 'First line\nMore detail here.' } }));
    expect(f.title).toBe('First line');
    expect(f.body).toBe('First line\nMore detail here.');
    expect(only(result({ message: { markdown: '**Bold** title', text: 'plain' } })).title).toBe('**Bold** title');
  });

  it('keeps control characters out of titles and fingerprints', () => {
    const f = only(result({ message: { text: 'Title\r\nbody' }, partialFingerprints: { hash: 'ab\u0000c\u0085d' } }));
    expect(f.title).toBe('Title');
    expect(f.fingerprint).toBe('hash=abcd');
    expect(only(result({ message: { text: 'a\tb\u001bc' } })).title).toBe('a b c');
  });

  it('falls back to the rule id, then to placeholders', () => {
    expect(only(result({ message: {} })).title).toBe('js/sql-injection');
    const noRule = result({ message: {} });
    delete noRule.ruleId;
    const f = only(noRule);
    expect(f.ruleId).toBe('sarif');
    expect(f.title).toBe('finding');
  });

  it('normalizes artifact URIs relative to the checkout', () => {
    expect(only(result({ locations: [location('./src/a.ts')] })).path).toBe('src/a.ts');
    expect(only(result({ locations: [location('src/my%20file.ts')] })).path).toBe('src/my file.ts');
    expect(only(result({ locations: [location('src/100%.ts')] })).path).toBe('src/100%.ts');
    // Decoding must not smuggle control characters into a path.
    expect(only(result({ locations: [location('src/a%0A.ts')] })).path).toBe('src/a%0A.ts');
    expect(only(result({ locations: [location('src/a%00.ts')] })).path).toBe('src/a%00.ts');
  });

  it('counts a location that names no file as unplaced', () => {
    expect(mapped(log([result({ locations: [location('./')] })]))).toMatchObject({ findings: [], unplaced: 1 });
    // An empty uri is not a SARIF uri at all: the log is refused.
    expect(parseSarif(log([result({ locations: [location('')] })])).ok).toBe(false);
  });

  it('never maps an empty rule id', () => {
    expect(only(result({ ruleId: '' })).ruleId).toBe('sarif');
  });

  it('defaults the start line to 1 and drops an end line before the start line', () => {
    expect(only(result({ locations: [location('a.ts', {})] })).startLine).toBe(1);
    const f = only(result({ locations: [location('a.ts', { startLine: 20, endLine: 5 })] }));
    expect(f.startLine).toBe(20);
    expect(f.endLine).toBeUndefined();
  });

  it('uses the first location only', () => {
    expect(only(result({ locations: [location('first.ts'), location('second.ts')] })).path).toBe('first.ts');
  });
});

describe('SARIF 2.1.0: runs and results', () => {
  it('counts results without a file location as unplaced', () => {
    const sarif = mapped(
      log([
        result(),
        result({ locations: undefined }),
        result({ locations: [] }),
        result({ locations: [{ logicalLocations: [{ name: 'f' }] }] }),
        result({ locations: [{ physicalLocation: { region: { startLine: 1 } } }] }),
      ]),
    );
    expect(sarif.findings).toHaveLength(1);
    expect(sarif.unplaced).toBe(4);
  });

  it('reports executionSuccessful: false on any invocation as not succeeded', () => {
    expect(mapped(log([result()])).succeeded).toBe(true);
    expect(mapped(log([result()], { invocations: [{ executionSuccessful: true }] })).succeeded).toBe(true);
    expect(mapped(log([], { invocations: [{ executionSuccessful: true }, { executionSuccessful: false }] })).succeeded).toBe(false);
  });

  it('reads every run and names every tool', () => {
    const value = log([result()]);
    value.runs.push({ tool: { driver: { name: 'Semgrep' } }, results: [result({ ruleId: 'other' })] });
    const sarif = mapped(value);
    expect(sarif.tool).toBe('CodeQL, Semgrep');
    expect(sarif.findings.map((f) => f.ruleId)).toEqual(['js/sql-injection', 'other']);
  });

  it('accepts a run without results', () => {
    const value = log([]);
    delete value.runs[0].results;
    expect(mapped(value)).toEqual({ tool: 'CodeQL', succeeded: true, findings: [], unplaced: 0 });
  });

  it('ignores unknown SARIF members (the format is open) but validates those it reads', () => {
    expect(mapped(log([result({ kind: 'fail', baselineState: 'new', codeFlows: [] })])).findings).toHaveLength(1);
    expect(parseSarif(log([result({ message: 'not an object' })])).ok).toBe(false);
    expect(parseSarif(log([result({ locations: [location('src/a.ts', { startLine: 0 })] })])).ok).toBe(false);
  });

  it('requires version 2.1.0, at least one run and a tool name', () => {
    expect(parseSarif({ ...log([]), version: '2.0.0' }).ok).toBe(false);
    expect(parseSarif({ version: '2.1.0', runs: [] }).ok).toBe(false);
    expect(parseSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }).ok).toBe(false);
    expect(parseSarif(null).ok).toBe(false);
  });

  it(`refuses more than ${Limits.findings} results in one run or across runs`, () => {
    const many = Array.from({ length: Limits.findings + 1 }, () => result());
    expect(parseSarif(log(many)).ok).toBe(false);
    const half = Array.from({ length: Limits.findings / 2 + 1 }, () => result());
    const value = log(half);
    value.runs.push({ tool: { driver: { name: 'Second' } }, results: half });
    const parsed = parseSarif(value);
    expect(parsed).toEqual({ ok: false, issues: [`more than ${Limits.findings} results`] });
    expect(parseSarif(log(Array.from({ length: Limits.findings }, () => result()))).ok).toBe(true);
  });

  it('produces findings that satisfy the envelope Finding contract', () => {
    const text = fc.string({ unit: 'binary-ascii', maxLength: 60 });
    const arbitraryResult = fc.record(
      {
        ruleId: fc.string({ maxLength: 40 }),
        level: fc.constantFrom('none', 'note', 'warning', 'error'),
        message: fc.record({ text, markdown: text }, { requiredKeys: [] }),
        locations: fc.array(
          fc.record({
            physicalLocation: fc.record(
              {
                artifactLocation: fc.record({ uri: fc.oneof(fc.constantFrom('./', 'a%0a.ts', '%00', 'src/a.ts'), fc.string({ minLength: 1, maxLength: 30 })) }),
                region: fc.record({ startLine: fc.integer({ min: 1, max: 100 }), endLine: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
              },
              { requiredKeys: ['artifactLocation'] },
            ),
          }),
          { maxLength: 2 },
        ),
        partialFingerprints: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary-ascii', maxLength: 20 }), { maxKeys: 3 }),
        rank: fc.oneof(fc.constant(-1), fc.double({ min: 0, max: 100, noNaN: true })),
        properties: fc.record(
          {
            confidence: fc.double({ min: 0, max: 1, noNaN: true }),
            'security-severity': fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.string({ maxLength: 5 })),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['message'] },
    );
    fc.assert(
      fc.property(fc.array(arbitraryResult, { maxLength: 5 }), (results) => {
        const parsed = parseSarif(log(results));
        if (!parsed.ok) return; // Inputs outside the SARIF subset are refused as a whole.
        for (const finding of parsed.value.findings) {
          const checked = v.safeParse(Finding, finding);
          if (!checked.success) throw new Error(`${JSON.stringify(finding)}: ${checked.issues.map((i) => i.message).join('; ')}`);
        }
        expect(parsed.value.findings.length + parsed.value.unplaced).toBe(results.length);
      }),
      { numRuns: Number(process.env.SARIF_RUNS ?? 500) },
    );
  });
});

describe('SARIF through envelopeFromText', () => {
  it.each([
    ['results.sarif', true],
    ['codeql.SARIF', true],
    ['x.sarif.json', true],
    ['envelope.json', false],
    ['sarif.json', false],
    ['results.sarif.txt', false],
    ['sarif', false],
  ])('routes %s to SARIF: %s', (name, sarif) => {
    expect(isSarifName(name)).toBe(sarif);
  });

  it('reads a .sarif file as SARIF findings', () => {
    const loaded = envelopeFromText(JSON.stringify(log([result(), result({ locations: [] })])), 'codeql.sarif', 'artifact');
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok') return;
    expect(loaded.source).toBe('artifact');
    expect(loaded.value.format).toBe('sarif');
    if (loaded.value.format !== 'sarif') return;
    expect(loaded.value.sarif.findings).toHaveLength(1);
    expect(loaded.value.sarif.unplaced).toBe(1);
  });

  it('refuses SARIF content under an envelope name (strict envelope)', () => {
    const loaded = envelopeFromText(JSON.stringify(log([result()])), 'envelope.json', 'artifact');
    expect(loaded.status).toBe('failed');
    if (loaded.status === 'failed') expect(loaded.code).toBe('ENVELOPE_INVALID');
  });

  it('refuses an envelope under a .sarif name', () => {
    const loaded = envelopeFromText(JSON.stringify({ schema: 'publish-gate/envelope@1' }), 'results.sarif', 'file');
    expect(loaded.status).toBe('failed');
    if (loaded.status === 'failed') {
      expect(loaded.code).toBe('ENVELOPE_INVALID');
      expect(loaded.message).toMatch(/^envelope results\.sarif: /);
    }
  });

  it('applies the same size and depth limits to SARIF', () => {
    const deep = envelopeFromText('['.repeat(100_000), 'x.sarif', 'file');
    expect(deep.status).toBe('failed');
    if (deep.status === 'failed') expect(deep.message).toContain('nests deeper');
  });
});
