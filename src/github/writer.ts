/**
 * The writer (SPEC §9): runs the allowed entries of a plan serially, in WRITE_ORDER, each idempotent.
 *
 * Per entry: what is already there is looked up first (the journal, else GitHub: markers from our own
 * identity with a valid MAC, check runs by `external_id`, labels on the PR, our latest status for the
 * context); unchanged content is not rewritten. Intent is journaled before the write and the result after.
 * A write whose outcome is ambiguous (timeout, 5xx) is reconciled at once by looking again, never retried
 * blindly. The first failed or ambiguous write stops the rest.
 *
 * Branches from `changes` are written by `branch.ts` (Git Data API, fast-forward only, our own tip
 * only). A pull request for such a branch is found by its head branch before anything is created: an
 * open one of ours is updated (title and body), a closed one is reported and never reopened, and an
 * ambiguous create is reconciled by looking up the head branch again.
 *
 * A changed check run is published as a new check run with the same name and `external_id` (GitHub
 * shows the latest), because annotations sent with an update are added to the old ones, not replaced.
 */
import type { ContentPipeline } from '../content/pipeline.js';
import type { Plan } from '../decide/decide.js';
import { type PlanEntry, WRITE_ORDER, type WritePayload } from '../decide/writes.js';
import { branchHandler } from './branch.js';
import type { GitHubClient } from './client.js';
import { classifyApiError } from './errors.js';
import { CI_NOTE, Failure, type Handler, type HandlerCtx, type Remote, refusal, sameText } from './handler.js';
import { WORKFLOW_IDENTITY, isIdentity, isIdentityApp } from './identity.js';
import type { WriteFailure, WriteJournal, WriteRecord } from './journal.js';
import type { FirstLookups, ListedCheckRun } from './lookups.js';
import { carriesMarker } from './marker.js';
import { ANNOTATION_BATCH, type RenderedReview, renderCheckRun, renderComment, renderPullRequest, renderReview, renderStatus } from './render.js';

export { MemoryJournal, type WriteFailure, type WriteJournal, type WriteRecord, type KnownWrite, type JournalEvent } from './journal.js';
export { markerLine, parseMarker, reviewMarkerLine } from './marker.js';

export const DEFAULT_IDENTITY = WORKFLOW_IDENTITY;

export interface ExecuteArgs {
  client: GitHubClient;
  repository: string;
  plan: Plan;
  content: ContentPipeline;
  journal: WriteJournal;
  ledgerKey?: string;
  /** The token's login, whose comments and reviews count as ours (or how to ask it); default github-actions[bot]. */
  identity?: string | (() => Promise<string>);
  /** Lists the fact reads fetched, used for each write's first lookup. */
  lookups?: FirstLookups;
}

type Ctx = HandlerCtx;

export async function executePlan(args: ExecuteArgs): Promise<{ records: WriteRecord[]; failed: boolean }> {
  const [owner = '', repo = ''] = args.repository.split('/');
  const { identity = DEFAULT_IDENTITY } = args;
  const ctx: Ctx = {
    client: args.client,
    owner,
    repo,
    content: args.content,
    ledgerKey: args.ledgerKey || undefined,
    identity: typeof identity === 'string' ? () => Promise.resolve(identity) : identity,
    lookups: args.lookups,
  };
  const rank = (e: PlanEntry) => WRITE_ORDER.indexOf(e.kind);
  const entries = args.plan.entries
    .map((entry, i) => ({ entry, i }))
    .filter(({ entry }) => entry.allowed)
    .sort((a, b) => rank(a.entry) - rank(b.entry) || a.i - b.i)
    .map(({ entry }) => entry);
  const records: WriteRecord[] = [];
  for (const entry of entries) {
    const record = await runEntry(ctx, args, entry);
    records.push(record);
    await args.journal.result(record);
    if (record.status === 'failed' || record.status === 'ambiguous') return { records, failed: true };
  }
  return { records, failed: false };
}

