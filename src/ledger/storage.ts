import { lstat, mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextFile } from '../load/files.js';

/**
 * Durable storage of the run's ledger (SPEC §10): the artifact a user can download, and the cache
 * entry the next run restores. The port keeps `@actions/*` out of everything but the adapter
 * (`actionsStorage.ts`); tests pass a fake.
 */
export interface LedgerStorage {
  /** Restores the newest cache entry whose key starts with `prefix` into `path`; the matched key, or undefined when none (never throws). */
  restore(path: string, prefix: string): Promise<string | undefined>;
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
 * Uploads the artifact, then saves the cache entry. A refusal of either is a note, never an
 * exception: the run does not fail because the ledger could not be stored (SPEC §10). A port that
 * throws anyway is treated as a failure of that step.
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
  /** A directory for the restored file; a fresh subdirectory is made in it. */
  dir: string;
  prefix: string;
  /** The largest ledger read, in bytes (LEDGER_LIMITS.bytes). */
  maxBytes: number;
}

export interface RestoreResult {
  /** The matched cache key. */
  key?: string;
  /** The restored text, when it was read (its trust is `trustRestored`'s to judge). */
  text?: string;
  /** Why a matched entry was not read. */
  note?: string;
}

/** The restored file's name inside the fresh directory. */
export const RESTORED_FILE = 'restored-ledger.jsonl';

/**
 * Restores the newest ledger under `prefix` into a fresh file in `dir` and reads it, size-capped.
 * Never throws. Nothing restored is `{}`; a matched entry that cannot be read (too large, not a
 * regular file, not UTF-8) carries a note and no text.
 */
export async function restoreLedger(storage: LedgerStorage, options: RestoreOptions): Promise<RestoreResult> {
  let path: string;
  try {
    await mkdir(options.dir, { recursive: true });
    path = join(await mkdtemp(join(options.dir, 'restore-')), RESTORED_FILE);
  } catch (error) {
    return { note: `no ledger restored: ${message(error)}` };
  }
  let key: string | undefined;
  try {
    key = await storage.restore(path, options.prefix);
  } catch (error) {
    return { note: `no ledger restored: ${message(error)}` };
  }
  if (key === undefined) return {};
  if (!key.startsWith(options.prefix)) return { note: 'the restored cache entry does not match the ledger prefix' };
  try {
    // A cache entry is an archive: refuse a symlink (which would read another file) or anything else but a file.
    const stat = await lstat(path);
    if (!stat.isFile()) return { key, note: 'the restored ledger is not a regular file' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { key, note: code === 'ENOENT' ? 'the restored cache entry holds no ledger' : `the restored ledger cannot be read (${code ?? 'error'})` };
  }
  const read = await readTextFile(path, options.maxBytes);
  if (!read.ok) return { key, note: `the restored ledger cannot be read: ${read.reason === 'missing' ? 'missing' : short(read.message.replace(path, 'file'))}` };
  return { key, text: read.text };
}
