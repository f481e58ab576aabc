import { describe, expect, it } from 'vitest';
import type { Plan } from '../decide/decide.js';
import type { Blocker } from '../decide/blockers.js';
import type { PlanEntry } from '../decide/writes.js';
import { MAX_TABLE_ROWS, SUMMARY_BUDGET, gatePath, renderSummary } from './render.js';
import { HINTS } from './hints.js';

const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    decision: 'published',
    mode: 'live',
    digest: `sha256:${'a'.repeat(64)}`,
    policySource: 'policy',
    entries: [],
    blockers: [],
    warnings: [],
    payloads: {},
    findings: { total: 0, published: 0, inline: 0, folded: 0, dropped: { 'unsafe-path': 0, 'denied-path': 0, severity: 0, confidence: 0, 'out-of-scope': 0, duplicate: 0 } },
    held: 0,
    ...over,
  }) as Plan;

describe('renderSummary: writes and ledger', () => {
  it('lists each write with its status, link and note; untrusted text stays text', () => {
    const md = renderSummary(plan(), {
      writes: [
        { kind: 'branch', status: 'done', url: 'https://github.com/octo/app/tree/agent/x', note: 'commit signed by GitHub (verified); CI does not run | <b>x</b>' },
        { kind: 'comment', status: 'failed', error: { code: 'AUTH_FAILED', message: 'Bad credentials\n::error::boom' } },
      ],
    });
    expect(md).toContain('### Writes');
    expect(md).toContain('| branch | ✅ done | [tree/agent/x](https://github.com/octo/app/tree/agent/x) |');
    expect(md).toContain('commit signed by GitHub \\(verified\\)');
    expect(md).not.toContain('<b>');
    expect(md).toContain('AUTH\\_FAILED: Bad credentials');
    // One table row per write: a newline in a message cannot open a new row or line.
    expect(md.split('\n').filter((l) => l.startsWith('| comment |'))).toHaveLength(1);
    expect(md).not.toMatch(/^::error::/m);
  });

  it('long notes are cut with an ellipsis; no writes, no table', () => {
    const md = renderSummary(plan(), { writes: [{ kind: 'comment', status: 'done', note: 'x'.repeat(1000) }] });
    expect(md).toContain(`${'x'.repeat(299)}…`);
    expect(renderSummary(plan(), { writes: [] })).not.toContain('### Writes');
  });

  it('says where the ledger went, or that it was not stored', () => {
    const stored = renderSummary(plan(), { ledger: { path: '/tmp/l.jsonl', persisted: true, artifactId: 9, cacheKey: 'publish-gate-ledger-v1-1-pr-2-3-1', restored: 'continuing the ledger of k' } });
    expect(stored).toContain('### Ledger');
    expect(stored).toContain('- **Persisted:** ✅ yes\n- **Path:** <code>/tmp/l.jsonl</code>\n- **Artifact:** 9\n- **Cache key:** <code>publish-gate-ledger-v1-1-pr-2-3-1</code>\n- **Earlier ledger:** continuing the ledger of k');
    expect(renderSummary(plan(), { ledger: { path: '/tmp/l.jsonl', persisted: false } })).toContain('⚠️ no: it stays at `ledger-path`');
  });
});

const entry = (i: number, over: Partial<PlanEntry> = {}): PlanEntry => ({
  kind: 'comment',
  key: `k${String(i).padStart(31, '0')}`,
  target: '42',
  action: 'create',
  allowed: false,
  digest: `sha256:${'b'.repeat(64)}`,
  ...over,
});
const hostile = 'a | b <script>alert(1)</script>\n::error::forged @octo/security ](x) `tick';

/** Every line of the Markdown tables, and the fenced blocks, are whole. */
function wellFormed(md: string): void {
  const lines = md.split('\n');
  expect(lines.filter((l) => l.startsWith('```')).length % 2).toBe(0);
  let columns = 0;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    // Cells split on unescaped pipes only.
    const cells = line.replace(/\\\|/g, '').split('|').length;
    if (columns === 0) columns = cells;
    else expect(cells, line.slice(0, 200)).toBe(columns);
    expect(line.endsWith('|'), line.slice(-200)).toBe(true);
  }
}

