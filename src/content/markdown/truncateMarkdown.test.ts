import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { markdownish } from './arbitraries.testing.js';
import { auditMarkdown } from './audit.js';
import { Limits, fits, measure, type TextLimit } from './limits.js';
import { parseMarkdown } from './parse.js';
import { sanitizeMarkdown } from './sanitizeMarkdown.js';
import { TRUNCATION_NOTE, truncateMarkdown } from './truncateMarkdown.js';

const policy = { allowedMentions: ['octocat'], allowedDomains: ['github.com'] };
const NOTE_TEXT = 'truncated by Publish Gate';

/** Every fenced code block is closed by a fence of its own kind and length, and the note is not code. */
function fencesBalanced(md: string): string[] {
  const problems: string[] = [];
  const end = md.trimEnd().length;
  const visit = (n: Nodes) => {
    if (n.type === 'code') {
      const source = md.slice(n.position!.start.offset, n.position!.end.offset);
      const open = /^(`{3,}|~{3,})/.exec(source);
      if (open && (n.position!.end.offset ?? 0) >= end) {
        // Only a fence that runs to the end is open: one in a list item or quote closes with its container.
        const last = source.slice(source.lastIndexOf('\n') + 1).replace(/^[\s>]*/, '');
        const close = /^(`{3,}|~{3,})\s*$/.exec(last);
        if (!source.includes('\n') || !close || close[1]![0] !== open[1]![0] || close[1]!.length < open[1]!.length) problems.push(`unclosed fence: ${JSON.stringify(source.slice(0, 40))}`);
      }
      if (n.value.includes(NOTE_TEXT)) problems.push('note inside code');
    }
    if ('children' in n) n.children.forEach(visit);
  };
  visit(parseMarkdown(md));
  return problems;
}

const small = (chars: number, bytes = chars * 4): TextLimit => ({ chars, bytes });

