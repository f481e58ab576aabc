import { describe, expect, it } from 'vitest';
import { findAutolinkText } from './autolinkText.js';
import { endsWithKeyword, findClosingReferences } from './closingKeywords.js';
import { removeHtmlComments } from './htmlComments.js';
import { hasInvisible, removeControls, removeInvisible } from './invisible.js';
import { findMentions, normalizeMentions } from './mentions.js';

const spans = (text: string, ranges: Array<{ start: number; end: number }>) => ranges.map((r) => text.slice(r.start, r.end));

describe('findMentions', () => {
  const allowed = normalizeMentions(['@OctoCat', 'org/team']);
  it.each([
    ['hi @user', ['@user']],
    ['@user at start', ['@user']],
    ['(@user)', ['@user']],
    ['@org/team-x', ['@org/team-x']],
    ['@user/', ['@user']],
    ['a@b.com', []],
    ['x_@user', []],
    ['é@user', ['@user']],
    ['.@user', ['@user']],
    ['@-user', []],
    ['@', []],
    ['@octocat and @OCTOCAT', []],
    ['@org/team', []],
    ['@org/other', ['@org/other']],
    ['＠user', ['＠user']],
    ['﹫user', ['﹫user']],
    ['@ｕｓｅｒ', ['@ｕｓｅｒ']],
    ['@𝐮𝐬𝐞𝐫', ['@𝐮𝐬𝐞𝐫']],
    ['＠ｏｃｔｏｃａｔ', []],
    ['@a@b', ['@a']],
  ])('%j', (text, expected) => {
    expect(spans(text, findMentions(text, allowed))).toEqual(expected);
  });

  it('stays linear on hostile input', () => {
    const text = `${'@'.repeat(50_000)}${'a'.repeat(50_000)}`;
    const start = performance.now();
    findMentions(text, allowed);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('findClosingReferences', () => {
  it.each([
    ['fixes #1', ['#1']],
    ['Fixes: #1', ['#1']],
    ['closed GH-12', ['GH-12']],
    ['resolves o/r#3', ['o/r#3']],
    ['fix https://github.com/o/r/issues/4.', ['https://github.com/o/r/issues/4']],
    ['fixes #1, #2 and #3 & #4', ['#1', '#2', '#3', '#4']],
    ['fixes #1 in main', ['#1']],
    ['prefixes #1', []],
    ['fixed the bug #1', []],
    ['see #1', []],
    ['fixes #12abc', ['#12']],
  ])('%j', (text, expected) => {
    expect(spans(text, findClosingReferences(text))).toEqual(expected);
  });

  it('stays linear on hostile input', () => {
    const text = 'fixes-'.repeat(100_000);
    const start = performance.now();
    findClosingReferences(text);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it('endsWithKeyword', () => {
    expect(endsWithKeyword('this fixes ')).toBe(true);
    expect(endsWithKeyword('Closes:')).toBe(true);
    expect(endsWithKeyword('this fixes the')).toBe(false);
  });
});

describe('findAutolinkText', () => {
  it.each([
    ['see https://evil.com/x.', ['https://evil.com/x']],
    ['at www.evil.com, ok', ['www.evil.com']],
    ['mail a.b+c@evil.co.uk now', ['a.b+c@evil.co.uk']],
    ['mailto:x and xmpp:y@z', ['mailto:x', 'xmpp:y@z']],
    ['href="https://evil.com"', ['https://evil.com']],
    ['ｈｔｔｐｓ://evil.com', ['ｈｔｔｐｓ://evil.com']],
    ['awww.x and user@host and ://x', []],
  ])('%j', (text, expected) => {
    expect(spans(text, findAutolinkText(text))).toEqual(expected);
  });

  it('stays linear on hostile input', () => {
    const text = `${'a'.repeat(100_000)}@${'a.'.repeat(50_000)}${'x://'.repeat(20_000)}`;
    const start = performance.now();
    findAutolinkText(text);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe('removeHtmlComments', () => {
  it.each([
    ['a<!-- x -->b', 'ab'],
    ['a<!-->b', 'ab'],
    ['a<!--->b', 'ab'],
    ['a<!-- x --!>b', 'ab'],
    ['a<!-- unterminated', 'a'],
    ['<!<!-- -->-- x -->y', 'y'],
    ['no comment <!- -->', 'no comment <!- -->'],
  ])('%j → %j', (text, expected) => {
    const counts = {};
    expect(removeHtmlComments(text, counts)).toBe(expected);
  });
});

describe('invisible and control characters', () => {
  it('removes format characters, tags, supplementary variation selectors and Hangul fillers', () => {
    const counts: Record<string, number> = {};
    expect(removeInvisible('a\u200Bb\u202Ec\u2066d\u{E0041}e\u{E0100}f\u3164g\u00ADh\u034Fi', counts)).toBe('abcdefghi');
    expect(counts.invisible).toBe(8);
  });

  it('keeps one BMP variation selector after a character, and is idempotent', () => {
    const once = removeInvisible('❤\uFE0F\uFE0F\u200B\uFE0F x\uFE0E');
    expect(once).toBe('❤\uFE0F x\uFE0E');
    expect(removeInvisible(once)).toBe(once);
  });

  it('removes C0 and C1 controls but not tabs or line breaks', () => {
    expect(removeControls('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg\th\ni')).toBe('abcdefg\th\ni');
    expect(hasInvisible('plain\ttext\n')).toBe(false);
    expect(hasInvisible('a\u200Db')).toBe(true);
  });
});
