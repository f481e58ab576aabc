/**
 * Throughput of the Markdown sanitizer and truncation on ~1 MB of realistic agent review Markdown
 * (headings, prose with links, mentions and references, lists, tables, code blocks, a little HTML).
 *
 *   npx tsx scripts/bench-markdown.ts [megabytes]
 */
import { Limits, sanitizeMarkdown, truncateMarkdown } from '../src/content/markdown/index.js';

const section = (i: number) => `## Finding ${i}: unchecked input in \`parse()\`

The handler in [src/api/handler.ts](https://github.com/octo/app/blob/main/src/api/handler.ts#L${i}) reads
\`req.body\` without validation; see https://github.com/octo/app/issues/${i} and the
[OWASP page](https://owasp.org/www-community/attacks/xss/). This fixes #${i} once merged. Thanks @octocat
and @someone-else for the report; contact security@example.com. *Severity*: **high**, ~~low~~.

- [ ] validate \`req.body\` against the schema
- [x] add a regression test in \`test/api.test.ts\`
  1. reproduce with \`curl -d '{}'\`
  2. assert a 400 response

| File | Line | Rule |
| --- | ---: | :--- |
| src/api/handler.ts | ${i} | no-unvalidated-input |
| src/api/router.ts | ${i * 2} | missing-auth |

\`\`\`ts
export function parse(body: unknown): Input {
  if (typeof body !== 'object' || body === null) throw new Error('bad <input>');
  return body as Input; // @ts-expect-error is not needed here
}
\`\`\`

> [!WARNING]
> The fix changes the error shape; clients that match on \`message\` need an update.

<details><summary>Trace</summary>

\`\`\`
at parse (src/api/handler.ts:${i}:7)
\`\`\`

</details>

`;

const megabytes = Number(process.argv[2] ?? 1);
let text = '';
for (let i = 1; text.length < megabytes * 1024 * 1024; i++) text += section(i);
const policy = { allowedMentions: ['octocat'], allowedDomains: ['github.com'] };
const mb = (s: string) => Buffer.byteLength(s) / 1024 / 1024;

function time(label: string, size: number, fn: () => unknown, runs = 3): void {
  fn(); // warm up
  const start = performance.now();
  for (let r = 0; r < runs; r++) fn();
  const seconds = (performance.now() - start) / 1000 / runs;
  console.log(`${label}: ${(seconds * 1000).toFixed(0)} ms, ${(size / seconds).toFixed(2)} MB/s`);
}

// sanitizeMarkdown processes at most MAX_INPUT (256 KiB) per call: measure it on pieces of that size.
const pieces: string[] = [];
for (let at = 0; at < text.length; ) {
  let end = Math.min(text.length, at + 250 * 1024);
  const nl = text.indexOf('\n\n## ', end);
  end = nl < 0 ? text.length : nl + 2;
  pieces.push(text.slice(at, end));
  at = end;
}
console.log(`input: ${mb(text).toFixed(2)} MB of Markdown in ${pieces.length} calls`);
console.log('counts (first call):', JSON.stringify(sanitizeMarkdown(pieces[0]!, policy).counts));
time('sanitizeMarkdown', mb(text), () => pieces.map((p) => sanitizeMarkdown(p, policy)));
const sanitized = pieces.map((p) => sanitizeMarkdown(p, policy).text).join('\n');
time('truncateMarkdown of it to a 65,536-character body', mb(sanitized), () => truncateMarkdown(sanitized, Limits.body));

// Hostile shapes that make the parser quadratic or worse: bounded by the parse budget.
const hostile: Record<string, string> = {
  'many block quotes': '> [!NOTE]\n> x\n\n',
  'nested quotes': '> > a\n>\n',
  'nested tight lists': '- a\n  - b\n',
  'lists in quotes': '> - a\n>\n> b\n>\n',
};
for (const [name, unit] of Object.entries(hostile)) {
  const input = unit.repeat(Math.ceil((256 * 1024) / unit.length)).slice(0, 256 * 1024);
  time(`hostile, ${name} (256 KiB)`, mb(input), () => sanitizeMarkdown(input, policy), 1);
}
const deep = Array.from({ length: 500 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n');
time(`hostile, list nested 500 deep (${(mb(deep) * 1024).toFixed(0)} KiB)`, mb(deep), () => sanitizeMarkdown(deep, policy), 1);