async function runEntry(ctx: Ctx, args: ExecuteArgs, entry: PlanEntry): Promise<WriteRecord> {
  const base = { kind: entry.kind, key: entry.key, digest: entry.digest };
  if (entry.action === 'skip') {
    const known = args.journal.known(entry.key);
    return { ...base, status: 'unchanged', ...(known?.id !== undefined ? { id: known.id } : {}), ...(known?.url ? { url: known.url } : {}) };
  }
  const payload = args.plan.payloads[entry.key];
  if (!payload || payload.kind !== entry.kind) {
    return { ...base, status: 'failed', error: { code: 'API_FAILED', message: `no ${entry.kind} payload for ${entry.key}`, ambiguous: false } };
  }
  let handler: Handler | string;
  try {
    handler = await handlerFor(ctx, entry, payload);
  } catch (error) {
    return { ...base, status: 'failed', error: failureOf(error, `render ${entry.kind}`) };
  }
  if (typeof handler === 'string') {
    return { ...base, status: 'failed', note: handler, error: { code: 'FORBIDDEN_OPERATION', message: `${entry.kind}: ${handler}`, ambiguous: false } };
  }
  return idempotentWrite(args, entry, handler, base);
}

function failureOf(error: unknown, what: string): WriteFailure {
  return error instanceof Failure ? error.failure : classifyApiError(error, what);
}

const noteOf = (error: unknown): { note?: string } => (error instanceof Failure && error.note ? { note: error.note } : {});

async function idempotentWrite(args: ExecuteArgs, entry: PlanEntry, h: Handler, base: Pick<WriteRecord, 'kind' | 'key' | 'digest'>): Promise<WriteRecord> {
  const at = (r: { id?: number | string | undefined; url?: string | undefined }) => ({
    ...(r.id !== undefined ? { id: r.id } : {}),
    ...(r.url ? { url: r.url } : {}),
  });
  const known = args.journal.known(entry.key);
  let target: { id: number | string; url?: string } | undefined;
  if (known && (known.digest === entry.digest || h.once)) return { ...base, status: 'unchanged', ...at(known) };
  if (known?.id !== undefined && h.update) target = { id: known.id, ...(known.url ? { url: known.url } : {}) };
  if (!target) {
    let found: Remote | undefined;
    try {
      found = await h.find();
    } catch (error) {
      return { ...base, status: 'failed', error: failureOf(error, `look up ${entry.kind}`), ...noteOf(error) };
    }
    if (found && (found.same || h.once)) return { ...base, status: 'unchanged', ...at(found) };
    if (found?.id !== undefined && h.update) target = { id: found.id, ...(found.url ? { url: found.url } : {}) };
  }
  await args.journal.intent(entry);
  try {
    const written = target && h.update ? await h.update(target) : await h.create();
    return { ...base, status: written.unchanged ? 'unchanged' : 'done', ...at(written), ...(written.note ? { note: written.note } : {}) };
  } catch (error) {
    const failure = failureOf(error, `${target ? 'update' : 'create'} ${entry.kind}`);
    if (!failure.ambiguous) return { ...base, status: 'failed', error: failure, ...noteOf(error) };
    // GitHub may have acted: look again rather than retry.
    let again: Remote | undefined;
    try {
      again = await h.find();
    } catch {
      again = undefined;
    }
    if (again?.same) return { ...base, status: 'done', ...at(again), note: `reconciled after an ambiguous answer (${failure.code})` };
    return { ...base, status: 'ambiguous', error: failure, note: 'GitHub may have acted on the write; a re-run reconciles it' };
  }
}

async function handlerFor(ctx: Ctx, entry: PlanEntry, payload: WritePayload): Promise<Handler | string> {
  switch (payload.kind) {
    case 'branch':
      return branchHandler(ctx, entry, payload);
    case 'pull-request':
      return payload.number ? pullRequestHandler(ctx, entry, payload) : newPullRequestHandler(ctx, entry, payload);
    case 'comment':
      return commentHandler(ctx, entry, payload);
    case 'review':
      return reviewHandler(ctx, entry, payload);
    case 'check-run':
      return checkRunHandler(ctx, entry, payload);
    case 'status':
      return statusHandler(ctx, payload);
    case 'labels':
      return labelsHandler(ctx, payload);
  }
}

