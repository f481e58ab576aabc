import { describe, expect, it } from 'vitest';
import { ALNUM, reseed, rnd } from './fakeTokens.testing.js';
import { secretlintRuleName, secretlintScanner } from './secretlintScanner.js';
import type { SecretFinding } from './types.js';

const scan = async (text: string) => (await secretlintScanner(text, Infinity)) as SecretFinding[];

describe('secretlintScanner', () => {
  it('reports exact ranges under our rule names', async () => {
    reseed(3);
    const token = `ghp_${rnd(36, ALNUM)}`;
    const text = `😀 token ${token} end`;
    const findings = await scan(text);
    expect(findings).toContainEqual({ rule: 'github-token', start: text.indexOf(token), end: text.indexOf(token) + token.length });
  });

  it('finds AWS access key IDs (ID scanning on)', async () => {
    const id = `AKIA${'QWERTYUIOPASDFGH'}`;
    const findings = await scan(`aws_access_key_id = ${id}\n`);
    expect(findings.some((f) => f.rule.startsWith('aws'))).toBe(true);
  });

  it('cannot be switched off from inside the text', async () => {
    reseed(5);
    const token = `ghp_${rnd(36, ALNUM)}`;
    const findings = await scan(`// secretlint-disable\n${token}\n// secretlint-enable\n${token} // secretlint-disable-line`);
    expect(findings.filter((f) => f.rule === 'github-token')).toHaveLength(2);
  });

  it('drops documentation placeholders and placeholder credentials', async () => {
    expect(await scan('ghp_PersonalAccessToken01245678900000000')).toEqual([]);
    expect(await scan('https://user:pass@github.com/')).toEqual([]);
    expect(await scan('postgres://postgres:postgres@localhost/db')).toEqual([]);
  });

  it('maps rule ids', () => {
    expect(secretlintRuleName('@secretlint/secretlint-rule-privatekey')).toBe('private-key');
    expect(secretlintRuleName('@secretlint/secretlint-rule-basicauth')).toBe('url-credentials');
    expect(secretlintRuleName('@secretlint/secretlint-rule-aws', 'AWSSecretAccessKey')).toBe('aws-secret-key');
    expect(secretlintRuleName('@secretlint/secretlint-rule-figma')).toBe('figma');
    expect(secretlintRuleName('something else')).toBe('something-else');
  });
});
