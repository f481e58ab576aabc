import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type FileText = { ok: true; text: string } | { ok: false; reason: 'missing' | 'invalid'; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads a regular file as UTF-8, refusing it before reading when it is larger than `maxBytes`.
 * Never throws: a missing file, a directory, a FIFO, invalid UTF-8 or an I/O error is a result.
 */
export async function readTextFile(path: string, maxBytes: number): Promise<FileText> {
  let handle;
  try {
    // O_NONBLOCK keeps a FIFO from blocking the open; it is refused below as not a regular file.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: `${path} does not exist` };
    return { ok: false, reason: 'invalid', message: `${path} cannot be opened (${code ?? 'error'})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, reason: 'invalid', message: `${path} is not a regular file` };
    if (stat.size > maxBytes) return { ok: false, reason: 'invalid', message: `${path} is ${stat.size} bytes, over the ${maxBytes}-byte limit` };
    // Read at most one byte past the limit, in case the file grew after stat.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) return { ok: false, reason: 'invalid', message: `${path} is over the ${maxBytes}-byte limit` };
    try {
      return { ok: true, text: utf8.decode(buffer.subarray(0, length)) };
    } catch {
      return { ok: false, reason: 'invalid', message: `${path} is not valid UTF-8` };
    }
  } catch (error) {
    return { ok: false, reason: 'invalid', message: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
