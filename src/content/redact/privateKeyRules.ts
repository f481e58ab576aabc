import { Buffer } from 'node:buffer';
import { regexRule, type PatternRule } from './patternRule.js';

export const PRIVATE_KEY_RULE = 'private-key';

/** Fewer base64 characters than this between the markers is a placeholder: the smallest real key (Ed25519, PKCS #8) has 64. */
const MIN_KEY_BODY = 50;
/** How far the END marker may be from BEGIN. An 8192-bit RSA key escaped twice stays well inside. */
const MAX_KEY_LENGTH = 64 * 1024;

const END_MARKER = /-{3,5} ?END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)? ?-{3,5}/g;
/** Without an END marker: base64 lines (raw or `\n`-escaped) and `Name: value` headers after BEGIN. */
const CONTINUATION =
  /(?:(?:\\r|\\n|[\r\n \t"'`+,])+(?:[A-Za-z0-9+/=]{16,}|[A-Za-z][A-Za-z-]{1,30}: ?[^\r\n\\]{0,200}))+(?:(?:\\r|\\n|\r|\n)[A-Za-z0-9+/=]{1,15}(?=[ \t]*(?:[\r\n"'`,]|\\[nr]|$)))?/y;

function bodyLength(body: string): number {
  const withoutHeaders = body.replace(/\\[nrt]/g, '\n').replace(/^[ \t"'`+,]*[A-Za-z][A-Za-z-]{1,30}: ?.*$/gm, '');
  return withoutHeaders.replace(/[^A-Za-z0-9+/=]/g, '').length;
}

const BEGIN_MARKER = /(?<=(?<pre>-{3,5} ?))BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)? ?-{3,5}/dy;

/**
 * PEM private keys of every type (PKCS #1 and #8, encrypted, EC, DSA, OpenSSH, PGP, SSH2), raw, in
 * indented YAML or as a `\n`-escaped JSON string: the span runs from BEGIN to END, or without an END
 * marker over the base64 lines that follow. Bodies with fewer than 50 base64 characters (`...`,
 * `xxx`, `<key>`) are placeholders.
 */
const pem: PatternRule = {
  name: PRIVATE_KEY_RULE,
  anchors: ['BEGIN '],
  findAt(text, at, memo) {
    BEGIN_MARKER.lastIndex = at;
    const begin = BEGIN_MARKER.exec(text);
    if (!begin) return [];
    const start = begin.indices!.groups!.pre![0];
    const end = at + begin[0].length;
    // The next END marker, remembered for the scan: many BEGIN markers without an END stay linear.
    let close = memo.get(pem) as RegExpExecArray | null | undefined;
    if (close === undefined || (close !== null && close.index < end)) {
      END_MARKER.lastIndex = end;
      close = END_MARKER.exec(text);
      memo.set(pem, close);
    }
    if (close && close.index - end <= MAX_KEY_LENGTH) {
      return bodyLength(text.slice(end, close.index)) >= MIN_KEY_BODY ? [{ rule: PRIVATE_KEY_RULE, start, end: close.index + close[0].length }] : [];
    }
    CONTINUATION.lastIndex = end;
    const body = CONTINUATION.exec(text);
    return body && bodyLength(body[0]) >= MIN_KEY_BODY ? [{ rule: PRIVATE_KEY_RULE, start, end: end + body[0].length }] : [];
  },
};

/** PuTTY `.ppk` files: the private lines. */
const putty = regexRule({
  name: PRIVATE_KEY_RULE,
  anchors: ['Private-Lines:'],
  pattern: /Private-Lines: *\d+[ \t]*\r?\n(?<secret>(?:[A-Za-z0-9+/=]{4,}[ \t]*(?:\r?\n|$))+)/dy,
  accept: (secret) => bodyLength(secret) >= MIN_KEY_BODY,
});

/** A base64-encoded PEM private key (Kubernetes secrets, CI variables). */
const base64Pem = regexRule({
  name: PRIVATE_KEY_RULE,
  anchors: ['LS0tLS1CRUdJTi'],
  pattern: /LS0tLS1CRUdJTi[A-Za-z0-9+/]{60,}={0,2}/dy,
  accept: (secret) => Buffer.from(secret.slice(0, 120), 'base64').toString('latin1').includes('PRIVATE KEY'),
});

/** age (`AGE-SECRET-KEY-1…`, bech32). */
const age = regexRule({
  name: PRIVATE_KEY_RULE,
  anchors: ['AGE-SECRET-KEY-1'],
  pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/dy,
});

export const privateKeyRules: readonly PatternRule[] = [pem, putty, base64Pem, age];
