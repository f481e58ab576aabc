import * as v from 'valibot';
import { policyFromText } from '../contract/documents.js';
import { Facts } from '../contract/facts.js';
import { Limits } from '../contract/limits.js';
import type { Policy } from '../contract/policy.js';
import type { LoadFailureCode, Loaded } from '../decide/blockers.js';
import type { GitHubClient } from './client.js';
import { classifyApiError } from './errors.js';
import { newSideHunks } from './hunks.js';
import type { FirstLookups, ListedCheckRun } from './lookups.js';

/** What the run says it is about. Only the repository, head SHA and head ref steer the reads; GitHub's answers fill in the rest. */
export interface LiveTarget {
  repository: string;
  event: string;
  actor: string;
  /** The publishing run (the job gated by the approval environment): its approvals are read. */
  runId?: number;
  headSha: string;
  headRef: string;
  /** A hint only (from the event or the envelope): never copied into the facts. */
  pullRequest?: number;
  /** Owner of the head repository for a fork PR, when the event says so; used only for the by-branch fallback. */
  headOwner?: string;
  /** The envelope's declared write kinds: the check runs are listed for the writer too when a check run may be written. */
  intents?: readonly string[];
}

/** Upper bound on pages read from any list (100 items a page): 3,000 files, check runs or commits. */
export const MAX_PAGES = 30;
const PER_PAGE = 100;

/** A failure that ends the read; carried as an exception inside this module only. */
class ReadFailure extends Error {
  constructor(
    readonly code: LoadFailureCode,
    message: string,
    readonly subject?: string,
  ) {
    super(message);
  }
}

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
};

/** API error → a load failure. A firewall refusal of a read is a defect: reported as API_FAILED with the reason. */
function failure(error: unknown, what: string, hint?: string): ReadFailure {
  if (error instanceof ReadFailure) return error;
  const api = classifyApiError(error, what);
  const code: LoadFailureCode = api.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : api.code;
  return new ReadFailure(code, hint && api.code === 'AUTH_FAILED' && api.status === 403 ? `${api.message}; ${hint}` : api.message, what);
}

function split(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}

/** Each segment percent-encoded on its own, so a `/` stays a separator and `#`, `?`, `%` stay data. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The repository's default branch; read only when no PR answered it (the PR carries its base repository). */
async function defaultBranchOf(client: GitHubClient, owner: string, repo: string): Promise<string> {
  try {
    const { data } = await client.rest.repos.get({ owner, repo });
    if (typeof data.default_branch !== 'string' || !data.default_branch) throw new ReadFailure('API_FAILED', 'repository: GitHub reported no default branch');
    return data.default_branch;
  } catch (error) {
    throw failure(error, 'repository', 'the workflow needs `permissions: contents: read`');
  }
}

/** Reads a list with `octokit.paginate`, at most MAX_PAGES pages; `complete` is false when the bound cut it short. */
async function pages<T>(iterator: AsyncIterable<{ data: T[] }>): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let n = 0;
  for await (const page of iterator) {
    items.push(...page.data);
    if (++n >= MAX_PAGES) return { items, complete: page.data.length < PER_PAGE };
  }
  return { items, complete: true };
}

const POLICY_HINT = 'the workflow needs `permissions: contents: read`';

/**
 * The policy file through the contents API at `ref` (default: the repository's default branch).
 * Only a regular file at exactly `path` is accepted: a directory, a symlink (or a symlink GitHub
 * followed to another path), a submodule or a file over `Limits.policyBytes` is CONFIG_INVALID.
 */
