import picomatch from 'picomatch';

/** Compiled once per pattern list; picomatch is the matcher behind micromatch and many bundlers. */
const cache = new Map<string, (input: string) => boolean>();

export function matcher(patterns: readonly string[], options: { nocase?: boolean } = {}): (input: string) => boolean {
  const cacheKey = `${options.nocase ? 'i' : 's'}\u0000${patterns.join('\u0000')}`;
  let match = cache.get(cacheKey);
  if (!match) {
    match = patterns.length === 0 ? () => false : picomatch([...patterns], { dot: true, nocase: options.nocase ?? false, strictSlashes: true });
    if (cache.size > 1000) cache.clear();
    cache.set(cacheKey, match);
  }
  return match;
}

/** Why a repository-relative path is unsafe to act on, or undefined when it is a plain relative path. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0) return 'empty path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.includes('\\')) return 'backslash in path';
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return 'parent-directory segment';
  if (segments.some((s) => s === '' || s === '.')) return 'empty or "." segment';
  if (segments.some((s) => s.toLowerCase() === '.git')) return '.git directory';
  return undefined;
}

/**
 * True when `path` is the literal directory part of a pattern, or a directory above it (`.github` for
 * `.github/workflows/**`): writing or deleting that path would replace or remove everything under it.
 */
export function coversProtected(path: string, patterns: readonly string[]): boolean {
  const dir = `${path.toLowerCase()}/`;
  return patterns.some((pattern) => {
    const base = picomatch.scan(pattern).base.toLowerCase();
    return base !== '' && `${base}/`.startsWith(dir);
  });
}

/** Files that steer CI, ownership or this gate itself: never written by an agent change. */
export const ALWAYS_FORBIDDEN_PATHS = [
  '.github/workflows/**',
  '.github/actions/**',
  '**/action.yml',
  '**/action.yaml',
  'CODEOWNERS',
  '.github/CODEOWNERS',
  'docs/CODEOWNERS',
] as const;
