import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelopeDocument, evidenceDocument, sarifDocument } from '../../test/fixtures.js';
import { digestOf, rawZip, yazlZip } from '../../test/zips.js';
import type { Loaded } from '../decide/blockers.js';
import { envelopeFromArtifact, evidenceFromArtifact } from './intake.js';
import type { ArtifactInfo, ArtifactStore } from './store.js';

const RUN = 4242;
const HEAD = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const ENVELOPE = JSON.stringify(envelopeDocument());
const EVIDENCE = JSON.stringify(evidenceDocument());

let root: string;
let tempDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pg-intake-'));
  tempDir = join(root, 'runner-temp');
  await mkdir(tempDir);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Fake extends ArtifactStore {
  listed: { name: string; runId: number }[];
  downloads: string[];
}

function info(zip: Buffer, over: Partial<ArtifactInfo> = {}): ArtifactInfo {
  return { id: 7, name: 'agent-result', size: zip.length, digest: digestOf(zip), runId: RUN, headSha: HEAD, headRepositoryId: 99, expired: false, ...over };
}

/** A store listing `artifacts` and serving `zip` for any download. */
function fake(artifacts: ArtifactInfo[], zip: Buffer, options: { digestMismatch?: boolean; listError?: unknown; downloadError?: unknown } = {}): Fake {
  const store: Fake = {
    listed: [],
    downloads: [],
    async list(name, runId) {
      store.listed.push({ name, runId });
      if (options.listError) throw options.listError;
      return artifacts;
    },
    async downloadZip(_artifact, dir) {
      store.downloads.push(dir);
      if (options.downloadError) throw options.downloadError;
      const zipPath = join(dir, 'agent-result.zip');
      await writeFile(zipPath, zip);
      return { zipPath, digestMismatch: options.digestMismatch ?? false };
    },
  };
  return store;
}

const req = (name = 'agent-result') => ({ name, runId: RUN, tempDir });

async function envelopeFrom(zip: Buffer, over: Partial<ArtifactInfo> = {}, options: Parameters<typeof fake>[2] = {}): Promise<Loaded<unknown> & { store: Fake }> {
  const store = fake([info(zip, over)], zip, options);
  const loaded = await envelopeFromArtifact(store, req());
  return { ...loaded, store };
}

/** Intake cleans up after itself: RUNNER_TEMP is empty again, and nothing was written beside it. */
async function clean(): Promise<void> {
  expect(await readdir(tempDir)).toEqual([]);
  expect(await readdir(root)).toEqual(['runner-temp']);
}

function expectFailed(loaded: Loaded<unknown>, code: string, pattern?: RegExp): void {
  expect(loaded.status).toBe('failed');
  if (loaded.status !== 'failed') return;
  expect(loaded.code).toBe(code);
  if (pattern) expect(loaded.message).toMatch(pattern);
}

