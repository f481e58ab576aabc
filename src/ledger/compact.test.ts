import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendRecords, verifyLedger } from './chain.js';
import { compact } from './compact.js';
import type { RecordInput } from './record.js';
import { sampleRun, sampleRunRecords } from './sample.js';
import { stateFromLedger } from './state.js';

const KEY = 'compaction-key';
const NOW = Date.UTC(2030, 0, 1);
const opts = { run: sampleRun(99), at: '2026-12-01T00:00:00Z' };

function ledger(runs: number, key: string | undefined): string {
  const inputs: RecordInput[] = [];
  for (let n = 0; n < runs; n++) inputs.push(...sampleRunRecords(n, { pr: 7 + (n % 2), writes: 1 + (n % 3) }));
  // An ambiguous write stays pending across compaction.
  const [intent] = sampleRunRecords(50).filter((r) => r.type === 'intent');
  inputs.push(intent!);
  return appendRecords(undefined, inputs, key).join('\n');
}

describe('compact', () => {
  it('keeps the chain verifying from the checkpoint, keeps later seqs, and leaves the state unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(), fc.boolean(), (runs, cut, keyed) => {
        const key = keyed ? KEY : undefined;
        const full = verifyLedger(ledger(runs, key), { key, now: NOW });
        if (!full.ok) throw new Error(full.reason);
        const keepAfterSeq = cut % full.records.length;
        const lines = compact(full.records, keepAfterSeq, { ...opts, key });
        const compacted = verifyLedger(lines.join('\n'), { key, now: NOW });
        expect(compacted).toMatchObject({ ok: true, tail: { seq: full.tail!.seq } });
        if (!compacted.ok) return;
        expect(compacted.records[0]).toMatchObject({ type: 'checkpoint', seq: keepAfterSeq, replaced: keepAfterSeq + 1 });
        expect(compacted.records.slice(1).map((r) => r.seq)).toEqual(full.records.slice(keepAfterSeq + 1).map((r) => r.seq));
        for (const pr of [7, 8]) expect(stateFromLedger(compacted.records, { pullRequest: pr })).toEqual(stateFromLedger(full.records, { pullRequest: pr }));
        // Compacting again folds the first checkpoint in.
        const again = compact(compacted.records, full.tail!.seq, { ...opts, key });
        const twice = verifyLedger(again.join('\n'), { key, now: NOW });
        expect(twice).toMatchObject({ ok: true, records: [{ type: 'checkpoint', replaced: full.records.length }] });
        if (twice.ok) expect(stateFromLedger(twice.records, { pullRequest: 7 })).toEqual(stateFromLedger(full.records, { pullRequest: 7 }));
      }),
      { numRuns: 60 },
    );
  });

  it('the checkpoint links to the dropped tail, and is only as trusted as its MAC', () => {
    const full = verifyLedger(ledger(3, KEY), { key: KEY, now: NOW });
    if (!full.ok) throw new Error(full.reason);
    const lines = compact(full.records, 4, { ...opts, key: KEY });
    expect(JSON.parse(lines[0]!).prev).toBe(full.records[5]!.prev);
    // A forged checkpoint (written without the key) is refused when the key is given…
    const forged = compact(full.records, 4, opts);
    expect(verifyLedger(forged.join('\n'), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 4 });
    // …and a checkpoint anywhere but first is refused.
    const tail = { seq: full.tail!.seq, hash: full.tail!.hash };
    const midway = appendRecords(tail, [{ ...(JSON.parse(lines[0]!) as RecordInput), at: opts.at }], KEY);
    expect(verifyLedger(`${ledger(3, KEY)}\n${midway[0]}`, { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: tail.seq + 1 });
  });
});
