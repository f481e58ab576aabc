import { constants } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LedgerStorage } from './storage.js';

/**
 * `LedgerStorage` on the Actions cache and artifact services. Both libraries are imported lazily,
 * on first use, so the bundle loads them (and their HTTP stacks) only when a ledger is restored or
 * persisted.
 *
 * The cache path constraint: the cache version is a hash of the exact path strings given to
 * `saveCache` and `restoreCache`, so an entry saved under one path cannot be found under
 * another. Callers hand in any path; the cache itself only ever sees ONE fixed path,
 * `<cacheDir>/publish-gate-ledger.jsonl`: `save` copies the file there first, and `lookup` asks
 * with that path (lookup only: nothing is downloaded or extracted). `cacheDir` must therefore be the same string in every run that
 * should share entries (the default, `$RUNNER_TEMP/publish-gate-ledger-cache`, is stable on
 * GitHub-hosted runners of one OS; self-hosted runners with another RUNNER_TEMP see a different
 * version and restore nothing). Do not change the file name or the default without accepting that
 * every existing entry stops being found.
 *
 * Failures become results, never exceptions; their reasons are one short line with URL query
 * strings (signed blob URLs) removed.
 */

export const LEDGER_CACHE_FILE = 'publish-gate-ledger.jsonl';

export interface ActionsLedgerStorageOptions {
  /** The directory of the fixed cache path; see the constraint above. */
  cacheDir?: string;
}

export function defaultLedgerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.RUNNER_TEMP || tmpdir(), 'publish-gate-ledger-cache');
}

function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split(/[\r\n]/, 1)[0] ?? '').replace(/(https?:\/\/[^\s?#]*)[?#]\S*/g, '$1?…');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'unknown error';
}

export function createActionsLedgerStorage(options: ActionsLedgerStorageOptions = {}): LedgerStorage {
  const cacheDir = options.cacheDir ?? defaultLedgerCacheDir();
  const cachePath = join(cacheDir, LEDGER_CACHE_FILE);

  /** Clears the fixed path (a symlink left by an earlier restore is removed, never followed). */
  async function clear(): Promise<void> {
    await mkdir(cacheDir, { recursive: true });
    await rm(cachePath, { force: true });
  }

  return {
    async lookup(prefix) {
      try {
        const cache = await import('@actions/cache');
        if (!cache.isFeatureAvailable()) return undefined;
        // Lookup only: the entry is never downloaded or extracted (restoreLedger reads the ledger artifact it names).
        return await cache.restoreCache([cachePath], prefix, [prefix], { lookupOnly: true });
      } catch {
        return undefined;
      }
    },

    async save(path, key) {
      try {
        const cache = await import('@actions/cache');
        if (!cache.isFeatureAvailable()) return { ok: false, reason: 'the cache service is not available' };
        await clear();
        await copyFile(path, cachePath, constants.COPYFILE_EXCL);
        const id = await cache.saveCache([cachePath], key);
        // -1: the key exists (keys are immutable), writes are not permitted, or the save failed (the library logged why).
        if (id === -1) return { ok: false, reason: 'the cache refused the save (the key exists, or cache writes are not permitted)' };
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: reason(error) };
      }
    },

    async upload(name, path, retentionDays) {
      try {
        const { DefaultArtifactClient } = await import('@actions/artifact');
        const retention = Number.isSafeInteger(retentionDays) && retentionDays >= 1 ? { retentionDays } : {};
        const response = await new DefaultArtifactClient().uploadArtifact(name, [path], dirname(path), retention);
        if (response.id === undefined) return { ok: false, reason: 'the artifact service returned no id' };
        return { ok: true, id: response.id };
      } catch (error) {
        return { ok: false, reason: reason(error) };
      }
    },
  };
}
