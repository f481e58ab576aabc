import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import yazl from 'yazl';

/** One entry of a hand-made archive: any name, mode, flags and sizes, including ones no zip tool would write. */
export interface RawEntry {
  name: string;
  data?: Buffer | string;
  /** Unix mode, stored in the high 16 bits of the external attributes (e.g. 0o120777 for a symlink). */
  mode?: number;
  /** General purpose bits; bit 11 (UTF-8 names) is always set. */
  flags?: number;
  /** 0 stored, 8 deflated. */
  method?: 0 | 8;
  /** Sets the encryption bit and prefixes the 12-byte header traditional encryption stores. */
  encrypted?: boolean;
  /** An uncompressed size to declare instead of the real one. */
  declaredSize?: number;
}

/** A zip written byte by byte: local headers, central directory, end record. */
export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const plain = Buffer.from(e.data ?? '');
    const method = e.method ?? 0;
    let stored = method === 8 ? deflateRawSync(plain) : plain;
    if (e.encrypted) stored = Buffer.concat([Buffer.alloc(12, 0xaa), stored]);
    const flags = (e.flags ?? 0) | 0x800 | (e.encrypted ? 1 : 0);
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(plain);
    const size = e.declaredSize ?? plain.length;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, stored);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(((e.mode ?? (e.name.endsWith('/') ? 0o040755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A well-formed archive written by yazl (deflated). */
export function yazlZip(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name);
    else zip.addBuffer(Buffer.from(data), name);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** `sha256:<hex>`, as the artifact list reports digests. */
export const digestOf = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
