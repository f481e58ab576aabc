/**
 * End-to-end: the built bundle (`dist/index.js`) run as the runner would run it, in live mode,
 * against a loopback in-memory GitHub (`fakeGitHub.ts`). Each scenario has its own server.
 *
 * Measured request counts (one run of the action; for two-run scenarios, the run named):
 *
 * | scenario                              | decision  | reads | writes |
 * |---------------------------------------|-----------|------:|-------:|
 * | 1 first publish                       | published |     9 |      4 |
 * | 2 immediate re-run                    | noop      |     9 |      0 |
 * | 3 500 on the review (2nd write)       | failed    |     9 |      2 |
 * | 3 re-run after it                     | published |     9 |      3 |
 * | 3b connection reset on the comment    | failed    |    10 |      3 |
 * | 3b re-run after it                    | published |     9 |      2 |
 * | 4 comment created, then 502           | published |    10 |      4 |
 * | 4 re-run                              | noop      |     9 |      0 |
 * | 5 secondary rate limit on the comment | published |     9 |      5 |
 * | 6 401 on everything                   | blocked   |     2 |      0 |
 * | 7 spoofed marker (mallory)            | published |     9 |      4 |
 * | 8 label not allowed                   | published |     9 |      4 |
 * | 9 inline comment outside the diff     | published |     9 |      4 |
 * | 10 head moved                         | blocked   |     9 |      0 |
 * | 11 changed summary, re-run            | published |     9 |      2 |
 *
 * Reads of a publish = 7 policy/fact reads (policy contents, commits/{sha}/pulls, pulls/{n}/files,
 * check runs of the head (filter=all, shared with the writer's check-run lookup), run approvals,
 * pulls/{n}/commits, environment) + the PR's reviews (read to reconcile published epochs from
 * GitHub; the writer's review lookup reuses the list) + the writer's comment lookup (its check-run
 * and label lookups reuse the fact reads) + one more lookup after each ambiguous answer. The policy here
 * needs every policy-driven read (confirm-check-runs, approval with forbid-self-approval and
 * require-safe-environment). Against the issue's targets (first publish ≤ writes + 3, re-run ≤ 3):
 * 9 = writes + 5, and a re-run reads 9; the comment and review lookups go away when a trusted
 * ledger is restored (see the ledger section of the README).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMENT_SLOT } from '../../src/decide/writes.js';
import { idempotencyKey } from '../../src/decide/digest.js';
import { verifyLedger } from '../../src/ledger/chain.js';
import { markerLine } from '../../src/github/marker.js';
import { type FakeGitHub, startFakeGitHub } from './fakeGitHub.js';
import { HEAD, HEAD_REF, LEDGER_KEY, MOVED, codes, documents, expectOneOfEach, initialState, ours, patch, runAction, withGitHub } from './run.js';

const counts = (gh: FakeGitHub) => ({ reads: gh.reads().length, writes: gh.writes().length });
const measured: Record<string, string> = {};

/** Counts of one run, for the table at the top of this file. */
function measure(name: string, gh: FakeGitHub): { reads: number; writes: number } {
  const c = counts(gh);
  measured[name] = `${c.reads} reads, ${c.writes} writes`;
  return c;
}

const findIn = (gh: FakeGitHub, method: string, path: string | RegExp) =>
  gh.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path.endsWith(path) : path.test(r.path))).length;

/** Reads of the policy and live facts before any write: policy, PR of the SHA, files, check runs, approvals, commits, environment. */
const FACT_READS = 7;
/** Lookups of the writer that no fact read answers: issue comments and reviews (check runs and labels come from the fact reads). */
const LOOKUPS = 2;

/** Whether lines from..to of `path` lie in one new-side hunk of the PR's patch (what GitHub requires of an inline comment). */
function withinHunk(gh: FakeGitHub, path: string, from: number, to: number): boolean {
  const p = gh.state.files.find((f) => f.filename === path)?.patch ?? '';
  return [...p.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)].some((m) => {
    const start = Number(m[1]);
    return from >= start && to <= start + Number(m[2] ?? 1) - 1;
  });
}

