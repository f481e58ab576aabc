/**
 * Cold start of the built action: a dry run of the example (local files, no token, no network)
 * through `dist/index.js`, against bare `node -e 0`, measured side by side in one run (alternating,
 * so load on the shared machine hits both alike). Prints medians and the ratio (goal ≤ 2×), and the
 * modules the dry run loaded from dist/ (the artifact and cache chunks must not be among them).
 *
 *   npx tsx scripts/bench-cold-start.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const RUNS = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 15;
const dir = mkdtempSync(join(tmpdir(), 'pg-cold-'));

function env(): Record<string, string> {
  const output = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const summary = `${output}.md`;
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_WORKSPACE: ROOT,
    RUNNER_TEMP: dir,
    INPUT_MODE: 'dry-run',
    'INPUT_ENVELOPE-PATH': join(ROOT, 'examples/envelope.json'),
    'INPUT_EVIDENCE-PATH': join(ROOT, 'examples/evidence.json'),
    'INPUT_CONFIG-PATH': join(ROOT, 'examples/publish-gate.yml'),
  };
}

function time(argv: string[], e: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { env: e, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Which of dist/ the dry run loads (a synchronous module hook records every URL).
const hook = join(dir, 'hook.mjs');
const log = join(dir, 'loaded.txt');
writeFileSync(hook, `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, c, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, c); } });\n`);
writeFileSync(log, '');
time(['--import', hook, join(ROOT, 'dist/index.js')], env());
const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/dist/'));
const chunks = readdirSync(join(ROOT, 'dist/chunks'));

// The floor of this bundle: importing the chunks the dry run loads, running nothing (dist/index.js
// itself would run the action on import, and its own code is a fifth of the size).
const loadOnly = ['--input-type=module', '-e', loaded.filter((u) => u.includes('/dist/chunks/')).map((u) => `import ${JSON.stringify(u)};`).join('')];

const bare: number[] = [];
const load: number[] = [];
const action: number[] = [];
time(['-e', '0'], env());
time(loadOnly, env());
time([join(ROOT, 'dist/index.js')], env());
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '0'], env()));
  load.push(time(loadOnly, env()));
  action.push(time([join(ROOT, 'dist/index.js')], env()));
}

console.log(`node ${process.version}, ${RUNS} alternating runs`);
console.log(`node -e 0                 median ${median(bare).toFixed(1)} ms`);
console.log(`dist/index.js dry-run     median ${median(action).toFixed(1)} ms  ratio ${(median(action) / median(bare)).toFixed(2)} (goal ≤ 2)`);
console.log(`  loading the chunks only median ${median(load).toFixed(1)} ms  ratio ${(median(load) / median(bare)).toFixed(2)} (compile and top-level code, no run)`);
console.log(`loaded from dist/: ${loaded.map((u) => u.slice(u.indexOf('/dist/') + 1)).join(', ')}`);
console.log(`not loaded: ${chunks.filter((c) => !loaded.some((u) => u.endsWith(`/${c}`))).join(', ')}`);
