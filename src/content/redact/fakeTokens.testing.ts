import { Buffer } from 'node:buffer';

/**
 * Deterministic fake secrets for tests, built at run time so that no token-shaped literal sits in
 * the repository (and none of them is real).
 */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;

let state = 0x2545f491;
/** Resets the generator, so that a test's tokens do not depend on the tests before it. */
export function reseed(seed = 0x2545f491): void {
  state = seed >>> 0 || 1;
}

/** `length` characters of `alphabet`, pseudo-random (xorshift), never 3 equal characters in a row. */
export function rnd(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const c = alphabet[state % alphabet.length]!;
    if (out.length >= 2 && out[out.length - 1] === c && out[out.length - 2] === c) continue;
    out += c;
  }
  return out;
}

const b64url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

/** A syntactically valid (unsigned by any real key) JSON Web Token. */
export function fakeJwt(claims: Record<string, unknown> = { sub: rnd(12), iat: 1_700_000_000 }): string {
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.${rnd(43, BASE64URL)}`;
}

/** A PEM block of `type` (`RSA PRIVATE KEY`, `PRIVATE KEY`, …) with `lines` random base64 lines. */
export function fakePem(type: string, lines = 6, headers: readonly string[] = []): string {
  const body = Array.from({ length: lines }, () => rnd(64, BASE64));
  return [`-----BEGIN ${type}-----`, ...headers, ...(headers.length ? [''] : []), ...body, `${rnd(20, BASE64)}==`, `-----END ${type}-----`].join('\n');
}

export const uuid = () => `${rnd(8, HEX)}-${rnd(4, HEX)}-4${rnd(3, HEX)}-a${rnd(3, HEX)}-${rnd(12, HEX)}`;
