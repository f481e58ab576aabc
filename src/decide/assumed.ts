import type { Evidence } from '../contract/evidence.js';
import type { Facts, FactsFile } from '../contract/facts.js';
import type { Policy } from '../contract/policy.js';
import type { Envelope } from '../contract/envelope.js';
import { Limits } from '../contract/limits.js';

export interface RunContext {
  repository?: string;
  event?: string;
  actor?: string;
}

/**
 * Facts consistent with the envelope, evidence and policy: what GitHub would report if everything
 * the agent claims were true. The offline `plan` starts from these and `--facts` overrides them.
 * They are marked `assumed`, and the engine never allows a live write on assumed facts.
 */
export function assumedFacts(envelope: Envelope | undefined, evidence: Evidence | undefined, policy: Policy | undefined, context: RunContext = {}): Facts {
  const target = envelope?.target;
  const repository = context.repository ?? target?.repository ?? evidence?.repository ?? 'unknown/unknown';
  const headSha = target?.headSha ?? evidence?.headSha ?? null;
  const actor = context.actor ?? 'publish-gate-cli';
  const paths = new Set([...(envelope?.findings ?? []).map((f) => f.path), ...(envelope?.changes?.files ?? []).map((f) => f.path)]);
  const passed = new Set((evidence?.gates ?? []).filter((g) => g.result === 'PASS').map((g) => g.name));
  const approval = policy?.approval;
  const environment = approval && approval !== 'none' ? approval.environment : undefined;
  return {
    origin: 'assumed',
    repository,
    event: context.event ?? policy?.triggers?.events?.[0] ?? 'pull_request',
    actor,
    defaultBranch: target?.baseRef ?? 'main',
    headSha,
    pullRequest:
      target && headSha
        ? {
            number: target.pullRequest ?? 1,
            state: 'open',
            draft: false,
            author: 'pr-author',
            headSha,
            headRef: target.headRef,
            baseSha: target.baseSha,
            baseRef: target.baseRef,
            labels: [],
          }
        : null,
    // Every file the envelope names is taken as wholly changed.
    files: [...paths].sort().map((path) => ({ path, hunks: [[1, Limits.line] as [number, number]] })),
    headCommitAuthors: [],
    checkRuns: headSha
      ? Object.entries(policy?.gates['confirm-check-runs'] ?? {})
          .filter(([gate]) => passed.has(gate))
          .map(([, name], i) => ({ id: i + 1, name, headSha, status: 'completed' as const, conclusion: 'success' }))
      : [],
    approvals: environment ? [{ environment, state: 'approved', user: 'assumed-approver' }] : [],
    environments: environment ? { [environment]: { preventSelfReview: true, canAdminsBypass: false } } : {},
  };
}

/** `--facts` members replace the assumed ones whole (no deep merge: a given list is the list). */
export function mergeFacts(assumed: Facts, given: FactsFile): Facts {
  const { now: _now, published: _published, ...members } = given;
  return { ...assumed, ...members, origin: 'assumed' };
}
