import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Decision, Plan } from '../decide/decide.js';
import type { PlanEntry } from '../decide/writes.js';
import type { WriteJournal, WriteRecord } from '../github/journal.js';
import { type Tail, appendRecords, lineHash } from './chain.js';
import type { LedgerRun, RecordInput } from './record.js';

/**
 * The run's ledger file (SPEC §10): every record is appended and written to disk at once, so a
 * crash between two writes leaves the intent without its result for the next run to reconcile.
 * It doubles as the writer's journal. Restoring earlier runs' records (cache, artifact) is not
 * done yet: `known()` answers from this run only, and the writer reconciles from GitHub markers.
 */
export class RunLedger implements WriteJournal {
  private tail: Tail | undefined;
  private readonly targets = new Map<string, string>();
  private readonly known_ = new Map<string, { digest: string; id?: number | string; url?: string }>();

  constructor(
    readonly path: string,
    private readonly run: LedgerRun,
    private readonly key: string | undefined,
    private readonly now: () => Date,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, '');
  }

  private append(records: RecordInput[]): void {
    const lines = appendRecords(this.tail, records, this.key);
    appendFileSync(this.path, lines.map((l) => `${l}\n`).join(''));
    const last = JSON.parse(lines.at(-1)!) as { seq: number };
    this.tail = { seq: last.seq, hash: lineHash(lines.at(-1)!) };
  }

  private get base() {
    return { at: this.now().toISOString(), run: this.run };
  }

  known(key: string) {
    return this.known_.get(key);
  }

  async intent(entry: PlanEntry): Promise<void> {
    this.targets.set(entry.key, entry.target);
    this.append([{ ...this.base, type: 'intent', key: entry.key, kind: entry.kind, target: entry.target, digest: entry.digest as `sha256:${string}` }]);
  }

  async result(record: WriteRecord): Promise<void> {
    const target = this.targets.get(record.key) ?? 'unknown';
    this.append([
      {
        ...this.base,
        type: 'write',
        key: record.key,
        kind: record.kind,
        target,
        status: record.status,
        ...(record.id !== undefined ? { id: record.id } : {}),
        ...(record.url ? { url: record.url } : {}),
        digest: (record.digest ?? `sha256:${'0'.repeat(64)}`) as `sha256:${string}`,
      },
    ]);
    if ((record.status === 'done' || record.status === 'unchanged') && record.digest)
      this.known_.set(record.key, { digest: record.digest, ...(record.id !== undefined ? { id: record.id } : {}), ...(record.url ? { url: record.url } : {}) });
  }

  /** The run's outcome: the decision, its blockers (codes only), held memory keys, and skipped writes. */
  decision(plan: Plan, decision: Decision): void {
    const envelope = plan.envelope;
    const records: RecordInput[] = [];
    for (const entry of plan.entries.filter((e) => !e.allowed && e.blocker))
      records.push({ ...this.base, type: 'skip', key: entry.key, kind: entry.kind, target: entry.target, reason: entry.blocker! });
    if (plan.blockers.length > 0) records.push({ ...this.base, type: 'blocker', codes: [...new Set(plan.blockers.map((b) => b.code))].slice(0, 100) });
    const memory = envelope?.memory ?? [];
    if (memory.length > 0) records.push({ ...this.base, type: 'held', keys: memory.map((m) => m.key) });
    records.push({
      ...this.base,
      type: 'decision',
      decision,
      planDigest: plan.digest as `sha256:${string}`,
      epoch: envelope?.epoch ?? 'none',
      target: { repository: this.run.repository, pullRequest: plan.pullRequest?.number ?? null, head: envelope?.target.headSha ?? null },
      blockers: [...new Set(plan.blockers.map((b) => b.code))].slice(0, 100),
    });
    this.append(records);
  }
}
