import { isAbsolute, join, resolve } from 'node:path';
import * as v from 'valibot';
import { Limits } from './contract/limits.js';
import { envelopeFromText, evidenceFromText, policyFromText } from './contract/documents.js';
import type { Evidence } from './contract/evidence.js';
import type { Policy } from './contract/policy.js';
import { Outputs } from './constants.js';
import { ContentPipeline } from './content/pipeline.js';
import { assumedFacts } from './decide/assumed.js';
import { type Blocker, type LoadFailureCode, type Loaded, blocker } from './decide/blockers.js';
import { type Decision, type Plan, decide } from './decide/decide.js';
import { tokenIdentity } from './github/identity.js';
import { MemoryJournal, type WriteJournal, type WriteRecord, executePlan } from './github/writer.js';
import { LedgerRun } from './ledger/record.js';
import { RunLedger } from './ledger/runLedger.js';
import type { EnvelopeDocument } from './decide/submission.js';
import type { Deps } from './deps.js';
import { SafeOutput } from './report/output.js';
import { blockersOutput, planOutput, renderSummary, renderText } from './report/render.js';
import { type Settings, readSettings } from './settings.js';

export interface RunResult {
  plan: Plan;
  /** Exit code for the entry point: 1 when the step fails. */
  exitCode: 0 | 1;
}

type Parse<T> = (text: string, fileName: string, source: 'file') => Loaded<T>;

async function fromFile<T>(deps: Deps, path: string, maxBytes: number, missing: LoadFailureCode, invalid: LoadFailureCode, parse: Parse<T>): Promise<Loaded<T>> {
  const base = deps.env.GITHUB_WORKSPACE ?? process.cwd();
  const full = isAbsolute(path) ? path : resolve(base, path);
  const read = await deps.readFile(full, maxBytes);
  if (!read.ok) return { status: 'failed', code: read.reason === 'missing' ? missing : invalid, message: read.message };
  return parse(read.text, path, 'file');
}

/** Load: local `*-path` files when given (recorded as `source: file`), else the configured sources. */
async function load(deps: Deps, settings: Settings) {
  const { sources } = deps;
  const [policy, envelope, evidence] = await Promise.all([
    settings.configPath
      ? fromFile<Policy>(deps, settings.configPath, Limits.policyBytes, 'CONFIG_MISSING', 'CONFIG_INVALID', policyFromText)
      : sources.policy(settings),
    settings.envelopePath
      ? fromFile<EnvelopeDocument>(deps, settings.envelopePath, Limits.envelopeBytes, 'ENVELOPE_MISSING', 'ENVELOPE_INVALID', envelopeFromText)
      : sources.envelope(settings),
    settings.evidencePath
      ? fromFile<Evidence>(deps, settings.evidencePath, Limits.evidenceBytes, 'EVIDENCE_MISSING', 'EVIDENCE_INVALID', evidenceFromText)
      : sources.evidence(settings),
  ]);
  return { policy, envelope, evidence };
}

function setOutputs(out: SafeOutput, plan: Plan, decision: Decision, records: readonly WriteRecord[]): void {
  const find = (kind: string) => records.find((r) => r.kind === kind && (r.status === 'done' || r.status === 'unchanged'));
  out.output(Outputs.Decision, decision);
  out.output(Outputs.Blockers, blockersOutput(plan.blockers));
  out.output(Outputs.Plan, planOutput(plan));
  out.output(Outputs.PlanDigest, plan.digest);
  out.output(
    Outputs.Writes,
    records.map(({ kind, key, status, url, id }) => ({ kind, key, status, ...(url ? { url } : {}), ...(id !== undefined ? { id } : {}) })),
  );
  out.output(Outputs.PrNumber, plan.pullRequest ? String(plan.pullRequest.number) : '');
  out.output(Outputs.PrUrl, plan.pullRequest?.url ?? '');
  out.output(Outputs.CommentUrl, find('comment')?.url ?? '');
  out.output(Outputs.CheckRunId, String(find('check-run')?.id ?? ''));
  out.output(Outputs.LedgerPersisted, 'false');
}

