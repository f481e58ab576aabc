import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RawEntry, rawZip, yazlZip } from '../../test/zips.js';
import { ZIP_CAPS, extractZip, inspectZip } from './zip.js';

let root: string;
let parent: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pg-zip-'));
  parent = join(root, 'parent');
  await writeFile(join(root, 'marker'), '');
  await mkdir(parent);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function zipFile(data: Buffer): Promise<string> {
  const path = join(root, 'a.zip');
  await writeFile(path, data);
  return path;
}

/** Nothing was written next to the archive or its parent directory. */
async function rootUntouched(): Promise<void> {
  expect((await readdir(root)).sort()).toEqual(['a.zip', 'marker', 'parent']);
}

async function refused(entries: RawEntry[] | Buffer, pattern: RegExp, caps = ZIP_CAPS): Promise<void> {
  const path = await zipFile(Buffer.isBuffer(entries) ? entries : rawZip(entries));
  const inspected = await inspectZip(path, caps);
  expect(inspected.ok).toBe(false);
  if (!inspected.ok) {
    expect(inspected.reason).toMatch(pattern);
    expect(inspected.reason.length).toBeLessThanOrEqual(200);
  }
  const extracted = await extractZip(path, parent, caps);
  expect(extracted.ok).toBe(false);
  if (!extracted.ok) expect(extracted.reason).toMatch(pattern);
  expect(await readdir(parent)).toEqual([]);
  await rootUntouched();
}

describe('inspectZip / extractZip: accepted archives', () => {
  it('lists and extracts a yazl archive into a fresh directory', async () => {
    const path = await zipFile(await yazlZip({ 'envelope.json': '{"a":1}', 'sub/': '', 'sub/deep/notes.txt': 'hello' }));
    const inspected = await inspectZip(path);
    expect(inspected).toEqual({
      ok: true,
      entries: [
        { name: 'envelope.json', size: 7, kind: 'file' },
        { name: 'sub', size: 0, kind: 'directory' },
        { name: 'sub/deep/notes.txt', size: 5, kind: 'file' },
      ],
    });
    const extracted = await extractZip(path, parent);
    expect(extracted.ok).toBe(true);
    if (!extracted.ok) return;
    expect(extracted.files).toEqual(['envelope.json', 'sub/deep/notes.txt']);
    expect(await readdir(parent)).toEqual([extracted.dir.slice(parent.length + 1)]);
    expect(extracted.dir.startsWith(join(parent, 'extract-'))).toBe(true);
    expect(await readFile(join(extracted.dir, 'sub', 'deep', 'notes.txt'), 'utf8')).toBe('hello');
    await rootUntouched();
  });

  it('accepts stored entries without a unix mode', async () => {
    const path = await zipFile(rawZip([{ name: 'evidence.json', data: '{}', mode: 0 }]));
    const extracted = await extractZip(path, parent);
    expect(extracted).toMatchObject({ ok: true, files: ['evidence.json'] });
  });

  it('makes a new directory on every extraction', async () => {
    const path = await zipFile(await yazlZip({ 'x.txt': 'x' }));
    const one = await extractZip(path, parent);
    const two = await extractZip(path, parent);
    expect(one.ok && two.ok && one.dir !== two.dir).toBe(true);
  });
});

