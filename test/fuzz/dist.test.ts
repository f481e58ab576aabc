import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outputs } from '../../src/constants.js';
import { type FakeGitHub, type FakeState, startFakeGitHub } from '../e2e/fakeGitHub.js';
import { type ActionRun, POLICY_PATH, RUN_ID, documentTexts, initialState, root, runAction } from '../e2e/run.js';
import { spawnStep } from '../harness.js';
import {
  EXAMPLES,
  HANG_BUDGET,
  HANG_TEST_MS,
  LEDGER_KEY,
  SECRETS,
  TOKEN,
  anyCodeUnit,
  commandIn,
  deepJsonText,
  documents as hostileDocuments,
  hostileJsonValue,
  hostileText,
  seededEnvelope,
  within,
} from './arbitraries.js';

/**
 * Issue 8, bad input, against the BUILT bundle: `dist/index.js` spawned as the runner spawns it
 * (INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, the event payload file), live or dry
 * run, against the loopback fake GitHub (`../e2e/fakeGitHub.ts`), on the documents `run.test.ts`
 * fuzzes in-process (hostile or secret-carrying envelope, evidence and policy, from files or the API)
 * and on hostile event payloads. For every case: exit 0 or 1 (no signal, no other code) within the
 * per-case limit, every output of SPEC §3 set and `decision` one of its values, no write request when
 * the decision is `blocked` or the run is a dry run (nor when nothing was published), no planted
 * secret in stdout, stderr, the outputs or the step summary, and no line a workflow command formed by
 * untrusted text.
 *
 * A child process per case (~0.7 s; ~4.7 s for one that publishes, the client spacing its writes),
 * so few cases: RUNS × BATCH per property, a batch spawned at once, the three properties concurrent. FUZZ_SEED replays.
 */

const RUNS = { hostile: 12, publishing: 6, event: 8 } as const;
/** Cases spawned together per fast-check run: a case per child, RUNS × BATCH cases per property. */
const BATCH = { hostile: 3, publishing: 5, event: 4 } as const;
/** One run's limit: runAction / spawnStep kill the child (SIGKILL) after it, which fails the case as a hang. */
const PER_CASE_MS = 30_000;
const DECISIONS = ['published', 'noop', 'dry-run', 'blocked', 'failed', 'off'];

const temp = mkdtempSync(join(tmpdir(), 'pg-fuzz-dist-'));
let n = 0;
const decisions: Record<string, number> = {};

beforeAll(async () => {
  // Another engineer may be rebuilding dist/: wait for the bundle rather than fail on a missing file.
  for (let i = 0; i < 12 && !existsSync(join(root, 'dist/index.js')); i++) await new Promise((r) => setTimeout(r, 10_000));
  expect(existsSync(join(root, 'dist/index.js')), 'dist/index.js is missing (being rebuilt?)').toBe(true);
}, HANG_TEST_MS);
afterAll(() => {
  rmSync(temp, { recursive: true, force: true });
  if (process.env.FUZZ_STATS) console.log(`dist fuzz: ${n} runs, decisions ${JSON.stringify(decisions)}`);
});

