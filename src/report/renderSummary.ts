import { markdownCell } from '../content/markdown/index.js';
import { measure } from '../content/markdown/limits.js';
import type { Blocker } from '../decide/blockers.js';
import type { Plan } from '../decide/decide.js';
import type { DropReason, SelectedFinding } from '../decide/findings.js';
import type { PlanEntry } from '../decide/writes.js';
import { HINTS, type Stage } from './hints.js';

/**
 * The job summary (issue 7): a decision banner, the gate path as a Mermaid flowchart, and tables of
 * blockers, plan, writes, findings, approval, redactions and the ledger. Pure: everything it shows is
 * passed in. Untrusted text only ever appears inside a table cell or inline code, escaped by
 * `markdownCell`; Mermaid labels are fixed text. The whole summary stays within a byte budget by
 * dropping whole table rows, each table saying how many it left out.
 */

/** A performed write as the summary shows it (untrusted text: notes and messages can quote GitHub). */
export interface WriteRow {
  kind: string;
  status: string;
  url?: string | undefined;
  note?: string | undefined;
  error?: { code: string; message: string } | undefined;
}

/** Where the ledger went. */
export interface LedgerRow {
  path: string;
  persisted: boolean;
  artifactId?: number | undefined;
  cacheKey?: string | undefined;
  restored?: string | undefined;
}

/** One approval of the run, as GitHub lists it. */
export interface ApprovalRow {
  environment: string;
  state: string;
  user: string;
}

/** What the approval gate looked at: the policy's environment and the run's approvals. */
export type ApprovalView =
  | { required: false }
  | {
      required: true;
      /** The policy's `approval.environment`. */
      environment: string;
      /** `live` when GitHub was asked; `assumed` when the run evaluated facts assumed from the envelope. */
      origin: 'live' | 'assumed';
      approvals: readonly ApprovalRow[];
      /** The environment's protection settings, when they were read. */
      settings?: { preventSelfReview: boolean; canAdminsBypass: boolean } | undefined;
    };

export interface SummaryRun {
  writes?: readonly WriteRow[];
  ledger?: LedgerRow;
  /** What the content pipeline redacted during the run, by rule: counts only. */
  redactions?: { counts: Readonly<Record<string, number>>; unscannable?: number };
  approval?: ApprovalView;
  /** Where the facts came from: `live`, `assumed`, or `unavailable`. */
  factsOrigin?: string;
  /** UTF-8 bytes the summary may take (default {@link SUMMARY_BUDGET}). */
  budget?: number;
}

/** GitHub takes 1 MiB per step summary; the rendered Markdown keeps under this, leaving room for redaction. */
export const SUMMARY_BUDGET = 1_000_000;
/** Rows a table shows at most, whatever the budget: past that, the outputs have the full lists. */
export const MAX_TABLE_ROWS = 500;
const MAX_WARNINGS = 50;

export const STAGES: readonly Stage[] = ['mode', 'policy', 'documents', 'binding', 'gates', 'approval', 'writes', 'github', 'ledger'];
export type GateStatus = 'passed' | 'failed' | 'warned' | 'skipped';

const STAGE_LABEL: Record<Stage, string> = {
  mode: 'Mode',
  policy: 'Policy',
  documents: 'Documents',
  binding: 'Binding',
  gates: 'Gates',
  approval: 'Approval',
  writes: 'Writes',
  github: 'GitHub',
  ledger: 'Ledger',
};
const STATUS_ICON: Record<GateStatus, string> = { passed: '✅', failed: '❌', warned: '⚠️', skipped: '⏭️' };

const stageOf = (code: string): Stage => (code in HINTS ? HINTS[code as keyof typeof HINTS].stage : 'github');

/**
 * The state of each gate of the decision path: failed when a blocker (or a failed write) of that stage
 * exists, warned for a warning, skipped when the run never got there or it does not apply.
 */
