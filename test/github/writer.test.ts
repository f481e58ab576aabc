import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WriteKind } from '../../src/contract/common.js';
import { ContentPipeline } from '../../src/content/pipeline.js';
import { createRedactor } from '../../src/content/redact/index.js';
import type { Plan } from '../../src/decide/decide.js';
import { digestOf, idempotencyKey } from '../../src/decide/digest.js';
import type { SelectedFinding } from '../../src/decide/findings.js';
import type { PlanEntry, WritePayload } from '../../src/decide/writes.js';
import { createClient } from '../../src/github/client.js';
import { tokenIdentity } from '../../src/github/identity.js';
import { FirstLookups } from '../../src/github/lookups.js';
import { type ExecuteArgs, MemoryJournal, executePlan, markerLine, parseMarker, reviewMarkerLine } from '../../src/github/writer.js';

const API = 'https://api.github.test';
const REPO = 'octo/app';
const PR = 7;
const SHA = 'a'.repeat(40);
const BOT = 'github-actions[bot]';
const R = `${API}/repos/octo/app`;

// ---- An in-memory GitHub: the handlers read and change this state. ----
interface Comment { id: number; body: string; user: { login: string }; html_url: string }
interface CheckRun {
  id: number; name: string; head_sha: string; external_id: string; status: string; conclusion: string | null; html_url: string;
  app: { slug: string };
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
}
interface Review { id: number; body: string; event: string; comments: unknown[]; user: { login: string }; html_url: string }
interface Status { id: number; context: string; state: string; description: string | null; creator: { login: string }; url: string }

type Fault = (request: Request, body: Record<string, unknown>) => Response | 'after' | undefined;

let gh: {
  nextId: number;
  comments: Comment[];
  checkRuns: CheckRun[];
  reviews: Review[];
  labels: string[];
  statuses: Status[];
  /** GitHub's refusal of REQUEST_CHANGES on the token's own PR. */
  ownPr: boolean;
  pr: { number: number; title: string; body: string | null; html_url: string };
  /** Inline comments outside the diff are refused (422) when set. */
  diffLines: Set<number> | undefined;
  /** `METHOD path` → a fault: a response instead, or 'after' (act, then answer 502). */
  faults: Map<string, Fault>;
};
const seen: string[] = [];
const writes = () => seen.filter((s) => !s.startsWith('GET '));
const count = (what: string) => seen.filter((s) => s === what).length;

function fresh() {
  gh = { nextId: 100, comments: [], checkRuns: [], reviews: [], labels: [], statuses: [], ownPr: false, pr: { number: PR, title: 'Old', body: null, html_url: 'https://github.test/pull/7' }, diffLines: undefined, faults: new Map() };
}

async function act<T>(request: Request, route: string, perform: (body: Record<string, unknown>) => T, status = 201) {
  const body = request.method === 'GET' ? {} : ((await request.json()) as Record<string, unknown>);
  const fault = gh.faults.get(route)?.(request, body);
  if (fault instanceof Response) return fault;
  const result = perform(body);
  if (fault === 'after') return new HttpResponse('bad gateway', { status: 502 });
  return result instanceof Response ? result : HttpResponse.json(result as object, { status });
}

