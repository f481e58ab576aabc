import { isAbsolute, resolve } from 'node:path';
import { Limits } from './contract/limits.js';
import { envelopeFromText, evidenceFromText, policyFromText } from './contract/documents.js';
import type { Evidence } from './contract/evidence.js';
import type { Policy } from './contract/policy.js';
import { Outputs } from './constants.js';
import { logSafe } from './content/log.js';
import { assumedFacts } from './decide/assumed.js';
import { type LoadFailureCode, type Loaded, blocker } from './decide/blockers.js';
import { type Plan, decide } from './decide/decide.js';
import type { EnvelopeDocument } from './decide/submission.js';
import type { Deps } from './deps.js';
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

function setOutputs(deps: Deps, plan: Plan): void {
  const { io } = deps;
  io.setOutput(Outputs.Decision, plan.decision);
  io.setOutput(Outputs.Blockers, JSON.stringify(blockersOutput(plan.blockers)));
  io.setOutput(Outputs.Plan, JSON.stringify(planOutput(plan)));
  io.setOutput(Outputs.PlanDigest, plan.digest);
  io.setOutput(Outputs.Writes, '[]');
  io.setOutput(Outputs.PrNumber, plan.pullRequest ? String(plan.pullRequest.number) : '');
  io.setOutput(Outputs.PrUrl, plan.pullRequest?.url ?? '');
  io.setOutput(Outputs.CommentUrl, '');
  io.setOutput(Outputs.CheckRunId, '');
  io.setOutput(Outputs.LedgerPersisted, 'false');
}

/** The pipeline: settings, load, validate, gather facts, decide, report. Writes arrive with the GitHub adapter. */
export async function run(deps: Deps): Promise<RunResult> {
  const { io } = deps;
  const { settings, issues } = readSettings((name) => io.getInput(name));
  for (const secret of [settings.token, settings.ledgerKey]) if (secret) io.setSecret(secret);

  io.startGroup('Load');
  const loaded = await load(deps, settings);
  if (settings.configPath)
    io.warning('The policy was read from config-path, a file the workflow names, not from the trusted ref. A checked-out tree can be controlled by the change under review.');
  for (const [what, doc] of Object.entries(loaded)) io.info(`${what}: ${doc.status === 'ok' ? `read (${doc.source})` : `${doc.code}: ${logSafe(doc.message)}`}`);
  io.endGroup();

  io.startGroup('Gather live facts');
  const envelope = loaded.envelope.status === 'ok' && loaded.envelope.value.format === 'envelope' ? loaded.envelope.value.envelope : undefined;
  const fallback = assumedFacts(envelope, loaded.evidence.status === 'ok' ? loaded.evidence.value : undefined, loaded.policy.status === 'ok' ? loaded.policy.value : undefined, {
    ...(deps.env.GITHUB_REPOSITORY ? { repository: deps.env.GITHUB_REPOSITORY } : {}),
    ...(deps.env.GITHUB_EVENT_NAME ? { event: deps.env.GITHUB_EVENT_NAME } : {}),
    ...(deps.env.GITHUB_ACTOR ? { actor: deps.env.GITHUB_ACTOR } : {}),
  });
  const facts = await deps.sources.facts(settings, fallback);
  // The offline CLI may evaluate assumed facts in any mode; the action never writes on them.
  if (facts.status === 'ok' && facts.value.origin !== 'live' && settings.mode === 'live')
    issues.push(blocker('API_FAILED', 'live GitHub facts were not read; a live run never acts on assumed facts', 'facts'));
  io.info(facts.status === 'ok' ? `facts: ${facts.value.origin}` : `facts: ${facts.code}: ${logSafe(facts.message)}`);
  if (facts.status === 'ok' && facts.value.origin !== 'live')
    io.warning('Live GitHub facts were not read: this run evaluated facts assumed consistent with the envelope, and would refuse to write in live mode.');
  io.endGroup();

  io.startGroup('Decide');
  const plan = decide({
    inputs: { mode: settings.mode, deny: settings.deny, config: settings.config, issues },
    ...loaded,
    facts,
    published: { trust: 'absent', epochs: [], writes: {} },
    now: deps.now().toISOString(),
  });
  for (const line of renderText(plan, { factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable' }).trimEnd().split('\n')) io.info(line);
  io.endGroup();

  setOutputs(deps, plan);
  // In a dry run blockers say what would stop a live run: warnings, not errors.
  const annotate = plan.decision === 'dry-run' ? io.warning : io.error;
  for (const b of plan.blockers) annotate(`${b.code}: ${logSafe(b.message)}`);
  await deps.io.writeSummary(renderSummary(plan)).catch((error: unknown) => io.warning(`job summary not written: ${logSafe(String(error))}`));

  const failing = plan.decision === 'blocked' || plan.decision === 'failed';
  if (failing && settings.failOnBlocked) {
    io.setFailed(`Publish Gate decision: ${plan.decision}`);
    return { plan, exitCode: 1 };
  }
  return { plan, exitCode: 0 };
}
