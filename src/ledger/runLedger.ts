import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Decision, Plan } from '../decide/decide.js';
import type { PlanEntry } from '../decide/writes.js';
import type { KnownWrite, WriteJournal, WriteRecord } from '../github/journal.js';
import { type Tail, appendRecords, lineHash } from './chain.js';
import { compact } from './compact.js';
import type { DecisionSources, LedgerRecord, LedgerRun, RecordInput } from './record.js';

/** A trusted restored ledger (`trustRestored`'s `trusted` result has this shape). */
export interface RestoredChain {
  /** The restored text, exactly as verified. */
  text: string;
  tail: Tail;
  state: { writes: Record<string, KnownWrite> };
  /** The verified records; needed only for compaction. */
  records?: readonly LedgerRecord[];
}

export interface RunLedgerOptions {
  /** Continue this chain instead of starting from genesis. Only pass a ledger `trustRestored` trusted. */
  restored?: RestoredChain | undefined;
  /**
   * Compact a restored ledger of more records than this into one checkpoint before continuing
   * (default 50,000). When the summary exceeds `CHECKPOINT_LIMITS` the ledger is kept whole.
   */
  compactAbove?: number;
}

export const COMPACT_ABOVE = 50_000;

/**
 * The run's ledger file (SPEC §10): every record is appended and written to disk at once, so a
 * crash between two writes leaves the intent without its result for the next run to reconcile.
 * It doubles as the writer's journal.
 *
 * Given a trusted restored ledger, the file begins with the restored lines (so the file, and the
 * artifact made of it, verifies on its own from genesis or from its checkpoint), the first new
 * record links to the restored tail, and `known()` answers from the restored writes as well as
 * this run's. Without one, the chain starts from genesis and `known()` answers from this run only
 * (the writer reconciles from GitHub markers).
 */
export class RunLedger implements WriteJournal {
  private tail: Tail | undefined;
  private readonly targets = new Map<string, string>();
  private readonly known_ = new Map<string, KnownWrite>();
  /** True when a restored ledger longer than `compactAbove` was compacted into a checkpoint. */
  readonly compacted: boolean = false;

  constructor(
    readonly path: string,
    private readonly run: LedgerRun,
    private readonly key: string | undefined,
    private readonly now: () => Date,
    options: RunLedgerOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    const restored = options.restored;
    if (!restored) {
      appendFileSync(path, '');
      return;
    }
    let text = restored.text.endsWith('\n') ? restored.text : `${restored.text}\n`;
    let tail = restored.tail;
    const records = restored.records;
    if (records && records.length > (options.compactAbove ?? COMPACT_ABOVE)) {
      const lines = this.tryCompact(records, tail);
      if (lines) {
        // Every record is replaced by one checkpoint that takes the tail's seq.
        text = `${lines.join('\n')}\n`;
        tail = { seq: tail.seq, hash: lineHash(lines.at(-1)!) };
        this.compacted = true;
      }
    }
    writeFileSync(path, text);
    this.tail = tail;
    for (const [k, w] of Object.entries(restored.state.writes)) this.known_.set(k, { ...w });
  }

  /** The restored records as one checkpoint, or undefined when they do not fit one. */
  private tryCompact(records: readonly LedgerRecord[], tail: Tail): string[] | undefined {
    if (records.at(-1)?.seq !== tail.seq) return undefined;
    try {
      return compact(records, tail.seq, { run: this.run, at: this.now().toISOString(), key: this.key });
    } catch {
      return undefined;
    }
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

  known(key: string): KnownWrite | undefined {
    const value = this.known_.get(key);
    return value ? { ...value } : undefined;
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
    if ((record.status === 'done' || record.status === 'unchanged') && record.digest) {
      // As `stateFromLedger` folds it: a result without id or url keeps the earlier (restored) ones.
      const previous = this.known_.get(record.key);
      const id = record.id ?? previous?.id;
      const url = record.url || previous?.url;
      this.known_.set(record.key, { digest: record.digest, ...(id !== undefined ? { id } : {}), ...(url ? { url } : {}) });
    }
  }

  /** The run's outcome: the decision, its blockers (codes only), held memory keys, and skipped writes. */
  decision(plan: Plan, decision: Decision, sources?: DecisionSources): void {
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
      ...(sources ? { sources } : {}),
    });
    this.append(records);
  }
}