describe('envelopeFromArtifact', () => {
  it('loads envelope.json and fills the provenance', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE, 'notes/readme.txt': 'hi' });
    const loaded = await envelopeFrom(zip);
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok') return;
    expect(loaded.source).toBe('artifact');
    expect((loaded.value as { format: string }).format).toBe('envelope');
    expect(loaded.provenance).toEqual({ artifactId: 7, runId: RUN, headSha: HEAD, headRepositoryId: 99, digest: digestOf(zip) });
    expect(loaded.store.listed).toEqual([{ name: 'agent-result', runId: RUN }]);
    expect(loaded.store.downloads).toHaveLength(1);
    expect(loaded.store.downloads[0]!.startsWith(join(tempDir, 'artifact-'))).toBe(true);
    await clean();
  });

  it('loads a SARIF file at any depth', async () => {
    for (const name of ['results/scan.sarif', 'out.sarif.json']) {
      const zip = await yazlZip({ [name]: JSON.stringify(sarifDocument()) });
      const loaded = await envelopeFrom(zip);
      expect(loaded.status).toBe('ok');
      if (loaded.status === 'ok') expect((loaded.value as { format: string }).format).toBe('sarif');
    }
    await clean();
  });

  it('accepts an upper-case listed digest', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const loaded = await envelopeFrom(zip, { digest: digestOf(zip).toUpperCase().replace('SHA256', 'sha256') });
    expect(loaded.status).toBe('ok');
  });

  it('reports an envelope that does not validate as ENVELOPE_INVALID', async () => {
    const loaded = await envelopeFrom(await yazlZip({ 'envelope.json': '{"version": 99}' }));
    expectFailed(loaded, 'ENVELOPE_INVALID', /envelope\.json/);
    await clean();
  });

  it('reports an artifact without a candidate as ENVELOPE_MISSING', async () => {
    expectFailed(await envelopeFrom(await yazlZip({ 'result.json': ENVELOPE })), 'ENVELOPE_MISSING', /holds no `envelope\.json`/);
    await clean();
  });

  it('refuses two candidates', async () => {
    const loaded = await envelopeFrom(await yazlZip({ 'envelope.json': ENVELOPE, 'a/scan.sarif': JSON.stringify(sarifDocument()) }));
    expectFailed(loaded, 'ARTIFACT_UNSAFE', /2 candidate files.*"envelope\.json".*"a\/scan\.sarif"/);
    await clean();
  });

  it('refuses two envelopes at different depths', async () => {
    expectFailed(await envelopeFrom(await yazlZip({ 'envelope.json': ENVELOPE, 'x/envelope.json': ENVELOPE })), 'ARTIFACT_UNSAFE');
  });

  it.each([
    ['zip-slip', [{ name: 'envelope.json', data: '{}' }, { name: '../evil', data: 'x' }], /invalid relative path: \.\.\/evil/],
    ['absolute name', [{ name: '/tmp/evil', data: 'x' }], /absolute path/],
    ['drive letter', [{ name: 'C:/evil', data: 'x' }], /absolute path/],
    ['backslash', [{ name: '..\\evil', data: 'x' }], /invalid characters/],
    ['symlink', [{ name: 'envelope.json', data: '/etc/passwd', mode: 0o120777 }], /symbolic link/],
    ['encrypted entry', [{ name: 'envelope.json', data: '{}', encrypted: true }], /encrypted/],
    ['duplicate names', [{ name: 'envelope.json', data: '{}' }, { name: 'Envelope.json', data: '{}' }], /duplicates/],
    ['oversize entry', [{ name: 'envelope.json', data: '{}', method: 8 as const, declaredSize: 16 * 1024 * 1024 + 1 }], /over the 16777216-byte limit/],
    ['too many entries', Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}` })), /1001 entries/],
    ['lying size', [{ name: 'envelope.json', data: Buffer.alloc(4 * 1024 * 1024, 0x20), method: 8 as const, declaredSize: 2 }], /too many bytes|more than the 2 bytes/],
  ])('refuses an archive with a %s as ARTIFACT_UNSAFE', async (_what, entries, pattern) => {
    const loaded = await envelopeFrom(rawZip(entries));
    expectFailed(loaded, 'ARTIFACT_UNSAFE', pattern);
    expect(loaded.status === 'failed' && loaded.subject).toBe('agent-result');
    await clean();
  });

  it('refuses a corrupt zip', async () => {
    expectFailed(await envelopeFrom(Buffer.from('PK\u0003\u0004 definitely not a zip')), 'ARTIFACT_UNSAFE', /archive unreadable/);
    await clean();
  });

  it('reports a run without the artifact as ENVELOPE_MISSING', async () => {
    const store = fake([], Buffer.alloc(0));
    expectFailed(await envelopeFromArtifact(store, req()), 'ENVELOPE_MISSING', /run 4242 has no such artifact/);
    expect(store.downloads).toEqual([]);
    await clean();
  });

  it('reports expired artifacts as ENVELOPE_MISSING', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const store = fake([info(zip, { expired: true }), info(zip, { id: 8, expired: true })], zip);
    expectFailed(await envelopeFromArtifact(store, req()), 'ENVELOPE_MISSING', /expired/);
    expect(store.downloads).toEqual([]);
  });

  it('ignores an expired artifact beside a live one', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const store = fake([info(zip, { id: 1, expired: true }), info(zip, { id: 2 })], zip);
    const loaded = await envelopeFromArtifact(store, req());
    expect(loaded.status === 'ok' && loaded.provenance?.artifactId).toBe(2);
  });

  it('refuses several live artifacts with the name', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const store = fake([info(zip, { id: 1 }), info(zip, { id: 2 })], zip);
    expectFailed(await envelopeFromArtifact(store, req()), 'ARTIFACT_UNSAFE', /2 artifacts with this name/);
    expect(store.downloads).toEqual([]);
  });

  it('refuses an artifact of another run', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const loaded = await envelopeFrom(zip, { runId: RUN + 1 });
    expectFailed(loaded, 'ARTIFACT_UNSAFE', /uploaded by run 4243, not run 4242/);
    expect(loaded.store.downloads).toEqual([]);
  });

  it('refuses an artifact listed under another name', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    expectFailed(await envelopeFrom(zip, { name: 'agent-result-2' }), 'ARTIFACT_UNSAFE', /instead/);
  });

  it('refuses an artifact without a digest, or with a malformed one', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const none = await envelopeFrom(zip, { digest: undefined });
    expectFailed(none, 'ARTIFACT_UNSAFE', /no digest to check/);
    expect(none.store.downloads).toEqual([]);
    expectFailed(await envelopeFrom(zip, { digest: 'md5:abc' }), 'ARTIFACT_UNSAFE', /not a sha256 digest/);
  });

  it('refuses an artifact listed as larger than the caps allow', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    expectFailed(await envelopeFrom(zip, { size: 200 * 1024 * 1024 }), 'ARTIFACT_UNSAFE', /over the/);
  });

  it('trusts the library when it reports a digest mismatch, reading nothing', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const loaded = await envelopeFrom(zip, {}, { digestMismatch: true });
    expectFailed(loaded, 'ARTIFACT_DIGEST_MISMATCH', /does not match the listed digest/);
    await clean();
  });

  it('checks the digest itself when the library reports none', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const other = await yazlZip({ 'envelope.json': `${ENVELOPE} ` });
    const loaded = await envelopeFrom(zip, { digest: digestOf(other) });
    expectFailed(loaded, 'ARTIFACT_DIGEST_MISMATCH', new RegExp(`zip's sha256 ${digestOf(zip)} does not match the listed digest ${digestOf(other)}`));
    await clean();
  });

  it('refuses a zip saved outside the directory it was given', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const store = fake([info(zip)], zip);
    store.downloadZip = async () => {
      const zipPath = join(root, 'elsewhere.zip');
      await writeFile(zipPath, zip);
      return { zipPath, digestMismatch: false };
    };
    expectFailed(await envelopeFromArtifact(store, req()), 'ARTIFACT_UNSAFE', /not saved where/);
  });

  it.each([
    ['401', { status: 401, message: 'Bad credentials' }, 'AUTH_FAILED'],
    ['403', { status: 403, message: 'Resource not accessible by integration', response: { headers: { 'x-accepted-github-permissions': 'actions=read' } } }, 'AUTH_FAILED'],
    ['403 rate limit', { status: 403, message: 'API rate limit exceeded', response: { headers: { 'x-ratelimit-remaining': '0' } } }, 'RATE_LIMITED'],
    ['500', { status: 500, message: 'Server Error' }, 'API_FAILED'],
    ['504', { status: 504, message: 'Gateway Timeout' }, 'API_TIMEOUT'],
    ['no status', new Error('socket hang up'), 'API_FAILED'],
  ])('maps a listing error %s', async (_what, error, code) => {
    const store = fake([], Buffer.alloc(0), { listError: error });
    const loaded = await envelopeFromArtifact(store, req());
    expectFailed(loaded, code, /listing envelope artifact "agent-result" of run 4242/);
    await clean();
  });

  it('maps a download error, and a firewall refusal to API_FAILED', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    expectFailed(await envelopeFrom(zip, {}, { downloadError: { status: 401, message: 'Bad credentials' } }), 'AUTH_FAILED', /downloading/);
    expectFailed(await envelopeFrom(zip, {}, { downloadError: { status: 500, message: 'oops' } }), 'API_FAILED');
    const { FirewallError } = await import('../github/errors.js');
    expectFailed(await envelopeFrom(zip, {}, { listError: new FirewallError('GET /elsewhere is not allowed') }), 'API_FAILED', /firewall/);
    await clean();
  });

  it('never throws, even when the temp directory is missing', async () => {
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    const store = fake([info(zip)], zip);
    const loaded = await envelopeFromArtifact(store, { ...req(), tempDir: join(root, 'missing') });
    expectFailed(loaded, 'ARTIFACT_UNSAFE', /could not be processed/);
  });
});

