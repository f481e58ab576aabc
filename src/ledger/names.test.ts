import { describe, expect, it } from 'vitest';
import { LEDGER_CACHE_KEY_MAX, ledgerArtifactName, ledgerCacheKey, ledgerCachePrefix, ledgerScope } from './names.js';

const HEAD = 'ABCDEF0123456789abcdef0123456789abcdef01';

describe('ledger names', () => {
  it('formats the artifact name, the cache key and its prefix as SPEC §10 names them', () => {
    expect(ledgerArtifactName('123456789', 2)).toBe('publish-gate-ledger-123456789-2');
    expect(ledgerArtifactName(42, 1)).toBe('publish-gate-ledger-42-1');
    expect(ledgerCachePrefix(4242, 'pr-7')).toBe('publish-gate-ledger-v1-4242-pr-7-');
    expect(ledgerCacheKey(4242, 'pr-7', '123456789', 3)).toBe('publish-gate-ledger-v1-4242-pr-7-123456789-3');
    expect(ledgerCacheKey(4242, 'pr-7', 1, 1).startsWith(ledgerCachePrefix(4242, 'pr-7'))).toBe(true);
  });

  it('a prefix never matches the keys of another scope or repository', () => {
    expect(ledgerCacheKey(4242, 'pr-12', 1, 1).startsWith(ledgerCachePrefix(4242, 'pr-1'))).toBe(false);
    expect(ledgerCacheKey(42421, 'repo', 1, 1).startsWith(ledgerCachePrefix(4242, 'repo'))).toBe(false);
  });

  it('scopes by PR number, else by the first 12 of the head SHA (lowercased), else the repository', () => {
    expect(ledgerScope({ pullRequest: 7, head: HEAD })).toBe('pr-7');
    expect(ledgerScope({ pullRequest: null, head: HEAD })).toBe('sha-abcdef012345');
    expect(ledgerScope({})).toBe('repo');
    expect(ledgerScope({ pullRequest: null, head: null })).toBe('repo');
  });

  it('refuses parts that would make an invalid or ambiguous name', () => {
    expect(() => ledgerScope({ pullRequest: 0 })).toThrow(RangeError);
    expect(() => ledgerScope({ pullRequest: 1.5 })).toThrow(RangeError);
    expect(() => ledgerScope({ head: 'main' })).toThrow(RangeError);
    expect(() => ledgerCachePrefix(4242, 'PR-7')).toThrow(/scope/);
    expect(() => ledgerCachePrefix(4242, 'pr,7')).toThrow(/scope/);
    expect(() => ledgerCachePrefix(4242, '')).toThrow(/scope/);
    expect(() => ledgerCachePrefix(0, 'repo')).toThrow(/repository id/);
    expect(() => ledgerCachePrefix(Number.NaN, 'repo')).toThrow(/repository id/);
    expect(() => ledgerCacheKey(4242, 'repo', '1,2', 1)).toThrow(/run id/);
    expect(() => ledgerCacheKey(4242, 'repo', 'a/b', 1)).toThrow(/run id/);
    expect(() => ledgerCacheKey(4242, 'repo', 'x'.repeat(65), 1)).toThrow(/run id/);
    expect(() => ledgerArtifactName('1', 0)).toThrow(/attempt/);
  });

  it('the longest key any valid parts can make stays within the cache limit', () => {
    const key = ledgerCacheKey(Number.MAX_SAFE_INTEGER, 'x'.repeat(64), 'r'.repeat(64), Number.MAX_SAFE_INTEGER);
    expect(key.length).toBeLessThanOrEqual(LEDGER_CACHE_KEY_MAX);
    expect(key).not.toContain(',');
  });
});
