import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON: the same value gives the same bytes whatever its key order. */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function digestOf(value: unknown): `sha256:${string}` {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/**
 * RFC 8785 canonical JSON of an object whose array members hold objects shared with other values of
 * the same plan (the kept findings sit in the comment, review and check-run payloads alike): each
 * array element is canonicalized once per `memo`, and the object is composed the way RFC 8785 composes
 * one (members sorted by key in UTF-16 order, members without a JSON value left out, elements without
 * one written as null). The pieces, in order, are the bytes of `canonicalJson(value)`; the library
 * does the rest.
 */
function emitCanonicalShared(value: Record<string, unknown>, memo: WeakMap<object, string>, emit: (piece: string) => void): void {
  const element = (item: unknown): string => {
    if (item === null || typeof item !== 'object') return canonicalJson(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item);
    let text = memo.get(item);
    if (text === undefined) memo.set(item, (text = canonicalJson(item)));
    return text;
  };
  const keys = Object.keys(value)
    .sort()
    .filter((key) => value[key] !== undefined && typeof value[key] !== 'function' && typeof value[key] !== 'symbol');
  emit('{');
  keys.forEach((key, i) => {
    const member = value[key];
    emit(`${i === 0 ? '' : ','}${JSON.stringify(key)}:`);
    if (!Array.isArray(member)) return emit(canonicalJson(member));
    emit('[');
    member.forEach((item, j) => emit(j === 0 ? element(item) : `,${element(item)}`));
    emit(']');
  });
  emit('}');
}

/**
 * `digestOf(value)` for a payload that shares its findings with others of the plan, without building
 * its canonical text: that text is as large as its findings (megabytes), and joining the pieces into
 * one string, then encoding that to UTF-8, costs more than hashing it, so each piece goes to the hash
 * as it comes.
 */
export function sharedDigestOf(value: Record<string, unknown>, memo: WeakMap<object, string>): `sha256:${string}` {
  const hash = createHash('sha256');
  emitCanonicalShared(value, memo, (piece) => hash.update(piece, 'utf8'));
  return `sha256:${hash.digest('hex')}`;
}

/** SPEC §9: `sha256("v1|repo|kind|target|slot")`, hex, first 32 characters. */
export function idempotencyKey(repository: string, kind: string, target: string, slot: string): string {
  return sha256Hex(`v1|${repository.toLowerCase()}|${kind}|${target}|${slot}`).slice(0, 32);
}
