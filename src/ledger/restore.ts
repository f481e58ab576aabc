import { type Tail, verifyLedger } from './chain.js';
import type { LedgerRecord } from './record.js';
import { type LedgerState, type StateTarget, stateFromLedger } from './state.js';

/**
 * Whether a ledger restored from the cache may be believed (SPEC §10). Pure: the caller restores
 * the text (size-capped) and hands it in.
 *
 * `verifyLedger` already refuses, with the record's position: a broken chain, a bad or (with a key)
 * missing MAC, a record naming another repository id, a record dated in the future, and a ledger
 * over `LEDGER_LIMITS`. This adds only what it does not say: a ledger that verified but is not
 * authenticated although a key was given is refused too (defence in depth; `verifyLedger` with a
 * key never returns that today).
 *
 * Without a key a trusted ledger is only hash-chained (`authenticated: false`): whoever can write
 * the cache entry can write any state, so callers should say so.
 */

export interface TrustRestoredOptions {
  key?: string | undefined;
  repositoryId: number;
  now: Date;
  target: StateTarget;
}

export type RestoredLedger =
  /** Nothing was restored, or the restored file was empty. */
  | { trust: 'absent' }
  | {
      trust: 'trusted';
      /** The restored text, unchanged, so the run's file can begin with it and still verify. */
      text: string;
      /** Where this run's first record links to. */
      tail: Tail;
      state: LedgerState;
      authenticated: boolean;
      /** The verified records, oldest first (for compaction). */
      records: LedgerRecord[];
    }
  | { trust: 'untrusted'; reason: string; firstBadSeq: number | null };

export function trustRestored(text: string | undefined, options: TrustRestoredOptions): RestoredLedger {
  if (text === undefined || text === '' || text === '\n') return { trust: 'absent' };
  const { key, repositoryId, now, target } = options;
  const result = verifyLedger(text, { key, repositoryId, now });
  if (!result.ok) return { trust: 'untrusted', reason: result.reason, firstBadSeq: result.firstBadSeq };
  if (key !== undefined && !result.authenticated) return { trust: 'untrusted', reason: 'a key was given but the ledger is not authenticated', firstBadSeq: null };
  if (result.tail === undefined) return { trust: 'absent' };
  return {
    trust: 'trusted',
    text,
    tail: result.tail,
    state: stateFromLedger(result.records, target, 'trusted'),
    authenticated: result.authenticated,
    records: result.records,
  };
}
