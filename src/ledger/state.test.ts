import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../decide/digest.js';
import { appendRecords, verifyLedger } from './chain.js';
import type { LedgerRecord, RecordInput } from './record.js';
import { sampleDigest, sampleRun, sampleRunRecords } from './sample.js';
import { stateFromLedger } from './state.js';

function records(inputs: RecordInput[]): LedgerRecord[] {
  const result = verifyLedger(appendRecords(undefined, inputs).join('\n'), { now: Date.UTC(2030, 0, 1) });
  if (!result.ok) throw new Error(result.reason);
  return result.records;
}

const run = sampleRun(9);
const at = '2026-11-02T00:00:00Z';
const key = idempotencyKey('octo/widgets', 'comment', '7', 'summary');

describe('stateFromLedger', () => {
  it('lists published and noop epochs of the target, oldest first, and every done write', () => {
    const inputs = [...sampleRunRecords(1), ...sampleRunRecords(2, { pr: 8 }), ...sampleRunRecords(3)];
    const noop = { ...(inputs[0] as Extract<RecordInput, { type: 'decision' }>), decision: 'noop' as const, epoch: 'e4' };
    const blocked = { ...noop, decision: 'blocked' as const, epoch: 'e5' };
    const state = stateFromLedger(records([...inputs, noop, blocked]), { pullRequest: 7 });
    expect(state.trust).toBe('trusted');
    expect(state.epochs).toEqual(['e1', 'e3', 'e4']);
    expect(Object.keys(state.writes)).toHaveLength(4); // slot0/slot1 on PR 7 (shared by runs 1 and 3) and on PR 8
    expect(state.pending).toEqual([]);
    expect(stateFromLedger(records(inputs), { head: (inputs[5] as Extract<RecordInput, { type: 'decision' }>).target.head }).epochs).toEqual(['e2']);
  });

  it('a later failed or ambiguous result does not erase an earlier done; an unresolved intent is pending', () => {
    const base = { at, run, key, kind: 'comment' as const, target: '7' };
    const state = stateFromLedger(
      records([
        { ...base, type: 'intent', digest: sampleDigest(1) },
        { ...base, type: 'write', status: 'done', id: 11, url: 'https://github.com/octo/widgets/pull/7#c11', digest: sampleDigest(1) },
        { ...base, type: 'intent', digest: sampleDigest(2) },
        { ...base, type: 'write', status: 'failed', digest: sampleDigest(2) },
        { ...base, type: 'intent', digest: sampleDigest(3) },
        { ...base, type: 'write', status: 'ambiguous', digest: sampleDigest(3) },
      ]),
      { pullRequest: 7 },
    );
    expect(state.writes[key]).toEqual({ digest: sampleDigest(1), id: 11, url: 'https://github.com/octo/widgets/pull/7#c11' });
    expect(state.pending).toEqual([{ key, kind: 'comment', target: '7', digest: sampleDigest(3) }]);
  });

  it('an intent without a result is pending until a reconcile settles it; an unchanged write keeps the id', () => {
    const base = { at, run, key, kind: 'comment' as const, target: '7' };
    const pending = records([{ ...base, type: 'intent', digest: sampleDigest(1) }]);
    expect(stateFromLedger(pending, { pullRequest: 7 }).pending.map((p) => p.key)).toEqual([key]);
    const settled = records([
      { ...base, type: 'intent', digest: sampleDigest(1) },
      { ...base, type: 'reconcile', found: true, id: 5, digest: sampleDigest(1) },
      { ...base, type: 'write', status: 'unchanged', digest: sampleDigest(1) },
    ]);
    expect(stateFromLedger(settled, { pullRequest: 7 })).toMatchObject({ pending: [], writes: { [key]: { digest: sampleDigest(1), id: 5 } } });
  });
});
