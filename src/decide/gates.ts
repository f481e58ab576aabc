import { durationSeconds } from '../contract/common.js';
import type { Envelope } from '../contract/envelope.js';
import type { Evidence } from '../contract/evidence.js';
import type { Facts, PublishedState } from '../contract/facts.js';
import type { Policy } from '../contract/policy.js';
import { type Blocker, blocker } from './blockers.js';
import { matcher } from './paths.js';

/** Clock skew tolerated for evidence timestamps that lie slightly ahead of the runner's clock. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const lower = (s: string) => s.toLowerCase();

/** The run's repository, event and actor against the policy (SPEC §6 `repositories`, `triggers`). */
export function checkRun(policy: Policy, facts: Facts): Blocker[] {
  const out: Blocker[] = [];
  if (!policy.repositories.map(lower).includes(lower(facts.repository)))
    out.push(blocker('REPO_NOT_ALLOWED', `repository ${facts.repository} is not listed in the policy's repositories`, facts.repository));
  const triggers = policy.triggers;
  if (triggers?.events && !triggers.events.includes(facts.event))
    out.push(blocker('TRIGGER_NOT_ALLOWED', `event ${facts.event} is not in the policy's triggers.events`, facts.event));
  if (triggers?.actors && !actorAllowed(triggers.actors, facts.actor))
    out.push(blocker('TRIGGER_NOT_ALLOWED', `actor ${facts.actor} is not allowed by the policy's triggers.actors`, facts.actor));
  return out;
}

const isBotName = (name: string) => /\[bot\]$/i.test(name);

/** Bots (`name[bot]`) match only an entry naming them exactly; a glob never admits a bot. */
export function actorAllowed(patterns: readonly string[], actor: string): boolean {
  if (isBotName(actor)) return patterns.some((p) => lower(p) === lower(actor));
  // A `name[bot]` entry names a bot. As a glob its `[bot]` is a character class that would admit
  // look-alike users (`dependabot[bot]` matching `dependabott`), so it never matches a user.
  return matcher(patterns.filter((p) => !isBotName(p)), { nocase: true })(actor);
}

/** The envelope's target against what GitHub reports now (SPEC §1: never trust the envelope's PR number). */
export function checkBinding(envelope: Envelope, facts: Facts, policy: Policy): Blocker[] {
  const out: Blocker[] = [];
  const { target } = envelope;
  if (lower(target.repository) !== lower(facts.repository))
    out.push(blocker('REMOTE_MISMATCH', `envelope targets ${target.repository}, but this run belongs to ${facts.repository}`, 'target.repository'));
  const pr = facts.pullRequest;
  if (target.pullRequest !== undefined) {
    if (!pr) out.push(blocker('REMOTE_MISMATCH', `envelope names pull request #${target.pullRequest}, but GitHub reports no pull request for the head`, 'target.pullRequest'));
    else if (pr.number !== target.pullRequest)
      out.push(blocker('REMOTE_MISMATCH', `envelope names pull request #${target.pullRequest}, but GitHub reports #${pr.number} for the head`, 'target.pullRequest'));
  }
  if (pr) {
    if (pr.baseRef !== target.baseRef) out.push(blocker('REMOTE_MISMATCH', `envelope base ${target.baseRef} differs from the pull request's base ${pr.baseRef}`, 'target.baseRef'));
    if (pr.headRef !== target.headRef) out.push(blocker('REMOTE_MISMATCH', `envelope head ${target.headRef} differs from the pull request's head ${pr.headRef}`, 'target.headRef'));
    if (pr.state !== 'open') out.push(blocker('TARGET_STALE', `pull request #${pr.number} is ${pr.state}`, 'pullRequest.state'));
  }
  // GitHub updates a PR's head.sha shortly after a push, so the branch's own head counts too.
  const liveHeads = pr ? [pr.headSha, ...(facts.headSha ? [facts.headSha] : [])] : [facts.headSha];
  if (liveHeads[0] === null) out.push(blocker('TARGET_STALE', `head ${target.headRef} no longer exists`, 'target.headSha'));
  else {
    const moved = liveHeads.find((sha) => sha !== target.headSha);
    if (moved) out.push(blocker('TARGET_STALE', `head moved: envelope was made for ${target.headSha.slice(0, 12)}, live head is ${moved.slice(0, 12)}`, 'target.headSha'));
  }
  // Branch rules use the live refs when GitHub knows them.
  const baseRef = pr?.baseRef ?? target.baseRef;
  const headRef = pr?.headRef ?? target.headRef;
  if (!matcher(policy.branches.base)(baseRef)) out.push(blocker('BRANCH_NOT_ALLOWED', `base branch ${baseRef} is not allowed by branches.base`, baseRef));
  if (!matcher(policy.branches.head)(headRef)) out.push(blocker('BRANCH_NOT_ALLOWED', `head branch ${headRef} is not allowed by branches.head`, headRef));
  return out;
}

export function checkTask(envelope: Envelope): Blocker[] {
  return envelope.task.status === 'succeeded'
    ? []
    : [blocker('TASK_NOT_SUCCEEDED', `task ${envelope.task.id} ended ${envelope.task.status}${envelope.task.exitReason ? ` (${envelope.task.exitReason})` : ''}`, 'task.status')];
}

/** SPEC §8: replay means this epoch was published before and another epoch was published after it. */
export function checkEpoch(envelope: Envelope, published: PublishedState): Blocker[] {
  const { epochs } = published;
  const seenAt = epochs.lastIndexOf(envelope.epoch);
  if (seenAt >= 0 && epochs.slice(seenAt + 1).some((e) => e !== envelope.epoch))
    return [blocker('EPOCH_REPLAYED', `epoch ${envelope.epoch} was published before and a later epoch (${epochs.at(-1)}) has been published since`, 'epoch')];
  return [];
}

