import { createHash } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContentPipeline } from '../../src/content/pipeline.js';
import { createRedactor } from '../../src/content/redact/index.js';
import type { ChangeFile } from '../../src/contract/envelope.js';
import type { Plan } from '../../src/decide/decide.js';
import { digestOf, idempotencyKey } from '../../src/decide/digest.js';
import type { PlanEntry, WritePayload } from '../../src/decide/writes.js';
import { gitBlobSha, renderCommitMessage } from '../../src/github/branch.js';
import { createClient } from '../../src/github/client.js';
import { CI_NOTE } from '../../src/github/handler.js';
import { commitCarriesMarker, commitTrailer, markerLine } from '../../src/github/marker.js';
import { type ExecuteArgs, MemoryJournal, executePlan } from '../../src/github/writer.js';

const API = 'https://api.github.test';
const REPO = 'octo/app';
const R = `${API}/repos/octo/app`;
const BOT = 'github-actions[bot]';
const BRANCH = 'agent/fix-123';
const BRANCH_KEY = idempotencyKey(REPO, 'branch', 'main', BRANCH);
const PR_KEY = idempotencyKey(REPO, 'pull-request', 'main', BRANCH);

// ---- An in-memory Git and GitHub: objects are content-addressed, as in Git. ----
type Tree = Map<string, { mode: string; sha: string }>;
interface Commit { sha: string; message: string; tree: string; parents: string[]; author: string; verified: boolean }
interface Pull { number: number; state: 'open' | 'closed'; draft: boolean; title: string; body: string | null; user: { login: string }; html_url: string; head: { ref: string; repo: { full_name: string } }; base: { ref: string } }
type Fault = () => Response | 'after' | undefined;

let gh: {
  blobs: Map<string, Buffer>;
  trees: Map<string, Tree>;
  commits: Map<string, Commit>;
  branches: Map<string, string>;
  protected: Set<string>;
  pulls: Pull[];
  /** Who GitHub names as the author of commits made through the API. */
  author: string;
  faults: Map<string, Fault>;
  n: number;
};
const seen: string[] = [];
const writes = () => seen.filter((s) => !s.startsWith('GET '));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function putTree(tree: Tree): string {
  const sha = sha1(JSON.stringify([...tree].sort(([a], [b]) => a.localeCompare(b))));
  gh.trees.set(sha, tree);
  return sha;
}

function putCommit(c: Omit<Commit, 'sha'>): string {
  const sha = sha1(`${JSON.stringify(c)}|${gh.n++}`);
  gh.commits.set(sha, { ...c, sha });
  return sha;
}

function fresh() {
  gh = { blobs: new Map(), trees: new Map(), commits: new Map(), branches: new Map(), protected: new Set(['main']), pulls: [], author: BOT, faults: new Map(), n: 0 };
  const readme = Buffer.from('# app\n');
  gh.blobs.set(gitBlobSha(readme), readme);
  const oldFile = Buffer.from('remove me\n');
  gh.blobs.set(gitBlobSha(oldFile), oldFile);
  const tree = putTree(new Map([['README.md', { mode: '100644', sha: gitBlobSha(readme) }], ['src/old.ts', { mode: '100644', sha: gitBlobSha(oldFile) }]]));
  gh.branches.set('main', putCommit({ message: 'initial', tree, parents: [], author: 'octo-dev', verified: false }));
}

const tipOf = (branch: string) => gh.commits.get(gh.branches.get(branch)!)!;
const filesOf = (branch: string) => Object.fromEntries([...gh.trees.get(tipOf(branch).tree)!].map(([path, e]) => [path, gh.blobs.get(e.sha)!.toString('utf8')]));

async function act(request: Request, route: string, perform: (body: Record<string, unknown>) => Response | object, status = 201) {
  const body = request.method === 'GET' ? {} : ((await request.json()) as Record<string, unknown>);
  const fault = gh.faults.get(route)?.();
  if (fault instanceof Response) return fault;
  const result = perform(body);
  if (fault === 'after') return new HttpResponse('bad gateway', { status: 502 });
  return result instanceof Response ? result : HttpResponse.json(result, { status });
}

