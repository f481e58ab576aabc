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

/** GitHub Flavored Markdown → mdast (with positions; offsets are UTF-16 units of `text`). */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, fromOptions);
}

/** mdast → GitHub Flavored Markdown; the serializer escapes whatever text would otherwise parse as syntax. */
export function serializeMarkdown(tree: Root): string {
  return toMarkdown(tree, toOptions);
}
