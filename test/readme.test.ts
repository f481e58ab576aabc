import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCKER_CODES, WARNING_CODES } from '../src/decide/blockers.js';
import {
  BLOCK_NAMES,
  POLICY_NOTES,
  type SchemaNode,
  applyBlocks,
  cell,
  code,
  diffSummary,
  extractBlocks,
  generateBlocks,
  outputsTable,
  parseAction,
  policyRows,
  readSources,
  splitExample,
} from '../scripts/readme.js';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const sources = readSources(root);
const action = parseAction(sources.actionYml);
const schema = JSON.parse(sources.configSchema) as SchemaNode;
const expected = generateBlocks(sources);
const current = extractBlocks(readme);

describe('README generated blocks', () => {
  it('match what `npm run readme` would write (run it when this fails)', () => {
    const diff = diffSummary(current, expected);
    expect(diff, diff.join('\n')).toEqual([]);
    expect(applyBlocks(readme, expected)).toBe(readme);
  });

  it('list every input of action.yml with its default', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = current.inputs.split('\n').find((line) => line.startsWith(`| ${code(name)} |`));
      expect(row, name).toBeDefined();
      if (input.default) expect(row, name).toContain(code(String(input.default)));
    }
  });

  it('list every output of action.yml with a parseable example value', () => {
    for (const [name, output] of Object.entries(action.outputs)) {
      const { example } = splitExample(output.description);
      expect(example, `${name}: end its description with Example: \`…\`.`).toBeTruthy();
      const row = current.outputs.split('\n').find((line) => line.startsWith(`| ${code(name)} |`));
      expect(row, name).toBeDefined();
      expect(row, name).toContain(cell(code(example!)));
    }
  });

  it('list every blocker code, in the order of SPEC §8, with warning-level codes marked', () => {
    const rows = current.blockers.split('\n').filter((line) => /^\| `[A-Z_]+` \|/.test(line));
    expect(rows.map((r) => /^\| `([A-Z_]+)`/.exec(r)![1])).toEqual([...BLOCKER_CODES]);
    for (const row of rows) {
      const c = /^\| `([A-Z_]+)`/.exec(row)![1] as (typeof BLOCKER_CODES)[number];
      expect(row.split(' | ')[2], c).toBe(WARNING_CODES.has(c) ? 'warning' : 'blocks');
    }
  });

  it('document every key path of the policy schema', () => {
    const rows = policyRows(schema);
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining(['version', 'approval.environment', 'writes.branch.deny-paths', 'limits.max-writes']));
    for (const r of rows) {
      expect(POLICY_NOTES[r.path], `POLICY_NOTES has no entry for ${r.path}`).toBeTruthy();
      expect(current.policy, r.path).toContain(code(r.path));
    }
    // No note for a key the schema no longer has.
    expect(Object.keys(POLICY_NOTES).sort()).toEqual(rows.map((r) => r.path).sort());
  });
});

describe('scripts/readme.ts', () => {
  it('splits the example sentence off an output description', () => {
    expect(splitExample('The count. Example: `42`.')).toEqual({ text: 'The count.', example: '42' });
    expect(splitExample('No example here.')).toEqual({ text: 'No example here.', example: undefined });
  });

  it('refuses an output without an example', () => {
    expect(() => outputsTable({ inputs: {}, outputs: { x: { description: 'Something.' } } })).toThrow(/Example/);
  });

  it('escapes pipes and line breaks in table cells, and backticks in code', () => {
    expect(cell('a | b\n  c')).toBe('a \\| b c');
    expect(code('a`b')).toBe('`` a`b ``');
  });

  it('reports a drifted block and rewrites only the text between the markers', () => {
    const drifted = applyBlocks(readme, { ...expected, inputs: '| stale |' });
    expect(diffSummary(extractBlocks(drifted), expected)).toEqual([expect.stringMatching(/^inputs: /)]);
    expect(applyBlocks(drifted, expected)).toBe(readme);
  });

  it('fails loudly when a marker is missing', () => {
    for (const name of BLOCK_NAMES) expect(() => extractBlocks(readme.replace(`<!-- /generated:${name} -->`, ''))).toThrow(name);
  });
});
