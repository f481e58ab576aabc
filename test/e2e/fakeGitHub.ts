/**
 * A loopback, in-memory GitHub for end-to-end runs of the bundled action (`dist/index.js`).
 *
 * It listens on 127.0.0.1 (port 0), answers only the REST routes the action uses (anything else is
 * 404 and recorded as unexpected), records every request (method, path, query, body, answer), and
 * keeps the state those routes read and change. Fault injection: answer N times with a given status
 * and headers for a method + path pattern, reset the connection instead of answering, act on a
 * write and then answer 502 ("create then 502"), hold a request unanswered (`hang`: the client's time
 * limit ends it), or answer 401 to everything; `onWrite` runs between acting on a write and answering,
 * `onRequest` before a request is looked at.
 *
 * With `git` in the state it also answers the Git Data API (branches, trees, blobs, commits, refs with
 * fast-forward checks) and opens pull requests from other branches (`pulls`), for the branch write.
 *
 * Bounded: at most `maxRequests` requests (the rest get 503 and are recorded as unexpected), request
 * bodies of at most 5 MB, connections only from loopback, and the server closes itself after
 * `lifetimeMs` even when a test forgets to stop it.
 */
import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const BOT = 'github-actions[bot]';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  html_url: string;
  app?: { slug: string };
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
}
export interface FakeReviewComment {
  path: string;
  line: number;
  side?: string;
  start_line?: number;
  start_side?: string;
  body: string;
}
export interface FakeReview {
  id: number;
  body: string;
  state: string;
  commit_id: string;
  comments: FakeReviewComment[];
  user: { login: string };
  html_url: string;
}
export interface FakeStatus {
  id: number;
  context: string;
  state: string;
  description: string | null;
  creator: { login: string };
  url: string;
}
export interface FakeFile {
  filename: string;
  status: string;
  patch?: string;
}

export interface FakeState {
  owner: string;
  repo: string;
  defaultBranch: string;
  /** Files served through the contents API (the policy), by path. */
  contents: Record<string, string>;
  /** Branch name → head SHA. */
  branches: Record<string, string>;
  pr: {
    number: number;
    state: 'open' | 'closed';
    draft: boolean;
    title: string;
    body: string | null;
    author: string;
    headRef: string;
    headSha: string;
    baseRef: string;
    baseSha: string;
    /** Every commit SHA the PR has had (commits/{sha}/pulls answers with the PR for these). */
    commitShas: string[];
  };
  files: FakeFile[];
  commits: Array<{ sha: string; author: string; committer: string }>;
  checkRuns: FakeCheckRun[];
  /** Workflow run id → approvals (GET actions/runs/{id}/approvals). */
  approvals: Record<string, Array<{ state: string; user: string; environments: string[] }>>;
  environments: Record<string, { protection_rules: Array<{ type: string; prevent_self_review?: boolean }>; can_admins_bypass: boolean }>;
  comments: FakeComment[];
  reviews: FakeReview[];
  statuses: FakeStatus[];
  labels: string[];
  /** Git objects behind `branches`, for the branch write (Git Data API). Absent: those routes answer 404. */
  git?: FakeGit;
  /** Branches GitHub reports as protected. */
  protectedBranches?: string[];
  /** Pull requests other than `pr` (opened by the action from an agent branch). */
  pulls?: FakePull[];
}

/** Git's objects, content-addressed. Trees are kept flat (path → entry); their SHAs are stable digests, not Git's. */
export interface FakeGit {
  blobs: Record<string, string>;
  trees: Record<string, Record<string, { mode: string; sha: string }>>;
  commits: Record<string, FakeGitCommit>;
}
export interface FakeGitCommit {
  sha: string;
  message: string;
  tree: string;
  parents: string[];
  /** The login GitHub links the author to. */
  author: string;
  verified: boolean;
}
export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  draft: boolean;
  title: string;
  body: string | null;
  user: { login: string };
  html_url: string;
  head: { ref: string; sha: string; repo: { full_name: string } };
  base: { ref: string; repo: { full_name: string } };
}