export function gatePath(plan: Pick<Plan, 'decision' | 'blockers' | 'warnings' | 'entries'>, run: Pick<SummaryRun, 'writes' | 'ledger' | 'approval'> = {}): Record<Stage, GateStatus> {
  const failed = new Set<Stage>(plan.blockers.map((b) => stageOf(b.code)));
  for (const w of run.writes ?? []) if (w.error || w.status === 'failed' || w.status === 'ambiguous') failed.add(w.error ? stageOf(w.error.code) : 'github');
  const warned = new Set<Stage>(plan.warnings.map((b) => stageOf(b.code)));
  if (run.ledger && !run.ledger.persisted) warned.add('ledger');
  const skipped = new Set<Stage>();
  if (plan.decision === 'off') for (const s of STAGES) if (s !== 'mode') skipped.add(s);
  if (run.approval?.required === false) skipped.add('approval');
  if (plan.entries.length === 0) skipped.add('writes');
  if (!run.writes || run.writes.length === 0) skipped.add('github');
  if (!run.ledger) skipped.add('ledger');
  return Object.fromEntries(
    STAGES.map((s) => [s, failed.has(s) ? 'failed' : skipped.has(s) ? 'skipped' : warned.has(s) ? 'warned' : 'passed'] as const),
  ) as Record<Stage, GateStatus>;
}

/** The flowchart: node ids, labels and classes are fixed text, never anything from the run's documents. */
function mermaid(path: Record<Stage, GateStatus>): string[] {
  const lines = ['```mermaid', 'flowchart LR'];
  for (const s of STAGES) lines.push(`  ${s}["${STATUS_ICON[path[s]]} ${STAGE_LABEL[s]}"]`);
  lines.push(`  ${STAGES.join(' --> ')}`);
  lines.push(
    '  classDef passed fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
    '  classDef failed fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-width:2px',
    '  classDef warned fill:#fff8c5,stroke:#9a6700,color:#1f2328',
    '  classDef skipped fill:#f6f8fa,stroke:#8c959f,color:#59636e,stroke-dasharray:4 3',
  );
  for (const status of ['passed', 'failed', 'warned', 'skipped'] as const) {
    const ids = STAGES.filter((s) => path[s] === status);
    if (ids.length) lines.push(`  class ${ids.join(',')} ${status}`);
  }
  lines.push('```');
  return lines;
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export const clip = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};
const short = (target: string) => (/^[0-9a-f]{40}$/.test(target) ? target.slice(0, 12) : target);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Untrusted text for a cell, cut to `max` characters first. */
const cell = (text: string, max = 300) => markdownCell(clip(text, max));
/**
 * An untrusted value (a path, a key, an environment) in monospace: `<code>` around an escaped cell,
 * since a Markdown code span would show the escapes and could be closed by a backtick.
 */
const code = (text: string, max = 200) => `<code>${cell(text, max)}</code>`;
/** Our own Markdown (a hint) inside a table cell: only a pipe needs escaping. */
const ours = (markdown: string) => markdown.replace(/\|/g, '\\|');