describe('renderSummary: banner', () => {
  it.each([
    ['published', 'TIP', '✅ **Published**'],
    ['noop', 'NOTE', '☑️ **No change**'],
    ['dry-run', 'NOTE', '🧪 **Dry run**'],
    ['blocked', 'CAUTION', '⛔ **Blocked**'],
    ['failed', 'CAUTION', '❌ **Failed**'],
    ['off', 'NOTE', '⏸️ **Off**'],
  ] as const)('%s: one line in a GitHub alert (%s)', (decision, alert, line) => {
    const md = renderSummary(plan({ decision, mode: decision === 'dry-run' ? 'dry-run' : decision === 'off' ? 'off' : 'live' }));
    expect(md).toMatch(new RegExp(`^> \\[!${alert}\\]\\n> ${line.replace(/[*?]/g, '\\$&')}[^\\n]*$`, 'mu'));
  });

  it('a dry run counts what would have been written and warns when blockers would stop a live run', () => {
    const dry = plan({ decision: 'dry-run', mode: 'dry-run', entries: [entry(1), entry(2, { action: 'skip' })] });
    expect(renderSummary(dry)).toContain('> [!NOTE]\n> 🧪 **Dry run**: nothing was written; 1 write would have been made.');
    expect(renderSummary(dry)).toContain('### What would have been written (2)');
    const blocked = { ...dry, blockers: [{ code: 'GATE_MISSING', message: 'no evidence for verification', subject: 'verification' }] as Blocker[] };
    expect(renderSummary(blocked)).toContain('> [!WARNING]\n> 🧪 **Dry run**: nothing was written; 1 write would have been made, and 1 blocker would stop a live run.');
    expect(renderSummary(blocked)).toContain('### Blockers: what would stop a live run (1)');
  });
});

describe('renderSummary: gate path', () => {
  it('marks the stage of each blocker failed, later stages that did not run skipped', () => {
    const p = plan({ decision: 'blocked', blockers: [{ code: 'APPROVAL_MISSING', message: 'x' }], entries: [entry(1, { blocker: 'APPROVAL_MISSING' })] });
    const path = gatePath(p, { ledger: { path: '/l', persisted: true } });
    expect(path).toEqual({ mode: 'passed', policy: 'passed', documents: 'passed', binding: 'passed', gates: 'passed', approval: 'failed', writes: 'passed', github: 'skipped', ledger: 'passed' });
    const md = renderSummary(p, { ledger: { path: '/l', persisted: true } });
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md).toContain('  approval["❌ Approval"]');
    expect(md).toContain('  mode --> policy --> documents --> binding --> gates --> approval --> writes --> github --> ledger');
    expect(md).toContain('  class approval failed');
    expect(md).toContain('  class github skipped');
    expect(md).toContain('✅ Gates → ❌ Approval → ✅ Writes → ⏭️ GitHub → ✅ Ledger');
  });

  it('off skips everything after mode; approval none skips approval; a failed write fails GitHub; an unstored ledger warns', () => {
    expect(gatePath(plan({ decision: 'off', blockers: [{ code: 'MODE_OFF', message: 'off' }] }))).toMatchObject({ mode: 'failed', policy: 'skipped', ledger: 'skipped' });
    const p = plan({ entries: [entry(1, { allowed: true })] });
    const path = gatePath(p, { approval: { required: false }, writes: [{ kind: 'comment', status: 'failed', error: { code: 'AUTH_FAILED', message: 'no' } }], ledger: { path: '/l', persisted: false } });
    expect(path).toMatchObject({ approval: 'skipped', writes: 'passed', github: 'failed', ledger: 'warned' });
    expect(gatePath(plan({ warnings: [{ code: 'LEDGER_UNTRUSTED', message: 'x' }] }), { ledger: { path: '/l', persisted: true } }).ledger).toBe('warned');
  });

  it('node labels are fixed text: nothing from a blocker reaches the Mermaid block', () => {
    const md = renderSummary(plan({ decision: 'blocked', blockers: [{ code: 'GATE_NOT_PASS', message: '"] --> x[click x href "javascript:alert(1)"', subject: 'a"]' }] }));
    const mermaid = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3));
    expect(mermaid).not.toContain('javascript');
    expect(mermaid).not.toContain('a"]');
  });
});

