import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeFindings } from './mergeFindings.js';

describe('mergeFindings', () => {
  it('sorts and keeps separate findings, touching ones too', () => {
    expect(mergeFindings([{ rule: 'b', start: 10, end: 12 }, { rule: 'a', start: 0, end: 5 }, { rule: 'c', start: 5, end: 7 }])).toEqual([
      { rule: 'a', start: 0, end: 5 },
      { rule: 'c', start: 5, end: 7 },
      { rule: 'b', start: 10, end: 12 },
    ]);
  });

  it('merges overlaps into one span named after the longest finding', () => {
    expect(mergeFindings([{ rule: 'short', start: 0, end: 4 }, { rule: 'long', start: 2, end: 20 }, { rule: 'mid', start: 18, end: 25 }])).toEqual([
      { rule: 'long', start: 0, end: 25 },
    ]);
  });

  it('on equal lengths the finding listed first wins', () => {
    expect(mergeFindings([{ rule: 'known-secret', start: 3, end: 9 }, { rule: 'github-token', start: 3, end: 9 }])).toEqual([{ rule: 'known-secret', start: 3, end: 9 }]);
    expect(mergeFindings([{ rule: 'github-token', start: 3, end: 9 }, { rule: 'known-secret', start: 3, end: 9 }])).toEqual([{ rule: 'github-token', start: 3, end: 9 }]);
  });

  it('drops empty and inverted spans', () => {
    expect(mergeFindings([{ rule: 'a', start: 4, end: 4 }, { rule: 'b', start: 5, end: 2 }])).toEqual([]);
  });

  it('covers exactly the union of the findings, sorted and disjoint', () => {
    const finding = fc.record({ rule: fc.constantFrom('a', 'b', 'c'), start: fc.nat(200), length: fc.nat(30) }).map(({ rule, start, length }) => ({ rule, start, end: start + length }));
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 30 }), (findings) => {
        const merged = mergeFindings(findings);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThanOrEqual(merged[i - 1]!.end);
        for (let x = 0; x < 240; x++) {
          const inInput = findings.some((f) => f.start <= x && x < f.end);
          const inMerged = merged.some((f) => f.start <= x && x < f.end);
          expect(inMerged).toBe(inInput);
        }
      }),
    );
  });
});
