import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyString } from './arbitraries.testing.js';
import { graphemeFloor, prefixWithin } from './boundary.js';
import { Limits, fits, measure } from './limits.js';
import { sanitizePlain } from './sanitizePlain.js';
import { truncatePlain } from './truncatePlain.js';

describe('measure and fits', () => {
  it('counts code points and UTF-8 bytes; a lone surrogate is U+FFFD', () => {
    expect(measure('aé漢😀')).toEqual({ chars: 4, bytes: 1 + 2 + 3 + 4 });
    expect(measure('\uD800x')).toEqual({ chars: 2, bytes: 4 });
    expect(fits('😀'.repeat(10), { chars: 10, bytes: 40 })).toBe(true);
    expect(fits('😀'.repeat(10), { chars: 10, bytes: 39 })).toBe(false);
  });

  it('has GitHub’s limits, bytes budgeted like characters', () => {
    expect(Limits.body).toEqual({ chars: 65_536, bytes: 65_536 });
    expect(Limits.checkRunText).toEqual({ chars: 65_535, bytes: 65_535 });
    expect(Limits.annotationTitle).toEqual({ chars: 255, bytes: 255 });
    expect(Limits.statusDescription).toEqual({ chars: 140, bytes: 140 });
  });
});

describe('boundaries', () => {
  it('prefixWithin never splits a surrogate pair', () => {
    expect(prefixWithin('a😀b', { chars: 2, bytes: 100 })).toBe(3);
    expect(prefixWithin('a😀b', { chars: 10, bytes: 4 })).toBe(1);
  });

  it('graphemeFloor backs off to the start of a cluster', () => {
    const family = '👨‍👩‍👧';
    expect(graphemeFloor(`ab${family}c`, 4)).toBe(2);
    expect(graphemeFloor('xe\u0301y', 2)).toBe(1);
    expect(graphemeFloor('abc', 2)).toBe(2);
  });
});

describe('sanitizePlain', () => {
  it('removes invisible characters and turns control runs and line breaks into one space', () => {
    expect(sanitizePlain('  Fix\u202E it\r\n\tnow\u0000\u0007!\u2028end ')).toBe('Fix it now !end'.replace('!end', '! end'));
  });

  it('keeps Markdown and mentions as they are (plain fields are not rendered as Markdown)', () => {
    expect(sanitizePlain('**bold** @user')).toBe('**bold** @user');
  });
});

describe('truncatePlain', () => {
  it('returns text within the limit unchanged and cuts longer text with an ellipsis', () => {
    expect(truncatePlain('short', Limits.annotationTitle)).toBe('short');
    const out = truncatePlain('word '.repeat(100), Limits.annotationTitle);
    expect(out.endsWith('…')).toBe(true);
    expect(fits(out, Limits.annotationTitle)).toBe(true);
  });

  it('never splits a grapheme', () => {
    const out = truncatePlain('👨‍👩‍👧'.repeat(30), { chars: 40, bytes: 400 });
    expect(out).toMatch(/^(?:👨‍👩‍👧)+…$/u);
  });

  it('stays within limits for any string and limit', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 200 }), (text, chars, bytes) => {
        const out = truncatePlain(text, { chars, bytes });
        expect(fits(out, { chars, bytes })).toBe(true);
        expect(out.isWellFormed()).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('sanitizePlain is idempotent and leaves no control or invisible character', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const once = sanitizePlain(text);
        expect(sanitizePlain(once)).toBe(once);
        expect(once).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
      }),
      { numRuns: 300 },
    );
  });
});
