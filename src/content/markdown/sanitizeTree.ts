import type { Image, InlineCode, Nodes, Paragraph, Parents, PhrasingContent, Root, Text } from 'mdast';
import { findAutolinkText } from './autolinkText.js';
import { endsWithKeyword, findClosingReferences } from './closingKeywords.js';
import { bump, type Counts } from './counts.js';
import { foldWidth } from './fold.js';
import { removeHtmlComments } from './htmlComments.js';
import { removeControls, removeInvisible } from './invisible.js';
import { findMentions } from './mentions.js';
import { mergeRanges, type Range } from './ranges.js';
import { checkUrl, isIssueUrl, type UrlVerdict } from './url.js';

export interface TreeContext {
  /** Normalized allowed domains (see `normalizeDomains`). */
  domains: readonly string[];
  /** Normalized allowed mentions (see `normalizeMentions`). */
  mentions: ReadonlySet<string>;
  counts: Counts;
}

type Definitions = Map<string, { url: string; verdict: UrlVerdict }>;
/** Any parent, with children loosely typed: the rewrite moves nodes between parents of different kinds. */
interface AnyParent {
  type: Parents['type'];
  children: Nodes[];
}

/** Where block HTML sits among blocks (it becomes paragraphs there) rather than among inline content. */
const FLOW = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);
/** Blocks whose children are inline content: the unit in which keywords and references are read. */
const PHRASING = new Set(['paragraph', 'heading', 'tableCell']);
/** Inline wrappers that render nothing when empty (and would re-parse as literal delimiters). */
const DROP_EMPTY = new Set(['paragraph', 'emphasis', 'strong', 'delete']);

const passes = (v: UrlVerdict) => v === 'allowed' || v === 'relative';

/**
 * A destination as browsers send it: every character outside the URL-safe set percent-encoded (as
 * micromark's HTML output does), so no raw `<`, quote, space or `<!--` is ever written into a link.
 */
function normalizeUrl(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9!#$%&'()*+,\-./:;=?@_~]/gu, (c) => (c === '%' ? '%25' : encodeURIComponent(c)));
}
const rejected = (v: UrlVerdict, kind: string) => (v === 'scheme' ? 'scheme' : kind);

/**
 * Rewrites an mdast tree of agent Markdown in place so that GitHub renders nothing live from it:
 * HTML becomes text (comments dropped), links and images outside the policy become their text,
 * reference-style links become inline ones (definitions are dropped: agent text carries none, so it can
 * never carry a definition-form marker), titles are dropped, and mentions, closing-keyword references
 * and autolink-like text become inline code.
 */
export function sanitizeTree(root: Root, ctx: TreeContext): void {
  const definitions: Definitions = new Map();
  collectDefinitions(root, definitions, ctx);
  rebuild(root as unknown as AnyParent, definitions, ctx);
  forEachPhrasingBlock(root as unknown as AnyParent, (block) => {
    unwrapKeywordLinks(block, { tail: '' }, ctx);
    neutralizeText(block, ctx);
  });
  markAlerts(root as unknown as AnyParent);
}

const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?=\n|$)/i;

/**
 * GitHub alerts (`> [!NOTE]` alone on a quote's first line) would be escaped by the serializer like any
 * bracket (`\[!NOTE]`) and stop rendering. The marker becomes an `alertMarker` node that `parse.ts` writes
 * bare: safe, since it ends its line (so it cannot open a link) and the output holds no definitions.
 */
function markAlerts(root: AnyParent): void {
  const stack: Nodes[] = [root as unknown as Nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (!('children' in n)) continue;
    const paragraph = n.type === 'blockquote' ? n.children[0] : undefined;
    const first = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined;
    const m = first?.type === 'text' ? ALERT.exec(first.value) : null;
    if (m && first?.type === 'text' && paragraph?.type === 'paragraph') {
      const rest = first.value.slice(m[0].length);
      const marker = { type: 'alertMarker', value: m[1]!.toUpperCase() } as unknown as PhrasingContent;
      paragraph.children.splice(0, 1, marker, ...(rest ? [{ type: 'text', value: rest } satisfies Text] : []));
    }
    for (const c of n.children) stack.push(c);
  }
}

