/**
 * Cheap line scans that keep the Markdown parser's work bounded. micromark, the parser behind mdast,
 * re-walks the events of the whole document each time a block quote or list closes, so its time grows
 * with the square of the number of containers in one parse (and faster with nesting depth): 100 KB of
 * `> > a\n>\n` takes close to a minute. Agent text is hostile, so the sanitizer parses runs of top-level
 * blocks whose estimated cost is bounded, and renders blocks out of budget as inert code instead.
 */

/**
 * Fences and HTML blocks are only tracked when they start at column 0: an indented one may be inside a
 * list item (`- a\n\n  \`\`\`` closes the item's code, it opens nothing), and a wrong opening would
 * later take a real opener for its closing fence. The serializer writes top-level fences at column 0,
 * so on sanitized text the scan is exact; on raw text a top-level fence indented by 1–3 spaces can be
 * split, which only changes how that text is rendered, not what is allowed in it.
 * Lines are split on `\n` only: callers normalize `\r\n` and `\r` first.
 */
const FENCE_OPEN = /^(`{3,}|~{3,})([^\n]*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** HTML blocks that run across blank lines (CommonMark types 1–5), with what ends each. */
const HTML_BLOCKS: Array<[RegExp, RegExp]> = [
  [/^<(?:script|pre|style|textarea)(?=[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];

/**
 * Offsets at which `text` can be cut into pieces that each parse as they would inside the whole: 0, then
 * every line that starts a new top-level block after a blank line (a line at column 0 that is not white
 * space), outside fenced code and outside HTML blocks that span blank lines. Lists split between loose
 * items stay lists; joined back with a blank line between them, sanitized pieces parse as the sequence
 * of their blocks. When in doubt it does not cut: fewer pieces only cost time.
 */
export function topLevelStarts(text: string): number[] {
  const out = [0];
  let fence: { char: string; length: number } | undefined;
  let html: RegExp | undefined;
  let blankBefore = false;
  for (let start = 0; start < text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    const next = end + 1;
    if (fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
    } else if (html) {
      if (html.test(line)) html = undefined;
    } else if (/^[ \t]*$/.test(line)) {
      blankBefore = true;
      start = next;
      continue;
    } else {
      if (blankBefore && /^\S/.test(line) && start > 0) out.push(start);
      const open = FENCE_OPEN.exec(line);
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
      else {
        for (const [opener, closer] of HTML_BLOCKS) {
          const m = opener.exec(line);
          if (m) {
            if (!closer.test(line.slice(m[0].length))) html = closer;
            break;
          }
        }
      }
    }
    blankBefore = false;
    start = next;
  }
  return out;
}

/** Widest container prefix parsed (about 100 levels of nesting). */
const MAX_PREFIX = 256;
/** The leading run of block quote markers, list markers and white space of a line. */
const CONTAINER_PREFIX = /^[ \t]*(?:(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*)*/;

/** What a piece of Markdown costs to parse, estimated from its lines (see `parseCost`). */
export interface ParseShape {
  /** Lines whose container prefix (quote and list markers, indentation) differs from the line before,
   *  each weighted by the width of its prefix. */
  transitions: number;
  lines: number;
}

/**
 * The parser's superlinear work comes from containers opening and closing (each close re-walks the
 * document's events), so the estimate counts container transitions, outside fenced code; a flat list or
 * one long quote has none after its first line and stays cheap.
 */
export function parseShape(text: string): ParseShape {
  let lines = 0;
  let transitions = 0;
  let previous = '';
  let fence: { char: string; length: number } | undefined;
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(start, end);
    lines++;
    if (fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
    } else {
      const open = FENCE_OPEN.exec(line);
      if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
      const prefix = /^[ \t]*$/.test(line) ? '' : CONTAINER_PREFIX.exec(line)![0].trimEnd();
      // Deeper containers cost more to close: weigh a transition by the width of its prefix. Nesting
      // deeper than any document needs (over 100 levels) is not parsed at all: the parser's time, and
      // the serializer's stack, grow with it.
      if (prefix.length > MAX_PREFIX) return { transitions: Infinity, lines: Infinity };
      if (prefix !== previous) transitions += Math.max(1, prefix.length);
      previous = prefix;
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return { transitions, lines };
}

/** Estimated parse cost of `text`: container transitions times lines (units of roughly 50 ns). */
export function parseCost(text: string): number {
  const { transitions, lines } = parseShape(text);
  return transitions * lines;
}

/** Pieces are parsed together while their joint estimate stays under this (a few ms at worst). */
export const GROUP_COST = 50_000;
/** A single piece estimated above this (about a quarter of a second) is not parsed. */
export const PIECE_COST = 4_000_000;
/** What all pieces above `GROUP_COST` may cost together in one pass (about half a second). */
export const OVERSIZE_BUDGET = 8_000_000;

/** A run of consecutive pieces to parse as one document, or one piece too costly to parse at all. */
export interface Group {
  text: string;
  parse: boolean;
}

/**
 * `text` as runs of top-level pieces: each run parses in bounded time, and the parser is called as few
 * times as that allows (each call has a fixed cost of about 0.1 ms). Pieces beyond the budgets come
 * back with `parse: false`.
 */
export function groupPieces(text: string): Group[] {
  const starts = topLevelStarts(text);
  const out: Group[] = [];
  let oversize = OVERSIZE_BUDGET;
  let from = 0;
  let shape = { transitions: 0, lines: 0 };
  const flush = (to: number) => {
    if (to > from) out.push({ text: text.slice(from, to), parse: true });
    from = to;
    shape = { transitions: 0, lines: 0 };
  };
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = starts[i + 1] ?? text.length;
    const piece = parseShape(text.slice(start, end));
    const alone = piece.transitions * piece.lines;
    if (alone > GROUP_COST) {
      flush(start);
      const parse = alone <= PIECE_COST && alone <= oversize;
      if (parse) oversize -= alone;
      out.push({ text: text.slice(start, end), parse });
      from = end;
      continue;
    }
    if ((shape.transitions + piece.transitions) * (shape.lines + piece.lines) > GROUP_COST) flush(start);
    shape = { transitions: shape.transitions + piece.transitions, lines: shape.lines + piece.lines };
  }
  flush(text.length);
  return out;
}
