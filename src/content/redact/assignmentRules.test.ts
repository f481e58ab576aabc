import { beforeEach, describe, expect, it } from 'vitest';
import { assignmentRules } from './assignmentRules.js';
import { HEX, reseed, rnd, uuid } from './fakeTokens.testing.js';
import { mergeFindings } from './mergeFindings.js';
import { createPatternScanner } from './patternScanner.js';
import type { SecretFinding } from './types.js';

const scanner = createPatternScanner(assignmentRules);
const scan = (text: string) => mergeFindings(scanner(text, Number.POSITIVE_INFINITY) as SecretFinding[]);
const found = (text: string): [string, string][] => scan(text).map((f) => [f.rule, text.slice(f.start, f.end)]);

beforeEach(() => reseed(23));

describe('password assignments', () => {
  const pw = () => `${rnd(10)}#4${rnd(2)}`;
  it.each([
    ['.env', (p: string) => `DB_PASSWORD=${p}`],
    ['.env, exported', (p: string) => `export PGPASSWORD=${p}`],
    ['YAML', (p: string) => `  password: ${p}\n  user: app`],
    ['YAML, quoted', (p: string) => `password: "${p}"`],
    ['JSON', (p: string) => `{"user":"app","password":"${p}"}`],
    ['JSON escaped inside a string', (p: string) => `"{\\"password\\":\\"${p}\\"}"`],
    ['INI', (p: string) => `[db]\npasswd = ${p}\n`],
    ['TOML', (p: string) => `pwd = '${p}'`],
    ['properties', (p: string) => `spring.datasource.password=${p}`],
    ['PHP array', (p: string) => `$config['db_pass'] = '${p}';`],
    ['Python keyword argument', (p: string) => `connect(host="db", password="${p}")`],
    ['Go', (p: string) => `dbPassword := "${p}"`],
    ['JavaScript', (p: string) => `const password = \`${p}\`;`],
    ['XML element', (p: string) => `<password>${p}</password>`],
    ['NuGet', (p: string) => `<add key="ClearTextPassword" value="${p}" />`],
    ['command-line flag', (p: string) => `mysql --user=root --password=${p} db`],
    ['passphrase', (p: string) => `GPG_PASSPHRASE: '${p}'`],
    ['a comparison', (p: string) => `if (password === "${p}") {`],
    ['a negated comparison', (p: string) => `if password != '${p}':`],
    ['a connection string', (p: string) => `Server=db;Database=app;Uid=app;Pwd=${p};`],
  ])('%s', (_name, build) => {
    const p = pw();
    expect(found(build(p))).toEqual([['password', p]]);
  });

  it.each([
    ['a variable', 'password=${PASSWORD}'],
    ['a shell variable', 'PASSWORD=$DB_PASSWORD'],
    ['an Actions expression', 'password: ${{ secrets.DB_PASSWORD }}'],
    ['a template', 'password: {{ .Values.password }}'],
    ['an angle-bracket placeholder', 'password: <your-password>'],
    ['changeme', 'password=changeme'],
    ['the word password', '"password": "password"'],
    ['a mask', 'password: ********'],
    ['xxx', 'DB_PASSWORD=xxxxxxxx'],
    ['your-password', 'password: "your-password-here"'],
    ['a TypeScript type', 'password: string;'],
    ['an optional type', '  password?: string | undefined'],
    ['a member', 'password: this.password,'],
    ['a call', 'password = getpass.getpass()'],
    ['an environment lookup', 'password = os.environ["DB_PASSWORD"]'],
    ['a path', 'password_file: /run/secrets/db_password'],
    ['a hash field', 'password_hash: $2b$12$abcdefghijklmnopqrstuv'],
    ['a length setting', 'passwordMinLength: 12'],
    ['a flag', 'use_password: true'],
    ['a question', 'is_password_set: false'],
    ['test logs', 'PASS: addr2line -f option\nPASS: gnu-debuglink (objdump 1)'],
    ['bypass', 'bypass = 1234567890'],
    ['passport', 'passport: strategy-local'],
    ['a file name', '\t* sm/passphrase.c: New file.\n\t* sm/passphrase.h: Likewise.'],
    ['a scope operator', 'strlen_pass::handle_assign (gimple *stmt)'],
    ['prose', 'Set the password: required for production.'],
    ['a C constant', 'readonly STENCIL_PASS_DEPTH_PASS: 0x0B96;'],
    ['a CLI flag with prose', 'Fix regression for non-default --passphrase-repeat option.'],
    ['a value naming itself', 'password: cvs#password:'],
    ['sentence with spaces', '"password": "Please enter your password"'],
  ])('not %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('secret, token and key assignments', () => {
  it.each([
    ['api_key', (v: string) => `API_KEY=${v}`],
    ['apiKey in JSON', (v: string) => `{"apiKey": "${v}"}`],
    ['client_secret', (v: string) => `client_secret: ${v}`],
    ['access token in a query', (v: string) => `https://api.example.com/v1/x?access_token=${v}&page=2`],
    ['a vendor token', (v: string) => `string adafruitToken = "${v}";`],
    ['a Go type between key and value', (v: string) => `var datadogToken string = "${v}"`],
    ['PHP .=', (v: string) => `$vaultToken .= "${v}"`],
    ['?= and ::=', (v: string) => `asana_TOKEN ::= "${v}"`],
    ['setProperty', (v: string) => `System.setProperty("FINNHUB_TOKEN", "${v}")`],
    ['=>', (v: string) => `  "cloudflareToken" => "${v}"`],
    ['XML element on its own line', (v: string) => `<ClickHouseToken>\n    ${v}\n</ClickHouseToken>`],
    ['value in an escaped config file', (v: string) => `{"config.ini": "FASTLY_TOKEN=${v}\\nBACKUP_ENABLED=true"}`],
    ['a header', (v: string) => `curl -H "X-Api-Key: ${v}" https://api.example.com`],
    ['OAUTH_TOKEN (the keyword inside another word)', (v: string) => `SNYK_OAUTH_TOKEN = "${v}"`],
    ['a key named after a service', (v: string) => `HEROKU_KEY = "${v}"`],
    ['a qualified key', (v: string) => `secret_key_base: ${v}`],
    ['an AWS secret', (v: string) => `aws_secret_access_key = ${v}`],
    ['a UUID API key', () => `SNYK_TOKEN=${uuid()}`],
    ['hex', () => `GITHUB_WEBHOOK_SECRET=${rnd(40, HEX)}`],
    ['a C #define', (v: string) => `#define API_TOKEN "${v}"`],
  ])('%s', (_name, build) => {
    const value = `${rnd(24)}7`;
    const text = build(value);
    const findings = found(text);
    expect(findings).toHaveLength(1);
    if (text.includes(value)) expect(findings[0]![1]).toBe(value);
    expect(findings[0]![0]).toBe(/aws_secret/.test(text) ? 'aws-secret-key' : 'generic-secret');
  });

  it.each([
    ['an Actions expression', 'token: ${{ secrets.GITHUB_TOKEN }}'],
    ['an input read', "const token = core.getInput('github-token', { required: true });"],
    ['a type', 'token: string'],
    ['a token type', 'token_type: bearer'],
    ['an endpoint', 'token_url: https://oauth2.example.com/token'],
    ['a secret name', 'secretName: my-app-secret'],
    ['an id', 'api_key_id: 12345'],
    ['counts', 'tokens: 5\nmax_tokens: 4096'],
    ['a short badge token in a URL', '![codecov](https://codecov.io/gh/o/r/graph/badge.svg?token=lWZ9OBQ7GM)'],
    ['words', "const STORAGE_KEY = 'publish-gate:settings:v2';"],
    ['camel words', "'X-TOKEN-SECRET': 'SuperSecretToken'"],
    ['a public key name', `publicKey: "${rnd(40)}"`],
    ['a cache key', `cacheKey = "${rnd(30)}"`],
    ['a websocket key', "'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ=='"],
    ['a fingerprint', 'sig_key: 51:C4:0C:6D:7E:A5:6C:D8:8F:B4:3A:DF:91:78:4F:18:BC:D5:E4:C5'],
    ['URL-encoded words', 'pkcs11:token=Root%20CA%20Certificates;serial=1'],
    ['a parser constant', 'lastSignificantToken = "?NonExpressionParenKeyword";'],
    ['a comparison with a name', 'if (consumer == valid_consumer and token == valid_token):'],
    ['a bare key', `key: ${rnd(30)}`],
    ['an anti-forgery token', `<input type="hidden" name="authenticity_token" value="${rnd(40)}" />`],
    ['a paging token', `"NextToken": "${rnd(60)}"`],
    ['monkey', `monkey = "${rnd(30)}"`],
    ['a version', 'secret_version: 1.2.3'],
    ['other scripts', '"Expected_to_find_a_token_here": "分析器预期在此处找到与标记匹配的内容。"'],
    ['an array of strings', "['GATE_NOT_PASS', 'verification']"],
    ['a path array', "['../etc/passwd', 'src/../../x.ts']"],
  ])('not %s', (_name, text) => {
    expect(found(text)).toEqual([]);
  });
});