/** A fresh directory for one case's files (cases of a batch run at once). */
const caseDir = () => mkdtempSync(join(temp, 'case-'));
function file(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/**
 * `k` cases at a time: a publishing run spends ~4 s waiting (the client spaces its writes), so the
 * cases of one fast-check run are spawned together; every case has finished before the next run.
 */
const batch = <T>(arb: fc.Arbitrary<T>, k: number) => fc.array(arb, { minLength: k, maxLength: k });
async function all<T>(cases: readonly T[], body: (c: T) => Promise<void>): Promise<void> {
  const settled = await Promise.allSettled(cases.map(body));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The fixed blocker message of an exception caught at the top of the action (src/main.ts). */
const UNEXPECTED = 'unexpected error; the step log has the details';

/** The fake repository with the PR, head and check run of example profile `i` (the top-level example's state otherwise). */
function stateFor(i: number): FakeState {
  const state = initialState();
  const target = JSON.parse(EXAMPLES.envelope[i]!).target as { pullRequest?: number; headRef: string; headSha: string };
  if (target.pullRequest !== undefined && target.headSha !== state.pr.headSha) {
    state.pr = { ...state.pr, number: target.pullRequest, headRef: target.headRef, headSha: target.headSha, commitShas: [target.headSha] };
    state.branches[target.headRef] = target.headSha;
    state.commits = [{ sha: target.headSha, author: 'octo-dev', committer: 'octo-dev' }];
    for (const run of state.checkRuns) run.head_sha = target.headSha;
  }
  return state;
}

/** Evidence whose gates completed a few minutes ago (the bundle uses the real clock), also inside mutated text. */
const freshGates = (evidence: string) => evidence.replace(/("completedAt"\s*:\s*")\d{4}-\d\d-\d\dT[\d:.]+Z"/g, `$1${new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z')}"`);

/** The action's own workflow commands, as @actions/core writes them (properties escaped: no `:` inside). */
const OWN_COMMAND = /^::(?:add-mask|debug|notice|warning|error|group|endgroup)(?: [^\r\n:]*)?::/;

/** The first line of a stream the runner would act on as a command formed by untrusted text, if any. */
function forgedCommand(stream: string): string | undefined {
  for (const line of stream.split(/\r\n|\r|\n/)) {
    const own = OWN_COMMAND.exec(line);
    if (own) {
      // Inside one of the action's commands, the payload must not carry one of its own (`##[`, a leading `::`).
      const inner = commandIn(line.slice(own[0].length));
      if (inner !== undefined) return line.slice(0, 120);
    } else if (commandIn(line) !== undefined) return line.slice(0, 120);
  }
  return undefined;
}

/** Where a planted secret appears in clear text, if anywhere (the `::add-mask::` registration of the secret itself aside). */
function leak(where: string, text: string, secrets: readonly string[]): string | undefined {
  const lines = where === 'stdout' || where === 'stderr' ? text.split('\n').filter((l) => !secrets.some((s) => l === `::add-mask::${s}`)) : [text];
  for (const line of lines)
    for (const secret of secrets) {
      const at = line.indexOf(secret);
      if (at >= 0) return `${where} prints the secret ${secret.slice(0, 8)}…: ${JSON.stringify(line.slice(Math.max(0, at - 120), at + secret.length + 60))}`;
    }
  return undefined;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

/**
 * Every invariant of one bundle run. `planted`: the secrets the inputs registered (the ledger key only
 * when passed). An exception caught at the top of the action (blocked, API_FAILED, exit 1) counts as
 * the action throwing.
 */
function check(run: Outcome, gh: FakeGitHub, mode: string, planted: readonly string[]): string {
  const context = () => `exit ${run.code} signal ${run.signal} after ${run.ms} ms\n--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-2000)}\n--- requests\n${gh.log().join('\n')}`;
  expect(run.signal, `killed (a hang past ${PER_CASE_MS} ms, or a crash)\n${context()}`).toBeNull();
  expect([0, 1], `exit code\n${context()}`).toContain(run.code);
  for (const name of Object.values(Outputs)) expect(run.outputs, `output ${name} is not set\n${context()}`).toHaveProperty([name]);
  const decision = run.outputs[Outputs.Decision]!;
  expect(DECISIONS, `decision\n${context()}`).toContain(decision);
  const threw = (run.outputs[Outputs.Blockers] ?? '').includes(UNEXPECTED);
  expect(threw, `the action threw (caught at the top)\n${context()}`).toBe(false);
  const key = threw ? 'threw' : decision;
  decisions[key] = (decisions[key] ?? 0) + 1;

  const writes = gh.writes().map((r) => `${r.method} ${r.path} → ${r.status}`);
  if (decision === 'blocked' || mode === 'dry-run' || !['published', 'failed'].includes(decision)) expect(writes, `decision ${decision}, mode ${JSON.stringify(mode)}: write requests\n${context()}`).toEqual([]);
  // SPEC §3: dry-run is the only decision in dry-run mode (an exception caught at the top reports blocked).
  if (mode === 'dry-run' && !threw) expect(decision, context()).toBe('dry-run');

  const texts: [string, string][] = [['stdout', run.stdout], ['stderr', run.stderr], ['step summary', run.summary], ...Object.entries(run.outputs).map(([k, v]): [string, string] => [`output ${k}`, v])];
  for (const [where, text] of texts) {
    const leaked = leak(where, text, planted);
    expect(leaked, leaked).toBeUndefined();
  }
  for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    const forged = forgedCommand(text);
    expect(forged, `${where} carries a workflow command: ${JSON.stringify(forged)}`).toBeUndefined();
  }
  return decision;
}

/** runAction (../e2e/run.ts) on a fresh fake GitHub, with the step summary read and the run's directory removed. */
async function bundle(state: FakeState, inputs: Record<string, string>): Promise<{ run: Outcome; gh: FakeGitHub }> {
  n++;
  const gh = await startFakeGitHub({ state, maxRequests: 300, lifetimeMs: PER_CASE_MS + 30_000 });
  try {
    const run: ActionRun = await within(PER_CASE_MS + 10_000, 'dist/index.js', runAction(gh, {}, inputs, { timeoutMs: PER_CASE_MS }));
    const summaryFile = join(run.dir, 'summary');
    const summary = existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '';
    rmSync(run.dir, { recursive: true, force: true });
    return { run: { ...run, summary }, gh };
  } finally {
    await gh.stop();
  }
}

/** The step's inputs besides the documents; hostile ones now and then, some carrying the token. */
const stepInputs = fc.record({
  mode: fc.oneof({ weight: 5, arbitrary: fc.constant('live') }, { weight: 2, arbitrary: fc.constant('dry-run') }, { weight: 1, arbitrary: fc.constantFrom(`live ${TOKEN}`, '', 'off') }),
  failOnBlocked: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('true', 'false', '') }, { weight: 1, arbitrary: fc.constant(TOKEN) }),
  deny: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('', 'labels', 'comment, review, check-run') }, { weight: 1, arbitrary: fc.constant(`labels,${TOKEN}`) }),
  ledgerKey: fc.boolean(),
  /** The policy from a local file (`config-path`) or from the API (the fake's contents). */
  policyFrom: fc.constantFrom('file', 'api'),
  fresh: fc.boolean(),
});