function collectDefinitions(node: Nodes, into: Definitions, ctx: TreeContext): void {
  const stack: Nodes[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'definition') {
      if (!into.has(n.identifier)) into.set(n.identifier, { url: n.url, verdict: checkUrl(n.url, ctx.domains) });
    } else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

function cleanText(value: string, ctx: TreeContext): string {
  return removeHtmlComments(removeControls(removeInvisible(value, ctx.counts), ctx.counts), ctx.counts);
}

/** Block HTML as plain paragraphs: one per blank-line-separated chunk, lines trimmed. */
function htmlParagraphs(value: string): Paragraph[] {
  const out: Paragraph[] = [];
  for (const chunk of value.split(/\n[ \t]*\n/)) {
    const text = chunk
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join('\n');
    if (text) out.push({ type: 'paragraph', children: [{ type: 'text', value: text }] });
  }
  return out;
}

function imageAlt(image: { alt?: string | null }, ctx: TreeContext): string {
  return image.alt ? cleanText(image.alt, ctx) : '';
}

function rebuild(parent: AnyParent, definitions: Definitions, ctx: TreeContext): void {
  const out: Nodes[] = [];
  const flow = FLOW.has(parent.type);
  for (const child of parent.children) {
    switch (child.type) {
      case 'html': {
        const value = removeHtmlComments(child.value, ctx.counts);
        if (!value.trim()) break;
        bump(ctx.counts, 'raw-html');
        if (flow) out.push(...htmlParagraphs(value));
        else out.push({ type: 'text', value });
        break;
      }
      case 'definition':
        // Every reference is turned into an inline link or plain text below.
        break;
      case 'link': {
        rebuild(child as unknown as AnyParent, definitions, ctx);
        const verdict = checkUrl(child.url, ctx.domains);
        if (passes(verdict)) out.push({ type: 'link', url: normalizeUrl(child.url), title: null, children: child.children });
        else {
          // A literal autolink (`www.x.com`, `a@b.com`, `<https://x>`) is counted once, as `autolink`,
          // when its text is turned into inline code below.
          if (!isLiteralAutolink(child)) bump(ctx.counts, rejected(verdict, 'link'));
          out.push(...child.children);
        }
        break;
      }
      case 'linkReference': {
        rebuild(child as unknown as AnyParent, definitions, ctx);
        const def = definitions.get(child.identifier);
        if (def && passes(def.verdict)) out.push({ type: 'link', url: normalizeUrl(def.url), title: null, children: child.children });
        else {
          bump(ctx.counts, def ? rejected(def.verdict, 'link') : 'link');
          out.push(...child.children);
        }
        break;
      }
      case 'image':
      case 'imageReference': {
        const url = child.type === 'image' ? child.url : definitions.get(child.identifier)?.url;
        const verdict: UrlVerdict = url === undefined ? 'host' : child.type === 'image' ? checkUrl(url, ctx.domains) : definitions.get(child.identifier)!.verdict;
        const alt = imageAlt(child, ctx);
        if (url !== undefined && passes(verdict)) out.push({ type: 'image', url: normalizeUrl(url), title: null, alt } satisfies Image);
        else {
          bump(ctx.counts, rejected(verdict, 'image'));
          if (alt) out.push({ type: 'text', value: alt });
        }
        break;
      }
      case 'inlineCode':
      case 'code':
        child.value = removeInvisible(child.value, ctx.counts);
        if (child.type === 'code') {
          if (child.lang) child.lang = cleanText(child.lang, ctx) || null;
          if (child.meta) child.meta = cleanText(child.meta, ctx) || null;
        }
        out.push(child);
        break;
      case 'text':
        out.push(child);
        break;
      default:
        if ('children' in child) {
          rebuild(child as unknown as AnyParent, definitions, ctx);
          if (child.children.length === 0 && DROP_EMPTY.has(child.type)) break;
        }
        out.push(child);
    }
  }
  parent.children = cleanTexts(mergeTexts(out), ctx);
}

function plainText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  return 'children' in node ? node.children.map(plainText).join('') : '';
}

/** A link whose text is its own destination, as GFM autolink literals and `<…>` autolinks are. */
function isLiteralAutolink(link: { url: string; children: Nodes[] }): boolean {
  const text = plainText({ type: 'paragraph', children: link.children } as Nodes);
  return link.url === text || link.url === `mailto:${text}` || link.url === `http://${text}` || link.url === `xmpp:${text}`;
}

function mergeTexts(nodes: Nodes[]): Nodes[] {
  const out: Nodes[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.type === 'text' && last?.type === 'text') out[out.length - 1] = { type: 'text', value: last.value + n.value };
    else out.push(n);
  }
  return out;
}

function cleanTexts(nodes: Nodes[], ctx: TreeContext): Nodes[] {
  const out: Nodes[] = [];
  for (const n of nodes) {
    if (n.type !== 'text') out.push(n);
    else {
      const value = cleanText(n.value, ctx);
      if (value) out.push(value === n.value ? n : { type: 'text', value });
    }
  }
  return out;
}

