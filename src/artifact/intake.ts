import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { envelopeFromText, evidenceFromText, isSarifName } from '../contract/documents.js';
import type { Evidence } from '../contract/evidence.js';
import { Limits } from '../contract/limits.js';
import type { ArtifactProvenance, LoadFailureCode, Loaded } from '../decide/blockers.js';
import type { EnvelopeDocument } from '../decide/submission.js';
import { classifyApiError } from '../github/errors.js';
import { readTextFile } from '../load/files.js';
import type { ArtifactInfo, ArtifactStore } from './store.js';
import { ZIP_CAPS, type ZipCaps } from './zipCaps.js';
import { LEDGER_LIMITS } from '../ledger/chain.js';

export interface IntakeRequest {
  /** Artifact name (the `envelope` or `evidence` input). */
  name: string;
  /** Run whose artifacts are read (the `run-id` input). */
  runId: number;
  /** Where work directories are made (`RUNNER_TEMP`); each intake makes fresh ones and removes them. */
  tempDir: string;
}

type Failed = Extract<Loaded<never>, { status: 'failed' }>;

interface Kind<T> {
  what: 'envelope' | 'evidence' | 'ledger';
  missing: Extract<LoadFailureCode, 'ENVELOPE_MISSING' | 'EVIDENCE_MISSING' | 'LEDGER_UNTRUSTED'>;
  invalid: Extract<LoadFailureCode, 'ENVELOPE_INVALID' | 'EVIDENCE_INVALID' | 'LEDGER_UNTRUSTED'>;
  maxBytes: number;
  /** Archive caps when they differ from ZIP_CAPS. */
  caps?: ZipCaps;
  /** Which extracted files can hold the document, by path inside the archive. */
  candidate: (path: string) => boolean;
  describe: string;
  parse: (text: string, fileName: string) => Loaded<T>;
}

const ENVELOPE: Kind<EnvelopeDocument> = {
  what: 'envelope',
  missing: 'ENVELOPE_MISSING',
  invalid: 'ENVELOPE_INVALID',
  maxBytes: Limits.envelopeBytes,
  candidate: (path) => {
    const base = posix.basename(path);
    return base === 'envelope.json' || isSarifName(base);
  },
  describe: '`envelope.json` or one `*.sarif` file',
  parse: (text, fileName) => envelopeFromText(text, fileName, 'artifact'),
};

const EVIDENCE: Kind<Evidence> = {
  what: 'evidence',
  missing: 'EVIDENCE_MISSING',
  invalid: 'EVIDENCE_INVALID',
  maxBytes: Limits.evidenceBytes,
  candidate: (path) => posix.basename(path) === 'evidence.json',
  describe: '`evidence.json`',
  parse: (text, fileName) => evidenceFromText(text, fileName, 'artifact'),
};

/**
 * A ledger artifact this action uploaded: one `publish-gate-ledger-*.jsonl` file, up to the ledger's
 * own size limit. Every failure is LEDGER_UNTRUSTED (a warning: state is then reconciled from GitHub).
 */
const LEDGER: Kind<string> = {
  what: 'ledger',
  missing: 'LEDGER_UNTRUSTED',
  invalid: 'LEDGER_UNTRUSTED',
  maxBytes: LEDGER_LIMITS.bytes,
  caps: { entries: 4, entryBytes: LEDGER_LIMITS.bytes, totalBytes: LEDGER_LIMITS.bytes },
  candidate: (path) => /^publish-gate-ledger-[A-Za-z0-9_.-]+\.jsonl$/.test(posix.basename(path)),
  describe: '`publish-gate-ledger-*.jsonl`',
  parse: (text) => ({ status: 'ok', value: text, source: 'artifact' }),
};

const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A zip of `ZIP_CAPS.totalBytes` stored bytes plus its headers. */
const MAX_ZIP_BYTES = ZIP_CAPS.totalBytes + ZIP_CAPS.entries * 1024 + 64 * 1024;

/** The envelope artifact: exactly one `envelope.json` or `*.sarif` / `*.sarif.json` file, at any depth. Never throws. */
export function envelopeFromArtifact(store: ArtifactStore, req: IntakeRequest): Promise<Loaded<EnvelopeDocument>> {
  return fromArtifact(store, req, ENVELOPE);
}

/** A ledger artifact of an earlier run (its text, unverified: `trustRestored` judges it). Never throws. */
export function ledgerFromArtifact(store: ArtifactStore, req: IntakeRequest): Promise<Loaded<string>> {
  return fromArtifact(store, req, LEDGER);
}

