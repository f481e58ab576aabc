import * as v from 'valibot';
import { Limits } from './limits.js';

/** Text without C0/C1 control characters (tab, newline and carriage return excepted in bodies). */
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/u;

export const sha = v.pipe(v.string(), v.regex(/^[0-9a-f]{40}$/, 'a 40-character lowercase hex SHA'));

/** `owner/name` as GitHub allows it. */
export const repository = v.pipe(
  v.string(),
  v.maxLength(140),
  v.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'owner/name'),
);

/** A git ref name: no control characters, spaces, `..`, `~^:?*[\\`, no leading `-` or `/`. */
export const ref = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(Limits.ref),
  v.regex(/^(?![-/])(?!.*\.\.)(?!.*\/\/)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\\u0000-\u001f\u007f]+$/, 'a git ref name'),
);

/** A repository-relative file path as the agent names it; safety checks on it happen in the engine. */
export const filePath = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.path), v.regex(NO_CONTROL, 'no control characters'));

export const shortText = (max: number = Limits.shortText) =>
  v.pipe(v.string(), v.maxLength(max), v.regex(NO_CONTROL, 'no control characters'));

export const name = shortText(Limits.name);

export const body = (max: number = Limits.body) => v.pipe(v.string(), v.maxLength(max));

export const timestamp = v.pipe(
  v.string(),
  v.maxLength(40),
  v.isoTimestamp('an ISO 8601 timestamp such as 2026-11-21T10:05:00Z'),
);

export const epoch = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.epoch), v.regex(NO_CONTROL, 'no control characters'));

export const WRITE_KINDS = ['branch', 'pull-request', 'comment', 'review', 'check-run', 'status', 'labels'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];
export const writeKind = v.picklist(WRITE_KINDS);

export const MODES = ['off', 'dry-run', 'live'] as const;
export type Mode = (typeof MODES)[number];
export const mode = v.picklist(MODES);

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const severity = v.picklist(SEVERITIES);

/** A duration such as `24h`, `30m`, `7d` or `1h30m`. */
export const DURATION = /^(?:\d{1,7}[wdhms]){1,5}$/;
const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

export function durationSeconds(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([wdhms])/g)) total += Number(n) * (UNIT_SECONDS[unit!] ?? 0);
  return total;
}

export const duration = v.pipe(
  v.string(),
  v.regex(DURATION, 'a duration such as 24h, 30m or 7d'),
  v.check((text) => {
    const seconds = durationSeconds(text);
    return seconds > 0 && seconds <= Limits.maxAgeSeconds;
  }, `a duration above 0 and at most ${Limits.maxAgeSeconds / 86400}d`),
);

/** A glob pattern (picomatch syntax), bounded so that matching stays cheap. */
export const glob = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.ref), v.regex(NO_CONTROL, 'no control characters'));

/** An array check: no two items share a key. */
export const unique = <T>(keyOf: (item: T) => string, message: string) =>
  v.check<T[], string>((items) => new Set(items.map(keyOf)).size === items.length, message);