function forEachPhrasingBlock(root: AnyParent, visit: (block: AnyParent) => void): void {
  const stack: Nodes[] = [root as unknown as Nodes];
  while (stack.length) {
    const n = stack.pop()!;
    if (PHRASING.has(n.type)) visit(n as unknown as AnyParent);
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}

/**
 * A link to an issue or PR right after a closing keyword (`fixes [#1](…/issues/1)`, `fixes
 * https://github.com/o/r/issues/1`) is unwrapped to its text, which the next step then reads as a reference.
 */
function unwrapKeywordLinks(parent: AnyParent, state: { tail: string }, ctx: TreeContext): void {
  let changed = false;
  const out: Nodes[] = [];
  const read = (s: string) => {
    state.tail = (state.tail + s).slice(-64);
  };
  for (const child of parent.children) {
    if (child.type === 'text') {
      read(child.value);
      out.push(child);
    } else if (child.type === 'link' && isIssueUrl(child.url) && endsWithKeyword(foldWidth(state.tail))) {
      // Counted here unless its text is itself a reference, which the next step counts.
      if (findClosingReferences(`fixes ${foldWidth(plainText(child))}`).length === 0) bump(ctx.counts, 'closing-keyword');
      unwrapKeywordLinks(child as unknown as AnyParent, state, ctx);
      out.push(...child.children);
      changed = true;
    } else if ('children' in child) {
      unwrapKeywordLinks(child as unknown as AnyParent, state, ctx);
      out.push(child);
    } else {
      read(separator(child));
      out.push(child);
    }
  }
  if (changed) parent.children = mergeTexts(out);
}

/**
 * What a non-text inline node stands for when a block's text is read for keywords: a line break is
 * white space, a footnote reference nothing (aggressively: `fixes [^1]: #1` is read as `fixes : #1`),
 * anything else (inline code, images) a character that ends a reference.
 */
function separator(node: Nodes): string {
  if (node.type === 'break') return '\n';
  if (node.type === 'footnoteReference') return '';
  return '\uFFFC';
}

interface Segment {
  node: Text;
  parent: AnyParent;
  start: number;
  inLink: boolean;
}

/** Mentions, closing-keyword references and autolink-like text in the block's text nodes → inline code. */
function neutralizeText(block: AnyParent, ctx: TreeContext): void {
  const segments: Segment[] = [];
  let flat = '';
  const walk = (parent: AnyParent, inLink: boolean) => {
    for (const child of parent.children) {
      if (child.type === 'text') {
        segments.push({ node: child, parent, start: flat.length, inLink });
        flat += child.value;
      } else if ('children' in child) walk(child as unknown as AnyParent, inLink || child.type === 'link');
      else flat += separator(child);
    }
  };
  walk(block, false);
  if (segments.length === 0) return;

  const keywordRanges = findClosingReferences(foldWidth(flat));
  const replacements = new Map<AnyParent, Map<Text, PhrasingContent[]>>();
  let k = 0;
  for (const seg of segments) {
    const value = seg.node.value;
    const end = seg.start + value.length;
    const ranges: Range[] = [];
    while (k < keywordRanges.length && keywordRanges[k]!.end <= seg.start) k++;
    for (let j = k; j < keywordRanges.length && keywordRanges[j]!.start < end; j++) {
      const r = keywordRanges[j]!;
      ranges.push({ start: Math.max(r.start, seg.start) - seg.start, end: Math.min(r.end, end) - seg.start, kind: r.kind });
    }
    ranges.push(...findMentions(value, ctx.mentions));
    if (!seg.inLink) ranges.push(...findAutolinkText(value));
    if (ranges.length === 0) continue;
    const merged = mergeRanges(ranges);
    for (const r of merged) bump(ctx.counts, r.kind);
    let forParent = replacements.get(seg.parent);
    if (!forParent) replacements.set(seg.parent, (forParent = new Map()));
    forParent.set(seg.node, split(value, merged));
  }
  for (const [parent, map] of replacements) {
    parent.children = parent.children.flatMap((c) => (c.type === 'text' && map.get(c)) || [c]);
  }
}

function split(value: string, ranges: Range[]): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) out.push({ type: 'text', value: value.slice(at, r.start) } satisfies Text);
    out.push({ type: 'inlineCode', value: value.slice(r.start, r.end) } satisfies InlineCode);
    at = r.end;
  }
  if (at < value.length) out.push({ type: 'text', value: value.slice(at) });
  return out;
}