describe.concurrent('dist/index.js live against a loopback GitHub', { timeout: 80_000 }, () => {
  it('1. first publish: published, one of each object, reads bounded', async () => {
    await withGitHub(async (gh) => {
      const run = await runAction(gh, documents());
      expect(run.decision, run.stdout).toBe('published');
      expect(run.code).toBe(0);
      expect(run.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'done'],
        ['review', 'done'],
        ['comment', 'done'],
        ['labels', 'done'],
      ]);
      expectOneOfEach(gh);
      const s = gh.state;
      const run1 = s.checkRuns.find((r) => r.name === 'publish-gate')!;
      expect(run1.external_id).toBe(run.writes[0]!.key);
      expect(run1.conclusion).toBe('neutral');
      expect(s.comments[0]!.body.split('\n')[0]).toBe(markerLine(run.writes[2]!.key));
      expect(s.reviews[0]!.body.split('\n')[0]).toContain(`key=${run.writes[1]!.key}`);
      expect(run.outputs['comment-url']).toBe(s.comments[0]!.html_url);
      const c = measure('1 first publish', gh);
      expect(c.writes).toBe(4);
      // The comment and review lookups on top of the fact reads; the check-run and label lookups reuse the fact reads.
      expect(c.reads).toBe(FACT_READS + LOOKUPS);
      expect(gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/check-runs'))).toHaveLength(1);
      expect(gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/labels'))).toHaveLength(0);
    });
  });

  it('2. immediate re-run: noop with zero writes', async () => {
    await withGitHub(async (gh) => {
      const docs = documents();
      expect((await runAction(gh, docs)).decision).toBe('published');
      gh.resetLog();
      const again = await runAction(gh, docs);
      expect(again.decision, again.stdout).toBe('noop');
      expect(again.writes.every((w) => w.status === 'unchanged')).toBe(true);
      const c = measure('2 re-run', gh);
      expect(c.writes).toBe(0);
      expect(c.reads).toBe(FACT_READS + LOOKUPS);
      expectOneOfEach(gh);
    });
  });

  it('3. a 500 on the 2nd write stops the run (failed); a re-run converges to one of each', async () => {
    await withGitHub(async (gh) => {
      const docs = documents();
      gh.failWith('POST', '/repos/octo/app/pulls/42/reviews', 500);
      const first = await runAction(gh, docs);
      expect(first.decision, first.stdout).toBe('failed');
      expect(first.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'done'],
        ['review', 'ambiguous'],
      ]);
      // Nothing after the failed write was attempted.
      expect(findIn(gh, 'POST', '/issues/42/comments')).toBe(0);
      expect(findIn(gh, 'POST', '/issues/42/labels')).toBe(0);
      // The ledger shows intent before each write and the results: done, then ambiguous, never done for the review.
      const ledger = verifyLedger(readFileSync(first.outputs['ledger-path']!, 'utf8'));
      expect(ledger.ok).toBe(true);
      if (ledger.ok) {
        expect(ledger.records.map((r) => (r.type === 'write' ? `write:${r.kind}:${r.status}` : r.type === 'intent' ? `intent:${r.kind}` : r.type))).toEqual([
          'intent:check-run',
          'write:check-run:done',
          'intent:review',
          'write:review:ambiguous',
          'held',
          'decision',
        ]);
        expect(ledger.records.at(-1)).toMatchObject({ type: 'decision', decision: 'failed' });
      }
      measure('3 crash (500 on review)', gh);
      gh.resetLog();
      const again = await runAction(gh, docs);
      expect(again.decision, again.stdout).toBe('published');
      expect(again.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'unchanged'],
        ['review', 'done'],
        ['comment', 'done'],
        ['labels', 'done'],
      ]);
      measure('3 re-run after crash', gh);
      expectOneOfEach(gh);
    });
  });

  it('3b. a connection reset on the 3rd write stops the run; a re-run converges', async () => {
    await withGitHub(async (gh) => {
      const docs = documents();
      gh.resetConnection('POST', '/repos/octo/app/issues/42/comments');
      const first = await runAction(gh, docs);
      expect(first.decision, first.stdout).toBe('failed');
      expect(first.writes.map((w) => w.status)).toEqual(['done', 'done', 'ambiguous']);
      expect(gh.state.comments).toHaveLength(0);
      measure('3b crash (reset on comment)', gh);
      gh.resetLog();
      const again = await runAction(gh, docs);
      expect(again.decision, again.stdout).toBe('published');
      expect(again.writes.map((w) => w.status)).toEqual(['unchanged', 'unchanged', 'done', 'done']);
      measure('3b re-run after reset', gh);
      expectOneOfEach(gh);
    });
  });

  it('4. a 502 after the comment was created is reconciled; a re-run keeps one comment', async () => {
    await withGitHub(async (gh) => {
      const docs = documents();
      gh.actThenFail('POST', '/repos/octo/app/issues/42/comments', 502);
      const first = await runAction(gh, docs);
      // Looked again after the ambiguous answer, found its own comment: done, not retried.
      expect(first.decision, first.stdout).toBe('published');
      expect(first.writes.find((w) => w.kind === 'comment')?.status).toBe('done');
      expect(first.stdout).toContain('reconciled after an ambiguous answer');
      expect(findIn(gh, 'POST', '/issues/42/comments')).toBe(1);
      measure('4 502 after create', gh);
      gh.resetLog();
      const again = await runAction(gh, docs);
      expect(again.decision).toBe('noop');
      measure('4 re-run', gh);
      expect(gh.writes()).toEqual([]);
      expectOneOfEach(gh);
    });
  });

  it('5. a secondary rate limit (403, retry-after: 1) on the comment is waited out: published', async () => {
    await withGitHub(async (gh) => {
      gh.failWith('POST', '/repos/octo/app/issues/42/comments', 403, {
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      });
      const run = await runAction(gh, documents());
      expect(run.decision, run.stdout).toBe('published');
      expect(findIn(gh, 'POST', '/issues/42/comments')).toBe(2);
      measure('5 secondary rate limit', gh);
      expectOneOfEach(gh);
    });
  });

  it('6. 401 on everything: blocked, AUTH_FAILED, zero writes', async () => {
    await withGitHub(async (gh) => {
      gh.unauthorized = true;
      const run = await runAction(gh, documents(), { 'fail-on-blocked': 'true' });
      expect(run.decision, run.stdout).toBe('blocked');
      expect(run.code).toBe(1);
      expect(codes(run)).toContain('AUTH_FAILED');
      expect(run.writes).toEqual([]);
      const c = measure('6 401 everywhere', gh);
      expect(c.writes).toBe(0);
      expect(gh.requests.every((r) => r.status === 401)).toBe(true);
      // The token appears only in the command that masks it.
      expect(run.stdout.split('\n').filter((l) => l.includes('ghs_e2eTokenValue0123456789'))).toEqual(['::add-mask::ghs_e2eTokenValue0123456789']);
    });
  });

  it('7. a copied marker in another user’s comment is ignored and untouched; ours is created', async () => {
    const key = idempotencyKey('octo/app', 'comment', '42', COMMENT_SLOT);
    const forged = `${markerLine(key, LEDGER_KEY)}\nPlease merge this, the gate approved it.`;
    const state = initialState();
    state.comments.push({ id: 5, body: forged, user: { login: 'mallory' }, html_url: 'https://github.com/octo/app/pull/42#issuecomment-5', created_at: '', updated_at: '' });
    await withGitHub(async (gh) => {
      const run = await runAction(gh, documents(), { 'ledger-key': LEDGER_KEY });
      expect(run.decision, run.stdout).toBe('published');
      const comment = run.writes.find((w) => w.kind === 'comment')!;
      expect(comment.key).toBe(key);
      expect(comment.status).toBe('done');
      expect(comment.id).not.toBe(5);
      expect(gh.state.comments.find((c) => c.id === 5)!.body).toBe(forged);
      expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
      expect(ours(gh.state.comments)).toHaveLength(1);
      expect(ours(gh.state.comments)[0]!.body.split('\n')[0]).toBe(markerLine(key, LEDGER_KEY));
      measure('7 spoofed marker', gh);
      // And a re-run recognises ours (valid MAC, our author) and leaves both alone.
      gh.resetLog();
      expect((await runAction(gh, documents(), { 'ledger-key': LEDGER_KEY })).decision).toBe('noop');
      expect(gh.writes()).toEqual([]);
      expect(gh.state.comments).toHaveLength(2);
    }, state);
  });

  it('8. a label not in the policy is not added (LABEL_NOT_ALLOWED); the other writes are done', async () => {
    await withGitHub(async (gh) => {
      const run = await runAction(
        gh,
        documents((e) => {
          e.labels = ['agent-reviewed', 'ship-it'];
        }),
      );
      // The refused label is a blocker on its own entry only: the rest of the plan is published.
      expect(run.decision, run.stdout).toBe('published');
      expect(run.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'done'],
        ['review', 'done'],
        ['comment', 'done'],
        ['labels', 'done'],
      ]);
      expect(codes(run)).toContain('LABEL_NOT_ALLOWED');
      expect(run.blockers.find((b) => b.code === 'LABEL_NOT_ALLOWED')!.message).toContain('ship-it');
      expect(gh.state.labels).toEqual(['agent-reviewed']);
      expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/labels')).map((r) => r.body)).toEqual([{ labels: ['agent-reviewed'] }]);
      expect(ours(gh.state.comments)).toHaveLength(1);
      expect(ours(gh.state.reviews)).toHaveLength(1);
      measure('8 label not allowed', gh);
    });
  });

  it('9. an inline comment GitHub refuses as outside the diff is folded into the review body', async () => {
    const state = initialState();
    // New side of src/db/search.ts: lines 35-42 only. The finding at 41-44 overlaps it, so the
    // planner places it inline, but lines 43-44 are not in the diff and GitHub refuses the review.
    state.files[0]!.patch = patch(35, 8);
    await withGitHub(async (gh) => {
      const run = await runAction(gh, documents());
      expect(run.decision, run.stdout).toBe('published');
      const posts = gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pulls/42/reviews'));
      // The planner keeps a finding inline only when its whole range lies inside one hunk, so 41-44 is
      // folded in advance and the review is posted once (the writer's 422 fallback is tested with msw).
      expect(posts).toHaveLength(1);
      expect(posts[0]!.status).toBe(200);
      const reviews = ours(gh.state.reviews);
      expect(reviews).toHaveLength(1);
      for (const c of reviews[0]!.comments) expect(withinHunk(gh, c.path, c.start_line ?? c.line, c.line), `${c.path}:${c.line}`).toBe(true);
      expect(reviews[0]!.comments.filter((c) => c.path === 'src/db/search.ts' && c.line > 42)).toEqual([]);
      expect(reviews[0]!.body).toContain('src/db/search.ts:41-44');
      measure('9 inline outside diff', gh);
    }, state);
  });

  it('10. head moved after the envelope was made: blocked, TARGET_STALE, zero writes', async () => {
    const state = initialState();
    state.pr.headSha = MOVED;
    state.pr.commitShas = [HEAD, MOVED];
    state.branches[HEAD_REF] = MOVED;
    await withGitHub(async (gh) => {
      const run = await runAction(gh, documents());
      expect(run.decision, run.stdout).toBe('blocked');
      expect(codes(run)).toContain('TARGET_STALE');
      expect(run.writes).toEqual([]);
      const c = measure('10 head moved', gh);
      expect(c.writes).toBe(0);
    }, state);
  });
});

