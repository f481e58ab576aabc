import type { Range } from './ranges.js';

/** GitHub's closing keywords, any case, each as a whole word. */
const KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b/gi;
/** After a keyword: optional colon, any white space (none at all is treated as a match too). */
const GAP = /\s*:?\s*/y;
/** Between references of a list: `#1, #2`, `#1 and #2`, `#1 & #2`. */
const SEPARATOR = /(?:\s*[,&]\s*|\s+(?:and\s+)?)/iy;
const SHORT = /(?:#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+)(?!\d)/iy;

/** How far a reference is looked for: keeps the scan linear on hostile runs like `fixes-fixes-fixes…`. */
const WINDOW = 512;
const URL_START = /(?:https?:\/\/|www\.)/iy;
const ISSUE_PATH = /\/(?:issues|pulls?)\/\d/gi;

/**
 * The non-blank run around an offset, with where its last issue path starts: computed once per run, so
 * many keywords inside one long run (`fixes:https://…fixes:https://…`) cost nothing more.
 */
interface Run {
  start: number;
  end: number;
  lastIssue: number;
}

function runAt(text: string, at: number, cache: { run?: Run }): Run {
  const cached = cache.run;
  if (cached && cached.start <= at && at < cached.end) return cached;
  let end = at;
  while (end < text.length && !/[\s<>`\uFFFC]/.test(text[end]!)) end++;
  let lastIssue = -1;
  ISSUE_PATH.lastIndex = at;
  for (let m = ISSUE_PATH.exec(text); m && m.index < end; m = ISSUE_PATH.exec(text)) lastIssue = m.index;
  const run = { start: at, end, lastIssue };
  cache.run = run;
  return run;
}

/** An issue or PR URL at `at` (`https://…/issues/N`, `www.…/pull/N`): up to the end of its run, as GFM links it. */
function urlReference(text: string, at: number, cache: { run?: Run }): number {
  URL_START.lastIndex = at;
  if (!URL_START.test(text)) return -1;
  const run = runAt(text, at, cache);
  if (run.lastIssue < at) return -1;
  let end = run.end;
  while (end > at && /[.,:;!?*_~'")\]}]/.test(text[end - 1]!)) end--;
  return end;
}

function referenceAt(text: string, at: number, cache: { run?: Run }): number {
  SHORT.lastIndex = 0;
  const m = SHORT.exec(text.slice(at, at + WINDOW));
  if (m) return at + m[0].length;
  return urlReference(text, at, cache);
}

/**
 * References GitHub would close when the text sits in a PR body or a commit message: `#N`, `GH-N`,
 * `owner/repo#N` and issue or PR URLs after `close(s|d)`, `fix(es|ed)` or `resolve(s|d)` (optionally
 * with a colon), and each further reference of a list that follows (`fixes #1, #2 and #3`). `text` is a
 * block's text flattened (non-text inline content as U+FFFC) and folded to ASCII look-alikes.
 */
export function findClosingReferences(text: string): Range[] {
  const out: Range[] = [];
  const cache: { run?: Run } = {};
  KEYWORD.lastIndex = 0;
  for (let m = KEYWORD.exec(text); m; m = KEYWORD.exec(text)) {
    GAP.lastIndex = m.index + m[0].length;
    GAP.exec(text);
    let at = GAP.lastIndex;
    for (;;) {
      const end = referenceAt(text, at, cache);
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
