import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestOf, rawZip, yazlZip } from '../../test/zips.js';
import type { ArtifactStore } from '../artifact/store.js';
import { appendRecords, lineHash } from './chain.js';
import { type LedgerPlace, persistForRun, restoreForRun } from './lifecycle.js';
import { sampleRunRecords } from './sample.js';
import type { LedgerStorage } from './storage.js';

const KEY = 'lifecycle-key';
const NOW = new Date(Date.UTC(2027, 0, 1));
const root = mkdtempSync(join(tmpdir(), 'pg-lifecycle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const place: LedgerPlace = { repositoryId: 4242, repository: 'octo/widgets', runId: '900', attempt: 2, tempDir: root };
const PREFIX = 'publish-gate-ledger-v1-4242-pr-7-';

/** Two earlier runs of PR 7 (epochs e0, e1), signed with `key`. */
function ledgerText(key: string | undefined): string {
  const out: string[] = [];
  for (let n = 0; n < 2; n++) {
    const tail = out.length ? { seq: out.length - 1, hash: lineHash(out.at(-1)!) } : undefined;
    out.push(...appendRecords(tail, sampleRunRecords(n), key));
  }
  return `${out.join('\n')}\n`;
}

/** Ports whose cache index names run 77 attempt 1, and whose artifact store serves `zip` for it. */
function ports(zip: Buffer | undefined, options: { key?: string } = {}) {
  const calls: string[] = [];
  const ledger: LedgerStorage = {
    async lookup(prefix) {
      calls.push(`lookup ${prefix}`);
      return zip ? (options.key ?? `${prefix}77-1`) : undefined;
    },
    async save(_path, key) {
      calls.push(`save ${key}`);
      return { ok: true };
    },
    async upload(name, _path, days) {
      calls.push(`upload ${name} ${days}`);
      return { ok: true, id: 5 };
    },
  };
  const artifacts: ArtifactStore = {
    async list(name, runId) {
      calls.push(`list ${runId} ${name}`);
      return zip ? [{ id: 1, name, size: zip.length, digest: digestOf(zip), runId }] : [];
    },
    async downloadZip(_a, dir) {
      writeFileSync(join(dir, 'a.zip'), zip!);
      return { zipPath: join(dir, 'a.zip'), digestMismatch: false };
    },
  };
  return { ports: { ledger, artifacts }, calls };
}

const zipOf = (text: string) => yazlZip({ 'publish-gate-ledger-77-1.jsonl': text });

describe('restoreForRun', () => {
  it('nothing indexed: absent state, scope of the PR', async () => {
    const { ports: p, calls } = ports(undefined);
    const r = await restoreForRun(p, place, { pullRequest: 7, head: 'a'.repeat(40) }, { key: KEY, now: NOW });
    expect(r).toMatchObject({ published: { trust: 'absent', epochs: [], writes: {} }, scope: 'pr-7', untrusted: false });
    expect(r.chain).toBeUndefined();
    expect(calls).toEqual([`lookup ${PREFIX}`]);
  });

  it('with the key, an authenticated ledger gives its epochs and writes, and the chain to continue', async () => {
    const text = ledgerText(KEY);
    const { ports: p, calls } = ports(await zipOf(text));
    const r = await restoreForRun(p, place, { pullRequest: 7 }, { key: KEY, now: NOW });
    expect(calls).toEqual([`lookup ${PREFIX}`, 'list 77 publish-gate-ledger-77-1']);
    expect(r.published.trust).toBe('trusted');
    expect(r.published.epochs).toEqual(['e0', 'e1']);
    expect(Object.keys(r.published.writes)).toHaveLength(2);
    expect(r.chain?.text).toBe(text);
    expect(r.chain?.state.writes).toEqual(r.published.writes);
    expect(r.note).toMatch(/authenticated/);
  });

  it('without a key, the epochs are used but the writes are not (anyone who can save a cache entry could have written them)', async () => {
    const { ports: p } = ports(await zipOf(ledgerText(undefined)));
    const r = await restoreForRun(p, place, { pullRequest: 7 }, { key: undefined, now: NOW });
    expect(r.published).toEqual({ trust: 'trusted', epochs: ['e0', 'e1'], writes: {} });
    expect(r.chain?.state.writes).toEqual({});
    expect(r.note).toMatch(/not trusted/);
  });

  it('a ledger that does not verify, with the key, is untrusted and not continued', async () => {
    const unsigned = await zipOf(ledgerText(undefined));
    const r = await restoreForRun(ports(unsigned).ports, place, { pullRequest: 7 }, { key: KEY, now: NOW });
    expect(r).toMatchObject({ published: { trust: 'untrusted', epochs: [], writes: {} }, untrusted: true });
    expect(r.chain).toBeUndefined();
    const edited = await zipOf(ledgerText(KEY).replace('"e1"', '"e9"'));
    expect(await restoreForRun(ports(edited).ports, place, { pullRequest: 7 }, { key: KEY, now: NOW })).toMatchObject({ untrusted: true, note: expect.stringContaining('seq') });
  });

  it("another repository's ledger, or one from the future, is untrusted", async () => {
    const r = await restoreForRun(ports(await zipOf(ledgerText(KEY))).ports, { ...place, repositoryId: 1 }, { pullRequest: 7 }, { key: KEY, now: NOW });
    expect(r.untrusted).toBe(true);
    const past = new Date(Date.UTC(2026, 0, 1));
    expect((await restoreForRun(ports(await zipOf(ledgerText(KEY))).ports, place, { pullRequest: 7 }, { key: KEY, now: past })).untrusted).toBe(true);
  });

  it('an unsafe ledger artifact is untrusted; nothing is extracted outside the fresh directories', async () => {
    const slip = rawZip([{ name: '../publish-gate-ledger-77-1.jsonl', data: ledgerText(KEY) }]);
    const r = await restoreForRun(ports(slip).ports, place, { pullRequest: 7 }, { key: KEY, now: NOW });
    expect(r).toMatchObject({ untrusted: true, note: expect.stringContaining('ARTIFACT_UNSAFE') });
  });

  it('without a PR the scope is the head SHA', async () => {
    const { ports: p, calls } = ports(undefined);
    expect((await restoreForRun(p, place, { head: 'AB'.repeat(20) }, { key: KEY, now: NOW })).scope).toBe('sha-abababababab');
    expect(calls).toEqual(['lookup publish-gate-ledger-v1-4242-sha-abababababab-']);
  });
});

describe('persistForRun', () => {
  it('uploads the artifact and saves the cache entry under the SPEC names', async () => {
    const { ports: p, calls } = ports(undefined);
    expect(await persistForRun(p, place, 'pr-7', '/tmp/x.jsonl', 30)).toEqual({
      persisted: true,
      artifactId: 5,
      cacheKey: 'publish-gate-ledger-v1-4242-pr-7-900-2',
      notes: [],
    });
    expect(calls).toEqual(['upload publish-gate-ledger-900-2 30', 'save publish-gate-ledger-v1-4242-pr-7-900-2']);
  });
});
