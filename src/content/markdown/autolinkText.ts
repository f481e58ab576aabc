import { foldWidth } from './fold.js';
import type { Range } from './ranges.js';

const ANCHOR = /:\/\/|www\.|@|\b(?:mailto|xmpp):/gi;
const STOP = /[\s<>"'`]/;
const TRAILING = /[.,:;!?*_~'")\]}]+$/;
const SCHEME = /[A-Za-z0-9+.-]/;
const LOCAL = /[A-Za-z0-9._+-]/;
const DOMAIN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+/;

/**
 * Text a Markdown renderer could turn into a link by itself (GFM autolink literals, which GitHub and
 * micromark find even after backslash escapes): `scheme://…`, `www.…`, `mailto:`/`xmpp:` and e-mail
 * addresses. Found from anchors and grown outward, so the scan stays linear on hostile input.
 */
export function findAutolinkText(text: string): Range[] {
  const folded = foldWidth(text);
  const out: Range[] = [];
  let covered = 0;
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(folded); m; m = ANCHOR.exec(folded)) {
    const at = m.index;
    if (at < covered) continue;
    const token = m[0].toLowerCase();
    let start = at;
    if (token === '://') {
      while (start > covered && SCHEME.test(folded[start - 1]!)) start--;
      if (start === at) continue;
    } else if (token === 'www.') {
      if (at > 0 && /[A-Za-z0-9]/.test(folded[at - 1]!)) continue;
    } else if (token === '@') {
      while (start > covered && LOCAL.test(folded[start - 1]!)) start--;
      if (start === at || !DOMAIN.test(folded.slice(at + 1, at + 256))) continue;
    }
    let end = at + m[0].length;
    while (end < folded.length && !STOP.test(folded[end]!)) end++;
    const trail = TRAILING.exec(folded.slice(start, end));
    if (trail) end -= trail[0].length;
    if (end <= start) continue;
    out.push({ start, end, kind: 'autolink' });
    covered = end;
    ANCHOR.lastIndex = end;
  }
  return out;
}
