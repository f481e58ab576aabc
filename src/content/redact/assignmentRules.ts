import { regexRule, type PatternRule } from './patternRule.js';
import { characterClasses, isPlaceholder, shannonEntropy } from './valueChecks.js';

export const PASSWORD_RULE = 'password';
export const GENERIC_SECRET_RULE = 'generic-secret';

/**
 * Key names that hold secrets: `password`, `passwd`, `passphrase`, `pwd`, `pass`, `secret`, `token`,
 * `credential(s)`, `creds`, `auth`, `<qualifier>key` (`api_key`, `accessKey`, `PRIVATE-KEY`, …) and
 * `key` as the last word of a longer key (`HEROKU_KEY`), in any case and inside longer names
 * (`DB_PASSWORD`, `githubToken`, `client-secret`). The pattern starts at the keyword (its anchor); the
 * rest of the key is read backwards.
 */
const KEYWORD = '(?:pass(?:word|wd|phrase|code)?|pwd|secret|token|credentials?|creds|auth|key)';
const ANCHORS = ['pass', 'pwd', 'secret', 'token', 'cred', 'auth', 'key'];

/** Words that make `…key` a secret's name. */
const KEY_QUALIFIER =
  /(?:api|access|secret|private|auth|signing|encryption|master|licen[cs]e|session|app|account|client|consumer|service|admin|deploy|webhook|shared|storage|subscription|integration|server|project|partner|merchant|developer|write|root|sas|primary|secondary|encrypt|hmac|jwt|cookie|crypt|ssh|gpg|pgp|rsa)[_.-]?$/i;

/** Words that make `…key` something other than a secret: `publicKey`, `cacheKey`, `sec-websocket-key`, `sortKey`. */
const PUBLIC_KEY_QUALIFIER =
  /(?:public|pub|websocket|cache|storage|sort|partition|row|foreign|index|lookup|map|dict|idempotency|object|i18n|translation|unique|dedupe|group|routing|shard|hash|react|list|query|state|store|event|message|column|table|field|attr|attribute|prop|property|config|setting|option|env|registry|host|ssh-?public)[_.-]?$/i;

/**
 * Tokens that are not credentials: anti-forgery (`authenticity_token`, `csrf-token`), paging
 * (`NextToken`, `pageToken`, `continuation_token`) and parser tokens.
 */
const PUBLIC_TOKEN_QUALIFIER =
  /(?:csrf|xsrf|authenticity|anti-?forgery|verification|captcha|next|page|pagination|continuation|cursor|sync|resume|change|idempotency|request|cancell?ation|lexer|parser|syntax|significant|last|first|current|prev|previous|end|start|eof)[_.-]?$/i;

/**
 * Words after the keyword that make the key describe a secret rather than hold one
 * (`password_hash`, `token_url`, `secretName`, `api_key_id`, `passwordMinLength`).
 */
const DESCRIPTIVE = new Set([
  'url', 'uri', 'urls', 'endpoint', 'host', 'path', 'file', 'filename', 'files', 'dir', 'directory', 'name', 'names',
  'type', 'types', 'id', 'ids', 'length', 'len', 'min', 'max', 'size', 'count', 'prefix', 'suffix', 'field', 'fields',
  'label', 'hint', 'placeholder', 'policy', 'policies', 'pattern', 'regex', 'format', 'expires', 'expiry', 'expiration',
  'expired', 'expire', 'ttl', 'timeout', 'header', 'param', 'parameter', 'env', 'var', 'variable', 'ref', 'reference',
  'source', 'mode', 'enabled', 'disabled', 'required', 'provider', 'store', 'version', 'hash', 'hashed', 'digest',
  'algorithm', 'alg', 'kind', 'location', 'limit', 'index', 'class', 'style', 'reset', 'rotation', 'lifetime', 'usage',
  'scope', 'scopes', 'audience', 'issuer', 'encoding', 'manager', 'helper', 'validation', 'validator', 'strength',
  'changed', 'change', 'set', 'exists', 'present', 'missing', 'error', 'errors', 'message', 'msg', 'prompt', 'input',
  'key', 'keys', 'method', 'methods', 'flow', 'server', 'service', 'status', 'state', 'info', 'data', 'meta', 'metadata',
  'config', 'configuration', 'options', 'opts', 'settings', 'schema', 'spec', 'template', 'handler', 'callback', 'fn',
  'func', 'function', 'cb', 'at', 'in', 'on', 'by', 'from', 'to', 'of', 'for', 'only', 'list', 'map', 'dict', 'arn',
  'ocid', 'region', 'bucket', 'generator', 'factory', 'builder', 'parser', 'reader', 'writer', 'loader', 'cache',
  'cached', 'counter', 'position', 'pos', 'start', 'end', 'offset', 'char', 'chars', 'width', 'height', 'color',
  'visible', 'visibility', 'toggle', 'button', 'link', 'page', 'view', 'form', 'dialog', 'modal',
]);
/** Words before the keyword that make the key a flag, a question or an action (`is_secret`, `use_token`, `getPassword`). */
const FLAG_PREFIX =
  /(?:^|[_.-])(?:is|has|no|not|use|uses|enable|disable|allow|show|hide|require|requires|should|can|needs?|with|without|skip|ignore|forgot|reset|max|min|num|validate|verify|check|generate|get|fetch|set|load|read|parse|make|create|update|delete|remove|print|log|mask|redact)[_.-]?$/i;

