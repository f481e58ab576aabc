import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestOf, rawZip, yazlZip } from '../../test/zips.js';
import type { ArtifactInfo, ArtifactStore } from '../artifact/store.js';
import { type LedgerStorage, persistLedger, restoreLedger } from './storage.js';

type Outcome<T> = T | 'throw';

/** A fake storage: canned outcomes, and a log of calls. */
function fake(options: {
  upload?: Outcome<Awaited<ReturnType<LedgerStorage['upload']>>>;
  save?: Outcome<Awaited<ReturnType<LedgerStorage['save']>>>;
  lookup?: (prefix: string) => string | undefined;
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
    async lookup(prefix) {
      calls.push(`lookup ${prefix}`);
      return options.lookup?.(prefix);
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

  it('a failed upload means no cache entry either: it would index an artifact that does not exist', async () => {
    const { storage, calls } = fake({ upload: { ok: false, reason: 'no runtime token' } });
    expect(await persistLedger(storage, persist)).toEqual({
      persisted: false,
      notes: ['ledger artifact not uploaded: no runtime token', 'ledger cache not saved: the ledger artifact it would point to was not uploaded'],
    });
    expect(calls.some((c) => c.startsWith('save'))).toBe(false);
  });

  it('the upload succeeded but the key already exists (-1): persisted, no cache key, a note', async () => {
    const { storage } = fake({ save: refused });
    const result = await persistLedger(storage, persist);
    expect(result).toEqual({ persisted: true, artifactId: 77, notes: [`ledger cache not saved: ${refused.reason}`] });
    expect(result).not.toHaveProperty('cacheKey');
  });

  it('a failed or throwing upload: not persisted, one short note each, no save', async () => {
    const skipped = 'ledger cache not saved: the ledger artifact it would point to was not uploaded';
    const { storage } = fake({ upload: { ok: false, reason: 'first line\n::error::second line' }, save: refused });
    expect(await persistLedger(storage, persist)).toEqual({ persisted: false, notes: ['ledger artifact not uploaded: first line', skipped] });
    const throwing = fake({ upload: 'throw', save: 'throw' });
    expect(await persistLedger(throwing.storage, persist)).toEqual({ persisted: false, notes: ['ledger artifact not uploaded: boom', skipped] });
  });

  it('a save that throws after a good upload is a note; the artifact still counts', async () => {
    const { storage } = fake({ save: 'throw' });
    expect(await persistLedger(storage, persist)).toEqual({ persisted: true, artifactId: 77, notes: ['ledger cache not saved: boom'] });
  });
});

describe('restoreLedger', () => {
  const root = mkdtempSync(join(tmpdir(), 'pg-restore-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const prefix = 'publish-gate-ledger-v1-4242-pr-7-';
  const opts = { prefix, tempDir: root };

  /** An artifact store holding one zip per `run:name`, listed with its real digest unless told otherwise. */
  function artifacts(zips: Record<string, Buffer>, over: Partial<ArtifactInfo> = {}) {
    const listed: string[] = [];
    const store: ArtifactStore = {
      async list(name, runId) {
        listed.push(`${runId}:${name}`);
        const zip = zips[`${runId}:${name}`];
        return zip ? [{ id: 1, name, size: zip.length, digest: digestOf(zip), runId, ...over }] : [];
      },
      async downloadZip(artifact, dir) {
        const path = join(dir, 'ledger.zip');
        writeFileSync(path, zips[`${artifact.runId}:${artifact.name}`]!);
        return { zipPath: path, digestMismatch: false };
      },
    };
    return { store, listed };
  }

  it('nothing cached is an empty result, and no artifact is asked for', async () => {
    const { storage, calls } = fake({});
    const { store, listed } = artifacts({});
    expect(await restoreLedger(storage, store, opts)).toEqual({});
    expect(calls).toEqual([`lookup ${prefix}`]);
    expect(listed).toEqual([]);
  });

  it('the newest key names the run and attempt whose ledger artifact is read', async () => {
    const zip = await yazlZip({ 'publish-gate-ledger-9-2.jsonl': '{"a":1}\n' });
    const { store, listed } = artifacts({ '9:publish-gate-ledger-9-2': zip });
    const { storage } = fake({ lookup: () => `${prefix}9-2` });
    expect(await restoreLedger(storage, store, opts)).toEqual({ key: `${prefix}9-2`, text: '{"a":1}\n' });
    expect(listed).toEqual(['9:publish-gate-ledger-9-2']);
    // The intake's work directories are gone.
    expect(readdirSync(root)).toEqual([]);
  });

  it('an unsafe archive, a digest mismatch or a missing artifact is a problem, never text', async () => {
    const { storage } = fake({ lookup: () => `${prefix}9-1` });
    const slip = rawZip([{ name: '../publish-gate-ledger-9-1.jsonl', data: '{}\n' }]);
    expect(await restoreLedger(storage, artifacts({ '9:publish-gate-ledger-9-1': slip }).store, opts)).toMatchObject({
      key: `${prefix}9-1`,
      problem: expect.stringContaining('ARTIFACT_UNSAFE'),
    });
    const good = await yazlZip({ 'publish-gate-ledger-9-1.jsonl': '{}\n' });
    const tampered = artifacts({ '9:publish-gate-ledger-9-1': good }, { digest: digestOf(Buffer.from('other')) }).store;
    expect(await restoreLedger(storage, tampered, opts)).toMatchObject({ problem: expect.stringContaining('ARTIFACT_DIGEST_MISMATCH') });
    expect(await restoreLedger(storage, artifacts({}).store, opts)).toMatchObject({ problem: expect.stringContaining('LEDGER_UNTRUSTED') });
    const two = await yazlZip({ 'publish-gate-ledger-9-1.jsonl': '{}\n', 'sub/publish-gate-ledger-8-1.jsonl': '{}\n' });
    expect(await restoreLedger(storage, artifacts({ '9:publish-gate-ledger-9-1': two }).store, opts)).toMatchObject({ problem: expect.stringContaining('ARTIFACT_UNSAFE') });
  });

  it('a key outside the prefix or without a run part is a problem; a throwing port finds nothing', async () => {
    const { store, listed } = artifacts({});
    expect(await restoreLedger(fake({ lookup: () => 'publish-gate-ledger-v1-1-repo-1-1' }).storage, store, opts)).toMatchObject({ problem: expect.stringContaining('not a ledger key') });
    expect(await restoreLedger(fake({ lookup: () => `${prefix}x-1` }).storage, store, opts)).toMatchObject({ problem: expect.stringContaining('not a ledger key') });
    expect(listed).toEqual([]);
    const throwing: LedgerStorage = { ...fake({}).storage, lookup: async () => Promise.reject(new Error('down')) };
    expect(await restoreLedger(throwing, store, opts)).toEqual({});
  });
});
