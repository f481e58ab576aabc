import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOutputs, runnerFiles } from './harness.js';

const root = resolve(import.meta.dirname, '..');
const examples = join(root, 'examples');

/** Runs the committed bundle as the runner would: INPUT_* variables and command files, no network. */
function runAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []) {
  const { dir, outputFile, summaryFile } = runnerFiles('pg-dist-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_ACTOR: 'octo-dev',
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: dir,
    // Nothing may be reached: an API URL that refuses connections.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [...nodeArgs, join(root, 'dist/index.js')], { env, encoding: 'utf8', timeout: 30_000 });
  return { ...result, outputs: readOutputs(outputFile), summary: readFileSync(summaryFile, 'utf8') };
}

const local = {
  'envelope-path': join(examples, 'envelope.json'),
  'evidence-path': join(examples, 'evidence.json'),
  'config-path': join(examples, 'publish-gate.yml'),
  // Registered as a secret and masked; without a token the run stays offline.
  'ledger-key': 'ledger-key-for-tests-0123456789',
};

describe('dist/index.js (the committed bundle)', () => {
  it('plans the example in dry-run: outputs, summary, no write, exit 0', () => {
    const run = runAction({ mode: 'dry-run', ...local });
    expect(run.status).toBe(0);
    expect(run.outputs.decision).toBe('dry-run');
    const plan = JSON.parse(run.outputs.plan!) as { kind: string; allowed: boolean }[];
    expect(plan.map((e) => e.kind)).toEqual(['check-run', 'review', 'comment', 'labels']);
    expect(plan.every((e) => e.allowed === false)).toBe(true);
    expect(run.outputs['plan-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(run.outputs.writes!)).toEqual([]);
    expect(run.summary).toContain('What would have been written');
    expect(run.summary).toContain('```mermaid');
    expect(run.stdout).toContain('::add-mask::ledger-key-for-tests-0123456789');
    // A notice per finding the review would post inline, on its file and lines.
    expect(run.stdout).toMatch(/^::notice title=Publish Gate \(dry run\)%3A Unescaped filter value in SQL string,file=src\/db\/search\.ts,line=41,endLine=44::Would be posted/m);
  });

  it('loads the artifact and cache libraries only when needed: a dry run from local files reads neither chunk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-modules-'));
    const hook = join(dir, 'hook.mjs');
    const log = join(dir, 'loaded.txt');
    // A module hook that records every module the process loads (Node's synchronous hooks).
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); } });\n`,
    );
    const run = runAction({ mode: 'dry-run', ...local }, {}, ['--import', hook]);
    expect(run.status).toBe(0);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(loaded.some((u) => u.endsWith('/dist/index.js'))).toBe(true);
    // The hook sees chunks: the code shared with the CLI is one, and it is loaded.
    expect(loaded.some((u) => u.includes('/dist/chunks/'))).toBe(true);
    const chunks = readdirSync(join(root, 'dist/chunks'));
    // Without a token the GitHub client (Octokit, and undici in its own chunk) is not loaded either.
    // Nor the zip reader (yauzl, zlib); and nothing that can start a process.
    const heavy = chunks.filter((c) => /^(artifact|cache|client|zip)-/.test(c));
    expect(heavy.length).toBeGreaterThanOrEqual(4);
    for (const chunk of heavy) expect(loaded.some((u) => u.endsWith(`/dist/chunks/${chunk}`)), chunk).toBe(false);
    expect(loaded.filter((u) => /^node:(https?|tls|net|zlib|child_process)$/.test(u))).toEqual([]);
  });

  it('the same inputs give the same plan digest as the CLI', () => {
    const a = runAction({ mode: 'dry-run', ...local });
    const b = runAction({ mode: 'dry-run', ...local });
    expect(a.outputs['plan-digest']).toBe(b.outputs['plan-digest']);
  });

  it('defaults to dry-run when no mode is given', () => {
    const run = runAction(local);
    expect(run.outputs.decision).toBe('dry-run');
  });

  it('live on assumed facts is blocked and fails the step', () => {
    const run = runAction({ mode: 'live', ...local });
    expect(run.status).toBe(1);
    expect(run.outputs.decision).toBe('blocked');
    const codes = (JSON.parse(run.outputs.blockers!) as { code: string }[]).map((b) => b.code);
    expect(codes).toContain('API_FAILED');
  });

  it('missing inputs end in structured blockers, never an exception', () => {
    const run = runAction({ mode: 'live', 'fail-on-blocked': 'false' });
    expect(run.status).toBe(0);
    expect(run.outputs.decision).toBe('blocked');
    const codes = (JSON.parse(run.outputs.blockers!) as { code: string }[]).map((b) => b.code);
    expect(codes).toEqual(expect.arrayContaining(['CONFIG_MISSING', 'ENVELOPE_MISSING', 'EVIDENCE_MISSING']));
    expect(run.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.js:\d+/);
  });

  it('mode off plans nothing', () => {
    const run = runAction({ mode: 'off', ...local });
    expect(run.outputs.decision).toBe('off');
    expect(JSON.parse(run.outputs.plan!)).toEqual([]);
    expect((JSON.parse(run.outputs.blockers!) as { code: string }[])[0]!.code).toBe('MODE_OFF');
  });

  it('an invalid mode input blocks instead of being guessed', () => {
    const run = runAction({ mode: 'LIVE!', ...local, 'fail-on-blocked': 'false' });
    const blockers = JSON.parse(run.outputs.blockers!) as { code: string; subject?: string }[];
    expect(blockers).toContainEqual(expect.objectContaining({ code: 'CONFIG_INVALID', subject: 'input:mode' }));
    expect(run.outputs.decision).toBe('dry-run');
  });

  it('a token-shaped string in agent text never reaches the log, outputs or summary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-secret-'));
    // Built at run time so the repository holds no token-shaped literal.
    const token = ['gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    const envelope = JSON.parse(readFileSync(join(examples, 'envelope.json'), 'utf8'));
    envelope.task.status = 'failed';
    envelope.task.exitReason = `crashed with GITHUB_TOKEN=${token}`;
    writeFileSync(join(dir, 'envelope.json'), JSON.stringify(envelope));
    const run = runAction({ mode: 'dry-run', ...local, 'envelope-path': join(dir, 'envelope.json') });
    expect(run.outputs.blockers).toContain('TASK_NOT_SUCCEEDED');
    for (const text of [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain(token);
    expect(run.outputs.blockers).toContain('[REDACTED:');
  });

  it('writes the run ledger under RUNNER_TEMP, authenticated with ledger-key, and the CLI verifies it', () => {
    const run = runAction({ mode: 'dry-run', ...local }, { GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY_ID: '4242', GITHUB_WORKFLOW: 'agent' });
    const path = run.outputs['ledger-path']!;
    expect(path).toMatch(/publish-gate-ledger-777-2\.jsonl$/);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'decision', decision: 'dry-run', run: { id: '777', attempt: 2, repository_id: 4242 } });
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.mac))).toBe(true);
    const verify = (env: Record<string, string>, ...args: string[]) =>
      spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'ledger', 'verify', path, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const ok = verify({ LK: local['ledger-key'] }, '--key-env', 'LK');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/authenticated/);
    expect(verify({ LK: 'another-key-0123456789' }, '--key-env', 'LK').status).toBe(1);
  });

  it('untrusted envelope text cannot form a workflow command in the log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-inject-'));
    const envelope = JSON.parse(readFileSync(join(examples, 'envelope.json'), 'utf8'));
    envelope.task.status = 'failed';
    envelope.task.exitReason = 'x\n::stop-commands::pwned\n##[error]forged\r::set-output name=decision::published';
    writeFileSync(join(dir, 'envelope.json'), JSON.stringify(envelope));
    const run = runAction({ mode: 'dry-run', ...local, 'envelope-path': join(dir, 'envelope.json') });
    const lines = run.stdout.split(/\r\n|\r|\n/);
    // Annotations may carry properties (`file=…,line=…`); @actions/core escapes `:` and `,` in them.
    expect(lines.filter((l) => l.startsWith('::')).every((l) => /^::(add-mask|group|endgroup|warning|error|notice|debug)(?: [a-zA-Z]+=[^:,\r\n]*(?:,[a-zA-Z]+=[^:,\r\n]*)*)?::/.test(l))).toBe(true);
    expect(run.stdout).not.toContain('::stop-commands::');
    expect(run.stdout).not.toContain('##[error]');
    expect(run.outputs.decision).toBe('dry-run');
  });

  it("the yaml library's token logging (LOG_TOKENS, LOG_STREAM in the job's environment) cannot print the policy", () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-logtokens-'));
    const policy = `${readFileSync(join(examples, 'publish-gate.yml'), 'utf8')}# ##[error]forged from the policy\n`;
    writeFileSync(join(dir, 'publish-gate.yml'), policy);
    const run = runAction({ mode: 'dry-run', ...local, 'config-path': join(dir, 'publish-gate.yml') }, { LOG_TOKENS: '1', LOG_STREAM: '1' });
    expect(run.status).toBe(0);
    expect(run.outputs.decision).toBe('dry-run');
    expect(`${run.stdout}${run.stderr}`).not.toContain('##[error]forged');
  });
});
