import { bump, type Counts } from './counts.js';

/**
 * An HTML comment as browsers end it: `<!-->` and `<!--->` are empty comments, `--!>` also closes one,
 * and an unterminated comment runs to the end of the text.
 */
const COMMENT = /<!--(?:>|->|[\s\S]*?(?:--!?>|$))/g;

/**
 * Removes HTML comments (terminated or not), repeating until none is left, since removing one can
 * join the halves of another (`<!<!-- -->--`). Counts each removal as `html-comment`.
 */
export function removeHtmlComments(text: string, counts?: Counts): string {
  if (!text.includes('<!--')) return text;
  let out = text;
  let removed = 0;
  while (out.includes('<!--')) {
    out = out.replace(COMMENT, () => {
      removed++;
      return '';
    });
  }
  if (counts) bump(counts, 'html-comment', removed);
  return out;
}