export async function readPolicyFile(client: GitHubClient, repository: string, path: string, ref?: string): Promise<Loaded<Policy>> {
  const { owner, repo } = split(repository);
  const clean = path.replace(/^\.\//, '');
  const invalid = (message: string): Loaded<Policy> => ({ status: 'failed', code: 'CONFIG_INVALID', message: `policy ${path}: ${message}`, subject: path });
  if (!clean || clean.startsWith('/') || clean.split('/').some((s) => s === '' || s === '.' || s === '..')) return invalid('not a plain repository-relative path');
  // Without a ref GitHub answers from the default branch: no read of the repository is needed.
  const at = ref ?? 'the default branch';
  try {
    let data: unknown;
    try {
      ({ data } = await client.request(`GET /repos/{owner}/{repo}/contents/${encodePath(clean)}`, { owner, repo, ...(ref ? { ref } : {}) }));
    } catch (error) {
      if (statusOf(error) === 404) return { status: 'failed', code: 'CONFIG_MISSING', message: `policy ${path} not found at ${at}`, subject: path };
      throw failure(error, `policy ${path}`, POLICY_HINT);
    }
    if (Array.isArray(data)) return invalid('is a directory');
    const file = (data ?? {}) as { type?: unknown; path?: unknown; size?: unknown; encoding?: unknown; content?: unknown };
    if (file.type !== 'file') return invalid(`is a ${String(file.type)}, not a regular file`);
    if (file.path !== clean) return invalid(`GitHub answered with ${String(file.path)} (a symlink?)`);
    if (typeof file.size !== 'number' || file.size > Limits.policyBytes) return invalid(`is larger than ${Limits.policyBytes} bytes`);
    if (file.encoding !== 'base64' || typeof file.content !== 'string') return invalid('content not returned as base64');
    const bytes = Buffer.from(file.content, 'base64');
    if (bytes.length > Limits.policyBytes) return invalid(`is larger than ${Limits.policyBytes} bytes`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return invalid('is not UTF-8');
    }
    return policyFromText(text, path, 'api');
  } catch (error) {
    const f = failure(error, `policy ${path}`, POLICY_HINT);
    return { status: 'failed', code: f.code, message: f.message, subject: path };
  }
}

type PullLike = {
  number: number;
  state: string;
  draft?: boolean | null;
  html_url?: string;
  user: { login: string } | null;
  labels?: Array<{ name?: string } | string>;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { sha: string; ref: string; repo?: { full_name: string; default_branch?: string } | null };
};

/** Open before closed, then the newest number. */
const rank = (a: PullLike, b: PullLike) => Number(b.state === 'open') - Number(a.state === 'open') || b.number - a.number;

/** The PR whose head is the SHA; else (moved head) the PR of the head branch; never the envelope's number. */
async function findPull(client: GitHubClient, owner: string, repo: string, target: LiveTarget): Promise<PullLike | null> {
  const base = `${owner}/${repo}`.toLowerCase();
  let bySha: PullLike[] = [];
  try {
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: target.headSha, per_page: PER_PAGE });
    bySha = data as unknown as PullLike[];
  } catch (error) {
    // 404/422: GitHub does not know the commit here; the branch fallback still runs.
    if (statusOf(error) !== 404 && statusOf(error) !== 422) throw failure(error, 'pull requests of the head SHA', 'the workflow needs `permissions: pull-requests: read`');
  }
  const sameBase = (p: PullLike) => !p.base.repo || p.base.repo.full_name.toLowerCase() === base;
  const exact = bySha.filter((p) => p.head.sha === target.headSha && sameBase(p)).sort(rank);
  if (exact[0]) return exact[0];

  const headOwner = target.headOwner ?? owner;
  let byBranch: PullLike[];
  try {
    const { items } = await pages(
      client.paginate.iterator(client.rest.pulls.list, { owner, repo, head: `${headOwner}:${target.headRef}`, state: 'all', per_page: PER_PAGE }) as AsyncIterable<{ data: PullLike[] }>,
    );
    byBranch = items;
  } catch (error) {
    throw failure(error, 'pull requests of the head branch', 'the workflow needs `permissions: pull-requests: read`');
  }
  const ofBranch = byBranch.filter(
    (p) => p.head.ref === target.headRef && sameBase(p) && (!p.head.repo || p.head.repo.full_name.split('/')[0]?.toLowerCase() === headOwner.toLowerCase()),
  );
  return ofBranch.filter((p) => p.head.sha === target.headSha).sort(rank)[0] ?? ofBranch.sort(rank)[0] ?? null;
}

/** Live SHA of `refs/heads/<ref>`; null when the branch does not exist. */
async function branchHead(client: GitHubClient, owner: string, repo: string, headRef: string): Promise<string | null> {
  try {
    const { data } = await client.request(`GET /repos/{owner}/{repo}/git/ref/heads/${encodePath(headRef)}`, { owner, repo });
    const ref = data as { ref?: string; object?: { type?: string; sha?: string } };
    if (ref.ref !== `refs/heads/${headRef}` || ref.object?.type !== 'commit' || typeof ref.object.sha !== 'string') return null;
    return ref.object.sha;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw failure(error, `branch ${headRef}`, 'the workflow needs `permissions: contents: read`');
  }
}

