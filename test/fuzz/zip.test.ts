import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ZipCaps, ZIP_CAPS, extractZip, inspectZip } from '../../src/artifact/zip.js';
import { type RawEntry, rawZip, yazlZip } from '../zips.js';
import { HANG_BUDGET, HANG_TEST_MS, within } from './arbitraries.js';

/**
 * Issue 8, bad input: hostile archives through `inspectZip` and `extractZip`. Never a throw or a hang;
 * nothing created outside the fresh extraction directory (the whole sandbox around it is listed
 * before and after); never a symlink or special file; never more bytes than the caps.
 */

/** A case takes milliseconds; a hang is caught long before the whole test's limit. */
const PER_CASE_MS = 3_000;
const root = mkdtempSync(join(tmpdir(), 'pg-fuzz-zip-'));

/**
 * Errors nobody listened for (an 'error' event on a stream after its reader went away) crash the
 * action's process just like a throw; they are collected here and fail the case that caused them.
 */
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);
beforeAll(() => void process.on('uncaughtException', onUncaught));
afterAll(() => void process.off('uncaughtException', onUncaught));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (process.env.FUZZ_STATS) console.log(`zip fuzz: ${cases} cases, ${JSON.stringify(accepted)}`);
});

/** Name segments that matter to a path: traversal, separators, drives, controls, unicode, case twins. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'A', 'b', 'x.json', 'X.JSON', 'envelope.json', 'dir', 'Dir', 'é', 'e\u0301') },
  { weight: 3, arbitrary: fc.constantFrom('..', '.', '', 'C:', 'c:', '\\', '..\\..', '\u0000', '\n', '\r', '\u007f', '\u0085', '\u202e', '\u2028', 'CON', 'nul', '~', '$HOME', '%2e%2e', '\ud83d\ude00', '::error::x') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 1100 }).map((n) => 'n'.repeat(n)) },
);
const hostileName = fc
  .record({ parts: fc.array(segment, { minLength: 1, maxLength: 5 }), sep: fc.constantFrom('/', '/', '/', '\\'), lead: fc.constantFrom('', '', '', '/', '../', 'C:/', '\\\\server\\'), dir: fc.boolean() })
  .map(({ parts, sep, lead, dir }) => lead + parts.join(sep) + (dir ? '/' : ''));
/** Half plain names from a small pool (so duplicates, case twins and file-under-file clashes happen), half hostile. */
const entryName = fc.oneof(fc.constantFrom('envelope.json', 'Envelope.JSON', 'a/b.txt', 'a/', 'a', 'a/b.txt/c', 'dir/x', 'e\u0301.txt', '\u00e9.txt'), hostileName);

const S_IFREG = 0o100000;
const mode = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(0o100644, 0o100755, 0o040755, 0o120777, 0o020644, 0o060644, 0o010644, 0o140755, 0o000644, 0o170777),
  fc.integer({ min: 0, max: 0xffff }),
);

const data = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  { weight: 2, arbitrary: fc.constantFrom('../../../../etc/passwd', '/etc/passwd', 'C:\\Windows\\win.ini', '..') },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300_000 }).map((n) => Buffer.alloc(n)) },
);

/** Mostly what a zip tool writes, with one hostile field or more now and then. */
const rawEntry: fc.Arbitrary<RawEntry> = fc.record({
  name: entryName,
  data,
  mode: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: mode }),
  flags: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom(1, 8, 0x40, 0x2000), fc.integer({ min: 0, max: 0xffff })) }),
  method: fc.constantFrom<0 | 8>(0, 8),
  encrypted: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  declaredSize: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, 1, 100, 1024 * 1024, 0xffffffff), fc.nat({ max: 0xffffffff })) },
  ),
});

const caps: fc.Arbitrary<ZipCaps> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(ZIP_CAPS) },
  { weight: 1, arbitrary: fc.record({ entries: fc.integer({ min: 0, max: 8 }), entryBytes: fc.integer({ min: 0, max: 4096 }), totalBytes: fc.integer({ min: 0, max: 16_384 }) }) },
);

