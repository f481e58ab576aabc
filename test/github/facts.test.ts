import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { policyFromText } from '../../src/contract/documents.js';
import type { Facts } from '../../src/contract/facts.js';
import type { Policy } from '../../src/contract/policy.js';
import type { Loaded } from '../../src/decide/blockers.js';
import { createClient } from '../../src/github/client.js';
import { type LiveTarget, readFacts, readPolicyFile } from '../../src/github/facts.js';
import { checkRequest } from '../../src/github/firewall.js';
import { newSideHunks } from '../../src/github/hunks.js';
import { FirstLookups } from '../../src/github/lookups.js';

const API = 'https://api.github.test';
const R = `${API}/repos/octo/app`;
const HEAD = '1111111111111111111111111111111111111111';
const NEWER = '2222222222222222222222222222222222222222';
const BASE = '3333333333333333333333333333333333333333';

// Response shapes come from GitHub's OpenAPI description (components.examples), edited to fit.
const openapi = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
  components: { examples: Record<string, { value: unknown }> };
};
const example = <T = Record<string, unknown>>(key: string): T => structuredClone(openapi.components.examples[key]!.value) as T;
type Json = Record<string, any>;

const repository = (): Json => ({ ...example('full-repository'), full_name: 'octo/app', default_branch: 'main' });
function pull(o: { number?: number; state?: string; headSha?: string; headRef?: string; headRepo?: string | null; author?: string } = {}): Json {
  const p = example<Json[]>('pull-request-simple-items')[0]!;
  p.number = o.number ?? 42;
  p.state = o.state ?? 'open';
  p.draft = false;
  p.html_url = `https://github.com/octo/app/pull/${p.number}`;
  p.user.login = o.author ?? 'octo-dev';
  p.labels = [{ ...p.labels[0], name: 'agent' }];
  const headRepo = o.headRepo === undefined ? 'octo/app' : o.headRepo;
  p.head = { ...p.head, sha: o.headSha ?? HEAD, ref: o.headRef ?? 'feature/x', label: `${headRepo?.split('/')[0] ?? 'ghost'}:${o.headRef ?? 'feature/x'}` };
  p.head.repo = headRepo === null ? null : { ...p.head.repo, full_name: headRepo };
  p.base = { ...p.base, sha: BASE, ref: 'main', repo: { ...p.base.repo, full_name: 'octo/app', default_branch: 'main' } };
  return p;
}
function file(filename: string, status: string, patch?: string): Json {
  const f = example<Json[]>('diff-entry-items')[0]!;
  const out: Json = { ...f, filename, status };
  if (patch === undefined) delete out.patch;
  else out.patch = patch;
  return out;
}
function commit(author: string | null, committer: string | null): Json {
  const c = example<Json[]>('commit-items')[0]!;
  return { ...c, author: author ? { ...c.author, login: author } : null, committer: committer ? { ...c.committer, login: committer } : null };
}
function checkRun(id: number, name: string, conclusion: string | null = 'success', status = 'completed'): Json {
  const page = example<Json>('check-run-paginated');
  return { ...page.check_runs[0], id, name, head_sha: HEAD, status, conclusion };
}
function approval(user: string, environment: string, state = 'approved'): Json {
  const a = example<Json[]>('environment-approvals-items')[0]!;
  return { ...a, state, user: { ...a.user, login: user }, environments: [{ ...a.environments[0], name: environment }] };
}
function environment(name: string, settings: { preventSelfReview?: boolean; canAdminsBypass?: boolean }): Json {
  const e = example<Json>('environment');
  e.name = name;
  for (const rule of e.protection_rules) if (rule.type === 'required_reviewers' && settings.preventSelfReview !== undefined) rule.prevent_self_review = settings.preventSelfReview;
  if (settings.canAdminsBypass !== undefined) e.can_admins_bypass = settings.canAdminsBypass;
  return e;
}
const gitRef = (ref: string, sha: string): Json => ({ ...example<Json>('git-ref'), ref: `refs/heads/${ref}`, object: { type: 'commit', sha, url: '' } });
const contentFile = (path: string, text: string): Json => ({
  ...example<Json>('content-file'),
  path,
  name: path.split('/').at(-1),
  size: Buffer.byteLength(text),
  content: Buffer.from(text).toString('base64').replace(/.{60}/g, '$&\n'),
});

