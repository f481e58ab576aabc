/**
 * End-to-end: draft PRs from agent changes (issue 6). The built bundle (`dist/index.js`) runs live
 * against the loopback fake GitHub with its Git Data API: the envelope's `changes` become a branch
 * (blobs, tree, commit, ref) and a draft PR; re-runs, fast-forwards and refusals are checked on the
 * requests the fake received and on the state it holds.
 */
import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../src/decide/digest.js';
import { commitCarriesMarker, markerLine } from '../../src/github/marker.js';
import { BOT, type FakeGit, type FakeGitHub, putFakeCommit, putFakeTree } from './fakeGitHub.js';
import { BASE, LEDGER_KEY, codes, documents, initialState, runAction, withGitHub } from './run.js';

const BRANCH = 'agent/fix-search';
const BRANCH_KEY = idempotencyKey('octo/app', 'branch', 'main', BRANCH);
const PR_KEY = idempotencyKey('octo/app', 'pull-request', 'main', BRANCH);

type File = { path: string; content: string; encoding?: 'utf-8' | 'base64' } | { path: string; deleted: true };

const SEARCH_FIXED = "query('SELECT * FROM items WHERE name = $1', [filter.name]);\n";
const FIXED: File[] = [
  { path: 'src/db/search.ts', content: SEARCH_FIXED },
  { path: 'test/search.test.ts', content: "it('quotes', () => {});\n" },
  { path: 'src/legacy/util.ts', deleted: true },
];

/** The example's repository with Git objects behind `main` (the PR's base) and `main` protected. */
function gitState() {
  const state = initialState();
  const git: FakeGit = { blobs: {}, trees: {}, commits: {} };
  const tree = putFakeTree(git, { 'README.md': '# app\n', 'src/db/search.ts': 'query(`SELECT ${filter.name}`);\n', 'src/legacy/util.ts': 'export {};\n' });
  git.commits[BASE] = { sha: BASE, message: 'base', tree, parents: [], author: 'octo-dev', verified: false };
  state.git = git;
  state.protectedBranches = ['main'];
  return state;
}

/** The example envelope asking for a branch and a draft PR only. */
function changes(files: File[] = FIXED) {
  return documents((e) => {
    e.intent = ['branch', 'pull-request'];
    delete e.checkRun;
    delete e.labels;
    e.changes = { branch: BRANCH, message: 'Escape the search filter\n\nfixes #12, reported by @octo-dev', files };
    e.pullRequest = { title: 'Escape the search filter', body: 'Binds the filter value as a parameter. <!-- hidden -->', draft: false };
  });
}

const tip = (gh: FakeGitHub) => gh.state.git!.commits[gh.state.branches[BRANCH]!]!;
const filesAt = (gh: FakeGitHub) => {
  const git = gh.state.git!;
  return Object.fromEntries(Object.entries(git.trees[tip(gh).tree]!).map(([path, e]) => [path, Buffer.from(git.blobs[e.sha]!, 'base64').toString('utf8')]));
};
const writeLog = (gh: FakeGitHub) => gh.writes().map((r) => `${r.method} ${r.path.replace('/repos/octo/app', '')} → ${r.status}`);
const statuses = (run: { writes: { kind: string; status: string }[] }) => run.writes.map((w) => [w.kind, w.status]);