/** Git's blob id of `bytes`: sha1 over `blob <size>\0<bytes>`. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}

/** Stores a flat tree (path → text content, mode 100644) in `git` and returns its SHA. */
export function putFakeTree(git: FakeGit, files: Record<string, string>): string {
  const tree: Record<string, { mode: string; sha: string }> = {};
  for (const [path, text] of Object.entries(files)) {
    const bytes = Buffer.from(text, 'utf8');
    const sha = gitBlobSha(bytes);
    git.blobs[sha] = bytes.toString('base64');
    tree[path] = { mode: '100644', sha };
  }
  return storeTree(git, tree);
}

function storeTree(git: FakeGit, tree: Record<string, { mode: string; sha: string }>): string {
  const sorted = Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const sha = createHash('sha1').update(`tree ${JSON.stringify(sorted)}`).digest('hex');
  git.trees[sha] = sorted;
  return sha;
}

let commitCounter = 0;
/** Stores a commit in `git` and returns its SHA (unique per call, as a commit's timestamp makes it). */
export function putFakeCommit(git: FakeGit, commit: Omit<FakeGitCommit, 'sha'>): string {
  const sha = createHash('sha1').update(`commit ${JSON.stringify(commit)} ${commitCounter++} ${process.pid}`).digest('hex');
  git.commits[sha] = { ...commit, sha };
  return sha;
}

export interface RecordedRequest {
  method: string;
  /** Path without query, e.g. `/repos/octo/app/issues/42/comments`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number | 'reset' | 'hang';
}

export interface Fault {
  method: string;
  /** Matched against the path (without query): a string must be equal, a RegExp must match. */
  path: string | RegExp;
  /** How many matching requests it applies to. */
  times: number;
  /**
   * `respond`: answer instead of acting; `after`: act, then answer `status`; `reset`: drop the connection
   * without acting; `hang`: neither act nor answer, holding the connection until the client gives up
   * (its per-request time limit) or the server stops.
   */
  kind: 'respond' | 'after' | 'reset' | 'hang';
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeGitHubOptions {
  state: FakeState;
  maxRequests?: number;
  lifetimeMs?: number;
}

const MAX_BODY = 5 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
    /** A 404 the action asks for on purpose (a branch that does not exist yet): not recorded as unexpected. */
    readonly expected = false,
  ) {
    super(`HTTP ${status}`);
  }
}

export class FakeGitHub {
  readonly state: FakeState;
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: RecordedRequest[] = [];
  /** Answer 401 to everything while set. */
  unauthorized = false;
  /**
   * Called after the server acted on a write (any method but GET) and before it answers, with the
   * request and its 1-based position among this log's writes; the answer waits for the returned
   * promise (a test can kill the client there: GitHub acted, the client never heard).
   */
  onWrite: ((request: RecordedRequest, nth: number) => void | Promise<void>) | undefined;
  /** Called for every request once its body is read, before any fault or action; the request waits for the returned promise (a barrier). */
  onRequest: ((request: RecordedRequest) => void | Promise<void>) | undefined;
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1000;
  private readonly maxRequests: number;
  private readonly lifetimeMs: number;
  url = '';