const POLICY_TEXT = `version: 1
mode: live
repositories: [octo/app]
gates:
  required: [verification]
  confirm-check-runs: { verification: "ci / test" }
approval:
  environment: agent-publish
writes:
  comment: allow
`;
const policyOf = (text: string): Policy => {
  const loaded = policyFromText(text, 'p.yml', 'file');
  if (loaded.status !== 'ok') throw new Error(loaded.message);
  return loaded.value;
};
const POLICY = policyOf(POLICY_TEXT);
const MINIMAL = policyOf('version: 1\nrepositories: [octo/app]\napproval: none\n');

const server = setupServer();
const seen: string[] = [];
const urls: string[] = [];
server.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  seen.push(`${request.method} ${url.pathname}`);
  urls.push(request.url);
});
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
  urls.length = 0;
});
afterAll(() => server.close());

const client = () => createClient({ token: 'ghs_test', baseUrl: API, repository: 'octo/app', writes: { allowed: false }, fetch: (...a) => fetch(...a), maxRetries: 0 });
const TARGET: LiveTarget = { repository: 'octo/app', event: 'workflow_run', actor: 'octo-dev', runId: 77, headSha: HEAD, headRef: 'feature/x' };

function ok<T>(loaded: Loaded<T>): T {
  if (loaded.status !== 'ok') throw new Error(`${loaded.code}: ${loaded.message}`);
  return loaded.value;
}
/** Every request that reached the server passed the firewall for a read-only run. */
function expectAllowed() {
  for (const url of urls) expect(checkRequest({ method: 'GET', url }, { repository: 'octo/app', apiOrigin: API, allowWrites: false }), url).toBeUndefined();
}

/** The happy path of a same-repo PR with the full policy: six reads (the repository and the branch are not asked: the PR answers both). */
function samePrHandlers(overrides: { files?: Json[]; env?: Json } = {}) {
  return [
    http.get(R, () => HttpResponse.json(repository())),
    http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([pull({ number: 7, state: 'closed', headSha: BASE }), pull()])),
    http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json(gitRef('feature/x', HEAD))),
    http.get(`${R}/pulls/42/files`, () => HttpResponse.json(overrides.files ?? [file('src/a.ts', 'modified', '@@ -1,3 +1,4 @@\n a\n+b\n c\n d')])),
    http.get(`${R}/pulls/42/commits`, () => HttpResponse.json([commit('octo-dev', 'web-flow'), commit('agent-bot[bot]', 'agent-bot[bot]')])),
    http.get(`${R}/commits/${HEAD}/check-runs`, () => HttpResponse.json({ total_count: 1, check_runs: [checkRun(900, 'ci / test')] })),
    http.get(`${R}/actions/runs/77/approvals`, () => HttpResponse.json([approval('security-lead', 'agent-publish')])),
    http.get(`${R}/environments/agent-publish`, () => HttpResponse.json(overrides.env ?? environment('agent-publish', { preventSelfReview: true, canAdminsBypass: false }))),
  ];
}