/**
 * The run's ledger under RUNNER_TEMP, named as SPEC §10 names the artifact. It needs the run's
 * identity from the runner (GITHUB_RUN_ID, GITHUB_REPOSITORY, GITHUB_REPOSITORY_ID); without it
 * (a local run) there is no ledger and the run says so.
 */
function openLedger(deps: Deps, settings: Settings, out: SafeOutput): RunLedger | undefined {
  const { env } = deps;
  const repositoryId = Number(env.GITHUB_REPOSITORY_ID);
  const runId = env.GITHUB_RUN_ID ?? '';
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1');
  const run = { id: runId, attempt, repository: env.GITHUB_REPOSITORY ?? '', repository_id: repositoryId, workflow: env.GITHUB_WORKFLOW || 'unknown', actor: env.GITHUB_ACTOR || 'unknown' };
  if (!env.RUNNER_TEMP || !v.is(LedgerRun, run)) {
    out.warning('No ledger was written: RUNNER_TEMP, GITHUB_RUN_ID, GITHUB_REPOSITORY or GITHUB_REPOSITORY_ID is missing.');
    return undefined;
  }
  if (!settings.ledgerKey) out.warning('No ledger-key: ledger records and markers are hash-chained but not authenticated.');
  return new RunLedger(join(env.RUNNER_TEMP, `publish-gate-ledger-${run.id}-${run.attempt}.jsonl`), run, settings.ledgerKey, deps.now);
}

/** After the writes: `failed` when one failed, `noop` when every write found its content already there. */
function finalDecision(plan: Plan, records: readonly WriteRecord[], failed: boolean): Decision {
  if (plan.decision !== 'published') return plan.decision;
  if (failed) return 'failed';
  return records.length > 0 && records.every((r) => r.status === 'unchanged') ? 'noop' : 'published';
}

/** Execute: only a live plan that allows writes opens the firewall's write gate, and only for these writes. */
async function execute(deps: Deps, settings: Settings, plan: Plan, content: ContentPipeline, out: SafeOutput, journal: WriteJournal) {
  const client = deps.github?.client(settings);
  if (plan.decision !== 'published' || !client || !deps.github) return { records: [] as WriteRecord[], failed: false };
  const repository = deps.env.GITHUB_REPOSITORY ?? '';
  deps.github.writes.allowed = true;
  try {
    const result = await executePlan({
      client,
      repository,
      plan,
      content,
      journal,
      identity: tokenIdentity(client, settings.token),
      ...(deps.github.lookups ? { lookups: deps.github.lookups } : {}),
      ...(settings.ledgerKey ? { ledgerKey: settings.ledgerKey } : {}),
    });
    for (const r of result.records) out.info(`${r.kind} ${r.key}: ${r.status}${r.url ? ` ${r.url}` : ''}${r.note ? ` (${r.note})` : ''}${r.error ? ` ${r.error.code}: ${r.error.message}` : ''}`);
    return result;
  } finally {
    deps.github.writes.allowed = false;
  }
}

/** The pipeline: settings, load, validate, gather live facts, decide, execute, record, report, outputs. */
export async function run(deps: Deps): Promise<RunResult> {
  const { io } = deps;
  const { settings, issues } = readSettings((name) => io.getInput(name));
  const secrets = [settings.token, settings.ledgerKey].filter((s): s is string => Boolean(s));
  for (const secret of secrets) io.setSecret(secret);
  // From here on, every byte for the runner passes the content pipeline.
  const content = new ContentPipeline(deps.createRedactor(secrets));
  const out = new SafeOutput(io, content);
  try {
    return await pipeline(deps, settings, issues, out, content);
  } finally {
    await out.flush();
  }
}

