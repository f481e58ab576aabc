import { logSafe } from '../content/log.js';
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

export {
  type ApprovalRow,
  type ApprovalView,
  type GateStatus,
  type LedgerRow,
  type SummaryRun,
  type WriteRow,
  MAX_TABLE_ROWS,
  STAGES,
  SUMMARY_BUDGET,
  banner,
  gatePath,
  inlineFindings,
  renderSummary,
} from './renderSummary.js';
