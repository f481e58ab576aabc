/**
 * Ledger verification against its floor: builds 100,000 records (with MACs), then reports the median
 * time of `verifyLedger` with and without the key against the floor: sha256 once over the ledger's
 * bytes, as read from its file. The text verified is what reading that file as UTF-8 gives (one flat
 * string). For comparison it also times sha256 of the text as a string, which adds encoding it.
 * Run: npx tsx scripts/bench-ledger.ts
 */
import { createHash, createHmac, hash } from 'node:crypto';
import { surelyValid } from '../src/ledger/fast.js';
import { appendRecords, verifyLedger } from '../src/ledger/chain.js';
import type { RecordInput } from '../src/ledger/record.js';
import { sampleRunRecords } from '../src/ledger/sample.js';

const RECORDS = 100_000;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const key = 'bench-ledger-key';

const inputs: RecordInput[] = [];
for (let n = 0; inputs.length < RECORDS; n++) inputs.push(...sampleRunRecords(n, { writes: 4 }));
inputs.length = RECORDS;
const bytes = Buffer.from(`${appendRecords(undefined, inputs, key).join('\n')}\n`, 'utf8');
const text = bytes.toString('utf8');
const now = Date.UTC(2030, 0, 1);

function median(fn: () => void): number {
  const times: number[] = [];
  fn();
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const result = verifyLedger(text, { key, now, repositoryId: 4242 });
if (!result.ok || result.records.length !== RECORDS) throw new Error(`benchmark ledger does not verify: ${JSON.stringify(result).slice(0, 300)}`);
const floor = median(() => void createHash('sha256').update(bytes).digest('hex'));
const fromString = median(() => void createHash('sha256').update(text, 'utf8').digest('hex'));
const keyed = median(() => void verifyLedger(text, { key, now, repositoryId: 4242 }));
const unkeyed = median(() => void verifyLedger(text, { now }));
const mb = bytes.length / 1024 / 1024;
console.log(`records ${RECORDS}, ${mb.toFixed(1)} MiB, median of ${ROUNDS}`);
console.log(`hash floor (sha256 once over the bytes)  ${floor.toFixed(1)} ms`);
console.log(`  (sha256 once over the string: ${fromString.toFixed(1)} ms, ratio ${(fromString / floor).toFixed(2)}; it encodes the text to UTF-8 first)`);
console.log(`verify with key (MACs)    ${keyed.toFixed(1)} ms  ratio ${(keyed / floor).toFixed(2)}`);
console.log(`verify without key        ${unkeyed.toFixed(1)} ms  ratio ${(unkeyed / floor).toFixed(2)}`);

// Where the time goes: each part of verification on its own, same text, same run.
const lines = text.slice(0, -1).split('\n');
const parsedLines = lines.map((l) => JSON.parse(l) as unknown);
const parts = {
  'JSON.parse of every line': median(() => void lines.forEach((l) => JSON.parse(l))),
  'record validation (fast path)': median(() => void parsedLines.forEach((p) => surelyValid(p))),
  'sha256 of every line': median(() => void lines.forEach((l) => hash('sha256', l, 'hex'))),
  'HMAC-SHA256 of every line': median(() => void lines.forEach((l) => createHmac('sha256', key).update(l).digest('hex'))),
};
for (const [name, ms] of Object.entries(parts)) console.log(`  ${name.padEnd(32)} ${ms.toFixed(1)} ms  ratio ${(ms / floor).toFixed(2)}`);