/** A link to github.com shown as a link; anything else stays escaped text. */
function link(url: string | undefined): string {
  if (!url) return '';
  const m = /^https:\/\/github\.com\/([A-Za-z0-9._~/#?=&%+-]{1,300})$/.exec(url);
  if (!m) return cell(url, 200);
  const path = m[1]!.split('/').slice(2).join('/') || m[1]!;
  return `[${markdownCell(clip(path, 80))}](${url})`;
}

/** A table: whole rows only, and a closing line saying how many rows were left out. */
interface Table {
  kind: 'table';
  head: string[];
  /** The table's rows; only the first {@link MAX_TABLE_ROWS} are ever rendered. */
  rows: readonly string[];
  /** How many rows the table has in all (rows past the cap are never rendered). */
  total: number;
  /** The line that replaces the rows left out. */
  more: (n: number) => string;
}
type Part = { kind: 'text'; lines: string[] } | Table;

const text = (...lines: string[]): Part => ({ kind: 'text', lines });
/** A table of `count` rows, rendering only the rows that can be shown. */
function table<T>(head: string[], items: readonly T[], row: (item: T, i: number) => string, more: (n: number) => string): Part {
  const rows = items.slice(0, MAX_TABLE_ROWS).map(row);
  return { kind: 'table', head, rows, total: items.length, more };
}
const bytes = (line: string) => measure(line).bytes + 1;
const MORE_RESERVE = 200;

/**
 * Joins the parts within `budget` bytes. Fixed text always goes in; the rest is shared among the
 * tables (water-filling: a small table gets all its rows, the large ones split what remains), and
 * a table that does not fit ends its rows with "… N more rows".
 */
function assemble(parts: readonly Part[], budget: number): string {
  let fixed = 0;
  for (const p of parts) for (const l of p.kind === 'text' ? p.lines : p.head) fixed += bytes(l);
  const tables = parts.filter((p): p is Table => p.kind === 'table');
  fixed += tables.length * MORE_RESERVE;
  const need = new Map(tables.map((t) => [t, t.rows.reduce((n, r) => n + bytes(r), 0)]));
  const allowance = new Map<Table, number>();
  let remaining = Math.max(0, budget - fixed);
  const open = [...tables].sort((a, b) => need.get(a)! - need.get(b)!);
  while (open.length > 0) {
    const share = remaining / open.length;
    const t = open.shift()!;
    const give = Math.min(need.get(t)!, share);
    allowance.set(t, give);
    remaining -= give;
  }
  const out: string[] = [];
  for (const p of parts) {
    if (p.kind === 'text') {
      out.push(...p.lines);
      continue;
    }
    out.push(...p.head);
    let left = allowance.get(p) ?? 0;
    let shown = 0;
    for (const row of p.rows) {
      const size = bytes(row);
      if (size > left) break;
      left -= size;
      out.push(row);
      shown++;
    }
    if (shown < p.total) out.push('', p.more(p.total - shown));
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

const BANNER_KIND: Record<Plan['decision'], 'NOTE' | 'TIP' | 'WARNING' | 'CAUTION'> = {
  published: 'TIP',
  noop: 'NOTE',
  'dry-run': 'NOTE',
  blocked: 'CAUTION',
  failed: 'CAUTION',
  off: 'NOTE',
};

/** The one line that says what happened, with GitHub's alert colour for it. */
export function banner(plan: Pick<Plan, 'decision' | 'blockers' | 'entries'>, writes: readonly WriteRow[] = []): string[] {
  const planned = plan.entries.filter((e) => e.action !== 'skip').length;
  const blockers = plan.blockers.length;
  let kind = BANNER_KIND[plan.decision];
  let line: string;
  switch (plan.decision) {
    case 'published': {
      const done = writes.filter((w) => w.status === 'done').length;
      const same = writes.filter((w) => w.status === 'unchanged').length;
      line = `✅ **Published**: ${plural(done, 'write')} made${same ? `, ${same} already up to date` : ''}.`;
      break;
    }
    case 'noop':
      line = '☑️ **No change**: everything was already published; nothing was written.';
      break;
    case 'dry-run':
      if (blockers > 0) kind = 'WARNING';
      line = `🧪 **Dry run**: nothing was written; ${plural(planned, 'write')} would have been made${blockers ? `, and ${plural(blockers, 'blocker')} would stop a live run` : ''}.`;
      break;
    case 'blocked':
      line = `⛔ **Blocked**: ${plural(blockers, 'blocker')}; nothing was written.`;
      break;
    case 'failed':
      line = `❌ **Failed**: a write failed; nothing after it was attempted.`;
      break;
    case 'off':
      line = '⏸️ **Off**: publishing is switched off; nothing was planned or written.';
      break;
  }
  return [`> [!${kind}]`, `> ${line}`];
}

const PLAN_ICON = (plan: Pick<Plan, 'mode'>, e: PlanEntry): string => {
  if (e.allowed) return e.action === 'skip' ? '☑️ unchanged' : '✅ allowed';
  if (e.blocker) return `⛔ blocked: \`${e.blocker}\``;
  return plan.mode === 'dry-run' ? '🧪 would write' : '⛔ not allowed';
};
const WRITE_ICON: Record<string, string> = { done: '✅', unchanged: '☑️', failed: '❌', ambiguous: '❓' };

const DROPPED: Record<DropReason, string> = {
  'unsafe-path': 'unsafe path',
  'denied-path': 'path in `findings.deny-paths`',
  severity: 'below `min-severity`',
  confidence: 'below `min-confidence`',
  'out-of-scope': 'outside the `scope`',
  duplicate: 'duplicate',
};

/** A blocker's subject: a plan entry's key becomes "plan #n (kind)", anything else stays escaped text. */
function subjectCell(b: Blocker, entries: ReadonlyMap<string, [number, PlanEntry]>): string {
  if (b.subject === undefined) return '';
  const found = entries.get(b.subject);
  return found ? `plan #${found[0] + 1} (${found[1].kind})` : cell(b.subject, 200);
}

/** The findings the review would post as inline comments (each once), in the plan's order. */
export function inlineFindings(plan: Pick<Plan, 'payloads'>): SelectedFinding[] {
  const seen = new Set<string>();
  const out: SelectedFinding[] = [];
  for (const payload of Object.values(plan.payloads))
    if (payload.kind === 'review')
      for (const f of payload.findings)
        if (f.inline && !seen.has(f.fingerprint)) {
          seen.add(f.fingerprint);
          out.push(f);
        }
  return out;
}

export function renderSummary(plan: Plan, run: SummaryRun = {}): string {
  const parts: Part[] = [];
  const entries = plan.entries;
  const entryIndex = new Map(entries.map((e, i) => [e.key, [i, e] as [number, PlanEntry]]));
  const origin = run.factsOrigin ? ` · facts ${markdownCell(clip(run.factsOrigin, 40))}` : '';
  parts.push(text('## Publish Gate', '', ...banner(plan, run.writes), '', `mode \`${plan.mode}\` · plan-digest \`${plan.digest}\`${origin}`, ''));
  if (plan.policySource === 'defaults')
    parts.push(text('> [!WARNING]', '> The policy could not be read; this run evaluated safe built-in defaults (dry-run, every write denied).', ''));
  if (plan.warnings.length > 0) {
    const shown = plan.warnings.slice(0, MAX_WARNINGS).map((w) => `> - \`${w.code}\`: ${cell(w.message, 500)}. ${HINTS[w.code].fix}`);
    const more = plan.warnings.length - shown.length;
    parts.push(text('> [!NOTE]', '> **Warnings**', '>', ...shown, ...(more > 0 ? [`> - … ${plural(more, 'more warning')}`] : []), ''));
  }

  const path = gatePath(plan, run);
  parts.push(text('### Gate path', '', ...mermaid(path), '', STAGES.map((s) => `${STATUS_ICON[path[s]]} ${STAGE_LABEL[s]}`).join(' → '), ''));

  if (plan.blockers.length === 0 && plan.decision !== 'off')
    parts.push(text('### Blockers (0)', '', plan.decision === 'dry-run' ? '_None: a live run on these facts would not be blocked._' : '_None._', ''));
  else if (plan.blockers.length > 0) {
    const heading = plan.decision === 'dry-run' ? `### Blockers: what would stop a live run (${plan.blockers.length})` : `### Blockers (${plan.blockers.length})`;
    parts.push(
      table(
        [heading, '', '| Code | Gate | Subject | Message | How to fix |', '|---|---|---|---|---|'],
        plan.blockers,
        (b) => `| \`${b.code}\` | ${STAGE_LABEL[HINTS[b.code].stage]} | ${subjectCell(b, entryIndex)} | ${cell(b.message, 1000)} | ${ours(HINTS[b.code].fix)} |`,
        (n) => `_… ${plural(n, 'more row')}: the \`blockers\` output lists them all._`,
      ),
    );
  }

  const planHeading = plan.decision === 'dry-run' ? `### What would have been written (${entries.length})` : `### Plan (${entries.length})`;
  if (entries.length === 0) parts.push(text(planHeading, '', plan.decision === 'off' ? '_Nothing was planned: publishing is off._' : '_Nothing to write._', ''));
  else
    parts.push(
      table(
        [planHeading, '', '| # | Kind | Target | Action | Status |', '|---:|---|---|---|---|'],
        entries,
        (e, i) => `| ${i + 1} | ${e.kind} | ${cell(short(e.target), 200)} | ${e.action} | ${PLAN_ICON(plan, e)} |`,
        (n) => `_… ${plural(n, 'more row')}: the \`plan\` output lists them all._`,
      ),
    );

  if (run.writes && run.writes.length > 0)
    parts.push(
      table(
        ['### Writes', '', '| Kind | Status | Link | Note |', '|---|---|---|---|'],
        run.writes,
        (w) => {
          const note = [w.note, w.error ? `${w.error.code}: ${w.error.message}` : undefined].filter(Boolean).join(' — ');
          return `| ${markdownCell(w.kind)} | ${WRITE_ICON[w.status] ?? ''} ${markdownCell(w.status)} | ${link(w.url)} | ${cell(note, 300)} |`;
        },
        (n) => `_… ${plural(n, 'more row')}: the \`writes\` output lists them all._`,
      ),
    );

  const f = plan.findings;
  const dropped = (Object.entries(f.dropped) as [DropReason, number][]).filter(([, n]) => n > 0);
  const findingRows = [
    `| In the envelope | ${f.total} |`,
    `| ${plan.decision === 'published' || plan.decision === 'noop' ? 'Published' : plan.decision === 'dry-run' ? 'Would be published' : 'Selected to publish (not written)'} | ${f.published} |`,
    `| ↳ inline review comments | ${f.inline} |`,
    `| ↳ folded into the summary | ${f.folded} |`,
    ...(dropped.length ? dropped.map(([reason, n]) => `| Dropped: ${DROPPED[reason]} | ${n} |`) : ['| Dropped | 0 |']),
    ...(plan.held > 0 ? [`| Memory proposals held (never written) | ${plan.held} |`] : []),
  ];
  parts.push(table(['### Findings', '', '| Findings | Count |', '|---|---:|'], findingRows, (r) => r, (n) => `_… ${plural(n, 'more row')}._`));

  if (run.approval) {
    const a = run.approval;
    if (!a.required) parts.push(text('### Approval', '', '_The policy requires no approval (`approval: none`)._', ''));
    else {
      const settings = a.settings
        ? `prevent self-review ${a.settings.preventSelfReview ? 'on ✅' : 'off ⚠️'}, administrator bypass ${a.settings.canAdminsBypass ? 'allowed ⚠️' : 'off ✅'}`
        : 'settings not read';
      const head = ['### Approval', '', `Environment ${code(a.environment, 100)} (from the policy): ${settings}.${a.origin === 'assumed' ? ' _Assumed facts: GitHub was not asked._' : ''}`, ''];
      if (a.approvals.length === 0) parts.push(text(...head, '_No approvals of this run._', ''));
      else
        parts.push(
          table(
            [...head, '| Reviewer | Environment | State |', '|---|---|---|'],
            a.approvals,
            (r) => `| ${cell(r.user, 100)} | ${cell(r.environment, 100)}${r.environment === a.environment ? '' : ' (another environment)'} | ${r.state === 'approved' ? '✅' : r.state === 'rejected' ? '❌' : '⏳'} ${cell(r.state, 20)} |`,
            (n) => `_… ${plural(n, 'more approval')}._`,
          ),
        );
    }
  }

  if (run.redactions) {
    const counts = Object.entries(run.redactions.counts)
      .filter(([, n]) => n > 0)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
    const unscannable = run.redactions.unscannable ?? 0;
    const head = ['### Redactions', '', '_Secrets and token-shaped text replaced with `[REDACTED:<rule>]` in everything this run sent to GitHub or the log: counts only, never values._', ''];
    if (counts.length === 0 && unscannable === 0) parts.push(text(...head, '_Nothing was redacted._', ''));
    else
      parts.push(
        table(
          [...head, '| Rule | Redacted |', '|---|---:|'],
          [...counts.map(([rule, n]) => `| \`${markdownCell(rule).replace(/`/g, '')}\` | ${n} |`), ...(unscannable ? [`| texts replaced (could not be scanned in time) | ${unscannable} |`] : [])],
          (r) => r,
          (n) => `_… ${plural(n, 'more rule')}._`,
        ),
      );
  }

  if (run.ledger) {
    const l = run.ledger;
    parts.push(
      text(
        '### Ledger',
        '',
        `- **Persisted:** ${l.persisted ? '✅ yes' : '⚠️ no: it stays at `ledger-path`, for this job only'}`,
        `- **Path:** ${code(l.path, 300)}`,
        ...(l.artifactId !== undefined ? [`- **Artifact:** ${l.artifactId}`] : []),
        ...(l.cacheKey ? [`- **Cache key:** ${code(l.cacheKey, 200)}`] : []),
        ...(l.restored ? [`- **Earlier ledger:** ${cell(l.restored, 300)}`] : []),
        '',
      ),
    );
  }
  return assemble(parts, run.budget ?? SUMMARY_BUDGET);
}
