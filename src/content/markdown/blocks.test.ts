import { describe, expect, it } from 'vitest';
import { GROUP_COST, groupPieces, parseCost, topLevelStarts } from './blocks.js';

const pieces = (text: string) => {
  const starts = topLevelStarts(text);
  return starts.map((s, i) => text.slice(s, starts[i + 1] ?? text.length));
};

describe('topLevelStarts', () => {
  it('cuts before each top-level block that follows a blank line', () => {
    expect(pieces('# A\n\npara\nmore\n\n- x\n- y\n\n> q\n')).toEqual(['# A\n\n', 'para\nmore\n\n', '- x\n- y\n\n', '> q\n']);
  });

  it('does not cut inside a list item, fenced code or a multi-line HTML block', () => {
    expect(pieces('- a\n\n  b\n')).toEqual(['- a\n\n  b\n']);
    expect(pieces('```\na\n\nb\n```\n\nc')).toEqual(['```\na\n\nb\n```\n\n', 'c']);
    expect(pieces('~~~~\n```\n\nx\n~~~~\n')).toEqual(['~~~~\n```\n\nx\n~~~~\n']);
    expect(pieces('<!--\n\nhidden\n\n-->\n\nafter')).toEqual(['<!--\n\nhidden\n\n-->\n\n', 'after']);
    expect(pieces('<pre>\n\nx\n</pre>\n\ny')).toEqual(['<pre>\n\nx\n</pre>\n\n', 'y']);
  });

  it('does not take an indented fence (a list item’s) for a top-level one', () => {
    expect(pieces('- ```js\n  x\n  ```\n\n```\ncode\n\nmore\n```\n\nend')).toEqual(['- ```js\n  x\n  ```\n\n', '```\ncode\n\nmore\n```\n\n', 'end']);
  });
});

describe('parse cost and groups', () => {
  it('counts container transitions, weighted by depth, times lines; flat lists and long quotes stay cheap', () => {
    expect(parseCost('- a\n- b\n- c')).toBe(3);
    expect(parseCost('> a\n> b\n> c')).toBe(3);
    expect(parseCost('- a\n  - b\n- c\n  - d')).toBeGreaterThan(30);
    expect(parseCost('```\n> a\n  - b\n```')).toBe(0);
  });

  it('groups cheap pieces together and bounds every group', () => {
    const text = '> [!NOTE]\n> x\n\n'.repeat(3000);
    const groups = groupPieces(text);
    expect(groups.map((g) => g.text).join('')).toBe(text);
    expect(groups.length).toBeGreaterThan(10);
    for (const g of groups) expect(g.parse && parseCost(g.text) <= GROUP_COST * 2).toBe(true);
    expect(groupPieces('# one\n\ntext\n\n- a\n- b\n')).toHaveLength(1);
  });

  it('marks a piece too costly to parse', () => {
    const deep = Array.from({ length: 600 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n');
    expect(groupPieces(deep)).toEqual([{ text: deep, parse: false }]);
  });
});