describe('evidenceFromArtifact', () => {
  const evidenceReq = () => ({ name: 'gate-evidence', runId: RUN, tempDir });

  it('loads evidence.json with provenance', async () => {
    const zip = await yazlZip({ 'gate/evidence.json': EVIDENCE });
    const store = fake([info(zip, { name: 'gate-evidence', id: 11 })], zip);
    const loaded = await evidenceFromArtifact(store, evidenceReq());
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok') return;
    expect(loaded.source).toBe('artifact');
    expect(loaded.provenance).toMatchObject({ artifactId: 11, runId: RUN, digest: digestOf(zip) });
    await clean();
  });

  it('reports a missing artifact or file as EVIDENCE_MISSING', async () => {
    expectFailed(await evidenceFromArtifact(fake([], Buffer.alloc(0)), evidenceReq()), 'EVIDENCE_MISSING');
    const zip = await yazlZip({ 'envelope.json': ENVELOPE });
    expectFailed(await evidenceFromArtifact(fake([info(zip, { name: 'gate-evidence' })], zip), evidenceReq()), 'EVIDENCE_MISSING', /holds no `evidence\.json`/);
    await clean();
  });

  it('refuses two evidence files', async () => {
    const zip = await yazlZip({ 'evidence.json': EVIDENCE, 'b/evidence.json': EVIDENCE });
    expectFailed(await evidenceFromArtifact(fake([info(zip, { name: 'gate-evidence' })], zip), evidenceReq()), 'ARTIFACT_UNSAFE', /2 candidate files/);
  });

  it('reports evidence over its size limit as EVIDENCE_INVALID', async () => {
    const zip = await yazlZip({ 'evidence.json': ' '.repeat(1024 * 1024 + 1) });
    const loaded = await evidenceFromArtifact(fake([info(zip, { name: 'gate-evidence' })], zip), evidenceReq());
    expectFailed(loaded, 'EVIDENCE_INVALID', /^evidence artifact "gate-evidence": evidence\.json is 1048577 bytes/);
    await clean();
  });

  it('reports evidence that does not validate as EVIDENCE_INVALID', async () => {
    const zip = await yazlZip({ 'evidence.json': '{"version": 1}' });
    expectFailed(await evidenceFromArtifact(fake([info(zip, { name: 'gate-evidence' })], zip), evidenceReq()), 'EVIDENCE_INVALID');
  });
});
