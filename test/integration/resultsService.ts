/**
 * A loopback, in-memory stand-in for the GitHub Actions "results service" (twirp JSON over HTTP at
 * `ACTIONS_RESULTS_URL`) plus the few REST routes `@actions/artifact` uses for cross-run downloads.
 * Blob bytes live in a real Azurite (`azurite.ts`); this server only hands out SAS URLs, exactly
 * like the real service hands out signed Azure Blob URLs.
 *
 * Twirp (POST, JSON, proto field names; paths from `@actions/artifact/lib/generated/.../
 * artifact.twirp-client.js` and `@actions/cache/lib/generated/.../cache.twirp-client.js`):
 *   /twirp/github.actions.results.api.v1.ArtifactService/{CreateArtifact,FinalizeArtifact,
 *     ListArtifacts,GetSignedArtifactURL,DeleteArtifact}
 *   /twirp/github.actions.results.api.v1.CacheService/{CreateCacheEntry,FinalizeCacheEntryUpload,
 *     GetCacheEntryDownloadURL}
 * Every twirp call needs `Authorization: Bearer <runtime token>` (401 otherwise). Errors are twirp
 * JSON bodies `{ code, msg }`; both libraries parse the body as JSON, retry 5xx (and 429 for
 * artifacts) with sleeps of 3 s, 4.5-6.75 s, ..., and do not retry other 4xx.
 *
 * REST (needs `Authorization: token <t>`; `GITHUB_API_URL` must point here):
 *   GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts   (list, paginated, `name` filter)
 *   GET /repos/{owner}/{repo}/actions/artifacts/{id}             (one artifact)
 *   GET /repos/{owner}/{repo}/actions/artifacts/{id}/zip         (302 to a SAS URL; 410 expired)
 *
 * Semantics kept from the real service:
 * - artifacts: names unique per workflow run (409 `already_exists` on a second CreateArtifact);
 *   only finalized artifacts are listed; the digest is what the client reported at finalize
 *   (`sha256:<hex>`); `expires_at` from the request (retention).
 * - cache: an entry is (scope, key, version). CreateCacheEntry on an existing (or reserved) entry
 *   answers 409 `already_exists` ("immutable keys"). `@actions/cache` turns that non-retryable error
 *   into a ReserveCacheError, logs it with `core.info` and `saveCache` returns -1.
 *   GetCacheEntryDownloadURL: exact key, then `key` as a prefix, then each restore key as a prefix,
 *   newest first; only entries with the same `version`; the current scope, then the default
 *   branch's scope. A miss is `{ ok: false }` (200).
 *
 * Test controls: `injectFault(route, fault)` (route = a twirp method name or one of the REST route
 * names below; the next `times` calls get the fault), `seedArtifact` (raw zip bytes into any run),
 * `tamperArtifact` / `tamperCacheEntry` (rewrite the stored blob), `setScope`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AzuriteHandle } from './azurite.js';
import { isLoopbackHost } from './loopbackGuard.js';

export const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
export const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';

export type RestRoute = 'ListRunArtifacts' | 'GetArtifact' | 'DownloadArtifact';
export type TwirpMethod =
  | 'CreateArtifact'
  | 'FinalizeArtifact'
  | 'ListArtifacts'
  | 'GetSignedArtifactURL'
  | 'DeleteArtifact'
  | 'CreateCacheEntry'
  | 'FinalizeCacheEntryUpload'
  | 'GetCacheEntryDownloadURL';

export interface Fault {
  /** HTTP status to answer with (ignored with `reset`). */
  status?: number;
  /** JSON body; default a twirp error `{ code: 'internal', msg: 'injected fault' }`. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** How many calls get the fault (default 1). */
  times?: number;
}

export interface RunInfo {
  /** Numeric run id (REST). */
  runId: number;
  runBackendId: string;
  jobBackendId: string;
  headSha: string;
  headRepositoryId: number;
}

export interface StoredArtifact {
  id: number;
  name: string;
  run: RunInfo;
  blobName: string;
  mimeType: string;
  size: number;
  /** `sha256:<hex>` as reported at finalize (or computed for seeded artifacts). */
  digest: string | undefined;
  createdAt: Date;
  expiresAt: Date | undefined;
  finalized: boolean;
}

export interface StoredCacheEntry {
  id: number;
  key: string;
  version: string;
  scope: string;
  blobName: string;
  sizeBytes: number;
  createdAt: Date;
  finalized: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  route: string;
  status: number;
  remoteAddress: string | undefined;
  /** Parsed JSON body of twirp calls. */
  body?: unknown;
}