describe('inspectZip / extractZip: refused archives', () => {
  it('refuses zip-slip names', () => refused([{ name: 'ok.txt', data: 'x' }, { name: '../x', data: 'pwned' }], /\.\.\/x/));
  it('refuses `..` deeper in the name', () => refused([{ name: 'a/../../x', data: 'pwned' }], /invalid relative path/));
  it('refuses absolute names', () => refused([{ name: '/etc/x', data: 'pwned' }], /absolute path: \/etc\/x/));
  it('refuses drive letters', () => refused([{ name: 'C:/x', data: 'pwned' }], /absolute path: C:\/x/));
  it('refuses backslashes', () => refused([{ name: 'a\\..\\x', data: 'pwned' }], /invalid characters in fileName/));
  it('refuses `.` segments', () => refused([{ name: './envelope.json', data: '{}' }], /"\.\/envelope\.json".*segment/));
  it('refuses empty segments', () => refused([{ name: 'a//envelope.json', data: '{}' }], /segment/));
  it('refuses control characters, naming the entry without them', async () => {
    await refused([{ name: 'a\u0001b\u001b[31m', data: '{}' }], /control character/);
    const inspected = await inspectZip(join(root, 'a.zip'));
    expect(!inspected.ok && /[\u0000-\u001f]/.test(inspected.reason)).toBe(false);
  });
  it('refuses symlinks', () => refused([{ name: 'envelope.json', data: '/etc/passwd', mode: 0o120777 }], /"envelope\.json": is a symbolic link/));
  it('refuses devices and fifos', async () => {
    await refused([{ name: 'dev', mode: 0o020644 }], /special file \(mode 0o20000\)/);
    await refused([{ name: 'fifo', mode: 0o010644 }], /special file/);
  });
  it('refuses a directory mode on a file name', () => refused([{ name: 'x', mode: 0o040755 }], /directory whose name/));
  it('refuses encrypted entries', () => refused([{ name: 'secret.json', data: '{}', encrypted: true }], /"secret\.json": is encrypted/));
  it('refuses unsupported compression', async () => {
    const zip = rawZip([{ name: 'x', data: 'abc' }]);
    // Method 12 (bzip2) in the central directory.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt16LE(12, central + 10);
    await refused(zip, /compression method 12/);
  });
  it('refuses more entries than the cap, before reading them', async () => {
    const many = Array.from({ length: ZIP_CAPS.entries + 1 }, (_, i) => ({ name: `f${i}`, data: '' }));
    await refused(many, /1001 entries, over the limit of 1000/);
    await refused([{ name: 'a' }, { name: 'b' }, { name: 'c' }], /3 entries/, { ...ZIP_CAPS, entries: 2 });
  });
  it('refuses an entry whose declared size is over the cap', async () => {
    await refused([{ name: 'big.json', data: 'x', method: 8, declaredSize: ZIP_CAPS.entryBytes + 1 }], /"big\.json": is 16777217 bytes, over the 16777216-byte limit/);
    await refused([{ name: 'big.json', data: 'x'.repeat(101) }], /over the 100-byte limit/, { ...ZIP_CAPS, entryBytes: 100 });
  });
  it('refuses archives whose total is over the cap', () =>
    refused(
      [
        { name: 'a', data: 'x'.repeat(60) },
        { name: 'b', data: 'x'.repeat(60) },
      ],
      /over 100 bytes uncompressed/,
      { ...ZIP_CAPS, totalBytes: 100 },
    ));
  it('stops streaming an entry that holds more than its header declares', async () => {
    // 32 MiB of zeros declared as 10 bytes: the inspection passes, extraction must stop early.
    const path = await zipFile(rawZip([{ name: 'bomb.json', data: Buffer.alloc(32 * 1024 * 1024), method: 8, declaredSize: 10 }]));
    expect((await inspectZip(path)).ok).toBe(true);
    const extracted = await extractZip(path, parent);
    expect(extracted.ok).toBe(false);
    if (!extracted.ok) expect(extracted.reason).toMatch(/"bomb\.json": .*(more than the 10 bytes|too many bytes)/);
    expect(await readdir(parent)).toEqual([]);
    await rootUntouched();
  });
  it('refuses a stored entry whose sizes disagree', () => refused([{ name: 'x.json', data: 'x'.repeat(100), declaredSize: 10 }], /size mismatch/));
  it('refuses duplicate names, ignoring case', async () => {
    await refused(
      [
        { name: 'envelope.json', data: '{}' },
        { name: 'ENVELOPE.json', data: '{}' },
      ],
      /"ENVELOPE\.json": duplicates "envelope\.json"/,
    );
    await refused(
      [
        { name: 'a/', mode: 0o040755 },
        { name: 'A', data: 'x' },
      ],
      /duplicates/,
    );
  });
  it('refuses a name that is both a file and a directory', () =>
    refused(
      [
        { name: 'a', data: 'x' },
        { name: 'a/b', data: 'y' },
      ],
      /"a\/b": lies under "a", which is a file/,
    ));
  it('refuses corrupt and truncated archives', async () => {
    await refused(Buffer.from('not a zip at all, just text'), /archive unreadable/);
    const good = await yazlZip({ 'envelope.json': '{}' });
    await refused(good.subarray(0, good.length - 10), /archive unreadable|archive refused/);
    await refused(Buffer.alloc(0), /archive unreadable/);
  });
  it('settles on a corrupt deflate stream every time (it used to hang now and then)', async () => {
    // Found by the fuzzer: the last entry's deflate data is corrupt ("invalid distance too far back").
    // The error came in the gap between opening the entry's stream and reading it about 1 time in 16,
    // and the extraction then waited forever; 100 tries made the old code hang almost surely.
    const corrupt = Buffer.from(
      'UEsDBBQAAAgIACI2hl3J650FCgAAAAgAAAANAAAAZW52ZWxvcGUuanNvbmOwY2BQtLjMAABQSwMEFAAACAgAIjaGXRtXbvoFAAAAAwAAAAUAAABkaXIveLNnzAUAUEsDBBQAAAgIYyI2hl20sNPEDAAAAAoAAAAHAAAAYmkzLmJpbtN5HHV+yLs6BsHdAFBLAQI/AxQAAAgIACI2hl3J650FCgAAAAgAAAANAAkAAAC0AAAAAAC0gQAAAABlbnZlbG9wZS5qc29uilQFAANhBRVrUEsBAj8DFAAACAgAIjaGXRtXbvoFAAAAAwAAAAUACQAAAAAAAAAAALSBNQAAAGRpci94VVQFAANhnRVrUEsBAj8DFAAACAgAIjaGXbSw08QMAAAACgAAAAcACQAAAAAAAAAAALSBXQAAAGJpZy5iaW5VVAUAA2EFFWtQSwUGAAAAAAMAAwC+AAAAjgAAAAAA',
      'base64',
    );
    const path = await zipFile(corrupt);
    for (let i = 0; i < 100; i++) {
      const extracted = await Promise.race([extractZip(path, parent), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2000))]);
      expect(extracted, `try ${i}`).toEqual({ ok: false, reason: 'entry "big.bin": cannot be extracted: invalid distance too far back' });
    }
    expect(await readdir(parent)).toEqual([]);
  });
  it('reports a missing file as a result', async () => {
    const result = await inspectZip(join(root, 'nope.zip'));
    expect(result.ok).toBe(false);
  });
  it('truncates long reasons to 200 characters', async () => {
    await refused([{ name: `${'d/'.repeat(150)}x`, data: 'x', mode: 0o120777 }], /symbolic link|…/);
    const inspected = await inspectZip(join(root, 'a.zip'));
    expect(!inspected.ok && inspected.reason.length === 200 && inspected.reason.endsWith('…')).toBe(true);
  });
});
