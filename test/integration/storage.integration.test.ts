/**
 * The REAL `@actions/artifact` and `@actions/cache` against a loopback results service
 * (`resultsService.ts`) and a real Azurite blob endpoint (`azurite.ts`).
 *
 * The libraries are imported dynamically in `beforeAll`, after `actionsEnv()` is in `process.env`:
 * `@actions/github` (used by `@actions/artifact` for `findBy`) reads GITHUB_API_URL when its module
 * is evaluated. Nothing in this file's static imports may load `@actions/*`.
 *
 * Every TCP connection of this process is checked by `loopbackGuard.ts` (non-loopback ones are
 * refused and fail the suite). Fault tests use non-retryable answers (4xx, `ok: false`): the
 * libraries sleep 3 s, 4.5-6.75 s, ... between retries of 5xx, and artifact downloads retry a
 * failed blob GET 5 times with 5 s sleeps.
 *
 * Skipped (with the reason printed) only when Azurite cannot start.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azuriteOrSkip } from './azurite.js';
import { type LoopbackGuard, installLoopbackGuard } from './loopbackGuard.js';
import { ACTIONS_ENV_NAMES, type ResultsService, actionsEnv, startResultsService } from './resultsService.js';
import { rawZip as storedZip } from '../zips.js';

// Type-only imports are erased: they do not load the libraries before the env is set.
import type * as ArtifactModuleNs from '@actions/artifact';
import type * as CacheModuleNs from '@actions/cache';

type ArtifactModule = typeof ArtifactModuleNs;
type CacheModule = typeof CacheModuleNs;

const { azurite, skipReason } = await azuriteOrSkip('storage.integration');

const suite = azurite ? describe : describe.skip;
const REST_TOKEN = 'ghs_integration_token';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Runs `fn` while recording what @actions/core writes to stdout (it still reaches the terminal). */
async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
    lines.push(...String(chunk).split(/\r?\n/).filter(Boolean));
    return original(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    return { result: await fn(), lines };
  } finally {
    process.stdout.write = original;
  }
}

