import { createHash } from 'node:crypto';
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it, vi } from 'vitest';
import { Envelope } from './envelope.js';
import { Limits } from './limits.js';
import { byteLength, describeIssues, jsonDepth, parseJson, parseYaml, validate, valueDepth, yamlFlowDepth } from './parse.js';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('parseJson: size', () => {
  it('refuses text over the byte limit, counting UTF-8 bytes, before parsing', () => {
    // Not JSON at all: the size refusal must come first.
    expect(parseJson(`{${'x'.repeat(100)}`, 100)).toEqual({ ok: false, issues: ['document is larger than 100 bytes'] });
    // 60 characters, 120 bytes.
    const text = JSON.stringify('é'.repeat(58));
    expect(text.length).toBeLessThanOrEqual(100);
    expect(byteLength(text)).toBeGreaterThan(100);
    expect(parseJson(text, 100).ok).toBe(false);
    expect(parseJson(text, 200).ok).toBe(true);
  });

  it('accepts text exactly at the limit', () => {
    const text = JSON.stringify('x'.repeat(98));
    expect(byteLength(text)).toBe(100);
    expect(parseJson(text, 100)).toEqual({ ok: true, value: 'x'.repeat(98) });
  });
});

describe('parseJson: depth', () => {
  it('refuses 100,000 levels of nesting quickly, without throwing', () => {
    const text = '['.repeat(100_000);
    const started = performance.now();
    const result = parseJson(text, Limits.envelopeBytes);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toEqual({ ok: false, issues: [`document nests deeper than ${Limits.maxDepth} levels`] });
    const balanced = parseJson(nested(100_000, '{"a":', '}'), Limits.envelopeBytes);
    expect(balanced.ok).toBe(false);
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    expect(parseJson(nested(Limits.maxDepth), 1_000_000).ok).toBe(true);
    expect(parseJson(nested(Limits.maxDepth + 1), 1_000_000)).toEqual({
      ok: false,
      issues: [`document nests deeper than ${Limits.maxDepth} levels`],
    });
  });

  it('does not count brackets inside strings', () => {
    const text = JSON.stringify({ a: '['.repeat(1000), b: '\\"[[[[', c: '"{{{{' });
    expect(jsonDepth(text)).toBe(1);
    expect(parseJson(text, 1_000_000).ok).toBe(true);
  });

  it('measures depth of objects and arrays together', () => {
    expect(jsonDepth('{"a":[{"b":[]}]}')).toBe(4);
    expect(jsonDepth('[] [] []')).toBe(1);
    expect(jsonDepth('"no containers"')).toBe(0);
    expect(jsonDepth('['.repeat(1000), 10)).toBe(11);
  });

  it('gives the depth a character-by-character scan gives, for any text of JSON-ish characters', () => {
    // The obvious scan, one character at a time: the oracle for the regular-expression version.
    const oracle = (text: string, stopAt = Infinity) => {
      let depth = 0;
      let max = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') {
          max = Math.max(max, ++depth);
          if (max > stopAt) return max;
        } else if (c === '}' || c === ']') depth--;
      }
      return max;
    };
    const jsonish = fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', ',', ':', ' ') });
    fc.assert(
      fc.property(jsonish, fc.option(fc.nat(6), { nil: undefined }), (text, stopAt) => {
        expect(jsonDepth(text, stopAt)).toBe(oracle(text, stopAt));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonDepth(JSON.stringify(value))).toBe(oracle(JSON.stringify(value)));
      }),
    );
  });

  it('measures the depth of parsed values', () => {
    expect(valueDepth(1)).toBe(0);
    expect(valueDepth({ a: [{ b: [] }] })).toBe(4);
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(valueDepth(deep)).toBe(Limits.maxDepth + 1);
  });
});

