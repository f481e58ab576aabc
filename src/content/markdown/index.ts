/**
 * Agent Markdown made safe for GitHub (SPEC §11), and text made to fit GitHub's limits. Pure: no I/O.
 *
 * Decisions where the contract is open:
 * - Neutralizing means showing as inline code: mentions (`@user`, `@org/team`, entity-encoded and NFKC
 *   look-alikes), references after closing keywords (`fixes \`#1\``), and link-like text a renderer
 *   would link by itself (bare URLs, `www.`, e-mail addresses). Code survives every GitHub surface;
 *   zero-width breaks are stripped by the sanitizer itself and comments by GitHub in review bodies.
 * - HTML is shown as text; HTML comments are removed, unterminated ones to the end of their block.
 * - Links and images: only `https:` to an allowed domain (or a subdomain), without user info or
 *   backslashes; anything else becomes its text (images: their alt text). Relative links (`./x.md`,
 *   `/o/r`, `#anchor`) stay: they resolve on the GitHub page itself and cannot leave GitHub. Titles are
 *   dropped. Reference-style links become inline links and definitions are dropped, so agent text never
 *   carries a definition (a form markers may take where comments are stripped). Kept destinations are
 *   percent-encoded.
 * - Zero-width, bidi, tag and other format characters are removed everywhere, code included.
 * - GitHub alerts (`> [!NOTE]`) keep working.
 * - `<!--` can remain inside code spans and blocks (shown as code, never a comment): a marker parser
 *   must only look at the first line of a body.
 */
export { auditMarkdown } from './audit.js';
export { escapeHtml, markdownCell } from './cell.js';
export { Limits, fits, measure, type TextLimit } from './limits.js';
export { MAX_INPUT, sanitizeMarkdown, type MarkdownPolicy, type Sanitized } from './sanitizeMarkdown.js';
export { sanitizePlain } from './sanitizePlain.js';
export { TRUNCATION_NOTE, truncateMarkdown } from './truncateMarkdown.js';
export { truncatePlain } from './truncatePlain.js';
export { checkUrl, normalizeDomains, type UrlVerdict } from './url.js';
