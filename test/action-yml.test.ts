import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Inputs, Outputs } from '../src/constants.js';
import { BLOCKER_CODES } from '../src/decide/blockers.js';

const root = resolve(import.meta.dirname, '..');
const action = parse(readFileSync(resolve(root, 'action.yml'), 'utf8')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
};
const specPath = resolve(root, '../shared/SPEC.md');
const spec = existsSync(specPath) ? readFileSync(specPath, 'utf8') : undefined;

/** Names in the first column of the Markdown table under a SPEC heading. */
function tableNames(heading: string): string[] {
  const section = spec!.split(/^## /m).find((s) => s.startsWith(heading))!;
  return [...section.matchAll(/^\| `([^|]+?)` \|/gm)].flatMap((m) => m[1]!.split(/`, `/));
}

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(resolve(root, action.runs.main))).toBe(true);
  });

  it('declares exactly the inputs and outputs the code reads and sets, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort());
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort());
    for (const item of [...Object.values(action.inputs), ...Object.values(action.outputs)]) expect(item.description.length).toBeGreaterThan(10);
  });

  it('defaults to a mode that writes nothing', () => {
    expect(action.inputs.mode!.default).toBe('dry-run');
  });

  describe.skipIf(!spec)('against ../shared/SPEC.md', () => {
    it('keeps every input and output name of SPEC §2–3', () => {
      expect(Object.keys(action.inputs).sort()).toEqual(tableNames('2. Action inputs').sort());
      expect(Object.keys(action.outputs).sort()).toEqual(tableNames('3. Action outputs').sort());
    });

    it('keeps every blocker code of SPEC §8, in order', () => {
      const section = spec!.split(/^## /m).find((s) => s.startsWith('8.'))!;
      const codes = section.split('\n\n').find((p) => p.startsWith('`MODE_OFF`'))!.match(/`([A-Z_]+)`/g)!.map((c) => c.slice(1, -1));
      expect([...BLOCKER_CODES]).toEqual(codes);
    });
  });
});

if (!spec) console.warn('action-yml.test: ../shared/SPEC.md not found (fresh clone); the SPEC comparison is skipped.');
