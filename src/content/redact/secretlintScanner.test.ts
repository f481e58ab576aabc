import { lintSource } from '@secretlint/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS, readCorpus } from '../../../scripts/eval-secrets.js';
import { ALNUM, HEX, UPPER_DIGITS, fakePem, reseed, rnd } from './fakeTokens.testing.js';
import { secretlintConfig, secretlintRuleName, secretlintScanner } from './secretlintScanner.js';
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

  describe('masking off changes no message but its text', () => {
    /** Rule, message id and range of every message, with secretlint's masking on or off. */
    const messages = async (text: string, maskSecrets: boolean) =>
      (
        await lintSource({
          source: { content: text, filePath: 'redact.txt', ext: '.txt', contentType: 'text' },
          options: { config: secretlintConfig, maskSecrets, noPhysicFilePath: true },
        })
      ).messages.map((m) => [m.ruleId, m.messageId, m.range[0], m.range[1]]);

    const expectSame = async (text: string) => {
      const masked = await messages(text, true);
      expect(await messages(text, false)).toEqual(masked);
      return masked.length;
    };

    it('on texts of repeated and overlapping tokens of several rules', async () => {
      reseed(11);
      const tokens = [
        `ghp_${rnd(36, ALNUM)}`,
        `AKIA${rnd(16, UPPER_DIGITS)}`,
        `aws_secret_access_key = "${rnd(40, ALNUM)}"`,
        `xoxb-${rnd(11, '0123456789')}-${rnd(12, '0123456789')}-${rnd(24, ALNUM)}`,
        `https://deploy:${rnd(20, ALNUM)}@example.com/repo.git`,
        `sk-ant-api03-${rnd(93, ALNUM)}AA`,
        `npm_${rnd(36, ALNUM)}`,
        fakePem('RSA PRIVATE KEY'),
        `token: ${rnd(40, HEX)}`,
      ];
      let found = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...tokens), fc.constantFrom(' ', '\n', 'see ', '"', '=')), { minLength: 4, maxLength: 40, size: 'max' }), async (pieces) => {
          found += await expectSame(pieces.join(''));
        }),
        { numRuns: 150 },
      );
      expect(found).toBeGreaterThan(500);
    });

    const corpus = readCorpus();
    if (!corpus) console.warn(`secretlintScanner.test.ts: ${DEFAULT_CORPUS} is absent (no /work/shared): masking checked on generated texts only.`);
    it.skipIf(!corpus)('on every text of the secret corpus', async () => {
      let found = 0;
      for (const { text } of corpus!) found += await expectSame(text);
      expect(found).toBeGreaterThan(300);
    });
  });

  it('maps rule ids', () => {
    expect(secretlintRuleName('@secretlint/secretlint-rule-privatekey')).toBe('private-key');
    expect(secretlintRuleName('@secretlint/secretlint-rule-basicauth')).toBe('url-credentials');
    expect(secretlintRuleName('@secretlint/secretlint-rule-aws', 'AWSSecretAccessKey')).toBe('aws-secret-key');
    expect(secretlintRuleName('@secretlint/secretlint-rule-figma')).toBe('figma');
    expect(secretlintRuleName('something else')).toBe('something-else');
  });
});
