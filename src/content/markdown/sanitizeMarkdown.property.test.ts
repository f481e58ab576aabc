import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyString, markdownish } from './arbitraries.testing.js';
import { auditMarkdown } from './audit.js';
import { sanitizeMarkdown, type MarkdownPolicy } from './sanitizeMarkdown.js';

const policy: MarkdownPolicy = { allowedMentions: ['octocat'], allowedDomains: ['github.com'] };
const runs = { numRuns: 300 };

/** Many blocks, dense with containers: parsed in several groups (see `blocks.ts`). */
const document = fc
  .array(fc.oneof(markdownish, fc.constantFrom('> a\n> > b\n>\n', '- a\n  - b\n    - c\n', '1. x\n\n1. y\n', '- a\n\n* b\n', '```\ncode\n\n```\n')), { minLength: 20, maxLength: 200 })
  .chain((blocks) => fc.constantFrom('\n\n', '\n').map((sep) => blocks.join(sep)));

describe('sanitizeMarkdown properties', () => {
  it('is safe and idempotent on long documents too', () => {
    fc.assert(
      fc.property(document, (input) => {
        const once = sanitizeMarkdown(input, policy).text;
        expect(auditMarkdown(once, policy)).toEqual([]);
        expect(sanitizeMarkdown(once, policy).text).toBe(once);
      }),
      { numRuns: 40 },
    );
  });

  it('never throws, and what it returns is safe as GitHub would parse it', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, anyString), (input) => {
        const out = sanitizeMarkdown(input, policy);
        expect(auditMarkdown(out.text, policy)).toEqual([]);
      }),
      runs,
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(markdownish, anyString), (input) => {
        const once = sanitizeMarkdown(input, policy).text;
        expect(sanitizeMarkdown(once, policy).text).toBe(once);
      }),
      runs,
    );
  });
});
