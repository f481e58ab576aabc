import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../src/command.js';

/** The runner's command files for one step: empty output and summary files in a fresh directory. */
export function runnerFiles(prefix = 'pg-run-'): { dir: string; outputFile: string; summaryFile: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  return { dir, outputFile, summaryFile };
}

/** GITHUB_OUTPUT's heredoc format → a map of outputs. */
export function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n?\2$/gm;
  for (const m of readFileSync(file, 'utf8').matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** The CLI with captured streams, no stdin, a fixed clock and the given environment. */
export async function runCli(argv: string[], options: { env?: Record<string, string>; now?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await cli(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: async () => '',
    env: options.env ?? {},
    now: () => new Date(options.now ?? '2026-11-21T11:00:00Z'),
  });
  return { code, stdout, stderr };
}

export interface SpawnedStep {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The step's outputs (GITHUB_OUTPUT). */
  outputs: Record<string, string>;
  /** The job summary the step wrote (GITHUB_STEP_SUMMARY). */
  summary: string;
  /** Wall time of the child process, in milliseconds. */
  ms: number;
}

/**
 * Runs a bundled entry point (e.g. `dist/index.js`) as the runner runs a step: a child process of
 * this Node with exactly `env` plus `INPUT_<NAME>` for each input, fresh GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files (unless `env` names them), killed after `timeoutMs`. Asynchronous, so
 * loopback servers of the calling test keep answering.
 */
export async function spawnStep(entry: string, env: Record<string, string>, inputs: Record<string, string>, timeoutMs = 45_000): Promise<SpawnedStep> {
  const { dir, outputFile, summaryFile } = runnerFiles('pg-step-');
  const full: Record<string, string> = { GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...env };
  for (const [name, value] of Object.entries(inputs)) full[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [entry], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  clearTimeout(timer);
  const step = { code, stdout, stderr, outputs: readOutputs(full.GITHUB_OUTPUT!), summary: readFileSync(full.GITHUB_STEP_SUMMARY!, 'utf8'), ms: Date.now() - started };
  rmSync(dir, { recursive: true, force: true });
  return step;
}
