import { Buffer } from 'node:buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { BASE64, fakePem, reseed, rnd } from './fakeTokens.testing.js';
import { createPatternScanner } from './patternScanner.js';
import { privateKeyRules } from './privateKeyRules.js';
import type { SecretFinding } from './types.js';

const scanner = createPatternScanner(privateKeyRules);
const scan = (text: string) => scanner(text, Number.POSITIVE_INFINITY) as SecretFinding[];

/** True when one private-key finding covers all of `secret` in `text`. */
function covered(text: string, secret: string): boolean {
  const start = text.indexOf(secret);
  expect(start).toBeGreaterThanOrEqual(0);
  return scan(text).some((f) => f.rule === 'private-key' && f.start <= start && f.end >= start + secret.length);
}

beforeEach(() => reseed(7));

describe('PEM private keys', () => {
  it.each([
    'RSA PRIVATE KEY',
    'PRIVATE KEY',
    'EC PRIVATE KEY',
    'DSA PRIVATE KEY',
    'OPENSSH PRIVATE KEY',
    'ENCRYPTED PRIVATE KEY',
    'PGP PRIVATE KEY BLOCK',
    'ANY PRIVATE KEY',
  ])('%s, whole block', (type) => {
    const pem = fakePem(type);
    expect(covered(`key:\n${pem}\nmore text`, pem)).toBe(true);
  });

  it('an encrypted PKCS #1 key with Proc-Type and DEK-Info headers', () => {
    const pem = fakePem('RSA PRIVATE KEY', 8, ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${rnd(32, '0123456789ABCDEF')}`]);
    expect(covered(pem, pem)).toBe(true);
  });

  it('a PGP block with an armor header', () => {
    const pem = fakePem('PGP PRIVATE KEY BLOCK', 10, ['Version: GnuPG v2']);
    expect(covered(`> ${pem}`, pem)).toBe(true);
  });

  it('a \\n-escaped key in a JSON service-account file', () => {
    const pem = fakePem('PRIVATE KEY', 12).replace(/\n/g, '\\n');
    const json = JSON.stringify({ type: 'service_account', private_key: 'PEM' }).replace('PEM', pem);
    expect(covered(json, pem)).toBe(true);
  });

  it('a key indented in YAML, with CRLF line ends', () => {
    const pem = fakePem('EC PRIVATE KEY', 4).split('\n').join('\r\n      ');
    expect(covered(`tls:\r\n  key: |\r\n      ${pem}\r\n  other: 1`, pem)).toBe(true);
  });

  it('a key cut short (no END marker) up to the end of its base64 lines', () => {
    const lines = Array.from({ length: 5 }, () => rnd(64, BASE64));
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\nThis is the end of the log.`;
    const finding = scan(text)[0]!;
    expect(text.slice(finding.start, finding.end)).toBe(`-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}`);
  });

  it('two keys give two findings', () => {
    const a = fakePem('RSA PRIVATE KEY');
    const b = fakePem('EC PRIVATE KEY');
    expect(scan(`${a}\n\n${b}`)).toHaveLength(2);
  });

  it('a base64-encoded PEM key (Kubernetes secret data)', () => {
    const encoded = Buffer.from(fakePem('RSA PRIVATE KEY')).toString('base64');
    expect(covered(`  tls.key: ${encoded}`, encoded)).toBe(true);
  });

  it('a PuTTY key file: the private lines', () => {
    const priv = Array.from({ length: 4 }, () => rnd(64, BASE64)).join('\n');
    const text = `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\n${rnd(64, BASE64)}\n${rnd(20, BASE64)}\nPrivate-Lines: 4\n${priv}\nPrivate-MAC: ${rnd(64, '0123456789abcdef')}`;
    expect(covered(text, priv)).toBe(true);
  });

  it('an age secret key', () => {
    const key = `AGE-SECRET-KEY-1${rnd(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`;
    expect(covered(`# key\n${key}`, key)).toBe(true);
  });
});

describe('not private keys', () => {
  it.each([
    ['dots', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
    ['xxx', '-----BEGIN RSA PRIVATE KEY-----\nxxx\n-----END RSA PRIVATE KEY-----'],
    ['stars', '-----BEGIN RSA PRIVATE KEY-----\n***\n-----END RSA PRIVATE KEY-----'],
    ['a short base64 placeholder', `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQ'}=\n-----END RSA PRIVATE KEY-----`],
    ['an angle-bracket placeholder', '-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----'],
    ['empty', '-----BEGIN EC PRIVATE KEY----------END EC PRIVATE KEY-----'],
    ['a public key', fakePem('PUBLIC KEY')],
    ['a certificate', fakePem('CERTIFICATE')],
    ['prose', 'The file starts with -----BEGIN RSA PRIVATE KEY----- and you must keep it secret.'],
    ['base64 of a certificate', Buffer.from(fakePem('CERTIFICATE')).toString('base64')],
  ])('%s', (_name, text) => {
    expect(scan(text)).toEqual([]);
  });
});
