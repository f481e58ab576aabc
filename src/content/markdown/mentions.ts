import { foldChar } from './fold.js';
import type { Range } from './ranges.js';

/** `@` and the characters NFKC folds to it (full-width `＠`, small `﹫`). */
const AT = /[@\uFE6B\uFF20]/g;
const NAME_START = /[a-z0-9]/;
const NAME = /[a-z0-9-]/;
const TEAM = /[a-z0-9_-]/;
const WORD = /[A-Za-z0-9_]/;

/** Policy names (`octocat`, `@octocat`, `org/team`) as compared: NFKC, lower case, no leading `@`. */
export function normalizeMentions(names: readonly string[]): Set<string> {
  return new Set(names.map((n) => n.normalize('NFKC').trim().replace(/^@/, '').toLowerCase()).filter(Boolean));
}

/**
 * Mentions GitHub would turn into notifications, or that look like one after NFKC folding: an `@` (or
 * a look-alike) not preceded by an ASCII letter, digit or `_` (so `a@b.com` is not one, but `é@b` and
 * `ａ@b` are, as GitHub's ASCII `\W` sees them), then a user
 * name, optionally `/team`. Names are folded per character (`＠ｏｃｔｏ` is `@octo`). Allowed names are
 * skipped; the rest are returned as ranges.
 */
export function findMentions(text: string, allowed: ReadonlySet<string>): Range[] {
  const out: Range[] = [];
  AT.lastIndex = 0;
  for (let m = AT.exec(text); m; m = AT.exec(text)) {
    const at = m.index;
    const before = at > 0 ? precedingChar(text, at) : '';
    if (before && WORD.test(before)) continue;
    let i = at + 1;
    let name = '';
    let end = -1;
    let team = false;
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      const raw = String.fromCodePoint(cp);
      // A character whose NFKC form starts with a name character counts as one (`㍬` is `20点`).
      const folded = cp < 0x80 ? raw : raw.normalize('NFKC');
      const ch = (/^[A-Za-z0-9]/.test(folded) ? folded : foldChar(raw)).toLowerCase();
      const first = ch[0] ?? '';
      const ok = name === '' || name.endsWith('/') ? NAME_START.test(first) : team ? TEAM.test(first) : NAME.test(first);
      if (ok) {
        name += ch;
        i += raw.length;
        end = i;
      } else if (ch === '/' && !team && name !== '') {
        name += '/';
        team = true;
        i += raw.length;
      } else break;
    }
    if (end < 0) continue;
    if (name.endsWith('/')) name = name.slice(0, -1);
    if (allowed.has(name)) continue;
    out.push({ start: at, end, kind: 'mention' });
    AT.lastIndex = end;
  }
  return out;
}

function precedingChar(text: string, at: number): string {
  const low = text.charCodeAt(at - 1);
  if ((low & 0xfc00) === 0xdc00 && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800) return text.slice(at - 2, at);
  return text.slice(at - 1, at);
}
