const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * Untrusted text for one Markdown table cell in GitHub's renderer: HTML escaped, Markdown openers
 * and pipes backslash-escaped, line breaks as `<br>`, and `@` broken so it can never mention anyone.
 */
export function markdownCell(text: string): string {
  return text.replace(/\r\n|\r|\n|[&<>"']|[\\`*_[\]()#!~|]|@/g, (c) => {
    if (c === '@') return '@\u200b';
    if (c.length > 1 || c === '\n' || c === '\r') return '<br>';
    return HTML[c] ?? `\\${c}`;
  });
}
