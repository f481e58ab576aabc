import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { Limits } from '../contract/limits.js';
import { ZIP_CAPS, type ZipCaps } from './zipCaps.js';

export { ZIP_CAPS, type ZipCaps };

export interface ZipEntryInfo {
  /** The entry's name, without the trailing `/` of a directory. */
  name: string;
  size: number;
  kind: 'file' | 'directory';
}

export type Inspected = { ok: true; entries: ZipEntryInfo[] } | { ok: false; reason: string };
export type Extracted = { ok: true; dir: string; files: string[] } | { ok: false; reason: string };

interface Checked extends ZipEntryInfo {
  entry: Entry;
}

type Scan = { ok: true; entries: Checked[] } | { ok: false; reason: string };

const MAX_REASON = 200;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** A reason fit for a blocker message: no control characters, at most 200 characters. */
function reason(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > MAX_REASON ? `${clean.slice(0, MAX_REASON - 1)}…` : clean;
}

const refuse = (name: string, why: string): { ok: false; reason: string } => ({ ok: false, reason: reason(`entry ${JSON.stringify(name)}: ${why}`) });

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function openZip(zipPath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    );
  });
}

/** Why a name cannot be a plain relative path inside the extraction directory, or undefined when it can. */
function nameProblem(path: string): string | undefined {
  if (CONTROL.test(path)) return 'has a control character in its name';
  if (path.length > Limits.path) return `name is longer than ${Limits.path} characters`;
  if (path.startsWith('/')) return 'is an absolute path';
  if (/^[a-zA-Z]:/.test(path)) return 'starts with a drive letter';
  if (path.includes('\\')) return 'has a backslash in its name';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'has an empty, `.` or `..` path segment';
  return undefined;
}

function checkEntry(entry: Entry, caps: ZipCaps): { ok: true; checked: Checked } | { ok: false; reason: string } {
  const raw = entry.fileName;
  const isDir = raw.endsWith('/');
  const name = isDir ? raw.slice(0, -1) : raw;
  const problem = nameProblem(name);
  if (problem) return refuse(raw, problem);
  if ((entry.generalPurposeBitFlag & 1) !== 0) return refuse(raw, 'is encrypted');
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return refuse(raw, `uses unsupported compression method ${entry.compressionMethod}`);
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return refuse(raw, 'is a symbolic link');
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return refuse(raw, `is a special file (mode 0o${type.toString(8)})`);
  if (type === S_IFDIR && !isDir) return refuse(raw, 'is a directory whose name does not end in `/`');
  if (type === S_IFREG && isDir) return refuse(raw, 'is a regular file whose name ends in `/`');
  if (isDir && entry.uncompressedSize !== 0) return refuse(raw, 'is a directory with content');
  if (entry.uncompressedSize > caps.entryBytes) return refuse(raw, `is ${entry.uncompressedSize} bytes, over the ${caps.entryBytes}-byte limit`);
  return { ok: true, checked: { entry, name, size: entry.uncompressedSize, kind: isDir ? 'directory' : 'file' } };
}

/** Reads and checks the whole central directory; nothing is decompressed. */
function scan(zip: ZipFile, caps: ZipCaps): Promise<Scan> {
  if (zip.entryCount > caps.entries) return Promise.resolve({ ok: false, reason: reason(`archive has ${zip.entryCount} entries, over the limit of ${caps.entries}`) });
  return new Promise((resolve) => {
    const entries: Checked[] = [];
    const seen = new Map<string, Checked>();
    let total = 0;
    let done = false;
    const finish = (result: Scan): void => {
      if (done) return;
      done = true;
      zip.removeAllListeners('entry');
      zip.removeAllListeners('end');
      resolve(result);
    };
    zip.on('error', (error: unknown) => finish({ ok: false, reason: reason(`archive refused: ${message(error)}`) }));
    zip.on('entry', (entry: Entry) => {
      if (entries.length >= caps.entries) return finish({ ok: false, reason: reason(`archive has more than ${caps.entries} entries`) });
      const result = checkEntry(entry, caps);
      if (!result.ok) return finish(result);
      const { checked } = result;
      const key = checked.name.normalize('NFC').toLowerCase();
      const earlier = seen.get(key);
      if (earlier) return finish(refuse(entry.fileName, `duplicates ${JSON.stringify(earlier.entry.fileName)} (names are compared without case)`));
      total += checked.size;
      if (total > caps.totalBytes) return finish({ ok: false, reason: reason(`archive holds over ${caps.totalBytes} bytes uncompressed`) });
      seen.set(key, checked);
      entries.push(checked);
      zip.readEntry();
    });
    zip.on('end', () => {
      // A name may not be a file and, through another entry, a directory as well.
      for (const checked of entries) {
        const parts = checked.name.normalize('NFC').toLowerCase().split('/');
        for (let i = 1; i < parts.length; i++) {
          const parent = seen.get(parts.slice(0, i).join('/'));
          if (parent?.kind === 'file') return finish(refuse(checked.entry.fileName, `lies under ${JSON.stringify(parent.entry.fileName)}, which is a file`));
        }
      }
      finish({ ok: true, entries });
    });
    zip.readEntry();
  });
}