async function commentHandler(ctx: Ctx, entry: PlanEntry, p: Extract<WritePayload, { kind: 'comment' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const body = await renderComment(ctx.content, p, entry.key, ctx.ledgerKey);
  return {
    async find() {
      const me = await ctx.identity();
      const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: p.number, per_page: 100 });
      // Ours: authored by our identity and starting with a valid marker for this key. A copied marker
      // in someone else's comment is ignored, and that comment is never edited.
      const mine = comments.find((c) => isIdentity(c.user, me) && carriesMarker(c.body, entry.key, ctx.ledgerKey));
      return mine ? { id: mine.id, url: mine.html_url, same: sameText(mine.body, body) } : undefined;
    },
    async create() {
      const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: p.number, body });
      return { id: data.id, url: data.html_url };
    },
    async update(target) {
      const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: Number(target.id), body });
      return { id: data.id, url: data.html_url };
    },
  };
}

function reviewRefusal(error: unknown): 'own-pull-request' | 'outside-diff' | undefined {
  const e = error as { status?: number; message?: string; response?: { data?: unknown } };
  if (e?.status !== 422) return undefined;
  const text = `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`;
  if (/own pull request/i.test(text)) return 'own-pull-request';
  if (/part of the (pull request )?diff|could not be resolved|pull_request_review_thread|line must be/i.test(text)) return 'outside-diff';
  return undefined;
}

