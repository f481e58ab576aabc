import { regexRule, type PatternRule } from './patternRule.js';
import type { SecretFinding } from './types.js';
import { characterClasses, isPlaceholder, shannonEntropy } from './valueChecks.js';

/** A password or token next to a user name: real unless a placeholder or the user name repeated (`postgres:postgres`). */
function isCredential(user: string, password: string): boolean {
  return password.length >= 3 && !isPlaceholder(password) && password !== user && !/^\d{1,5}$/.test(password);
}

/** A credential without a key to vouch for it: it must look random. */
function looksRandom(value: string): boolean {
  return value.length >= 16 && characterClasses(value) >= 2 && /\d/.test(value) && shannonEntropy(value) >= 3;
}

/**
 * `scheme://user:password@host` (HTTP, FTP, databases, JDBC, AMQP, Redis…): the user info is
 * redacted. The password may contain `@`; the last `@` before the host ends it.
 */
const urlCredentials = regexRule({
  name: 'url-credentials',
  anchors: ['://'],
  pattern: /(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}):\/\/(?<secret>(?<user>[^\s:/?#@'"`<>[\]{}|\\^]{0,200}):(?<password>[^\s/?#'"`<>[\]{}|\\^]{1,400}))@(?=[A-Za-z0-9[_.-])/dy,
  accept: (_secret, match) => {
    const { user, password } = match.groups as { user: string; password: string };
    return isCredential(user, password) && (user !== '' || looksRandom(password));
  },
});

/** `curl -u user:password`, `--user 'user:password'`, `-u "user":"password"`: the whole shell word. */
const curlUser = regexRule({
  name: 'basic-auth',
  anchors: ['-u', '--user'],
  pattern: /(?<![\w-])(?:-u|--user)(?:[ \t]+|=)(?<secret>(?:"[^"\r\n]{0,400}"|'[^'\r\n]{0,400}'|[^\s"'|;&<>()]){1,400})/dy,
  accept(secret) {
    const word = secret.replace(/["']/g, '');
    const colon = word.indexOf(':');
    return colon !== -1 && isCredential(word.slice(0, colon), word.slice(colon + 1));
  },
});

const SCHEMES =
  'Bearer|Basic|Token|Bot|Digest|ApiKey|Api-Key|Api-Token|SSWS|OAuth|JWT|Negotiate|NTLM|Key|GenieKey|Splunk|AWS4-HMAC-SHA256';

/**
 * `Authorization:` and `Proxy-Authorization:` headers (curl `-H`, HTTP dumps, code), with or without a
 * scheme (`Bearer`, `Basic`, `token`, …). Without a scheme the value must look random.
 */
const authorizationHeader = regexRule({
  name: 'authorization-header',
  anchors: ['authorization'],
  ignoreCase: true,
  pattern: new RegExp(
    `(?:(?<=Proxy-)|(?<![\\w-]))Authorization\\\\?["']?\\s*[:=]\\s*\\\\?["']?(?:(?<scheme>${SCHEMES})\\s+)?(?<secret>[^\\s"'<>\\\\]{6,2000})`,
    'dyi',
  ),
  accept: (secret, match) => !isPlaceholder(secret) && (match.groups!.scheme !== undefined ? secret.length >= 8 : looksRandom(secret)),
});

/** `Bearer <token>` anywhere (logs, prose): the token must look random. */
const bearer = regexRule({
  name: 'authorization-header',
  anchors: ['bearer'],
  ignoreCase: true,
  pattern: /(?<![A-Za-z])bearer\s+(?<secret>[A-Za-z0-9._~+/=-]{16,2000})/dyi,
  accept: (secret) => !isPlaceholder(secret) && looksRandom(secret),
});

/**
 * Values under `data:` or `stringData:` of a Kubernetes `kind: Secret` YAML document (any key names:
 * the values are the secret material, base64 or plain).
 */
const kubernetesSecret: PatternRule = {
  name: 'kubernetes-secret',
  anchors: ['kind:'],
  ignoreCase: true,
  findAt(text, at, memo) {
    KIND_SECRET.lastIndex = at;
    if (!KIND_SECRET.test(text)) return [];
    // The YAML document around it, between `---` lines, once per document.
    const scanned = (memo.get(kubernetesSecret) ?? { end: -1 }) as { end: number };
    memo.set(kubernetesSecret, scanned);
    if (at < scanned.end) return [];
    const before = text.lastIndexOf('\n---', at);
    const from = before === -1 ? (text.startsWith('---') ? text.indexOf('\n') + 1 : 0) : text.indexOf('\n', before + 1) + 1;
    const after = text.indexOf('\n---', at);
    const to = after === -1 ? text.length : after;
    scanned.end = to;
    const findings: SecretFinding[] = [];
    scanSecretDocument(text.slice(from, to), from, findings);
    return findings;
  },
};

const KIND_SECRET = /kind:[ \t]*["']?secret["']?[ \t]*(?:\r?\n|$)/iy;

function scanSecretDocument(document: string, offset: number, findings: SecretFinding[]): void {
  const block = /(?:^|\n)(?<indent>[ \t]*)(?:data|stringData):[ \t]*\r?\n/g;
  for (let head = block.exec(document); head; head = block.exec(document)) {
    const indent = head.groups!.indent!.length;
    const entry = /(?<lead>[ \t]*)(?<name>[^\s:#][^:\r\n]{0,250}):[ \t]+(?<value>[^\r\n]*)(?:\r?\n|$)|[ \t]*(?:#[^\r\n]*)?(?:\r?\n)/dy;
    entry.lastIndex = block.lastIndex;
    for (let line = entry.exec(document); line && line[0].length > 0; line = entry.exec(document)) {
      const { lead, value } = line.groups!;
      if (lead === undefined) continue; // a comment or a blank line
      if (lead.length <= indent) break;
      if (/^[|>][-+]?\d?[ \t]*(?:#.*)?$/.test(value!)) {
        // A block scalar: the lines indented deeper than the entry.
        const body = /(?:[ \t]*\r?\n)*(?<lines>(?:(?<deeper>[ \t]+)[^\r\n]*(?:\r?\n|$))+)/y;
        body.lastIndex = entry.lastIndex;
        const block = body.exec(document);
        const lines = block?.groups!.lines ?? '';
        const deeper = lines.split(/\r?\n/).filter((l) => l.trim()).every((l) => /^[ \t]*/.exec(l)![0].length > lead.length);
        if (block && deeper && lines.trim().length >= 4) {
          const start = offset + body.lastIndex - block[0].length + block[0].indexOf(lines);
          findings.push({ rule: 'kubernetes-secret', start, end: start + lines.trimEnd().length });
          entry.lastIndex = body.lastIndex;
        }
        continue;
      }
      const raw = value!.replace(/[ \t]+#.*$/, '').trimEnd();
      const unquoted = raw.replace(/^(["'])(.*)\1$/, '$2');
      if (unquoted.length < 4 || isPlaceholder(unquoted)) continue;
      const start = offset + line.indices!.groups!.value![0] + raw.indexOf(unquoted);
      findings.push({ rule: 'kubernetes-secret', start, end: start + unquoted.length });
    }
  }
}

/** `.netrc`: `machine <host> login <user> password <secret>`. */
const netrc = regexRule({
  name: 'password',
  anchors: ['machine'],
  pattern: /(?<![\w-])machine\s+\S+\s+login\s+(?<user>\S+)\s+password\s+(?<secret>\S{1,400})/dy,
  accept: (secret, match) => isCredential(match.groups!.user!, secret),
});

export const credentialRules: readonly PatternRule[] = [urlCredentials, curlUser, authorizationHeader, bearer, kubernetesSecret, netrc];
