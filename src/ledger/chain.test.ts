import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_LIMITS, appendRecords, lineHash, verifyLedger } from './chain.js';
import type { RecordInput } from './record.js';
import { sampleRunRecords } from './sample.js';

const KEY = 'ledger-key-for-tests';
const NOW = Date.UTC(2027, 0, 1);

/** Three runs of five records each, appended run by run as the action does. */
function buildLines(key: string | undefined, runs = 3): string[] {
  const lines: string[] = [];
  for (let n = 0; n < runs; n++) {
    const tail = lines.length ? { seq: lines.length - 1, hash: lineHash(lines.at(-1)!) } : undefined;
    lines.push(...appendRecords(tail, sampleRunRecords(n), key));
  }
  return lines;
}
const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('appendRecords and verifyLedger', () => {
  it('round-trips: seq is consecutive across runs, every line is canonical, the tail is the last line', () => {
    const lines = buildLines(KEY);
    const result = verifyLedger(text(lines), { key: KEY, now: NOW, repositoryId: 4242 });
    expect(result).toMatchObject({ ok: true, authenticated: true, tail: { seq: 14, hash: lineHash(lines[14]!) } });
    if (!result.ok) return;
    expect(result.records.map((r) => r.seq)).toEqual([...Array(15).keys()]);
    expect(result.records[0]!.prev).toBe('genesis');
    expect(result.records[5]!.prev).toBe(lineHash(lines[4]!));
    for (const line of lines) expect(JSON.stringify(JSON.parse(line))).toBe(line);
  });

  it('an empty ledger is valid and has no tail', () => {
    expect(verifyLedger('', { now: NOW })).toMatchObject({ ok: true, records: [], tail: undefined });
  });

  it('refuses to write an invalid record (a body is not a member of any record)', () => {
    const [write] = sampleRunRecords(0).filter((r) => r.type === 'write');
    expect(() => appendRecords(undefined, [{ ...write!, body: 'hello' } as RecordInput])).toThrow();
  });

  it('requires a MAC on every record when a key is given', () => {
    const lines = buildLines(undefined);
    expect(verifyLedger(text(lines), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 0 });
    // A keyed ledger continued without the key: the first unkeyed record is the bad one.
    const mixed = [...buildLines(KEY, 1)];
    mixed.push(...appendRecords({ seq: 4, hash: lineHash(mixed[4]!) }, sampleRunRecords(1)));
    expect(verifyLedger(text(mixed), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('a wrong key fails at the first record', () => {
    expect(verifyLedger(text(buildLines(KEY)), { key: 'another key', now: NOW })).toMatchObject({ ok: false, firstBadSeq: 0, reason: expect.stringContaining('MAC') });
  });

  it('without a key, a ledger carrying MACs is valid but unauthenticated', () => {
    const result = verifyLedger(text(buildLines(KEY)), { now: NOW });
    expect(result).toMatchObject({ ok: true, authenticated: false, unauthenticatedMacs: 15 });
  });

  it('records naming another repository fail', () => {
    const lines = buildLines(KEY, 1);
    lines.push(...appendRecords({ seq: 4, hash: lineHash(lines[4]!) }, sampleRunRecords(1, { repositoryId: 999 }), KEY));
    expect(verifyLedger(text(lines), { key: KEY, now: NOW, repositoryId: 4242 })).toMatchObject({ ok: false, firstBadSeq: 5, reason: expect.stringContaining('repository') });
    expect(verifyLedger(text(lines), { key: KEY, now: NOW, repositoryId: 999 })).toMatchObject({ ok: false, firstBadSeq: 0 });
  });

  it('records dated more than five minutes in the future fail', () => {
    const lines = buildLines(KEY, 1);
    const soon = new Date(NOW + 4 * 60_000).toISOString();
    const later = new Date(NOW + 6 * 60_000).toISOString();
    lines.push(...appendRecords({ seq: 4, hash: lineHash(lines[4]!) }, sampleRunRecords(1, { at: soon }), KEY));
    expect(verifyLedger(text(lines), { key: KEY, now: NOW })).toMatchObject({ ok: true });
    lines.push(...appendRecords({ seq: 9, hash: lineHash(lines[9]!) }, sampleRunRecords(2, { at: later }), KEY));
    expect(verifyLedger(text(lines), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 10, reason: expect.stringContaining('future') });
  });

  it('malformed lines, blank lines and non-records fail at their position', () => {
    const lines = buildLines(KEY);
    expect(verifyLedger(text([...lines.slice(0, 3), '{"v":1', ...lines.slice(3)]), { now: NOW })).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(verifyLedger(text([...lines.slice(0, 3), '', ...lines.slice(3)]), { now: NOW })).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(verifyLedger(text([...lines.slice(0, 3), '[]', ...lines.slice(3)]), { now: NOW })).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(verifyLedger('not json\n', { now: NOW })).toMatchObject({ ok: false, firstBadSeq: 0 });
  });

  it('a MAC over non-canonical formatting fails closed', () => {
    const lines = buildLines(KEY);
    const spaced = lines[2]!.replace('{', '{ ');
    expect(verifyLedger(text([...lines.slice(0, 2), spaced]), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('a duplicate mac member cannot smuggle a second value past the MAC', () => {
    const lines = buildLines(KEY);
    const record = JSON.parse(lines[1]!);
    const forged = lines[1]!.replace(/,"prev":/, `,"mac":"${'0'.repeat(64)}","prev":`).replace(`"mac":"${record.mac}"`, `"mac":"${record.mac}"`);
    expect(verifyLedger(text([lines[0]!, forged]), { key: KEY, now: NOW })).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('states its bounds: over-size input and over-long lines are refused', () => {
    expect(LEDGER_LIMITS).toMatchObject({ bytes: 128 * 1024 * 1024, lines: 1_000_000, lineChars: 4 * 1024 * 1024 });
    expect(verifyLedger('x'.repeat(LEDGER_LIMITS.bytes + 1))).toMatchObject({ ok: false, firstBadSeq: null });
    expect(verifyLedger('\n'.repeat(LEDGER_LIMITS.lines + 1))).toMatchObject({ ok: false, firstBadSeq: null });
    expect(verifyLedger(`"${'x'.repeat(LEDGER_LIMITS.lineChars)}"`)).toMatchObject({ ok: false, firstBadSeq: 0 });
  });
});

/** A single mutation of a line list; `first` is the first index at which the result differs. */
type Mutation = { lines: string[]; first: number } | undefined;

function mutate(lines: string[], op: 'edit' | 'remove' | 'reorder' | 'insert', i: number, j: number, pos: number, ch: string): Mutation {
  const out = [...lines];
  switch (op) {
    case 'edit': {
      const line = out[i]!;
      const at = pos % line.length;
      if (line[at] === ch) return undefined;
      out[i] = line.slice(0, at) + ch + line.slice(at + 1);
      break;
    }
    case 'remove':
      if (i === lines.length - 1) return undefined; // truncation of the tail: not detectable (documented)
      out.splice(i, 1);
      break;
    case 'reorder': {
      if (out[i] === out[j]) return undefined;
      const [moved] = out.splice(i, 1);
      out.splice(j, 0, moved!);
      break;
    }
    case 'insert':
      out.splice(i, 0, lines[j]!);
      break;
  }
  const first = out.findIndex((line, k) => line !== lines[k]);
  return first < 0 ? undefined : { lines: out, first };
}

const mutation = (n: number) =>
  fc.record({
    op: fc.constantFrom('edit', 'remove', 'reorder', 'insert' as const),
    i: fc.nat({ max: n - 1 }),
    j: fc.nat({ max: n - 1 }),
    pos: fc.nat(),
    ch: fc.constantFrom('0', '1', 'a', 'f', '"', ',', '}', ' ', 'x', '9', '\\'),
  });

describe('tamper detection (property)', () => {
  const keyed = buildLines(KEY, 3);
  const unkeyed = buildLines(undefined, 3);

  it('with a key, any single edit, removal, reorder or insertion fails at the first changed position', () => {
    fc.assert(
      fc.property(mutation(keyed.length), ({ op, i, j, pos, ch }) => {
        const m = mutate(keyed, op, i, j, pos, ch);
        if (!m) return;
        const result = verifyLedger(text(m.lines), { key: KEY, now: NOW });
        expect(result).toMatchObject({ ok: false, firstBadSeq: m.first });
      }),
      { numRuns: 2000 },
    );
  });

  it('without a key, the chain catches every change except an edit of the last line, at the changed position or the next', () => {
    fc.assert(
      fc.property(mutation(unkeyed.length), ({ op, i, j, pos, ch }) => {
        const m = mutate(unkeyed, op, i, j, pos, ch);
        if (!m) return;
        const result = verifyLedger(text(m.lines), { now: NOW });
        if (op === 'edit' && i === unkeyed.length - 1 && result.ok) return; // documented gap
        expect(result.ok).toBe(false);
        if (!result.ok) expect([m.first, m.first + 1]).toContain(result.firstBadSeq);
      }),
      { numRuns: 2000 },
    );
  });
});
