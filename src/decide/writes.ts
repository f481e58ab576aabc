import type { WriteKind } from '../contract/common.js';
import type { ChangeFile, Envelope } from '../contract/envelope.js';
import type { Facts, PublishedState } from '../contract/facts.js';
import { Limits } from '../contract/limits.js';
import type { Policy } from '../contract/policy.js';
import { type Blocker, type BlockerCode, blocker } from './blockers.js';
import { idempotencyKey, sharedDigestOf } from './digest.js';
import { type FindingSelection, SEVERITY_RANK, type SelectedFinding } from './findings.js';
import { ALWAYS_FORBIDDEN_PATHS, coversProtected, matcher, unsafePathReason } from './paths.js';

/** SPEC §9: the order writes run in. */
/** The key of the review of `epoch` on PR `number` (one review per epoch); the epoch reconcile from GitHub computes it too. */
export const reviewKey = (repository: string, number: number, epoch: string): string => idempotencyKey(repository, 'review', String(number), epoch);

export const WRITE_ORDER: readonly WriteKind[] = ['branch', 'pull-request', 'check-run', 'review', 'comment', 'status', 'labels'];

export const CHECK_RUN_NAME = 'publish-gate';
export const STATUS_CONTEXT = 'publish-gate';
export const COMMENT_SLOT = 'summary';

/** What one write would send, before rendering and sanitizing (that happens on output). */
export type WritePayload =
  | { kind: 'branch'; branch: string; base: string; message: string; files: ChangeFile[] }
  | { kind: 'pull-request'; number?: number; head: string; base: string; title: string; body: string; draft: boolean }
  | { kind: 'comment'; number: number; summary: string; findings: SelectedFinding[]; dropped: FindingSelection['dropped'] }
  | { kind: 'review'; number: number; commitId: string; event: 'COMMENT' | 'REQUEST_CHANGES'; summary: string; findings: SelectedFinding[] }
  | { kind: 'check-run'; name: string; headSha: string; conclusion: string; title: string; summary: string; findings: SelectedFinding[] }
  | { kind: 'status'; sha: string; context: string; state: string; description: string }
  | { kind: 'labels'; number: number; label: string };

export interface PlanEntry {
  kind: WriteKind;
  key: string;
  target: string;
  action: 'create' | 'update' | 'skip';
  allowed: boolean;
  blocker?: BlockerCode;
  /** sha256 of the canonical payload: what an approver approves, and how re-runs detect change. */
  digest: string;
}

export interface PlannedWrite {
  entry: PlanEntry;
  payload: WritePayload;
  /** Reasons this one write may not happen, whatever the rest of the run decides. */
  blockers: Blocker[];
}

export interface WritesContext {
  repository: string;
  envelope: Envelope;
  policy: Policy;
  deny: readonly WriteKind[];
  /** The policy file's path in the repository: an agent change may never touch it. */
  configPath: string;
  facts: Facts | undefined;
  published: PublishedState;
  selection: FindingSelection;
}

function decodedBytes(file: Extract<ChangeFile, { content: string }>): number {
  if (file.encoding === 'base64') return Buffer.from(file.content, 'base64').length;
  return Buffer.byteLength(file.content, 'utf8');
}