describe('truncateMarkdown', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncateMarkdown('# Title\n\nbody', Limits.body)).toBe('# Title\n\nbody');
  });

  it('cuts at a word boundary, appends the note with the omitted count, and stays within the limit', () => {
    const text = `${'word '.repeat(100)}end`;
    const out = truncateMarkdown(text, small(120));
    expect(measure(out).chars).toBeLessThanOrEqual(120);
    expect(out).toMatch(/^(?:word ?)+\n\n…\(truncated by Publish Gate: [\d,]+ characters omitted\)$/);
    const omitted = Number(/: ([\d,]+) characters/.exec(out)![1]!.replace(/,/g, ''));
    expect(omitted).toBe(measure(text).chars - measure(out.slice(0, out.indexOf('\n\n…'))).chars);
  });

  it('closes a code fence it cut into, with the same kind and length of fence', () => {
    const text = `Intro\n\n~~~~~python\n${'print(1)\n'.repeat(200)}~~~~~\n\nafter`;
    const out = truncateMarkdown(text, small(300));
    expect(fits(out, small(300))).toBe(true);
    expect(out).toMatch(/print\(1\)\n~~~~~\n\n…\(truncated by Publish Gate/);
    expect(fencesBalanced(out)).toEqual([]);
  });

  it('closes a fence inside a list item and a block quote at the right indentation', () => {
    const list = `- item\n\n  \`\`\`\`js\n${'  x();\n'.repeat(100)}  \`\`\`\`\n`;
    const quote = `> - quoted\n>   \`\`\`\n${'>   y\n'.repeat(100)}>   \`\`\`\n`;
    for (const text of [list, quote]) {
      const out = truncateMarkdown(text, small(200));
      expect(fencesBalanced(out)).toEqual([]);
      expect(fits(out, small(200))).toBe(true);
    }
  });

  it('closes an unclosed fence of the input when it cuts into it', () => {
    const out = truncateMarkdown(`\`\`\`\n${'line\n'.repeat(100)}`, small(120));
    expect(fencesBalanced(out)).toEqual([]);
  });

  it('never splits a surrogate pair, an emoji sequence or a combining mark', () => {
    const text = `${'ab 😀 👨‍👩‍👧 e\u0301 '.repeat(50)}`;
    for (let n = 60; n < 120; n += 7) {
      const out = truncateMarkdown(text, small(n));
      expect(out.isWellFormed()).toBe(true);
      const kept = out.slice(0, out.indexOf('\n\n…'));
      expect(kept).not.toMatch(/\u200D$|👨‍👩$|e$/u);
    }
  });

  it('budgets UTF-8 bytes as well as characters', () => {
    const text = '漢字'.repeat(1000);
    const limit = { chars: 1000, bytes: 900 };
    const out = truncateMarkdown(text, limit);
    expect(measure(out).bytes).toBeLessThanOrEqual(900);
    expect(measure(out).chars).toBeLessThanOrEqual(1000);
  });

  it('keeps inline code, links and images whole, so no mention or URL is cut into something live', () => {
    const text = `${'x '.repeat(40)}\`@attacker\` [link](https://github.com/a/very/long/path) ![i](https://github.com/x.png) tail ${'y '.repeat(40)}`;
    for (let n = 80; n < 220; n++) {
      const out = truncateMarkdown(text, small(n));
      expect(auditMarkdown(out, policy)).toEqual([]);
      expect(fits(out, small(n))).toBe(true);
    }
  });

  it('does not leave a cut-short mention in a huge word', () => {
    const text = `${'a'.repeat(400)}@octocat${'b'.repeat(400)}`;
    for (let n = 400; n < 480; n += 3) {
      const out = truncateMarkdown(text, small(n));
      expect(out).not.toMatch(/@octoc?a?$/m);
    }
  });

  it('keeps a table whole row by row, and a list item by item', () => {
    const table = `| a | b |\n| - | - |\n${'| cell | @x |\n'.repeat(50)}`;
    const out = truncateMarkdown(table, small(200));
    const kept = out.slice(0, out.indexOf('\n\n…'));
    expect(kept.split('\n').every((l) => /^\|.*\|$/.test(l))).toBe(true);
    const list = Array.from({ length: 50 }, (_, i) => `- item number ${i}`).join('\n');
    const outList = truncateMarkdown(list, small(200));
    expect(outList.slice(0, outList.indexOf('\n\n…')).split('\n').every((l) => /^- item number \d+$/.test(l))).toBe(true);
  });

  it('does not leave a dangling setext underline or list marker', () => {
    const text = `para line\n=== more words here ${'z '.repeat(100)}`;
    const out = truncateMarkdown(text, small(60));
    expect(parseMarkdown(out).children.some((n) => n.type === 'heading')).toBe(false);
  });

  it('uses a custom note, and the note alone when even one block does not fit', () => {
    expect(truncateMarkdown('a '.repeat(100), small(50), ' [cut {omitted}]')).toMatch(/ \[cut \d+\]$/);
    const link = `[${'x'.repeat(500)}](https://github.com)`;
    expect(truncateMarkdown(link, small(100))).toBe(TRUNCATION_NOTE.replace('{omitted}', String(link.length)).trim());
  });

  it('returns within limits even when the limit is smaller than the note', () => {
    const out = truncateMarkdown('a '.repeat(100), { chars: 10, bytes: 10 });
    expect(fits(out, { chars: 10, bytes: 10 })).toBe(true);
  });

  it('handles a large body quickly and exactly at the GitHub limit', () => {
    const text = sanitizeMarkdown(`${'Some text with `code` and [a link](https://github.com/x).\n\n'.repeat(1300)}`, policy).text;
    const out = truncateMarkdown(text, Limits.body);
    expect(fits(out, Limits.body)).toBe(true);
    expect(measure(out).chars).toBeGreaterThan(Limits.body.chars - 200);
  });
});

describe('truncateMarkdown properties', () => {
  const limits = fc.record({ chars: fc.integer({ min: 1, max: 400 }), bytes: fc.integer({ min: 1, max: 1200 }) });

  it('never exceeds the limit, in characters or bytes, and always leaves balanced fences', () => {
    fc.assert(
      fc.property(markdownish, limits, (text, limit) => {
        const out = truncateMarkdown(text, limit);
        expect(fits(out, limit)).toBe(true);
        expect(out.isWellFormed()).toBe(true);
        if (out !== text && out !== text.toWellFormed().replace(/\r\n?/g, '\n')) expect(fencesBalanced(out)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('cutting sanitized Markdown never makes anything live', () => {
    fc.assert(
      fc.property(markdownish, limits, (text, limit) => {
        const out = truncateMarkdown(sanitizeMarkdown(text, policy).text, limit);
        expect(auditMarkdown(out, policy)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