describe.concurrent('dist/index.js live: a changed envelope on re-run', { timeout: 80_000 }, () => {
  it('11. a changed summary updates our comment in place and publishes a new check run; the review (same epoch) stays', async () => {
    await withGitHub(async (gh) => {
      expect((await runAction(gh, documents())).decision).toBe('published');
      const commentId = gh.state.comments[0]!.id;
      gh.resetLog();
      const run = await runAction(
        gh,
        documents((e) => {
          e.summary = 'Re-reviewed after feedback: the SQL issue remains.';
          e.checkRun.summary = 'Still one high finding.';
        }),
      );
      expect(run.decision, run.stdout).toBe('published');
      expect(run.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'done'],
        ['review', 'unchanged'],
        ['comment', 'done'],
        ['labels', 'unchanged'],
      ]);
      expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/octo/app/check-runs', `PATCH /repos/octo/app/issues/comments/${commentId}`]);
      expect(gh.state.comments).toHaveLength(1);
      expect(gh.state.comments[0]!.body).toContain('Re-reviewed after feedback');
      // A changed check run is a new run with the same external_id (GitHub shows the latest).
      const runs = gh.state.checkRuns.filter((r) => r.name === 'publish-gate');
      expect(runs).toHaveLength(2);
      expect(new Set(runs.map((r) => r.external_id)).size).toBe(1);
      expect(ours(gh.state.reviews)).toHaveLength(1);
      measure('11 changed summary re-run', gh);
    });
  });
});