const handlers = [
  http.get(`${R}/issues/${PR}/comments`, () => HttpResponse.json(gh.comments)),
  http.post(`${R}/issues/${PR}/comments`, ({ request }) =>
    act(request, 'POST comments', (b) => {
      const c = { id: gh.nextId++, body: String(b.body), user: { login: BOT }, html_url: `https://github.test/c/${gh.nextId}` };
      gh.comments.push(c);
      return c;
    }),
  ),
  http.patch(`${R}/issues/comments/:id`, ({ request, params }) =>
    act(request, 'PATCH comment', (b) => {
      const c = gh.comments.find((x) => x.id === Number(params.id));
      if (!c) return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
      c.body = String(b.body);
      return c;
    }, 200),
  ),
  http.get(`${R}/commits/:ref/check-runs`, ({ request, params }) => {
    const name = new URL(request.url).searchParams.get('check_name');
    const runs = gh.checkRuns.filter((r) => r.head_sha === params.ref && (!name || r.name === name));
    return HttpResponse.json({ total_count: runs.length, check_runs: runs });
  }),
  http.post(`${R}/check-runs`, ({ request }) =>
    act(request, 'POST check-runs', (b) => {
      const output = b.output as { title: string; summary: string; text?: string; annotations?: unknown[] };
      const run: CheckRun = {
        id: gh.nextId++, name: String(b.name), head_sha: String(b.head_sha), external_id: String(b.external_id), status: 'completed',
        conclusion: String(b.conclusion), html_url: `https://github.test/runs/${gh.nextId}`, app: { slug: 'github-actions' },
        output: { title: output.title, summary: output.summary, text: output.text ?? null, annotations_count: output.annotations?.length ?? 0 },
      };
      gh.checkRuns.push(run);
      return run;
    }),
  ),
  http.patch(`${R}/check-runs/:id`, ({ request, params }) =>
    act(request, 'PATCH check-run', (b) => {
      const run = gh.checkRuns.find((r) => r.id === Number(params.id))!;
      const output = b.output as { title: string; summary: string; text?: string; annotations?: unknown[] };
      run.output = { title: output.title, summary: output.summary, text: output.text ?? run.output.text, annotations_count: run.output.annotations_count + (output.annotations?.length ?? 0) };
      return run;
    }, 200),
  ),
  http.get(`${R}/pulls/${PR}/reviews`, () => HttpResponse.json(gh.reviews)),
  http.post(`${R}/pulls/${PR}/reviews`, ({ request }) =>
    act(request, 'POST reviews', (b) => {
      if (gh.ownPr && b.event === 'REQUEST_CHANGES')
        return HttpResponse.json({ message: 'Unprocessable Entity', errors: ['Review Can not request changes on your own pull request'] }, { status: 422 });
      const comments = (b.comments as { line: number }[] | undefined) ?? [];
      if (gh.diffLines && comments.some((c) => !gh.diffLines!.has(c.line)))
        return HttpResponse.json({ message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] }, { status: 422 });
      const review = { id: gh.nextId++, body: String(b.body), event: String(b.event), comments, user: { login: BOT }, html_url: `https://github.test/r/${gh.nextId}` };
      gh.reviews.push(review);
      return review;
    }, 200),
  ),
  http.get(`${R}/pulls/${PR}`, () => HttpResponse.json(gh.pr)),
  http.patch(`${R}/pulls/${PR}`, ({ request }) =>
    act(request, 'PATCH pull', (b) => {
      gh.pr = { ...gh.pr, title: String(b.title), body: String(b.body) };
      return gh.pr;
    }, 200),
  ),
  http.get(`${R}/commits/:ref/statuses`, () => HttpResponse.json(gh.statuses)),
  http.post(`${R}/statuses/:sha`, ({ request }) =>
    act(request, 'POST statuses', (b) => {
      const s = { id: gh.nextId++, context: String(b.context), state: String(b.state), description: (b.description as string) ?? null, creator: { login: BOT }, url: `${R}/statuses/${SHA}` };
      gh.statuses.unshift(s);
      return s;
    }),
  ),
  http.get(`${R}/issues/${PR}/labels`, () => HttpResponse.json(gh.labels.map((name, i) => ({ id: i + 1, name })))),
  http.post(`${R}/issues/${PR}/labels`, ({ request }) =>
    act(request, 'POST labels', (b) => {
      for (const l of b.labels as string[]) if (!gh.labels.includes(l)) gh.labels.push(l);
      return gh.labels.map((name, i) => ({ id: i + 1, name }));
    }, 200),
  ),
];