async function pipeline(deps: Deps, settings: Settings, issues: Blocker[], out: SafeOutput, base: ContentPipeline): Promise<RunResult> {
  out.group('Load');
  const loaded = await load(deps, settings);
  if (settings.configPath)
    out.warning('The policy was read from config-path, a file the workflow names, not from the trusted ref. A checked-out tree can be controlled by the change under review.');
  for (const [what, doc] of Object.entries(loaded)) out.info(`${what}: ${doc.status === 'ok' ? `read (${doc.source})` : `${doc.code}: ${doc.message}`}`);
  out.endGroup();

  out.group('Gather live facts');
  const envelope = loaded.envelope.status === 'ok' && loaded.envelope.value.format === 'envelope' ? loaded.envelope.value.envelope : undefined;
  const fallback = assumedFacts(envelope, loaded.evidence.status === 'ok' ? loaded.evidence.value : undefined, loaded.policy.status === 'ok' ? loaded.policy.value : undefined, {
    ...(deps.env.GITHUB_REPOSITORY ? { repository: deps.env.GITHUB_REPOSITORY } : {}),
    ...(deps.env.GITHUB_EVENT_NAME ? { event: deps.env.GITHUB_EVENT_NAME } : {}),
    ...(deps.env.GITHUB_ACTOR ? { actor: deps.env.GITHUB_ACTOR } : {}),
  });
  const facts = await deps.sources.facts(settings, { envelope, policy: loaded.policy.status === 'ok' ? loaded.policy.value : undefined, fallback });
  // The offline CLI may evaluate assumed facts in any mode; the action never writes on them.
  if (facts.status === 'ok' && facts.value.origin !== 'live' && settings.mode === 'live')
    issues.push(blocker('API_FAILED', 'live GitHub facts were not read; a live run never acts on assumed facts', 'facts'));
  out.info(facts.status === 'ok' ? `facts: ${facts.value.origin}` : `facts: ${facts.code}: ${facts.message}`);
  if (facts.status === 'ok' && facts.value.origin !== 'live')
    out.warning('Live GitHub facts were not read: this run evaluated facts assumed consistent with the envelope, and would refuse to write in live mode.');
  out.endGroup();

  out.group('Decide');
  const plan = decide({
    inputs: { mode: settings.mode, deny: settings.deny, config: settings.config, issues },
    ...loaded,
    facts,
    published: { trust: 'absent', epochs: [], writes: {} },
    now: deps.now().toISOString(),
  });
  out.info(renderText(plan, { factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable' }).trimEnd());
  out.endGroup();

  out.group('Execute');
  const policy = loaded.policy.status === 'ok' ? loaded.policy.value : undefined;
  // Bodies follow the policy's content rules; until one is read, the strict defaults.
  const content = policy ? base.withMarkdownPolicy({ allowedMentions: policy.content['allowed-mentions'], allowedDomains: policy.content['allowed-domains'] }) : base;
  const ledger = openLedger(deps, settings, out);
  const { records, failed } = await execute(deps, settings, plan, content, out, ledger ?? new MemoryJournal());
  const decision = finalDecision(plan, records, failed);
  ledger?.decision(plan, decision);
  out.endGroup();

  setOutputs(out, plan, decision, records);
  out.output(Outputs.LedgerPath, ledger?.path ?? '');
  // In a dry run blockers say what would stop a live run: warnings, not errors.
  for (const b of plan.blockers) (plan.decision === 'dry-run' ? out.warning : out.error).call(out, `${b.code}: ${b.message}`);
  for (const r of records.filter((r) => r.error)) out.error(`${r.error!.code}: ${r.error!.message}`);
  out.summary(renderSummary({ ...plan, decision }));

  const failing = decision === 'blocked' || decision === 'failed';
  if (failing && settings.failOnBlocked) {
    out.failed(`Publish Gate decision: ${decision}`);
    return { plan, exitCode: 1 };
  }
  return { plan, exitCode: 0 };
}