describe('renderSummary: tables', () => {
  it('blockers: code, gate, subject (a plan entry by its number), message and the hint', () => {
    const entries = [entry(1), entry(2, { kind: 'labels' })];
    const md = renderSummary(
      plan({
        decision: 'blocked',
        entries,
        blockers: [
          { code: 'LABEL_NOT_ALLOWED', message: 'label x is not allowed', subject: entries[1]!.key },
          { code: 'GATE_MISSING', message: 'no evidence for verification', subject: 'verification' },
        ],
      }),
    );
    expect(md).toContain('| Code | Gate | Subject | Message | How to fix |');
    expect(md).toContain(`| \`LABEL_NOT_ALLOWED\` | Writes | plan #2 (labels) | label x is not allowed | ${HINTS.LABEL_NOT_ALLOWED.fix} |`);
    expect(md).toContain(`| \`GATE_MISSING\` | Gates | verification | no evidence for verification | ${HINTS.GATE_MISSING.fix} |`);
    wellFormed(md);
  });

  it('plan: kind, target, action and allowed or blocked', () => {
    const md = renderSummary(plan({ decision: 'published', entries: [entry(1, { allowed: true }), entry(2, { allowed: true, action: 'skip' }), entry(3, { blocker: 'WRITE_KIND_DENIED', kind: 'status', target: 'f'.repeat(40) })] }));
    expect(md).toContain('| 1 | comment | 42 | create | ✅ allowed |');
    expect(md).toContain('| 2 | comment | 42 | skip | ☑️ unchanged |');
    expect(md).toContain(`| 3 | status | ${'f'.repeat(12)} | create | ⛔ blocked: \`WRITE_KIND_DENIED\` |`);
  });

  it('writes link only to github.com; any other URL stays text', () => {
    const md = renderSummary(plan(), {
      writes: [
        { kind: 'comment', status: 'done', url: 'https://github.com/octo/app/pull/42#issuecomment-7' },
        { kind: 'check-run', status: 'done', url: 'javascript:alert(1)' },
        { kind: 'status', status: 'done', url: 'https://github.com.evil.example/x' },
      ],
    });
    expect(md).toContain('[pull/42\\#issuecomment-7](https://github.com/octo/app/pull/42#issuecomment-7)');
    expect(md).not.toContain('](javascript');
    expect(md).not.toContain('](https://github.com.evil');
  });

  it('findings: published, inline, folded, and dropped by reason', () => {
    const md = renderSummary(
      plan({ findings: { total: 9, published: 4, inline: 3, folded: 1, dropped: { 'unsafe-path': 1, 'denied-path': 0, severity: 2, confidence: 0, 'out-of-scope': 1, duplicate: 1 } }, held: 2 }),
    );
    for (const row of ['| In the envelope | 9 |', '| Published | 4 |', '| ↳ inline review comments | 3 |', '| ↳ folded into the summary | 1 |', '| Dropped: unsafe path | 1 |', '| Dropped: below `min-severity` | 2 |', '| Dropped: outside the `scope` | 1 |', '| Dropped: duplicate | 1 |', '| Memory proposals held (never written) | 2 |'])
      expect(md).toContain(row);
    expect(md).not.toContain('denied-path');
    expect(renderSummary(plan({ decision: 'blocked' }))).toContain('| Selected to publish (not written) | 0 |');
  });

  it('redactions: counts by rule, most first; never a value', () => {
    const md = renderSummary(plan(), { redactions: { counts: { 'known-secret': 1, 'github-token': 3, 'aws-access-key': 0 }, unscannable: 1 } });
    expect(md).toContain('| Rule | Redacted |\n|---|---:|\n| `github-token` | 3 |\n| `known-secret` | 1 |\n| texts replaced (could not be scanned in time) | 1 |');
    expect(md).not.toContain('aws-access-key');
    expect(renderSummary(plan(), { redactions: { counts: {} } })).toContain('_Nothing was redacted._');
    expect(renderSummary(plan())).not.toContain('### Redactions');
  });

  it('approval: who approved from which environment, the environment settings, assumed facts said', () => {
    const md = renderSummary(plan(), {
      approval: {
        required: true,
        environment: 'agent-publish',
        origin: 'live',
        approvals: [
          { environment: 'agent-publish', state: 'approved', user: 'security-lead' },
          { environment: 'staging', state: 'rejected', user: 'x<b>y' },
        ],
        settings: { preventSelfReview: false, canAdminsBypass: true },
      },
    });
    expect(md).toContain('Environment <code>agent-publish</code> (from the policy): prevent self-review off ⚠️, administrator bypass allowed ⚠️.');
    expect(md).toContain('| security-lead | agent-publish | ✅ approved |');
    expect(md).toContain('| x&lt;b&gt;y | staging (another environment) | ❌ rejected |');
    expect(md).not.toContain('Assumed facts');
    expect(renderSummary(plan(), { approval: { required: true, environment: 'e', origin: 'assumed', approvals: [] } })).toMatch(/Assumed facts: GitHub was not asked\._\n\n_No approvals of this run\._/);
    expect(renderSummary(plan(), { approval: { required: false } })).toContain('_The policy requires no approval (`approval: none`)._');
  });
});