function changeBlockers(ctx: WritesContext, changes: NonNullable<Envelope['changes']>): Blocker[] {
  const out: Blocker[] = [];
  const { policy, envelope, facts } = ctx;
  const branchPolicy = policy.writes.branch;
  const name = changes.branch;
  if (!name.startsWith(branchPolicy.prefix)) out.push(blocker('BRANCH_NOT_ALLOWED', `branch ${name} does not start with the policy prefix ${branchPolicy.prefix}`, name));
  else if (!matcher(policy.branches.head)(name)) out.push(blocker('BRANCH_NOT_ALLOWED', `branch ${name} is not allowed by branches.head`, name));
  const protectedNames = new Set([envelope.target.baseRef, envelope.target.headRef, facts?.defaultBranch, facts?.pullRequest?.baseRef].filter(Boolean));
  if (protectedNames.has(name)) out.push(blocker('FORBIDDEN_OPERATION', `changes would write to ${name}, a base, head or default branch`, name));
  const forbiddenPatterns = [...ALWAYS_FORBIDDEN_PATHS, ctx.configPath];
  const forbiddenMatch = matcher(forbiddenPatterns, { nocase: true });
  const forbidden = (path: string) => forbiddenMatch(path) || coversProtected(path, forbiddenPatterns);
  const deniedMatch = matcher(branchPolicy['deny-paths'], { nocase: true });
  const denied = (path: string) => deniedMatch(path) || coversProtected(path, branchPolicy['deny-paths']);
  let total = 0;
  for (const file of changes.files) {
    const unsafe = unsafePathReason(file.path);
    // An unsafe path names no file of the repository, so it gets no `path` to annotate.
    const onFile = (b: Blocker): Blocker => (unsafe ? b : { ...b, path: file.path });
    if (unsafe) out.push(blocker('PATH_FORBIDDEN', `${unsafe}: ${file.path}`, file.path));
    else if (forbidden(file.path)) out.push(onFile(blocker('PATH_FORBIDDEN', `${file.path} steers CI, ownership or this gate and is never written`, file.path)));
    else if (denied(file.path)) out.push(onFile(blocker('PATH_FORBIDDEN', `${file.path} matches writes.branch.deny-paths`, file.path)));
    if ('content' in file) {
      const bytes = decodedBytes(file);
      total += bytes;
      if (bytes > Limits.changeFileBytes) out.push(onFile(blocker('LIMIT_EXCEEDED', `${file.path} is ${bytes} bytes, over the ${Limits.changeFileBytes}-byte cap per file`, file.path)));
    }
  }
  if (total > Limits.changeTotalBytes) out.push(blocker('LIMIT_EXCEEDED', `changes total ${total} bytes, over the ${Limits.changeTotalBytes}-byte cap`, 'changes'));
  return out;
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().slice(0, 256) || 'Agent changes';
}

/**
 * Every write the envelope asks for, in SPEC §9 order, each with its key, action and own blockers.
 * Kinds with content but missing from `intent` are planned and blocked, so the report shows them.
 */