type FileEntry = { filename: string; status?: string; patch?: string };

/** Changed files with new-side hunks; null (unknown, scope fails closed) when the list was cut at the page bound. */
async function changedFiles(client: GitHubClient, owner: string, repo: string, number: number): Promise<Facts['files']> {
  try {
    const { items, complete } = await pages(
      client.paginate.iterator(client.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: PER_PAGE }) as AsyncIterable<{ data: FileEntry[] }>,
    );
    if (!complete || items.length > 10_000) return null;
    return items.map((f) => {
      // No patch (binary, or a diff too large for GitHub to show): changed, with no reviewable lines.
      const hunks = typeof f.patch === 'string' ? newSideHunks(f.patch) : [];
      return { path: f.filename, hunks: hunks.length > 10_000 ? [] : hunks };
    });
  } catch (error) {
    throw failure(error, `files of pull request #${number}`, 'the workflow needs `permissions: pull-requests: read`');
  }
}

/** Logins of the authors and committers of the PR's commits (GitHub lists at most 250 commits). */
async function commitPeople(client: GitHubClient, owner: string, repo: string, number: number): Promise<string[]> {
  try {
    const { items } = await pages(
      client.paginate.iterator(client.rest.pulls.listCommits, { owner, repo, pull_number: number, per_page: PER_PAGE }) as AsyncIterable<{
        data: Array<{ author: { login?: string } | null; committer: { login?: string } | null }>;
      }>,
    );
    const logins = new Set<string>();
    for (const c of items) for (const who of [c.author?.login, c.committer?.login]) if (who) logins.add(who);
    return [...logins].sort().slice(0, 1000);
  } catch (error) {
    throw failure(error, `commits of pull request #${number}`, 'the workflow needs `permissions: pull-requests: read`');
  }
}

/**
 * Every check run on the SHA (`filter=all`, so the writer can find its own earlier runs by
 * `external_id` in the same list); the confirm gate takes the newest of each name. A list cut at
 * the page bound only loses runs: a gate then finds no confirmation and blocks, and the cut list is
 * not offered to the writer.
 */
async function checkRuns(client: GitHubClient, owner: string, repo: string, sha: string, lookups: FirstLookups | undefined): Promise<Facts['checkRuns']> {
  try {
    const { items, complete } = await pages(
      client.paginate.iterator(client.rest.checks.listForRef, { owner, repo, ref: sha, filter: 'all', per_page: PER_PAGE }) as AsyncIterable<{ data: ListedCheckRun[] }>,
    );
    if (complete) lookups?.putCheckRuns(sha, items);
    return items.map((r) => ({ id: r.id, name: r.name, headSha: r.head_sha, status: r.status as Facts['checkRuns'][number]['status'], conclusion: r.conclusion ?? null }));
  } catch (error) {
    throw failure(error, `check runs of ${sha.slice(0, 12)}`, 'the workflow needs `permissions: checks: read`');
  }
}

const ACTIONS_HINT = 'the workflow needs `permissions: actions: read` to read environment approvals and settings';

async function approvals(client: GitHubClient, owner: string, repo: string, runId: number): Promise<Facts['approvals']> {
  try {
    const { data } = await client.rest.actions.getReviewsForRun({ owner, repo, run_id: runId });
    if (!Array.isArray(data)) throw new ReadFailure('API_FAILED', `approvals of run ${runId}: not a list`);
    return data.flatMap((a) =>
      a.user?.login ? (a.environments ?? []).flatMap((e) => (e.name ? [{ environment: e.name, state: a.state, user: a.user.login }] : [])) : [],
    );
  } catch (error) {
    throw failure(error, `approvals of run ${runId}`, ACTIONS_HINT);
  }
}

/** Safe only when GitHub says so: a missing member counts as the unsafe default (FACTS: both default unsafe). */
async function environment(client: GitHubClient, owner: string, repo: string, name: string): Promise<Facts['environments']> {
  try {
    const { data } = await client.request(`GET /repos/{owner}/{repo}/environments/${encodeURIComponent(name)}`, { owner, repo });
    const env = data as { protection_rules?: Array<{ type?: string; prevent_self_review?: boolean }>; can_admins_bypass?: boolean };
    const reviewers = (env.protection_rules ?? []).filter((r) => r.type === 'required_reviewers');
    return {
      [name]: { preventSelfReview: reviewers.length > 0 && reviewers.every((r) => r.prevent_self_review === true), canAdminsBypass: env.can_admins_bypass !== false },
    };
  } catch (error) {
    // No such environment: settings unknown, which the engine treats as unsafe.
    if (statusOf(error) === 404) return {};
    throw failure(error, `environment ${name}`, ACTIONS_HINT);
  }
}

