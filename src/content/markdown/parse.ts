import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown, gfmToMarkdown } from 'mdast-util-gfm';
import { type Options as ToMarkdownOptions, toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';

const fromOptions = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };
const toOptions: ToMarkdownOptions = {
  extensions: [gfmToMarkdown()],
  bullet: '-',
  listItemIndent: 'one',
  rule: '-',
  fences: true,
  resourceLink: true,
  // See `markAlerts` in sanitizeTree.ts.
  handlers: { alertMarker: (node: { value: string }) => `[!${node.value}]` } as unknown as ToMarkdownOptions['handlers'],
};

/**
 * The same syntax, without the pass that finds GFM autolink literals in text after parsing: the nodes it
 * makes carry no positions. For cutting by position, where a URL is never split anyway (cuts fall on
 * white space, or deep inside huge words).
 */
const structureOptions = {
  extensions: [gfm()],
  mdastExtensions: gfmFromMarkdown().map((extension) => ({ ...extension, transforms: [] })),
};

/** GitHub Flavored Markdown → mdast (with positions; offsets are UTF-16 units of `text`). */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, fromOptions);
}

/** Like `parseMarkdown`, but every node has a position (see `structureOptions`). */
export function parseStructure(text: string): Root {
  return fromMarkdown(text, structureOptions);
}

/** mdast → GitHub Flavored Markdown; the serializer escapes whatever text would otherwise parse as syntax. */
export function serializeMarkdown(tree: Root): string {
  return toMarkdown(tree, toOptions);
}
