/**
 * Throughput of the redaction engine on about 10 MB of mixed, realistic text (TypeScript sources,
 * package-lock.json, Markdown and JavaScript from node_modules, Debian documentation, CI-log-like
 * lines) with a few generated secrets sprinkled in. Prints the median MB/s over several runs for the
 * full engine, our own rules alone and secretlint alone.
 *
 *   npx tsx scripts/bench-redact.ts [--mb 10] [--runs 5]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRedactor } from '../src/content/redact/index.js';
import { createPatternScanner } from '../src/content/redact/patternScanner.js';
import { secretlintScanner } from '../src/content/redact/secretlintScanner.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const TARGET = option('--mb', 10) * 1e6;
const RUNS = option('--runs', 5);

function files(dir: string, accept: (f: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files(path, accept, out);
    else if (entry.isFile() && accept(path) && statSync(path).size < 2e6) out.push(path);
  }
  return out;
}

const read = (file: string) => {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
};

const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n);

/** Generated (never real) secrets in the shapes the engine looks for. */
function secrets(): string[] {
  return [
    `token: ghp_${alnum(36)}`,
    `export NPM_TOKEN=npm_${alnum(36)}`,
    `aws_access_key_id = AKIA${alnum(16).toUpperCase().replace(/[^A-Z2-7]/g, 'Q')}`,
    `DATABASE_URL=postgres://app:${alnum(20)}@db.internal:5432/app`,
    `Authorization: Bearer ${alnum(40)}`,
    `password = "${alnum(14)}!"`,
    `-----BEGIN PRIVATE KEY-----\n${alnum(64)}\n${alnum(64)}\n${alnum(20)}\n-----END PRIVATE KEY-----`,
  ];
}

function corpus(): string {
  const groups = [
    files(join(ROOT, 'src'), (f) => f.endsWith('.ts')),
    [join(ROOT, 'package-lock.json')],
    files(join(ROOT, 'node_modules'), (f) => f.endsWith('.md')),
    files(join(ROOT, 'node_modules', 'rollup', 'dist'), (f) => f.endsWith('.js')),
    files('/usr/share/doc', (f) => /\.(txt|md|gz)$/.test(f)),
  ];
  const parts: string[] = [];
  let size = 0;
  const log = Array.from({ length: 2000 }, (_, i) => `2026-05-0${(i % 9) + 1}T12:00:${String(i % 60).padStart(2, '0')}Z ##[group]Run npm test (step ${i}) sha=${randomBytes(20).toString('hex')}`).join('\n');
  parts.push(log);
  size += log.length;
  for (let round = 0; size < TARGET && round < 20; round++) {
    for (const group of groups) {
      for (const file of group) {
        if (size >= TARGET) break;
        const text = read(file);
        parts.push(text);
        size += text.length;
        if (parts.length % 40 === 0) parts.push(secrets().join('\n'));
      }
    }
  }
  return parts.join('\n').slice(0, TARGET);
}

async function median(label: string, run: (text: string) => Promise<unknown>, text: string): Promise<number> {
  await run(text.slice(0, 100_000)); // warm up
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(text);
    rates.push(text.length / 1e6 / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const result = rates[Math.floor(rates.length / 2)]!;
  console.log(`${label.padEnd(22)} median ${result.toFixed(1).padStart(6)} MB/s  (runs: ${rates.map((r) => r.toFixed(1)).join(', ')})`);
  return result;
}

const text = corpus();
console.log(`text: ${(text.length / 1e6).toFixed(1)} MB (JavaScript string units), ${RUNS} runs each`);
const budgetMs = 600_000;
const full = createRedactor({ secrets: ['ledger-key-for-bench-0001'], budgetMs });
const own = createRedactor({ scanners: [createPatternScanner()], budgetMs });
const secretlintOnly = createRedactor({ scanners: [secretlintScanner], budgetMs });
const result = await full.redact(text);
console.log(`findings: ${JSON.stringify(result.counts)}`);
const fullRate = await median('full engine (redact)', (t) => full.redact(t), text);
const ownRate = await median('own rules only', (t) => own.scan(t), text);
const secretlintRate = await median('secretlint only', (t) => secretlintOnly.scan(t), text);
console.log(`full engine / secretlint-only throughput: ${(fullRate / secretlintRate).toFixed(2)} (own rules alone ${ownRate.toFixed(1)} MB/s)`);