export function planWrites(ctx: WritesContext): PlannedWrite[] {
  const { envelope, policy, facts, selection, repository } = ctx;
  const intent = new Set(envelope.intent);
  const pr = facts?.pullRequest ?? undefined;
  const prTarget = pr ? String(pr.number) : 'none';
  const headSha = envelope.target.headSha;
  const out: PlannedWrite[] = [];
  // Findings are shared by the comment, review and check-run payloads: canonicalized once for all three.
  const canonical = new WeakMap<object, Buffer>();

  const add = (kind: WriteKind, target: string, slot: string, payload: WritePayload, kindBlockers: Blocker[] = []) => {
    const key = idempotencyKey(repository, kind, target, slot);
    const digest = sharedDigestOf(payload, canonical);
    const blockers: Blocker[] = [];
    if (!intent.has(kind)) blockers.push(blocker('INTENT_UNDECLARED', `envelope carries ${kind} content but its intent does not declare ${kind}`, key));
    if (ctx.deny.includes(kind)) blockers.push(blocker('WRITE_KIND_DENIED', `${kind} is denied by this step's deny input`, key));
    // An entry's blockers name the entry (its key) as subject, so a report can tell them from global
    // blockers; the path or branch they are about is in the message (a file's also in `path`, for the log's annotation).
    blockers.push(...kindBlockers.map((b) => ({ ...b, subject: key })));
    const known = ctx.published.writes[key];
    let action: PlanEntry['action'];
    if (payload.kind === 'labels') action = pr?.labels.some((l) => l.toLowerCase() === payload.label.toLowerCase()) || known ? 'skip' : 'create';
    else if (payload.kind === 'review') action = known ? 'skip' : 'create';
    else action = !known ? 'create' : known.digest === digest ? 'skip' : 'update';
    out.push({ entry: { kind, key, target, action, allowed: false, digest }, payload, blockers });
  };
  const needsPr = (): Blocker[] => (pr ? [] : [blocker('REMOTE_MISMATCH', 'GitHub reports no pull request for the head, so there is nothing to write to')]);
  const denied = (kind: WriteKind, why: string) => [blocker('WRITE_KIND_DENIED', `${kind} is not allowed by the policy (${why})`)];

  if (envelope.changes) {
    const { changes } = envelope;
    const base = envelope.target.baseRef;
    const branchBlockers = [...(policy.writes.branch.create === 'allow' ? [] : denied('branch', 'writes.branch.create')), ...changeBlockers(ctx, changes)];
    add('branch', base, changes.branch, { kind: 'branch', branch: changes.branch, base, message: changes.message, files: changes.files }, branchBlockers);
    const branchEntry = out[out.length - 1]!;
    const prPolicy = policy.writes['pull-request'];
    const requested = envelope.pullRequest;
    const payload: WritePayload = {
      kind: 'pull-request',
      head: changes.branch,
      base,
      title: requested?.title ?? firstLine(changes.message),
      body: requested?.body ?? '',
      // draft-only narrows: a request for a ready PR becomes a draft, it is not refused.
      draft: prPolicy['draft-only'] || (requested?.draft ?? true),
    };
    const prKey = idempotencyKey(repository, 'pull-request', base, changes.branch);
    const creating = !ctx.published.writes[prKey];
    const prBlockers = [
      ...((creating ? prPolicy.create : prPolicy.update) === 'allow' ? [] : denied('pull-request', creating ? 'writes.pull-request.create' : 'writes.pull-request.update')),
      // A PR of a branch that may not be written may not be opened either, whatever stops the branch.
      ...branchEntry.blockers.map((b) => blocker(b.code, `the branch this pull request needs is blocked: ${b.message}`)),
    ];
    add('pull-request', base, changes.branch, payload, prBlockers);
  } else if (envelope.pullRequest) {
    const prPolicy = policy.writes['pull-request'];
    const { title, body = '', draft = true } = envelope.pullRequest;
    const blockers = [...needsPr(), ...(prPolicy.update === 'allow' ? [] : denied('pull-request', 'writes.pull-request.update'))];
    if (pr && pr.state !== 'open') blockers.push(blocker('FORBIDDEN_OPERATION', `pull request #${pr.number} is ${pr.state}; it is never reopened`));
    add('pull-request', prTarget, envelope.target.headRef, { kind: 'pull-request', number: pr?.number ?? 0, head: envelope.target.headRef, base: envelope.target.baseRef, title, body, draft: pr?.draft ?? draft }, blockers);
  }

  if (intent.has('check-run') || envelope.checkRun) {
    const requested = envelope.checkRun;
    const n = selection.kept.length;
    add(
      'check-run',
      headSha,
      CHECK_RUN_NAME,
      {
        kind: 'check-run',
        name: CHECK_RUN_NAME,
        headSha,
        conclusion: requested?.conclusion ?? 'neutral',
        title: requested?.title ?? `${n} finding${n === 1 ? '' : 's'}`,
        summary: requested?.summary ?? envelope.summary ?? '',
        findings: selection.kept,
      },
      policy.writes['check-run'] === 'allow' ? [] : denied('check-run', 'writes.check-run'),
    );
  }

  if (intent.has('review') && selection.kept.length > 0) {
    const severe = selection.kept.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.high);
    const event = policy.writes.review === 'request-changes' && severe ? 'REQUEST_CHANGES' : 'COMMENT';
    add(
      'review',
      prTarget,
      envelope.epoch,
      { kind: 'review', number: pr?.number ?? 0, commitId: headSha, event, summary: envelope.summary ?? '', findings: selection.kept },
      [...needsPr(), ...(policy.writes.review === 'deny' ? denied('review', 'writes.review') : [])],
    );
  }

  if (intent.has('comment')) {
    add(
      'comment',
      prTarget,
      COMMENT_SLOT,
      { kind: 'comment', number: pr?.number ?? 0, summary: envelope.summary ?? '', findings: selection.kept, dropped: selection.dropped },
      [...needsPr(), ...(policy.writes.comment === 'allow' ? [] : denied('comment', 'writes.comment'))],
    );
  }

  if (envelope.status) {
    add(
      'status',
      headSha,
      STATUS_CONTEXT,
      { kind: 'status', sha: headSha, context: STATUS_CONTEXT, state: envelope.status.state, description: envelope.status.description ?? '' },
      policy.writes.status === 'allow' ? [] : denied('status', 'writes.status'),
    );
  }

  const allowedLabels = new Set(policy.writes.labels.map((l) => l.toLowerCase()));
  for (const label of [...(envelope.labels ?? [])].sort()) {
    const notAllowed = allowedLabels.has(label.toLowerCase()) ? [] : [blocker('LABEL_NOT_ALLOWED', `label ${label} is not in writes.labels`)];
    add('labels', prTarget, label, { kind: 'labels', number: pr?.number ?? 0, label }, [...needsPr(), ...notAllowed]);
  }
  return out;
}
