/**
 * Shared by ledger.e2e.test.ts and scripts/bench-api.ts: the built bundle (`dist/index.js`) run in
 * live mode as the runner runs it, with the envelope and evidence read from another run's workflow
 * artifacts and the ledger restored and stored through the bundled `@actions/artifact` and
 * `@actions/cache`, against a loopback fake GitHub, a loopback results service (blobs in Azurite)
 * and one API front for both (see ledger.e2e.test.ts for the whole picture).
 *
 * No assertions here: callers check what they need.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnStep } from '../harness.js';
import type { AzuriteHandle } from '../integration/azurite.js';
import { type ResultsService, type StoredArtifact, actionsEnv, startResultsService } from '../integration/resultsService.js';
import { yazlZip } from '../zips.js';
import { type ApiRouter, startApiRouter } from './apiRouter.js';
import { type FakeGitHub, type FakeState, type RecordedRequest, startFakeGitHub } from './fakeGitHub.js';
import { HEAD, HEAD_REF, initialState as exampleState, root } from './run.js';

export const BUNDLE = join(root, 'dist/index.js');
export const REPOSITORY_ID = 4242;
export const TOKEN = 'ghs_e2eLedgerTokenValue0123456789';
export const LEDGER_KEY = 'ledger-key-for-ledger-e2e-0123456789abcdef';
/** Ledger cache keys of PR 42 start with this. */
export const PREFIX = `publish-gate-ledger-v1-${REPOSITORY_ID}-pr-42-`;
/** The agent run whose artifacts a publishing run reads, unless told otherwise. */
export const AGENT_RUN = 800_001;

/** Same repository, PR and policy as action.e2e.test.ts; approvals are given per publishing run. */
export const initialState = (): FakeState => ({ ...exampleState(), approvals: {} });

export interface Docs {
  envelope: string;
  evidence: string;
}

export interface World {
  gh: FakeGitHub;
  service: ResultsService;
  router: ApiRouter;
  /** RUNNER_TEMP of every run of this scenario (emptied before each run). */
  runnerTemp: string;
  /** Holds RUNNER_TEMP and the event payloads. */
  dir: string;
}

/** The agent's upload: `agent-result` (envelope.json) and `gate-evidence` (evidence.json) as artifacts of run `runId`. */
export async function seedAgentRun(service: ResultsService, runId: number, docs: Docs): Promise<{ envelope: StoredArtifact; evidence: StoredArtifact }> {
  const run = { runId, headSha: HEAD };
  return {
    envelope: await service.seedArtifact({ name: 'agent-result', bytes: await yazlZip({ 'envelope.json': docs.envelope }), run }),
    evidence: await service.seedArtifact({ name: 'gate-evidence', bytes: await yazlZip({ 'evidence.json': docs.evidence }), run }),
  };
}

/**
 * Makes `runId` the run the service's runtime token belongs to, keeping the artifacts earlier runs
 * uploaded under their own run ids (the service stores the current run by reference).
 */
export function beginRun(service: ResultsService, runId: number): void {
  if (service.run.runId === runId) return;
  for (const a of service.artifacts) if (a.run === service.run) a.run = { ...service.run };
  service.run.runId = runId;
}

export interface Step {
  code: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  decision: string;
  writes: { kind: string; key: string; status: string; url?: string; id?: number }[];
  blockers: { code: string; message: string; subject?: string }[];
  /** The ledger file (`ledger-path`), read before RUNNER_TEMP is emptied. */
  ledger: string;
  /** Requests of this run at the fake GitHub (reads = GET). */
  reads: number;
  ghWrites: string[];
  /** Every request of this run at the fake GitHub, in order. */
  requests: RecordedRequest[];
  ms: number;
}

export interface PublishOptions {
  agentRun?: number;
  attempt?: number;
  key?: boolean;
  inputs?: Record<string, string>;
}

/** One publishing run: `workflow_run` event for `agentRun`, approved, artifacts read, ledger restored and stored. */
export async function publish(w: World, runId: number, options: PublishOptions = {}): Promise<Step> {
  beginRun(w.service, runId);
  w.gh.state.approvals[String(runId)] = [{ state: 'approved', user: 'security-lead', environments: ['agent-publish'] }];
  rmSync(w.runnerTemp, { recursive: true, force: true });
  mkdirSync(w.runnerTemp, { recursive: true });
  const eventPath = join(w.dir, `event-${runId}.json`);
  writeFileSync(eventPath, JSON.stringify({ action: 'completed', workflow_run: { id: options.agentRun ?? AGENT_RUN, head_sha: HEAD, head_branch: HEAD_REF, event: 'pull_request' } }));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ...actionsEnv(w.service, { runnerTemp: w.runnerTemp, workspace: root, retentionDays: 90 }),
    // One API host: REST artifact routes to the results service, the rest to the fake GitHub.
    GITHUB_API_URL: w.router.url,
    GITHUB_REPOSITORY_ID: String(REPOSITORY_ID),
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: String(options.attempt ?? 1),
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTOR: 'octo-dev',
    GITHUB_WORKFLOW: 'publish',
  };
  const inputs: Record<string, string> = { mode: 'live', 'github-token': TOKEN, 'fail-on-blocked': 'false', ...(options.key ? { 'ledger-key': LEDGER_KEY } : {}), ...options.inputs };
  w.gh.resetLog();
  const step = await spawnStep(BUNDLE, env, inputs);
  const ledgerPath = step.outputs['ledger-path'] ?? '';
  return {
    code: step.code,
    stdout: step.stdout,
    summary: step.summary,
    outputs: step.outputs,
    decision: step.outputs.decision ?? '',
    writes: JSON.parse(step.outputs.writes ?? '[]'),
    blockers: JSON.parse(step.outputs.blockers ?? '[]'),
    ledger: ledgerPath && existsSync(ledgerPath) ? readFileSync(ledgerPath, 'utf8') : '',
    reads: w.gh.reads().length,
    ghWrites: w.gh.writes().map((r) => `${r.method} ${r.path}`),
    requests: [...w.gh.requests],
    ms: step.ms,
  };
}

/** A fresh world for one scenario (fake GitHub, results service on `azurite`, API router); `closeWorld` stops it. */
export async function openWorld(azurite: AzuriteHandle, state: FakeState = initialState()): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-ledger-e2e-'));
  const gh = await startFakeGitHub({ state, maxRequests: 300, lifetimeMs: 120_000 });
  const service = await startResultsService({ azurite, repositoryId: REPOSITORY_ID, restToken: TOKEN, run: { runId: 900_001, headSha: HEAD } });
  const router = await startApiRouter({ results: service.url, github: gh.url });
  return { gh, service, router, runnerTemp: join(dir, 'runner-temp'), dir };
}

export async function closeWorld(w: World): Promise<void> {
  await w.router.stop();
  await w.service.stop();
  await w.gh.stop();
  rmSync(w.dir, { recursive: true, force: true });
}
