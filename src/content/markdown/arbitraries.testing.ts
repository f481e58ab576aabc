import fc from 'fast-check';

/** Pieces of Markdown syntax, hostile forms and awkward Unicode, for property tests to combine. */
const FRAGMENTS = [
  '`', '``', '```', '````', '~~~', '\n', '\n\n', '\r\n', '> ', '- ', '* ', '1. ', '2) ', '# ', '## ', '*', '**', '_', '~~',
  '[', ']', '(', ')', '<', '>', '!', '![', '](', '@', '＠', '&#64;', 'user', 'org/team', 'octocat', 'fixes ', 'Closes: ', '#1',
  'GH-2', 'o/r#3', 'https://', 'http://', 'evil.com', 'github.com', '/o/r/issues/4', 'www.', 'a@b.com', 'javascript:',
  'java%73cript:', '//', '\\', '<!--', '-->', '<div>', '</div>', '<details>', '<img src=x onerror=y>', '|', '| --- |', '---',
  '===', '&amp;', '&lt;', '&#x200B;', ' ', '   ', '    ', '\t', 'a', 'word', 'é', 'e\u0301', '😀', '👨‍👩‍👧', '\u200B', '\u202E',
  '\u{E0041}', '\uFE0F', '\uD800', '\uDC00', ':', '"', "'", '[x]: ', '[^1]', '[^1]: ', '^', '=', '+', '- [ ] ', '> [!NOTE]',
  '\u0000', '\u001B',
];

/** Markdown-shaped hostile text: syntax fragments mixed with arbitrary strings (lone surrogates included). */
export const markdownish = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** Any string at all, lone surrogates included. */
export const anyString = fc.string({ unit: 'binary', maxLength: 200 });
