/**
 * Ledger verification against its floor: builds 100,000 records (with MACs), then reports the median
 * time of `verifyLedger` with the key and the median time of hashing the same text once with sha256.
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
const text = `${appendRecords(undefined, inputs, key).join('\n')}\n`;
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
const floor = median(() => void createHash('sha256').update(text).digest('hex'));
const keyed = median(() => void verifyLedger(text, { key, now, repositoryId: 4242 }));
const unkeyed = median(() => void verifyLedger(text, { now }));
const mb = Buffer.byteLength(text) / 1024 / 1024;
console.log(`records ${RECORDS}, ${mb.toFixed(1)} MiB, median of ${ROUNDS}`);
console.log(`hash floor (sha256 once)  ${floor.toFixed(1)} ms`);
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