export interface ResultsServiceOptions {
  azurite: AzuriteHandle;
  owner?: string;
  repo?: string;
  repositoryId?: number;
  /** The run the runtime token belongs to. */
  run?: Partial<RunInfo>;
  /** Cache scope of the current run (e.g. its ref) and of the default branch. */
  scope?: string;
  defaultScope?: string;
  /** REST token to require; default: any non-empty token. */
  restToken?: string;
  /** Lifetime of signed URLs; default 10 minutes. */
  sasTtlMs?: number;
}

export interface ResultsService {
  /** `http://127.0.0.1:<port>` — use for ACTIONS_RESULTS_URL and GITHUB_API_URL. */
  url: string;
  port: number;
  /** `http://results.localhost:<port>` — for GITHUB_SERVER_URL (only its host name is checked). */
  serverUrl: string;
  owner: string;
  repo: string;
  run: RunInfo;
  runtimeToken: string;
  artifacts: StoredArtifact[];
  cacheEntries: StoredCacheEntry[];
  requests: RecordedRequest[];
  /** Requests no route answered (404) — should stay empty. */
  unexpected(): RecordedRequest[];
  injectFault(route: TwirpMethod | RestRoute, fault: Fault): void;
  clearFaults(): void;
  seedArtifact(input: SeedArtifact): Promise<StoredArtifact>;
  tamperArtifact(id: number, mutate: (bytes: Buffer) => Buffer): Promise<void>;
  tamperCacheEntry(key: string, mutate: (bytes: Buffer) => Buffer): Promise<void>;
  setScope(scope: string): void;
  stop(): Promise<void>;
}

