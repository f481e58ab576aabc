/**
 * Shared by the end-to-end tests: the repository state and documents of the example (`examples/`), and
 * a run of the bundled action (`dist/index.js`) as the runner runs it, against a loopback fake GitHub.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { readOutputs, runnerFiles } from '../harness.js';
import { BOT, type FakeGitHub, type FakeState, startFakeGitHub } from './fakeGitHub.js';

export const root = resolve(import.meta.dirname, '../..');
export const examples = join(root, 'examples');
export const RUN_ID = '777001';
export const HEAD = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
export const BASE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';
export const MOVED = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
export const HEAD_REF = 'feature/search-filters';
export const POLICY_PATH = '.github/publish-gate.yml';
export const LEDGER_KEY = 'ledger-key-for-e2e-0123456789abcdef';

export const patch = (start: number, count: number) => `@@ -${start},${Math.max(1, count - 3)} +${start},${count} @@\n+changed line`;

export function initialState(): FakeState {
  return {
    owner: 'octo',
    repo: 'app',
    defaultBranch: 'main',
    contents: { [POLICY_PATH]: readFileSync(join(examples, 'publish-gate.yml'), 'utf8') },
    branches: { main: BASE, [HEAD_REF]: HEAD },
    pr: {
      number: 42,
      state: 'open',
      draft: false,
      title: 'Search filters',
      body: null,
      author: 'octo-dev',
      headRef: HEAD_REF,
      headSha: HEAD,
      baseRef: 'main',
      baseSha: BASE,
      commitShas: [HEAD],
    },
    files: [
      { filename: 'src/db/search.ts', status: 'modified', patch: patch(35, 26) },
      { filename: 'src/api/client.ts', status: 'modified', patch: patch(80, 21) },
      { filename: 'src/search/filters.ts', status: 'added', patch: patch(1, 45) },
      { filename: 'test/search.test.ts', status: 'added', patch: patch(1, 30) },
    ],
    commits: [{ sha: HEAD, author: 'octo-dev', committer: 'octo-dev' }],
    checkRuns: [
      {
        id: 901,
        name: 'ci / test',
        head_sha: HEAD,
        external_id: null,
        status: 'completed',
        conclusion: 'success',
        html_url: 'https://github.com/octo/app/runs/901',
        output: { title: 'tests', summary: 'ok', text: null, annotations_count: 0 },
      },
    ],
    approvals: { [RUN_ID]: [{ state: 'approved', user: 'security-lead', environments: ['agent-publish'] }] },
    environments: { 'agent-publish': { protection_rules: [{ type: 'required_reviewers', prevent_self_review: true }], can_admins_bypass: false } },
    comments: [],
    reviews: [],
    statuses: [],
    labels: [],
  };
}

/** The example envelope and evidence as text, with fresh gate times (the action uses the real clock), an optional other epoch, and a mutation of the envelope. */
export function documentTexts(options: { epoch?: string; mutate?: (envelope: Record<string, any>) => void } = {}): { envelope: string; evidence: string } {
  const envelope = JSON.parse(readFileSync(join(examples, 'envelope.json'), 'utf8')) as Record<string, any>;
  const evidence = JSON.parse(readFileSync(join(examples, 'evidence.json'), 'utf8')) as Record<string, any>;
  if (options.epoch) envelope.epoch = evidence.epoch = options.epoch;
  options.mutate?.(envelope);
  const recent = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  for (const gate of evidence.gates as { completedAt: string }[]) gate.completedAt = recent;
  return { envelope: JSON.stringify(envelope), evidence: JSON.stringify(evidence) };
}

/** `documentTexts` written to files, as the `envelope-path` and `evidence-path` inputs. */
export function documents(mutate: (envelope: Record<string, any>) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pg-e2e-docs-'));
  const { envelope, evidence } = documentTexts({ mutate });
  writeFileSync(join(dir, 'envelope.json'), envelope);
  writeFileSync(join(dir, 'evidence.json'), evidence);
  return { 'envelope-path': join(dir, 'envelope.json'), 'evidence-path': join(dir, 'evidence.json') };
}

export const ours = <T extends { user: { login: string } }>(items: T[]) => items.filter((i) => i.user.login === BOT);

/** Exactly one of each object the example publishes. */
export function expectOneOfEach(gh: FakeGitHub) {
  const s = gh.state;
  expect(ours(s.comments)).toHaveLength(1);
  expect(ours(s.reviews)).toHaveLength(1);
  expect(s.checkRuns.filter((r) => r.name === 'publish-gate')).toHaveLength(1);
  expect(s.labels).toEqual(['agent-reviewed']);
}

export interface ActionRun {
  code: number | null;
  /** The signal that ended the process, when one did (a kill). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  decision: string;
  writes: { kind: string; key: string; status: string; url?: string; id?: number }[];
  blockers: { code: string; message: string; subject?: string }[];
  /** RUNNER_TEMP of the run: the ledger file lives there. */
  dir: string;
  ms: number;
}

export interface RunOptions {
  /** Killed after this long (default 45 s). */
  timeoutMs?: number;
  /** Handed the child process, e.g. to kill it at a chosen moment. */
  onChild?: (child: ChildProcess) => void;
  /** More runner variables (GITHUB_EVENT_PATH, say), over the defaults. */
  env?: Record<string, string>;
}

/** Runs the bundle as a child process (asynchronously: the fake server lives in this process). */
export async function runAction(gh: FakeGitHub, docs: Record<string, string>, extraInputs: Record<string, string> = {}, options: RunOptions = {}): Promise<ActionRun> {
  const { dir, outputFile, summaryFile } = runnerFiles('pg-e2e-run-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_REPOSITORY_ID: '4242',
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_ACTOR: 'octo-dev',
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: dir,
    // No proxy may divert the loopback requests.
    NO_PROXY: '*',
    ...options.env,
  };
  const inputs = { mode: 'live', 'github-token': 'ghs_e2eTokenValue0123456789', 'fail-on-blocked': 'false', ...docs, ...extraInputs };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, 'dist/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  options.onChild?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, sig) => done([c, sig])));
  clearTimeout(timer);
  const outputs = readOutputs(outputFile);
  return {
    code,
    signal,
    dir,
    ms: Date.now() - started,
    stdout,
    stderr,
    outputs,
    decision: outputs.decision ?? '',
    writes: JSON.parse(outputs.writes ?? '[]'),
    blockers: JSON.parse(outputs.blockers ?? '[]'),
  };
}

/** A fresh fake GitHub for one scenario, stopped afterwards whatever happens. */
export async function withGitHub(body: (gh: FakeGitHub) => Promise<void>, state: FakeState = initialState()): Promise<void> {
  const gh = await startFakeGitHub({ state, maxRequests: 300, lifetimeMs: 90_000 });
  try {
    await body(gh);
    expect(gh.unexpected, gh.log().join('\n')).toEqual([]);
  } finally {
    await gh.stop();
  }
}

export const codes = (run: ActionRun) => run.blockers.map((b) => b.code);
