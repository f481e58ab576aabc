import type { ArtifactStore } from '../artifact/store.js';
import type { PublishedState } from '../contract/facts.js';
import { ledgerArtifactName, ledgerCacheKey, ledgerCachePrefix, ledgerScope } from './names.js';
import { trustRestored } from './restore.js';
import type { RestoredChain } from './runLedger.js';
import type { LedgerStorage, PersistResult } from './storage.js';
import { persistLedger, restoreLedger } from './storage.js';

/**
 * The ledger across runs (SPEC §10): before the decision, the newest ledger of this target is
 * restored and judged; after the run, this run's ledger (which begins with the restored one) is
 * stored as an artifact and a cache entry. What a restored ledger may decide:
 *
 * - with `ledger-key`, a ledger whose every record carries a valid MAC: its published epochs
 *   (EPOCH_REPLAYED) and its writes (planned as `skip` or `update` without a lookup);
 * - without a key, the chain verifies but anyone who can save a cache entry and upload an artifact
 *   in this repository could have written it: its epochs are used (they can only block), its
 *   writes are not (they could suppress a write or point an update elsewhere), so the writer
 *   reconciles from GitHub;
 * - a ledger that does not verify, names another repository, holds future records, or cannot be
 *   read safely: nothing (LEDGER_UNTRUSTED, a warning), and the run starts a new chain.
 */

export interface LedgerPorts {
  ledger: LedgerStorage;
  artifacts: ArtifactStore;
}

export interface LedgerPlace {
  repositoryId: number;
  repository: string;
  runId: string;
  attempt: number;
  /** Where the intake makes its fresh directories (RUNNER_TEMP). */
  tempDir: string;
}

export interface RestoreForRun {
  /** The state the engine sees. */
  published: PublishedState;
  /** The chain this run continues, when one was trusted. */
  chain?: RestoredChain;
  /** The cache scope of this target (also the scope this run saves under). */
  scope: string;
  /** What happened, for the log: one line. */
  note: string;
  /** True when a restored ledger was refused (the run warns LEDGER_UNTRUSTED). */
  untrusted: boolean;
}

const ABSENT: PublishedState = { trust: 'absent', epochs: [], writes: {} };

export async function restoreForRun(
  ports: LedgerPorts,
  place: LedgerPlace,
  target: { pullRequest?: number | null | undefined; head?: string | null | undefined },
  options: { key?: string | undefined; now: Date },
): Promise<RestoreForRun> {
  const scope = ledgerScope(target);
  const prefix = ledgerCachePrefix(place.repositoryId, scope);
  const found = await restoreLedger(ports.ledger, ports.artifacts, { prefix, tempDir: place.tempDir });
  if (found.key === undefined) return { published: ABSENT, scope, note: `no earlier ledger under ${prefix}`, untrusted: false };
  if (found.problem !== undefined || found.text === undefined)
    return { published: { ...ABSENT, trust: 'untrusted' }, scope, note: `the ledger of ${found.key} was not read: ${found.problem ?? 'no text'}`, untrusted: true };
  const judged = trustRestored(found.text, {
    key: options.key,
    repositoryId: place.repositoryId,
    now: options.now,
    target: { repository: place.repository, pullRequest: target.pullRequest, head: target.head },
  });
  if (judged.trust === 'absent') return { published: ABSENT, scope, note: `the ledger of ${found.key} is empty`, untrusted: false };
  if (judged.trust === 'untrusted')
    return {
      published: { ...ABSENT, trust: 'untrusted' },
      scope,
      note: `the ledger of ${found.key} did not verify${judged.firstBadSeq !== null ? ` at seq ${judged.firstBadSeq}` : ''}: ${judged.reason}`,
      untrusted: true,
    };
  const writes = judged.authenticated ? judged.state.writes : {};
  return {
    published: { trust: 'trusted', epochs: judged.state.epochs, writes },
    chain: { text: judged.text, tail: judged.tail, state: { writes }, records: judged.records },
    scope,
    note: judged.authenticated
      ? `continuing the ledger of ${found.key} (${judged.records.length} records, authenticated)`
      : `continuing the ledger of ${found.key} (${judged.records.length} records, hash-chained only: without ledger-key its writes are not trusted, and are reconciled from GitHub)`,
    untrusted: false,
  };
}

/** Stores this run's ledger file: the artifact users download, and the cache entry the next run finds. */
export function persistForRun(ports: LedgerPorts, place: LedgerPlace, scope: string, path: string, retentionDays: number): Promise<PersistResult> {
  return persistLedger(ports.ledger, {
    path,
    artifactName: ledgerArtifactName(place.runId, place.attempt),
    cacheKey: ledgerCacheKey(place.repositoryId, scope, place.runId, place.attempt),
    retentionDays,
  });
}