export interface SeedArtifact {
  name: string;
  bytes: Uint8Array;
  /** Another run (cross-run downloads); missing fields are generated. */
  run?: Partial<RunInfo>;
  mimeType?: string;
  expiresAt?: Date;
  /** Override the recorded digest (default: the real sha256 of `bytes`). */
  digest?: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * An unsigned-looking JWT whose `scp` claim carries `Actions.Results:<run>:<job>` — the only thing
 * `@actions/artifact` reads from it (`getBackendIdsFromToken`, via jwt-decode, no verification).
 */
export function makeRuntimeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
    iat: now,
    nbf: now,
    exp: now + 6 * 3600,
    iss: 'vstoken.actions.localhost',
  };
  return `${b64url({ typ: 'JWT', alg: 'RS256' })}.${b64url(payload)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

export interface ActionsEnvOptions {
  runnerTemp: string;
  workspace: string;
  /** Sets GITHUB_RETENTION_DAYS (the repository's maximum retention). */
  retentionDays?: number;
}

/**
 * The environment both libraries read. Apply it to `process.env` BEFORE the first import of
 * `@actions/artifact` (or anything importing `@actions/github`):
 * - `@actions/github` computes its REST base URL from GITHUB_API_URL when its module is evaluated
 *   (`lib/utils.js`: `const baseUrl = Utils.getApiBaseUrl()`), and `@actions/artifact` uses those
 *   defaults for `findBy` (cross-run) list/get/download. Set later, it is ignored and requests go
 *   to https://api.github.com.
 * - `@actions/artifact/lib/internal/find/list-artifacts.js` reads ACTIONS_ARTIFACT_MAX_ARTIFACT_COUNT
 *   at import time.
 * - Everything else (ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL, ACTIONS_CACHE_SERVICE_V2,
 *   GITHUB_SERVER_URL for `isGhes()`, RUNNER_TEMP, GITHUB_WORKSPACE, GITHUB_RETENTION_DAYS) is read
 *   at call time.
 * GITHUB_SERVER_URL must be github.com, *.ghe.com or *.localhost, otherwise both libraries think
 * they run on GHES (artifact: GHESNotSupportedError; cache: falls back to the v1 service). The name
 * is only checked, never contacted, so `results.localhost` need not resolve (it does not here).
 */
export function actionsEnv(service: ResultsService, options: ActionsEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    ACTIONS_RUNTIME_TOKEN: service.runtimeToken,
    ACTIONS_RESULTS_URL: `${service.url}/`,
    ACTIONS_CACHE_SERVICE_V2: 'True',
    GITHUB_SERVER_URL: service.serverUrl,
    GITHUB_API_URL: service.url,
    GITHUB_REPOSITORY: `${service.owner}/${service.repo}`,
    GITHUB_RUN_ID: String(service.run.runId),
    GITHUB_SHA: service.run.headSha,
    RUNNER_TEMP: options.runnerTemp,
    GITHUB_WORKSPACE: options.workspace,
    NO_PROXY: '127.0.0.1,localhost,.localhost',
    no_proxy: '127.0.0.1,localhost,.localhost',
  };
  if (options.retentionDays !== undefined) env.GITHUB_RETENTION_DAYS = String(options.retentionDays);
  return env;
}

/** Env names `actionsEnv` may set plus proxy/cache names that must not leak in from the outside. */
export const ACTIONS_ENV_NAMES = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_RUN_ID',
  'GITHUB_SHA',
  'GITHUB_RETENTION_DAYS',
  'RUNNER_TEMP',
  'GITHUB_WORKSPACE',
  'NO_PROXY',
  'no_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
] as const;

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    msg: string,
  ) {
    super(msg);
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** protobuf JSON wrappers (StringValue/Int64Value) arrive as bare values. */
const wrapped = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'object' ? str((v as { value?: unknown }).value) : String(v));

export async function startResultsService(options: ResultsServiceOptions): Promise<ResultsService> {
  const { azurite } = options;
  const owner = options.owner ?? 'octo';
  const repo = options.repo ?? 'app';
  const repositoryId = options.repositoryId ?? 1296269;
  const sasTtlMs = options.sasTtlMs ?? 600_000;
  const run: RunInfo = {
    runId: options.run?.runId ?? 777001,
    runBackendId: options.run?.runBackendId ?? randomUUID(),
    jobBackendId: options.run?.jobBackendId ?? randomUUID(),
    headSha: options.run?.headSha ?? '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    headRepositoryId: options.run?.headRepositoryId ?? repositoryId,
  };
  const runtimeToken = makeRuntimeToken(run.runBackendId, run.jobBackendId);
  let scope = options.scope ?? 'refs/heads/feature';
  const defaultScope = options.defaultScope ?? 'refs/heads/main';

  const artifacts: StoredArtifact[] = [];
  const cacheEntries: StoredCacheEntry[] = [];
  const requests: RecordedRequest[] = [];
  const faults = new Map<string, Fault & { remaining: number }>();
  let nextArtifactId = 1000;
  let nextCacheId = 5000;
  let seq = 0;

  const artifactBlob = (r: RunInfo, id: number, name: string, mime: string) =>
    `artifacts/${r.runBackendId}/${id}/${encodeURIComponent(name)}${mime === 'application/zip' && !name.endsWith('.zip') ? '.zip' : ''}`;
  const fileNameOf = (a: StoredArtifact) => (a.mimeType === 'application/zip' && !a.name.endsWith('.zip') ? `${a.name}.zip` : a.name);
  const downloadUrl = (a: StoredArtifact) =>
    azurite.sasUrl(a.blobName, 'r', {
      ttlMs: sasTtlMs,
      contentDisposition: `attachment; filename="${fileNameOf(a).replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileNameOf(a))}`,
    });
  const isExpired = (a: StoredArtifact) => a.expiresAt !== undefined && a.expiresAt.getTime() <= Date.now();
  const sameRun = (a: StoredArtifact, runBackendId: string) => a.run.runBackendId === runBackendId;

  // ---- twirp handlers -------------------------------------------------------------------------
  const artifactHandlers: Record<string, (b: Record<string, unknown>) => Promise<unknown> | unknown> = {
    CreateArtifact(b) {
      const runId = str(b.workflow_run_backend_id);
      const name = str(b.name);
      if (runId !== run.runBackendId || str(b.workflow_job_run_backend_id) !== run.jobBackendId)
        throw new TwirpError(403, 'permission_denied', 'backend ids do not match the token');
      if (!name) throw new TwirpError(400, 'invalid_argument', 'name is required');
      if (Number(b.version ?? 0) < 4) throw new TwirpError(400, 'invalid_argument', 'unsupported artifact version');
      const existing = artifacts.find((a) => sameRun(a, runId) && a.name === name);
      if (existing?.finalized) throw new TwirpError(409, 'already_exists', 'an artifact with this name already exists on the workflow run');
      const mimeType = wrapped(b.mime_type) || 'application/zip';
      const expiresAt = typeof b.expires_at === 'string' ? new Date(b.expires_at) : undefined;
      let a = existing;
      if (!a) {
        const id = nextArtifactId++;
        a = { id, name, run, blobName: artifactBlob(run, id, name, mimeType), mimeType, size: 0, digest: undefined, createdAt: new Date(), expiresAt, finalized: false };
        artifacts.push(a);
      } else {
        a.expiresAt = expiresAt;
      }
      return { ok: true, signed_upload_url: azurite.sasUrl(a.blobName, 'racw', { ttlMs: sasTtlMs }) };
    },
    async FinalizeArtifact(b) {
      const a = artifacts.find((x) => sameRun(x, str(b.workflow_run_backend_id)) && x.name === str(b.name) && !x.finalized);
      if (!a) throw new TwirpError(404, 'not_found', 'artifact not found');
      const bytes = await azurite.getBlob(a.blobName);
      if (!bytes) throw new TwirpError(400, 'failed_precondition', 'artifact blob was not uploaded');
      a.size = Number(b.size ?? bytes.length);
      a.digest = wrapped(b.hash);
      a.finalized = true;
      return { ok: true, artifact_id: String(a.id) };
    },
    ListArtifacts(b) {
      const runId = str(b.workflow_run_backend_id);
      const nameFilter = wrapped(b.name_filter);
      const idFilter = wrapped(b.id_filter);
      const list = artifacts.filter(
        (a) => a.finalized && !isExpired(a) && sameRun(a, runId) && (nameFilter === undefined || a.name === nameFilter) && (idFilter === undefined || String(a.id) === idFilter),
      );
      return {
        artifacts: list.map((a) => ({
          workflow_run_backend_id: a.run.runBackendId,
          workflow_job_run_backend_id: a.run.jobBackendId,
          database_id: String(a.id),
          name: a.name,
          size: String(a.size),
          created_at: a.createdAt.toISOString(),
          ...(a.digest ? { digest: a.digest } : {}),
        })),
      };
    },
    GetSignedArtifactURL(b) {
      const a = artifacts.find((x) => x.finalized && !isExpired(x) && sameRun(x, str(b.workflow_run_backend_id)) && x.name === str(b.name));
      if (!a) throw new TwirpError(404, 'not_found', 'artifact not found');
      return { signed_url: downloadUrl(a) };
    },
    async DeleteArtifact(b) {
      const i = artifacts.findIndex((x) => x.finalized && sameRun(x, str(b.workflow_run_backend_id)) && x.name === str(b.name));
      if (i < 0) throw new TwirpError(404, 'not_found', 'artifact not found');
      const [a] = artifacts.splice(i, 1);
      await azurite.containerClient.getBlockBlobClient(a!.blobName).deleteIfExists();
      return { ok: true, artifact_id: String(a!.id) };
    },
  };

  const findCache = (keys: string[], version: string): StoredCacheEntry | undefined => {
    for (const s of scope === defaultScope ? [scope] : [scope, defaultScope]) {
      const candidates = cacheEntries.filter((e) => e.finalized && e.scope === s && e.version === version).sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || y.id - x.id);
      const [primary, ...restore] = keys;
      const exact = candidates.find((e) => e.key === primary);
      if (exact) return exact;
      for (const prefix of [primary!, ...restore]) {
        const hit = candidates.find((e) => e.key.startsWith(prefix));
        if (hit) return hit;
      }
    }
    return undefined;
  };

  const cacheHandlers: Record<string, (b: Record<string, unknown>) => Promise<unknown> | unknown> = {
    CreateCacheEntry(b) {
      const key = str(b.key);
      const version = str(b.version);
      if (!key || !version) throw new TwirpError(400, 'invalid_argument', 'key and version are required');
      if (key.length > 512 || key.includes(',')) throw new TwirpError(400, 'invalid_argument', 'invalid cache key');
      if (cacheEntries.some((e) => e.key === key && e.version === version && e.scope === scope))
        throw new TwirpError(409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
      const id = nextCacheId++;
      const entry: StoredCacheEntry = { id, key, version, scope, blobName: `caches/${id}/${randomUUID()}`, sizeBytes: 0, createdAt: new Date(Date.now() + seq++), finalized: false };
      cacheEntries.push(entry);
      return { ok: true, signed_upload_url: azurite.sasUrl(entry.blobName, 'racw', { ttlMs: sasTtlMs }) };
    },
    async FinalizeCacheEntryUpload(b) {
      const entry = cacheEntries.find((e) => e.key === str(b.key) && e.version === str(b.version) && e.scope === scope && !e.finalized);
      if (!entry) return { ok: false, entry_id: '0', message: 'cache entry not found or already finalized' };
      const bytes = await azurite.getBlob(entry.blobName);
      if (!bytes) return { ok: false, entry_id: '0', message: 'cache archive was not uploaded' };
      if (b.size_bytes !== undefined && Number(b.size_bytes) !== bytes.length) return { ok: false, entry_id: '0', message: `size mismatch: ${b.size_bytes} != ${bytes.length}` };
      entry.sizeBytes = bytes.length;
      entry.finalized = true;
      return { ok: true, entry_id: String(entry.id) };
    },
    GetCacheEntryDownloadURL(b) {
      const keys = [str(b.key), ...(Array.isArray(b.restore_keys) ? b.restore_keys.map(str) : [])];
      const hit = findCache(keys, str(b.version));
      if (!hit) return { ok: false, signed_download_url: '', matched_key: '' };
      return { ok: true, signed_download_url: azurite.sasUrl(hit.blobName, 'r', { ttlMs: sasTtlMs }), matched_key: hit.key };
    },
  };

  // ---- REST handlers --------------------------------------------------------------------------
  const restArtifact = (a: StoredArtifact) => ({
    id: a.id,
    node_id: Buffer.from(`Artifact:${a.id}`).toString('base64'),
    name: a.name,
    size_in_bytes: a.size,
    url: `${url()}/repos/${owner}/${repo}/actions/artifacts/${a.id}`,
    archive_download_url: `${url()}/repos/${owner}/${repo}/actions/artifacts/${a.id}/zip`,
    expired: isExpired(a),
    digest: a.digest ?? null,
    created_at: a.createdAt.toISOString(),
    updated_at: a.createdAt.toISOString(),
    expires_at: a.expiresAt?.toISOString() ?? null,
    workflow_run: { id: a.run.runId, repository_id: repositoryId, head_repository_id: a.run.headRepositoryId, head_branch: 'feature', head_sha: a.run.headSha },
  });

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
    return status;
  };

  const takeFault = (route: string): (Fault & { remaining: number }) | undefined => {
    const f = faults.get(route);
    if (!f) return undefined;
    if (--f.remaining <= 0) faults.delete(route);
    return f;
  };

  const applyFault = (req: IncomingMessage, res: ServerResponse, f: Fault): number => {
    if (f.reset) {
      req.socket.destroy();
      return 0;
    }
    return json(res, f.status ?? 500, f.body ?? { code: 'internal', msg: 'injected fault' }, f.headers);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<RecordedRequest> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = { method: req.method ?? '', path: u.pathname, route: 'unknown', status: 404, remoteAddress: req.socket.remoteAddress };
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      total += c.length;
      if (total > 5 * 1024 * 1024) {
        record.status = json(res, 413, { code: 'resource_exhausted', msg: 'body too large' });
        return record;
      }
      chunks.push(c);
    }
    const auth = req.headers.authorization ?? '';

    const twirp = /^\/twirp\/([\w.]+)\/(\w+)$/.exec(u.pathname);
    if (twirp && req.method === 'POST') {
      const [, service, method] = twirp;
      const handlers = service === ARTIFACT_SERVICE ? artifactHandlers : service === CACHE_SERVICE ? cacheHandlers : undefined;
      const handler = handlers?.[method!];
      if (!handler) {
        record.status = json(res, 404, { code: 'bad_route', msg: `no handler for ${u.pathname}` });
        return record;
      }
      record.route = method!;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        record.status = json(res, 400, { code: 'malformed', msg: 'body is not JSON' });
        return record;
      }
      record.body = body;
      if (auth !== `Bearer ${runtimeToken}`) {
        record.status = json(res, 401, { code: 'unauthenticated', msg: 'invalid runtime token' });
        return record;
      }
      const fault = takeFault(method!);
      if (fault) {
        record.status = applyFault(req, res, fault);
        return record;
      }
      try {
        record.status = json(res, 200, await handler(body));
      } catch (error) {
        if (error instanceof TwirpError) record.status = json(res, error.status, { code: error.code, msg: error.message });
        else record.status = json(res, 500, { code: 'internal', msg: (error as Error).message });
      }
      return record;
    }

    const rest = (pattern: RegExp) => pattern.exec(u.pathname);
    const listMatch = rest(/^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/artifacts$/);
    const zipMatch = rest(/^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)\/zip$/);
    const getMatch = rest(/^\/repos\/([^/]+)\/([^/]+)\/actions\/artifacts\/(\d+)$/);
    const match = listMatch ?? zipMatch ?? getMatch;
    if (req.method === 'GET' && match) {
      record.route = listMatch ? 'ListRunArtifacts' : zipMatch ? 'DownloadArtifact' : 'GetArtifact';
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
      if (!token || (options.restToken !== undefined && token !== options.restToken)) {
        record.status = json(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
        return record;
      }
      const fault = takeFault(record.route);
      if (fault) {
        record.status = applyFault(req, res, fault);
        return record;
      }
      if (match[1] !== owner || match[2] !== repo) {
        record.status = json(res, 404, { message: 'Not Found', status: '404' });
        return record;
      }
      if (listMatch) {
        const runId = Number(listMatch[3]);
        const perPage = Math.min(100, Number(u.searchParams.get('per_page') ?? 30) || 30);
        const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
        // GitHub's `name` query parameter filters by exact name.
        const name = u.searchParams.get('name');
        const all = artifacts.filter((a) => a.finalized && a.run.runId === runId && (name === null || a.name === name)).sort((x, y) => y.id - x.id);
        record.status = json(res, 200, { total_count: all.length, artifacts: all.slice((page - 1) * perPage, page * perPage).map(restArtifact) });
        return record;
      }
      const a = artifacts.find((x) => x.finalized && x.id === Number(match[3]));
      if (!a) {
        record.status = json(res, 404, { message: 'Not Found', status: '404' });
        return record;
      }
      if (getMatch) {
        record.status = json(res, 200, restArtifact(a));
        return record;
      }
      if (isExpired(a)) {
        record.status = json(res, 410, { message: 'Artifact has expired', status: '410' });
        return record;
      }
      res.writeHead(302, { location: downloadUrl(a), 'content-length': 0 });
      res.end();
      record.status = 302;
      return record;
    }

    record.status = json(res, 404, { message: 'Not Found', status: '404' });
    return record;
  }

  const server: Server = createServer((req, res) => {
    if (!isLoopbackHost(req.socket.remoteAddress ?? '')) {
      req.socket.destroy();
      return;
    }
    handle(req, res).then(
      (record) => requests.push(record),
      (error: unknown) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', route: 'error', status: 500, remoteAddress: req.socket.remoteAddress });
        if (!res.headersSent) json(res, 500, { code: 'internal', msg: (error as Error).message });
        else res.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = () => `http://127.0.0.1:${port}`;

  async function rewrite(blobName: string, mutate: (bytes: Buffer) => Buffer) {
    const bytes = await azurite.getBlob(blobName);
    if (!bytes) throw new Error(`no blob ${blobName}`);
    const contentType = await azurite.blobContentType(blobName);
    await azurite.putBlob(blobName, mutate(Buffer.from(bytes)), contentType);
  }

  return {
    url: url(),
    port,
    serverUrl: `http://results.localhost:${port}`,
    owner,
    repo,
    run,
    runtimeToken,
    artifacts,
    cacheEntries,
    requests,
    unexpected: () => requests.filter((r) => r.route === 'unknown' || r.route === 'error'),
    injectFault(route, fault) {
      faults.set(route, { ...fault, remaining: fault.times ?? 1 });
    },
    clearFaults: () => faults.clear(),
    async seedArtifact(input) {
      const r: RunInfo = {
        runId: input.run?.runId ?? run.runId + 1,
        runBackendId: input.run?.runBackendId ?? randomUUID(),
        jobBackendId: input.run?.jobBackendId ?? randomUUID(),
        headSha: input.run?.headSha ?? run.headSha,
        headRepositoryId: input.run?.headRepositoryId ?? repositoryId,
      };
      const mimeType = input.mimeType ?? 'application/zip';
      const id = nextArtifactId++;
      const a: StoredArtifact = {
        id,
        name: input.name,
        run: r,
        blobName: artifactBlob(r, id, input.name, mimeType),
        mimeType,
        size: input.bytes.length,
        digest: input.digest ?? `sha256:${sha256(input.bytes)}`,
        createdAt: new Date(),
        expiresAt: input.expiresAt,
        finalized: true,
      };
      await azurite.putBlob(a.blobName, input.bytes, mimeType);
      artifacts.push(a);
      return a;
    },
    async tamperArtifact(id, mutate) {
      const a = artifacts.find((x) => x.id === id);
      if (!a) throw new Error(`no artifact ${id}`);
      await rewrite(a.blobName, mutate);
    },
    async tamperCacheEntry(key, mutate) {
      const e = cacheEntries.find((x) => x.key === key && x.finalized);
      if (!e) throw new Error(`no cache entry ${key}`);
      await rewrite(e.blobName, mutate);
    },
    setScope(s) {
      scope = s;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
