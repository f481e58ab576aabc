import { canonicalJson } from '../decide/digest.js';
import { appendRecords, lineHash } from './chain.js';
import type { LedgerRecord, LedgerRun, RecordInput } from './record.js';
import { summarize } from './state.js';

export interface CompactOptions {
  /** The run doing the compaction; the checkpoint is its record. */
  run: LedgerRun;
  at: string;
  key?: string | undefined;
}

function stripChain(record: LedgerRecord): RecordInput {
  const { v: _v, seq: _seq, prev: _prev, mac: _mac, ...rest } = record;
  return rest as RecordInput;
}

/**
 * Replaces every record with `seq <= keepAfterSeq` by one checkpoint that summarizes them. The
 * checkpoint takes seq `keepAfterSeq` and its `prev` is the hash of the last replaced line; the kept
 * records keep their seq and are re-linked (and re-MACed with `key`) after it, so the result verifies
 * from the checkpoint on.
 *
 * Trust: nothing left in the file can check the checkpoint's `prev` or its summary, so the checkpoint
 * is exactly as trusted as its MAC. Without a key, anyone who can write the file can write any state.
 * Compaction with a key re-MACs the kept records: only the key holder should compact.
 *
 * `records` must be verified and hold their canonical lines' content (as `verifyLedger` returns
 * for lines `appendRecords` wrote); the dropped tail hash is recomputed from them.
 */
export function compact(records: readonly LedgerRecord[], keepAfterSeq: number, options: CompactOptions): string[] {
  const index = records.findIndex((r) => r.seq === keepAfterSeq);
  if (index < 0) throw new RangeError(`no record has seq ${keepAfterSeq}`);
  const dropped = records.slice(0, index + 1);
  const kept = records.slice(index + 1);
  const summary = summarize(dropped);
  const tail = { seq: keepAfterSeq - 1, hash: lineHash(canonicalJson(records[index])) };
  // The checkpoint replaces record `keepAfterSeq`: it takes its seq and links to its line.
  const [checkpoint] = appendRecords(tail, [
    {
      type: 'checkpoint',
      at: options.at,
      run: options.run,
      replaced: dropped.reduce((n, r) => n + (r.type === 'checkpoint' ? r.replaced : 1), 0),
      writes: summary.writes,
      epochs: summary.epochs,
      pending: summary.pending,
    },
  ], options.key);
  return [checkpoint!, ...appendRecords({ seq: keepAfterSeq, hash: lineHash(checkpoint!) }, kept.map(stripChain), options.key)];
}
