import { Buffer } from 'node:buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { credentialRules } from './credentialRules.js';
import { mergeFindings } from './mergeFindings.js';
import { ALNUM, BASE64, fakeJwt, reseed, rnd } from './fakeTokens.testing.js';
import { createPatternScanner } from './patternScanner.js';
import type { SecretFinding } from './types.js';

const scanner = createPatternScanner(credentialRules);
const scan = (text: string) => scanner(text, Number.POSITIVE_INFINITY) as SecretFinding[];
const found = (text: string): [string, string][] => mergeFindings(scan(text)).map((f) => [f.rule, text.slice(f.start, f.end)]);

beforeEach(() => reseed(11));

describe('url-credentials', () => {
  it.each([
    ['postgres', (p: string) => `DATABASE_URL=postgres://app:${p}@db.internal:5432/app`, 'app:'],
    ['https', (p: string) => `git clone https://x-access-token:${p}@github.com/o/r.git`, 'x-access-token:'],
    ['mongodb+srv', (p: string) => `"mongodb+srv://admin:${p}@cluster0.example.net/db"`, 'admin:'],
    ['jdbc', (p: string) => `jdbc:mysql://sandy:${p}@[myhost1:1111,myhost2:2222]/db`, 'sandy:'],
    ['a password with @', (p: string) => `https://svc:${p}@P@ss@service.internal.com/`, 'svc:'],
    ['redis without user, random password', (p: string) => `redis://:${p}@cache:6379/0`, ':'],
  ])('%s: the user info', (_name, build, user) => {
    const password = `${rnd(18)}9`;
    const text = build(password);
    const [finding] = found(text);
    expect(finding?.[0]).toBe('url-credentials');
    expect(finding?.[1].startsWith(user)).toBe(true);
    expect(finding?.[1]).toContain(password);
  });

  it.each([
    'https://user:pass@github.com/',
    'https://user:password@example.com',
    'postgres://postgres:postgres@localhost:5432/db',
    'https://user:${PASSWORD}@host/',
    'https://user:<password>@host/',
    'https://user:****@host/',
    'http://host:8080/path@x',
    'git@github.com:owner/repo.git',
    'ssh://git@github.com:22/owner/repo',
    'cvs://:pserver:anoncvs@sources.example.org:/cvs',
    'mailto:someone@example.com',
  ])('not %s', (text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('basic-auth (curl)', () => {
  it.each([
    (p: string) => `curl -u admin:${p} https://api.example.com`,
    (p: string) => `curl --user 'deploy:${p}' https://api.example.com`,
    (p: string) => `curl -s --user "j.smith:${p}" "https://api.example.com/me"`,
    (p: string) => `curl --user kevin:'${p}' -X PATCH`,
    (p: string) => `curl -u=api:${p}`,
  ])('%#', (build) => {
    const password = `${rnd(14)}!7`;
    const text = build(password);
    expect(scan(text).some((f) => f.rule === 'basic-auth' && text.slice(f.start, f.end).includes(password))).toBe(true);
  });

  it.each(['curl -u "$USER:$PASS" https://x', 'curl -u user https://x', 'curl -u admin:admin https://x', 'sort -u file.txt', 'tar --user root'])('not %s', (text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('authorization-header', () => {
  it.each([
    (t: string) => `curl -H "Authorization: Bearer ${t}" https://api.example.com`,
    (t: string) => `Authorization: token ${t}`,
    (t: string) => `authorization: 'Basic ${t}'`,
    (t: string) => `headers: { Authorization: \`Bearer ${t}\` }`,
    (t: string) => `Proxy-Authorization: Basic ${t}`,
    (t: string) => `{"Authorization":"Bot ${t}"}`,
    (t: string) => `Authorization: ${t}`,
    (t: string) => `received bearer ${t} from the client`,
  ])('%#', (build) => {
    const token = `${rnd(30, BASE64)}9x`;
    const text = build(token);
    expect(scan(text).some((f) => f.rule === 'authorization-header' && text.slice(f.start, f.end) === token)).toBe(true);
  });

  it('a JWT bearer token', () => {
    const jwt = fakeJwt();
    expect(found(`Authorization: Bearer ${jwt}`)).toEqual([['authorization-header', jwt]]);
  });

  it.each([
    'Authorization: Bearer ${TOKEN}',
    'Authorization: Bearer <token>',
    'Authorization: Bearer $GITHUB_TOKEN',
    'authorization: "token 0000000000000000000000000000000000000001"',
    'Authorization: required',
    'The Bearer token is sent in the Authorization header.',
    'authorization: Basic',
    'Use bearer authentication for all requests.',
  ])('not %s', (text) => {
    expect(scan(text)).toEqual([]);
  });
});

describe('kubernetes-secret', () => {
  const value = () => Buffer.from(rnd(20, ALNUM)).toString('base64');

  it('values under data: and stringData:, not the metadata', () => {
    const a = value();
    const b = `${rnd(16)}7`;
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-user-pass\ntype: Opaque\ndata:\n  # the password\n  password: ${a}\n  username: "${value()}"\nstringData:\n  token: ${b}\n`;
    const values = found(yaml).map(([, v]) => v);
    expect(values).toContain(a);
    expect(values).toContain(b);
    expect(values).not.toContain('db-user-pass');
  });

  it('kind after data, tab indents, lower-case kind, block scalars', () => {
    const a = value();
    const block = rnd(60, BASE64);
    const yaml = `apiVersion: v1\ndata:\n\textra: ${a}\n\t.dockerconfigjson: |\n\t\t${block}\nkind: secret\n`;
    const values = found(yaml).map(([, v]) => v);
    expect(values).toContain(a);
    expect(values.some((v) => v.includes(block))).toBe(true);
  });

  it('only inside the Secret document of a multi-document file', () => {
    const a = value();
    const yaml = `kind: ConfigMap\ndata:\n  color: ${value()}\n---\nkind: Secret\ndata:\n  key: ${a}\n`;
    expect(found(yaml)).toEqual([['kubernetes-secret', a]]);
  });

  it.each([
    ['a ConfigMap', `kind: ConfigMap\ndata:\n  key: ${Buffer.from('some value').toString('base64')}\n`],
    ['empty values and templates', 'kind: Secret\ndata:\n  a: ""\n  b: \'\'\n  c: {{ .Values.c }}\n'],
  ])('not %s', (_name, yaml) => {
    expect(scan(yaml)).toEqual([]);
  });
});

describe('netrc', () => {
  it('the password of a machine entry', () => {
    const password = `${rnd(20)}1`;
    expect(found(`machine github.com login octocat password ${password}\n`)).toEqual([['password', password]]);
  });

  it.each(['machine example.com login anonymous password anonymous', 'machine example.com login me password ${TOKEN}'])('not %s', (text) => {
    expect(scan(text)).toEqual([]);
  });
});