async function reviewHandler(ctx: Ctx, entry: PlanEntry, p: Extract<WritePayload, { kind: 'review' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const first = await renderReview(ctx.content, p, entry.key, { ...(ctx.ledgerKey ? { ledgerKey: ctx.ledgerKey } : {}) });
  let listed = ctx.lookups?.reviewsOf(p.number);
  return {
    once: true,
    async find() {
      const me = await ctx.identity();
      // The first look may use the list the epoch reconcile read; a reconcile after an ambiguous answer reads again.
      const reviews = listed ?? (await client.paginate(client.rest.pulls.listReviews, { owner, repo, pull_number: p.number, per_page: 100 }));
      listed = undefined;
      const mine = reviews.find((r) => isIdentity(r.user, me) && carriesMarker(r.body, entry.key, ctx.ledgerKey));
      return mine ? { id: mine.id, url: mine.html_url, same: true } : undefined;
    },
    async create() {
      let review: RenderedReview = first;
      const notes: string[] = [];
      let event: RenderedReview['event'] = first.event;
      let foldAll = false;
      // At most one retry per known refusal; anything else fails as it is.
      for (;;) {
        try {
          const { data } = await client.rest.pulls.createReview({
            owner,
            repo,
            pull_number: p.number,
            commit_id: p.commitId,
            event: review.event,
            body: review.body,
            ...(review.comments.length ? { comments: review.comments } : {}),
          });
          return { id: data.id, url: data.html_url, ...(notes.length ? { note: notes.join('; ') } : {}) };
        } catch (error) {
          const refusal = reviewRefusal(error);
          if (refusal === 'own-pull-request' && event === 'REQUEST_CHANGES') {
            event = 'COMMENT';
            notes.push('GitHub refused REQUEST_CHANGES on a pull request of the token’s own identity; posted as COMMENT');
          } else if (refusal === 'outside-diff' && !foldAll && review.comments.length > 0) {
            foldAll = true;
            notes.push('an inline comment was outside the diff; all inline comments were folded into the review body');
          } else throw error;
          review = await renderReview(ctx.content, p, entry.key, { ...(ctx.ledgerKey ? { ledgerKey: ctx.ledgerKey } : {}), event, foldAll });
        }
      }
    },
  };
}

async function checkRunHandler(ctx: Ctx, entry: PlanEntry, p: Extract<WritePayload, { kind: 'check-run' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const run = await renderCheckRun(ctx.content, p, entry.key, ctx.ledgerKey);
  const batches: (typeof run.annotations)[] = [];
  for (let i = 0; i < run.annotations.length; i += ANNOTATION_BATCH) batches.push(run.annotations.slice(i, i + ANNOTATION_BATCH));
  // The first look may use the list the facts read; any later look (a reconcile) reads again.
  let listed = ctx.lookups?.checkRunsOf(p.headSha);
  const latest = async (): Promise<ListedCheckRun | undefined> => {
    const runs: readonly ListedCheckRun[] =
      listed ?? ((await client.paginate(client.rest.checks.listForRef, { owner, repo, ref: p.headSha, check_name: p.name, filter: 'all', per_page: 100 })) as ListedCheckRun[]);
    listed = undefined;
    const me = await ctx.identity();
    // Ours: our key as external_id and made by our app; another app's run with a copied id is ignored.
    return runs.filter((r) => r.name === p.name && r.external_id === entry.key && isIdentityApp(r.app, me)).sort((a, b) => b.id - a.id)[0];
  };
  const sameAs = (r: ListedCheckRun, annotations: number) =>
    r.status === 'completed' &&
    r.conclusion === run.conclusion &&
    r.output.title === run.output.title &&
    sameText(r.output.summary, run.output.summary) &&
    sameText(r.output.text, run.output.text ?? '') &&
    r.output.annotations_count === annotations;
  const patch = async (id: number, annotations: typeof run.annotations) =>
    // Annotations add up on every update: never retried, so a batch is never sent twice.
    client.rest.checks.update({ owner, repo, check_run_id: id, output: { ...run.output, annotations }, request: { retries: 0 } });
  return {
    async find() {
      const r = await latest();
      return r ? ({ id: r.id, url: r.html_url ?? undefined, same: sameAs(r, run.annotations.length) } as Remote) : undefined;
    },
    async create() {
      let id: number;
      let url: string | undefined;
      let note: string | undefined;
      try {
        const { data } = await client.rest.checks.create({
          owner,
          repo,
          name: run.name,
          head_sha: run.head_sha,
          external_id: run.external_id,
          status: 'completed',
          conclusion: run.conclusion as 'neutral',
          output: { ...run.output, ...(batches[0] ? { annotations: batches[0] } : {}) },
        });
        id = data.id;
        url = data.html_url ?? undefined;
      } catch (error) {
        const failure = classifyApiError(error, 'create check-run');
        if (!failure.ambiguous) throw new Failure(failure);
        // The run may exist with the first batch: continue with it only when it does.
        const found = await latest().catch(() => undefined);
        if (!found || !sameAs(found, batches[0]?.length ?? 0)) throw new Failure(failure);
        id = found.id;
        url = found.html_url ?? undefined;
        note = `reconciled after an ambiguous answer (${failure.code})`;
      }
      for (const batch of batches.slice(1)) await patch(id, batch);
      return { id, ...(url ? { url } : {}), ...(note ? { note } : {}) };
    },
  };
}

async function statusHandler(ctx: Ctx, p: Extract<WritePayload, { kind: 'status' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const status = await renderStatus(ctx.content, p);
  return {
    async find() {
      const me = await ctx.identity();
      const statuses = await client.paginate(client.rest.repos.listCommitStatusesForRef, { owner, repo, ref: p.sha, per_page: 100 });
      // Newest first: our latest status for the context is the one GitHub shows for us.
      const mine = statuses.find((s) => s.context === status.context && isIdentity(s.creator, me));
      return mine ? { id: mine.id, url: mine.url, same: mine.state === status.state && (mine.description ?? '') === status.description } : undefined;
    },
    async create() {
      const { data } = await client.rest.repos.createCommitStatus({
        owner,
        repo,
        sha: status.sha,
        context: status.context,
        state: status.state as 'success',
        description: status.description,
      });
      return { id: data.id, url: data.url };
    },
  };
}

async function labelsHandler(ctx: Ctx, p: Extract<WritePayload, { kind: 'labels' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  // The label is one the policy lists (LABEL_NOT_ALLOWED otherwise), so it is trusted text.
  const wanted = p.label.toLowerCase();
  // The first look may use the labels the PR carried when the facts were read; a reconcile reads again.
  let listed = ctx.lookups?.labelsOf(p.number);
  return {
    once: true,
    async find() {
      const labels = listed ?? (await client.paginate(client.rest.issues.listLabelsOnIssue, { owner, repo, issue_number: p.number, per_page: 100 })).map((l) => l.name);
      listed = undefined;
      return labels.some((name) => name.toLowerCase() === wanted) ? { same: true } : undefined;
    },
    async create() {
      await client.rest.issues.addLabels({ owner, repo, issue_number: p.number, labels: [p.label] });
      return {};
    },
  };
}

async function pullRequestHandler(ctx: Ctx, entry: PlanEntry, p: Extract<WritePayload, { kind: 'pull-request' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const number = p.number ?? 0;
  const pr = await renderPullRequest(ctx.content, p, entry.key, ctx.ledgerKey);
  const update = async () => {
    const { data } = await client.rest.pulls.update({ owner, repo, pull_number: number, title: pr.title, body: pr.body });
    return { id: data.number, url: data.html_url };
  };
  return {
    async find() {
      const { data } = await client.rest.pulls.get({ owner, repo, pull_number: number });
      return { id: data.number, url: data.html_url, same: data.title === pr.title && sameText(data.body, pr.body) };
    },
    create: update,
    update,
  };
}

interface ListedPull {
  number: number;
  state: string;
  title: string;
  body: string | null;
  html_url: string;
  user?: { login?: string } | null;
  head: { ref: string; repo?: { full_name?: string } | null };
}

/**
 * A pull request for an agent branch (no number in the payload). Ours: opened by our identity with a
 * valid marker for this key. The branch is ours (the branch write ran first), so any PR of it is
 * looked at: an open one of ours is updated; an open one of someone else, or only closed ones, are
 * reported as failures (never edited, never reopened).
 */
async function newPullRequestHandler(ctx: Ctx, entry: PlanEntry, p: Extract<WritePayload, { kind: 'pull-request' }>): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const pr = await renderPullRequest(ctx.content, p, entry.key, ctx.ledgerKey);
  const full = `${owner}/${repo}`.toLowerCase();
  const ciNote = async () => ((await ctx.identity()) === DEFAULT_IDENTITY ? CI_NOTE : undefined);
  return {
    async find() {
      const me = await ctx.identity();
      const pulls = (await client.paginate(client.rest.pulls.list, { owner, repo, head: `${owner}:${p.head}`, base: p.base, state: 'all', per_page: 100 })) as ListedPull[];
      // Only PRs from this repository's branch (a fork's branch of the same name is another branch).
      const ofBranch = pulls.filter((x) => x.head.ref === p.head && (!x.head.repo?.full_name || x.head.repo.full_name.toLowerCase() === full));
      const open = ofBranch.filter((x) => x.state === 'open');
      const mine = open.find((x) => isIdentity(x.user, me) && carriesMarker(x.body, entry.key, ctx.ledgerKey));
      if (mine) return { id: mine.number, url: mine.html_url, same: mine.title === pr.title && sameText(mine.body, pr.body) };
      if (open[0])
        throw refusal('FORBIDDEN_OPERATION', `pull request #${open[0].number} of ${p.head} was not opened by Publish Gate; it is not edited`, `pull request #${open[0].number} of ${p.head} is someone else's`);
      const closed = ofBranch[0];
      if (closed)
        throw refusal(
          'FORBIDDEN_OPERATION',
          `pull request #${closed.number} of ${p.head} is closed; Publish Gate never reopens a pull request (use a new branch name to open another)`,
          `pull request #${closed.number} is closed and was not reopened`,
        );
      return undefined;
    },
    async create() {
      const { data } = await client.rest.pulls.create({ owner, repo, head: p.head, base: p.base, title: pr.title, body: pr.body, draft: p.draft });
      const note = await ciNote();
      return { id: data.number, url: data.html_url, ...(note ? { note } : {}) };
    },
    async update(target) {
      const { data } = await client.rest.pulls.update({ owner, repo, pull_number: Number(target.id), title: pr.title, body: pr.body });
      // Reached by id from the journal without a lookup: a PR closed since then is updated, not reopened.
      return { id: data.number, url: data.html_url, ...(data.state === 'closed' ? { note: `pull request #${data.number} is closed; it was not reopened` } : {}) };
    },
  };
}
