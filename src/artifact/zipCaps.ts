import { Limits } from '../contract/limits.js';

/*
 * The archive caps, apart from the zip reader (`zip.ts`): the intake needs them on every run, the
 * reader and its zlib only when an artifact is downloaded, so the reader is imported lazily.
 */

/** Bounds on an archive, checked on the central directory and again while streaming. */
export interface ZipCaps {
  /** Most entries (files and directories). */
  entries: number;
  /** Largest uncompressed entry. */
  entryBytes: number;
  /** Largest uncompressed total. */
  totalBytes: number;
}

export const ZIP_CAPS: ZipCaps = {
  entries: 1000,
  entryBytes: Limits.envelopeBytes,
  totalBytes: 64 * 1024 * 1024,
};
