import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import type { Scanner } from './types.js';
import { isPlaceholder } from './valueChecks.js';

// secretlint's profiler calls performance.mark() for every rule on every text and never clears the
// global entry buffer: over a large envelope that grows without bound (the process ran out of heap
// at 10,000 findings). Nothing here reads the profile.
secretLintProfiler.setEnabled(false);

type Config = Parameters<typeof lintSource>[0]['options']['config'];

const PREFIX = '@secretlint/secretlint-rule-';

/**
 * The recommended preset's rules, registered one by one: AWS key-ID scanning on, and the comment
 * filter left out (its `secretlint-disable` comments would let the text being checked switch the
 * check off; `disabled` is not honoured for rules inside a preset in secretlint 13).
 */
export const secretlintConfig = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== `${PREFIX}filter-comments`)
    .map((rule) => ({ id: rule.meta.id, rule, ...(rule.meta.id === `${PREFIX}aws` ? { options: { enableIDScanRule: true } } : {}) })),
} as unknown as Config;

/** secretlint rule (after the prefix) → our rule name, so that counts read the same whoever found it. */
const NAMES: Record<string, string> = {
  privatekey: 'private-key',
  github: 'github-token',
  gitlab: 'gitlab-token',
  npm: 'npm-token',
  aws: 'aws-access-key',
  gcp: 'google-api-key',
  slack: 'slack-token',
  openai: 'openai-key',
  anthropic: 'anthropic-key',
  basicauth: 'url-credentials',
  'database-connection-string': 'url-credentials',
  stripe: 'stripe-key',
  sendgrid: 'sendgrid-key',
  shopify: 'shopify-token',
  huggingface: 'huggingface-token',
  '1password': 'onepassword-token',
  'hashicorp-vault': 'vault-token',
};

/** secretlint's name for a rule → ours: mapped, else its own short name (`figma`, `linear`, …). */
export function secretlintRuleName(ruleId: string, messageId?: string): string {
  const short = ruleId.startsWith(PREFIX) ? ruleId.slice(PREFIX.length) : ruleId;
  if (short === 'aws' && messageId && /SECRET/i.test(messageId)) return 'aws-secret-key';
  if (short === 'aws' && messageId && /ACCOUNT/i.test(messageId)) return 'aws-account-id';
  return NAMES[short] ?? short.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

/**
 * Documentation placeholders secretlint reports (`ghp_PersonalAccessToken01245678900000000`): one
 * character 8 times in a row, `xxxx`. Real tokens are random; PEM blocks are left to their own check.
 */
function isFake(found: string): boolean {
  if (found.includes('-----BEGIN')) return false;
  if (/(.)\1{7,}|xxxx|XXXX/.test(found.replace(/^[A-Za-z]+[_-]/, ''))) return true;
  // `https://user:pass@host`, `postgres://postgres:postgres@db`: placeholder credentials.
  const userinfo = /:\/\/([^\s:/@]*):([^\s/@]*)@/.exec(found);
  return userinfo !== null && (isPlaceholder(userinfo[2]!) || userinfo[1] === userinfo[2]);
}

/**
 * The recommended secretlint rules. Only each message's rule and range leave this function, never
 * its text, so `maskSecrets` stays off: masking rewrites every message after the duplicate filter
 * and changes no range, and on token-dense text it cost about 5% of a plan (a test holds the ranges
 * equal either way).
 */
export const secretlintScanner: Scanner = async (text) => {
  const result = await lintSource({
    source: { content: text, filePath: 'redact.txt', ext: '.txt', contentType: 'text' },
    options: { config: secretlintConfig, maskSecrets: false, noPhysicFilePath: true },
  });
  return result.messages
    .map((message) => ({ rule: secretlintRuleName(message.ruleId, message.messageId), start: message.range[0], end: message.range[1] }))
    .filter((finding) => !isFake(text.slice(finding.start, finding.end)));
};
