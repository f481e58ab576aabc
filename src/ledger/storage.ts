import { ledgerFromArtifact } from '../artifact/intake.js';
import type { ArtifactStore } from '../artifact/store.js';
import { ledgerArtifactName } from './names.js';

/**
 * Durable storage of the run's ledger (SPEC §10): the artifact a user can download, and the cache
 * entry by which the next run finds the newest ledger. The port keeps `@actions/*` out of everything but the adapter
 * (`actionsStorage.ts`); tests pass a fake.
 */
export interface LedgerStorage {
  /** The newest cache key starting with `prefix`, looked up only: the entry is never downloaded or extracted. Undefined when none; never throws. */
  lookup(prefix: string): Promise<string | undefined>;
  /** Saves `path` under `key`. Never throws. */
  save(path: string, key: string): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Uploads `path` as artifact `name` with retention. Never throws. */
  upload(name: string, path: string, retentionDays: number): Promise<{ ok: true; id: number } | { ok: false; reason: string }>;
}

export interface PersistOptions {
  path: string;
  artifactName: string;
  cacheKey: string;
  retentionDays: number;
}

export interface PersistResult {
  /** True when the artifact or the cache entry (or both) was stored. */
  persisted: boolean;
  artifactId?: number;
  /** Only when the cache save succeeded. */
  cacheKey?: string;
  /** What failed, one short line each. */
  notes: string[];
}

/** A storage failure as one short line: the first line, without control characters, capped. */
function short(text: string): string {
  const line = text.split(/[\r\n]/, 1)[0] ?? '';
  const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean || 'unknown error';
}

function message(error: unknown): string {
  return short(error instanceof Error ? error.message : String(error));
}

/**
 * Uploads the artifact, then saves the cache entry that points to it (only when the upload
 * succeeded). A refusal of either is a note, never an exception: the run does not fail because the
 * ledger could not be stored (SPEC §10). A port that throws anyway is treated as a failure of that
 * step.
 */
export async function persistLedger(storage: LedgerStorage, options: PersistOptions): Promise<PersistResult> {
  const notes: string[] = [];
  const result: PersistResult = { persisted: false, notes };
  try {
    const upload = await storage.upload(options.artifactName, options.path, options.retentionDays);
    if (upload.ok) {
      result.persisted = true;
      result.artifactId = upload.id;
    } else notes.push(`ledger artifact not uploaded: ${short(upload.reason)}`);
  } catch (error) {
    notes.push(`ledger artifact not uploaded: ${message(error)}`);
  }
  // The cache entry only indexes the artifact: without the artifact it would point the next run at
  // nothing, and that run would drop the older, good ledger it can still find.
  if (result.artifactId === undefined) {
    notes.push('ledger cache not saved: the ledger artifact it would point to was not uploaded');
    return result;
  }
  try {
    const save = await storage.save(options.path, options.cacheKey);
    if (save.ok) {
      result.persisted = true;
      result.cacheKey = options.cacheKey;
    } else notes.push(`ledger cache not saved: ${short(save.reason)}`);
  } catch (error) {
    notes.push(`ledger cache not saved: ${message(error)}`);
  }
  return result;
}

export interface RestoreOptions {
  /** `ledgerCachePrefix(...)`: the key without the run part. */
  prefix: string;
  /** Where the artifact intake makes its fresh directories (`RUNNER_TEMP`). */
  tempDir: string;
}

export interface RestoreResult {
  /** The newest cache key under the prefix. */
  key?: string;
  /** The ledger text, when it was read (its trust is `trustRestored`'s to judge). */
  text?: string;
  /** Why an indexed ledger could not be read: the run treats the ledger as untrusted. */
  problem?: string;
}

const RUN_PART = /^(\d{1,20})-(\d{1,4})$/;

/**
 * The newest ledger under `prefix`. The cache is the index: the newest key names the run and
 * attempt whose ledger artifact (`publish-gate-ledger-<run_id>-<attempt>`) is then read through the
 * artifact intake: listed for exactly that run, digest checked, archive inspected before anything is
 * extracted. Cache archives themselves are never extracted: @actions/cache untars with `-P`, so an
 * entry saved by any job of the repository could place files anywhere on the runner. Never throws.
 */
export async function restoreLedger(storage: LedgerStorage, artifacts: ArtifactStore, options: RestoreOptions): Promise<RestoreResult> {
  let key: string | undefined;
  try {
    key = await storage.lookup(options.prefix);
  } catch {
    key = undefined;
  }
  if (key === undefined) return {};
  const run = key.startsWith(options.prefix) ? RUN_PART.exec(key.slice(options.prefix.length)) : null;
  if (!run) return { key, problem: `cache key ${short(key).slice(0, 120)} is not a ledger key of this prefix` };
  const [runId, attempt] = [Number(run[1]), Number(run[2])];
  const name = ledgerArtifactName(runId, attempt);
  const loaded = await ledgerFromArtifact(artifacts, { name, runId, tempDir: options.tempDir });
  if (loaded.status !== 'ok') return { key, problem: short(`${loaded.code}: ${loaded.message}`) };
  return { key, text: loaded.value };
}