/**
 * Live facts for the engine (origin `live`). Reads, in order: the PR whose head is the SHA
 * (fallback: PRs of the head branch); the head branch's SHA and the default branch only when no PR
 * answered them (a PR carries its live head and its base repository); for a PR its files; then only
 * what the policy needs: check runs for confirmations (or for the writer's check run), approvals,
 * commit people for self-approval (only when an approval exists: without one the run is blocked
 * whoever the people are) and environment settings. Without a policy (missing or invalid: nothing will be written) the
 * policy-driven reads are skipped.
 *
 * The PR's head is GitHub's view of the branch; right after a push it may lag the branch by
 * seconds. The writes go to the commit GitHub shows on the PR, so staleness is judged on it.
 */
export async function readFacts(client: GitHubClient, target: LiveTarget, policy: Policy | undefined, options: { lookups?: FirstLookups } = {}): Promise<Loaded<Facts>> {
  const { owner, repo } = split(target.repository);
  try {
    const pr = await findPull(client, owner, repo, target);
    const fork = !!pr && pr.head.repo?.full_name.toLowerCase() !== target.repository.toLowerCase();
    const headSha = pr && (fork || pr.head.ref === target.headRef) ? pr.head.sha : await branchHead(client, owner, repo, target.headRef);
    const defaultBranch = pr?.base.repo?.default_branch || (await defaultBranchOf(client, owner, repo));
    const files = pr ? await changedFiles(client, owner, repo, pr.number) : null;
    if (pr) options.lookups?.putLabels(pr.number, (pr.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean));

    const approval = policy && policy.approval !== 'none' ? policy.approval : undefined;
    const confirm = policy ? Object.keys(policy.gates['confirm-check-runs']).length > 0 : false;
    const writesCheckRun = policy?.writes['check-run'] === 'allow' && (target.intents ?? []).includes('check-run');
    const runs = confirm || writesCheckRun ? await checkRuns(client, owner, repo, target.headSha, options.lookups) : [];
    const approved = approval && target.runId !== undefined ? await approvals(client, owner, repo, target.runId) : [];
    // Without an approval of the environment the run is blocked (APPROVAL_MISSING) whoever the people are.
    const anyApproval = approved.some((a) => approval && a.environment === approval.environment && a.state === 'approved');
    const headCommitAuthors = pr && anyApproval && approval?.['forbid-self-approval'] ? await commitPeople(client, owner, repo, pr.number) : [];
    // Read even without an approval: the report then names every blocker an operator must fix.
    const environments = approval?.['require-safe-environment'] ? await environment(client, owner, repo, approval.environment) : {};

    const facts = {
      origin: 'live',
      repository: target.repository,
      event: target.event,
      actor: target.actor,
      defaultBranch,
      headSha,
      pullRequest: pr
        ? {
            number: pr.number,
            ...(pr.html_url ? { url: pr.html_url } : {}),
            state: pr.state === 'open' ? 'open' : 'closed',
            draft: pr.draft === true,
            author: pr.user?.login ?? 'ghost',
            headSha: pr.head.sha,
            headRef: pr.head.ref,
            baseSha: pr.base.sha,
            baseRef: pr.base.ref,
            labels: (pr.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
          }
        : null,
      files,
      headCommitAuthors,
      checkRuns: runs,
      approvals: approved,
      environments,
    };
    const parsed = v.safeParse(Facts, facts);
    if (!parsed.success)
      return {
        status: 'failed',
        code: 'API_FAILED',
        message: `live facts: GitHub's answers did not fit the contract: ${parsed.issues.slice(0, Limits.maxIssues).map((i) => `${v.getDotPath(i) ?? ''} ${i.message}`.trim()).join('; ')}`,
        subject: 'facts',
      };
    return { status: 'ok', value: parsed.output, source: 'api' };
  } catch (error) {
    const f = failure(error, 'live facts');
    return { status: 'failed', code: f.code, message: f.message, ...(f.subject ? { subject: f.subject } : {}) };
  }
}