  constructor(options: FakeGitHubOptions) {
    this.state = options.state;
    this.maxRequests = options.maxRequests ?? 400;
    this.lifetimeMs = options.lifetimeMs ?? 120_000;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.timer = setTimeout(() => void this.stop(), this.lifetimeMs);
    this.timer.unref();
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answer `times` matching requests with `status` (and headers, body) instead of acting on them. */
  failWith(method: string, path: string | RegExp, status: number, options: { times?: number; headers?: Record<string, string>; body?: unknown } = {}): void {
    this.faults.push({ method, path, times: options.times ?? 1, kind: 'respond', status, ...(options.headers ? { headers: options.headers } : {}), ...(options.body !== undefined ? { body: options.body } : {}) });
  }

  /** Act on `times` matching writes, then answer `status` (default 502): GitHub did it but said it failed. */
  actThenFail(method: string, path: string | RegExp, status = 502, times = 1): void {
    this.faults.push({ method, path, times, kind: 'after', status });
  }

  /** Drop the connection of `times` matching requests without acting on them. */
  resetConnection(method: string, path: string | RegExp, times = 1): void {
    this.faults.push({ method, path, times, kind: 'reset' });
  }

  /** Neither act on nor answer `times` matching requests: the client's time limit ends them. */
  hang(method: string, path: string | RegExp, times = 1): void {
    this.faults.push({ method, path, times, kind: 'hang' });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  reads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET');
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** Forget the recorded requests (the state stays): counts per run. */
  resetLog(): void {
    this.requests.length = 0;
    this.unexpected.length = 0;
  }

  /** `METHOD /path-after-repo` of each request, e.g. `POST /issues/42/comments`. */
  log(): string[] {
    const prefix = `/repos/${this.state.owner}/${this.state.repo}`;
    return this.requests.map((r) => `${r.method} ${r.path.startsWith(prefix) ? r.path.slice(prefix.length) || '/' : r.path} → ${r.status}`);
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && (typeof f.path === 'string' ? f.path === path : f.path.test(path)));
    if (fault) fault.times--;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const remote = req.socket.remoteAddress ?? '';
    if (remote !== '127.0.0.1' && remote !== '::ffff:127.0.0.1' && remote !== '::1') {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, status: 0 };
    this.requests.push(record);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = data === undefined ? '' : JSON.stringify(data);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', 'x-ratelimit-limit': '5000', ...headers });
      res.end(text);
    };
    if (this.requests.length > this.maxRequests) {
      this.unexpected.push(record);
      send(503, { message: 'fake GitHub: request budget exhausted' });
      return;
    }
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      this.unexpected.push(record);
      send(413, { message: 'body too large' });
      return;
    }
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        record.body = raw;
        send(400, { message: 'Problems parsing JSON' });
        return;
      }
    }
    record.body = raw ? body : undefined;
    if (this.onRequest) await this.onRequest(record);
    if (this.unauthorized) {
      send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const fault = this.takeFault(method, url.pathname);
    if (fault?.kind === 'hang') {
      record.status = 'hang';
      return;
    }
    if (fault?.kind === 'reset') {
      record.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'respond') {
      send(fault.status ?? 500, fault.body ?? { message: `fake GitHub: injected ${fault.status ?? 500}` }, fault.headers ?? {});
      return;
    }
    try {
      const [status, data] = this.route(method, url, body);
      if (method !== 'GET' && this.onWrite) await this.onWrite(record, this.writes().length);
      if (fault?.kind === 'after') send(fault.status ?? 502, { message: 'Bad Gateway' });
      else send(status, data);
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status === 404 && !error.expected) this.unexpected.push(record);
        send(error.status, error.data);
      } else {
        this.unexpected.push(record);
        send(500, { message: `fake GitHub: ${String(error)}` });
      }
    }
  }

  private route(method: string, url: URL, body: Record<string, unknown>): [number, unknown] {
    const s = this.state;
    const prefix = `/repos/${s.owner}/${s.repo}`;
    const notFound = () => new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) throw notFound();
    const path = url.pathname.slice(prefix.length);
    const q = url.searchParams;
    const pr = s.pr;
    const n = String(pr.number);
    let m: RegExpExecArray | null;
    const git = this.gitRoute(method, path, q, body);
    if (git) return git;

    if (method === 'GET') {
      if (path === '') return [200, this.repoJson()];
      if ((m = /^\/contents\/(.+)$/.exec(path))) {
        const file = decodeURIComponent(m[1]!);
        const ref = q.get('ref') ?? s.defaultBranch;
        const text = s.contents[file];
        if (text === undefined || ref !== s.defaultBranch) throw new HttpError(404, { message: 'Not Found' });
        const bytes = Buffer.from(text, 'utf8');
        return [200, { type: 'file', name: file.split('/').pop(), path: file, size: bytes.length, encoding: 'base64', content: bytes.toString('base64'), sha: 'f'.repeat(40) }];
      }
      if ((m = /^\/commits\/([0-9a-f]{40})\/pulls$/.exec(path))) return [200, pr.commitShas.includes(m[1]!) || pr.headSha === m[1] ? [this.prJson()] : []];
      if (path === '/pulls') {
        const head = q.get('head');
        const state = q.get('state') ?? 'open';
        const matches = (!head || head === `${s.owner}:${pr.headRef}`) && (state === 'all' || state === pr.state);
        return [200, matches ? [this.prJson()] : []];
      }
      if (path === `/pulls/${n}`) return [200, this.prJson()];
      if ((m = /^\/git\/ref\/heads\/(.+)$/.exec(path))) {
        const ref = decodeURIComponent(m[1]!);
        const sha = s.branches[ref];
        if (!sha) throw new HttpError(404, { message: 'Not Found' });
        return [200, { ref: `refs/heads/${ref}`, node_id: 'x', url: `${this.url}${url.pathname}`, object: { type: 'commit', sha, url: '' } }];
      }
      if (path === `/pulls/${n}/files`) return [200, s.files.map((f) => ({ sha: 'e'.repeat(40), additions: 1, deletions: 0, changes: 1, ...f }))];
      if (path === `/pulls/${n}/commits`)
        return [200, s.commits.map((c) => ({ sha: c.sha, author: { login: c.author }, committer: { login: c.committer }, commit: { message: 'change' } }))];
      if ((m = /^\/commits\/([^/]+)\/check-runs$/.exec(path))) {
        const name = q.get('check_name');
        const runs = s.checkRuns.filter((r) => r.head_sha === m![1] && (!name || r.name === name));
        // filter=latest (the default): only the newest run of each name.
        const latest = (q.get('filter') ?? 'latest') === 'latest' ? runs.filter((r) => !runs.some((o) => o.name === r.name && o.id > r.id)) : runs;
        return [200, { total_count: latest.length, check_runs: latest }];
      }
      if ((m = /^\/actions\/runs\/(\d+)\/approvals$/.exec(path))) {
        const list = s.approvals[m[1]!] ?? [];
        return [
          200,
          list.map((a) => ({ state: a.state, comment: '', user: { login: a.user }, environments: a.environments.map((name, i) => ({ id: i + 1, name })) })),
        ];
      }
      if ((m = /^\/environments\/([^/]+)$/.exec(path))) {
        const env = s.environments[decodeURIComponent(m[1]!)];
        if (!env) throw new HttpError(404, { message: 'Not Found' });
        return [200, { id: 1, name: decodeURIComponent(m[1]!), ...env }];
      }
      if (path === `/issues/${n}/comments`) return [200, s.comments];
      if (path === `/pulls/${n}/reviews`) return [200, s.reviews.map(({ comments: _c, ...r }) => r)];
      if ((m = /^\/commits\/([^/]+)\/statuses$/.exec(path))) return [200, s.statuses.filter((st) => st.url.endsWith(m![1]!))];
      if (path === `/issues/${n}/labels`) return [200, s.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' }))];
      throw notFound();
    }

    if (method === 'POST' && path === `/issues/${n}/comments`) {
      const now = new Date().toISOString();
      const c: FakeComment = { id: this.nextId++, body: String(body.body ?? ''), user: { login: BOT }, html_url: '', created_at: now, updated_at: now };
      c.html_url = `https://github.com/${s.owner}/${s.repo}/pull/${n}#issuecomment-${c.id}`;
      s.comments.push(c);
      return [201, c];
    }
    if (method === 'PATCH' && (m = /^\/issues\/comments\/(\d+)$/.exec(path))) {
      const c = s.comments.find((x) => x.id === Number(m![1]));
      if (!c) throw notFound();
      if (c.user.login !== BOT) throw new HttpError(403, { message: 'Must have admin rights to Repository.' });
      c.body = String(body.body ?? '');
      c.updated_at = new Date().toISOString();
      return [200, c];
    }
    if (method === 'POST' && path === `/pulls/${n}/reviews`) {
      const comments = (body.comments as FakeReviewComment[] | undefined) ?? [];
      for (const c of comments) {
        if (!this.inDiff(c.path, c.start_line ?? c.line, c.line))
          throw new HttpError(422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'], status: '422' });
      }
      const r: FakeReview = {
        id: this.nextId++,
        body: String(body.body ?? ''),
        state: body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED',
        commit_id: String(body.commit_id ?? pr.headSha),
        comments,
        user: { login: BOT },
        html_url: '',
      };
      r.html_url = `https://github.com/${s.owner}/${s.repo}/pull/${n}#pullrequestreview-${r.id}`;
      s.reviews.push(r);
      return [200, { ...r, comments: undefined }];
    }
    if (method === 'POST' && path === '/check-runs') {
      const output = (body.output ?? {}) as { title?: string; summary?: string; text?: string; annotations?: unknown[] };
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: String(body.name),
        head_sha: String(body.head_sha),
        external_id: typeof body.external_id === 'string' ? body.external_id : null,
        status: String(body.status ?? 'queued'),
        conclusion: typeof body.conclusion === 'string' ? body.conclusion : null,
        html_url: '',
        // Every run made with an installation token belongs to its app; the workflow token's is github-actions.
        app: { slug: 'github-actions' },
        output: { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null, annotations_count: output.annotations?.length ?? 0 },
      };
      run.html_url = `https://github.com/${s.owner}/${s.repo}/runs/${run.id}`;
      s.checkRuns.push(run);
      return [201, run];
    }
    if (method === 'PATCH' && (m = /^\/check-runs\/(\d+)$/.exec(path))) {
      const run = s.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) throw notFound();
      const output = (body.output ?? {}) as { title?: string; summary?: string; text?: string; annotations?: unknown[] };
      run.output = {
        title: output.title ?? run.output.title,
        summary: output.summary ?? run.output.summary,
        text: output.text ?? run.output.text,
        annotations_count: run.output.annotations_count + (output.annotations?.length ?? 0),
      };
      return [200, run];
    }
    if (method === 'POST' && (m = /^\/statuses\/([0-9a-f]{40})$/.exec(path))) {
      const st: FakeStatus = {
        id: this.nextId++,
        context: String(body.context ?? 'default'),
        state: String(body.state),
        description: typeof body.description === 'string' ? body.description : null,
        creator: { login: BOT },
        url: `${this.url}${prefix}/statuses/${m[1]}`,
      };
      s.statuses.unshift(st);
      return [201, st];
    }
    if (method === 'POST' && path === `/issues/${n}/labels`) {
      for (const l of (body.labels as string[] | undefined) ?? []) if (!s.labels.some((x) => x.toLowerCase() === l.toLowerCase())) s.labels.push(l);
      return [200, s.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' }))];
    }
    throw notFound();
  }

  // ---- Git Data API and pull-request creation (the branch write of issue 6). ----
  // Answered only for what the state names: branches with a commit in `git`, pulls in `pulls`. The
  // main PR (`pr`) and every route above keep their behaviour; `undefined` falls through to them.

  private gitRoute(method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): [number, unknown] | undefined {
    const s = this.state;
    const full = `${s.owner}/${s.repo}`;
    const web = `https://github.com/${full}`;
    const git = s.git;
    let m: RegExpExecArray | null;
    const missing = (message = 'Not Found') => new HttpError(404, { message }, true);
    const invalid = (message: string) => new HttpError(422, { message, documentation_url: 'https://docs.github.com/rest' });
    if (method === 'GET' && (m = /^\/branches\/(.+)$/.exec(path))) {
      const name = decodeURIComponent(m[1]!);
      const sha = s.branches[name];
      const c = sha ? git?.commits[sha] : undefined;
      if (!sha || !c) throw missing('Branch not found');
      return [
        200,
        {
          name,
          protected: (s.protectedBranches ?? []).includes(name),
          commit: {
            sha,
            html_url: `${web}/commit/${sha}`,
            author: { login: c.author },
            commit: { message: c.message, tree: { sha: c.tree }, verification: { verified: c.verified, reason: c.verified ? 'valid' : 'unsigned' } },
            parents: c.parents.map((p) => ({ sha: p })),
          },
        },
      ];
    }
    if (method === 'GET' && (m = /^\/git\/trees\/([0-9a-f]{40})$/.exec(path))) {
      const tree = git?.trees[m[1]!];
      if (!tree) throw missing();
      const entries = Object.entries(tree).map(([p, e]) => ({ path: p, mode: e.mode, type: 'blob', sha: e.sha, size: Buffer.from(git!.blobs[e.sha] ?? '', 'base64').length }));
      return [200, { sha: m[1], truncated: false, tree: entries }];
    }
    if (method === 'GET' && (m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(path))) {
      const c = git?.commits[m[1]!];
      if (!c) throw missing();
      return [200, this.commitJson(c)];
    }
    if (method === 'GET' && path === '/pulls' && q.get('head') !== `${s.owner}:${s.pr.headRef}`) {
      const head = q.get('head');
      const base = q.get('base');
      const state = q.get('state') ?? 'open';
      const pulls = (s.pulls ?? []).filter((p) => (!head || head === `${s.owner}:${p.head.ref}`) && (!base || p.base.ref === base) && (state === 'all' || p.state === state));
      return [200, pulls];
    }
    if (method === 'PATCH' && (m = /^\/pulls\/(\d+)$/.exec(path)) && Number(m[1]) !== s.pr.number) {
      const p = (s.pulls ?? []).find((x) => x.number === Number(m![1]));
      if (!p) return undefined;
      if (typeof body.title === 'string') p.title = body.title;
      if (typeof body.body === 'string') p.body = body.body;
      return [200, p];
    }
    if (method === 'POST' && path === '/pulls') {
      const head = String(body.head ?? '');
      const base = String(body.base ?? '');
      const sha = s.branches[head];
      if (!sha) throw invalid(`head ${head} does not exist`);
      s.pulls ??= [];
      if (s.pulls.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === base)) throw invalid(`A pull request already exists for ${s.owner}:${head}.`);
      const number = Math.max(s.pr.number, ...s.pulls.map((p) => p.number)) + 1;
      const pull: FakePull = {
        number,
        state: 'open',
        draft: body.draft === true,
        title: String(body.title ?? ''),
        body: typeof body.body === 'string' ? body.body : null,
        user: { login: BOT },
        html_url: `${web}/pull/${number}`,
        head: { ref: head, sha, repo: { full_name: full } },
        base: { ref: base, repo: { full_name: full } },
      };
      s.pulls.push(pull);
      return [201, pull];
    }
    if (!git || method === 'GET') return undefined;
    if (method === 'POST' && path === '/git/blobs') {
      const bytes = Buffer.from(String(body.content ?? ''), body.encoding === 'base64' ? 'base64' : 'utf8');
      const sha = gitBlobSha(bytes);
      git.blobs[sha] = bytes.toString('base64');
      return [201, { sha, url: `${this.url}/repos/${full}/git/blobs/${sha}` }];
    }
    if (method === 'POST' && path === '/git/trees') {
      const base = git.trees[String(body.base_tree)];
      if (!base) throw invalid('base_tree is not a tree');
      const tree = { ...base };
      for (const e of (body.tree as { path: string; mode: string; sha: string | null }[]) ?? []) {
        if (e.sha === null) {
          if (!(e.path in tree)) throw invalid(`tree.path ${e.path} does not exist`);
          delete tree[e.path];
        } else {
          if (!(e.sha in git.blobs)) throw invalid(`tree.sha ${e.sha} is not a blob`);
          tree[e.path] = { mode: e.mode, sha: e.sha };
        }
      }
      const sha = storeTree(git, tree);
      return [201, { sha, url: `${this.url}/repos/${full}/git/trees/${sha}`, truncated: false, tree: [] }];
    }
    if (method === 'POST' && path === '/git/commits') {
      const tree = String(body.tree);
      const parents = (body.parents as string[]) ?? [];
      if (!git.trees[tree] || parents.some((p) => !git.commits[p])) throw invalid('tree or parent not found');
      // Commits made through the API with an installation token are authored by its bot and signed by GitHub.
      const sha = putFakeCommit(git, { message: String(body.message ?? ''), tree, parents, author: BOT, verified: true });
      return [201, this.commitJson(git.commits[sha]!)];
    }
    if (method === 'POST' && path === '/git/refs') {
      const ref = String(body.ref ?? '');
      const sha = String(body.sha ?? '');
      if (!ref.startsWith('refs/heads/') || !git.commits[sha]) throw invalid('invalid ref or sha');
      const name = ref.slice('refs/heads/'.length);
      if (s.branches[name]) throw invalid('Reference already exists');
      s.branches[name] = sha;
      return [201, { ref, object: { type: 'commit', sha } }];
    }
    if (method === 'PATCH' && (m = /^\/git\/refs\/heads\/(.+)$/.exec(path))) {
      const name = decodeURIComponent(m[1]!);
      const current = s.branches[name];
      const sha = String(body.sha ?? '');
      if (!current) throw invalid('Reference does not exist');
      // `force: false` (the firewall lets nothing else through): only a fast-forward moves the ref.
      if (!this.descends(sha, current)) throw invalid('Update is not a fast forward');
      s.branches[name] = sha;
      return [200, { ref: `refs/heads/${name}`, object: { type: 'commit', sha } }];
    }
    return undefined;
  }

  /** Whether `current` is `sha` or one of its ancestors. */
  private descends(sha: string, current: string): boolean {
    const commits = this.state.git?.commits ?? {};
    const todo = [sha];
    const seen = new Set<string>();
    while (todo.length) {
      const next = todo.pop()!;
      if (next === current) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      todo.push(...(commits[next]?.parents ?? []));
    }
    return false;
  }

  private commitJson(c: FakeGitCommit) {
    const web = `https://github.com/${this.state.owner}/${this.state.repo}`;
    return {
      sha: c.sha,
      html_url: `${web}/commit/${c.sha}`,
      message: c.message,
      tree: { sha: c.tree },
      parents: c.parents.map((p) => ({ sha: p })),
      author: { name: c.author, email: `41898282+${c.author}@users.noreply.github.com`, date: '2026-11-21T10:00:00Z' },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: '2026-11-21T10:00:00Z' },
      verification: { verified: c.verified, reason: c.verified ? 'valid' : 'unsigned', signature: null, payload: null },
    };
  }

  /** Whether lines `from`..`to` of `path` lie within one new-side hunk of the PR's patch, as GitHub requires. */
  private inDiff(path: string, from: number, to: number): boolean {
    const file = this.state.files.find((f) => f.filename === path);
    if (!file?.patch) return false;
    for (const m of file.patch.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)) {
      const start = Number(m[1]);
      const end = start + (m[2] === undefined ? 1 : Number(m[2])) - 1;
      if (from >= start && to <= end) return true;
    }
    return false;
  }

  private repoJson() {
    const s = this.state;
    return { id: 1, name: s.repo, full_name: `${s.owner}/${s.repo}`, owner: { login: s.owner }, private: false, default_branch: s.defaultBranch };
  }

  private prJson() {
    const s = this.state;
    const pr = s.pr;
    const full = `${s.owner}/${s.repo}`;
    return {
      number: pr.number,
      state: pr.state,
      draft: pr.draft,
      title: pr.title,
      body: pr.body,
      html_url: `https://github.com/${full}/pull/${pr.number}`,
      user: { login: pr.author },
      labels: s.labels.map((name, i) => ({ id: i + 1, name })),
      head: { sha: pr.headSha, ref: pr.headRef, repo: { full_name: full } },
      base: { sha: pr.baseSha, ref: pr.baseRef, repo: { full_name: full, default_branch: s.defaultBranch } },
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Start a fake GitHub; `stop()` it in `afterEach`/`finally` (it also stops itself after its lifetime). */
export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const gh = new FakeGitHub(options);
  await gh.start();
  return gh;
}
