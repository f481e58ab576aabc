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

/** SPEC §9: `sha256("v1|repo|kind|target|slot")`, hex, first 32 characters. */
export function idempotencyKey(repository: string, kind: string, target: string, slot: string): string {
  return sha256Hex(`v1|${repository.toLowerCase()}|${kind}|${target}|${slot}`).slice(0, 32);
}