const KEY_CHAR = /[A-Za-z0-9_.$-]/;

/**
 * The shortest value taken for a token, key or secret (passwords: 6), and in a URL's query string,
 * where short random strings are mostly public (a Codecov badge's `?token=lWZ9OBQ7GM`).
 */
const MIN_GENERIC_LENGTH = 8;
const MIN_QUERY_LENGTH = 12;
const MIN_PASSWORD_LENGTH = 6;

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

type KeyKind = 'password' | 'secret' | 'bare-key';

interface KeyParts {
  key: string;
  kind: KeyKind;
  /** The key is a URL query parameter (`?token=…`, `&api_key=…`). */
  inQuery: boolean;
}

const sameCase = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && ((/[a-z]/.test(a) && /[a-z]/.test(b)) || (/[A-Z]/.test(a) && /[A-Z]/.test(b)));

/** The whole key around the keyword at `at`, or undefined when the keyword is only part of a word or the key describes a secret. */
function keyAround(text: string, at: number, keyword: string, tail: string): KeyParts | undefined {
  let start = at;
  while (start > 0 && at - start < 60 && KEY_CHAR.test(text[start - 1]!)) start--;
  const before = text.slice(start, at).replace(/^[$.-]+/, '');
  const previous = before[before.length - 1];
  // The keyword must end a word: `tokens`, `passed`, `secretary`, `PASSWORDS` are other words.
  if (sameCase(keyword[keyword.length - 1], tail[0])) return undefined;
  const lower = keyword.toLowerCase();
  let kind: KeyKind = /^(?:pass(?:word|wd|phrase|code)?|pwd)$/.test(lower) ? 'password' : 'secret';
  if (lower === 'key') {
    if (KEY_QUALIFIER.test(before)) kind = 'secret';
    // `key` alone names too many things: only the last word of a longer key (`HEROKU_KEY`, `stripeKey`).
    else if (!/[A-Za-z0-9][_.-]?$/.test(before) || sameCase(previous, keyword[0]) || tail !== '' || PUBLIC_KEY_QUALIFIER.test(before)) return undefined;
    else kind = 'bare-key';
  } else if (/^(?:pass|pwd|auth|creds)$/.test(lower)) {
    // Also ordinary word parts (`bypass`, `oauth`, `passport`): they must start a word of the key.
    if (sameCase(previous, keyword[0])) return undefined;
    // `PASS: test-name` in test logs: `pass` only as the last word of a longer key (`DB_PASS`).
    if (lower === 'pass' && (!/[A-Za-z0-9][_.-]?$/.test(before) || tail !== '')) return undefined;
  }
  if (FLAG_PREFIX.test(before)) return undefined;
  if (lower === 'token' && PUBLIC_TOKEN_QUALIFIER.test(before)) return undefined;
  // A file name (`sm/passphrase.c`, `execdir-pwd.exp`), not a key.
  if (/[/\\]/.test(text[start - 1] ?? '') || /^\.[a-z0-9]{1,4}$/.test(tail)) return undefined;
  if (words(tail).some((w) => DESCRIPTIVE.has(w))) return undefined;
  return { key: before + keyword + tail, kind, inQuery: /[?&]/.test(text[start - 1] ?? '') };
}

/** An unquoted value that is code: an identifier or member path (`string`, `this.password`, `os.environ`). */
function isCode(value: string, following: string): boolean {
  if (following === '(' || following === '[') return true;
  const v = value.replace(/[!;,]+$/, '');
  if (!/^[A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)*$/.test(v)) return false;
  // Each part reads as a name: letters, with at most a short number at the end (`this.token2`, not `s.8Fj3kQ…`).
  return v.split(/\?\.|\.|::|->/).every((part) => /^[A-Za-z_$]+\d{0,2}$/.test(part) || /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(part));
}

