import type { PublishedState } from '../contract/facts.js';
import type { DecisionTarget, LedgerRecord, PendingEntry } from './record.js';

/** Which decisions count for a target: by PR number when one is given, else by head SHA. */
export interface StateTarget {
  repository?: string | undefined;
  pullRequest?: number | null | undefined;
  head?: string | null | undefined;
}

export function targetMatches(target: StateTarget, decided: DecisionTarget): boolean {
  if (target.repository !== undefined && target.repository.toLowerCase() !== decided.repository.toLowerCase()) return false;
  if (target.pullRequest != null) return decided.pullRequest === target.pullRequest;
  if (target.head != null) return decided.head === target.head;
  return false;
}

/**
 * `PublishedState` plus the intents whose result is unknown (no result recorded, or `ambiguous`):
 * they must be reconciled from GitHub before any retry (SPEC §9). Drop `pending` before validating
 * the state against the strict `PublishedState` schema.
 */
export type LedgerState = PublishedState & { pending: PendingEntry[] };

type KnownWrite = PublishedState['writes'][string];

/** The whole summary a checkpoint carries: every write, every published epoch of every target, pending intents. */
export interface Summary {
  writes: Record<string, KnownWrite>;
  epochs: { target: DecisionTarget; epoch: string }[];
  pending: PendingEntry[];
}

function known(digest: string, id: number | string | undefined, url: string | undefined, previous: KnownWrite | undefined): KnownWrite {
  const keptId = id ?? previous?.id;
  const keptUrl = url ?? previous?.url;
  return { digest, ...(keptId !== undefined ? { id: keptId } : {}), ...(keptUrl !== undefined ? { url: keptUrl } : {}) };
}

/** Folds verified records, oldest first, into a summary of every target. */
export function summarize(records: readonly LedgerRecord[]): Summary {
  const writes = new Map<string, KnownWrite>();
  const epochs: Summary['epochs'] = [];
  const seenEpochs = new Set<string>();
  const pending = new Map<string, PendingEntry>();
  const addEpoch = (target: DecisionTarget, epoch: string) => {
    const id = JSON.stringify([target.repository.toLowerCase(), target.pullRequest, target.head, epoch]);
    if (seenEpochs.has(id)) return;
    seenEpochs.add(id);
    epochs.push({ target, epoch });
  };
  for (const record of records) {
    switch (record.type) {
      case 'checkpoint':
        writes.clear();
        pending.clear();
        for (const [k, w] of Object.entries(record.writes)) writes.set(k, w);
        for (const e of record.epochs) addEpoch(e.target, e.epoch);
        for (const p of record.pending) pending.set(p.key, p);
        break;
      case 'decision':
        if (record.decision === 'published' || record.decision === 'noop') addEpoch(record.target, record.epoch);
        break;
      case 'intent':
        pending.set(record.key, { key: record.key, kind: record.kind, target: record.target, digest: record.digest });
        break;
      case 'write':
        if (record.status === 'done' || record.status === 'unchanged') {
          writes.set(record.key, known(record.digest, record.id, record.url, writes.get(record.key)));
          pending.delete(record.key);
        } else if (record.status === 'failed') pending.delete(record.key);
        // `ambiguous`: the intent stays pending until a reconcile or a later result settles it.
        break;
      case 'reconcile':
        if (record.found && record.digest) writes.set(record.key, known(record.digest, record.id, record.url, writes.get(record.key)));
        pending.delete(record.key);
        break;
      default:
        break;
    }
  }
  return { writes: Object.fromEntries(writes), epochs, pending: [...pending.values()] };
}

/**
 * What earlier runs published for `target`, from verified records (oldest first). Writes are keyed by
 * idempotency key, which already names the repository, kind and target; a later `failed` or
 * `ambiguous` result never erases an earlier `done`.
 */
export function stateFromLedger(records: readonly LedgerRecord[], target: StateTarget, trust: PublishedState['trust'] = 'trusted'): LedgerState {
  const summary = summarize(records);
  return {
    trust,
    epochs: summary.epochs.filter((e) => targetMatches(target, e.target)).map((e) => e.epoch),
    writes: summary.writes,
    pending: summary.pending,
  };
}