describe.concurrent('dist/index.js live: draft PRs from agent changes', { timeout: 80_000 }, () => {
  it('B1. creates the branch (blobs, tree on the base, commit, ref) and a draft PR; the report says signed and no CI', async () => {
    await withGitHub(async (gh) => {
      const run = await runAction(gh, changes(), { 'ledger-key': LEDGER_KEY });
      expect(run.decision, run.stdout).toBe('published');
      expect(statuses(run)).toEqual([
        ['branch', 'done'],
        ['pull-request', 'done'],
      ]);
      expect(writeLog(gh)).toEqual([
        'POST /git/blobs → 201',
        'POST /git/blobs → 201',
        'POST /git/trees → 201',
        'POST /git/commits → 201',
        'POST /git/refs → 201',
        'POST /pulls → 201',
      ]);
      const commit = tip(gh);
      expect(commit.parents).toEqual([BASE]);
      expect(commitCarriesMarker(commit.message, BRANCH_KEY, LEDGER_KEY)).toBe(true);
      expect(commit.message).toContain('fixes `#12`');
      expect(filesAt(gh)).toEqual({ 'README.md': '# app\n', 'src/db/search.ts': SEARCH_FIXED, 'test/search.test.ts': "it('quotes', () => {});\n" });
      expect(gh.state.branches.main).toBe(BASE);
      // draft-only turns the requested ready PR into a draft.
      const pull = gh.state.pulls![0]!;
      expect(pull).toMatchObject({ draft: true, head: { ref: BRANCH }, base: { ref: 'main' }, user: { login: BOT } });
      expect(pull.body!.split('\n')[0]).toBe(markerLine(PR_KEY, LEDGER_KEY));
      expect(pull.body).not.toContain('hidden');
      expect(run.stdout).toContain('commit signed by GitHub');
      expect(run.stdout).toContain('does not start other workflows');
    }, gitState());
  });

  it('B2. re-running the same envelope: noop, zero writes, still one branch commit and one PR', async () => {
    await withGitHub(async (gh) => {
      const docs = changes();
      expect((await runAction(gh, docs)).decision).toBe('published');
      const first = gh.state.branches[BRANCH];
      gh.resetLog();
      const again = await runAction(gh, docs);
      expect(again.decision, again.stdout).toBe('noop');
      expect(statuses(again)).toEqual([
        ['branch', 'unchanged'],
        ['pull-request', 'unchanged'],
      ]);
      expect(gh.writes()).toEqual([]);
      expect(gh.state.branches[BRANCH]).toBe(first);
      expect(gh.state.pulls).toHaveLength(1);
    }, gitState());
  });

  it('B3. a changed envelope fast-forwards our branch (parent = our tip, force: false); the PR stays', async () => {
    await withGitHub(async (gh) => {
      expect((await runAction(gh, changes())).decision).toBe('published');
      const first = gh.state.branches[BRANCH]!;
      gh.resetLog();
      const run = await runAction(gh, changes([{ path: 'src/db/search.ts', content: "query('SELECT * FROM items WHERE name = $1', [name]);\n" }]));
      expect(run.decision, run.stdout).toBe('published');
      expect(statuses(run)).toEqual([
        ['branch', 'done'],
        ['pull-request', 'unchanged'],
      ]);
      expect(writeLog(gh)).toEqual(['POST /git/blobs → 201', 'POST /git/trees → 201', 'POST /git/commits → 201', `PATCH /git/refs/heads/${BRANCH} → 200`]);
      expect(gh.writes().at(-1)!.body).toMatchObject({ force: false });
      expect(tip(gh).parents).toEqual([first]);
      expect(filesAt(gh)['src/db/search.ts']).toContain('[name]');
      expect(gh.state.pulls).toHaveLength(1);
    }, gitState());
  });

  it('B4. a branch someone else pushed to is refused (BRANCH_NOT_ALLOWED): failed, no write, their commit stays', async () => {
    await withGitHub(async (gh) => {
      expect((await runAction(gh, changes())).decision).toBe('published');
      const theirs = putFakeCommit(gh.state.git!, { message: 'manual tweak', tree: tip(gh).tree, parents: [gh.state.branches[BRANCH]!], author: 'octo-dev', verified: false });
      gh.state.branches[BRANCH] = theirs;
      gh.resetLog();
      const run = await runAction(gh, changes([{ path: 'src/db/search.ts', content: 'v3\n' }]));
      expect(run.decision, run.stdout).toBe('failed');
      expect(statuses(run)).toEqual([['branch', 'failed']]);
      expect(run.stdout).toContain('BRANCH_NOT_ALLOWED');
      expect(gh.writes()).toEqual([]);
      expect(gh.state.branches[BRANCH]).toBe(theirs);
    }, gitState());
  });

  it('B5. a change under .github/workflows is blocked by the planner (PATH_FORBIDDEN): zero writes', async () => {
    await withGitHub(async (gh) => {
      const run = await runAction(gh, changes([...FIXED, { path: '.github/workflows/ci.yml', content: 'on: push\n' }]));
      expect(run.decision, run.stdout).toBe('blocked');
      expect(codes(run)).toContain('PATH_FORBIDDEN');
      expect(run.blockers.find((b) => b.code === 'PATH_FORBIDDEN')!.message).toContain('.github/workflows/ci.yml');
      expect(run.writes).toEqual([]);
      expect(gh.writes()).toEqual([]);
      expect(gh.state.branches[BRANCH]).toBeUndefined();
    }, gitState());
  });

  it('B6. a file over the per-file cap is blocked (LIMIT_EXCEEDED): zero writes', async () => {
    await withGitHub(async (gh) => {
      const run = await runAction(gh, changes([{ path: 'data/big.txt', content: 'a'.repeat(1024 * 1024 + 1) }]));
      expect(run.decision, run.stdout).toBe('blocked');
      expect(codes(run)).toContain('LIMIT_EXCEEDED');
      expect(run.writes).toEqual([]);
      expect(gh.writes()).toEqual([]);
    }, gitState());
  });
});