/** Words (also camel-cased) and small numbers joined by separators (`pg-cache-v1`, `SuperSecretToken`): a name, not a secret. */
function isWords(value: string): boolean {
  return /^(?:[A-Za-z][a-z]*(?:[A-Z][a-z]{2,})*\d{0,4}|\d{1,4})(?:[-_.:/@+](?:[A-Za-z][a-z]*(?:[A-Z][a-z]{2,})*\d{0,4}|\d{1,4}))*$/.test(value);
}

/** True when a value next to a secret-named key looks like a real secret. */
function acceptValue(value: string, parts: KeyParts, quoted: boolean, following: string): boolean {
  if (/\s|%20|%09/.test(value) || /^[:=]/.test(value) || isPlaceholder(value)) return false;
  // Secrets are ASCII (passwords at most Latin-1): other scripts are prose (`"…token_here": "分析器预期…"`).
  if (parts.kind === 'password' ? /[^\u0000-\u00ff]/.test(value) : /[^\u0020-\u007e]/.test(value)) return false;
  if (/^[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){7,}$/.test(value)) return false; // a fingerprint (`51:C4:0C:…`)
  // Unquoted: code (`this.password`, `string`), or a word of prose (`passphrase.h: Likewise.`).
  if (!quoted && (isCode(value, following) || /^[A-Za-z]+[.,:;!?)]?$/.test(value))) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // a URL, a path
  if (/^[A-Z][A-Z0-9_]*$/.test(value) && /_/.test(value)) return false; // an environment variable's name
  if (/^v?\d+(?:\.\d+)+$/.test(value) || /^\d{1,7}$/.test(value) || /^0x[0-9a-f]{1,16}$/i.test(value)) return false; // a version, a number
  if (parts.kind === 'password') return value.length >= MIN_PASSWORD_LENGTH;
  if (value.length < (parts.inQuery ? MIN_QUERY_LENGTH : MIN_GENERIC_LENGTH) || value.startsWith('?')) return false;
  if (isWords(value.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''))) return false; // `?NonExpressionParenKeyword`, `__msw-cookie-store__`
  if (parts.kind === 'bare-key') return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.3;
  if (/\d/.test(value) && /[A-Za-z]/.test(value)) return shannonEntropy(value) >= 2.5;
  if (/^\d+$/.test(value)) return value.length >= 12;
  return (characterClasses(value) >= 2 && value.length >= 12 && shannonEntropy(value) >= 3) || (value.length >= 20 && shannonEntropy(value) >= 3.5);
}

function ruleName(parts: KeyParts): string {
  if (/aws/i.test(parts.key) && /secret/i.test(parts.key)) return 'aws-secret-key';
  return parts.kind === 'password' ? PASSWORD_RULE : GENERIC_SECRET_RULE;
}

const VALUE =
  '(?:\\\\?"(?<dq>(?:[^"\\\\\\r\\n]|\\\\[^"\\r\\n]){1,400})\\\\?"' +
  "|'(?<sq>[^'\\r\\n]{1,400})'" +
  '|`(?<bq>[^`\\r\\n]{1,400})`' +
  '|(?<bare>(?:[^\\s"\'`,;<>&()\\[\\]{}\\\\]|\\\\(?![nrt"\'\\\\])){1,1000}))';

type Groups = Record<string, string | undefined>;
type Indices = Record<string, [number, number] | undefined>;

