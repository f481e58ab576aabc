import { isAbsolute, join, resolve } from 'node:path';
import * as v from 'valibot';
import { Limits } from './contract/limits.js';
import { envelopeFromText, evidenceFromText, policyFromText } from './contract/documents.js';
import type { Evidence } from './contract/evidence.js';
import type { Envelope } from './contract/envelope.js';
import type { Facts, PublishedState } from './contract/facts.js';
import type { Policy } from './contract/policy.js';
import { Outputs } from './constants.js';
import { ContentPipeline } from './content/pipeline.js';
import { assumedFacts } from './decide/assumed.js';
import { type ArtifactProvenance, type Blocker, type LoadFailureCode, type Loaded, blocker } from './decide/blockers.js';
import { type Decision, type Plan, decide } from './decide/decide.js';
import { epochsFromReviews, ownReviewKeys } from './github/epochs.js';
import { classifyApiError } from './github/errors.js';
import { tokenIdentity } from './github/identity.js';
import { MemoryJournal, type WriteJournal, type WriteRecord, executePlan } from './github/writer.js';
import { type LedgerPlace, type LedgerPorts, type RestoreForRun, persistForRun, restoreForRun } from './ledger/lifecycle.js';
import { type DecisionSources, type DocumentSource, LedgerRun } from './ledger/record.js';
import { type RestoredChain, RunLedger } from './ledger/runLedger.js';
import type { PersistResult } from './ledger/storage.js';
import type { EnvelopeDocument } from './decide/submission.js';
import type { Deps } from './deps.js';
import { SafeOutput } from './report/output.js';
import { type ApprovalView, blockersOutput, inlineFindings, planOutput, renderSummary, renderText } from './report/render.js';
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

/** An artifact's provenance for the log: which artifact of which run, the commit and repository that run built. */
function provenanceText(p: ArtifactProvenance | undefined): string {
  if (!p) return '';
  return ` artifact ${p.artifactId} of run ${p.runId}, ${p.digest}${p.headSha ? `, head ${p.headSha.slice(0, 12)}` : ''}${p.headRepositoryId !== undefined ? `, head repository id ${p.headRepositoryId}` : ''}`;
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
  // The PR the writes went to: the live one, else the one this run opened (or found) for its branch.
  const opened = find('pull-request');
  out.output(Outputs.PrNumber, plan.pullRequest ? String(plan.pullRequest.number) : opened?.id !== undefined ? String(opened.id) : '');
  out.output(Outputs.PrUrl, plan.pullRequest?.url ?? opened?.url ?? '');
  out.output(Outputs.CommentUrl, find('comment')?.url ?? '');
  out.output(Outputs.CheckRunId, String(find('check-run')?.id ?? ''));
}

/** The run's identity as the runner gives it (GITHUB_RUN_ID, GITHUB_REPOSITORY, GITHUB_REPOSITORY_ID, RUNNER_TEMP); undefined in a local run. */
function ledgerPlace(deps: Deps): (LedgerPlace & { run: LedgerRun }) | undefined {
  const { env } = deps;
  const run = {
    id: env.GITHUB_RUN_ID ?? '',
    attempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1'),
    repository: env.GITHUB_REPOSITORY ?? '',
    repository_id: Number(env.GITHUB_REPOSITORY_ID),
    workflow: env.GITHUB_WORKFLOW || 'unknown',
    actor: env.GITHUB_ACTOR || 'unknown',
  };
  if (!env.RUNNER_TEMP || !v.is(LedgerRun, run)) return undefined;
  return { run, repositoryId: run.repository_id, repository: run.repository, runId: run.id, attempt: run.attempt, tempDir: env.RUNNER_TEMP };
}

/**
 * The run's ledger under RUNNER_TEMP, named as SPEC §10 names the artifact, continuing a trusted
 * restored chain when there is one. Without the run's identity (a local run) there is no ledger and
 * the run says so.
 */
