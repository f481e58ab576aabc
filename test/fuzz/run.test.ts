import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeFromText, evidenceFromText, policyFromText } from '../../src/contract/documents.js';
import type { Loaded } from '../../src/decide/blockers.js';
import type { Facts } from '../../src/contract/facts.js';
import type { Sources } from '../../src/deps.js';
import { run } from '../../src/run.js';
import { type FakeIO, fakeDeps, fakeIO } from '../fakes.js';
import { EXAMPLES, LEDGER_KEY, SECRETS, TOKEN, commandIn, documents, seededEnvelope, within } from './arbitraries.js';

/**
 * Issue 8, bad input, end to end: `run()` in live mode on hostile documents, with a client-less GitHub
 * (no network). It never throws or hangs, never opens the write gate, never prints a registered secret,
 * and never lets a log line form a workflow command.
 */

const PER_CASE_MS = 20_000;

const temp = mkdtempSync(join(tmpdir(), 'pg-fuzz-run-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Where live facts come from: none (assumed, as offline), the fallback claimed live (so a plan can be published), or a failure naming a secret. */
const factsKind = fc.constantFrom('offline', 'live', 'live', 'live', 'failed');
const inputs = fc.record({
  mode: fc.oneof({ weight: 6, arbitrary: fc.constant('live') }, { weight: 1, arbitrary: fc.constantFrom('dry-run', `live ${TOKEN}`, '') }),
  failOnBlocked: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('true', 'false', '') }, { weight: 1, arbitrary: fc.constant(TOKEN) }),
  deny: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('', 'labels', 'comment, review, check-run') }, { weight: 1, arbitrary: fc.constant(`labels,${TOKEN}`) }),
  ledgerKey: fc.boolean(),
  runner: fc.boolean(),
  artifactNames: fc.oneof({ weight: 6, arbitrary: fc.constant('envelope.json') }, { weight: 1, arbitrary: fc.constantFrom('results.sarif', `agent-${TOKEN}.json`) }),
});

/** Every string the fake runner received, by where it went. */
function recorded(io: FakeIO): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const line of io.log) out.push({ where: 'log', text: line });
  for (const a of io.annotations) {
    out.push({ where: `${a.level} annotation`, text: a.message });
    for (const [k, value] of Object.entries(a.properties ?? {})) out.push({ where: `${a.level} annotation ${k}`, text: String(value) });
  }
  for (const [k, value] of Object.entries(io.outputs)) out.push({ where: `output ${k}`, text: value });
  for (const s of io.summaries) out.push({ where: 'summary', text: s });
  if (io.failed !== undefined) out.push({ where: 'setFailed', text: io.failed });
  return out;
}

/** The text the runner would see for one log entry: the fake frames annotations and groups as `::name::text`. */
function logPayload(line: string): string {
  const framed = /^::(?:notice|warning|error|group)::/.exec(line);
  if (framed) return line.slice(framed[0].length);
  if (line === '::endgroup::') return '';
  return line;
}

let ran = 0;
const decisions: Record<string, number> = {};

describe('fuzz: the whole pipeline, live mode, client-less GitHub (issue 8)', () => {
  afterAll(() => {
    if (process.env.FUZZ_STATS) console.log(`run fuzz: ${ran} runs, decisions ${JSON.stringify(decisions)}`);
  });

  it('never throws, never opens the write gate, never prints a secret or a workflow command', async () => {
    await fc.assert(
      fc.asyncProperty(documents, factsKind, inputs, async ([envelope, evidence, policy], facts, opts) => void (await checkRun(envelope, evidence, policy, facts, opts))),
      { numRuns: 300 },
    );
  }, 120_000);

  it('the same on valid documents whose prose carries secrets, with live facts: plans that publish', async () => {
    const clean = { mode: 'live', failOnBlocked: 'true', deny: '', ledgerKey: true, runner: true, artifactNames: 'envelope.json' };
    let published = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: EXAMPLES.envelope.length - 1 }).chain((i) => fc.tuple(fc.constant(i), seededEnvelope(i, false))),
        fc.boolean(),
        async ([i, envelope], ledgerKey) => {
          const decision = await checkRun(envelope, EXAMPLES.evidence[i]!, EXAMPLES.policy[i]!, 'live', { ...clean, ledgerKey });
          if (decision === 'published') published++;
        },
      ),
      { numRuns: 150 },
    );
    // The generator must reach the publishing path (bodies, review comments, check-run text in the summary).
    expect(published).toBeGreaterThan(30);
  }, 120_000);
});