suite(`@actions/artifact and @actions/cache against Azurite + a loopback results service${skipReason ? ' (skipped: Azurite unavailable)' : ''}`, { timeout: 60_000 }, () => {
  let service: ResultsService;
  let guard: LoopbackGuard;
  let artifact: ArtifactModule['default'];
  let cache: CacheModule;
  let root: string;
  let workspace: string;
  const savedEnv: Record<string, string | undefined> = {};

  beforeAll(async () => {
    guard = installLoopbackGuard();
    service = await startResultsService({ azurite: azurite!, restToken: REST_TOKEN });
    root = mkdtempSync(join(tmpdir(), 'pg-storage-'));
    workspace = join(root, 'workspace');
    mkdirSync(workspace);
    mkdirSync(join(root, 'runner-temp'));
    for (const name of ACTIONS_ENV_NAMES) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
    Object.assign(process.env, actionsEnv(service, { runnerTemp: join(root, 'runner-temp'), workspace, retentionDays: 30 }));
    artifact = (await import('@actions/artifact')).default;
    cache = await import('@actions/cache');
    // Proves the env was in place before @actions/github was evaluated (cross-run requests).
    const { defaults } = await import('@actions/github/lib/utils');
    expect(defaults.baseUrl).toBe(service.url);
  });

  afterAll(async () => {
    await service?.stop();
    await azurite?.stop();
    guard?.uninstall();
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (root) rmSync(root, { recursive: true, force: true });
    expect(guard.connections.length, 'the guard saw the libraries connect').toBeGreaterThan(0);
    expect(guard.refused(), 'connections to non-loopback hosts').toEqual([]);
    expect(service.unexpected(), 'requests no route answered').toEqual([]);
    expect(service.requests.every((r) => r.remoteAddress === '127.0.0.1')).toBe(true);
  });

  const ledgerLines = '{"seq":1,"digest":"aa"}\n{"seq":2,"digest":"bb"}\n';
  let uploaded: { id: number; digest: string; size: number };

  describe('artifacts (same run, twirp)', () => {
    it('uploads a file with retention; the service records the client digest and expiry', async () => {
      const dir = join(workspace, 'ledger');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'ledger.jsonl'), ledgerLines);
      const res = await artifact.uploadArtifact('publish-gate-ledger', [join(dir, 'ledger.jsonl')], dir, { retentionDays: 3 });
      expect(res.id).toBeGreaterThan(0);
      expect(res.digest).toMatch(/^[0-9a-f]{64}$/); // bare hex from upload
      uploaded = { id: res.id!, digest: res.digest!, size: res.size! };
      const stored = service.artifacts.find((a) => a.id === res.id)!;
      expect(stored.digest).toBe(`sha256:${res.digest}`);
      const blob = await azurite!.getBlob(stored.blobName);
      expect(sha256(blob!)).toBe(res.digest);
      expect(await azurite!.blobContentType(stored.blobName)).toBe('application/zip');
      const days = (stored.expiresAt!.getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(2.9);
      expect(days).toBeLessThan(3.1);
    });

    it('lists it with a sha256: digest', async () => {
      const { artifacts } = await artifact.listArtifacts();
      expect(artifacts).toEqual([expect.objectContaining({ id: uploaded.id, name: 'publish-gate-ledger', size: uploaded.size, digest: `sha256:${uploaded.digest}` })]);
      const got = await artifact.getArtifact('publish-gate-ledger');
      expect(got.artifact.id).toBe(uploaded.id);
    });

    it('downloads and extracts it; the right expectedHash gives digestMismatch false', async () => {
      const path = join(root, 'dl-ok');
      const res = await artifact.downloadArtifact(uploaded.id, { path, expectedHash: `sha256:${uploaded.digest}` });
      expect(res.digestMismatch).toBe(false);
      expect(readFileSync(join(path, 'ledger.jsonl'), 'utf8')).toBe(ledgerLines);
    });

    it('skipDecompress gives the raw zip, named from the SAS content-disposition', async () => {
      const path = join(root, 'dl-raw');
      const res = await artifact.downloadArtifact(uploaded.id, { path, skipDecompress: true, expectedHash: `sha256:${uploaded.digest}` });
      expect(res.digestMismatch).toBe(false);
      expect(readdirSync(path)).toEqual(['publish-gate-ledger.zip']);
      const zip = readFileSync(join(path, 'publish-gate-ledger.zip'));
      expect(zip.subarray(0, 2).toString()).toBe('PK');
      expect(sha256(zip)).toBe(uploaded.digest);
    });

    it('a wrong expectedHash gives digestMismatch true — after the files were extracted', async () => {
      const path = join(root, 'dl-wrong');
      const res = await artifact.downloadArtifact(uploaded.id, { path, expectedHash: `sha256:${'0'.repeat(64)}` });
      expect(res.digestMismatch).toBe(true);
      expect(existsSync(join(path, 'ledger.jsonl'))).toBe(true);
    });

    it('a tampered blob is caught by expectedHash', async () => {
      const dir = join(workspace, 'tamper');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'x.txt'), 'original');
      const res = await artifact.uploadArtifact('tamper-me', [join(dir, 'x.txt')], dir, { skipArchive: true });
      await service.tamperArtifact(res.id!, (b) => Buffer.from(b.toString().replace('original', 'modified')));
      const path = join(root, 'dl-tampered');
      const dl = await artifact.downloadArtifact(res.id!, { path, expectedHash: `sha256:${res.digest}` });
      expect(dl.digestMismatch).toBe(true);
      expect(readFileSync(join(path, 'x.txt'), 'utf8')).toBe('modified');
    });

    it('a second artifact with the same name in the run is refused (409, not retried)', async () => {
      const dir = join(workspace, 'ledger');
      const started = Date.now();
      await expect(artifact.uploadArtifact('publish-gate-ledger', [join(dir, 'ledger.jsonl')], dir)).rejects.toThrow(/409/);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('an injected CreateArtifact fault surfaces as an error without retries', async () => {
      service.injectFault('CreateArtifact', { status: 403, body: { code: 'permission_denied', msg: 'injected' } });
      const dir = join(workspace, 'ledger');
      await expect(artifact.uploadArtifact('fault', [join(dir, 'ledger.jsonl')], dir)).rejects.toThrow(/non-retryable.*403.*injected/);
    });
  });

  describe('artifacts (another run, REST via findBy)', () => {
    const findBy = () => ({ token: REST_TOKEN, workflowRunId: 4242, repositoryOwner: service.owner, repositoryName: service.repo });
    let envelopeId: number;
    const envelopeZip = storedZip([{ name: 'envelope.json', data: '{"kind":"envelope"}' }]);

    beforeAll(async () => {
      const seeded = await service.seedArtifact({ name: 'agent-envelope', bytes: envelopeZip, run: { runId: 4242, headSha: 'a'.repeat(40) } });
      envelopeId = seeded.id;
    });

    it('lists the other run’s artifacts; REST carries provenance the library drops', async () => {
      const { artifacts } = await artifact.listArtifacts({ findBy: findBy() });
      expect(artifacts).toEqual([expect.objectContaining({ id: envelopeId, name: 'agent-envelope', digest: `sha256:${sha256(envelopeZip)}` })]);
      const res = await fetch(`${service.url}/repos/octo/app/actions/runs/4242/artifacts`, { headers: { authorization: `token ${REST_TOKEN}` } });
      const body = (await res.json()) as { artifacts: Array<Record<string, any>> };
      expect(body.artifacts[0]).toMatchObject({ expired: false, workflow_run: { id: 4242, head_sha: 'a'.repeat(40), head_repository_id: 1296269 } });
    });

    it('downloads through the 302 to a SAS URL, with digest check', async () => {
      const path = join(root, 'dl-cross');
      const res = await artifact.downloadArtifact(envelopeId, { path, findBy: findBy(), expectedHash: `sha256:${sha256(envelopeZip)}` });
      expect(res.digestMismatch).toBe(false);
      expect(readFileSync(join(path, 'envelope.json'), 'utf8')).toBe('{"kind":"envelope"}');
      expect(service.requests.some((r) => r.route === 'DownloadArtifact' && r.status === 302)).toBe(true);
    });

    it('a zip-slip archive is served as is; the library rewrites ../ and keeps symlinks as files', async () => {
      const evil = await service.seedArtifact({
        name: 'evil',
        bytes: storedZip([
          { name: '../escaped.txt', data: 'pwned' },
          { name: '/abs.txt', data: 'absolute' },
          { name: 'link', data: '/etc/passwd', mode: 0o120777 },
          { name: 'ok.txt', data: 'fine' },
        ]),
        run: { runId: 4242 },
      });
      const path = join(root, 'dl-slip', 'inner');
      const res = await artifact.downloadArtifact(evil.id, { path, findBy: findBy() });
      expect(res.digestMismatch).toBe(false);
      // unzip-stream replaces every `..` segment with `.` and path.join()s absolute names under
      // the target, so nothing escapes — but nothing is refused either.
      expect(existsSync(join(root, 'dl-slip', 'escaped.txt'))).toBe(false);
      expect(readdirSync(path).sort()).toEqual(['abs.txt', 'escaped.txt', 'link', 'ok.txt']);
      expect(readFileSync(join(path, 'escaped.txt'), 'utf8')).toBe('pwned');
      expect(lstatSync(join(path, 'link')).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(path, 'link'), 'utf8')).toBe('/etc/passwd');
    });

    it('an unknown run lists nothing; a wrong token is a 401', async () => {
      expect((await artifact.listArtifacts({ findBy: { ...findBy(), workflowRunId: 999 } })).artifacts).toEqual([]);
      await expect(artifact.listArtifacts({ findBy: { ...findBy(), token: 'wrong' } })).rejects.toThrow(/Bad credentials/);
    });
  });

  describe('cache (service v2)', () => {
    const key = 'publish-gate-ledger-v1-run-777001';
    let cacheDir: string;
    let file: string;

    beforeAll(() => {
      cacheDir = join(workspace, '.publish-gate');
      file = join(cacheDir, 'ledger.jsonl');
      mkdirSync(cacheDir, { recursive: true });
    });

    it('is available with the v2 env', () => {
      expect(cache.isFeatureAvailable()).toBe(true);
    });

    it('saves an entry', async () => {
      writeFileSync(file, ledgerLines);
      const id = await cache.saveCache([cacheDir], key);
      expect(id).toBeGreaterThan(0);
      expect(service.cacheEntries.find((e) => e.key === key)?.finalized).toBe(true);
    });

    it('restores it by prefix into the same path', async () => {
      rmSync(cacheDir, { recursive: true, force: true });
      const matched = await cache.restoreCache([cacheDir], 'publish-gate-ledger-v1-run-999', ['publish-gate-ledger-v1-']);
      expect(matched).toBe(key);
      expect(readFileSync(file, 'utf8')).toBe(ledgerLines);
    });

    it('restore picks the newest entry for a prefix', async () => {
      writeFileSync(file, 'newer\n');
      expect(await cache.saveCache([cacheDir], 'publish-gate-ledger-v1-run-777002')).toBeGreaterThan(0);
      rmSync(cacheDir, { recursive: true, force: true });
      expect(await cache.restoreCache([cacheDir], 'publish-gate-ledger-v1-')).toBe('publish-gate-ledger-v1-run-777002');
      expect(readFileSync(file, 'utf8')).toBe('newer\n');
    });

    it('saving an existing key returns -1 without throwing', async () => {
      const started = Date.now();
      expect(await cache.saveCache([cacheDir], key)).toBe(-1);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('a missing prefix restores undefined; other paths (another version) miss too', async () => {
      expect(await cache.restoreCache([cacheDir], 'nothing-here-', ['nope-'])).toBeUndefined();
      expect(await cache.restoreCache([join(workspace, 'elsewhere')], key)).toBeUndefined();
    });

    it('falls back to the default branch scope, and not the other way', async () => {
      service.setScope('refs/heads/main');
      writeFileSync(file, 'from main\n');
      expect(await cache.saveCache([cacheDir], 'main-only-key')).toBeGreaterThan(0);
      service.setScope('refs/heads/other');
      expect(await cache.restoreCache([cacheDir], 'main-only-')).toBe('main-only-key');
      expect(await cache.restoreCache([cacheDir], 'publish-gate-ledger-v1-')).toBeUndefined();
      service.setScope('refs/heads/feature');
    });

    it('a refused reservation (injected twirp 403) returns -1, logged as info (ReserveCacheError)', async () => {
      service.injectFault('CreateCacheEntry', { status: 403, body: { code: 'permission_denied', msg: 'cache write denied: read-only token' } });
      const { result, lines } = await captureStdout(() => cache.saveCache([cacheDir], 'fault-key-1'));
      expect(result).toBe(-1);
      // The twirp client wraps the message ("Failed to CreateCacheEntry: ..."), so the
      // `cache write denied:` prefix check (startsWith) misses it: plain ReserveCacheError, info.
      expect(lines.some((l) => l.startsWith('Failed to save: Unable to reserve cache with key fault-key-1'))).toBe(true);
      expect(lines.some((l) => l.startsWith('::warning::'))).toBe(false);
    });

    it('ok:false with "cache write denied:" returns -1 as a warning (CacheWriteDeniedError)', async () => {
      service.injectFault('CreateCacheEntry', { status: 200, body: { ok: false, message: 'cache write denied: read-only token' } });
      const { result, lines } = await captureStdout(() => cache.saveCache([cacheDir], 'fault-key-2'));
      expect(result).toBe(-1);
      expect(lines.some((l) => l.startsWith('::warning::Failed to save: Unable to reserve cache with key fault-key-2. More details: cache write denied:'))).toBe(true);
    });

    it('a tampered archive restores undefined (zstd checksum), without throwing', async () => {
      await service.tamperCacheEntry(key, (b) => {
        const out = Buffer.from(b);
        for (let i = Math.floor(out.length / 2); i < out.length - 8; i++) out[i] = out[i]! ^ 0xff;
        return out;
      });
      expect(await cache.restoreCache([cacheDir], key)).toBeUndefined();
    });
  });
});
