import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { appendRecords } from './chain.js';
import { surelyValid } from './fast.js';
import { LedgerRecord, type RecordInput } from './record.js';
import { sampleRun, sampleRunRecords } from './sample.js';

const records = appendRecords(undefined, [...sampleRunRecords(1), ...sampleRunRecords(2, { writes: 3 })], 'k').map((l) => JSON.parse(l) as Record<string, unknown>);
const at = '2026-11-01T00:00:00Z';
const run = sampleRun(1);

describe('ledger records', () => {
  it('are strict: a body, a secret or any unknown member is refused', () => {
    const write = records.find((r) => r.type === 'write')!;
    expect(v.safeParse(LedgerRecord, write).success).toBe(true);
    expect(v.safeParse(LedgerRecord, { ...write, body: 'text' }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, run: { ...run, token: 'x' } }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, status: 'maybe' }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, v: 2 }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, seq: -1 }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, prev: 'sha256:abc' }).success).toBe(false);
    expect(v.safeParse(LedgerRecord, { ...write, type: 'note' }).success).toBe(false);
  });

  it('cover every type of SPEC §10 and a checkpoint', () => {
    const base = { at, run };
    const inputs: RecordInput[] = [
      { ...base, type: 'skip', key: 'a'.repeat(32), kind: 'labels', target: '7', reason: 'UNCHANGED' },
      { ...base, type: 'blocker', codes: ['TASK_NOT_SUCCEEDED'] },
      { ...base, type: 'held', keys: ['memory-key'] },
      { ...base, type: 'reconcile', key: 'b'.repeat(32), kind: 'comment', target: '7', found: false },
      { ...base, type: 'checkpoint', replaced: 3, writes: {}, epochs: [], pending: [] },
    ];
    expect(appendRecords(undefined, inputs)).toHaveLength(5);
  });
});

/** Values to put in a member: near misses of valid ones. */
const oddValue = fc.oneof(
  fc.constantFrom(null, undefined, true, 0, -1, 1.5, 2 ** 53, '', 'x', 'genesis', '7', 'done', 'comment', 'A'.repeat(32), 'a'.repeat(33), `sha256:${'A'.repeat(64)}`, '2026-13-01T00:00:00Z', '2026-11-01T00:00:00+01:00', 'a\u0000b', 'a\u0085b', [], {}, ['X'], { ...run, extra: 1 }),
  fc.string(),
  fc.integer(),
);

describe('the fast pre-check', () => {
  it('accepts the common records the action writes (so the fast path is taken)', () => {
    for (const r of records) expect(surelyValid(r)).toBe(true);
  });

  it('accepts nothing the schema refuses', () => {
    const members = ['v', 'seq', 'at', 'run', 'type', 'prev', 'mac', 'key', 'kind', 'target', 'status', 'id', 'url', 'digest', 'decision', 'planDigest', 'epoch', 'blockers', 'reason', 'body'];
    const runMembers = ['id', 'attempt', 'repository', 'repository_id', 'workflow', 'actor', 'extra'];
    fc.assert(
      fc.property(
        fc.nat({ max: records.length - 1 }),
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...members, ...runMembers), oddValue, fc.boolean()), { minLength: 1, maxLength: 3 }),
        (index, edits) => {
          const record = structuredClone(records[index]!) as Record<string, unknown>;
          for (const [inRun, member, value, remove] of edits) {
            const target = (inRun && typeof record.run === 'object' && record.run !== null ? record.run : record) as Record<string, unknown>;
            if (remove) delete target[member];
            else target[member] = value;
          }
          if (surelyValid(record)) expect(v.safeParse(LedgerRecord, record).success).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