describe('renderSummary: untrusted text', () => {
  it('a blocker message and subject, a write note and an approver stay inside their cells', () => {
    const md = renderSummary(plan({ decision: 'blocked', blockers: [{ code: 'PATH_FORBIDDEN', message: hostile, subject: hostile, path: hostile }] }), {
      writes: [{ kind: 'comment', status: 'failed', url: hostile, note: hostile, error: { code: 'API_FAILED', message: hostile } }],
      approval: { required: true, environment: 'agent-publish', origin: 'live', approvals: [{ environment: hostile, state: 'approved', user: hostile }] },
      ledger: { path: `/tmp/${hostile}`, persisted: false, restored: hostile },
    });
    expect(md).not.toContain('<script');
    expect(md).toContain('&lt;script&gt;');
    expect(md).not.toMatch(/@octo\/security/);
    expect(md).not.toMatch(/^::/m);
    expect(md).not.toMatch(/\]\(x\)/);
    expect(md.split('\n').filter((l) => l.includes('PATH\\_FORBIDDEN') || l.startsWith('| `PATH_FORBIDDEN`'))).toHaveLength(1);
    wellFormed(md);
  });
});

describe('renderSummary: the size limit', () => {
  const huge = (n: number, size: number) =>
    plan({
      decision: 'blocked',
      entries: Array.from({ length: n }, (_, i) => entry(i, { target: `t${i}-${'é'.repeat(size / 4)}`, blocker: 'LIMIT_EXCEEDED' })),
      blockers: Array.from({ length: n }, (_, i) => ({ code: 'LIMIT_EXCEEDED' as const, message: `${i}: ${'x | <y> 漢'.repeat(size / 10)}`, subject: `s${i}` })),
    });

  it('a huge plan stays within the budget, drops whole rows and says how many, and keeps every section', () => {
    const p = huge(100_000, 2_000);
    const md = renderSummary(p, { ledger: { path: '/tmp/l.jsonl', persisted: true }, redactions: { counts: { 'github-token': 1 } } });
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(SUMMARY_BUDGET);
    expect(md).toMatch(/_… \d+ more rows: the `blockers` output lists them all\._/);
    expect(md).toMatch(/_… \d+ more rows: the `plan` output lists them all\._/);
    for (const section of ['### Gate path', '### Blockers (100000)', '### Plan (100000)', '### Findings', '### Redactions', '### Ledger']) expect(md).toContain(section);
    wellFormed(md);
    const shown = md.split('\n').filter((l) => l.startsWith('| `LIMIT_EXCEEDED`')).length;
    const dropped = Number(/_… (\d+) more rows: the `blockers`/.exec(md)![1]);
    expect(shown + dropped).toBe(100_000);
  });

  it('a small budget is shared between the tables; each keeps whole rows', () => {
    const md = renderSummary(huge(40, 400), { budget: 12_000 });
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(12_000);
    const blockers = md.split('\n').filter((l) => l.startsWith('| `LIMIT_EXCEEDED`')).length;
    const entries = md.split('\n').filter((l) => /^\| \d+ \| comment \|/.test(l)).length;
    expect(blockers).toBeGreaterThan(0);
    expect(entries).toBeGreaterThan(0);
    wellFormed(md);
  });

  it(`shows at most ${MAX_TABLE_ROWS} rows of a table, whatever the budget`, () => {
    const md = renderSummary(huge(MAX_TABLE_ROWS + 7, 10));
    expect(md.split('\n').filter((l) => l.startsWith('| `LIMIT_EXCEEDED`'))).toHaveLength(MAX_TABLE_ROWS);
    expect(md).toContain('_… 7 more rows: the `blockers` output lists them all._');
  });
});
