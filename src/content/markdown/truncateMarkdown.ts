import type { Nodes } from 'mdast';
import { graphemeFloor, prefixWithin } from './boundary.js';
import { PIECE_COST, parseCost, topLevelStarts } from './blocks.js';
import { fits, measure, type TextLimit } from './limits.js';
import { parseStructure } from './parse.js';
import { truncatePlain } from './truncatePlain.js';

/** Appended when text is cut; `{omitted}` becomes the number of characters (code points) left out. */
export const TRUNCATION_NOTE = '\n\n…(truncated by Publish Gate: {omitted} characters omitted)';

/** A cut: keep `text.slice(0, offset)`, then `closer` (a fence that closes the code block cut into). */
interface Cut {
  offset: number;
  closer: string;
}

type Node = Nodes & { children?: Nodes[] };

/** Containers the cut may go into; anything else not listed under `cutInside` is kept or dropped whole. */
const CONTAINERS = new Set([
  'root',
  'blockquote',
  'list',
  'listItem',
  'footnoteDefinition',
  'table',
  'paragraph',
  'heading',
  'tableCell',
  'emphasis',
  'strong',
  'delete',
]);

const start = (n: Nodes) => n.position?.start.offset ?? 0;
const end = (n: Nodes) => n.position?.end.offset ?? 0;

/**
 * The Markdown within `limit` (characters and UTF-8 bytes, note included), cut where the structure
 * allows so that what is kept renders as a prefix of the original and nothing new becomes live:
 * between blocks, list items or table rows, between inline nodes, at white space inside text (a word
 * is only split when it is huge, never inside a mention), on a line boundary inside a code block whose
 * fence is then closed with a fence of the same kind and length. Inline code, links, images and HTML are
 * kept or dropped whole. Text already within the limit comes back unchanged.
 */
export function truncateMarkdown(text: string, limit: TextLimit, note: string = TRUNCATION_NOTE): string {
  if (fits(text, limit) && text.isWellFormed()) return text;
  // Line endings as the block scan expects them (a bare CR ends a line in Markdown, too).
  const whole = text.toWellFormed().replace(/\r\n?/g, '\n');
  if (fits(whole, limit)) return whole;
  const total = measure(whole).chars;
  const noteFor = (omitted: number) => note.replaceAll('{omitted}', omitted.toLocaleString('en-US'));
  const reserve = measure(noteFor(total));
  const budget = { chars: limit.chars - reserve.chars, bytes: limit.bytes - reserve.bytes };
  if (budget.chars > 0 && budget.bytes > 0) {
    const starts = topLevelStarts(whole);
    for (let attempt = 0; attempt < 8; attempt++) {
      const cut = findCut(whole, starts, prefixWithin(whole, budget));
      const kept = whole.slice(0, cut.offset).trimEnd();
      const tail = noteFor(total - measure(kept).chars);
      const out = kept ? kept + cut.closer + tail : tail.trimStart();
      const size = measure(out);
      if (size.chars <= limit.chars && size.bytes <= limit.bytes) return out;
      // Only a long closing fence can overflow: cut earlier by the excess.
      budget.chars -= Math.max(1, size.chars - limit.chars);
      budget.bytes -= Math.max(1, size.bytes - limit.bytes);
      if (budget.chars <= 0 || budget.bytes <= 0) break;
    }
  }
  return truncatePlain(noteFor(total).trim(), limit);
}

/**
 * The cut for keeping at most `text.slice(0, at)`. Only the top-level piece (see `blocks.ts`) that holds
 * `at` is parsed, so the cost does not depend on the length of the text; a piece too costly to parse is
 * dropped whole.
 */
function findCut(text: string, starts: readonly number[], at: number): Cut {
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1]! <= at) k++;
  const from = starts[k]!;
  const before = { offset: from, closer: '' };
  if (from === at) return before;
  const piece = text.slice(from, starts[k + 1] ?? text.length);
  if (parseCost(piece) > PIECE_COST) return before;
  const cut = cutIn(parseStructure(piece) as Node, piece, at - from);
  return cut ? { offset: from + cut.offset, closer: cut.closer } : before;
}