const after = (request: Request, prefix: string) => decodeURIComponent(new URL(request.url).pathname.slice(`/repos/octo/app${prefix}`.length));
const notFound = () => HttpResponse.json({ message: 'Not Found' }, { status: 404 });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function branchJson(name: string) {
  const c = tipOf(name);
  return {
    name,
    protected: gh.protected.has(name),
    commit: {
      sha: c.sha,
      html_url: `https://github.test/octo/app/commit/${c.sha}`,
      author: { login: c.author },
      commit: { message: c.message, tree: { sha: c.tree }, verification: { verified: c.verified, reason: c.verified ? 'valid' : 'unsigned' } },
    },
  };
}

const handlers = [
  http.get(new RegExp(`^${escape(R)}/branches/.+$`), ({ request }) => {
    const name = after(request, '/branches/');
    return gh.branches.has(name) ? HttpResponse.json(branchJson(name)) : HttpResponse.json({ message: 'Branch not found' }, { status: 404 });
  }),
  http.get(`${R}/git/trees/:sha`, ({ params }) => {
    const tree = gh.trees.get(String(params.sha));
    if (!tree) return notFound();
    return HttpResponse.json({ sha: params.sha, truncated: false, tree: [...tree].map(([path, e]) => ({ path, mode: e.mode, type: 'blob', sha: e.sha, size: gh.blobs.get(e.sha)?.length ?? 0 })) });
  }),
  http.post(`${R}/git/blobs`, ({ request }) =>
    act(request, 'POST blobs', (b) => {
      const bytes = Buffer.from(String(b.content), b.encoding === 'base64' ? 'base64' : 'utf8');
      const sha = gitBlobSha(bytes);
      gh.blobs.set(sha, bytes);
      return { sha, url: `${R}/git/blobs/${sha}` };
    }),
  ),
  http.post(`${R}/git/trees`, ({ request }) =>
    act(request, 'POST trees', (b) => {
      const base = gh.trees.get(String(b.base_tree));
      if (!base) return HttpResponse.json({ message: 'base_tree not found' }, { status: 422 });
      const tree: Tree = new Map(base);
      for (const e of b.tree as { path: string; mode: string; sha: string | null }[]) {
        if (e.sha === null) {
          if (!tree.delete(e.path)) return HttpResponse.json({ message: `path ${e.path} not in tree` }, { status: 422 });
        } else tree.set(e.path, { mode: e.mode, sha: e.sha });
      }
      const sha = putTree(tree);
      return { sha, url: `${R}/git/trees/${sha}`, tree: [], truncated: false };
    }),
  ),
  http.post(`${R}/git/commits`, ({ request }) =>
    act(request, 'POST commits', (b) => {
      const sha = putCommit({ message: String(b.message), tree: String(b.tree), parents: b.parents as string[], author: gh.author, verified: true });
      return { sha, html_url: `https://github.test/octo/app/commit/${sha}`, message: b.message, tree: { sha: b.tree }, parents: (b.parents as string[]).map((p) => ({ sha: p })), verification: { verified: true, reason: 'valid', signature: 'sig', payload: 'p' } };
    }),
  ),
  http.post(`${R}/git/refs`, ({ request }) =>
    act(request, 'POST refs', (b) => {
      const name = String(b.ref).replace(/^refs\/heads\//, '');
      if (gh.branches.has(name)) return HttpResponse.json({ message: 'Reference already exists' }, { status: 422 });
      gh.branches.set(name, String(b.sha));
      return { ref: b.ref, object: { type: 'commit', sha: b.sha } };
    }),
  ),
  http.patch(new RegExp(`^${escape(R)}/git/refs/heads/.+$`), ({ request }) =>
    act(request, 'PATCH ref', (b) => {
      const name = after(request, '/git/refs/heads/');
      const current = gh.branches.get(name);
      if (!current) return HttpResponse.json({ message: 'Reference does not exist' }, { status: 422 });
      if (b.force !== false) return HttpResponse.json({ message: 'test expects force: false' }, { status: 400 });
      if (!gh.commits.get(String(b.sha))?.parents.includes(current)) return HttpResponse.json({ message: 'Update is not a fast forward' }, { status: 422 });
      gh.branches.set(name, String(b.sha));
      return { ref: `refs/heads/${name}`, object: { type: 'commit', sha: b.sha } };
    }, 200),
  ),
  http.get(`${R}/pulls`, ({ request }) => {
    const q = new URL(request.url).searchParams;
    const [owner, ref] = (q.get('head') ?? ':').split(':');
    const state = q.get('state') ?? 'open';
    return HttpResponse.json(gh.pulls.filter((p) => owner === 'octo' && p.head.ref === ref && (!q.get('base') || p.base.ref === q.get('base')) && (state === 'all' || p.state === state)));
  }),
  http.post(`${R}/pulls`, ({ request }) =>
    act(request, 'POST pulls', (b) => {
      if (gh.pulls.some((p) => p.state === 'open' && p.head.ref === b.head && p.base.ref === b.base))
        return HttpResponse.json({ message: 'Validation Failed', errors: [{ message: `A pull request already exists for octo:${String(b.head)}.` }] }, { status: 422 });
      const number = 50 + gh.pulls.length;
      const pull: Pull = { number, state: 'open', draft: b.draft === true, title: String(b.title), body: (b.body as string) ?? null, user: { login: BOT }, html_url: `https://github.test/octo/app/pull/${number}`, head: { ref: String(b.head), repo: { full_name: REPO } }, base: { ref: String(b.base) } };
      gh.pulls.push(pull);
      return pull;
    }),
  ),
  http.patch(`${R}/pulls/:n`, ({ request, params }) =>
    act(request, 'PATCH pull', (b) => {
      const pull = gh.pulls.find((p) => p.number === Number(params.n));
      if (!pull) return notFound();
      pull.title = String(b.title);
      pull.body = String(b.body);
      return pull;
    }, 200),
  ),
];

const server = setupServer(...handlers);
server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${decodeURIComponent(new URL(request.url).pathname).replace('/repos/octo/app', '')}`));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => {
  fresh();
  seen.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// ---- Plans ----
const FILES: ChangeFile[] = [
  { path: 'src/fix.ts', content: 'export const fixed = true;\n', encoding: 'utf-8', mode: '100644' },
  { path: 'README.md', content: '# app\n\nFixed.\n', encoding: 'utf-8', mode: '100644' },
];

function plan(o: { files?: ChangeFile[]; message?: string; pr?: false | { title?: string; body?: string; draft?: boolean } } = {}): Plan {
  const payloads: [string, WritePayload][] = [[BRANCH_KEY, { kind: 'branch', branch: BRANCH, base: 'main', message: o.message ?? 'Fix the search filter\n\nEscapes the value.', files: o.files ?? FILES }]];
  if (o.pr !== false) {
    const pr = o.pr ?? {};
    payloads.push([PR_KEY, { kind: 'pull-request', head: BRANCH, base: 'main', title: pr.title ?? 'Fix the search filter', body: pr.body ?? 'The agent fixed it.', draft: pr.draft ?? true }]);
  }
  const entries: PlanEntry[] = payloads.map(([key, p]) => ({ kind: p.kind, key, target: 'main', action: 'create', allowed: true, digest: digestOf(p) }));
  return {
    decision: 'published', mode: 'live', blockers: [], warnings: [], entries, digest: digestOf(entries), payloads: Object.fromEntries(payloads),
    findings: { total: 0, published: 0, inline: 0, folded: 0, dropped: { 'unsafe-path': 0, 'denied-path': 0, severity: 0, confidence: 0, 'out-of-scope': 0, duplicate: 0 } },
    policySource: 'policy', held: 0,
  };
}

function run(p: Plan, journal = new MemoryJournal(), extra: Pick<ExecuteArgs, 'ledgerKey' | 'identity'> = {}) {
  const client = createClient({ token: 'ghs_test', baseUrl: API, repository: REPO, writes: { allowed: true }, fetch: (...a) => fetch(...a), maxRetries: 0 });
  const content = new ContentPipeline(createRedactor({ secrets: ['ghs_test_secret_value'], scanners: [] }));
  return executePlan({ client, repository: REPO, plan: p, content, journal, ...extra }).then((out) => ({ ...out, journal }));
}

const GIT_WRITES_NEW = ['POST /git/blobs', 'POST /git/blobs', 'POST /git/trees', 'POST /git/commits', 'POST /git/refs'];

describe('branch from changes', () => {
  it('creates a new branch: blobs, tree on the live base tree, commit with parent = base, then the ref', async () => {
    const base = gh.branches.get('main')!;
    const { records, failed } = await run(plan({ pr: false }));
    expect(failed).toBe(false);
    expect(writes()).toEqual(GIT_WRITES_NEW);
    const tip = tipOf(BRANCH);
    expect(tip.parents).toEqual([base]);
    expect(filesOf(BRANCH)).toEqual({ 'README.md': '# app\n\nFixed.\n', 'src/old.ts': 'remove me\n', 'src/fix.ts': 'export const fixed = true;\n' });
    expect(tip.message.split('\n').at(-1)).toBe(commitTrailer(BRANCH_KEY));
    expect(tip.message.startsWith('Fix the search filter\n\nEscapes the value.\n\n')).toBe(true);
    expect(records[0]).toMatchObject({ kind: 'branch', status: 'done', id: tip.sha, url: expect.stringContaining(tip.sha), note: expect.stringContaining('signed by GitHub') });
    expect(records[0]!.note).toContain(CI_NOTE);
    expect(gh.branches.get('main')).toBe(base);
  });

  it('re-running the same envelope makes no commit and no ref write (fresh journal: read from GitHub)', async () => {
    await run(plan({ pr: false }));
    const tip = gh.branches.get(BRANCH);
    seen.length = 0;
    const { records } = await run(plan({ pr: false }));
    expect(records[0]).toMatchObject({ status: 'unchanged', id: tip });
    expect(writes()).toEqual([]);
    expect(gh.branches.get(BRANCH)).toBe(tip);
  });

  it('fast-forwards our own branch for a changed envelope: parent = current tip, force: false', async () => {
    const { journal } = await run(plan({ pr: false }));
    const first = gh.branches.get(BRANCH)!;
    seen.length = 0;
    const files: ChangeFile[] = [{ path: 'src/fix.ts', content: 'export const fixed = 2;\n', encoding: 'utf-8', mode: '100644' }];
    const { records } = await run(plan({ pr: false, files }), journal);
    expect(writes()).toEqual(['POST /git/blobs', 'POST /git/trees', 'POST /git/commits', `PATCH /git/refs/heads/${BRANCH}`]);
    expect(tipOf(BRANCH).parents).toEqual([first]);
    expect(filesOf(BRANCH)['src/fix.ts']).toBe('export const fixed = 2;\n');
    expect(records[0]).toMatchObject({ status: 'done', id: gh.branches.get(BRANCH) });
  });

  it('a changed envelope whose files are already on the branch is unchanged: no commit', async () => {
    await run(plan({ pr: false }));
    const tip = gh.branches.get(BRANCH);
    seen.length = 0;
    const { records } = await run(plan({ pr: false, files: [FILES[0]!] }));
    expect(records[0]!.status).toBe('unchanged');
    expect(writes()).toEqual([]);
    expect(gh.branches.get(BRANCH)).toBe(tip);
  });

  it('refuses to update a branch whose tip someone else pushed (BRANCH_NOT_ALLOWED), writing nothing', async () => {
    await run(plan({ pr: false }));
    const ours = gh.branches.get(BRANCH)!;
    const theirs = putCommit({ message: 'manual fix', tree: tipOf(BRANCH).tree, parents: [ours], author: 'mallory', verified: false });
    gh.branches.set(BRANCH, theirs);
    seen.length = 0;
    const { records, failed } = await run(plan({ files: [{ path: 'src/fix.ts', content: 'v3\n', encoding: 'utf-8', mode: '100644' }] }));
    expect(failed).toBe(true);
    expect(records).toEqual([expect.objectContaining({ kind: 'branch', status: 'failed', error: expect.objectContaining({ code: 'BRANCH_NOT_ALLOWED' }), note: expect.stringContaining('not ours') })]);
    expect(writes()).toEqual([]);
    expect(gh.branches.get(BRANCH)).toBe(theirs);
  });

  it('a copied trailer does not make a foreign commit ours: wrong MAC with a ledger key, or another author', async () => {
    await run(plan({ pr: false }), new MemoryJournal(), { ledgerKey: 'k1' });
    const tree = tipOf(BRANCH).tree;
    // Same author, forged trailer without the key: refused.
    gh.branches.set(BRANCH, putCommit({ message: `x\n\n${commitTrailer(BRANCH_KEY)}`, tree, parents: [gh.branches.get(BRANCH)!], author: BOT, verified: true }));
    const forged = await run(plan({ pr: false, files: [FILES[0]!, { path: 'b.txt', content: 'b', encoding: 'utf-8', mode: '100644' }] }), new MemoryJournal(), { ledgerKey: 'k1' });
    expect(forged.records[0]!.error?.code).toBe('BRANCH_NOT_ALLOWED');
    // A valid trailer but GitHub names someone else as the author: refused.
    gh.branches.set(BRANCH, putCommit({ message: `x\n\n${commitTrailer(BRANCH_KEY, 'k1')}`, tree, parents: [gh.branches.get(BRANCH)!], author: 'mallory', verified: false }));
    const foreign = await run(plan({ pr: false, files: [{ path: 'c.txt', content: 'c', encoding: 'utf-8', mode: '100644' }] }), new MemoryJournal(), { ledgerKey: 'k1' });
    expect(foreign.records[0]!.error?.code).toBe('BRANCH_NOT_ALLOWED');
  });

  it('refuses a protected branch, whatever its tip', async () => {
    await run(plan({ pr: false }));
    gh.protected.add(BRANCH);
    seen.length = 0;
    const { records, failed } = await run(plan({ files: [{ path: 'src/fix.ts', content: 'v3\n', encoding: 'utf-8', mode: '100644' }] }));
    expect(failed).toBe(true);
    expect(records[0]).toMatchObject({ status: 'failed', error: { code: 'BRANCH_NOT_ALLOWED', message: expect.stringContaining('protected') } });
    expect(writes()).toEqual([]);
  });

  it('a branch that moves between the read and the ref update is refused, not forced', async () => {
    await run(plan({ pr: false }));
    const ours = gh.branches.get(BRANCH)!;
    gh.faults.set('PATCH ref', () => {
      // Someone pushes right before our update arrives.
      gh.branches.set(BRANCH, putCommit({ message: 'race', tree: tipOf(BRANCH).tree, parents: [ours], author: 'mallory', verified: false }));
      return undefined;
    });
    const { records } = await run(plan({ pr: false, files: [{ path: 'src/fix.ts', content: 'v3\n', encoding: 'utf-8', mode: '100644' }] }));
    expect(records[0]).toMatchObject({ status: 'failed', error: { code: 'BRANCH_NOT_ALLOWED', message: expect.stringContaining('not a fast-forward') } });
    expect(records[0]!.error!.message).toContain('Update is not a fast forward');
    expect(tipOf(BRANCH).message).toBe('race');
  });

  it('a deleted file becomes a tree entry with sha: null; deleting an absent path is dropped', async () => {
    const files: ChangeFile[] = [{ path: 'src/old.ts', deleted: true }, { path: 'src/never.ts', deleted: true }, FILES[0]!];
    await run(plan({ pr: false, files }));
    const tree = JSON.parse(JSON.stringify((await lastBody('POST /git/trees'))));
    expect(tree.tree).toEqual([{ path: 'src/old.ts', mode: '100644', type: 'blob', sha: null }, { path: 'src/fix.ts', mode: '100644', type: 'blob', sha: gitBlobSha(Buffer.from('export const fixed = true;\n')) }]);
    expect(Object.keys(filesOf(BRANCH)).sort()).toEqual(['README.md', 'src/fix.ts']);
  });

  it('sends base64 content as a base64 blob, and keeps an executable mode', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    await run(plan({ pr: false, files: [{ path: 'img/x.png', content: png.toString('base64'), encoding: 'base64', mode: '100644' }, { path: 'bin/run', content: '#!/bin/sh\n', encoding: 'utf-8', mode: '100755' }] }));
    expect(bodies.filter((b) => b.route === 'POST /git/blobs').map((b) => b.body)).toEqual([{ content: png.toString('base64'), encoding: 'base64' }, { content: '#!/bin/sh\n', encoding: 'utf-8' }]);
    const tree = gh.trees.get(tipOf(BRANCH).tree)!;
    expect(gh.blobs.get(tree.get('img/x.png')!.sha)).toEqual(png);
    expect(tree.get('bin/run')!.mode).toBe('100755');
  });

  it('a 502 after the ref was created is reconciled: done, one ref write, no retry', async () => {
    gh.faults.set('POST refs', () => 'after');
    const { records, failed } = await run(plan({ pr: false }));
    expect(failed).toBe(false);
    expect(writes().filter((w) => w === 'POST /git/refs')).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'done', id: gh.branches.get(BRANCH), note: expect.stringContaining('reconciled') });
  });

  it('a 502 on the ref write where GitHub did not act is ambiguous and stops the run; a re-run converges', async () => {
    gh.faults.set('POST refs', () => new HttpResponse('bad gateway', { status: 502 }));
    const first = await run(plan());
    expect(first.failed).toBe(true);
    expect(first.records.map((r) => [r.kind, r.status])).toEqual([['branch', 'ambiguous']]);
    expect(gh.branches.has(BRANCH)).toBe(false);
    gh.faults.clear();
    const again = await run(plan());
    expect(again.records.map((r) => [r.kind, r.status])).toEqual([['branch', 'done'], ['pull-request', 'done']]);
  });

  it('a 502 while making objects changes nothing: failed (not ambiguous), the ref untouched', async () => {
    gh.faults.set('POST commits', () => new HttpResponse('bad gateway', { status: 502 }));
    const { records } = await run(plan());
    expect(records[0]).toMatchObject({ status: 'failed', error: { ambiguous: false, message: expect.stringContaining('the branch was not changed') } });
    expect(gh.branches.has(BRANCH)).toBe(false);
  });

  it('the commit message is plain, safe text: no closing keywords, mentions, secrets or forged trailers', async () => {
    const content = new ContentPipeline(createRedactor({ secrets: ['ghs_test_secret_value'], scanners: [] }));
    const message = await renderCommitMessage(content, `Fix #2\u200b now\nfixes #1 for @octo/team\n${commitTrailer(BRANCH_KEY)}\ntoken ghs_test_secret_value\r\n<!-- x -->`, BRANCH_KEY, 'k');
    const lines = message.split('\n');
    expect(lines.at(-1)).toBe(commitTrailer(BRANCH_KEY, 'k'));
    expect(lines.filter((l) => l.startsWith('Publish-Gate:'))).toHaveLength(1);
    expect(message).toContain('fixes `#1` for `@octo/team`');
    expect(message).toContain('Fix `#2` now');
    expect(message).not.toContain('ghs_test_secret_value');
    expect(commitCarriesMarker(message, BRANCH_KEY, 'k')).toBe(true);
    expect(commitCarriesMarker(message, BRANCH_KEY)).toBe(false);
  });
});