describe('parseJson: content', () => {
  it('reports invalid JSON readably', () => {
    for (const text of ['', '{', '{"a":1,}', "{'a':1}", 'undefined', '{"a":1} x']) {
      const result = parseJson(text, 1000);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.issues).toHaveLength(1);
        expect(result.issues[0]).toMatch(/^not valid JSON: /);
        expect(result.issues[0]!.length).toBeLessThanOrEqual(216);
      }
    }
  });

  it('strips a byte order mark', () => {
    expect(parseJson('\uFEFF{"a":1}', 1000)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('replaces lone surrogates in values and keys so the result can be hashed', () => {
    const text = '{"a":"x\\ud800y","\\udc00k":["\\udfff",{"deep":"\\ud83d"}],"ok":"\\ud83d\\ude00"}';
    const result = parseJson(text, 1000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as Record<string, any>;
    expect(value.a).toBe('x\uFFFDy');
    expect(value['\uFFFDk']).toEqual(['\uFFFD', { deep: '\uFFFD' }]);
    expect(value.ok).toBe('😀');
    expect(Object.keys(value).every((k) => k.isWellFormed())).toBe(true);
    const serialized = JSON.stringify(value);
    expect(serialized.isWellFormed()).toBe(true);
    // Hashing the UTF-8 bytes is lossless: decoding gives back the same text.
    const bytes = Buffer.from(serialized, 'utf8');
    expect(bytes.toString('utf8')).toBe(serialized);
    expect(createHash('sha256').update(serialized, 'utf8').digest('hex')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves no lone surrogate, whether it came as text, as an escape in either case, or not at all', () => {
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]) : [];
    // Any text, lone surrogates included; written raw, or as escapes as JSON.stringify writes them (lower case) or in upper case.
    const anyText = fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udfff', '\ud83d', '\ude00', 'a', '\\', 'u'), fc.string({ unit: 'binary', maxLength: 1 })) });
    const spelling = fc.constantFrom('raw', 'lower', 'upper');
    // A surrogate escape, not an escaped backslash followed by `u`.
    const SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(d[89a-f][0-9a-f]{2})/g;
    fc.assert(
      fc.property(fc.dictionary(anyText, fc.oneof(anyText, fc.array(anyText))), spelling, (value, how) => {
        const escaped = JSON.stringify(value);
        const text = how === 'raw' ? escaped.replace(SURROGATE_ESCAPE, (_, pre: string, hex: string) => pre + String.fromCharCode(parseInt(hex, 16))) : how === 'upper' ? escaped.replace(SURROGATE_ESCAPE, (_, pre: string, hex: string) => `${pre}\\u${hex.toUpperCase()}`) : escaped;
        const result = parseJson(text, 1_000_000);
        expect(result.ok).toBe(true);
        if (result.ok) expect(strings(result.value).every((s) => s.isWellFormed())).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('replaces a lone surrogate in a top-level string', () => {
    expect(parseJson('"\\udead"', 100)).toEqual({ ok: true, value: '\uFFFD' });
  });

  it('keeps __proto__ as plain data', () => {
    const result = parseJson('{"__proto__":{"polluted":true}}', 1000);
    expect(result.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseYaml', () => {
  it('parses one document of plain data', () => {
    expect(parseYaml('a: 1\nb: [x, "y"]\n', 1000)).toEqual({ ok: true, value: { a: 1, b: ['x', 'y'] } });
  });

  it('refuses oversized text before parsing', () => {
    expect(parseYaml(`a: [${'x'.repeat(200)}`, 100)).toEqual({ ok: false, issues: ['document is larger than 100 bytes'] });
  });

  it('refuses duplicate keys', () => {
    const result = parseYaml('a: 1\na: 2\n', 1000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatch(/^not valid YAML: Map keys must be unique/);
  });

  it('refuses deep nesting in flow and block style', () => {
    expect(parseYaml(`a: ${nested(Limits.maxDepth + 1)}\n`, 100_000).ok).toBe(false);
    const block = Array.from({ length: Limits.maxDepth + 1 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    const result = parseYaml(block, 100_000);
    expect(result).toEqual({ ok: false, issues: [`document nests deeper than ${Limits.maxDepth} levels`] });
  });

  it('refuses very deep flow nesting up to the size limit without throwing', () => {
    const text = `a: ${'['.repeat(Limits.policyBytes / 2 - 4)}`;
    const started = performance.now();
    const result = parseYaml(text, Limits.policyBytes);
    expect(result.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('refuses deep flow nesting from the lexer, before composing (which would overflow the stack)', () => {
    const depthIssue = { ok: false, issues: [`document nests deeper than ${Limits.maxDepth} levels`] };
    expect(parseYaml(`a: ${'['.repeat(Limits.policyBytes / 2)}`, Limits.policyBytes)).toEqual(depthIssue);
    expect(parseYaml(`${'{a: '.repeat(Limits.maxDepth + 1)}1`, Limits.policyBytes)).toEqual(depthIssue);
    // Exactly at the limit, closed, it parses.
    expect(parseYaml(`a: ${'['.repeat(Limits.maxDepth - 1)}1${']'.repeat(Limits.maxDepth - 1)}`, Limits.policyBytes).ok).toBe(true);
  });

  it('counts flow brackets only where the lexer sees them, not in scalars or comments', () => {
    expect(yamlFlowDepth('a: [1, {b: "x[[y"}, \'[[\']\nc: d[[e\n# [[[ comment\n')).toBe(2);
    expect(yamlFlowDepth(`a: "${'['.repeat(500)}"\n`)).toBe(0);
    expect(parseYaml(`a: "${'['.repeat(500)}"\nb: x${'{'.repeat(500)}\n`, 10_000)).toEqual({ ok: true, value: { a: '['.repeat(500), b: `x${'{'.repeat(500)}` } });
  });

  it('refuses mapping keys that are collections or aliases, without printing a warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      // 400 nested complex keys: 801 bytes that took 47 s to turn into data before this check.
      const nestedKeys = parseYaml(`${'? '.repeat(400)}1`, Limits.policyBytes);
      expect(nestedKeys).toEqual({ ok: false, issues: ['not valid YAML: a mapping key must be a plain value, not a collection'] });
      expect(parseYaml('? [a, b]\n: 1\n', 1000)).toEqual({ ok: false, issues: ['not valid YAML: a mapping key must be a plain value, not a collection'] });
      expect(parseYaml('x: &k [a]\n? *k\n: 1\n', 1000)).toEqual({ ok: false, issues: ['not valid YAML: a mapping key must be a plain value, not an alias'] });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    // An explicit key that is a scalar is an ordinary key.
    expect(parseYaml('? a\n: 1\n', 1000)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('replaces lone surrogates', () => {
    expect(parseYaml('a: "x\\ud800"\n', 1000)).toEqual({ ok: true, value: { a: 'x\uFFFD' } });
  });
});

describe('describeIssues and validate', () => {
  const Schema = v.strictObject({ items: v.array(v.strictObject({ n: v.number() })) });

  it('formats issues as `path: message`', () => {
    const result = validate(Schema, { items: [{ n: 'one' }] });
    expect(result).toEqual({
      ok: false,
      issues: ['items.0.n: Invalid type: Expected number but received "one" (expected number, received "one")'],
    });
  });

  it('names the whole document when the issue has no path', () => {
    const result = validate(Schema, 42);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatch(/^\(document\): /);
  });

  it(`caps the list at ${Limits.maxIssues} issues plus a count of the rest`, () => {
    const result = validate(Schema, { items: Array.from({ length: 30 }, () => ({ n: 'x' })) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(Limits.maxIssues + 1);
    expect(result.issues.slice(0, Limits.maxIssues).every((line, i) => line.startsWith(`items.${i}.n: `))).toBe(true);
    expect(result.issues[Limits.maxIssues]).toBe('… and 10 more issues');
  });

  it('does not add a count line at exactly the cap', () => {
    const result = validate(Schema, { items: Array.from({ length: Limits.maxIssues }, () => ({ n: 'x' })) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toHaveLength(Limits.maxIssues);
  });

  it('bounds each line, even when the input is huge', () => {
    const huge = 'k'.repeat(10_000);
    const result = validate(Schema, { items: [], [huge]: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.length).toBeLessThanOrEqual(500);
  });

  it('reports every envelope finding that is wrong, capped', () => {
    const issues = describeIssues(
      v.safeParse(Envelope, {
        schema: 'publish-gate/envelope@1',
        task: { id: 't', status: 'succeeded' },
        target: { repository: 'octo/app', baseRef: 'main', baseSha: 'a'.repeat(40), headRef: 'x', headSha: 'b'.repeat(40) },
        epoch: 'e',
        intent: [],
        findings: Array.from({ length: 25 }, () => ({ ruleId: 'r', severity: 'bad', confidence: 1, path: 'p', startLine: 1, title: 't' })),
      }).issues ?? [],
    );
    expect(issues).toHaveLength(Limits.maxIssues + 1);
    expect(issues.at(-1)).toBe('… and 5 more issues');
  });
});