/** Judges a match with groups `keyword`, `tail` and one of `dq`/`sq`/`bq`/`bare` (the value): the rule name, or false. */
function judge(match: RegExpExecArray, text: string): string | false {
  const g = match.groups as Groups;
  const at = (match.indices!.groups as Indices).keyword![0];
  // The comma counts only between a quoted first argument and a quoted value: `setenv("API_TOKEN", "…")`.
  if (g.op === ',' && !(g.quote && g.bare === undefined && /\(\s*["'`]?[A-Za-z0-9_.-]*$/.test(text.slice(Math.max(0, at - 80), at)))) return false;
  const parts = keyAround(text, at, g.keyword!, g.tail ?? '');
  if (!parts) return false;
  // An unquoted value that ends in a colon is a label in prose (`s#password: cvs#password: [empty]`).
  if (g.bare?.endsWith(':')) return false;
  const value = g.dq ?? g.sq ?? g.bq ?? trimBare(g.bare ?? '');
  const end = match.index + match[0].length;
  return acceptValue(value, parts, g.bare === undefined, text[end] ?? '') && ruleName(parts);
}

/** An unquoted value without the punctuation of the sentence around it (`token == valid_token:`). */
const trimBare = (value: string) => value.replace(/[.,:;!?]+$/, '');

/** The value without its quotes or trailing punctuation. */
function valueSpan(_start: number, _end: number, _text: string, match: RegExpExecArray): readonly [number, number] | undefined {
  const i = match.indices!.groups as Indices;
  const bare = i.bare;
  if (bare) return [bare[0], bare[0] + trimBare((match.groups as Groups).bare!).length];
  return i.dq ?? i.sq ?? i.bq;
}

/**
 * `key = value` in code and configuration: `=`, `:`, `:=`, `::=`, `=>`, `?=`, `||=`, `.=`, `==`, a
 * quoted key and a comma (`setenv("API_TOKEN", "…")`), optionally a type (`var token string = …`),
 * JSON (also escaped inside another string), YAML, `.env`, INI, TOML, properties, PHP arrays.
 */
const assignment = regexRule({
  name: GENERIC_SECRET_RULE,
  anchors: ANCHORS,
  ignoreCase: true,
  pattern: new RegExp(
    `(?<keyword>${KEYWORD})(?<tail>[A-Za-z0-9_.-]{0,40}?)(?<quote>\\\\?["'\`]?\\]?)(?:[ \\t]+(?:string|String|str|&str))?[ \\t]*` +
      `(?<op>:{1,3}=|\\?=|\\|\\|=|\\.=|!?={2,3}|!=|=>|=|:|,)[ \\t]*(?<secret>${VALUE})`,
    'dyi',
  ),
  accept: (_secret, match, text) => judge(match, text),
  span: valueSpan,
  skipInsideSecret: true,
});

/** `<password>…</password>`, `<apiToken>\n  …\n</apiToken>` (the value may sit on its own line). */
const xmlElement = regexRule({
  name: GENERIC_SECRET_RULE,
  anchors: ANCHORS,
  ignoreCase: true,
  pattern: new RegExp(
    `(?<=<[A-Za-z0-9_.:-]{0,60})(?<keyword>${KEYWORD})(?<tail>[A-Za-z0-9_.:-]{0,40})(?:\\s[^<>]{0,200})?>\\s{0,40}(?<secret>(?<dq>[^<>\\s]{1,400}))\\s{0,40}</`,
    'dyi',
  ),
  accept: (_secret, match, text) => judge(match, text),
});

/** `<add key="ClearTextPassword" value="…"/>` (NuGet, .NET app settings). */
const xmlKeyValue = regexRule({
  name: GENERIC_SECRET_RULE,
  anchors: ANCHORS,
  ignoreCase: true,
  pattern: new RegExp(
    `(?<=\\b(?:key|name)\\s{0,5}=\\s{0,5}["'][A-Za-z0-9_.:-]{0,40})(?<keyword>${KEYWORD})(?<tail>[A-Za-z0-9_.:-]{0,40})["']\\s+value\\s*=\\s*["'](?<secret>(?<dq>[^"'\\r\\n]{1,400}))["']`,
    'dyi',
  ),
  accept: (_secret, match, text) => judge(match, text),
});

/** `--password hunter22`, `--api-token=…` on command lines; after a space an unquoted value must mix letters and digits. */
const cliFlag = regexRule({
  name: GENERIC_SECRET_RULE,
  anchors: ANCHORS,
  ignoreCase: true,
  pattern: new RegExp(
    `(?<=(?<![\\w-])--(?:[a-z0-9]+-){0,3})(?<keyword>${KEYWORD})(?<tail>(?:-[a-z0-9]+){0,3})(?<op>=|[ \\t]+)(?<secret>${VALUE})`,
    'dyi',
  ),
  accept: (_secret, match, text) => {
    const g = match.groups as Groups;
    if (g.bare !== undefined && g.op !== '=' && !(/\d/.test(g.bare) && /[A-Za-z]/.test(g.bare))) return false;
    return judge(match, text);
  },
  span: valueSpan,
  skipInsideSecret: true,
});

/** `#define API_TOKEN "…"` in C and C++. */
const define = regexRule({
  name: GENERIC_SECRET_RULE,
  anchors: ANCHORS,
  ignoreCase: true,
  pattern: new RegExp(`(?<=#\\s*define\\s+[A-Za-z0-9_]{0,60})(?<keyword>${KEYWORD})(?<tail>[A-Za-z0-9_]{0,40})[ \\t]+(?<secret>"(?<dq>[^"\\\\\\r\\n]{1,400})")`, 'dyi'),
  accept: (_secret, match, text) => judge(match, text),
  span: valueSpan,
});

export const assignmentRules: readonly PatternRule[] = [assignment, xmlElement, xmlKeyValue, cliFlag, define];
