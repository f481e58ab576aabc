import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { idempotencyKey } from '../decide/digest.js';
import type { PlanEntry } from '../decide/writes.js';
import { appendRecords, lineHash, verifyLedger } from './chain.js';
import type { RecordInput } from './record.js';
import { trustRestored } from './restore.js';
import { RunLedger } from './runLedger.js';
import { sampleDigest, sampleRun, sampleRunRecords } from './sample.js';

const KEY = 'run-ledger-key';
const NOW = new Date(Date.UTC(2027, 0, 1));
const now = () => NOW;
const root = mkdtempSync(join(tmpdir(), 'pg-run-ledger-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `run-${++n}`, 'ledger.jsonl');

function restoredText(runs: number, key: string | undefined): string {
  const inputs: RecordInput[] = [];
  for (let r = 0; r < runs; r++) inputs.push(...sampleRunRecords(r));
  return `${appendRecords(undefined, inputs, key).join('\n')}\n`;
}

function trusted(text: string, key: string | undefined) {
  const result = trustRestored(text, { key, repositoryId: 4242, now: NOW, target: { pullRequest: 7 } });
  if (result.trust !== 'trusted') throw new Error(`not trusted: ${JSON.stringify(result)}`);
  return result;
}

const newKey = idempotencyKey('octo/widgets', 'comment', '7', 'new-slot');
const entry = (key: string, digest: string): PlanEntry => ({ kind: 'comment', key, target: '7', action: 'create', allowed: true, digest });

describe('RunLedger', () => {
  it('without a restored ledger starts from genesis and knows only its own writes', async () => {
    const path = fresh();
    const ledger = new RunLedger(path, sampleRun(50), KEY, now);
    expect(readFileSync(path, 'utf8')).toBe('');
    await ledger.intent(entry(newKey, sampleDigest(1)));
    await ledger.result({ kind: 'comment', key: newKey, status: 'done', id: 5, digest: sampleDigest(1) });
    const verified = verifyLedger(readFileSync(path, 'utf8'), { key: KEY, repositoryId: 4242, now: NOW });
    expect(verified).toMatchObject({ ok: true, tail: { seq: 1 }, records: [{ prev: 'genesis' }, {}] });
    expect(ledger.known(newKey)).toEqual({ digest: sampleDigest(1), id: 5 });
  });

  for (const key of [KEY, undefined]) {
    it(`continues a restored chain (${key ? 'keyed' : 'unkeyed'}): the file verifies from genesis and known() answers restored keys`, async () => {
      const text = restoredText(3, key);
      const restored = trusted(text, key);
      const path = fresh();
      const ledger = new RunLedger(path, sampleRun(50), key, now, { restored });
      expect(readFileSync(path, 'utf8')).toBe(text);

      const [restoredKey, written] = Object.entries(restored.state.writes)[0]!;
      expect(ledger.known(restoredKey)).toEqual(written);
      expect(ledger.known(newKey)).toBeUndefined();

      await ledger.intent(entry(newKey, sampleDigest(2)));
      await ledger.result({ kind: 'comment', key: newKey, status: 'done', id: 6, url: 'https://github.com/octo/widgets/pull/7#c6', digest: sampleDigest(2) });
      // An unchanged result without id/url keeps the restored ones.
      await ledger.result({ kind: 'comment', key: restoredKey, status: 'unchanged', digest: written.digest });

      const after = readFileSync(path, 'utf8');
      expect(after.startsWith(text)).toBe(true);
      const verified = verifyLedger(after, { key, repositoryId: 4242, now: NOW });
      if (!verified.ok) throw new Error(verified.reason);
      expect(verified.records[0]).toMatchObject({ seq: 0, prev: 'genesis' });
      expect(verified.records[15]).toMatchObject({ seq: 15, type: 'intent', prev: restored.tail.hash });
      expect(verified.tail!.seq).toBe(17);
      expect(ledger.known(newKey)).toEqual({ digest: sampleDigest(2), id: 6, url: 'https://github.com/octo/widgets/pull/7#c6' });
      expect(ledger.known(restoredKey)).toEqual(written);
      // The next run restores this file and trusts it.
      expect(trusted(after, key).state.writes[newKey]).toEqual({ digest: sampleDigest(2), id: 6, url: 'https://github.com/octo/widgets/pull/7#c6' });
    });
  }

  it('a restored text without a final newline is continued on a new line', async () => {
    const text = restoredText(1, KEY).slice(0, -1);
    const path = fresh();
    const ledger = new RunLedger(path, sampleRun(50), KEY, now, { restored: trusted(text, KEY) });
    await ledger.intent(entry(newKey, sampleDigest(3)));
    expect(verifyLedger(readFileSync(path, 'utf8'), { key: KEY, repositoryId: 4242, now: NOW })).toMatchObject({ ok: true, tail: { seq: 5 } });
  });

  it('compacts a restored ledger longer than compactAbove into one checkpoint, keeping the state', async () => {
    const text = restoredText(4, KEY);
    const restored = trusted(text, KEY);
    const path = fresh();
    const ledger = new RunLedger(path, sampleRun(50), KEY, now, { restored, compactAbove: 10 });
    expect(ledger.compacted).toBe(true);
    await ledger.intent(entry(newKey, sampleDigest(4)));
    const verified = verifyLedger(readFileSync(path, 'utf8'), { key: KEY, repositoryId: 4242, now: NOW });
    if (!verified.ok) throw new Error(verified.reason);
    expect(verified.records.map((r) => [r.type, r.seq])).toEqual([
      ['checkpoint', 19],
      ['intent', 20],
    ]);
    expect(verified.records[0]).toMatchObject({ replaced: 20, prev: lineHash(text.split('\n')[19]!) });
    const again = trusted(readFileSync(path, 'utf8'), KEY);
    expect(again.state.epochs).toEqual(restored.state.epochs);
    expect(again.state.writes).toEqual(restored.state.writes);
    expect(again.state.pending.map((p) => p.key)).toEqual([newKey]);
    // At or under the threshold nothing is compacted.
    expect(new RunLedger(fresh(), sampleRun(50), KEY, now, { restored, compactAbove: 20 }).compacted).toBe(false);
  });
});
