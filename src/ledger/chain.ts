import { type KeyObject, createHmac, createSecretKey, hash } from 'node:crypto';
import * as v from 'valibot';
import { canonicalJson } from '../decide/digest.js';
import { UTC_TIMESTAMP, surelyValid } from './fast.js';
import { GENESIS, LEDGER_VERSION, LedgerRecord, type RecordInput } from './record.js';

/**
 * The ledger chain (SPEC §10). Every line is the canonical JSON of one record; `prev` is
 * `sha256:<hex>` of the previous line's UTF-8 bytes (or `genesis`); `mac` is the hex HMAC-SHA256,
 * with the ledger key, of the canonical line without its `mac` member.
 */

/** Bounds on what `verifyLedger` reads; anything larger is refused before parsing. */
export const LEDGER_LIMITS = {
  /** Whole ledger, UTF-8 bytes. */
  bytes: 128 * 1024 * 1024,
  /** Records (lines). */
  lines: 1_000_000,
  /** One line, in JavaScript string units (a checkpoint is the largest record). */
  lineChars: 4 * 1024 * 1024,
  /** How far in the future a record's `at` may be (clock skew between runners). */
  futureSkewMs: 5 * 60 * 1000,
} as const;

export interface Tail {
  seq: number;
  hash: `sha256:${string}`;
}

export type VerifyResult =
  | {
      ok: true;
      records: LedgerRecord[];
      /** Where the next run's first record links to; undefined for an empty ledger. */
      tail: Tail | undefined;
      /** True only when a key was given and every record carries a valid MAC. */
      authenticated: boolean;
      /** Records carrying a MAC that could not be checked because no key was given. */
      unauthenticatedMacs: number;
    }
  | { ok: false; firstBadSeq: number | null; reason: string };

export interface VerifyOptions {
  key?: string | undefined;
  /** GitHub's numeric repository id: records of another repository make the ledger invalid. */
  repositoryId?: number | undefined;
  /** The time to judge `at` against (milliseconds since the epoch, or a Date); defaults to the clock. */
  now?: number | Date | undefined;
}

export function lineHash(line: string): `sha256:${string}` {
  return `sha256:${hash('sha256', line, 'hex')}`;
}

