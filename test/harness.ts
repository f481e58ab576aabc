import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