function openLedger(deps: Deps, settings: Settings, out: SafeOutput, place: ReturnType<typeof ledgerPlace>, restored: RestoredChain | undefined): RunLedger | undefined {
  if (!place) {
    out.warning('No ledger was written: RUNNER_TEMP, GITHUB_RUN_ID, GITHUB_REPOSITORY or GITHUB_REPOSITORY_ID is missing.');
    return undefined;
  }
  if (!settings.ledgerKey) out.warning('No ledger-key: ledger records and markers are hash-chained but not authenticated.');
  const { run } = place;
  return new RunLedger(join(place.tempDir, `publish-gate-ledger-${run.id}-${run.attempt}.jsonl`), run, settings.ledgerKey, deps.now, { restored });
}

type Restored = { ports: LedgerPorts; restored: RestoreForRun };

/** Restores the newest ledger of the target, when the runner's artifact and cache services can be reached. */
async function restore(deps: Deps, settings: Settings, out: SafeOutput, place: ReturnType<typeof ledgerPlace>, target: { pullRequest?: number | undefined; head?: string | undefined }): Promise<Restored | undefined> {
  const ports = await deps.github?.storage?.(settings);
  if (!place || !ports) {
    out.info('No earlier ledger restored: this run has no artifact and cache access (a token, GITHUB_RUN_ID and RUNNER_TEMP are needed).');
    return undefined;
  }
  try {
    const restored = await restoreForRun(ports, place, target, { key: settings.ledgerKey, now: deps.now() });
    (restored.untrusted ? out.warning : out.info).call(out, `${restored.untrusted ? 'LEDGER_UNTRUSTED: ' : ''}${restored.note}`);
    return { ports, restored };
  } catch (error) {
    // A name that cannot be formed (a bad run id) or a port that broke its promise: no ledger, said so.
    out.warning(`LEDGER_UNTRUSTED: the earlier ledger could not be restored: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * The published epochs are also reconciled from the action's own reviews on the PR
 * (`src/github/epochs.ts`), so EPOCH_REPLAYED holds when there is no ledger, or when the restored
 * one is older than GitHub (a later run's ledger was not stored). One read, which the writer's review
 * lookup reuses. A failed read blocks (API_FAILED): a replay could not be ruled out.
 */
async function reconcileEpochs(
  deps: Deps,
  settings: Settings,
  out: SafeOutput,
  issues: Blocker[],
  restored: PublishedState | undefined,
  live: Facts | undefined,
  envelope: Envelope | undefined,
  policy: Policy | undefined,
): Promise<PublishedState> {
  const state = restored ?? { trust: 'absent', epochs: [], writes: {} };
  const client = await deps.github?.client(settings);
  const number = live?.pullRequest?.number;
  if (!client || !number || !envelope || !policy || policy.writes.review === 'deny') return state;
  const repository = deps.env.GITHUB_REPOSITORY ?? '';
  try {
    const keys = await ownReviewKeys(client, repository, number, tokenIdentity(client, settings.token), settings.ledgerKey, deps.github?.lookups);
    out.info(`published epochs reconciled from GitHub: ${keys.length} review${keys.length === 1 ? '' : 's'} of ours on #${number}`);
    return epochsFromReviews(state, keys, repository, number, envelope.epoch);
  } catch (error) {
    const failure = classifyApiError(error, `reviews of pull request #${number}`);
    issues.push(blocker(failure.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : failure.code, `${failure.message} (needed to rule out a replayed epoch without a trusted ledger)`, 'reviews'));
    return state;
  }
}

/** Stores the ledger (artifact and cache); a refusal never fails the run. */
async function persist(settings: Settings, out: SafeOutput, place: ReturnType<typeof ledgerPlace>, ledger: RunLedger | undefined, restored: Restored | undefined): Promise<PersistResult | undefined> {
  if (!place || !ledger || !restored) return undefined;
  const result = await persistForRun(restored.ports, place, restored.restored.scope, ledger.path, settings.ledgerRetentionDays);
  for (const note of result.notes) out.warning(note);
  out.info(result.persisted ? `ledger stored${result.artifactId !== undefined ? `: artifact ${result.artifactId}` : ''}${result.cacheKey ? `, cache ${result.cacheKey}` : ''}` : 'ledger not stored durably; it stays at ledger-path for this job only');
  return result;
}

/** Where each document came from, for the ledger's decision record; provenance members only in the form the schema takes. */
function sourcesOf(loaded: { policy: Loaded<unknown>; envelope: Loaded<unknown>; evidence: Loaded<unknown> }): DecisionSources {
  const one = (doc: Loaded<unknown>): DocumentSource => {
    if (doc.status !== 'ok') return { source: 'none' };
    const p = doc.provenance;
    const id = (n: number | undefined) => (n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined);
    const out: DocumentSource = { source: doc.source };
    if (!p) return out;
    if (id(p.artifactId)) out.artifactId = p.artifactId;
    if (id(p.runId)) out.runId = p.runId;
    if (/^sha256:[0-9a-f]{64}$/.test(p.digest)) out.digest = p.digest as `sha256:${string}`;
    if (p.headSha && /^[0-9a-f]{40}$/.test(p.headSha)) out.headSha = p.headSha;
    if (id(p.headRepositoryId)) out.headRepositoryId = p.headRepositoryId!;
    return out;
  };
  return { policy: one(loaded.policy), envelope: one(loaded.envelope), evidence: one(loaded.evidence) };
}

/** After the writes: `failed` when one failed, `noop` when every write found its content already there. */
function finalDecision(plan: Plan, records: readonly WriteRecord[], failed: boolean): Decision {
  if (plan.decision !== 'published') return plan.decision;
  if (failed) return 'failed';
  return records.length > 0 && records.every((r) => r.status === 'unchanged') ? 'noop' : 'published';
}

/** Execute: only a live plan that allows writes opens the firewall's write gate, and only for these writes. */
async function execute(deps: Deps, settings: Settings, plan: Plan, content: ContentPipeline, out: SafeOutput, journal: WriteJournal) {
  const client = await deps.github?.client(settings);
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

/** At most this many dry-run notices, one per inline finding; then one notice says how many more. */
export const MAX_FINDING_NOTICES = 50;

/**
 * Annotations: an error per blocker (a warning in a dry run, where blockers say what would stop a live
 * run), on the file when the blocker is about one; an error per failed write; and in a dry run a notice
 * on each finding the review would post inline.
 */
function annotate(out: SafeOutput, plan: Plan, records: readonly WriteRecord[]): void {
  const dry = plan.decision === 'dry-run';
  for (const b of plan.blockers) {
    const at = { title: `Publish Gate${dry ? ' (dry run)' : ''}: ${b.code}`, ...(b.path ? { file: b.path } : {}) };
    (dry ? out.warning : out.error).call(out, `${b.code}: ${b.message}`, at);
  }
  for (const r of records.filter((r) => r.error)) out.error(`${r.error!.code}: ${r.error!.message}`, { title: `Publish Gate: ${r.kind} write failed` });
  if (!dry) return;
  const inline = inlineFindings(plan);
  for (const f of inline.slice(0, MAX_FINDING_NOTICES))
    out.notice(`Would be posted as an inline review comment (${f.severity}, ${f.ruleId}): ${f.title}`, {
      title: `Publish Gate (dry run): ${f.title}`,
      file: f.path,
      startLine: f.startLine,
      ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    });
  if (inline.length > MAX_FINDING_NOTICES)
    out.notice(`… and ${inline.length - MAX_FINDING_NOTICES} more findings would be posted inline; the job summary counts them all.`, { title: 'Publish Gate (dry run)' });
}

/** The approval gate as the summary shows it: the policy's environment and the run's approvals. */
function approvalView(policy: Policy | undefined, facts: Facts | undefined): ApprovalView | undefined {
  if (!policy) return undefined;
  if (policy.approval === 'none') return { required: false };
  const environment = policy.approval.environment;
  return {
    required: true,
    environment,
    origin: facts?.origin === 'live' ? 'live' : 'assumed',
    approvals: facts?.approvals ?? [],
    settings: facts?.environments[environment],
  };
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
  for (const [what, doc] of Object.entries(loaded)) out.info(`${what}: ${doc.status === 'ok' ? `read (${doc.source}${provenanceText(doc.provenance)})` : `${doc.code}: ${doc.message}`}`);
  const made = loaded.envelope.status === 'ok' ? loaded.envelope : undefined;
  if (made?.provenance?.headSha && made.value.format === 'envelope' && made.value.envelope.target.headSha !== made.provenance.headSha)
    out.warning(
      `The envelope names head ${made.value.envelope.target.headSha.slice(0, 12)}, but the run that uploaded it built ${made.provenance.headSha.slice(0, 12)}; the live facts decide whether it is stale.`,
    );
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

  out.group('Restore ledger');
  const place = ledgerPlace(deps);
  const live = facts.status === 'ok' && facts.value.origin === 'live' ? facts.value : undefined;
  const restored = await restore(deps, settings, out, place, {
    ...(live?.pullRequest ? { pullRequest: live.pullRequest.number } : {}),
    ...(envelope ? { head: envelope.target.headSha } : {}),
  });

  const published = await reconcileEpochs(deps, settings, out, issues, restored?.restored.published, live, envelope, loaded.policy.status === 'ok' ? loaded.policy.value : undefined);
  out.endGroup();

  out.group('Decide');
  const plan = decide({
    inputs: { mode: settings.mode, deny: settings.deny, config: settings.config, issues },
    ...loaded,
    facts,
    published,
    now: deps.now().toISOString(),
  });
  out.info(renderText(plan, { factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable' }).trimEnd());
  out.endGroup();

  out.group('Execute');
  const policy = loaded.policy.status === 'ok' ? loaded.policy.value : undefined;
  // Bodies follow the policy's content rules; until one is read, the strict defaults.
  const content = policy ? base.withMarkdownPolicy({ allowedMentions: policy.content['allowed-mentions'], allowedDomains: policy.content['allowed-domains'] }) : base;
  const ledger = openLedger(deps, settings, out, place, restored?.restored.chain);
  const { records, failed } = await execute(deps, settings, plan, content, out, ledger ?? new MemoryJournal());
  const decision = finalDecision(plan, records, failed);
  ledger?.decision(plan, decision, sourcesOf(loaded));
  out.endGroup();

  out.group('Store ledger');
  const stored = await persist(settings, out, place, ledger, restored);
  out.endGroup();

  setOutputs(out, plan, decision, records);
  out.output(Outputs.LedgerPath, ledger?.path ?? '');
  out.output(Outputs.LedgerPersisted, stored?.persisted ? 'true' : 'false');
  out.output(Outputs.LedgerArtifactId, stored?.artifactId !== undefined ? String(stored.artifactId) : '');
  out.output(Outputs.LedgerCacheKey, stored?.cacheKey ?? '');
  annotate(out, plan, records);
  const approval = approvalView(policy, facts.status === 'ok' ? facts.value : undefined);
  // Rendered on the output queue, after every log line and output passed the pipeline: the redaction
  // counts then cover everything the run sent (all but the summary's own text).
  out.summary((budget) =>
    renderSummary(
      { ...plan, decision },
      {
        writes: records,
        ...(ledger
          ? { ledger: { path: ledger.path, persisted: stored?.persisted === true, artifactId: stored?.artifactId, cacheKey: stored?.cacheKey, restored: restored?.restored.note } }
          : {}),
        redactions: { counts: { ...base.report.redactions }, unscannable: base.report.unscannable },
        ...(approval ? { approval } : {}),
        factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable',
        budget,
      },
    ),
  );
  out.info(`Publish Gate decision: ${decision} (${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}, ${records.length} write${records.length === 1 ? '' : 's'} made)`);

  const failing = decision === 'blocked' || decision === 'failed';
  if (failing && settings.failOnBlocked) {
    out.failed(`Publish Gate decision: ${decision}`);
    return { plan, exitCode: 1 };
  }
  return { plan, exitCode: 0 };
}