type Options = { mode: string; failOnBlocked: string; deny: string; ledgerKey: boolean; runner: boolean; artifactNames: string };

/** One run on the given texts; checks every invariant and returns the plan's decision. */
async function checkRun(envelope: string, evidence: string, policy: string, facts: string, opts: Options): Promise<string> {
  const io = fakeIO({
    mode: opts.mode,
    'github-token': TOKEN,
    ...(opts.ledgerKey ? { 'ledger-key': LEDGER_KEY } : {}),
    'fail-on-blocked': opts.failOnBlocked,
    deny: opts.deny,
    envelope: opts.artifactNames,
  });
  // The write gate, watched: it must never be opened without a client (and nothing runs without one).
  let opened = false;
  let allowed = false;
  const writes = {
    get allowed() {
      return allowed;
    },
    set allowed(value: boolean) {
      if (value) opened = true;
      allowed = value;
    },
  };
  const sources: Partial<Sources> = {
    policy: async () => policyFromText(policy, '.github/publish-gate.yml', 'api'),
    envelope: async () => envelopeFromText(envelope, opts.artifactNames, 'artifact'),
    evidence: async () => evidenceFromText(evidence, 'evidence.json', 'artifact'),
    facts: async (_settings, { fallback }): Promise<Loaded<Facts>> =>
      facts === 'offline'
        ? { status: 'ok', value: fallback, source: 'assumed' }
        : facts === 'live'
          ? { status: 'ok', value: { ...fallback, origin: 'live' }, source: 'api' }
          : { status: 'failed', code: 'API_FAILED', message: `GET /repos failed: Bad credentials ${TOKEN}\n::error::forged ##[warning]x` },
  };
  const env = opts.runner
    ? { GITHUB_REPOSITORY: 'octo/app', GITHUB_REPOSITORY_ID: '4242', GITHUB_RUN_ID: String(1000 + ran), GITHUB_RUN_ATTEMPT: '1', RUNNER_TEMP: temp, GITHUB_EVENT_NAME: 'workflow_run', GITHUB_ACTOR: 'octo-dev' }
    : { GITHUB_REPOSITORY: 'octo/app', GITHUB_EVENT_NAME: 'workflow_run', GITHUB_ACTOR: 'octo-dev' };
  ran++;
  const result = await within(PER_CASE_MS, 'run()', run(fakeDeps(io, { env, sources, github: { client: async () => undefined, writes } })));
  decisions[result.plan.decision] = (decisions[result.plan.decision] ?? 0) + 1;
  if (process.env.FUZZ_STATS) for (const b of new Set(result.plan.blockers.map((b) => b.code))) decisions[b] = (decisions[b] ?? 0) + 1;

  expect(opened, 'the write gate was opened without a client').toBe(false);
  expect(writes.allowed).toBe(false);
  expect([0, 1]).toContain(result.exitCode);
  expect(io.outputs.writes).toBe('[]');
  expect(io.secrets).toContain(TOKEN);

  for (const { where, text } of recorded(io)) {
    for (const secret of SECRETS) if (opts.ledgerKey || secret === TOKEN) expect(text.includes(secret), `${where} prints the secret ${secret.slice(0, 8)}…: ${JSON.stringify(text.slice(Math.max(0, text.indexOf(secret) - 120), text.indexOf(secret) + 60))}`).toBe(false);
  }
  // Outputs go to $GITHUB_OUTPUT, not the log (they are JSON, so one line, but may quote agent text such as `##[`).
  for (const { where, text } of recorded(io).filter((r) => !r.where.startsWith('output'))) {
    const command = commandIn(where === 'log' ? logPayload(text) : text);
    expect(command, `${where} carries a workflow command: ${JSON.stringify(command)}`).toBeUndefined();
  }
  return result.plan.decision;
}
