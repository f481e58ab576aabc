import type { Range } from './ranges.js';

/** GitHub's closing keywords, any case, each as a whole word. */
const KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b/gi;
/** After a keyword: optional colon, any white space (none at all is treated as a match too). */
const GAP = /\s*:?\s*/y;
/** Between references of a list: `#1, #2`, `#1 and #2`, `#1 & #2`. */
const SEPARATOR = /(?:\s*[,&]\s*|\s+(?:and\s+)?)/iy;
const SHORT = /(?:#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+)(?!\d)/iy;
const TRAILING = /[.,:;!?*_~'")\]}]+$/;

/** How far a reference is looked for: keeps the scan linear on hostile runs like `fixes-fixes-fixes…`. */
const WINDOW = 4096;

/** `…/issues/N` or `…/pull/N` at `at`: the whole run of non-blank characters, as GFM would link it. */
function urlReference(text: string, at: number): number {
  const limit = Math.min(text.length, at + WINDOW);
  let end = at;
  while (end < limit && !/[\s<>`\uFFFC]/.test(text[end]!)) end++;
  const run = text.slice(at, end);
  if (!/\/(?:issues|pulls?)\/\d/i.test(run)) return -1;
  const trail = TRAILING.exec(run);
  return trail ? end - trail[0].length : end;
}

function referenceAt(text: string, at: number): number {
  SHORT.lastIndex = 0;
  const m = SHORT.exec(text.slice(at, at + 512));
  if (m) return at + m[0].length;
  return urlReference(text, at);
}

/**
 * References GitHub would close when the text sits in a PR body or a commit message: `#N`, `GH-N`,
 * `owner/repo#N` and issue or PR URLs after `close(s|d)`, `fix(es|ed)` or `resolve(s|d)` (optionally
 * with a colon), and each further reference of a list that follows (`fixes #1, #2 and #3`). `text` is a
 * block's text flattened (non-text inline content as U+FFFC) and folded to ASCII look-alikes.
 */
export function findClosingReferences(text: string): Range[] {
  const out: Range[] = [];
  KEYWORD.lastIndex = 0;
  for (let m = KEYWORD.exec(text); m; m = KEYWORD.exec(text)) {
    GAP.lastIndex = m.index + m[0].length;
    GAP.exec(text);
    let at = GAP.lastIndex;
    for (;;) {
      const end = referenceAt(text, at);
      if (end < 0) break;
      out.push({ start: at, end, kind: 'closing-keyword' });
      SEPARATOR.lastIndex = end;
      if (!SEPARATOR.exec(text)) {
        KEYWORD.lastIndex = end;
        break;
      }
      at = SEPARATOR.lastIndex;
      KEYWORD.lastIndex = end;
    }
  }
  return out;
}

/** True when `text` (flattened and folded) ends with a closing keyword and its gap: what follows is a target. */
export function endsWithKeyword(text: string): boolean {
  return /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s*$/i.test(text.slice(-40));
}