/** Event payload files: workflow_run-shaped with any id, JSON of any shape, or not JSON at all. */
const eventPayload = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.oneof(fc.constantFrom(Number(RUN_ID), 1, 0, -1, 1.5, 2 ** 53, 1e308, RUN_ID, null, [], {}), fc.integer(), hostileJsonValue), hostileJsonValue).map(([id, extra]) => JSON.stringify({ workflow_run: { id, extra } })) },
  { weight: 1, arbitrary: fc.constantFrom('{"workflow_run":null}', '[]', 'null', '{"__proto__":{"workflow_run":{"id":7}}}', '{"workflow_run":{"id":1e400}}', '{"workflow_run":{"id":9007199254740993}}') },
  { weight: 1, arbitrary: hostileJsonValue.map((v) => JSON.stringify(v) ?? '') },
  { weight: 1, arbitrary: fc.oneof(fc.string({ unit: anyCodeUnit, maxLength: 300 }), hostileText(100), fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b).toString('latin1')), deepJsonText) },
);

describe.concurrent('fuzz: dist/index.js, spawned as the runner runs it (issue 8)', { timeout: HANG_TEST_MS }, () => {
  it(`hostile documents (files and API), live or dry run: exits 0/1, every output, no write when blocked, no secret, no command (${RUNS.hostile} × ${BATCH.hostile} runs)`, async () => {
    const one = fc.tuple(fc.integer({ min: 0, max: EXAMPLES.envelope.length - 1 }).chain((i) => fc.tuple(fc.constant(i), hostileDocuments)), stepInputs);
    await fc.assert(
      fc.asyncProperty(batch(one, BATCH.hostile), (cases) =>
        all(cases, async ([[i, [envelope, evidence, policy]], opts]) => {
          const dir = caseDir();
          const state = stateFor(i);
          if (opts.policyFrom === 'api') state.contents[POLICY_PATH] = policy;
          const inputs: Record<string, string> = {
            mode: opts.mode,
            'github-token': TOKEN,
            'fail-on-blocked': opts.failOnBlocked,
            deny: opts.deny,
            'envelope-path': file(dir, 'envelope.json', envelope),
            'evidence-path': file(dir, 'evidence.json', opts.fresh ? freshGates(evidence) : evidence),
            ...(opts.policyFrom === 'file' ? { 'config-path': file(dir, 'publish-gate.yml', policy) } : {}),
            ...(opts.ledgerKey ? { 'ledger-key': LEDGER_KEY } : {}),
          };
          const { run, gh } = await bundle(state, inputs);
          check(run, gh, opts.mode, opts.ledgerKey ? SECRETS : [TOKEN]);
        }),
      ),
      { numRuns: RUNS.hostile, ...HANG_BUDGET },
    );
  });

  it(`valid documents whose prose carries secrets, fresh evidence, the example's repository: plans that publish (${RUNS.publishing} × ${BATCH.publishing} runs)`, async () => {
    const { evidence } = documentTexts();
    let published = 0;
    const one = fc.tuple(seededEnvelope(0, false), fc.boolean(), fc.constantFrom('live', 'live', 'live', 'dry-run'));
    await fc.assert(
      fc.asyncProperty(batch(one, BATCH.publishing), (cases) =>
        all(cases, async ([envelope, ledgerKey, mode]) => {
          const dir = caseDir();
          const inputs: Record<string, string> = {
            mode,
            'github-token': TOKEN,
            'fail-on-blocked': 'true',
            'envelope-path': file(dir, 'envelope.json', envelope),
            'evidence-path': file(dir, 'evidence.json', evidence),
            ...(ledgerKey ? { 'ledger-key': LEDGER_KEY } : {}),
          };
          const { run, gh } = await bundle(initialState(), inputs);
          if (check(run, gh, mode, ledgerKey ? SECRETS : [TOKEN]) === 'published') published++;
        }),
      ),
      { numRuns: RUNS.publishing, ...HANG_BUDGET },
    );
    // The generator must reach the publishing path (bodies, review comments, the check run's text, the summary).
    expect(published).toBeGreaterThan((RUNS.publishing * BATCH.publishing) / 3);
  });

  it(`hostile event payloads (GITHUB_EVENT_PATH), valid documents, live or dry run (${RUNS.event} × ${BATCH.event} runs)`, async () => {
    const docs = documentTexts();
    const one = fc.tuple(eventPayload, fc.constantFrom('live', 'dry-run'), fc.constantFrom('workflow_run', 'workflow_run', 'pull_request'));
    await fc.assert(
      fc.asyncProperty(batch(one, BATCH.event), (cases) =>
        all(cases, async ([event, mode, eventName]) => {
          n++;
          const dir = caseDir();
          const runnerTemp = mkdtempSync(join(dir, 'runner-'));
          const gh = await startFakeGitHub({ state: initialState(), maxRequests: 300, lifetimeMs: PER_CASE_MS + 30_000 });
          try {
            // runAction's environment is fixed, so this property spawns through spawnStep with the same variables plus the event file.
            const env = {
              PATH: process.env.PATH ?? '',
              GITHUB_API_URL: gh.url,
              GITHUB_SERVER_URL: 'https://github.com',
              GITHUB_REPOSITORY: 'octo/app',
              GITHUB_RUN_ID: RUN_ID,
              GITHUB_REPOSITORY_ID: '4242',
              GITHUB_EVENT_NAME: eventName,
              GITHUB_EVENT_PATH: file(dir, 'event.json', event),
              GITHUB_ACTOR: 'octo-dev',
              GITHUB_WORKSPACE: root,
              RUNNER_TEMP: runnerTemp,
              NO_PROXY: '*',
            };
            const inputs = {
              mode,
              'github-token': TOKEN,
              'ledger-key': LEDGER_KEY,
              'fail-on-blocked': 'false',
              // One write (the check run) is enough to reach the write path; each write costs ~1 s of client spacing.
              deny: 'review, comment, labels',
              'envelope-path': file(dir, 'envelope.json', docs.envelope),
              'evidence-path': file(dir, 'evidence.json', docs.evidence),
            };
            const step = await within(PER_CASE_MS + 10_000, 'dist/index.js', spawnStep(join(root, 'dist/index.js'), env, inputs, PER_CASE_MS));
            // An event payload that is not JSON once made @actions/github throw on import (it parses the
            // file unguarded): the action now hides such a payload from the libraries.
            // spawnStep reports a kill as a null exit code.
            check({ ...step, signal: step.code === null ? 'SIGKILL' : null }, gh, mode, SECRETS);
          } finally {
            await gh.stop();
          }
        }),
      ),
      { numRuns: RUNS.event, ...HANG_BUDGET },
    );
  });
});
