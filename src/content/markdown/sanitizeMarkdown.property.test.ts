import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyString, markdownish } from './arbitraries.testing.js';
import { auditMarkdown } from './audit.js';
import { sanitizeMarkdown, type MarkdownPolicy } from './sanitizeMarkdown.js';

const policy: MarkdownPolicy = { allowedMentions: ['octocat'], allowedDomains: ['github.com'] };
const runs = { numRuns: 300 };

describe('sanitizeMarkdown properties', () => {
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