describe('readFacts', () => {
  it('reads a same-repo PR by head SHA, with files, people, checks, approvals and environment settings', async () => {
    server.use(...samePrHandlers());
    const lookups = new FirstLookups();
    const facts = ok(await readFacts(client(), { ...TARGET, pullRequest: 999 }, POLICY, { lookups }));
    expect(facts).toEqual<Facts>({
      origin: 'live',
      repository: 'octo/app',
      event: 'workflow_run',
      actor: 'octo-dev',
      defaultBranch: 'main',
      headSha: HEAD,
      pullRequest: {
        number: 42,
        url: 'https://github.com/octo/app/pull/42',
        state: 'open',
        draft: false,
        author: 'octo-dev',
        headSha: HEAD,
        headRef: 'feature/x',
        baseSha: BASE,
        baseRef: 'main',
        labels: ['agent'],
      },
      files: [{ path: 'src/a.ts', hunks: [[1, 4]] }],
      headCommitAuthors: ['agent-bot[bot]', 'octo-dev', 'web-flow'],
      checkRuns: [{ id: 900, name: 'ci / test', headSha: HEAD, status: 'completed', conclusion: 'success' }],
      approvals: [{ environment: 'agent-publish', state: 'approved', user: 'security-lead' }],
      environments: { 'agent-publish': { preventSelfReview: true, canAdminsBypass: false } },
    });
    expect(seen).toEqual([
      `GET /repos/octo/app/commits/${HEAD}/pulls`,
      'GET /repos/octo/app/pulls/42/files',
      `GET /repos/octo/app/commits/${HEAD}/check-runs`,
      'GET /repos/octo/app/actions/runs/77/approvals',
      'GET /repos/octo/app/pulls/42/commits',
      'GET /repos/octo/app/environments/agent-publish',
    ]);
    // Every run of the SHA is listed (the writer finds its own earlier runs in the same list).
    expect(new URL(urls.find((u) => u.includes('/check-runs'))!).searchParams.get('filter')).toBe('all');
    expect(lookups.checkRunsOf(HEAD)?.map((r) => r.id)).toEqual([900]);
    expect(lookups.labelsOf(42)).toEqual(['agent']);
    expectAllowed();
  });

  it('finds a fork PR by head SHA when workflow_run.pull_requests is empty, and takes its head from the PR', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([pull({ headRepo: 'mallory/app', headRef: 'main', author: 'mallory' })])),
      http.get(`${R}/pulls/42/files`, () => HttpResponse.json([file('README.md', 'modified', '@@ -10,2 +10,3 @@ x')])),
      http.get(`${R}/pulls/42/commits`, () => HttpResponse.json([commit('mallory', 'mallory')])),
      http.get(`${R}/commits/${HEAD}/check-runs`, () => HttpResponse.json({ total_count: 0, check_runs: [] })),
      http.get(`${R}/actions/runs/77/approvals`, () => HttpResponse.json([])),
      http.get(`${R}/environments/agent-publish`, () => HttpResponse.json(environment('agent-publish', { preventSelfReview: true, canAdminsBypass: false }))),
    );
    // The fork's branch is `main`: reading the base repository's `main` would be wrong, so no ref read.
    const facts = ok(await readFacts(client(), { ...TARGET, headRef: 'main', actor: 'mallory' }, POLICY));
    expect(facts.pullRequest).toMatchObject({ number: 42, author: 'mallory', headSha: HEAD, headRef: 'main' });
    expect(facts.headSha).toBe(HEAD);
    // No approval yet: the run is blocked whoever the people are, so the commits are not read.
    expect(facts.headCommitAuthors).toEqual([]);
    expect(facts.approvals).toEqual([]);
    expect(seen).toHaveLength(5);
    expect(seen.some((s) => s.endsWith('/commits'))).toBe(false);
    expect(seen.some((s) => s.includes('/git/ref/'))).toBe(false);
    expectAllowed();
  });

  it('finds a fork PR through the head branch when the SHA lookup knows nothing', async () => {
    let query = '';
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json({ message: 'No commit found for SHA' }, { status: 422 })),
      http.get(`${R}/pulls`, ({ request }) => {
        query = new URL(request.url).search;
        return HttpResponse.json([pull({ headRepo: 'mallory/app', headRef: 'fix' })]);
      }),
      http.get(`${R}/pulls/42/files`, () => HttpResponse.json([])),
    );
    const facts = ok(await readFacts(client(), { ...TARGET, headRef: 'fix', headOwner: 'mallory' }, MINIMAL));
    expect(new URLSearchParams(query).get('head')).toBe('mallory:fix');
    expect(new URLSearchParams(query).get('state')).toBe('all');
    expect(facts.pullRequest?.number).toBe(42);
    expect(facts.headSha).toBe(HEAD);
    expect(seen).toHaveLength(3);
    expectAllowed();
  });

  it('reports no PR when neither the SHA nor the branch has one, with the live branch head', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json(gitRef('feature/x', HEAD))),
    );
    const facts = ok(await readFacts(client(), TARGET, MINIMAL));
    expect(facts.pullRequest).toBeNull();
    expect(facts.files).toBeNull();
    expect(facts.headSha).toBe(HEAD);
    // Without a PR the branch and the repository (default branch) are asked directly.
    expect(seen).toEqual([
      `GET /repos/octo/app/commits/${HEAD}/pulls`,
      'GET /repos/octo/app/pulls',
      'GET /repos/octo/app/git/ref/heads/feature/x',
      'GET /repos/octo/app',
    ]);
    expect(facts.defaultBranch).toBe('main');
    expectAllowed();
  });

  it('reports a deleted head branch as null', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json({ message: 'Not Found' }, { status: 404 })),
    );
    expect(ok(await readFacts(client(), TARGET, MINIMAL)).headSha).toBeNull();
  });

  it('reports a closed PR as closed', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([pull({ state: 'closed' })])),
      http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json(gitRef('feature/x', HEAD))),
      http.get(`${R}/pulls/42/files`, () => HttpResponse.json([])),
    );
    const facts = ok(await readFacts(client(), TARGET, MINIMAL));
    expect(facts.pullRequest).toMatchObject({ number: 42, state: 'closed' });
    expect(seen).toHaveLength(2);
  });

  it('reports a moved head: the PR of the branch carries the new SHA', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      // GitHub still associates the old commit with the PR, whose head has moved on.
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([pull({ headSha: NEWER })])),
      http.get(`${R}/pulls`, () => HttpResponse.json([pull({ headSha: NEWER })])),
      http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json(gitRef('feature/x', NEWER))),
      http.get(`${R}/pulls/42/files`, () => HttpResponse.json([])),
    );
    const facts = ok(await readFacts(client(), TARGET, MINIMAL));
    expect(facts.pullRequest?.headSha).toBe(NEWER);
    expect(facts.headSha).toBe(NEWER);
    expect(seen).toHaveLength(3);
  });

  it('ignores a PR of the same branch name from another fork', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/pulls`, () => HttpResponse.json([pull({ headRepo: 'eve/app', headSha: NEWER })])),
      http.get(`${R}/git/ref/heads/feature/x`, () => HttpResponse.json(gitRef('feature/x', HEAD))),
    );
    expect(ok(await readFacts(client(), TARGET, MINIMAL)).pullRequest).toBeNull();
  });

  it('parses the new-side hunks of changed files, including added, deleted and binary files', async () => {
    server.use(
      ...samePrHandlers({
        files: [
          file('src/many.ts', 'modified', '@@ -132,7 +132,7 @@ module Test\n-a\n+b\n@@ -1000,7 +1001,8 @@ module Test\n+c\n@@ -5 +6 @@\n-x\n+y'),
          file('src/new.ts', 'added', '@@ -0,0 +1,3 @@\n+a\n+b\n+c'),
          file('src/old.ts', 'removed', '@@ -1,3 +0,0 @@\n-a\n-b\n-c'),
          file('assets/logo.png', 'modified'),
        ],
      }),
    );
    const facts = ok(await readFacts(client(), TARGET, POLICY));
    expect(facts.files).toEqual([
      { path: 'src/many.ts', hunks: [[132, 138], [1001, 1008], [6, 6]] },
      { path: 'src/new.ts', hunks: [[1, 3]] },
      { path: 'src/old.ts', hunks: [] },
      { path: 'assets/logo.png', hunks: [] },
    ]);
  });

  it('follows check run pagination', async () => {
    server.use(...samePrHandlers());
    server.use(
      http.get(`${R}/commits/${HEAD}/check-runs`, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page') ?? '1';
        if (page === '1') {
          const runs = Array.from({ length: 100 }, (_, i) => checkRun(i + 1, `job ${i + 1}`));
          return HttpResponse.json({ total_count: 101, check_runs: runs }, { headers: { link: `<${R}/commits/${HEAD}/check-runs?per_page=100&page=2>; rel="next", <${R}/commits/${HEAD}/check-runs?per_page=100&page=2>; rel="last"` } });
        }
        return HttpResponse.json({ total_count: 101, check_runs: [checkRun(500, 'ci / test', null, 'in_progress')] });
      }),
    );
    const facts = ok(await readFacts(client(), TARGET, POLICY));
    expect(facts.checkRuns).toHaveLength(101);
    expect(facts.checkRuns.at(-1)).toEqual({ id: 500, name: 'ci / test', headSha: HEAD, status: 'in_progress', conclusion: null });
    expect(seen.filter((s) => s.endsWith('/check-runs'))).toHaveLength(2);
    expectAllowed();
  });

  it('reports an unsafe environment as GitHub describes it (defaults count as unsafe)', async () => {
    const env = environment('agent-publish', {}); // the example: prevent_self_review false, no can_admins_bypass member
    server.use(...samePrHandlers({ env }));
    const facts = ok(await readFacts(client(), TARGET, POLICY));
    expect(facts.environments).toEqual({ 'agent-publish': { preventSelfReview: false, canAdminsBypass: true } });

    server.use(http.get(`${R}/environments/agent-publish`, () => HttpResponse.json({ ...environment('agent-publish', { canAdminsBypass: false }), protection_rules: [] })));
    const noReviewers = ok(await readFacts(client(), TARGET, POLICY));
    expect(noReviewers.environments).toEqual({ 'agent-publish': { preventSelfReview: false, canAdminsBypass: false } });
  });

  it('maps approvals of every environment with their state', async () => {
    server.use(...samePrHandlers());
    server.use(
      http.get(`${R}/actions/runs/77/approvals`, () =>
        HttpResponse.json([approval('octo-dev', 'agent-publish'), approval('security-lead', 'agent-publish', 'rejected'), approval('ops', 'prod')]),
      ),
    );
    const facts = ok(await readFacts(client(), TARGET, POLICY));
    expect(facts.approvals).toEqual([
      { environment: 'agent-publish', state: 'approved', user: 'octo-dev' },
      { environment: 'agent-publish', state: 'rejected', user: 'security-lead' },
      { environment: 'prod', state: 'approved', user: 'ops' },
    ]);
  });

  it('does not read approvals without a run id, nor policy-driven facts without a policy', async () => {
    server.use(...samePrHandlers());
    ok(await readFacts(client(), { ...TARGET, runId: undefined }, POLICY));
    expect(seen.some((s) => s.includes('/approvals'))).toBe(false);
    // No approvals read, so none to judge: the commit people are not read either.
    expect(seen.some((s) => s.endsWith('/commits'))).toBe(false);
    expect(seen).toHaveLength(4);
    seen.length = 0;
    ok(await readFacts(client(), TARGET, undefined));
    expect(seen).toHaveLength(2);
  });

  it('fails closed with AUTH_FAILED naming actions: read when approvals are forbidden', async () => {
    server.use(...samePrHandlers());
    server.use(
      http.get(`${R}/actions/runs/77/approvals`, () =>
        HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403, headers: { 'x-accepted-github-permissions': 'actions=read' } }),
      ),
    );
    const loaded = await readFacts(client(), TARGET, POLICY);
    expect(loaded).toMatchObject({ status: 'failed', code: 'AUTH_FAILED', subject: 'approvals of run 77' });
    expect(loaded.status === 'failed' && loaded.message).toMatch(/actions: read/);
  });

  it('fails with AUTH_FAILED on bad credentials', async () => {
    server.use(http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json({ message: 'Bad credentials' }, { status: 401 })));
    const loaded = await readFacts(client(), TARGET, POLICY);
    expect(loaded).toMatchObject({ status: 'failed', code: 'AUTH_FAILED' });
    expect(seen).toHaveLength(1);
  });

  it('fails when GitHub answers outside the contract', async () => {
    server.use(...samePrHandlers({ files: [file('bad\u0007name', 'added', '@@ -0,0 +1 @@\n+x')] }));
    expect(await readFacts(client(), TARGET, POLICY)).toMatchObject({ status: 'failed', code: 'API_FAILED' });
  });

  it('encodes branch names so a # stays part of the ref', async () => {
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/commits/${HEAD}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/pulls`, () => HttpResponse.json([])),
      http.get(`${R}/git/ref/heads/fix/:rest`, ({ params }) => HttpResponse.json(gitRef(`fix/${String(params.rest)}`, HEAD))),
    );
    const facts = ok(await readFacts(client(), { ...TARGET, headRef: 'fix/issue#12' }, MINIMAL));
    expect(facts.headSha).toBe(HEAD);
    expect(urls).toContain(`${R}/git/ref/heads/fix/issue%2312`);
    expectAllowed();
  });
});

