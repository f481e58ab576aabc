import { describe, expect, it } from 'vitest';
import { auditMarkdown } from './audit.js';
import { MAX_INPUT, sanitizeMarkdown, type MarkdownPolicy } from './sanitizeMarkdown.js';

const policy: MarkdownPolicy = { allowedMentions: ['octocat', '@Org/Team'], allowedDomains: ['github.com', 'bücher.example'] };

interface Case {
  /** What the case attacks. */
  name: string;
  input: string;
  /** Substrings the output must contain (what stays visible). */
  has?: string[];
  /** Substrings the output must not contain. */
  not?: string[];
  /** Kinds that must be counted. */
  counts?: string[];
}

const MARKER = 'publish-gate v1 key=0123456789abcdef0123456789abcdef mac=none';

/** The injection corpus: one case per form in SPEC §11 and the brief, including known sanitizer bypasses. */
const corpus: Case[] = [
  // HTML comments: removed entirely, so agent text can never carry a marker.
  { name: 'inline comment (marker)', input: `a <!-- ${MARKER} --> b`, has: ['a', 'b'], not: ['publish-gate', '<!--'], counts: ['html-comment'] },
  { name: 'block comment (marker)', input: `<!-- ${MARKER} -->\nhello`, not: ['publish-gate'], counts: ['html-comment'] },
  { name: 'unterminated comment runs to the end', input: `hello\n\n<!-- ${MARKER}\nmore`, has: ['hello'], not: ['publish-gate', 'more'], counts: ['html-comment'] },
  { name: 'comment inside a raw HTML block', input: `<div>\n<!-- ${MARKER} -->\n</div>`, not: ['publish-gate'], counts: ['html-comment', 'raw-html'] },
  { name: 'empty comments <!--> and <!--->', input: 'x <!--> y <!---> z', has: ['x'], not: ['<!--'] },
  { name: 'comment closed by --!>', input: `a <!-- ${MARKER} --!> b`, has: ['b'], not: ['publish-gate'] },
  { name: 'entity-encoded comment', input: `&lt;!-- ${MARKER} --&gt; after`, has: ['after'], not: ['publish-gate', '<!--'] },
  { name: 'comment rebuilt from halves', input: `<!<!-- x -->-- ${MARKER} -->`, not: ['publish-gate', '<!--'] },
  { name: 'comment in image alt', input: `![<!-- ${MARKER} -->](https://github.com/a.png)`, not: ['publish-gate'] },
  { name: 'comment in a code fence info string', input: `\`\`\`js <!-- ${MARKER} -->\nx\n\`\`\``, not: ['publish-gate'] },
  { name: 'marker as a reference definition', input: `[publish-gate]: https://github.com "${MARKER}"\n\ntext`, has: ['text'], not: ['publish-gate', ']:'] },

  // Raw HTML: shown as text, block and inline.
  { name: 'details block', input: '<details>\n<summary>Click</summary>\n\nhidden\n\n</details>', has: ['details', 'Click', 'hidden'], counts: ['raw-html'] },
  { name: 'img onerror', input: '<img src=x onerror="alert(1)">', has: ['onerror'], counts: ['raw-html'] },
  { name: 'inline img onerror', input: 'see <img src=x onerror=alert(1)> here', has: ['onerror', 'here'], counts: ['raw-html'] },
  { name: 'a href to evil', input: '<a href="https://evil.com">click</a>', has: ['click'], not: ['](https://evil'], counts: ['raw-html'] },
  { name: 'picture and source', input: '<picture><source srcset="https://evil.com/x.png"><img src="https://evil.com/y.png"></picture>', counts: ['raw-html'] },
  { name: 'svg', input: '<svg onload=alert(1)><use href="data:image/svg+xml,x"/></svg>', counts: ['raw-html'] },
  { name: 'script block with blank lines', input: '<script>\nalert(1)\n\nfetch("https://evil.com")\n</script>', has: ['alert'], counts: ['raw-html'] },
  { name: 'style', input: '<style>body{display:none}</style>', has: ['display'], counts: ['raw-html'] },
  { name: 'iframe', input: '<iframe src="https://evil.com"></iframe>', counts: ['raw-html'] },
  { name: 'inline tags', input: 'a <b>bold</b> <kbd>x</kbd> b', has: ['bold'], counts: ['raw-html'] },
  { name: 'HTML in a table cell', input: '| a |\n|---|\n| <img src=x onerror=alert(1)> |', has: ['onerror'], counts: ['raw-html'] },
  { name: 'Markdown inside an HTML block', input: '<div>\n\n**@attacker** [x](https://evil.com) fixes #1\n\n</div>', has: ['x'], counts: ['raw-html', 'mention', 'link', 'closing-keyword'] },
  { name: 'processing instruction and CDATA', input: '<?php echo 1 ?>\n\n<![CDATA[ @x ]]>', counts: ['raw-html'] },

  // Mentions: neutralized unless allowed; never inside code.
  { name: 'plain mention', input: 'ping @attacker now', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'team mention', input: 'ping @org/admins', has: ['`@org/admins`'], counts: ['mention'] },
  { name: 'decimal entity &#64;', input: 'ping &#64;attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'named entity &commat;', input: 'ping &commat;attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'hex entity &#x40;', input: 'ping &#x40;attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'full-width ＠', input: 'ping ＠attacker', has: ['`＠attacker`'], counts: ['mention'] },
  { name: 'small ﹫', input: 'ping ﹫attacker', has: ['`﹫attacker`'], counts: ['mention'] },
  { name: 'full-width name', input: 'ping ＠ａｔｔａｃｋｅｒ', has: ['`＠ａｔｔａｃｋｅｒ`'], counts: ['mention'] },
  { name: 'mathematical-letter name', input: 'ping @𝐚𝐭𝐭𝐚𝐜𝐤', has: ['`@𝐚𝐭𝐭𝐚𝐜𝐤`'], counts: ['mention'] },
  { name: 'backslash-escaped @', input: 'ping \\@attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention joined across a removed comment', input: 'ping @<!-- -->attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention joined across a removed link', input: 'ping @[attacker](https://evil.com)', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention in link text', input: '[@attacker](https://github.com/x)', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention in alt of a removed image', input: '![@attacker](https://evil.com/x.png)', has: ['`@attacker`'], counts: ['mention', 'image'] },
  { name: 'mention in table cell', input: '| who |\n|---|\n| @attacker |', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention in heading', input: '## Thanks @attacker', has: ['`@attacker`'], counts: ['mention'] },
  { name: 'mention in list and quote', input: '- @one\n\n> @two', has: ['`@one`', '`@two`'], counts: ['mention'] },
  { name: 'mention in emphasis', input: '*@attacker* and **@other**', has: ['`@attacker`', '`@other`'] },
  { name: 'mention in footnote', input: 'x[^1]\n\n[^1]: by @attacker', has: ['`@attacker`'] },
  { name: 'mention after a non-ASCII letter', input: 'é@attacker', has: ['`@attacker`'] },
  { name: 'mention hidden by zero-width space', input: 'ping @\u200Battacker', has: ['`@attacker`'], counts: ['mention', 'invisible'] },
  { name: 'allowed user stays', input: 'thanks @octocat and @OctoCat', has: ['thanks @octocat and @OctoCat'], not: ['`@octocat`'] },
  { name: 'allowed team stays, other team does not', input: '@org/team and @org/other', has: ['@org/team and', '`@org/other`'] },
  { name: 'e-mail is not a mention', input: 'write to a@b.com', has: ['`a@b.com`'], not: ['`@b'] },
  { name: 'code span and block untouched', input: '`@attacker` and\n\n```\n@attacker fixes #1\n```', has: ['`@attacker` and', '@attacker fixes #1\n'] },

  // Closing keywords: the reference becomes inline code.
  { name: 'fixes #N', input: 'This fixes #1.', has: ['fixes `#1`'], counts: ['closing-keyword'] },
  { name: 'with colon and upper case', input: 'FIXES: #12', has: ['`#12`'], counts: ['closing-keyword'] },
  { name: 'every keyword form', input: 'close #1 closes #2 closed #3 fix #4 fixed #5 resolve #6 resolves #7 resolved #8', not: [' #1', ' #8'], counts: ['closing-keyword'] },
  { name: 'GH-N', input: 'Resolves GH-42', has: ['`GH-42`'] },
  { name: 'owner/repo#N', input: 'Closes octo-org/octo-repo#100', has: ['`octo-org/octo-repo#100`'] },
  { name: 'issue URL', input: 'Fixes https://github.com/o/r/issues/5', has: ['`https://github.com/o/r/issues/5`'] },
  { name: 'pull URL', input: 'resolved https://github.com/o/r/pull/6', has: ['`https://github.com/o/r/pull/6`'] },
  { name: 'issue link with reference text', input: 'fixes [#7](https://github.com/o/r/issues/7)', has: ['`#7`'], not: ['](https://github.com/o/r/issues/7)'] },
  { name: 'issue link with other text', input: 'fixes [this bug](https://github.com/o/r/issues/7)', has: ['this bug'], not: ['](https://github.com/o/r/issues/7)'], counts: ['closing-keyword'] },
  { name: 'keyword in emphasis', input: '**Fixes** #8', has: ['`#8`'] },
  { name: 'keyword in heading', input: '# Fixes #9', has: ['`#9`'] },
  { name: 'keyword in list', input: '- closes #10\n- fixes #11', has: ['`#10`', '`#11`'] },
  { name: 'keyword in table cell', input: '| a |\n|---|\n| fixes #12 |', has: ['`#12`'] },
  { name: 'keyword across a line break', input: 'fixes\n#13', has: ['`#13`'] },
  { name: 'list of references', input: 'fixes #1, #2 and #3', has: ['`#1`', '`#2`', '`#3`'] },
  { name: 'full-width keyword and hash', input: 'ｆｉｘｅｓ ＃１４', has: ['`＃１４`'] },
  { name: 'plain reference stays', input: 'see #123 and GH-4', has: ['see #123 and GH-4'] },
  { name: 'keyword inside a word is not one', input: 'prefixes #5', has: ['prefixes #5'] },

  // Invisible characters: removed everywhere, code included.
  { name: 'zero-width characters', input: 'a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf\u180Eg', has: ['abcdefg'], counts: ['invisible'] },
  { name: 'bidi controls', input: 'a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Ek\u200Fl\u061Cm', has: ['abcdefghijklm'], counts: ['invisible'] },
  { name: 'tag characters', input: 'hi\u{E0001}\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}\u{E007F} there', has: ['hi there'], counts: ['invisible'] },
  { name: 'invisible in code span and block', input: '`a\u200Bb`\n\n```\nc\u202Ed\n```', has: ['`ab`', 'cd'] },
  { name: 'entity-encoded invisible', input: 'a&#x200B;b&ZeroWidthSpace;c&#8206;d', has: ['abcd'] },
  { name: 'invisible in a URL', input: '[x](https://github.com/a\u200Bb)', not: ['\u200B'] },
  { name: 'variation-selector smuggling', input: 'ok\u{E0100}\u{E0101}\uFE0F\uFE0E\uFE0F!', has: ['ok\uFE0F!'] },
  { name: 'control characters', input: 'a\u0000b\u0007c\u001Bd\u009Be', has: ['ab'], counts: ['control'] },

  // Links and images: outside the allowed domains, or any scheme but https, become text.
  { name: 'javascript:', input: '[click](javascript:alert(1))', has: ['click'], not: ['javascript'], counts: ['scheme'] },
  { name: 'data:', input: '[x](data:text/html;base64,PHNjcmlwdD4=)', not: ['data:'], counts: ['scheme'] },
  { name: 'vbscript:', input: '[x](vbscript:msgbox)', not: ['vbscript'], counts: ['scheme'] },
  { name: 'file:', input: '[x](file:///etc/passwd)', not: ['file:'], counts: ['scheme'] },
  { name: 'ws://', input: '[x](ws://evil.com/socket)', not: ['ws:'], counts: ['scheme'] },
  { name: 'smb://', input: '[x](smb://evil.com/share)', not: ['smb:'], counts: ['scheme'] },
  { name: 'http:', input: '[x](http://github.com/)', not: ['http:'], counts: ['scheme'] },
  { name: 'mailto:', input: '[x](mailto:a@b.com)', not: ['mailto'], counts: ['scheme'] },
  { name: 'entity-encoded scheme', input: '[x](jav&#x61;script:alert(1))', not: ['script'], counts: ['scheme'] },
  { name: 'percent-encoded scheme', input: '[x](java%73cript:alert(1))', not: ['cript'], counts: ['scheme'] },
  { name: 'double-encoded scheme', input: '[x](java%2573cript:alert(1))', not: ['cript'], counts: ['scheme'] },
  { name: 'mixed-case scheme', input: '[x](JaVaScRiPt:alert(1))', not: ['alert'], counts: ['scheme'] },
  { name: 'leading-space scheme', input: '[x](< javascript:alert(1)>)', not: ['alert'], counts: ['scheme'] },
  { name: 'tab inside scheme', input: '[x](<java\tscript:alert(1)>)', not: ['alert'], counts: ['scheme'] },
  { name: 'entity tab inside scheme', input: '[x](java&Tab;script:alert(1))', not: ['alert'], counts: ['scheme'] },
  { name: 'protocol-relative', input: '[x](//evil.com/a)', not: ['evil'], counts: ['link'] },
  { name: 'backslashes', input: '[x](https:\\\\evil.com)', not: ['evil'] },
  { name: 'backslash before @', input: '[x](https://github.com\\@evil.com)', not: ['evil'] },
  { name: 'look-alike suffix', input: '[x](https://github.com.evil.com/)', not: ['evil'], counts: ['link'] },
  { name: 'allowed host in fragment', input: '[x](https://evil.com#github.com)', not: ['evil'], counts: ['link'] },
  { name: 'allowed host in query', input: '[x](https://evil.com/?u=https://github.com)', not: ['evil'], counts: ['link'] },
  { name: 'user info', input: '[x](https://github.com@evil.com/)', not: ['evil'], counts: ['link'] },
  { name: 'user info on allowed host', input: '[x](https://user:pass@github.com/)', not: ['pass'], counts: ['link'] },
  { name: 'IDN homograph', input: '[x](https://gіthub.com/)', not: ['thub.com/'], counts: ['link'] },
  { name: 'link title', input: '[x](https://github.com/a "@attacker fixes #1")', has: ['[x](https://github.com/a)'], not: ['attacker'] },
  { name: 'image title', input: '![x](https://github.com/a.png "t")', has: ['![x](https://github.com/a.png)'] },
  { name: 'nested brackets', input: '[[inner](https://evil.com)](https://github.com/)', not: ['evil'] },
  { name: 'reference-style link, disallowed', input: '[click][r]\n\n[r]: https://evil.com', has: ['click'], not: ['evil', ']:'], counts: ['link'] },
  { name: 'reference-style link, allowed', input: '[click][r]\n\n[r]: https://github.com/x "title"', has: ['[click](https://github.com/x)'], not: [']:', 'title'] },
  { name: 'collapsed and shortcut references', input: '[a][] [b]\n\n[a]: https://evil.com\n[b]: javascript:x', has: ['a b'], not: ['evil', 'javascript'] },
  { name: 'image reference', input: '![alt][i]\n\n[i]: https://evil.com/x.png', has: ['alt'], not: ['evil'], counts: ['image'] },
  { name: 'definition inside a quote', input: '> [d]: https://evil.com\n\n[x][d]', not: ['evil'] },
  { name: 'angle autolink', input: '<https://evil.com/x>', not: ['](https://evil'], counts: ['autolink'] },
  { name: 'angle autolink with scheme', input: '<javascript:alert(1)>', not: ['](javascript'] },
  { name: 'e-mail autolink', input: '<a@evil.com>', not: ['mailto'] },
  { name: 'literal www autolink', input: 'see www.evil.com now', has: ['`www.evil.com`'], counts: ['autolink'] },
  { name: 'literal https autolink', input: 'see https://evil.com/x now', has: ['`https://evil.com/x`'], counts: ['autolink'] },
  { name: 'escaped literal autolink', input: 'see https\\://evil.com/x', not: ['](https'] },
  { name: 'image to another host', input: '![tracker](https://evil.com/p.gif)', has: ['tracker'], not: ['evil'], counts: ['image'] },
  { name: 'data image', input: '![x](data:image/png;base64,AAAA)', not: ['data:'], counts: ['scheme'] },
  { name: 'allowed host, subdomain, case, IDN', input: '[a](https://github.com/x) [b](https://gist.github.com/y) [c](HTTPS://GITHUB.COM/z) [d](https://bücher.example/w)', has: ['[a](https://github.com/x)', '[b](https://gist.github.com/y)', '[c](HTTPS://GITHUB.COM/z)', '[d](https://b%C3%BCcher.example/w)'] },
  { name: 'relative links stay', input: '[doc](./docs/x.md) [top](#anchor) [up](../README.md)', has: ['[doc](./docs/x.md)', '[top](#anchor)', '[up](../README.md)'] },
];

describe('sanitizeMarkdown: injection corpus', () => {
  it.each(corpus)('$name', ({ input, has = [], not = [], counts = [] }) => {
    const out = sanitizeMarkdown(input, policy);
    expect(auditMarkdown(out.text, policy)).toEqual([]);
    for (const s of has) expect(out.text).toContain(s);
    for (const s of not) expect(out.text).not.toContain(s);
    for (const kind of counts) expect(out.counts[kind] ?? 0, kind).toBeGreaterThan(0);
    expect(out.counts.fallback).toBeUndefined();
    expect(sanitizeMarkdown(out.text, policy).text).toBe(out.text);
  });
});

describe('sanitizeMarkdown: ordinary Markdown survives', () => {
  it('keeps structure: headings, lists, tables, code, emphasis, task lists, quotes, alerts', () => {
    const input = [
      '## Summary',
      '',
      'The change **adds** a _cache_ and ~~removes~~ a `retry`.',
      '',
      '- [x] tests',
      '- [ ] docs',
      '',
      '1. one',
      '2. two',
      '',
      '> [!NOTE]',
      '> Quoted.',
      '',
      '| File | Lines |',
      '| :--- | ----: |',
      '| a.ts | 12 |',
      '',
      '```ts',
      'const x = 1 < 2 && "<b>";',
      '```',
      '',
      'See [the docs](https://github.com/o/r/blob/main/README.md) and #12.',
    ].join('\n');
    const out = sanitizeMarkdown(input, policy);
    expect(out.counts).toEqual({});
    for (const s of ['## Summary', '**adds**', '~~removes~~', '`retry`', '- [x] tests', '1. one', '> [!NOTE]', '| a.ts', 'const x = 1 < 2 && "<b>";', '[the docs](https://github.com/o/r/blob/main/README.md)', '#12']) {
      expect(out.text).toContain(s);
    }
  });

  it('returns an empty string for empty or all-invisible input', () => {
    expect(sanitizeMarkdown('', policy).text).toBe('');
    expect(sanitizeMarkdown('\u200B\u202E', policy).text).toBe('');
  });

  it('allows no link at all with an empty allowed-domains list, except relative ones', () => {
    const out = sanitizeMarkdown('[a](https://github.com/x) [b](./y.md)', { allowedMentions: [], allowedDomains: [] });
    expect(out.text).toBe('a [b](./y.md)\n');
  });

  it('counts what it neutralized', () => {
    const out = sanitizeMarkdown('@a @b <!-- c --> <b>d</b> fixes #1 [e](https://evil.com) \u200B', policy);
    expect(out.counts).toEqual({ mention: 2, 'html-comment': 1, 'raw-html': 2, 'closing-keyword': 1, link: 1, invisible: 1 });
  });

  it('falls back to one inert code block on input too deep to round-trip, and stays stable', () => {
    const deep = `${'> '.repeat(20_000)}@attacker <!-- ${MARKER} -->`;
    const out = sanitizeMarkdown(deep, policy);
    expect(auditMarkdown(out.text, policy)).toEqual([]);
    expect(sanitizeMarkdown(out.text, policy).text).toBe(out.text);
  });
});

describe('sanitizeMarkdown: size and cost bounds', () => {
  it('processes at most MAX_INPUT and says how much it left out', () => {
    const line = 'const x = "@user";\n';
    const input = `Intro @user\n\n\`\`\`js\n${line.repeat(Math.ceil((MAX_INPUT + 1000) / line.length))}\`\`\`\n\nOutro`;
    const out = sanitizeMarkdown(input, policy);
    expect(out.counts.truncated).toBeGreaterThan(1000);
    expect(out.text.startsWith('Intro `@user`\n\n```js\nconst x')).toBe(true);
    expect(out.text).toMatch(/\n\n…\(truncated by Publish Gate: [\d,]+ characters omitted\)\n$/);
    expect(auditMarkdown(out.text, policy)).toEqual([]);
  });

  it('shows blocks too costly to parse as inert code, and stays quick', () => {
    const hostile = `${'- a\n  - b\n'.repeat(3000)}\n\n@attacker <!-- x -->\n\n${'> > a\n>\n'.repeat(3000)}`;
    const start = performance.now();
    const out = sanitizeMarkdown(hostile, policy);
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(out.counts.fallback).toBeGreaterThan(0);
    expect(out.text).toContain('`@attacker`');
    expect(auditMarkdown(out.text, policy)).toEqual([]);
    expect(sanitizeMarkdown(out.text, policy).text).toBe(out.text);
  });

  it('keeps reference links whose definitions are in another block', () => {
    expect(sanitizeMarkdown('See [docs][d].\n\n## More\n\ntext\n\n[d]: https://github.com/o/r', policy).text).toBe('See [docs](https://github.com/o/r).\n\n## More\n\ntext\n');
  });
});
