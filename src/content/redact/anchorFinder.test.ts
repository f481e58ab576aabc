import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automatonFinder, regexFinder } from './anchorFinder.js';
import { patternRules } from './patternScanner.js';

/** The oracle, by definition: every position where some anchor's characters follow, ASCII letters compared without case when asked. */
function naiveStarts(anchors: readonly string[], ignoreCase: boolean, text: string): number[] {
  const fold = (s: string) => (ignoreCase ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const folded = anchors.map(fold);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (folded.some((a) => fold(text.slice(i, i + a.length)) === a)) out.push(i);
  return out;
}

// A small alphabet, so anchors overlap, nest and repeat in the text, with a combining mark and a
// surrogate pair, and characters whose case mapping reaches ASCII (`K` Kelvin sign, dotless `ı`,
// long `ſ`, `İ`).
const unit = fc.constantFrom('a', 'b', 'A', 'B', 'x', '_', '-', '.', '\u212A', 'k', 'K', '\u0131', 'i', 'I', '\u017F', 's', 'S', '\u0130', '\u0301', '\uD83D', '\uDE00');
const anchorsArb = fc.array(fc.string({ unit, minLength: 1, maxLength: 5 }), { maxLength: 12 });
const textArb = fc.string({ unit, maxLength: 200 });
const ownAnchors = (ignoreCase: boolean) => [...new Set(patternRules.filter((r) => Boolean(r.ignoreCase) === ignoreCase).flatMap((r) => r.anchors))];

describe('automatonFinder', () => {
  it('finds every position where an anchor begins, and no other', () => {
    fc.assert(
      fc.property(anchorsArb, textArb, (anchors, text) => {
        expect(automatonFinder(anchors).starts(text)).toEqual(naiveStarts(anchors, false, text));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds our rules' case-sensitive anchors where the regular expression it replaced does, in text full of them", () => {
    const anchors = ownAnchors(false);
    const automaton = automatonFinder(anchors);
    const regex = regexFinder(anchors, false);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...anchors), fc.string({ maxLength: 4 })), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(automaton.starts(text)).toEqual(regex.starts(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives each start once, ascending, when anchors overlap and nest', () => {
    expect(automatonFinder(['xox', 'xoxe.xox', 'ox', 'e.x']).starts('xoxe.xoxp')).toEqual([0, 1, 3, 5, 6]);
    expect(automatonFinder(['abcde', 'cd', 'b']).starts('abcde')).toEqual([0, 1, 2]);
    expect(automatonFinder([]).starts('anything')).toEqual([]);
  });
});

describe('regexFinder', () => {
  it.each([false, true])('finds every position where an anchor begins (ignoreCase %s)', (ignoreCase) => {
    // ASCII anchors, as ours are: V8 equates some non-ASCII letters with ASCII ones in
    // case-insensitive alternations (`/ſa|s|s/i` matches `ſ`), which the scanner's exact comparison
    // after the finder drops.
    const ascii = fc.constantFrom('a', 'b', 'A', 'B', 'x', '_', '-', '.');
    fc.assert(
      fc.property(fc.array(fc.string({ unit: ascii, minLength: 1, maxLength: 5 }), { maxLength: 12 }), textArb, (anchors, text) => {
        const given = ignoreCase ? anchors.map((a) => a.toLowerCase()) : anchors;
        expect(regexFinder(given, ignoreCase).starts(text)).toEqual(naiveStarts(given, ignoreCase, text));
      }),
      { numRuns: 2000 },
    );
    expect(ownAnchors(true).every((a) => /^[\x20-\x7e]+$/.test(a))).toBe(true);
  });
});
