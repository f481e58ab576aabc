import type { Nodes } from 'mdast';
import { parseMarkdown } from './parse.js';

/**
 * What GitHub would see in `markdown`, judged independently of the sanitizer (test support, and usable as
 * a last check before a write): every hazard SPEC §11 names, as short strings; an empty list means safe.
 * Deliberately simpler and stricter than the sanitizer, so a sanitizer bug does not hide itself here.
 */
export function auditMarkdown(markdown: string, policy: { allowedMentions: readonly string[]; allowedDomains: readonly string[] }): string[] {
  const found: string[] = [];
  const allowedMentions = new Set(policy.allowedMentions.map((m) => m.replace(/^@/, '').toLowerCase()));
  const domains = policy.allowedDomains.map((d) => new URL(`https://${d}`).hostname);
  if (/[\u200B-\u200F\u2060\uFEFF\u180E\u202A-\u202E\u2066-\u2069\u061C\u{E0000}-\u{E007F}]/u.test(markdown)) found.push('invisible character');

  const tree = parseMarkdown(markdown);
  const codeRanges: Array<[number, number]> = [];
  const blocks: string[] = [];
  const visit = (node: Nodes, flat: { text: string } | undefined) => {
    switch (node.type) {
      case 'html':
        found.push(`html: ${node.value.slice(0, 40)}`);
        return;
      case 'definition':
        found.push(`definition: ${node.url}`);
        return;
      case 'code':
      case 'inlineCode':
        codeRanges.push([node.position!.start.offset!, node.position!.end.offset!]);
        if (flat) flat.text += '\uFFFC';
        return;
      case 'link':
      case 'image': {
        const bad = badUrl(node.url, domains);
        if (bad) found.push(`${node.type} ${bad}: ${node.url}`);
        if (node.title) found.push(`${node.type} title: ${node.title}`);
        if (node.type === 'link' && flat && /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b\s*:?\s*$/i.test(flat.text) && /\/(?:issues|pulls?)\/\d/.test(node.url))
          found.push(`closing keyword before link: ${node.url}`);
        if (node.type === 'image') {
          if (flat) flat.text += '\uFFFC';
          return;
        }
        break;
      }
      case 'linkReference':
      case 'imageReference':
        found.push(`${node.type}: ${node.identifier}`);
        break;
      case 'text': {
        if (node.value.includes('<!--')) found.push('comment-like text');
        const folded = node.value.normalize('NFKC');
        for (const m of folded.matchAll(/(?:^|[^A-Za-z0-9_])@([a-z0-9][a-z0-9-]*(?:\/[a-z0-9][a-z0-9_-]*)?)/gi)) {
          const name = m[1]!.toLowerCase();
          if (!allowedMentions.has(name)) found.push(`mention: @${name}`);
        }
        if (flat) flat.text += folded;
        return;
      }
      case 'break':
        if (flat) flat.text += '\n';
        return;
    }
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
      const own = { text: '' };
      for (const c of node.children) visit(c, own);
      blocks.push(own.text);
      return;
    }
    if ('children' in node) for (const c of node.children) visit(c, flat);
  };
  visit(tree, undefined);

  for (const text of blocks) {
    const m = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b\s*:?\s*(?:#\d+(?!\w)|gh-\d+(?!\w)|[\w.-]+\/[\w.-]+#\d+(?!\w)|https?:\/\/[^\s\uFFFC]*\/(?:issues|pulls?)\/\d)/i.exec(text);
    if (m) found.push(`closing keyword: ${m[0]}`);
  }
  for (let i = markdown.indexOf('<!--'); i >= 0; i = markdown.indexOf('<!--', i + 1)) {
    if (!codeRanges.some(([s, e]) => s <= i && i < e)) found.push('comment opener outside code');
  }
  return found;
}

function badUrl(url: string, domains: readonly string[]): string | undefined {
  const squashed = url.replace(/[\s\p{Cc}]/gu, '');
  if (squashed.includes('\\')) return 'backslash';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(squashed);
  if (!scheme) {
    if (/^[/\\]{2}/.test(squashed)) return 'protocol-relative';
    let decoded = squashed;
    for (let i = 0; i < 3; i++) decoded = decoded.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    if (/^[a-z][a-z0-9+.-]*:/i.test(decoded.replace(/[\s\p{Cc}]/gu, ''))) return 'encoded scheme';
    return undefined; // relative: resolves on GitHub
  }
  if (scheme[1]!.toLowerCase() !== 'https') return `scheme ${scheme[1]}`;
  let parsed: URL;
  try {
    parsed = new URL(squashed);
  } catch {
    return 'unparseable';
  }
  if (parsed.username || parsed.password) return 'userinfo';
  const host = parsed.hostname;
  return domains.some((d) => host === d || host.endsWith(`.${d}`)) ? undefined : `host ${host}`;
}