/** A cut inside `parent` at or before `at`, or `undefined` to cut before `parent` altogether. */
function cutIn(parent: Node, text: string, at: number): Cut | undefined {
  const kids = parent.children ?? [];
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i]!;
    if (end(child) <= at) continue;
    // The first child that does not fit. Cutting before it needs a sibling before it, or the container
    // would be left open and empty (`- `) or turn into something else (`para\n-` is a heading).
    const before = i > 0 ? { offset: start(child), closer: '' } : undefined;
    if (start(child) >= at) return before;
    return cutInside(child as Node, text, at) ?? before;
  }
  return { offset: Math.min(at, end(parent)), closer: '' };
}

function cutInside(node: Node, text: string, at: number): Cut | undefined {
  if (node.type === 'text') return cutText(node, text, at);
  if (node.type === 'code') return cutCode(node, text, at);
  if (CONTAINERS.has(node.type)) return cutIn(node, text, at);
  return undefined;
}

/**
 * A last line that a cut inside text can turn into something it was not: a setext underline (which makes
 * the paragraph above a heading), a rule, an empty list item or heading, a code fence opener (`\`\`\`x`
 * was text while a backtick followed it), an HTML block, or a link reference definition.
 */
function dangling(line: string): boolean {
  const rest = line.replace(/^(?:[\t >]|[-*+](?=[\t ]|$)|\d{1,9}[.)](?=[\t ]|$))*/, '');
  return /^[-=*_+#\s]*$|^\d{1,9}[.)]$/.test(rest) || /^(?:`{3,}|~{3,}|<|\[[^\]]*\]:)/.test(rest);
}
/** What may precede a mention or e-mail name when a word has to be split: cut before all of it. */
const NAME_CHAR = /[A-Za-z0-9._%+/-]/;
const AT_LIKE = /[@\uFE6B\uFF20]/;

function cutText(node: Nodes, text: string, at: number): Cut | undefined {
  const from = start(node);
  const region = text.slice(from, at);
  const space = Math.max(region.lastIndexOf(' '), region.lastIndexOf('\n'), region.lastIndexOf('\t'));
  let offset: number;
  if (space > 0) offset = from + space;
  else if (region.length > 256) offset = splitWord(text, from, at);
  else return undefined;
  // Never leave a last line that changes what the lines above it are.
  for (;;) {
    const kept = text.slice(from, offset).trimEnd();
    const lastLine = kept.slice(kept.lastIndexOf('\n') + 1);
    if (!dangling(lastLine) || kept.length === 0) break;
    const nl = kept.lastIndexOf('\n');
    if (nl < 0) return undefined;
    offset = from + nl;
  }
  return offset > from ? { offset, closer: '' } : undefined;
}

/** Inside a huge word: on a grapheme boundary, and before any `@name` or e-mail that would be cut short. */
function splitWord(text: string, from: number, at: number): number {
  const offset = graphemeFloor(text, at);
  let i = offset;
  while (i > from && offset - i < 128 && NAME_CHAR.test(text[i - 1]!)) i--;
  if (i > from && AT_LIKE.test(text[i - 1]!)) {
    i--;
    while (i > from && offset - i < 256 && NAME_CHAR.test(text[i - 1]!)) i--;
    return i;
  }
  return offset;
}

const FENCE = /^(`{3,}|~{3,})/;

function cutCode(node: Nodes, text: string, at: number): Cut | undefined {
  const from = start(node);
  const fence = FENCE.exec(text.slice(from, from + 1024));
  const lastBreak = text.lastIndexOf('\n', at - 1);
  if (!fence) return lastBreak > from ? { offset: lastBreak, closer: '' } : undefined;
  const firstBreak = text.indexOf('\n', from);
  if (firstBreak < 0 || lastBreak <= firstBreak) return undefined;
  // The closing fence goes inside the same containers as the opening one: the opening line's prefix
  // with list markers blanked out (`> - ` → `>   `).
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const prefix = text.slice(lineStart, from).replace(/[^>\t ]/g, ' ');
  return { offset: lastBreak, closer: `\n${prefix}${fence[1]}` };
}