/**
 * Milliseconds of a timestamp in the forms the contract accepts (`timestamp` in common.ts), NaN when
 * it cannot be dated. `Date.parse` rejects some ISO 8601 offsets (`+05`, ` +05:30`): spell them out.
 */
export function instant(text: string): number {
  return Date.parse(text.replace(/ ?([+-]\d{2}):?(\d{2})?$/, (_match, hours: string, minutes?: string) => `${hours}:${minutes ?? '00'}`));
}

/** Evidence is bound to the envelope's repository, head SHA and epoch; required gates must pass and be fresh. */
export function checkEvidence(envelope: Envelope, evidence: Evidence, policy: Policy, now: Date): Blocker[] {
  const out: Blocker[] = [];
  if (lower(evidence.repository) !== lower(envelope.target.repository))
    out.push(blocker('EVIDENCE_INVALID', `evidence is for ${evidence.repository}, envelope for ${envelope.target.repository}`, 'evidence.repository'));
  if (evidence.headSha !== envelope.target.headSha)
    out.push(blocker('EVIDENCE_INVALID', `evidence is for head ${evidence.headSha.slice(0, 12)}, envelope for ${envelope.target.headSha.slice(0, 12)}`, 'evidence.headSha'));
  if (evidence.epoch !== envelope.epoch)
    out.push(blocker('EPOCH_MISMATCH', `evidence epoch ${evidence.epoch} differs from envelope epoch ${envelope.epoch}`, 'epoch'));
  const maxAgeMs = durationSeconds(policy.gates['max-age']) * 1000;
  for (const name of policy.gates.required) {
    const gate = evidence.gates.find((g) => g.name === name);
    if (!gate) {
      out.push(blocker('GATE_MISSING', `required gate ${name} has no verdict in the evidence`, name));
      continue;
    }
    if (gate.result !== 'PASS') out.push(blocker('GATE_NOT_PASS', `gate ${name} reported ${gate.result}`, name));
    const completed = instant(gate.completedAt);
    // An instant that cannot be dated is never fresh: fail closed rather than skip the age check.
    if (!Number.isFinite(completed) || !Number.isFinite(now.getTime()))
      out.push(blocker('GATE_EXPIRED', `gate ${name} completedAt ${gate.completedAt} cannot be dated`, name));
    else if (completed > now.getTime() + CLOCK_SKEW_MS) out.push(blocker('GATE_EXPIRED', `gate ${name} completedAt ${gate.completedAt} lies in the future`, name));
    else if (now.getTime() - completed > maxAgeMs)
      out.push(blocker('GATE_EXPIRED', `gate ${name} completed at ${gate.completedAt}, older than max-age ${policy.gates['max-age']}`, name));
  }
  return out;
}

/** A named check run must have succeeded on the exact head SHA; the newest run of that name decides. */
export function checkConfirmations(envelope: Envelope, facts: Facts, policy: Policy): Blocker[] {
  const out: Blocker[] = [];
  for (const [gate, checkName] of Object.entries(policy.gates['confirm-check-runs'])) {
    const runs = facts.checkRuns.filter((r) => r.name === checkName && r.headSha === envelope.target.headSha);
    const newest = runs.reduce<(typeof runs)[number] | undefined>((a, r) => (!a || (r.id ?? 0) >= (a.id ?? 0) ? r : a), undefined);
    if (!newest) out.push(blocker('CHECK_NOT_CONFIRMED', `no check run "${checkName}" on ${envelope.target.headSha.slice(0, 12)} confirms gate ${gate}`, gate));
    else if (newest.status !== 'completed' || newest.conclusion !== 'success')
      out.push(blocker('CHECK_NOT_CONFIRMED', `check run "${checkName}" is ${newest.status}${newest.conclusion ? `/${newest.conclusion}` : ''}, not completed/success`, gate));
  }
  return out;
}

/** Environment approval for this run: present, not by the change's own people, from a safe environment. */
export function checkApproval(policy: Policy, facts: Facts): Blocker[] {
  const approval = policy.approval;
  if (approval === 'none') return [];
  const out: Blocker[] = [];
  const env = approval.environment;
  const approvals = facts.approvals.filter((a) => a.environment === env && a.state === 'approved');
  if (approvals.length === 0) out.push(blocker('APPROVAL_MISSING', `no approval of environment ${env} for this run`, env));
  else if (approval['forbid-self-approval']) {
    const self = new Set([facts.actor, facts.pullRequest?.author ?? '', ...facts.headCommitAuthors].filter(Boolean).map(lower));
    if (approvals.every((a) => self.has(lower(a.user))))
      out.push(blocker('APPROVAL_SELF', `environment ${env} was approved only by the actor, the PR author or a head committer`, env));
  }
  if (approval['require-safe-environment']) {
    const settings = facts.environments[env];
    if (!settings) out.push(blocker('APPROVAL_ENV_UNSAFE', `settings of environment ${env} are unknown`, env));
    else {
      if (!settings.preventSelfReview) out.push(blocker('APPROVAL_ENV_UNSAFE', `environment ${env} does not prevent self-review`, env));
      if (settings.canAdminsBypass) out.push(blocker('APPROVAL_ENV_UNSAFE', `environment ${env} lets administrators bypass its protection`, env));
    }
  }
  return out;
}
