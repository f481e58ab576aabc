import { regexRule, type PatternRule } from './patternRule.js';
import { characterClasses, isPlaceholder, shannonEntropy } from './valueChecks.js';

/** Not preceded by a token character: `xsk_live_…`, `foosk-…` are other words. */
const B = '(?<![A-Za-z0-9_])';
/** Not inside a base64 run. */
const B64 = '(?<![A-Za-z0-9_+/-])';
/** Not followed by a token character. */
const E = '(?![A-Za-z0-9_])';

/**
 * Drops documentation placeholders: a random part with one character 8 times in a row
 * (`ghp_PersonalAccessToken01245678900000000`), `xxxx` or `****`. A random 36-character token has 8
 * equal characters in a row with a probability of about 10⁻¹¹.
 */
export function notRepeated(secret: string): boolean {
  const body = secret.replace(/^[A-Za-z]+[_-]/, '');
  return !/^(.)\1*$/.test(body) && !/(.)\1{7,}|xxxx|XXXX|\*{4,}/.test(body);
}

/** A rule tried at `anchors`; `source` (a sticky regular expression's source) starts at the anchor. */
function rule(name: string, anchors: readonly string[], source: string, accept: (secret: string) => boolean = notRepeated): PatternRule {
  return regexRule({ name, anchors, pattern: new RegExp(source, 'dy'), accept: (secret) => accept(secret) });
}

/**
 * A rule whose anchor is inside the token: `before` (matched backwards by a lookbehind) is the part
 * in front of the anchor, `source` the anchor and the rest.
 */
function ruleAfter(name: string, anchors: readonly string[], before: string, source: string, accept: (secret: string) => boolean = notRepeated): PatternRule {
  return regexRule({ name, anchors, pattern: new RegExp(`(?<=(?<pre>${before}))${source}`, 'dy'), accept: (secret) => accept(secret) });
}

const random = (s: string) => notRepeated(s) && shannonEntropy(s) >= 3;

/**
 * Token formats with a distinctive shape (mostly a vendor prefix), each checked by its own rule so
 * that coverage does not depend on secretlint's version. Names are short kebab-case; they appear in
 * `[REDACTED:<rule>]` and in the counts.
 */
