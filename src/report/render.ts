import { logSafe } from '../content/log.js';
import { markdownCell } from '../content/markdown/index.js';
import type { Blocker } from '../decide/blockers.js';
import type { Plan } from '../decide/decide.js';
import type { PlanEntry } from '../decide/writes.js';

/** What the plan table says about one entry, in the run's mode. */
export function entryStatus(plan: Pick<Plan, 'mode'>, entry: PlanEntry): string {
  if (entry.allowed) return entry.action === 'skip' ? 'unchanged' : 'allowed';
  if (entry.blocker) return `blocked: ${entry.blocker}`;
  return plan.mode === 'dry-run' ? 'would write' : 'not allowed';
}

/** The output shape of SPEC §3 `plan`: the entries as they are, nothing more. */
export function planOutput(plan: Plan): PlanEntry[] {
  return plan.entries;
}

export function blockersOutput(blockers: readonly Blocker[]): Blocker[] {
  return blockers.map(({ code, message, subject }) => (subject === undefined ? { code, message } : { code, message, subject }));
}

function droppedText(plan: Plan): string {
  const parts = Object.entries(plan.findings.dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** At most `max` characters (code points), with an ellipsis when cut. */
const clip = (text: string, max: number) => {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};
const short = (target: string) => (/^[0-9a-f]{40}$/.test(target) ? target.slice(0, 12) : target);

/** A plain-text report for a terminal: every untrusted string passes through `logSafe`. */
export function renderText(plan: Plan, extra: { factsOrigin?: string } = {}): string {
  const lines: string[] = [];
  lines.push(`Publish Gate: decision ${plan.decision} (mode ${plan.mode}${plan.policySource === 'defaults' ? ', policy: safe built-in defaults' : ''}${extra.factsOrigin ? `, facts: ${extra.factsOrigin}` : ''})`);
  lines.push(`plan-digest: ${plan.digest}`);
  lines.push('');
  lines.push(`Plan (${plan.entries.length} write${plan.entries.length === 1 ? '' : 's'})`);
  if (plan.entries.length === 0) lines.push('  (nothing to write)');
  else
    lines.push(
      ...columns([
        ['  #', 'KIND', 'TARGET', 'ACTION', 'STATUS', 'KEY'],
        ...plan.entries.map((e, i) => [`  ${i + 1}`, e.kind, logSafe(short(e.target)), e.action, entryStatus(plan, e), e.key]),
      ]),
    );
  lines.push('');
  lines.push(`Blockers (${plan.blockers.length})`);
  if (plan.blockers.length === 0) lines.push('  (none)');
  for (const b of plan.blockers) lines.push(`  ${b.code}${b.subject ? ` [${logSafe(b.subject)}]` : ''}: ${logSafe(b.message)}`);
  if (plan.warnings.length > 0) {
    lines.push('');
    lines.push(`Warnings (${plan.warnings.length})`);
    for (const w of plan.warnings) lines.push(`  ${w.code}: ${logSafe(w.message)}`);
  }
  lines.push('');
  const f = plan.findings;
  lines.push(`Findings: ${f.total} in the envelope, ${f.published} to publish (${f.inline} inline, ${f.folded} folded into the summary); dropped: ${droppedText(plan)}`);
  if (plan.held > 0) lines.push(`Memory proposals held (never written): ${plan.held}`);
  return `${lines.join('\n')}\n`;
}

const BANNER: Record<Plan['decision'], string> = {
  published: '✅ **Published**',
  noop: '☑️ **No change**: everything was already published',
  'dry-run': '🧪 **Dry run**: nothing was written',
  blocked: '⛔ **Blocked**: nothing was written',
  failed: '❌ **Failed**: a write failed; nothing after it was attempted',
  off: '⏸️ **Off**: publishing is switched off',
};

/** The job summary in Markdown; all untrusted text is escaped cell by cell. */
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

export function renderSummary(plan: Plan, run: { writes?: readonly WriteRow[]; ledger?: LedgerRow } = {}): string {
  const out: string[] = [];
  out.push(`## Publish Gate`, '', `${BANNER[plan.decision]} · mode \`${plan.mode}\` · plan-digest \`${plan.digest}\``, '');
  if (plan.policySource === 'defaults') out.push('> [!WARNING]', '> The policy could not be read; this run evaluated safe built-in defaults (dry-run, every write denied).', '');
  if (plan.decision === 'dry-run') out.push('### What would have been written', '');
  else out.push('### Plan', '');
  if (plan.entries.length === 0) out.push('_Nothing to write._', '');
  else {
    out.push('| # | Kind | Target | Action | Status |', '|---|---|---|---|---|');
    plan.entries.forEach((e, i) => out.push(`| ${i + 1} | ${e.kind} | ${markdownCell(short(e.target))} | ${e.action} | ${markdownCell(entryStatus(plan, e))} |`));
    out.push('');
  }
  out.push(`### Blockers (${plan.blockers.length})`, '');
  if (plan.blockers.length === 0) out.push('_None._', '');
  else {
    out.push('| Code | Subject | Message |', '|---|---|---|');
    for (const b of plan.blockers) out.push(`| \`${b.code}\` | ${markdownCell(b.subject ?? '')} | ${markdownCell(b.message)} |`);
    out.push('');
  }
  for (const w of plan.warnings) out.push(`> [!NOTE]`, `> \`${w.code}\`: ${markdownCell(w.message)}`, '');
  if (run.writes && run.writes.length > 0) {
    out.push('### Writes', '', '| Kind | Status | Where | Note |', '|---|---|---|---|');
    for (const w of run.writes) {
      const note = [w.note, w.error ? `${w.error.code}: ${w.error.message}` : undefined].filter(Boolean).join(' — ');
      out.push(`| ${w.kind} | ${markdownCell(w.status)} | ${markdownCell(w.url ?? '')} | ${markdownCell(clip(note, 300))} |`);
    }
    out.push('');
  }
  if (run.ledger) {
    const l = run.ledger;
    const stored = l.persisted ? `stored${l.artifactId !== undefined ? `: artifact ${l.artifactId}` : ''}${l.cacheKey ? `, cache \`${markdownCell(l.cacheKey)}\`` : ''}` : 'not stored durably (only at ledger-path for this job)';
    out.push(`**Ledger:** \`${markdownCell(l.path)}\`, ${stored}.${l.restored ? ` ${markdownCell(l.restored)}.` : ''}`, '');
  }
  const f = plan.findings;
  out.push(`**Findings:** ${f.total} in the envelope, ${f.published} to publish (${f.inline} inline, ${f.folded} folded); dropped: ${markdownCell(droppedText(plan))}.`);
  if (plan.held > 0) out.push('', `**Memory proposals held:** ${plan.held} (never written).`);
  return `${out.join('\n')}\n`;
}
