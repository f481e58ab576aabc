import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Evidence } from './evidence.js';
import { Limits } from './limits.js';
import { validate } from './parse.js';

const exampleText = readFileSync(new URL('../../examples/evidence.json', import.meta.url), 'utf8');
const example = (): Record<string, any> => JSON.parse(exampleText);

function expectInvalid(value: unknown, pathPrefix?: string): string[] {
  const result = validate(Evidence, value);
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  if (pathPrefix !== undefined) {
    expect(
      result.issues.some((line) => line.startsWith(`${pathPrefix}:`) || line.startsWith(`${pathPrefix}.`)),
      result.issues.join('\n'),
    ).toBe(true);
  }
  return result.issues;
}

function expectValid(value: unknown) {
  const result = validate(Evidence, value);
  if (!result.ok) throw new Error(`expected valid, got:\n${result.issues.join('\n')}`);
  return result.value;
}

const gate = (name: string, result = 'PASS') => ({ name, result, completedAt: '2026-11-21T10:05:00Z' });

describe('Evidence', () => {
  it('parses examples/evidence.json', () => {
    const evidence = expectValid(example());
    expect(evidence.schema).toBe('publish-gate/evidence@1');
    expect(evidence.gates.map((g) => g.name)).toEqual(['verification', 'internal-review']);
    expect(evidence.gates[0]?.detailsUrl).toBe('https://github.com/octo/app/actions/runs/123456789');
  });

  it('accepts an empty gate list (the engine then reports missing gates)', () => {
    expectValid({ ...example(), gates: [] });
  });

  it('requires every top-level member', () => {
    for (const key of ['schema', 'repository', 'headSha', 'epoch', 'gates']) {
      const e = example();
      delete e[key];
      expectInvalid(e, key);
    }
  });

  it('rejects another schema identifier', () => {
    expectInvalid({ ...example(), schema: 'publish-gate/envelope@1' }, 'schema');
    expectInvalid({ ...example(), schema: 'publish-gate/evidence@2' }, 'schema');
  });

  const unknownMembers: [string, (e: Record<string, any>) => void][] = [
    ['extra', (e) => (e.extra = true)],
    ['gates.0', (e) => (e.gates[0].extra = true)],
    ['gates.1', (e) => (e.gates[1].status = 'PASS')],
  ];
  it.each(unknownMembers)('rejects unknown members (%s)', (path, mutate) => {
    const e = example();
    mutate(e);
    expectInvalid(e, path);
  });

  it('rejects duplicate gate names', () => {
    const issues = expectInvalid({ ...example(), gates: [gate('verification', 'FAIL'), gate('verification', 'PASS')] }, 'gates');
    expect(issues.join('\n')).toContain('each gate name at most once');
  });

  it('treats gate names as exact (case matters)', () => {
    expectValid({ ...example(), gates: [gate('verification'), gate('Verification')] });
  });

  it('accepts the four results and nothing else', () => {
    for (const result of ['PASS', 'FAIL', 'ERROR', 'SKIPPED']) expectValid({ ...example(), gates: [gate('g', result)] });
    for (const result of ['pass', 'SUCCESS', 'OK', '']) expectInvalid({ ...example(), gates: [gate('g', result)] }, 'gates.0.result');
  });

  it('requires ISO 8601 completion times', () => {
    for (const completedAt of ['2026-11-21T10:05:00Z', '2026-11-21T10:05:00.123Z', '2026-11-21T12:05:00+02:00']) {
      expectValid({ ...example(), gates: [{ ...gate('g'), completedAt }] });
    }
    for (const completedAt of ['yesterday', '2026-11-21', '1700000000', '', `2026-11-21T10:05:00Z${' '.repeat(40)}`]) {
      expectInvalid({ ...example(), gates: [{ ...gate('g'), completedAt }] }, 'gates.0.completedAt');
    }
  });

  it('requires absolute, bounded details URLs', () => {
    for (const detailsUrl of ['not a url', '/relative/path', `https://example.com/${'x'.repeat(Limits.url)}`]) {
      expectInvalid({ ...example(), gates: [{ ...gate('g'), detailsUrl }] }, 'gates.0.detailsUrl');
    }
  });

  it('bounds gate names and the number of gates', () => {
    for (const name of ['', 'n'.repeat(Limits.name + 1), 'a\nb']) {
      expectInvalid({ ...example(), gates: [gate(name)] }, 'gates.0.name');
    }
    expectValid({ ...example(), gates: Array.from({ length: Limits.gates }, (_, i) => gate(`g${i}`)) });
    expectInvalid({ ...example(), gates: Array.from({ length: Limits.gates + 1 }, (_, i) => gate(`g${i}`)) }, 'gates');
  });

  it('binds to a repository and a 40-hex head SHA', () => {
    for (const headSha of ['A'.repeat(40), 'a'.repeat(39), 'a'.repeat(41), 'main']) {
      expectInvalid({ ...example(), headSha }, 'headSha');
    }
    for (const repository of ['octo', 'octo/app/x', '', 'octo/app ']) {
      expectInvalid({ ...example(), repository }, 'repository');
    }
  });

  it('rejects empty or control-character epochs', () => {
    for (const epoch of ['', 'a\nb', 'e'.repeat(Limits.epoch + 1)]) expectInvalid({ ...example(), epoch }, 'epoch');
  });
});
