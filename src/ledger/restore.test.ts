import { describe, expect, it } from 'vitest';
import { appendRecords, lineHash } from './chain.js';
import { trustRestored } from './restore.js';
import { sampleRunRecords } from './sample.js';

const KEY = 'restore-key-for-tests';
const NOW = new Date(Date.UTC(2027, 0, 1));
const target = { pullRequest: 7 };
const opts = { key: KEY, repositoryId: 4242, now: NOW, target };

function lines(key: string | undefined, runs = 3, options: Parameters<typeof sampleRunRecords>[1] = {}): string[] {
  const out: string[] = [];
  for (let n = 0; n < runs; n++) {
    const tail = out.length ? { seq: out.length - 1, hash: lineHash(out.at(-1)!) } : undefined;
    out.push(...appendRecords(tail, sampleRunRecords(n, n === runs - 1 ? options : {}), key));
  }
  return out;
}
const text = (l: string[]) => `${l.join('\n')}\n`;

describe('trustRestored', () => {
  it('nothing restored, or an empty file, is absent', () => {
    expect(trustRestored(undefined, opts)).toEqual({ trust: 'absent' });
    expect(trustRestored('', opts)).toEqual({ trust: 'absent' });
  });

  it('a verified, authenticated ledger is trusted: text unchanged, tail, state of the target', () => {
    const l = lines(KEY);
    const result = trustRestored(text(l), opts);
    expect(result).toMatchObject({ trust: 'trusted', text: text(l), authenticated: true, tail: { seq: 14, hash: lineHash(l[14]!) } });
    if (result.trust !== 'trusted') return;
    expect(result.state.trust).toBe('trusted');
    expect(result.state.epochs).toEqual(['e0', 'e1', 'e2']);
    expect(Object.keys(result.state.writes)).toHaveLength(2);
    expect(result.records).toHaveLength(15);
  });

  it('without a key, a hash-chained ledger is trusted but not authenticated', () => {
    expect(trustRestored(text(lines(undefined)), { ...opts, key: undefined })).toMatchObject({ trust: 'trusted', authenticated: false });
    expect(trustRestored(text(lines(KEY)), { ...opts, key: undefined })).toMatchObject({ trust: 'trusted', authenticated: false });
  });

  it('a key given but a ledger without MACs is untrusted', () => {
    expect(trustRestored(text(lines(undefined)), opts)).toMatchObject({ trust: 'untrusted', firstBadSeq: 0, reason: expect.stringContaining('MAC') });
  });

  it('a wrong key is untrusted', () => {
    expect(trustRestored(text(lines(KEY)), { ...opts, key: 'another key' })).toMatchObject({ trust: 'untrusted', firstBadSeq: 0 });
  });

  it('a tampered line is untrusted, at its seq', () => {
    const l = lines(KEY);
    const edited = l[7]!.replace('"status":"done"', '"status":"failed"');
    expect(edited).not.toBe(l[7]);
    l[7] = edited;
    expect(trustRestored(text(l), opts)).toMatchObject({ trust: 'untrusted', firstBadSeq: 7 });
    // Without a key the edit still breaks the link from the next line.
    const u = lines(undefined);
    u[7] = u[7]!.replace('"status":"done"', '"status":"failed"');
    expect(trustRestored(text(u), { ...opts, key: undefined })).toMatchObject({ trust: 'untrusted', firstBadSeq: 8 });
  });

  it('records of another repository are untrusted', () => {
    expect(trustRestored(text(lines(KEY, 3, { repositoryId: 999 })), opts)).toMatchObject({ trust: 'untrusted', firstBadSeq: 10, reason: expect.stringContaining('repository') });
    expect(trustRestored(text(lines(KEY)), { ...opts, repositoryId: 4243 })).toMatchObject({ trust: 'untrusted', firstBadSeq: 0 });
  });

  it('records dated in the future are untrusted', () => {
    const later = new Date(NOW.getTime() + 60 * 60_000).toISOString();
    expect(trustRestored(text(lines(KEY, 3, { at: later })), opts)).toMatchObject({ trust: 'untrusted', firstBadSeq: 10, reason: expect.stringContaining('future') });
  });

  it('garbage and an oversized ledger are untrusted', () => {
    expect(trustRestored('not a ledger\n', opts)).toMatchObject({ trust: 'untrusted', firstBadSeq: 0 });
    expect(trustRestored('\n'.repeat(1_000_001), { ...opts, key: undefined })).toMatchObject({ trust: 'untrusted', firstBadSeq: null });
  });
});