export const tokenRules: readonly PatternRule[] = [
  // GitHub: classic (ghp_, gho_, ghu_, ghs_, ghr_), fine-grained PATs, and the stateless installation
  // tokens (`ghs_<app id>_<JWT>`, about 520 characters, with `.`, `_` and `-`).
  rule('github-token', ['ghs_'], `${B}ghs_[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}`),
  rule('github-token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], `${B}gh[pousr]_[A-Za-z0-9_]{36,}`),
  rule('github-token', ['github_pat_'], `${B}github_pat_[A-Za-z0-9_]{36,}`),
  // GitLab personal, project, group, deploy, runner, CI job, SCIM, feed, mail, agent, OAuth tokens.
  rule('gitlab-token', ['glpat-', 'glptt-', 'gldt-', 'glrt-', 'glcbt-', 'glsoat-', 'glffct-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glwt-', 'glsst-'],
    `${B}gl(?:pat|ptt|dt|rt|cbt|soat|ffct|ft|imt|agent|oas|wt|sst)-[A-Za-z0-9_.-]{20,}`),
  rule('gitlab-token', ['GR1348941'], `${B}GR1348941[A-Za-z0-9_-]{20,}`),
  rule('gitlab-token', ['_gitlab_session='], `_gitlab_session=(?<secret>[0-9a-z]{32})`),
  rule('npm-token', ['npm_'], `${B}npm_[A-Za-z0-9]{36,}${E}`),
  rule('pypi-token', ['pypi-AgE'], `${B}pypi-AgE[A-Za-z0-9_-]{50,}`),
  rule('rubygems-token', ['rubygems_'], `${B}rubygems_[a-f0-9]{48}${E}`),
  rule('docker-token', ['dckr_pat_', 'dckr_oat_'], `${B}dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}`),
  rule('clojars-token', ['CLOJARS_'], `${B}CLOJARS_[a-z0-9]{60}${E}`),
  // AWS access key IDs (the documented `…EXAMPLE` keys excepted), Bedrock API keys.
  rule('aws-access-key', ['A3T', 'AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA', 'APKA'],
    `${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}${E}`, (s) => !s.endsWith('EXAMPLE')),
  rule('aws-bedrock-key', ['ABSK'], `${B}ABSK[A-Za-z0-9+/]{100,}={0,2}`),
  rule('aws-bedrock-key', ['bedrock-api-key-'], `${B}bedrock-api-key-[A-Za-z0-9+/=_-]{24,}`),
  // Slack bot, user, app, config, refresh tokens and webhooks.
  rule('slack-token', ['xox', 'xapp-'], `${B}(?:xox[a-z]|xapp|xoxe\\.xox[a-z])-(?=[A-Za-z0-9-]*\\d)[A-Za-z0-9][A-Za-z0-9-]{8,}`),
  rule('slack-webhook', ['hooks.slack.com/'], `hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}`),
  ruleAfter('slack-webhook', ['hooks.slack.com/'], 'https?://', `hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}`),
  // Stripe secret and restricted keys, webhook secrets. Publishable `pk_` keys are public.
  rule('stripe-key', ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'], `${B}(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{24,}${E}`),
  rule('stripe-key', ['whsec_'], `${B}whsec_[A-Za-z0-9+/=]{32,}`),
  // Anthropic (api03, admin01, oat01, …), OpenAI (every key carries `T3BlbkFJ`, base64 of "OpenAI").
  rule('anthropic-key', ['sk-ant-'], `${B}sk-ant-[a-z]{2,8}\\d{2}-[A-Za-z0-9_-]{32,}`),
  ruleAfter('openai-key', ['T3BlbkFJ'], `${B}sk-(?:[A-Za-z0-9]+-)?[A-Za-z0-9_-]{8,}`, `T3BlbkFJ[A-Za-z0-9_-]{8,}`),
  // Google API keys, OAuth client secrets, access and refresh tokens, service-account key files.
  rule('google-api-key', ['AIza'], `${B}AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])`),
  rule('google-client-secret', ['GOCSPX-'], `${B}GOCSPX-[A-Za-z0-9_-]{28}`),
  rule('google-oauth-token', ['ya29.'], `${B}ya29\\.[0-9A-Za-z_-]{30,}`),
  rule('google-oauth-token', ['1//0'], `${B}1//0[0-9A-Za-z_-]{40,}`),
  regexRule({ name: 'google-service-account', anchors: ['service_account'], pattern: /(?<="type"\s{0,20}:\s{0,20}")service_account(?=")/dy }),
  // JSON Web Tokens (signed, unsigned, encrypted), anchored at the `.ey` of the payload.
  ruleAfter('jwt', ['.ey', '.ew'], `${B}e[yw][A-Za-z0-9_-]{8,}={0,2}`, `\\.e[yw][A-Za-z0-9_-]{8,}={0,2}\\.(?:[A-Za-z0-9_-]{2,}={0,2}(?:\\.[A-Za-z0-9_-]+={0,2}){0,2})?`),
  // Azure: storage, Cosmos, Service Bus, … keys (Microsoft's identifiable-secret signatures), DevOps
  // PATs, Entra ID client secrets (`…Q~…`), connection-string keys and SAS signatures.
  ruleAfter('azure-key', ['+ASt', 'ACDb', '+ASb', '+AEh', 'APIM', 'AzFu', 'AzSe', '+ACR', 'AIoT', 'AzCa'], '(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{76}',
    `(?:\\+ASt|ACDb|\\+ASb|\\+AEh|APIM|AzFu|AzSe|\\+ACR|AIoT|AzCa)[A-Za-z0-9+/]{5}[AQgw]==`),
  ruleAfter('azure-devops-token', ['JQQJ9'], '(?<![A-Za-z0-9])[A-Za-z0-9]{52}', `JQQJ9[9DH][A-Za-z0-9]{26}AZDO[A-Za-z0-9]{4}${E}`),
  ruleAfter('azure-client-secret', ['Q~'], '(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\d', `Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
  regexRule({
    name: 'azure-key',
    anchors: ['accountkey', 'sharedaccesskey', 'sharedaccesssignature', 'accesskey', 'primarykey', 'secondarykey'],
    ignoreCase: true,
    pattern: /(?<![A-Za-z])(?:AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|PrimaryKey|SecondaryKey)\s*=\s*(?<secret>[A-Za-z0-9+/%._-]{20,}={0,2})/dyi,
    accept: (secret) => !isPlaceholder(secret) && /\d/.test(secret) && shannonEntropy(secret) >= 3.5,
  }),
  regexRule({
    name: 'azure-sas-token',
    anchors: ['sig='],
    pattern: /(?<=[?&;])sig=(?<secret>[A-Za-z0-9%+/_-]{20,}(?:=|%3[Dd]){0,2})/dy,
    accept: (secret) => !isPlaceholder(secret) && shannonEntropy(secret) >= 3.5,
  }),
  // Azure tenant, client and subscription IDs are not secrets alone, but identify a service principal:
  // redacted only when assigned to such a key. Other UUIDs are never touched.
  regexRule({
    name: 'azure-credential',
    anchors: ['azure', 'arm', 'aad', 'ad_', 'ad-', 'ad.', 'adc', 'adt', 'ads'],
    ignoreCase: true,
    pattern: /(?<![A-Za-z0-9])(?:azure|arm|aad|ad)[_.-]?(?:client|tenant|subscription)[_.-]?id["']?\s*[:=]\s*["']?(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/dyi,
  }),
  // Other services with a distinctive prefix.
  rule('huggingface-token', ['hf_'], `${B}hf_[A-Za-z]{34,}${E}`),
  rule('huggingface-token', ['api_org_'], `${B}api_org_[A-Za-z]{34}${E}`),
  rule('sendgrid-key', ['SG.'], `SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}`),
  rule('twilio-key', ['SK'], `${B}SK[0-9a-fA-F]{32}${E}`, (s) => /[a-f]/i.test(s.slice(2)) && /\d/.test(s.slice(2))),
  rule('mailgun-key', ['key-', 'pubkey-'], `${B}(?:pub)?key-[0-9a-f]{32}${E}`),
  ruleAfter('mailchimp-key', ['-us'], '(?<![A-Za-z0-9_])[0-9a-f]{32}', `-us\\d{1,2}${E}`),
  rule('shopify-token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], `${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32,}${E}`),
  rule('digitalocean-token', ['dop_v1_', 'doo_v1_', 'dor_v1_'], `${B}do[opr]_v1_[a-f0-9]{64}${E}`),
  rule('doppler-token', ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.scim.', 'dp.audit.', 'dp.ct.'], `${B}dp\\.(?:pt|st|sa|scim|audit|ct)\\.[A-Za-z0-9]{40,}${E}`),
  rule('databricks-token', ['dapi'], `${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`),
  rule('vault-token', ['hvs.', 'hvb.', 'hvr.'], `${B}hv[sbr]\\.[A-Za-z0-9_-]{24,}`),
  // Old-style HashiCorp Vault service tokens (`s.` and 24 characters), when they look random.
  rule('vault-token', ['s.'], `${B}s\\.[A-Za-z0-9]{24}${E}`, (s) => characterClasses(s.slice(2)) === 3 && shannonEntropy(s) >= 3.5),
  ruleAfter('terraform-token', ['.atlasv1.'], '(?<![A-Za-z0-9])[A-Za-z0-9]{14}', `\\.atlasv1\\.[A-Za-z0-9_=-]{60,}`),
  rule('pulumi-token', ['pul-'], `${B}pul-[a-f0-9]{40}${E}`),
  rule('postman-token', ['PMAK-'], `${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`),
  rule('linear-key', ['lin_api_', 'lin_oauth_'], `${B}lin_(?:api|oauth)_[A-Za-z0-9]{40}${E}`),
  rule('notion-token', ['secret_', 'ntn_'], `${B}(?:secret_[A-Za-z0-9]{43}|ntn_\\d{11}[A-Za-z0-9]{35})${E}`),
  rule('figma-token', ['figd_'], `${B}figd_[A-Za-z0-9_-]{40,}`),
  rule('atlassian-token', ['ATATT3', 'ATCTT3', 'ATBB'], `${B}(?:(?:ATATT|ATCTT)3[A-Za-z0-9_=-]{100,}|ATBB[A-Za-z0-9]{28,})`),
  rule('sentry-token', ['sntrys_', 'sntryu_'], `${B}sntry[su]_[A-Za-z0-9+/=_-]{40,}`),
  rule('grafana-token', ['glc_', 'glsa_', 'eyJrIjoi'], `${B}(?:glc_[A-Za-z0-9+/]{32,}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9+/]{50,}={0,2})`),
  rule('flyio-token', ['fm1', 'fm2', 'fo1_'], `${B}(?:fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}|fo1_[A-Za-z0-9_-]{40,})`),
  rule('tailscale-key', ['tskey-'], `${B}tskey-[a-z]+-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}`),
  rule('vercel-token', ['vcp_', 'vci_', 'vck_', 'vca_', 'vcr_'], `${B}vc[pikar]_[A-Za-z0-9]{40,}${E}`),
  rule('groq-key', ['gsk_'], `${B}gsk_[A-Za-z0-9]{48,}${E}`),
  rule('perplexity-key', ['pplx-'], `${B}pplx-[A-Za-z0-9]{48}${E}`),
  rule('xai-key', ['xai-'], `${B}xai-[A-Za-z0-9]{70,}${E}`),
  rule('replicate-token', ['r8_'], `${B}r8_[A-Za-z0-9]{37}${E}`),
  rule('cloudflare-token', ['cfat_', 'cfut_', 'cfk_'], `${B}cf(?:at|ut|k)_[A-Za-z0-9_-]{40,}`),
  rule('cloudflare-token', ['v1.0-'], `${B}v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`),
  rule('heroku-key', ['HRKU-'], `${B}HRKU-[A-Za-z0-9_-]{58,}`),
  rule('onepassword-token', ['ops_eyJ'], `${B}ops_eyJ[A-Za-z0-9+/=_-]{100,}`),
  rule('onepassword-token', ['A3-'], `${B}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${E}`),
  rule('square-token', ['sq0atp-', 'sq0csp-', 'sq0idp-'], `${B}sq0(?:atp|csp|idp)-[A-Za-z0-9_-]{22,}`),
  // `EAA…` tokens (Square, Facebook): `EAAA` is also common inside base64 data (zero bytes), hence the
  // stricter boundary and the random-looking rest.
  rule('square-token', ['EAAA'], `${B64}EAAA[A-Za-z0-9_+-]{60,}`, (s) => characterClasses(s.slice(4)) >= 3 && !s.slice(3).includes('AAA')),
  rule('facebook-token', ['EAA'], `${B64}EAA[A-Za-z0-9]{100,}${E}`, (s) => characterClasses(s.slice(3)) >= 3 && !s.slice(3).includes('AAA')),
  // App access tokens: `<app id>|<app secret or signature>`.
  ruleAfter('facebook-token', ['0|', '1|', '2|', '3|', '4|', '5|', '6|', '7|', '8|', '9|'],
    '(?<![\\w|])\\d{14,15}', `\\d\\|[A-Za-z0-9_-]{20,}${E}`, (s) => /[A-Za-z]/.test(s) && shannonEntropy(s) >= 3.5),
  rule('twitter-token', ['AAAAAAAAAAAAAAAAAAAA'], `(?<![A-Za-z0-9+/])A{20,24}[A-Za-z0-9]{4,}%[A-Za-z0-9%]{20,}`, (s) => notRepeated(s.replace(/^A+/, ''))),
  rule('discord-webhook', ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'], `discord(?:app)?\\.com/api/webhooks/\\d+/(?<secret>[A-Za-z0-9_-]{60,})`),
  rule('teams-webhook', ['.webhook.office.com/webhookb2/'], `\\.webhook\\.office\\.com/webhookb2/(?<secret>[A-Za-z0-9@/_-]{40,})`),
  rule('teams-webhook', ['outlook.office.com/webhook/'], `outlook\\.office\\.com/webhook/(?<secret>[A-Za-z0-9@/_-]{40,})`),
  rule('shippo-token', ['shippo_live_', 'shippo_test_'], `${B}shippo_(?:live|test)_[a-f0-9]{40}${E}`),
  rule('easypost-token', ['EZAK', 'EZTK'], `${B}EZ[AT]K[A-Za-z0-9]{54}${E}`),
  rule('duffel-token', ['duffel_test_', 'duffel_live_'], `${B}duffel_(?:test|live)_[A-Za-z0-9_=-]{43}`),
  rule('flutterwave-key', ['FLWSECK', 'FLWPUBK'], `${B}(?:FLW(?:SECK|PUBK)_TEST-[a-h0-9]{32}-X|FLWSECK_TEST[a-h0-9]{12})`),
  rule('frameio-token', ['fio-u-'], `${B}fio-u-[A-Za-z0-9_=-]{64}`),
  rule('defined-networking-token', ['dnkey-'], `${B}dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}`),
  rule('dynatrace-token', ['dt0c01.'], `${B}dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}${E}`),
  rule('readme-token', ['rdme_'], `${B}rdme_[a-z0-9]{70}${E}`),
  rule('prefect-token', ['pnu_'], `${B}pnu_[A-Za-z0-9]{36}${E}`),
  rule('scalingo-token', ['tk-us-'], `${B}tk-us-[A-Za-z0-9_-]{48}`),
  rule('brevo-key', ['xkeysib-', 'xsmtpsib-'], `${B}x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`),
  rule('settlemint-token', ['sm_pat_', 'sm_aat_', 'sm_sat_'], `${B}sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}${E}`),
  rule('sourcegraph-token', ['sgp_'], `${B}sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}${E}`),
  rule('sonar-token', ['squ_', 'sqp_', 'sqa_'], `${B}sq[upa]_[a-f0-9]{40}${E}`),
  rule('typeform-token', ['tfp_'], `${B}tfp_[A-Za-z0-9_.=-]{59}`),
  rule('newrelic-key', ['NRAK-', 'NRJS-', 'NRII-'], `${B}(?:NRAK-[A-Z0-9]{27}|NRJS-[a-f0-9]{19}|NRII-[A-Za-z0-9_-]{32})${E}`),
  rule('openshift-token', ['sha256~'], `${B}sha256~[A-Za-z0-9_-]{43}`),
  rule('infracost-token', ['ico-'], `${B}ico-[A-Za-z0-9]{32}${E}`),
  rule('harness-token', ['pat.', 'sat.'], `${B}(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}${E}`),
  rule('planetscale-token', ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'], `${B}pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_.=-]{32,64}`),
  rule('artifactory-token', ['AKCp', 'cmVmdGtu'], `${B}(?:AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56})${E}`),
  rule('alibaba-key', ['LTAI'], `${B}LTAI[A-Za-z0-9]{20}${E}`),
  rule('adobe-secret', ['p8e-'], `${B}p8e-[A-Za-z0-9]{32}${E}`),
  rule('airtable-token', ['pat'], `${B}pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}${E}`),
  ruleAfter('authress-key', ['.acc_', '.acc-'], `${B}(?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\\.[a-z0-9]{4,6}`, `\\.acc[_-][a-z0-9-]{10,32}\\.[a-z0-9+/_=-]{30,120}`),
  ruleAfter('maxmind-key', ['_mmk'], `${B}[A-Za-z0-9]{6}_[A-Za-z0-9]{29}`, `_mmk${E}`),
  rule('octopus-key', ['API-'], `${B}API-[A-Z0-9]{26}${E}`, (s) => /\d/.test(s) && notRepeated(s)),
  rule('lob-key', ['live_', 'test_'], `${B}(?:live|test)_(?:pub_)?[a-f0-9]{31,35}${E}`, random),
  rule('yandex-key', ['YC', 'AQVN', 't1.', 'y0_', 'y1_', 'y2_', 'y3_'],
    `${B}(?:YC[A-Za-z0-9_-]{38}|AQVN[A-Za-z0-9_-]{35,38}|t1\\.[A-Za-z0-9_-]+={0,2}\\.[A-Za-z0-9_-]{86}={0,2}|y[0-3]_[A-Za-z0-9_-]{55})${E}`,
    (s) => characterClasses(s) >= 3),
  rule('intra42-secret', ['s-s4t2'], `${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`),
  // Discord bot tokens: base64 of the numeric bot id (so `MT`…`OT`), a timestamp, an HMAC.
  rule('discord-token', ['MT', 'Mj', 'Mz', 'ND', 'NT', 'Nj', 'Nz', 'OD', 'OT'], `(?<![\\w.-])(?:MT|Mj|Mz|ND|NT|Nj|Nz|OD|OT)[A-Za-z0-9_-]{21,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}(?![\\w.-])`, random),
  rule('twilio-key', ['AC'], `${B}AC[a-f0-9]{32}${E}`, (s) => /[a-f]/.test(s.slice(2)) && /\d/.test(s.slice(2))),
  // Telegram bot tokens: `<bot id>:AA…`, also in API URLs (`/bot<token>/sendMessage`).
  ruleAfter('telegram-token', [':AA'], '(?:(?<=bot)|(?<![\\w:]))\\d{8,10}', `:AA[A-Za-z0-9_-]{33}${E}`),
  rule('dropbox-token', ['sl.'], `${B}sl\\.[A-Za-z0-9_-]{130,}`),
  rule('mapbox-token', ['sk.eyJ'], `${B}sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}`),
  rule('contentful-token', ['CFPAT-'], `${B}CFPAT-[A-Za-z0-9_-]{43}`),
  rule('supabase-key', ['sbp_', 'sb_secret_'], `${B}(?:sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,})${E}`),
  rule('posthog-key', ['phx_'], `${B}phx_[A-Za-z0-9]{40,}${E}`),
  rule('nuget-key', ['oy2'], `${B}oy2[a-z0-9]{43}${E}`, random),
  rule('adafruit-key', ['aio_'], `${B}aio_[A-Za-z0-9]{28}${E}`),
  rule('deno-token', ['ddp_', 'ddw_'], `${B}dd[pw]_[A-Za-z0-9]{36}${E}`),
  rule('buildkite-token', ['bkua_'], `${B}bkua_[a-f0-9]{40}${E}`),
  rule('circleci-token', ['CCIPAT_', 'CCIPRJ_'], `${B}CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40}${E}`),
  rule('plaid-token', ['access-sandbox-', 'access-development-', 'access-production-'], `${B}access-(?:sandbox|development|production)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}${E}`),
  rule('braintree-token', ['access_token$'], `${B}access_token\\$(?:production|sandbox)\\$[a-z0-9]{16}\\$[a-f0-9]{32}${E}`),
  // Firebase Cloud Messaging server keys.
  ruleAfter('firebase-key', [':APA91b'], `${B}AAAA[A-Za-z0-9_-]{7}`, `:APA91b[A-Za-z0-9_-]{100,}`),
  // AWS session tokens (STS): base64 of a fixed header.
  rule('aws-session-token', ['FwoGZXIvYXdz', 'IQoJb3JpZ2lu'], `${B64}(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9+/]{100,}={0,2}`),
  // Bundler credentials for private gem sources (`BUNDLE_GEMS__EXAMPLE__COM=user:password`, Sidekiq Pro/Enterprise).
  regexRule({
    name: 'bundler-credentials',
    anchors: ['BUNDLE_'],
    pattern: /(?<![A-Za-z0-9])BUNDLE_[A-Z0-9_]*__[A-Z0-9]+[A-Za-z_]*["']?\s*[:=]{1,2}\s*["']?(?<secret>[^\s"':]{1,200}:[^\s"']{1,200})/dy,
    accept: (secret) => !isPlaceholder(secret.slice(secret.indexOf(':') + 1)),
  }),
  regexRule({
    name: 'bundler-credentials',
    anchors: ['<BUNDLE_'],
    pattern: /<BUNDLE_[A-Z0-9_]*__[A-Z0-9]+[A-Za-z_]*>\s{0,40}(?<secret>[^\s<>:]{1,200}:[^\s<>]{1,200})\s{0,40}</dy,
  }),
];