const server = setupServer(...handlers);
server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname.replace('/repos/octo/app', '')}`));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => {
  fresh();
  seen.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// ---- Plans ----
function finding(i: number, over: Partial<SelectedFinding> = {}): SelectedFinding {
  return {
    ruleId: 'rule', severity: i % 3 === 0 ? 'high' : 'medium', confidence: 0.9, path: `src/file${i % 4}.ts`, startLine: i + 1,
    title: `Finding ${i}`, body: `Details of finding ${i}.`, fingerprint: `fp${i}`, inline: i < 2, ...over,
  };
}

interface PlanOptions {
  summary?: string;
  findings?: SelectedFinding[];
  event?: 'COMMENT' | 'REQUEST_CHANGES';
  dropped?: number;
  kinds?: WriteKind[];
  allowed?: boolean;
  action?: PlanEntry['action'];
  extra?: WritePayload[];
}

function plan(o: PlanOptions = {}): Plan {
  const findings = o.findings ?? [finding(0), finding(1), finding(2)];
  const summary = o.summary ?? 'The agent found **three** things.';
  const dropped = { 'unsafe-path': 0, 'denied-path': 0, severity: o.dropped ?? 1, confidence: 0, 'out-of-scope': 0, duplicate: 0 };
  const all: [WriteKind, string, string, WritePayload][] = [
    ['check-run', SHA, 'publish-gate', { kind: 'check-run', name: 'publish-gate', headSha: SHA, conclusion: 'neutral', title: `${findings.length} findings`, summary, findings }],
    ['review', String(PR), 'epoch-1', { kind: 'review', number: PR, commitId: SHA, event: o.event ?? 'COMMENT', summary, findings }],
    ['comment', String(PR), 'summary', { kind: 'comment', number: PR, summary, findings, dropped }],
    ['status', SHA, 'publish-gate', { kind: 'status', sha: SHA, context: 'publish-gate', state: 'success', description: 'Publish Gate: 3 findings published' }],
    ['labels', String(PR), 'agent-reviewed', { kind: 'labels', number: PR, label: 'agent-reviewed' }],
  ];
  const extra = (o.extra ?? []).map((p): [WriteKind, string, string, WritePayload] => [p.kind, 'main', `slot-${p.kind}`, p]);
  const chosen = [...extra, ...all].filter(([kind]) => !o.kinds || o.kinds.includes(kind));
  const entries: PlanEntry[] = chosen.map(([kind, target, slot, payload]) => ({
    kind, key: idempotencyKey(REPO, kind, target, slot), target, action: o.action ?? 'create', allowed: o.allowed ?? true, digest: digestOf(payload),
  }));
  return {
    decision: 'published', mode: 'live', blockers: [], warnings: [], entries, digest: digestOf(entries),
    payloads: Object.fromEntries(chosen.map(([, , , p], i) => [entries[i]!.key, p])),
    findings: { total: findings.length, published: findings.length, inline: 2, folded: findings.length - 2, dropped },
    policySource: 'policy', held: 0,
  };
}

const keyOf = (p: Plan, kind: WriteKind) => p.entries.find((e) => e.kind === kind)!.key;

function run(p: Plan, journal = new MemoryJournal(), extra: Pick<ExecuteArgs, 'ledgerKey' | 'identity' | 'lookups'> = {}) {
  const client = createClient({ token: 'ghs_test', baseUrl: API, repository: REPO, writes: { allowed: true }, fetch: (...a) => fetch(...a), maxRetries: 2 });
  const content = new ContentPipeline(createRedactor({ secrets: ['ghs_test_secret_value'], scanners: [] }));
  return executePlan({ client, repository: REPO, plan: p, content, journal, ...extra }).then((out) => ({ ...out, journal }));
}

// ---- Markers ----
describe('markers', () => {
  const key = 'f'.repeat(32);
  it('forms the marker line and verifies its MAC', () => {
    expect(markerLine(key)).toBe(`<!-- publish-gate v1 key=${key} mac=none -->`);
    const keyed = markerLine(key, 'secret');
    expect(keyed).toMatch(/^<!-- publish-gate v1 key=f{32} mac=[0-9a-f]{64} -->$/);
    expect(parseMarker(`${keyed}\nbody`, 'secret')).toEqual({ key, valid: true });
    expect(parseMarker(`${keyed}\nbody`, 'other')).toEqual({ key, valid: false });
    expect(parseMarker(`${keyed}\nbody`)).toEqual({ key, valid: false });
    expect(parseMarker(markerLine(key), 'secret')).toEqual({ key, valid: false });
    expect(parseMarker(`text first\n${keyed}`, 'secret')).toBeUndefined();
    expect(parseMarker(`${reviewMarkerLine(key, 'secret')}\n\nreview`, 'secret')).toEqual({ key, valid: true });
  });
});

// ---- The writer ----
describe('executePlan', () => {
  it('first publish creates each kind once, bodies starting with the marker', async () => {
    const p = plan({ summary: 'Hi @someone <!-- publish-gate v1 key=00000000000000000000000000000000 mac=none --> fixes #3 ghs_test_secret_value' });
    const { records, failed, journal } = await run(p);
    expect(failed).toBe(false);
    expect(records.map((r) => [r.kind, r.status])).toEqual([['check-run', 'done'], ['review', 'done'], ['comment', 'done'], ['status', 'done'], ['labels', 'done']]);
    expect(writes()).toEqual(['POST /check-runs', 'POST /pulls/7/reviews', 'POST /issues/7/comments', 'POST /statuses/' + SHA, 'POST /issues/7/labels']);
    const comment = gh.comments[0]!;
    expect(comment.body.split('\n')[0]).toBe(markerLine(keyOf(p, 'comment')));
    expect(comment.body).not.toContain('key=00000000000000000000000000000000');
    expect(comment.body).not.toContain('ghs_test_secret_value');
    expect(comment.body).not.toMatch(/(^|[^`\u200b])@someone/);
    expect(comment.body).toContain('| high | src/file0.ts:1 | Finding 0 |');
    expect(gh.reviews[0]!.body.split('\n')[0]).toBe(reviewMarkerLine(keyOf(p, 'review')));
    expect(gh.reviews[0]!.comments).toHaveLength(2);
    expect(gh.checkRuns[0]!.external_id).toBe(keyOf(p, 'check-run'));
    expect(gh.labels).toEqual(['agent-reviewed']);
    // Intent before each write, result after.
    expect(journal.events.slice(0, 2).map((e) => e.type)).toEqual(['intent', 'result']);
  });

  it('a re-run of the same plan with a fresh journal makes no writes (reconciled from GitHub)', async () => {
    const p = plan();
    await run(p);
    seen.length = 0;
    const { records, failed } = await run(p);
    expect(failed).toBe(false);
    expect(records.every((r) => r.status === 'unchanged')).toBe(true);
    expect(writes()).toEqual([]);
    expect(records.find((r) => r.kind === 'comment')!.id).toBe(gh.comments[0]!.id);
  });

  it('a re-run with the journal that recorded the first makes no requests at all', async () => {
    const p = plan();
    const { journal } = await run(p);
    seen.length = 0;
    const again = await run(p, journal);
    expect(again.records.every((r) => r.status === 'unchanged')).toBe(true);
    expect(seen).toEqual([]);
  });

  it('a changed comment is updated in place: one PATCH, nothing else written', async () => {
    await run(plan());
    seen.length = 0;
    const { records } = await run(plan({ dropped: 4 }));
    expect(writes()).toEqual([`PATCH /issues/comments/${gh.comments[0]!.id}`]);
    expect(records.find((r) => r.kind === 'comment')!.status).toBe('done');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain('4 severity');
  });

  it('a changed comment known to the journal is patched by id without listing comments', async () => {
    const first = plan();
    const { journal } = await run(first);
    seen.length = 0;
    await run(plan({ dropped: 5, kinds: ['comment'] }), journal);
    expect(seen).toEqual([`PATCH /issues/comments/${gh.comments[0]!.id}`]);
  });

  it("ignores another user's comment carrying a copied marker and never edits it", async () => {
    const p = plan({ kinds: ['comment'] });
    const forged = { id: 1, body: `${markerLine(keyOf(p, 'comment'))}\nI am not the bot`, user: { login: 'mallory' }, html_url: 'x' };
    gh.comments.push({ ...forged });
    const { records } = await run(p);
    expect(writes()).toEqual(['POST /issues/7/comments']);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[0]).toEqual(forged);
    expect(records[0]).toMatchObject({ status: 'done', id: gh.comments[1]!.id });
  });

  it('with a ledger key, a bot comment whose marker has no valid MAC is not ours', async () => {
    const p = plan({ kinds: ['comment'] });
    gh.comments.push({ id: 1, body: `${markerLine(keyOf(p, 'comment'))}\nold`, user: { login: BOT }, html_url: 'x' });
    await run(p, new MemoryJournal(), { ledgerKey: 'ledger-secret' });
    expect(writes()).toEqual(['POST /issues/7/comments']);
    expect(parseMarker(gh.comments[1]!.body, 'ledger-secret')).toEqual({ key: keyOf(p, 'comment'), valid: true });
  });

  it("a check run carrying our key as external_id but made by another app is not ours: ours is created", async () => {
    const p = plan({ kinds: ['check-run'] });
    await run(p);
    gh.checkRuns[0]!.app = { slug: 'someone-else' };
    seen.length = 0;
    const { records } = await run(p);
    expect(writes()).toEqual(['POST /check-runs']);
    expect(records[0]).toMatchObject({ status: 'done', id: gh.checkRuns[1]!.id });
  });

  it('the first lookups use the lists the facts read: no check-run or label list is requested', async () => {
    const p = plan({ kinds: ['check-run', 'labels'] });
    await run(p);
    seen.length = 0;
    const lookups = new FirstLookups();
    lookups.putCheckRuns(SHA, structuredClone(gh.checkRuns));
    lookups.putLabels(PR, [...gh.labels]);
    const { records } = await run(p, new MemoryJournal(), { lookups });
    expect(records.map((r) => r.status)).toEqual(['unchanged', 'unchanged']);
    expect(seen).toEqual([]);
    // Lists from before the first publish say nothing is there yet: both are written, once each.
    fresh();
    const before = new FirstLookups();
    before.putCheckRuns(SHA, []);
    before.putLabels(PR, []);
    await run(p, new MemoryJournal(), { lookups: before });
    expect(seen.filter((r) => r.startsWith('GET'))).toEqual([]);
    expect(writes()).toEqual(['POST /check-runs', 'POST /issues/7/labels']);
  });

  it('a personal token is asked who it is once (GET /user); its own marked comment is then updated in place', async () => {
    let asked = 0;
    server.use(http.get(`${API}/user`, () => (asked++, HttpResponse.json({ login: 'octo-dev', id: 1, type: 'User' }))));
    const p = plan({ kinds: ['comment', 'status'] });
    gh.comments.push({ id: 1, body: `${markerLine(keyOf(p, 'comment'))}\nold`, user: { login: 'octo-dev' }, html_url: 'x' });
    const pat = createClient({ token: 'ghp_personal', baseUrl: API, repository: REPO, writes: { allowed: true }, fetch: (...a) => fetch(...a) });
    await run(p, new MemoryJournal(), { identity: tokenIdentity(pat, 'ghp_personal') });
    expect(writes()).toEqual(['PATCH /issues/comments/1', `POST /statuses/${SHA}`]);
    expect(asked).toBe(1);
    // An installation token never asks: GET /user answers 403 for it.
    seen.length = 0;
    expect(await tokenIdentity(pat, 'ghs_installation')()).toBe(BOT);
    expect(seen).toEqual([]);
  });

  it('a 502 after GitHub created the comment is reconciled: exactly one comment, done', async () => {
    gh.faults.set('POST comments', () => 'after');
    const { records, failed, journal } = await run(plan());
    expect(failed).toBe(false);
    expect(count('POST /issues/7/comments')).toBe(1);
    expect(gh.comments).toHaveLength(1);
    expect(records.find((r) => r.kind === 'comment')).toMatchObject({ status: 'done', id: gh.comments[0]!.id, note: expect.stringContaining('reconciled') });
    expect(journal.known(keyOf(plan(), 'comment'))?.id).toBe(gh.comments[0]!.id);
  });

  it('a 502 where GitHub did not act is ambiguous: not retried, and the rest stops', async () => {
    gh.faults.set('POST comments', () => new HttpResponse('bad gateway', { status: 502 }));
    const { records, failed, journal } = await run(plan());
    expect(failed).toBe(true);
    expect(count('POST /issues/7/comments')).toBe(1);
    expect(records.at(-1)).toMatchObject({ kind: 'comment', status: 'ambiguous', error: { code: 'API_FAILED', ambiguous: true } });
    expect(writes().some((w) => w.includes('statuses') || w.includes('labels'))).toBe(false);
    expect(journal.known(keyOf(plan(), 'comment'))).toBeUndefined();
  });

  it('a 401 fails the write with AUTH_FAILED and nothing after it is attempted', async () => {
    gh.faults.set('POST comments', () => HttpResponse.json({ message: 'Bad credentials' }, { status: 401 }));
    const p = plan();
    const { records, failed, journal } = await run(p);
    expect(failed).toBe(true);
    expect(records.map((r) => [r.kind, r.status])).toEqual([['check-run', 'done'], ['review', 'done'], ['comment', 'failed']]);
    expect(records[2]!.error?.code).toBe('AUTH_FAILED');
    expect(seen.filter((s) => s.includes('statuses') || s.includes('labels'))).toEqual([]);
    // A failed write never appears as done in the journal.
    const key = keyOf(p, 'comment');
    expect(journal.events.filter((e) => e.type === 'intent' && e.key === key)).toHaveLength(1);
    expect(journal.records().filter((r) => r.key === key).map((r) => r.status)).toEqual(['failed']);
    expect(journal.known(key)).toBeUndefined();
  });

  it('a secondary rate limit with retry-after is waited out, then the write succeeds', async () => {
    let n = 0;
    gh.faults.set('POST comments', () =>
      ++n === 1 ? HttpResponse.json({ message: 'You have exceeded a secondary rate limit' }, { status: 403, headers: { 'retry-after': '1' } }) : undefined,
    );
    const { records, failed } = await run(plan({ kinds: ['comment'] }));
    expect(failed).toBe(false);
    expect(records[0]!.status).toBe('done');
    expect(count('POST /issues/7/comments')).toBe(2);
    expect(gh.comments).toHaveLength(1);
  });

  it('REQUEST_CHANGES refused on the token’s own PR is retried once as COMMENT, with a note', async () => {
    gh.ownPr = true;
    const { records } = await run(plan({ event: 'REQUEST_CHANGES', kinds: ['review'] }));
    expect(count('POST /pulls/7/reviews')).toBe(2);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.reviews[0]!.event).toBe('COMMENT');
    expect(records[0]).toMatchObject({ status: 'done', note: expect.stringContaining('COMMENT') });
  });

  it('an inline comment outside the diff: retried once with every inline comment folded into the body', async () => {
    gh.diffLines = new Set([1]);
    const { records } = await run(plan({ kinds: ['review'] }));
    expect(count('POST /pulls/7/reviews')).toBe(2);
    expect(gh.reviews[0]!.comments).toEqual([]);
    expect(gh.reviews[0]!.body).toContain('Finding 1');
    expect(records[0]).toMatchObject({ status: 'done', note: expect.stringContaining('folded') });
  });

  it('sends 120 annotations as one create and two updates', async () => {
    const findings = Array.from({ length: 120 }, (_, i) => finding(i, { inline: false }));
    const p = plan({ findings, kinds: ['check-run'] });
    const { records } = await run(p);
    expect(writes()).toEqual(['POST /check-runs', `PATCH /check-runs/${gh.checkRuns[0]!.id}`, `PATCH /check-runs/${gh.checkRuns[0]!.id}`]);
    expect(gh.checkRuns[0]!.output.annotations_count).toBe(120);
    expect(records[0]!.status).toBe('done');
    seen.length = 0;
    await run(p);
    expect(writes()).toEqual([]);
  });

  it('comment table folds the overflow and counts what was dropped', async () => {
    const findings = Array.from({ length: 25 }, (_, i) => finding(i));
    await run(plan({ findings, kinds: ['comment'], dropped: 2 }));
    const body = gh.comments[0]!.body;
    expect(body).toContain('<details><summary>5 more findings</summary>');
    expect(body).toContain('2 severity');
  });

  it('skip entries are unchanged without a request; entries not allowed are not run', async () => {
    const skipped = await run(plan({ action: 'skip' }));
    expect(skipped.records.every((r) => r.status === 'unchanged')).toBe(true);
    const blocked = await run(plan({ allowed: false }));
    expect(blocked.records).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('updates an existing PR title and body once, with the marker and sanitized text', async () => {
    const pr: WritePayload = { kind: 'pull-request', number: PR, head: 'feature', base: 'main', title: 'New title @team', body: 'Body. Closes #9 <script>x</script>', draft: true };
    const p = plan({ extra: [pr], kinds: ['pull-request'] });
    const first = await run(p);
    expect(first.records[0]!.status).toBe('done');
    expect(gh.pr.body!.split('\n')[0]).toBe(markerLine(p.entries[0]!.key));
    expect(gh.pr.body).toContain('\\<script>');
    expect(gh.pr.body).not.toMatch(/(^|[^\\])<script>/);
    expect(gh.pr.body).toContain('Closes `#9`');
    seen.length = 0;
    const again = await run(p);
    expect(again.records[0]!.status).toBe('unchanged');
    expect(writes()).toEqual([]);
  });
});
