import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/command.js';
import { runCli as runHarnessCli } from './harness.js';
import { appendRecords } from '../src/ledger/chain.js';
import { sampleRun, sampleRunRecords } from '../src/ledger/sample.js';

const runCli = (argv: string[], env: Record<string, string> = {}) => runHarnessCli(argv, { env, now: '2027-01-01T00:00:00Z' });

function tmpFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pg-ledger-')), 'ledger.jsonl');
  writeFileSync(path, text);
  return path;
}

const KEY = 'cli-ledger-key';
const lines = appendRecords(undefined, [...sampleRunRecords(1), ...sampleRunRecords(2)], KEY);
const good = tmpFile(`${lines.join('\n')}\n`);

describe('publish-gate ledger', () => {
  it('verify exits 0 on a valid ledger and says whether it is authenticated', async () => {
    const keyed = await runCli(['ledger', 'verify', good, '--key-env', 'LEDGER_KEY'], { LEDGER_KEY: KEY });
    expect(keyed).toMatchObject({ code: ExitCode.Ok, stdout: 'valid: 10 records, authenticated (every MAC verified)\n' });
    const unkeyed = await runCli(['ledger', 'verify', good]);
    expect(unkeyed.code).toBe(ExitCode.Ok);
    expect(unkeyed.stdout).toContain('valid: 10 records, unauthenticated (10 records carry MACs, but no key was given');
  });

  it('verify exits 1 with the first bad seq on a tampered ledger or a wrong key', async () => {
    const tampered = [...lines];
    tampered[2] = tampered[2]!.replace('"status":"done"', '"status":"failed"');
    const bad = await runCli(['ledger', 'verify', tmpFile(tampered.join('\n')), '--key-env', 'K'], { K: KEY });
    expect(bad.code).toBe(ExitCode.Invalid);
    expect(bad.stdout).toContain('first bad seq: 2');
    const wrong = await runCli(['ledger', 'verify', good, '--key-env', 'K'], { K: 'other' });
    expect(wrong).toMatchObject({ code: ExitCode.Invalid, stdout: expect.stringContaining('first bad seq: 0') });
    const removed = await runCli(['ledger', 'verify', tmpFile([...lines.slice(0, 4), ...lines.slice(5)].join('\n'))]);
    expect(removed).toMatchObject({ code: ExitCode.Invalid, stdout: expect.stringContaining('first bad seq: 4') });
  });

  it('verify refuses a missing file (1) and a missing key variable or bad arguments (usage)', async () => {
    expect((await runCli(['ledger', 'verify', '/nonexistent/ledger.jsonl'])).code).toBe(ExitCode.Invalid);
    expect((await runCli(['ledger', 'verify', good, '--key-env', 'NOPE'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['ledger', 'verify'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['ledger', 'explode', good])).code).toBe(ExitCode.Usage);
    expect((await runCli(['ledger', 'show', good, '--key-env', 'K'])).code).toBe(ExitCode.Usage);
  });

  it('show prints a table with seq, at, type, kind, key, status and target', async () => {
    const { code, stdout } = await runCli(['ledger', 'show', good]);
    expect(code).toBe(ExitCode.Ok);
    const rows = stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^seq\s+at\s+type\s+kind\s+key\s+status\s+target$/);
    expect(rows).toHaveLength(11);
    expect(rows[1]).toMatch(/^0\s+2026-11-01T00:01:00.000Z\s+decision\s+-\s+epoch e1\s+published\s+octo\/widgets#7@/);
    expect(rows[3]).toMatch(/^2\s+\S+\s+write\s+comment\s+[0-9a-f]{32}\s+done\s+7$/);
  });

  it('show passes untrusted strings through logSafe, and marks lines that are not records', async () => {
    const run = { ...sampleRun(3), workflow: 'x' };
    const [write] = sampleRunRecords(3).filter((r) => r.type === 'write');
    const hostile = appendRecords(undefined, [{ ...write!, run, target: '::error::pwned' } as typeof write & object]);
    const { stdout } = await runCli(['ledger', 'show', tmpFile(`${hostile[0]}\n{"oops":1}\n`)]);
    expect(stdout).not.toContain('::error::');
    expect(stdout).toContain(':\u200d:error:\u200d:pwned');
    expect(stdout).toContain('line 2: not a ledger record');
  });

  it('the usage names the ledger commands', async () => {
    expect((await runCli(['--help'])).stdout).toContain('ledger verify F [--key-env VAR] | ledger show F');
  });
});
