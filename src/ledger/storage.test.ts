import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LedgerStorage, persistLedger, restoreLedger } from './storage.js';

type Outcome<T> = T | 'throw';

/** A fake storage: canned outcomes, and a log of calls. */
function fake(options: {
  upload?: Outcome<Awaited<ReturnType<LedgerStorage['upload']>>>;
  save?: Outcome<Awaited<ReturnType<LedgerStorage['save']>>>;
  restore?: (path: string, prefix: string) => string | undefined;
}) {
  const calls: string[] = [];
  const storage: LedgerStorage = {
    async upload(name, path, days) {
      calls.push(`upload ${name} ${path} ${days}`);
      if (options.upload === 'throw') throw new Error('boom');
      return options.upload ?? { ok: true, id: 77 };
    },
    async save(path, key) {
      calls.push(`save ${path} ${key}`);
      if (options.save === 'throw') throw new Error('boom');
      return options.save ?? { ok: true };
    },
    async restore(path, prefix) {
      calls.push(`restore ${prefix}`);
      if (!options.restore) return undefined;
      return options.restore(path, prefix);
    },
  };
  return { storage, calls };
}

const persist = { path: '/tmp/ledger.jsonl', artifactName: 'publish-gate-ledger-1-1', cacheKey: 'publish-gate-ledger-v1-4242-pr-7-1-1', retentionDays: 30 };
/** What the adapter returns when the library's saveCache returns -1. */
const refused = { ok: false as const, reason: 'the cache refused the save (the key exists, or cache writes are not permitted)' };

describe('persistLedger', () => {
  it('uploads the artifact, then saves the cache; both succeeded', async () => {
    const { storage, calls } = fake({});
    expect(await persistLedger(storage, persist)).toEqual({ persisted: true, artifactId: 77, cacheKey: persist.cacheKey, notes: [] });
    expect(calls).toEqual([`upload ${persist.artifactName} ${persist.path} 30`, `save ${persist.path} ${persist.cacheKey}`]);
  });

  it('the upload failed but the cache save succeeded: persisted, with a note', async () => {
    const { storage } = fake({ upload: { ok: false, reason: 'no runtime token' } });
    expect(await persistLedger(storage, persist)).toEqual({ persisted: true, cacheKey: persist.cacheKey, notes: ['ledger artifact not uploaded: no runtime token'] });
  });

  it('the upload succeeded but the key already exists (-1): persisted, no cache key, a note', async () => {
    const { storage } = fake({ save: refused });
    const result = await persistLedger(storage, persist);
    expect(result).toEqual({ persisted: true, artifactId: 77, notes: [`ledger cache not saved: ${refused.reason}`] });
    expect(result).not.toHaveProperty('cacheKey');
  });

  it('both failed (or threw): not persisted, one short note each', async () => {
    const { storage } = fake({ upload: { ok: false, reason: 'first line\n::error::second line' }, save: refused });
    expect(await persistLedger(storage, persist)).toEqual({
      persisted: false,
      notes: ['ledger artifact not uploaded: first line', `ledger cache not saved: ${refused.reason}`],
    });
    const throwing = fake({ upload: 'throw', save: 'throw' });
    expect(await persistLedger(throwing.storage, persist)).toEqual({ persisted: false, notes: ['ledger artifact not uploaded: boom', 'ledger cache not saved: boom'] });
  });
});

describe('restoreLedger', () => {
  const root = mkdtempSync(join(tmpdir(), 'pg-restore-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const prefix = 'publish-gate-ledger-v1-4242-pr-7-';
  const opts = { dir: join(root, 'restore'), prefix, maxBytes: 1000 };

  it('nothing cached is an empty result', async () => {
    const { storage, calls } = fake({});
    expect(await restoreLedger(storage, opts)).toEqual({});
    expect(calls).toEqual([`restore ${prefix}`]);
  });

  it('restores into a fresh file in dir and reads it', async () => {
    const paths: string[] = [];
    const { storage } = fake({
      restore: (path) => {
        paths.push(path);
        writeFileSync(path, '{"a":1}\n');
        return `${prefix}9-1`;
      },
    });
    expect(await restoreLedger(storage, opts)).toEqual({ key: `${prefix}9-1`, text: '{"a":1}\n' });
    expect(await restoreLedger(storage, opts)).toEqual({ key: `${prefix}9-1`, text: '{"a":1}\n' });
    expect(paths[0]).not.toBe(paths[1]);
    for (const path of paths) expect(dirname(dirname(path))).toBe(opts.dir);
  });

  it('a ledger over maxBytes is not read', async () => {
    const { storage } = fake({ restore: (path) => (writeFileSync(path, 'x'.repeat(1001)), `${prefix}9-1`) });
    const result = await restoreLedger(storage, opts);
    expect(result).toMatchObject({ key: `${prefix}9-1`, note: expect.stringContaining('limit') });
    expect(result).not.toHaveProperty('text');
  });

  it('a symlink is not followed; an entry without the file is noted', async () => {
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'token');
    const linked = fake({ restore: (path) => (symlinkSync(secret, path), `${prefix}9-1`) });
    expect(await restoreLedger(linked.storage, opts)).toEqual({ key: `${prefix}9-1`, note: 'the restored ledger is not a regular file' });
    const empty = fake({ restore: () => `${prefix}9-1` });
    expect(await restoreLedger(empty.storage, opts)).toEqual({ key: `${prefix}9-1`, note: 'the restored cache entry holds no ledger' });
  });

  it('a key outside the prefix is refused; a throwing port or an unusable dir is a note', async () => {
    const other = fake({ restore: (path) => (writeFileSync(path, '{}\n'), 'publish-gate-ledger-v1-1-repo-1-1') });
    expect(await restoreLedger(other.storage, opts)).toEqual({ note: 'the restored cache entry does not match the ledger prefix' });
    const throwing: LedgerStorage = { ...fake({}).storage, restore: async () => Promise.reject(new Error('down')) };
    expect(await restoreLedger(throwing, opts)).toEqual({ note: 'no ledger restored: down' });
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    expect(await restoreLedger(fake({}).storage, { ...opts, dir: join(file, 'sub') })).toMatchObject({ note: expect.stringContaining('no ledger restored') });
  });
});