/** Every path under `dir` (relative), with what lstat says it is and its size. */
function walk(dir: string, out: Map<string, { kind: string; size: number }> = new Map(), base = dir): Map<string, { kind: string; size: number }> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = lstatSync(full);
    const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'special';
    out.set(relative(base, full), { kind, size: st.size });
    if (kind === 'dir') walk(full, out, base);
  }
  return out;
}

/** The rules `extractZip` promises for a name it accepts. */
function plainRelative(name: string): boolean {
  return (
    !/[\u0000-\u001f\u007f-\u009f]/.test(name) &&
    !name.startsWith('/') &&
    !/^[a-zA-Z]:/.test(name) &&
    !name.includes('\\') &&
    name.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

let cases = 0;
/** How often each function said yes, so a generator that only ever makes refused archives is noticed. */
export const accepted = { inspected: 0, extracted: 0, files: 0 };

/** One archive through both functions, in its own sandbox: `sandbox/in.zip` and `sandbox/a/b/parent`. */
async function check(zip: Buffer, limits: ZipCaps, settleMs = 2): Promise<void> {
  uncaught.length = 0;
  const sandbox = join(root, `case-${cases++}`);
  const parent = join(sandbox, 'a', 'b', 'parent');
  mkdirSync(parent, { recursive: true });
  const zipPath = join(sandbox, 'in.zip');
  writeFileSync(zipPath, zip);
  const before = [...walk(sandbox).keys()].sort();

  const inspected = await within(PER_CASE_MS, 'inspectZip', inspectZip(zipPath, limits));
  expect(typeof inspected.ok).toBe('boolean');
  if (inspected.ok) {
    expect(inspected.entries.length).toBeLessThanOrEqual(limits.entries);
    for (const e of inspected.entries) {
      expect(plainRelative(e.name), JSON.stringify(e.name)).toBe(true);
      expect(e.size).toBeLessThanOrEqual(limits.entryBytes);
    }
    expect(inspected.entries.reduce((n, e) => n + e.size, 0)).toBeLessThanOrEqual(limits.totalBytes);
  } else {
    expect(inspected.reason).toBeTypeOf('string');
    expect(inspected.reason.length).toBeLessThanOrEqual(200);
    expect(inspected.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }

  const extracted = await within(PER_CASE_MS, 'extractZip', extractZip(zipPath, parent, limits));
  expect(typeof extracted.ok).toBe('boolean');
  const after = walk(sandbox);
  const made = [...after.keys()].filter((p) => !before.includes(p));
  const dirRel = extracted.ok ? relative(sandbox, extracted.dir) : undefined;
  if (extracted.ok) {
    expect(inspected.ok, 'extracted an archive inspectZip refused').toBe(true);
    expect(dirRel!.startsWith(join('a', 'b', 'parent', 'extract-'))).toBe(true);
    expect(dirRel!.split('/')).toHaveLength(4);
  } else {
    expect(extracted.reason.length).toBeLessThanOrEqual(200);
    expect(extracted.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }
  // Nothing new anywhere in the sandbox but the extraction directory and what lies under it.
  for (const p of made) expect(dirRel !== undefined && (p === dirRel || p.startsWith(dirRel + '/')), `created ${JSON.stringify(p)} outside the extraction directory`).toBe(true);
  let total = 0;
  const files: string[] = [];
  for (const p of made) {
    const { kind, size } = after.get(p)!;
    expect(['file', 'dir'], `${p} is a ${kind}`).toContain(kind);
    if (kind === 'file') {
      expect(size).toBeLessThanOrEqual(limits.entryBytes);
      total += size;
      files.push(relative(dirRel!, p));
    }
  }
  expect(total).toBeLessThanOrEqual(limits.totalBytes);
  if (extracted.ok) expect(files.sort()).toEqual([...extracted.files].sort());
  if (inspected.ok) accepted.inspected++;
  if (extracted.ok) accepted.extracted++;
  accepted.files += files.length;
  // Let the streams the functions left behind finish, then look for errors no one was listening to.
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  expect(uncaught.map(String), 'an uncaught exception (it would crash the action)').toEqual([]);
  rmSync(sandbox, { recursive: true, force: true });
}

describe('fuzz: artifact zips (issue 8)', { timeout: HANG_TEST_MS }, () => {
  afterEach((context) => {
    if (process.env.FUZZ_STATS) console.log(`${context.task.name}: ${JSON.stringify(accepted)}`);
    Object.assign(accepted, { inspected: 0, extracted: 0, files: 0 });
  });

  it('hand-made archives: hostile names, modes, flags and lying sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rawEntry, { maxLength: 6 }), caps, async (entries, limits) => check(rawZip(entries), limits)),
      { numRuns: 300, ...HANG_BUDGET },
    );
  });

  it('archives of legal but unusual names (unicode, reserved device names, `~`, `%2e%2e`, long) extract inside the directory', async () => {
    const legalSegment = fc.oneof(
      fc.constantFrom('CON', 'nul', 'aux.txt', '~', '$HOME', '%2e%2e', '...', '.hidden', '::error::x', '##[x]', 'e\u0301', '\u00e9', '\ud83d\ude00', '\u202e', '-rf', ' ', 'a b'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f/\\]/.test(s) && s !== '.' && s !== '..'),
      fc.integer({ min: 100, max: 255 }).map((n) => 'n'.repeat(n)),
    );
    const legal = fc.record({ parts: fc.array(legalSegment, { minLength: 1, maxLength: 3 }), data: fc.uint8Array({ maxLength: 256 }), method: fc.constantFrom<0 | 8>(0, 8) });
    let files = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(legal, { maxLength: 5, selector: (e) => e.parts.join('/').normalize('NFC').toLowerCase() }), async (entries) => {
        const before = accepted.files;
        await check(rawZip(entries.map((e) => ({ name: e.parts.join('/'), data: Buffer.from(e.data), method: e.method }))), ZIP_CAPS);
        files += accepted.files - before;
      }),
      { numRuns: 150, ...HANG_BUDGET },
    );
    // The generator must reach the writing path, not only the refusals.
    expect(files).toBeGreaterThan(50);
  });

  it('a plain regular file beside a hostile entry: the hostile one never lands', async () => {
    const hostile = fc.record({ name: entryName, mode, data, declaredSize: fc.option(fc.nat({ max: 0xffffffff }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (bad, first) => {
        const good: RawEntry = { name: 'envelope.json', data: '{}', mode: S_IFREG | 0o644 };
        await check(rawZip(first ? [bad, good] : [good, bad]), ZIP_CAPS);
      }),
      { numRuns: 200, ...HANG_BUDGET },
    );
  });

  it('random byte corruption of valid archives', async () => {
    const files = fc.dictionary(fc.constantFrom('envelope.json', 'evidence.json', 'a/b.txt', 'dir/', 'dir/x', 'big.bin'), fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)), {
      minKeys: 1,
      maxKeys: 4,
    });
    const flips = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(files, flips, fc.option(fc.nat(), { nil: undefined }), caps, async (contents, edits, cut, limits) => {
        const clean = Object.fromEntries(Object.entries(contents).map(([k, v]) => [k, k.endsWith('/') ? Buffer.alloc(0) : v]));
        const zip = Buffer.from(await yazlZip(clean));
        for (const { at, value } of edits) zip[at % zip.length] = value;
        await check(cut === undefined ? zip : zip.subarray(0, cut % (zip.length + 1)), limits);
      }),
      { numRuns: 250, ...HANG_BUDGET },
    );
  });

  it('an entry whose header misstates its size (a deflate bomb, or short) writes no more than the caps and crashes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 * 1024 * 1024 }), fc.nat({ max: 4096 }), fc.constantFrom<0 | 8>(8, 0), async (real, declared, method) => {
        await check(rawZip([{ name: 'envelope.json', data: Buffer.alloc(real, 0x41), declaredSize: declared, method }]), { entries: 10, entryBytes: 8192, totalBytes: 16_384 }, 25);
      }),
      { numRuns: 40, ...HANG_BUDGET },
    );
  });
});
