import { Buffer } from 'node:buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { ALNUM, BASE64, BASE64URL, HEX, LOWER_DIGITS, UPPER_DIGITS, fakeJwt, reseed, rnd, uuid } from './fakeTokens.testing.js';
import { createPatternScanner } from './patternScanner.js';
import { notRepeated, tokenRules } from './tokenRules.js';
import type { SecretFinding } from './types.js';

const scanner = createPatternScanner(tokenRules);
const scan = (text: string) => scanner(text, Number.POSITIVE_INFINITY) as SecretFinding[];

/** The findings of `rule` that cover `secret` inside `text` entirely. */
function covers(text: string, secret: string, rule: string): boolean {
  const start = text.indexOf(secret);
  return scan(text).some((f) => f.rule === rule && f.start <= start && f.end >= start + secret.length);
}

beforeEach(() => reseed());

/** [rule, secret, text around it (`$` marks the secret), texts that must give no finding of the rule]. */
type Case = [rule: string, secret: () => string, context: string, negatives: () => string[]];

const cases: Case[] = [
  ['github-token', () => `ghp_${rnd(36)}`, 'token: $', () => [`ghp_${rnd(30)}`, `xghp_${rnd(36)}`, 'ghp_PersonalAccessToken01245678900000000', `ghp_${'x'.repeat(36)}`]],
  ['github-token', () => `gho_${rnd(36)}`, 'export GH_TOKEN=$', () => [`gho-${rnd(36)}`]],
  ['github-token', () => `ghu_${rnd(36)}`, '"$"', () => [`ghu_${rnd(12)}`]],
  ['github-token', () => `ghr_${rnd(76)}`, '$', () => [`ghr_${rnd(20)}`]],
  ['github-token', () => `ghs_${rnd(36)}`, 'https://x-access-token:$@github.com/o/r.git', () => [`ghs_${rnd(35)}`]],
  ['github-token', () => `ghs_2861492_${fakeJwt()}`, 'GITHUB_TOKEN=$', () => ['ghs_123.abc.def']],
  ['github-token', () => `github_pat_${rnd(22)}_${rnd(59)}`, 'pat = "$"', () => [`github_pat_${rnd(10)}`]],
  ['gitlab-token', () => `glpat-${rnd(20, `${ALNUM}_-`)}`, 'PRIVATE-TOKEN: $', () => ['glpat-short', `glpat_${rnd(20)}`]],
  ['gitlab-token', () => `glrt-${rnd(27)}.01${rnd(7, LOWER_DIGITS)}`, '$', () => ['glrt-']],
  ['gitlab-token', () => `GR1348941${rnd(20)}`, '$', () => ['GR1348941abc']],
  ['gitlab-token', () => rnd(32, LOWER_DIGITS), 'Cookie: _gitlab_session=$', () => ['_gitlab_session=abc']],
  ['npm-token', () => `npm_${rnd(36)}`, '//registry.npmjs.org/:_authToken=$', () => [`npm_${rnd(20)}`, `npm_${rnd(36)}x_y`]],
  ['pypi-token', () => `pypi-AgEIcHlwaS5vcmc${rnd(60, BASE64URL)}`, 'password = $', () => ['pypi-AgEshort']],
  ['rubygems-token', () => `rubygems_${rnd(48, HEX)}`, '$', () => [`rubygems_${rnd(20, HEX)}`]],
  ['docker-token', () => `dckr_pat_${rnd(27, BASE64URL)}`, '$', () => ['dckr_pat_abc']],
  ['clojars-token', () => `CLOJARS_${rnd(60, LOWER_DIGITS)}`, '$', () => [`CLOJARS_${rnd(20, LOWER_DIGITS)}`]],
  ['aws-access-key', () => `AKIA${rnd(16, UPPER_DIGITS)}`, 'aws_access_key_id = $', () => ['AKIAIOSFODNN7EXAMPLE', `AKIA${rnd(12, UPPER_DIGITS)}`, `XAKIA${rnd(16, UPPER_DIGITS)}`]],
  ['aws-access-key', () => `ASIA${rnd(16, UPPER_DIGITS)}`, '$', () => [`ASIA${rnd(16, UPPER_DIGITS)}9`]],
  ['aws-bedrock-key', () => `ABSK${rnd(120, BASE64)}=`, '$', () => [`ABSK${rnd(40)}`]],
  ['aws-bedrock-key', () => `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${rnd(80, BASE64)}`, '$', () => ['bedrock-api-key-']],
  ['slack-token', () => `xoxb-${rnd(12, '0123456789')}-${rnd(13, '0123456789')}-${rnd(24)}`, 'SLACK_BOT_TOKEN=$', () => ['xoxb-your-token-here', 'xoxb-xxxxxxxxxx']],
  ['slack-token', () => `xoxp-${rnd(12, '0123456789')}-${rnd(12, '0123456789')}-${rnd(13, '0123456789')}-${rnd(32, HEX)}`, '$', () => ['xoxp-']],
  ['slack-token', () => `xapp-1-A${rnd(10, UPPER_DIGITS)}-${rnd(13, '0123456789')}-${rnd(64, HEX)}`, '$', () => ['xapp-']],
  ['slack-token', () => `xoxe.xoxp-1-${rnd(150)}`, '$', () => ['xoxe.']],
  ['slack-webhook', () => `https://hooks.slack.com/services/T${rnd(8, UPPER_DIGITS)}/B${rnd(8, UPPER_DIGITS)}/${rnd(24)}`, 'url: $', () => ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX']],
  ['stripe-key', () => `sk_live_${rnd(24)}`, 'STRIPE_KEY=$', () => [`pk_live_${rnd(24)}`, `pk_test_${rnd(24)}`, 'sk_live_short', `xsk_live_${rnd(24)}`]],
  ['stripe-key', () => `rk_test_${rnd(99)}`, '$', () => [`rk_test_${rnd(23)}`]],
  ['stripe-key', () => `whsec_${rnd(32)}`, '$', () => ['whsec_abc']],
  ['anthropic-key', () => `sk-ant-api03-${rnd(93, BASE64URL)}AA`, 'ANTHROPIC_API_KEY=$', () => ['sk-ant-api03-short', `sk-ant-${rnd(40)}`]],
  ['anthropic-key', () => `sk-ant-admin01-${rnd(93, BASE64URL)}AA`, '$', () => ['sk-ant-admin01-']],
  ['openai-key', () => `sk-proj-${rnd(74, BASE64URL)}T3BlbkFJ${rnd(74, BASE64URL)}`, 'OPENAI_API_KEY=$', () => [`sk-${rnd(48)}`]],
  ['openai-key', () => `sk-${rnd(20)}T3BlbkFJ${rnd(20)}`, '$', () => [`sk-${rnd(4)}T3BlbkFJ${rnd(4)}`]],
  ['google-api-key', () => `AIza${rnd(35, `${ALNUM}_-`)}`, 'key=$', () => [`AIza${rnd(20)}`]],
  ['google-client-secret', () => `GOCSPX-${rnd(28, BASE64URL)}`, '$', () => ['GOCSPX-short']],
  ['google-oauth-token', () => `ya29.${rnd(120, BASE64URL)}`, 'Bearer $', () => ['ya29.abc']],
  ['google-oauth-token', () => `1//0${rnd(60, BASE64URL)}`, '"refresh_token": "$"', () => ['1//0abc']],
  ['google-service-account', () => 'service_account', '{ "type": "$", "project_id": "p" }', () => ['{ "kind": "service_account" }']],
  ['jwt', () => fakeJwt(), 'id_token=$&state=1', () => ['eyJhbGciOiJIUzI1NiJ9', 'eyJhbGciOiJIUzI1NiJ9.e30']],
  ['jwt', () => `${fakeJwt().split('.').slice(0, 2).join('.')}.`, 'unsigned: $', () => []],
  ['azure-key', () => `${rnd(76, BASE64)}+ASt${rnd(5, BASE64)}A==`, 'key: $', () => [`${rnd(76, BASE64)}+ASx${rnd(5, BASE64)}A==`]],
  ['azure-key', () => rnd(86, BASE64), 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=$==;EndpointSuffix=core.windows.net', () => ['AccountKey=<your-key>', 'AccountKey=xxxxxxxxxxxxxxxxxxxxxxxxxx']],
  ['azure-key', () => rnd(44, BASE64), 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=$=', () => ['SharedAccessKey=${KEY}']],
  ['azure-sas-token', () => `${rnd(43, `${ALNUM}%`)}%3D`, 'https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2026-01-01&spr=https&sig=$', () => ['https://x/?sig=abc']],
  ['azure-client-secret', () => `${rnd(3)}8Q~${rnd(34, `${ALNUM}_~.-`)}`, 'AZURE_CLIENT_SECRET=$', () => [`${rnd(3)}8Q~${rnd(10)}`]],
  ['azure-devops-token', () => `${rnd(52)}JQQJ99${rnd(26)}AZDO${rnd(4)}`, '$', () => [`${rnd(52)}JQQJ99${rnd(26)}ABCD${rnd(4)}`]],
  ['azure-credential', () => uuid(), 'AZURE_CLIENT_ID=$', () => [`client_id=${uuid()}`, `"requestId": "${uuid()}"`, uuid()]],
  ['azure-credential', () => uuid(), 'ARM_TENANT_ID: "$"', () => [`tenant: ${uuid()}`]],
  ['huggingface-token', () => `hf_${rnd(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`, '$', () => ['hf_abc']],
  ['sendgrid-key', () => `SG.${rnd(22, BASE64URL)}.${rnd(43, BASE64URL)}`, '$', () => [`SG.${rnd(10)}.${rnd(10)}`]],
  ['twilio-key', () => `SK${rnd(32, HEX)}`, '$', () => [`SK${'0'.repeat(32)}`]],
  ['mailgun-key', () => `key-${rnd(32, HEX)}`, '$', () => ['key-abc']],
  ['mailchimp-key', () => `${rnd(32, HEX)}-us14`, '$', () => [`${rnd(20, HEX)}-us14`]],
  ['shopify-token', () => `shpat_${rnd(32, HEX)}`, '$', () => ['shpat_abc']],
  ['digitalocean-token', () => `dop_v1_${rnd(64, HEX)}`, '$', () => ['dop_v1_abc']],
  ['doppler-token', () => `dp.pt.${rnd(43, LOWER_DIGITS)}`, '$', () => ['dp.pt.abc']],
  ['databricks-token', () => `dapi${rnd(32, HEX)}`, '$', () => ['dapi123']],
  ['vault-token', () => `hvs.${rnd(90, BASE64URL)}`, 'VAULT_TOKEN=$', () => ['hvs.short']],
  ['vault-token', () => `s.${rnd(24)}`, 'token: $', () => ['s.getElementsByTagName', 'items.forEachSomethingLonger']],
  ['terraform-token', () => `${rnd(14, LOWER_DIGITS)}.atlasv1.${rnd(67, LOWER_DIGITS)}`, '$', () => ['abc.atlasv1.def']],
  ['pulumi-token', () => `pul-${rnd(40, HEX)}`, '$', () => ['pul-abc']],
  ['postman-token', () => `PMAK-${rnd(24, HEX)}-${rnd(34, HEX)}`, '$', () => ['PMAK-abc']],
  ['linear-key', () => `lin_api_${rnd(40)}`, '$', () => ['lin_api_abc']],
  ['notion-token', () => `ntn_${rnd(11, '0123456789')}${rnd(35)}`, '$', () => ['ntn_abc', 'secret_sauce']],
  ['figma-token', () => `figd_${rnd(40, BASE64URL)}`, '$', () => ['figd_abc']],
  ['atlassian-token', () => `ATATT3${rnd(180, `${ALNUM}_=-`)}`, '$', () => ['ATATT3abc']],
  ['sentry-token', () => `sntrys_${rnd(80, BASE64)}`, '$', () => ['sntrys_abc']],
  ['grafana-token', () => `glsa_${rnd(32)}_${rnd(8, HEX)}`, '$', () => ['glsa_abc']],
  ['flyio-token', () => `fm2_${rnd(120, BASE64)}`, '$', () => ['fm2_abc']],
  ['tailscale-key', () => `tskey-auth-${rnd(10)}-${rnd(30)}`, '$', () => ['tskey-auth-abc']],
  ['vercel-token', () => `vcp_${rnd(40)}`, '$', () => ['vcp_abc']],
  ['groq-key', () => `gsk_${rnd(52)}`, '$', () => ['gsk_abc']],
  ['perplexity-key', () => `pplx-${rnd(48)}`, '$', () => ['pplx-abc']],
  ['xai-key', () => `xai-${rnd(80)}`, '$', () => ['xai-abc']],
  ['replicate-token', () => `r8_${rnd(37)}`, '$', () => ['r8_abc']],
  ['cloudflare-token', () => `cfat_${rnd(48, BASE64URL)}`, '$', () => ['cfat_abc']],
  ['cloudflare-token', () => `v1.0-${rnd(24, HEX)}-${rnd(146, HEX)}`, '$', () => ['v1.0-abc']],
  ['heroku-key', () => `HRKU-${rnd(60, BASE64URL)}`, '$', () => ['HRKU-abc']],
  ['onepassword-token', () => `ops_eyJ${rnd(200, BASE64)}`, '$', () => ['ops_eyJabc']],
  ['onepassword-token', () => `A3-${rnd(6, UPPER_DIGITS)}-${rnd(6, UPPER_DIGITS)}-${rnd(5, UPPER_DIGITS)}-${rnd(5, UPPER_DIGITS)}-${rnd(5, UPPER_DIGITS)}-${rnd(5, UPPER_DIGITS)}`, '$', () => ['A3-ABC']],
  ['square-token', () => `sq0atp-${rnd(22, BASE64URL)}`, '$', () => ['sq0atp-abc']],
  ['square-token', () => `EAAA${rnd(60)}`, '$', () => [`QUFBEAAA${'A'.repeat(80)}`]],
  ['facebook-token', () => `EAA${rnd(120)}`, 'fb=$', () => [`/EAAAAAAAAAAAAAAAAAAAA${rnd(100, BASE64)}`]],
  ['facebook-token', () => `${rnd(15, '0123456789')}|${rnd(27, BASE64URL)}`, 'access_token=$', () => ['| a | b | c |', '123|abc']],
  ['twitter-token', () => `${'A'.repeat(22)}${rnd(10)}%2B${rnd(40)}%3D${rnd(50)}`, 'BEARER=$', () => ['A'.repeat(60)]],
  ['discord-webhook', () => rnd(68, BASE64URL), 'https://discord.com/api/webhooks/123456789012345678/$', () => ['https://discord.com/api/webhooks/1/abc']],
  ['teams-webhook', () => `${uuid()}@${uuid()}/IncomingWebhook/${rnd(32, HEX)}/${uuid()}`, 'https://contoso.webhook.office.com/webhookb2/$', () => ['https://contoso.webhook.office.com/webhookb2/abc']],
  ['shippo-token', () => `shippo_live_${rnd(40, HEX)}`, '$', () => ['shippo_live_abc']],
  ['easypost-token', () => `EZAK${rnd(54)}`, '$', () => ['EZAKabc']],
  ['duffel-token', () => `duffel_test_${rnd(43, BASE64URL)}`, '$', () => ['duffel_test_abc']],
  ['flutterwave-key', () => `FLWSECK_TEST-${rnd(32, 'abcdefgh0123456789')}-X`, '$', () => ['FLWSECK_TEST-abc-X']],
  ['frameio-token', () => `fio-u-${rnd(64, BASE64URL)}`, '$', () => ['fio-u-abc']],
  ['defined-networking-token', () => `dnkey-${rnd(26, LOWER_DIGITS)}-${rnd(52, LOWER_DIGITS)}`, '$', () => ['dnkey-abc']],
  ['dynatrace-token', () => `dt0c01.${rnd(24, UPPER_DIGITS)}.${rnd(64, UPPER_DIGITS)}`, '$', () => ['dt0c01.ABC']],
  ['readme-token', () => `rdme_${rnd(70, LOWER_DIGITS)}`, '$', () => ['rdme_abc']],
  ['prefect-token', () => `pnu_${rnd(36)}`, '$', () => ['pnu_abc']],
  ['scalingo-token', () => `tk-us-${rnd(48, BASE64URL)}`, '$', () => ['tk-us-abc']],
  ['brevo-key', () => `xkeysib-${rnd(64, HEX)}-${rnd(16)}`, '$', () => ['xkeysib-abc']],
  ['settlemint-token', () => `sm_pat_${rnd(16)}`, '$', () => ['sm_pat_abc']],
  ['sourcegraph-token', () => `sgp_${rnd(16, HEX)}_${rnd(40, HEX)}`, '$', () => ['sgp_abc']],
  ['sonar-token', () => `squ_${rnd(40, HEX)}`, '$', () => ['squ_abc']],
  ['typeform-token', () => `tfp_${rnd(59, BASE64URL)}`, '$', () => ['tfp_abc']],
  ['newrelic-key', () => `NRAK-${rnd(27, UPPER_DIGITS)}`, '$', () => ['NRAK-ABC']],
  ['openshift-token', () => `sha256~${rnd(43, BASE64URL)}`, '$', () => ['sha256~abc']],
  ['infracost-token', () => `ico-${rnd(32)}`, '$', () => ['ico-abc']],
  ['harness-token', () => `pat.${rnd(22, BASE64URL)}.${rnd(24, HEX)}.${rnd(20)}`, '$', () => ['pat.abc.def']],
  ['planetscale-token', () => `pscale_tkn_${rnd(43, BASE64URL)}`, '$', () => ['pscale_tkn_abc']],
  ['artifactory-token', () => `AKCp${rnd(69)}`, '$', () => ['AKCpabc']],
  ['alibaba-key', () => `LTAI${rnd(20)}`, '$', () => ['LTAIabc']],
  ['adobe-secret', () => `p8e-${rnd(32)}`, '$', () => ['p8e-abc']],
  ['airtable-token', () => `pat${rnd(14)}.${rnd(64, HEX)}`, '$', () => ['path.to.file']],
  ['authress-key', () => `sc_${rnd(10, LOWER_DIGITS)}.${rnd(5, LOWER_DIGITS)}.acc_${rnd(20, LOWER_DIGITS)}.${rnd(60, LOWER_DIGITS)}`, '$', () => ['sc_abc.def.acc_x.y']],
  ['maxmind-key', () => `${rnd(6)}_${rnd(29)}_mmk`, '$', () => ['abc_def_mmk']],
  ['octopus-key', () => `API-${rnd(26, UPPER_DIGITS)}`, '$', () => ['API-KEY', `API-${'A'.repeat(26)}`]],
  ['lob-key', () => `live_${rnd(35, HEX)}`, '$', () => ['live_abc']],
  ['yandex-key', () => `AQVN${rnd(36, BASE64URL)}`, '$', () => ['AQVNabc']],
  ['intra42-secret', () => `s-s4t2ud-${rnd(64, HEX)}`, '$', () => ['s-s4t2ud-abc']],
  ['discord-token', () => `${Buffer.from(rnd(18, '0123456789')).toString('base64url')}.${rnd(6, BASE64URL)}.${rnd(38, BASE64URL)}`, 'DISCORD_TOKEN=$', () => ['MTIz.abc.def', `NT${rnd(22)}.${rnd(6)}.${'a'.repeat(30)}`]],
  ['twilio-key', () => `AC${rnd(32, HEX)}`, 'TWILIO_ACCOUNT_SID=$', () => [`AC${'0'.repeat(32)}`, `ACE${rnd(32, HEX)}`]],
  ['telegram-token', () => `${rnd(10, '0123456789')}:AA${rnd(33, BASE64URL)}`, 'bot$', () => [`12:AA${rnd(33)}`, 'time 12345678:AA']],
  ['dropbox-token', () => `sl.${rnd(140, BASE64URL)}`, '$', () => ['sl.short']],
  ['mapbox-token', () => `sk.eyJ${rnd(60, BASE64URL)}.${rnd(22, BASE64URL)}`, '$', () => [`pk.eyJ${rnd(60, BASE64URL)}.${rnd(22, BASE64URL)}`]],
  ['contentful-token', () => `CFPAT-${rnd(43, BASE64URL)}`, '$', () => ['CFPAT-abc']],
  ['supabase-key', () => `sbp_${rnd(40, HEX)}`, '$', () => ['sbp_abc', `sb_publishable_${rnd(30)}`]],
  ['supabase-key', () => `sb_secret_${rnd(31, BASE64URL)}`, '$', () => ['sb_secret_abc']],
  ['posthog-key', () => `phx_${rnd(47)}`, '$', () => ['phx_abc']],
  ['nuget-key', () => `oy2${rnd(43, LOWER_DIGITS)}`, '$', () => ['oy2abc']],
  ['adafruit-key', () => `aio_${rnd(28)}`, '$', () => ['aio_abc']],
  ['deno-token', () => `ddp_${rnd(36)}`, '$', () => ['ddp_abc']],
  ['buildkite-token', () => `bkua_${rnd(40, HEX)}`, '$', () => ['bkua_abc']],
  ['circleci-token', () => `CCIPAT_${rnd(22)}_${rnd(40, HEX)}`, '$', () => ['CCIPAT_abc']],
  ['plaid-token', () => `access-sandbox-${uuid()}`, '$', () => ['access-sandbox-abc']],
  ['braintree-token', () => `access_token$production$${rnd(16, LOWER_DIGITS)}$${rnd(32, HEX)}`, '$', () => ['access_token$production$abc']],
  ['firebase-key', () => `AAAA${rnd(7, BASE64URL)}:APA91b${rnd(134, BASE64URL)}`, '"$"', () => ['AAAA:APA91b']],
  ['aws-session-token', () => `FwoGZXIvYXdzE${rnd(300, BASE64)}`, 'aws_session_token = $', () => ['FwoGZXIvYXdzEabc']],
  ['bundler-credentials', () => `${rnd(8, HEX)}:${rnd(8, HEX)}`, 'BUNDLE_ENTERPRISE__CONTRIBSYS__COM=$', () => ['BUNDLE_GEMS__EXAMPLE__COM=user:${PASSWORD}']],
  ['bundler-credentials', () => `${rnd(8, HEX)}:${rnd(8, HEX)}`, '<BUNDLE_GEMS__CONTRIBSYS__COM>\n  $\n</BUNDLE_GEMS__CONTRIBSYS__COM>', () => []],
];

describe('token rules', () => {
  it.each(cases.map((c, i) => [i, ...c] as const))('#%i %s: positive', (_i, rule, secret, context) => {
    const value = secret();
    const text = `before ${context.replace('$', value)} after`;
    expect(covers(text, value, rule)).toBe(true);
  });

  it.each(cases.map((c, i) => [i, ...c] as const))('#%i %s: negatives', (_i, rule, _secret, _context, negatives) => {
    for (const negative of negatives()) {
      expect(scan(`before ${negative} after`).filter((f) => f.rule === rule), negative).toEqual([]);
    }
  });

  it('every rule has cases', () => {
    const tested = new Set(cases.map(([rule]) => rule));
    for (const rule of tokenRules) expect(tested, rule.name).toContain(rule.name);
  });

  it('finds tokens after astral characters at their JavaScript string offsets', () => {
    const token = `ghp_${rnd(36)}`;
    const text = `😀🎉 𝒳 ${token}`;
    expect(scan(text)).toEqual([{ rule: 'github-token', start: text.indexOf(token), end: text.indexOf(token) + token.length }]);
  });

  it('finds a token inside URL-encoded text and base64 neighbours without crossing their runs', () => {
    const token = `npm_${rnd(36)}`;
    expect(covers(`a=${encodeURIComponent(token)}&b`, token, 'npm-token')).toBe(true);
    const blob = Buffer.from(rnd(200)).toString('base64');
    expect(scan(blob)).toEqual([]);
  });
});

describe('notRepeated', () => {
  it.each([
    ['ghp_PersonalAccessToken01245678900000000', false],
    [`ghp_${'x'.repeat(36)}`, false],
    ['sk_live_****************************', false],
    ['ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5', true],
  ])('%s → %s', (value, expected) => {
    expect(notRepeated(value)).toBe(expected);
  });
});

describe('ordinary text', () => {
  it.each([
    ['a git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a UUID', `request ${uuid()} done`],
    ['an integrity hash', `"integrity": "sha512-${Buffer.from(rnd(64)).toString('base64')}"`],
    ['an Actions expression', 'token: ${{ secrets.GITHUB_TOKEN }}'],
    ['a publishable Stripe key', `pk_live_${rnd(24)}`],
    ['base64 data', `data:image/png;base64,${Buffer.from(rnd(300, HEX)).toString('base64')}`],
    ['Markdown table', '| a | b |\n|---|---|\n| 1 | 2 |'],
  ])('%s', (_name, text) => {
    expect(scan(text)).toEqual([]);
  });
});
