import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { workflowRunIdOf } from '../../src/connect.js';
import { anyCodeUnit, deepJsonText, hostileJsonValue, hostileText } from './arbitraries.js';

/** Issue 8, bad input: the event payload the runner wrote, read for the `workflow_run` run id. */

const temp = mkdtempSync(join(tmpdir(), 'pg-fuzz-event-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let n = 0;
function check(payload: string | Buffer, env: Record<string, string | undefined> = {}): number | undefined {
  const path = join(temp, `event-${n++}.json`);
  writeFileSync(path, payload);
  let id: number | undefined;
  const started = performance.now();
  try {
    id = workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: path, ...env });
  } catch (error) {
    throw new Error(`workflowRunIdOf threw: ${String(error)}`, { cause: error });
  } finally {
    rmSync(path, { force: true });
  }
  expect(performance.now() - started).toBeLessThan(2_000);
  if (id !== undefined) {
    expect(Number.isSafeInteger(id)).toBe(true);
    expect(id).toBeGreaterThan(0);
  }
  return id;
}

/** An id field worth trying: numbers of every kind, strings that look like numbers, objects. */
const idValue = fc.oneof(
  fc.constantFrom(1, 0, -1, 1.5, 2 ** 53, 2 ** 53 - 1, -0, 1e308, '123', '0x10', null, true, [], {}, [1], { valueOf: 1 }),
  fc.double(),
  fc.integer(),
  fc.bigInt().map((b) => b.toString()),
  hostileJsonValue,
);

describe('fuzz: event payloads (issue 8)', () => {
  it('a valid workflow_run payload gives its id', () => {
    expect(check(JSON.stringify({ workflow_run: { id: 123456789 } }))).toBe(123456789);
  });

  it('arbitrary files, JSON or not: undefined or a positive safe integer', () => {
    const payload = fc.oneof(
      fc.string({ unit: anyCodeUnit, maxLength: 300 }),
      hostileText(100),
      fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
      fc.json(),
      hostileJsonValue.map((v) => JSON.stringify(v) ?? ''),
      deepJsonText,
    );
    fc.assert(
      fc.property(payload, (p) => void check(p)),
      { numRuns: 400 },
    );
  });

  it('payloads shaped like workflow_run with any id, written as JSON text (including raw numerals)', () => {
    const numeral = fc.oneof(
      fc.constantFrom('1e3', '1E+2', '9007199254740993', '12345678901234567890', '-5', '0.0', '1.0', '00012', '1e-7', '5e-324'),
      fc.bigInt().map(String),
    );
    const shaped = fc.oneof(
      idValue.map((id) => JSON.stringify({ workflow_run: { id } }) ?? ''),
      numeral.map((id) => `{"workflow_run":{"id":${id}}}`),
      fc.tuple(idValue, hostileJsonValue).map(([id, extra]) => JSON.stringify({ workflow_run: { id, extra }, __proto__: extra }) ?? ''),
      fc.constantFrom('{"workflow_run":null}', '{"workflow_run":1}', '[]', 'null', '{"__proto__":{"workflow_run":{"id":7}}}', '{"workflow_run":{"__proto__":{"id":7}}}'),
    );
    fc.assert(
      fc.property(shaped, (p) => void check(p)),
      { numRuns: 400 },
    );
  });

  it('other events, a missing path, a directory, a huge file: undefined', () => {
    expect(check('{"workflow_run":{"id":5}}', { GITHUB_EVENT_NAME: 'pull_request' })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: join(temp, 'missing.json') })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: temp })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: '' })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: '/dev/null' })).toBeUndefined();
    // Over the 25 MiB cap: refused on its size, not parsed.
    const huge = `{"workflow_run":{"id":7},"pad":"${'x'.repeat(26 * 1024 * 1024)}"}`;
    expect(check(huge)).toBeUndefined();
    // Just under it: parsed.
    expect(check(`{"workflow_run":{"id":7},"pad":"${'x'.repeat(24 * 1024 * 1024)}"}`)).toBe(7);
  });
});