function hmacHex(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/**
 * Appends records after `tail` (or from genesis), returning one canonical line per record, without
 * newlines. Every record is validated first: an invalid record throws and nothing is returned.
 */
export function appendRecords(tail: Tail | undefined, records: readonly RecordInput[], key?: string): string[] {
  if (key === '') throw new RangeError('the ledger key is empty');
  let seq = tail ? tail.seq + 1 : 0;
  let prev: string = tail ? tail.hash : GENESIS;
  const lines: string[] = [];
  for (const input of records) {
    const record = v.parse(LedgerRecord, { ...input, v: LEDGER_VERSION, seq, prev, mac: null });
    const { mac: _mac, ...withoutMac } = record;
    const mac = key === undefined ? null : hmacHex(key, canonicalJson(withoutMac));
    const line = canonicalJson({ ...record, mac });
    lines.push(line);
    prev = lineHash(line);
    seq += 1;
  }
  return lines;
}

/**
 * The MAC of a stored line: over the line with its top-level `"mac":…` member removed, fed to the
 * HMAC as the two slices around it (no copy). In valid JSON an unescaped `"mac":` preceded by `,`
 * or `{` can only be an object key, and the strict record schemas allow a `mac` key only at the top
 * level, so the first such occurrence is the record's own. For a canonical line the covered text
 * equals the canonical JSON of the record without `mac`; any other formatting changes the covered
 * text, so the MAC fails (closed).
 */
function storedLineMac(key: KeyObject, line: string): string | undefined {
  const at = line.indexOf(',"mac":');
  if (at < 0) {
    if (!line.startsWith('{"mac":')) return undefined;
    const end = (line.charCodeAt(7) === 0x22 ? 7 + 66 : 7 + 4) + 1; // `"mac":X,` is removed
    return createHmac('sha256', key).update('{').update(line.slice(end)).digest('hex');
  }
  const end = line.charCodeAt(at + 7) === 0x22 ? at + 7 + 66 : at + 7 + 4; // `,"mac":X` is removed
  return createHmac('sha256', key).update(line.slice(0, at)).update(line.slice(end)).digest('hex');
}

/** `at <= latest`, comparing UTC timestamps of the same shape as text (to the second) before parsing any. */
function notAfter(at: string, latestIso: string, latest: number): boolean {
  if (latestIso.length === 24 && at.length >= 20 && at.charCodeAt(at.length - 1) === 0x5a /* Z */ && UTC_TIMESTAMP.test(at)) {
    const c = at.slice(0, 19) < latestIso.slice(0, 19) ? -1 : at.slice(0, 19) > latestIso.slice(0, 19) ? 1 : 0;
    if (c !== 0) return c < 0;
  }
  return !(Date.parse(at) > latest);
}

function bad(firstBadSeq: number | null, reason: string): VerifyResult {
  return { ok: false, firstBadSeq, reason };
}

/**
 * Verifies a ledger in one pass: each line is parsed once, validated once, hashed once and, with a
 * key, MACed once. The first record is either `seq` 0 linked to `genesis` or a checkpoint (whose
 * `prev` names dropped records nothing can check). `firstBadSeq` is the seq the first bad line should
 * have had (its position), or null when the input as a whole is refused.
 *
 * What a hash chain cannot see: without a key, an edit of the last line, or a forged appended
 * record; with or without a key, removal of records from the end (truncation).
 */
export function verifyLedger(text: string, options: VerifyOptions = {}): VerifyResult {
  const { key, repositoryId } = options;
  if (key === '') return bad(null, 'the ledger key is empty');
  const keyObject = key === undefined ? undefined : createSecretKey(Buffer.from(key, 'utf8'));
  const latest = (options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime()) + LEDGER_LIMITS.futureSkewMs;
  const latestIso = Number.isFinite(latest) ? new Date(latest).toISOString() : '';
  if (text.length > LEDGER_LIMITS.bytes || Buffer.byteLength(text, 'utf8') > LEDGER_LIMITS.bytes)
    return bad(null, `the ledger is over the ${LEDGER_LIMITS.bytes}-byte limit`);
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body.length === 0) return { ok: true, records: [], tail: undefined, authenticated: key !== undefined, unauthenticatedMacs: 0 };
  const lines = body.split('\n');
  if (lines.length > LEDGER_LIMITS.lines) return bad(null, `the ledger has ${lines.length} lines, over the ${LEDGER_LIMITS.lines}-line limit`);

  const records: LedgerRecord[] = new Array(lines.length);
  let expectedSeq: number | null = null;
  /** The hex sha256 of the previous line; '' before the first. */
  let prevHex = '';
  let unauthenticatedMacs = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const position = expectedSeq;
    if (line.length > LEDGER_LIMITS.lineChars) return bad(position ?? 0, `line ${i + 1} is over the ${LEDGER_LIMITS.lineChars}-character limit`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return bad(position ?? 0, `line ${i + 1} is not JSON`);
    }
    let record: LedgerRecord;
    if (surelyValid(value)) record = value;
    else {
      const parsed = v.safeParse(LedgerRecord, value);
      if (!parsed.success) return bad(position ?? 0, `line ${i + 1} is not a ledger record: ${v.summarize(parsed.issues).split('\n')[0]}`);
      record = parsed.output;
    }
    if (i === 0) {
      if (record.type === 'checkpoint') expectedSeq = record.seq;
      else if (record.seq !== 0 || record.prev !== GENESIS) return bad(0, 'the first record neither starts from genesis at seq 0 nor is a checkpoint');
      else expectedSeq = 0;
    } else {
      if (record.seq !== expectedSeq) return bad(expectedSeq, `line ${i + 1} has seq ${record.seq}, expected ${expectedSeq}`);
      if (record.prev.length !== 71 || !record.prev.endsWith(prevHex)) return bad(expectedSeq, `record ${expectedSeq} does not link to the previous line (edited, removed, reordered or inserted)`);
      if (record.type === 'checkpoint') return bad(expectedSeq, `record ${expectedSeq} is a checkpoint that is not the first record`);
    }
    const seq: number = expectedSeq!;
    if (record.mac === null) {
      if (key !== undefined) return bad(seq, `record ${seq} has no MAC, and a key was given`);
    } else if (key !== undefined) {
      if (storedLineMac(keyObject!, line) !== record.mac) return bad(seq, `record ${seq} has a MAC that does not verify`);
    } else unauthenticatedMacs++;
    if (repositoryId !== undefined && record.run.repository_id !== repositoryId)
      return bad(seq, `record ${seq} names repository id ${record.run.repository_id}, not ${repositoryId}`);
    if (!notAfter(record.at, latestIso, latest)) return bad(seq, `record ${seq} is dated in the future (${record.at})`);
    records[i] = record;
    prevHex = hash('sha256', line, 'hex');
    expectedSeq = seq + 1;
  }
  return {
    ok: true,
    records,
    tail: { seq: expectedSeq! - 1, hash: `sha256:${prevHex}` },
    authenticated: key !== undefined,
    unauthenticatedMacs,
  };
}
