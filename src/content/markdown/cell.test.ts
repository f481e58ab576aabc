import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownCell } from './cell.js';

describe('cell', () => {
  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('makes one inert table cell: no pipe, no line break, no Markdown opener, no mention', () => {
    expect(markdownCell('a|b\nc *d* [e](f) @user `g`')).toBe('a\\|b<br>c \\*d\\* \\[e\\]\\(f\\) @\u200buser \\`g\\`');
  });
});
