import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * SPEC §9 markers: the first line of every body the action writes names the write's idempotency key
 * and, with a `ledger-key`, an HMAC over it, so a marker copied into someone else's text, or forged
 * without the key, does not make that text ours.
 */

const KEY = /^[0-9a-f]{32}$/;
/** `<!-- publish-gate v1 key=<key> mac=<mac> -->` */
const COMMENT_FORM = /^<!-- publish-gate v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none) -->$/;
/** `[publish-gate]: # (v1 key=<key> mac=<mac>)`: a Markdown reference definition, for review bodies. */
const REFERENCE_FORM = /^\[publish-gate\]: # \(v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none)\)$/;

/** HMAC-SHA256(ledgerKey, `v1|<key>`) hex, or `none` without a key. */
export function markerMac(key: string, ledgerKey?: string): string {
  if (!ledgerKey) return 'none';
  return createHmac('sha256', ledgerKey).update(`v1|${key}`, 'utf8').digest('hex');
}

function assertKey(key: string): void {
  if (!KEY.test(key)) throw new Error('an idempotency key is 32 lowercase hex characters');
}

/** The marker line of comments, PR bodies and check-run summaries. */
export function markerLine(key: string, ledgerKey?: string): string {
  assertKey(key);
  return `<!-- publish-gate v1 key=${key} mac=${markerMac(key, ledgerKey)} -->`;
}

/** The marker of review bodies: GitHub strips HTML comments there, so it is a reference definition. */
export function reviewMarkerLine(key: string, ledgerKey?: string): string {
  assertKey(key);
  return `[publish-gate]: # (v1 key=${key} mac=${markerMac(key, ledgerKey)})`;
}

/**
 * The marker on the first line of `body`, in either form. `valid`: the MAC verifies with `ledgerKey`;
 * without a key, only `mac=none` is valid (a keyed marker cannot be checked, so it is not trusted).
 */
export function parseMarker(body: string, ledgerKey?: string): { key: string; valid: boolean } | undefined {
  const first = (body.split(/\r\n|\r|\n/, 1)[0] ?? '').trim();
  const m = COMMENT_FORM.exec(first) ?? REFERENCE_FORM.exec(first);
  if (!m) return undefined;
  const [, key, mac] = m as unknown as [string, string, string];
  const expected = markerMac(key, ledgerKey);
  const valid = expected.length === mac.length && timingSafeEqual(Buffer.from(expected), Buffer.from(mac));
  return { key, valid };
}

/** True when `body` starts with a valid marker for exactly `key`. */
export function carriesMarker(body: string | null | undefined, key: string, ledgerKey?: string): boolean {
  if (!body) return false;
  const parsed = parseMarker(body, ledgerKey);
  return parsed !== undefined && parsed.valid && parsed.key === key;
}

/** `Publish-Gate: v1 key=<key> mac=<mac>`: the marker of commit messages, as a Git trailer on the last line. */
const TRAILER_FORM = /^Publish-Gate: v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none)$/;

/** The trailer line that makes a commit ours (same key and MAC as the other marker forms). */
export function commitTrailer(key: string, ledgerKey?: string): string {
  assertKey(key);
  return `Publish-Gate: v1 key=${key} mac=${markerMac(key, ledgerKey)}`;
}

/** Whether a line of agent text has the trailer's form (it is dropped from agent text). */
export function looksLikeTrailer(line: string): boolean {
  return /^\s*publish-gate\s*:/i.test(line);
}

/**
 * True when the LAST line of a commit message is a valid trailer for exactly `key`. Only the last line
 * counts: the action always appends its trailer after the agent's text.
 */
export function commitCarriesMarker(message: string | null | undefined, key: string, ledgerKey?: string): boolean {
  if (!message) return false;
  const lines = message.replace(/\r\n?/g, '\n').trimEnd().split('\n');
  const m = TRAILER_FORM.exec((lines.at(-1) ?? '').trim());
  if (!m || m[1] !== key) return false;
  const expected = markerMac(key, ledgerKey);
  return expected.length === m[2]!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(m[2]!));
}