/** The evidence artifact: exactly one `evidence.json` file, at any depth. Never throws. */
export function evidenceFromArtifact(store: ArtifactStore, req: IntakeRequest): Promise<Loaded<Evidence>> {
  return fromArtifact(store, req, EVIDENCE);
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest('hex')}`;
}

function apiFailure(error: unknown, what: string, subject: string): Failed {
  const failure = classifyApiError(error, what);
  const code = failure.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : failure.code;
  return { status: 'failed', code, message: failure.message, subject };
}

/** The one artifact to read, or why there is none. Several live artifacts with one name are ambiguous: any run can upload one. */
function choose(listed: ArtifactInfo[], req: IntakeRequest, kind: Kind<unknown>): { ok: true; artifact: ArtifactInfo & { digest: string } } | Failed {
  const fail = (code: LoadFailureCode, message: string): Failed => ({ status: 'failed', code, message, subject: req.name });
  const live = listed.filter((a) => a.expired !== true);
  const label = `${kind.what} artifact ${JSON.stringify(req.name)}`;
  if (live.length === 0) {
    return fail(kind.missing, listed.length === 0 ? `${label}: run ${req.runId} has no such artifact` : `${label}: every artifact with this name in run ${req.runId} has expired`);
  }
  if (live.length > 1) return fail('ARTIFACT_UNSAFE', `${label}: run ${req.runId} lists ${live.length} artifacts with this name, so which one to read is ambiguous`);
  const artifact = live[0]!;
  if (artifact.name !== req.name) return fail('ARTIFACT_UNSAFE', `${label}: GitHub listed an artifact named ${JSON.stringify(artifact.name.slice(0, 100))} instead`);
  if (artifact.runId !== req.runId) return fail('ARTIFACT_UNSAFE', `${label}: uploaded by run ${artifact.runId}, not run ${req.runId}`);
  if (!artifact.digest) return fail('ARTIFACT_UNSAFE', `${label}: GitHub lists no digest to check the download against`);
  const digest = artifact.digest.toLowerCase();
  if (!DIGEST.test(digest)) return fail('ARTIFACT_UNSAFE', `${label}: the listed digest is not a sha256 digest`);
  const maxZip = kind.caps ? kind.caps.totalBytes + kind.caps.entries * 1024 + 64 * 1024 : MAX_ZIP_BYTES;
  if (artifact.size > maxZip) return fail('ARTIFACT_UNSAFE', `${label}: ${artifact.size} bytes, over the ${maxZip}-byte limit`);
  return { ok: true, artifact: { ...artifact, digest } };
}

async function fromArtifact<T>(store: ArtifactStore, req: IntakeRequest, kind: Kind<T>): Promise<Loaded<T>> {
  const label = `${kind.what} artifact ${JSON.stringify(req.name)}`;
  const fail = (code: LoadFailureCode, message: string): Failed => ({ status: 'failed', code, message: `${label}: ${message}`, subject: req.name });

  let listed: ArtifactInfo[];
  try {
    listed = await store.list(req.name, req.runId);
  } catch (error) {
    return apiFailure(error, `listing ${label} of run ${req.runId}`, req.name);
  }
  const chosen = choose(listed, req, kind);
  if ('status' in chosen) return chosen;
  const { artifact } = chosen;

  const made: string[] = [];
  try {
    const downloadDir = await mkdtemp(join(req.tempDir, 'artifact-'));
    made.push(downloadDir);
    let download: { zipPath: string; digestMismatch: boolean };
    try {
      download = await store.downloadZip(artifact, downloadDir);
    } catch (error) {
      return apiFailure(error, `downloading ${label}`, req.name);
    }
    if (dirname(resolve(download.zipPath)) !== resolve(downloadDir)) return fail('ARTIFACT_UNSAFE', 'the download was not saved where it was asked to be');
    if (download.digestMismatch) return fail('ARTIFACT_DIGEST_MISMATCH', `the download does not match the listed digest ${artifact.digest}`);
    const actual = await sha256File(download.zipPath);
    if (actual !== artifact.digest) return fail('ARTIFACT_DIGEST_MISMATCH', `the zip's sha256 ${actual} does not match the listed digest ${artifact.digest}`);

    // Loaded here, not at start-up: a run from local files never reads a zip (see zipCaps.ts).
    const { extractZip } = await import('./zip.js');
    const extracted = await extractZip(download.zipPath, req.tempDir, kind.caps);
    if (!extracted.ok) return fail('ARTIFACT_UNSAFE', extracted.reason);
    made.push(extracted.dir);

    const candidates = extracted.files.filter(kind.candidate);
    if (candidates.length === 0) return fail(kind.missing, `holds no ${kind.describe}`);
    if (candidates.length > 1) {
      const names = candidates.slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
      return fail('ARTIFACT_UNSAFE', `holds ${candidates.length} candidate files (${names}${candidates.length > 5 ? ', …' : ''}); expected exactly one ${kind.describe}`);
    }
    const fileName = candidates[0]!;
    const read = await readTextFile(join(extracted.dir, ...fileName.split('/')), kind.maxBytes);
    if (!read.ok) return fail(read.reason === 'missing' ? kind.missing : kind.invalid, read.message.replaceAll(`${extracted.dir}/`, ''));

    const loaded = kind.parse(read.text, fileName);
    if (loaded.status !== 'ok') return { ...loaded, subject: loaded.subject ?? req.name };
    const provenance: ArtifactProvenance = { artifactId: artifact.id, runId: artifact.runId, digest: artifact.digest };
    if (artifact.headSha !== undefined) provenance.headSha = artifact.headSha;
    if (artifact.headRepositoryId !== undefined) provenance.headRepositoryId = artifact.headRepositoryId;
    return { ...loaded, provenance };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return fail('ARTIFACT_UNSAFE', `could not be processed: ${text.slice(0, 200)}`);
  } finally {
    for (const dir of made) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
