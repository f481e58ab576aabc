/**
 * What a link destination may be once GitHub renders it:
 * - `allowed`: `https:` to a host in the allowed domains (or a subdomain of one), no credentials;
 * - `relative`: a path, query or fragment resolved against the page it is shown on, which is always on
 *   the GitHub host itself, so it can never leave GitHub (`./docs/x.md`, `../x`, `/o/r/issues`, `#anchor`);
 * - `scheme`: any scheme but `https:`, including one hidden by percent-encoding, character references,
 *   case, whitespace or control characters, and destinations that do not parse;
 * - `host`: `https:` (or protocol-relative `//host`) to any other host, or with user info or a backslash.
 */
export type UrlVerdict = 'allowed' | 'relative' | 'scheme' | 'host';

const BASE_HOST = 'publish-gate.invalid';
const BASE = `https://${BASE_HOST}/`;

/** Lower-case ASCII (IDNA) host names from the policy's `allowed-domains`; entries that do not parse are dropped. */
export function normalizeDomains(domains: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of domains) {
    const entry = raw.trim().replace(/^\*\./, '');
    if (!entry) continue;
    try {
      const host = new URL(entry.includes('://') ? entry : `https://${entry}`).hostname.replace(/\.$/, '');
      if (host) out.add(host);
    } catch {
      // not a host name: allows nothing
    }
  }
  return [...out];
}

const ENTITY = /&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z][a-z0-9]*));?/gi;
const NAMED: Record<string, string> = { colon: ':', sol: '/', bsol: '\\', tab: '\t', newline: '\n', amp: '&', num: '#', period: '.', commat: '@' };

/** Every decoding a browser or an intermediate sanitizer might apply, repeated until nothing changes. */
function squash(url: string): string {
  let s = url;
  for (let round = 0; round < 5; round++) {
    const before = s;
    s = s
      .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(ENTITY, (m, hex?: string, dec?: string, name?: string) => {
        const cp = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
        if (cp !== undefined) return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        return NAMED[name!.toLowerCase()] ?? m;
      });
    if (s === before) break;
  }
  // Browsers drop tabs and line breaks anywhere and C0 controls and spaces at the ends; drop all of them.
  return s.replace(/[\s\p{Cc}\p{Cf}]/gu, '').toLowerCase();
}

/** Judges one link, image or definition destination (as the Markdown parser decoded it). */
export function checkUrl(url: string, domains: readonly string[]): UrlVerdict {
  const plain = squash(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(plain);
  if (scheme && scheme[1] !== 'https') return 'scheme';
  // Backslashes are slashes to browsers but not to every parser: never guess which host they mean.
  if (plain.includes('\\')) return 'host';
  let parsed: URL;
  try {
    parsed = new URL(url, BASE);
  } catch {
    return 'scheme';
  }
  if (parsed.protocol !== 'https:') return 'scheme';
  const absolute = scheme !== null || plain.startsWith('//');
  if (!absolute) return parsed.hostname === BASE_HOST && !parsed.username && !parsed.password ? 'relative' : 'host';
  if (parsed.username || parsed.password) return 'host';
  const host = parsed.hostname.replace(/\.$/, '');
  return domains.some((d) => host === d || host.endsWith(`.${d}`)) ? 'allowed' : 'host';
}

/** A URL that names an issue or pull request (`…/issues/N`, `…/pull/N`): a closing keyword can target it. */
export function isIssueUrl(url: string): boolean {
  return /\/(?:issues|pulls?)\/\d/i.test(squash(url));
}