async function withZip<T extends { ok: boolean }>(zipPath: string, use: (zip: ZipFile) => Promise<T | { ok: false; reason: string }>): Promise<T | { ok: false; reason: string }> {
  let zip: ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    return { ok: false, reason: reason(`archive unreadable: ${message(error)}`) };
  }
  // An error after the scan (a corrupt entry) is reported by the stream that hit it.
  zip.on('error', () => undefined);
  try {
    return await use(zip);
  } catch (error) {
    return { ok: false, reason: reason(`archive unreadable: ${message(error)}`) };
  } finally {
    zip.close();
  }
}

const strip = (entries: Checked[]): ZipEntryInfo[] => entries.map(({ name, size, kind }) => ({ name, size, kind }));

/** Checks every entry of the archive's central directory against the caps and the name rules. Never throws. */
export async function inspectZip(zipPath: string, caps: ZipCaps = ZIP_CAPS): Promise<Inspected> {
  return withZip<Inspected>(zipPath, async (zip) => {
    const result = await scan(zip, caps);
    return result.ok ? { ok: true, entries: strip(result.entries) } : result;
  });
}

function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}

const WRITE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Inspects the whole archive, then extracts it into a fresh directory made with `mkdtemp` under
 * `parentDir`: regular files (created exclusively, never through a link) and directories only,
 * counting bytes as they stream so a header that lies about a size cannot make it write more than
 * the caps. A refused or failed extraction removes the directory. Never throws.
 */
export async function extractZip(zipPath: string, parentDir: string, caps: ZipCaps = ZIP_CAPS): Promise<Extracted> {
  return withZip<Extracted>(zipPath, async (zip) => {
    const scanned = await scan(zip, caps);
    if (!scanned.ok) return scanned;
    const dir = await mkdtemp(join(parentDir, 'extract-'));
    const files: string[] = [];
    let total = 0;
    const fail = async (why: string): Promise<{ ok: false; reason: string }> => {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      return { ok: false, reason: reason(why) };
    };
    for (const checked of scanned.entries) {
      const target = join(dir, ...checked.name.split('/'));
      try {
        if (checked.kind === 'directory') {
          await mkdir(target, { recursive: true });
          continue;
        }
        await mkdir(dirname(target), { recursive: true });
        const limit = Math.min(checked.size, caps.entryBytes);
        // The file is created before the entry's stream is opened, so nothing awaits between the
        // stream's opening and the loop that reads it: an inflate error emitted in such a gap went
        // to the listener below only, and the loop then waited forever on a stream that never ended.
        const handle = await open(target, WRITE_NEW, 0o600);
        let written = 0;
        try {
          const stream = await openEntry(zip, checked.entry);
          // yauzl's size check can emit 'error' after the loop below has stopped listening (a lying
          // header); unheard, it would be an uncaught exception that kills the run. The loop still
          // reports the first error, so the refusal is unchanged.
          stream.on('error', () => undefined);
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            written += chunk.length;
            total += chunk.length;
            if (written > limit) {
              stream.destroy();
              return await fail(`entry ${JSON.stringify(checked.entry.fileName)}: holds more than the ${checked.size} bytes its header declares`);
            }
            if (total > caps.totalBytes) {
              stream.destroy();
              return await fail(`archive holds over ${caps.totalBytes} bytes uncompressed`);
            }
            await handle.write(chunk);
          }
        } finally {
          await handle.close();
        }
        files.push(checked.name);
      } catch (error) {
        return await fail(`entry ${JSON.stringify(checked.entry.fileName)}: cannot be extracted: ${message(error)}`);
      }
    }
    return { ok: true, dir, files };
  });
}