describe('dist/index.js with an event payload that is not JSON', () => {
  it('ignores it with a warning and runs (@actions/github, which parses it unguarded on import, never sees it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-event-'));
    try {
      for (const [body, mode] of [['', 'dry-run'], ['{not json', 'live']] as const) {
        const event = join(dir, 'event.json');
        writeFileSync(event, body);
        await withGitHub(async (gh) => {
          const run = await runAction(gh, documents(), { mode }, { env: { GITHUB_EVENT_PATH: event } });
          expect(run.code, run.stdout).toBe(0);
          expect(run.decision).toBe(mode === 'live' ? 'published' : 'dry-run');
          expect(run.outputs.blockers).not.toContain('unexpected error');
          expect(run.stdout).toContain('::warning::The event payload (GITHUB_EVENT_PATH) is not readable JSON within 25 MiB: it was ignored.');
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the fake GitHub itself', () => {
  it('answers unknown routes with 404 (recorded as unexpected), caps requests, and stops by itself', async () => {
    const gh = await startFakeGitHub({ state: initialState(), maxRequests: 3, lifetimeMs: 300 });
    try {
      expect((await fetch(`${gh.url}/repos/octo/app/pulls/42/merge`, { method: 'PUT' })).status).toBe(404);
      expect((await fetch(`${gh.url}/repos/other/repo`)).status).toBe(404);
      expect((await fetch(`${gh.url}/repos/octo/app`)).status).toBe(200);
      expect((await fetch(`${gh.url}/repos/octo/app`)).status).toBe(503);
      expect(gh.unexpected.map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /repos/octo/app/pulls/42/merge', 'GET /repos/other/repo', 'GET /repos/octo/app']);
      await new Promise((r) => setTimeout(r, 500));
      await expect(fetch(`${gh.url}/repos/octo/app`)).rejects.toThrow();
    } finally {
      await gh.stop();
    }
  });
});

afterAll(() => {
  const rows = Object.entries(measured).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  console.log(`request counts:\n${rows.map(([k, v]) => `${k}: ${v}`).join('\n')}`);
});
