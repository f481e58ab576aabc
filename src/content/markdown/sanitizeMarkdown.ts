import { groupPieces } from './blocks.js';
import { addCounts, bump, type Counts } from './counts.js';
import { removeHtmlComments } from './htmlComments.js';
import { removeControls, removeInvisible } from './invisible.js';
import { measure } from './limits.js';
import { normalizeMentions } from './mentions.js';
import { parseMarkdown, serializeMarkdown } from './parse.js';
import { sanitizeTree, type TreeContext } from './sanitizeTree.js';
import { TRUNCATION_NOTE } from './truncateMarkdown.js';
import { normalizeDomains } from './url.js';

/** The policy's `content:` section, as the sanitizer needs it. */
export interface MarkdownPolicy {
  /** Users (`octocat`) and teams (`org/team`) that may be mentioned; case-insensitive, `@` optional. */
  allowedMentions: readonly string[];
  /** Hosts links and images may point to; each also allows its subdomains. */
  allowedDomains: readonly string[];
}

export interface Sanitized {
  text: string;
  /**
   * What was neutralized, by kind: `html-comment`, `raw-html`, `mention`, `closing-keyword`, `invisible`,
   * `control`, `link` (and `image`: outside the allowed domains), `scheme` (not `https:`), `autolink`
   * (link-like text put in code), `fallback` (blocks shown as inert code), `truncated` (characters
   * beyond `MAX_INPUT`, not processed). Kinds with a zero count are absent.
   */
  counts: Record<string, number>;
}

/** Passes after the first until the output re-parses to itself; in practice one confirms it. */
const MAX_ROUNDS = 3;
/**
 * Input beyond this many UTF-16 units is not sanitized but cut (on a line break) with a visible note:
 * every output is truncated to at most 65,536 characters anyway, and the envelope bounds bodies to 256 KiB.
 */
export const MAX_INPUT = 256 * 1024;

function prepare(text: string, counts: Counts): string {
  const wellFormed = text.toWellFormed().replace(/\r\n?/g, '\n');
  return removeControls(removeInvisible(wellFormed, counts), counts);
}

/** Text as one fenced code block: inert on every GitHub surface, and stable under `sanitizeMarkdown`. */
function inert(text: string): string {
  const value = removeHtmlComments(text).replace(/^\n+|\n+$/g, '');
  return value ? serializeMarkdown({ type: 'root', children: [{ type: 'code', value }] }) : '';
}

/**
 * One pass. The text is parsed in runs of top-level blocks that each parse in bounded time (see
 * `blocks.ts`); blocks too costly to parse become inert code blocks, counted as `fallback`. A reference
 * whose definition falls in another run is left as text.
 */
function once(text: string, ctx: Omit<TreeContext, 'counts'>, counts: Counts): string {
  const out: string[] = [];
  for (const group of groupPieces(prepare(text, counts))) {
    let md: string;
    if (!group.parse) {
      bump(counts, 'fallback');
      md = inert(group.text);
    } else {
      const tree = parseMarkdown(group.text);
      sanitizeTree(tree, { ...ctx, counts });
      md = serializeMarkdown(tree);
    }
    if (md) out.push(md);
  }
  return out.join('\n');
}

/** Input within `MAX_INPUT`, cut on a line break, and the note that says so (empty when nothing was cut). */
function bound(text: string, counts: Counts): { text: string; note: string } {
  if (text.length <= MAX_INPUT) return { text, note: '' };
  let end = text.lastIndexOf('\n', MAX_INPUT);
  if (end < MAX_INPUT / 2) end = MAX_INPUT - ((text.charCodeAt(MAX_INPUT - 1) & 0xfc00) === 0xd800 ? 1 : 0);
  const omitted = measure(text.slice(end)).chars;
  bump(counts, 'truncated', omitted);
  return { text: text.slice(0, end), note: TRUNCATION_NOTE.replaceAll('{omitted}', omitted.toLocaleString('en-US')).replace(/^\n+/, '') };
}

/**
 * Agent Markdown → Markdown that GitHub renders without anything live the policy does not allow (SPEC
 * §11): no HTML (comments removed, other HTML shown as text), no mentions outside `allowedMentions`, no
 * closing keywords that would close issues, no invisible or bidi characters, no links or images outside
 * `allowedDomains` or with a scheme other than `https:` (relative links stay: they resolve on GitHub).
 * The result re-parses to itself (`sanitizeMarkdown(x.text).text === x.text`, for results within
 * `MAX_INPUT`): each pass is checked by another, and text that does not settle comes back as one inert
 * code block, as do blocks too costly to parse (pathological nesting); both count as `fallback`. Time is
 * linear in the input (bounded by `MAX_INPUT`). Never throws.
 */
export function sanitizeMarkdown(text: string, policy: MarkdownPolicy): Sanitized {
  const ctx = { domains: normalizeDomains(policy.allowedDomains), mentions: normalizeMentions(policy.allowedMentions) };
  const counts: Counts = {};
  const input = bound(text, counts);
  const withNote = (md: string) => (input.note ? `${md}${md ? '\n' : ''}${input.note}\n` : md);
  try {
    let out = once(input.text, ctx, counts);
    // Already a fixed point (sanitized text given again): no need to confirm it.
    if (out === input.text) return { text: withNote(out), counts };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const more: Counts = {};
      const again = once(out, ctx, more);
      if (again === out) return { text: withNote(out), counts };
      addCounts(counts, more);
      out = again;
    }
  } catch {
    // Stack exhaustion on absurd nesting, or a bug: fall through to the inert form.
  }
  bump(counts, 'fallback');
  return { text: withNote(inert(prepare(input.text, {}))), counts };
}