describe('pull request for an agent branch', () => {
  it('creates the branch, then a draft PR with the marker and sanitized body; the note tells about CI', async () => {
    const { records } = await run(plan({ pr: { body: 'Closes #9 <!-- hidden --> @team', draft: true } }));
    expect(writes()).toEqual([...GIT_WRITES_NEW, 'POST /pulls']);
    const pull = gh.pulls[0]!;
    expect(pull).toMatchObject({ draft: true, head: { ref: BRANCH }, base: { ref: 'main' } });
    expect(pull.body!.split('\n')[0]).toBe(markerLine(PR_KEY));
    expect(pull.body).toContain('Closes `#9`');
    expect(pull.body).not.toContain('hidden');
    expect(records[1]).toMatchObject({ kind: 'pull-request', status: 'done', id: pull.number, url: pull.html_url, note: CI_NOTE });
  });

  it('a re-run finds its PR by head branch: no second PR, nothing written', async () => {
    await run(plan());
    seen.length = 0;
    const { records, failed } = await run(plan());
    expect(failed).toBe(false);
    expect(records.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(writes()).toEqual([]);
    expect(gh.pulls).toHaveLength(1);
  });

  it('an open PR of ours with another title or body is updated in place', async () => {
    await run(plan());
    seen.length = 0;
    const { records } = await run(plan({ pr: { title: 'Better title', body: 'New body' } }));
    expect(writes()).toEqual([`PATCH /pulls/${gh.pulls[0]!.number}`]);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]!.title).toBe('Better title');
    expect(records[1]).toMatchObject({ status: 'done', id: gh.pulls[0]!.number });
  });

  it('a closed PR of the branch is reported, never reopened, and no second PR is opened', async () => {
    await run(plan());
    gh.pulls[0]!.state = 'closed';
    seen.length = 0;
    const { records, failed } = await run(plan({ pr: { body: 'changed' } }));
    expect(failed).toBe(true);
    expect(records[1]).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_OPERATION', message: expect.stringContaining('never reopens') }, note: expect.stringContaining('closed') });
    expect(writes()).toEqual([]);
    expect(gh.pulls).toHaveLength(1);
  });

  it("an open PR of the branch that someone else opened is not edited", async () => {
    await run(plan({ pr: false }));
    gh.pulls.push({ number: 9, state: 'open', draft: false, title: 't', body: `${markerLine(PR_KEY)}\ncopied`, user: { login: 'mallory' }, html_url: 'x', head: { ref: BRANCH, repo: { full_name: REPO } }, base: { ref: 'main' } });
    seen.length = 0;
    const { records } = await run(plan());
    expect(records[1]).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN_OPERATION' } });
    expect(writes()).toEqual([]);
  });

  it('a 502 after GitHub opened the PR is reconciled by head branch: one PR, done', async () => {
    gh.faults.set('POST pulls', () => 'after');
    const { records, failed } = await run(plan());
    expect(failed).toBe(false);
    expect(writes().filter((w) => w === 'POST /pulls')).toHaveLength(1);
    expect(gh.pulls).toHaveLength(1);
    expect(records[1]).toMatchObject({ status: 'done', id: gh.pulls[0]!.number, note: expect.stringContaining('reconciled') });
  });

  it('a PR is not opened when the branch write was refused (the run stops at the branch)', async () => {
    gh.protected.add(BRANCH);
    gh.branches.set(BRANCH, gh.branches.get('main')!);
    const { records } = await run(plan());
    expect(records.map((r) => r.kind)).toEqual(['branch']);
    expect(gh.pulls).toEqual([]);
  });
});

// Bodies of requests, for assertions on what was sent.
const bodies: { route: string; body: unknown }[] = [];
server.events.on('request:start', ({ request }) => {
  if (request.method === 'GET') return;
  const route = `${request.method} ${decodeURIComponent(new URL(request.url).pathname).replace('/repos/octo/app', '')}`;
  void request.clone().json().then((body: unknown) => bodies.push({ route, body }));
});
beforeEach(() => void (bodies.length = 0));
async function lastBody(route: string): Promise<unknown> {
  await new Promise((r) => setTimeout(r, 0));
  return bodies.filter((b) => b.route === route).at(-1)?.body;
}