describe('newSideHunks', () => {
  it('reads counts, single-line hunks and pure deletions', () => {
    expect(newSideHunks('@@ -1,2 +1,5 @@ fn\n x\n@@ -40 +43 @@\n@@ -50,3 +53,0 @@\n')).toEqual([
      [1, 5],
      [43, 43],
    ]);
    expect(newSideHunks('no hunks here\n+@@ -1 +1 @@ not at a line start')).toEqual([]);
  });
});

describe('readPolicyFile', () => {
  it('reads the policy from the default branch', async () => {
    let ref = '';
    server.use(
      http.get(R, () => HttpResponse.json(repository())),
      http.get(`${R}/contents/.github/publish-gate.yml`, ({ request }) => {
        ref = new URL(request.url).searchParams.get('ref') ?? '';
        return HttpResponse.json(contentFile('.github/publish-gate.yml', POLICY_TEXT));
      }),
    );
    const loaded = await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml');
    expect(loaded).toMatchObject({ status: 'ok', source: 'api', value: { mode: 'live', repositories: ['octo/app'] } });
    // No ref: GitHub answers from the default branch, so the repository is not read first.
    expect(ref).toBe('');
    expect(seen).toEqual(['GET /repos/octo/app/contents/.github/publish-gate.yml']);
    expectAllowed();
  });

  it('reads the policy at config-ref without asking for the default branch', async () => {
    let ref = '';
    server.use(
      http.get(`${R}/contents/.github/publish-gate.yml`, ({ request }) => {
        ref = new URL(request.url).searchParams.get('ref') ?? '';
        return HttpResponse.json(contentFile('.github/publish-gate.yml', POLICY_TEXT));
      }),
    );
    expect((await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml', 'release/v2')).status).toBe('ok');
    expect(ref).toBe('release/v2');
    expect(seen).toEqual(['GET /repos/octo/app/contents/.github/publish-gate.yml']);
  });

  it('names the default branch when the policy is missing there', async () => {
    server.use(http.get(`${R}/contents/.github/publish-gate.yml`, () => HttpResponse.json({ message: 'Not Found' }, { status: 404 })));
    const loaded = await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml');
    expect(loaded).toMatchObject({ status: 'failed', code: 'CONFIG_MISSING' });
    expect(loaded.status === 'failed' && loaded.message).toMatch(/the default branch/);
  });

  it('reports a missing policy as CONFIG_MISSING', async () => {
    server.use(http.get(`${R}/contents/.github/publish-gate.yml`, () => HttpResponse.json({ message: 'Not Found' }, { status: 404 })));
    expect(await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml', 'main')).toMatchObject({ status: 'failed', code: 'CONFIG_MISSING' });
  });

  it('reports invalid YAML and an invalid policy as CONFIG_INVALID', async () => {
    server.use(http.get(`${R}/contents/.github/publish-gate.yml`, () => HttpResponse.json(contentFile('.github/publish-gate.yml', 'version: 1\nrepositories: [unclosed\n'))));
    expect(await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml', 'main')).toMatchObject({ status: 'failed', code: 'CONFIG_INVALID' });
    server.use(http.get(`${R}/contents/.github/publish-gate.yml`, () => HttpResponse.json(contentFile('.github/publish-gate.yml', 'version: 1\nrepositories: [octo/app]\n'))));
    // No `approval`: invalid by the contract.
    expect(await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml', 'main')).toMatchObject({ status: 'failed', code: 'CONFIG_INVALID' });
  });

  it('refuses a directory, a symlink, a followed symlink and an oversized file', async () => {
    const path = '.github/publish-gate.yml';
    const answers: Json[] = [
      example<Json>('content-file-response-if-content-is-a-directory'),
      { ...example<Json>('content-file-response-if-content-is-a-symlink'), path },
      contentFile('secrets/other.yml', POLICY_TEXT),
      { ...contentFile(path, POLICY_TEXT), size: 300 * 1024 },
      { ...contentFile(path, POLICY_TEXT), content: Buffer.alloc(300 * 1024, 'a').toString('base64') },
    ];
    for (const answer of answers) {
      server.use(http.get(`${R}/contents/${path}`, () => HttpResponse.json(answer)));
      expect(await readPolicyFile(client(), 'octo/app', path, 'main')).toMatchObject({ status: 'failed', code: 'CONFIG_INVALID' });
    }
    expect(await readPolicyFile(client(), 'octo/app', '../x.yml', 'main')).toMatchObject({ status: 'failed', code: 'CONFIG_INVALID' });
  });

  it('names contents: read when the policy read is forbidden', async () => {
    server.use(http.get(`${R}/contents/.github/publish-gate.yml`, () => HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403 })));
    const loaded = await readPolicyFile(client(), 'octo/app', '.github/publish-gate.yml', 'main');
    expect(loaded).toMatchObject({ status: 'failed', code: 'AUTH_FAILED' });
    expect(loaded.status === 'failed' && loaded.message).toMatch(/contents: read/);
  });
});
