import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEDGER_CACHE_FILE, createActionsLedgerStorage, defaultLedgerCacheDir } from './actionsStorage.js';

const source = readFileSync(new URL('./actionsStorage.ts', import.meta.url), 'utf8');

describe('createActionsLedgerStorage', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('imports @actions/cache and @actions/artifact only when called, never at load time', () => {
    const staticImports = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(staticImports.length).toBeGreaterThan(0);
    expect(staticImports.filter((s) => s!.startsWith('@actions/'))).toEqual([]);
    expect(source).not.toMatch(/^\s*import\s*['"]@actions\//m);
    expect(source).not.toMatch(/\brequire\s*\(/);
    expect(source).toContain("await import('@actions/cache')");
    expect(source).toContain("await import('@actions/artifact')");
  });

  it('uses one fixed cache path under RUNNER_TEMP', () => {
    expect(defaultLedgerCacheDir({ RUNNER_TEMP: '/runner/_temp' })).toBe(join('/runner/_temp', 'publish-gate-ledger-cache'));
    expect(LEDGER_CACHE_FILE).toBe('publish-gate-ledger.jsonl');
  });

  it('without the cache service, lookup finds nothing and save is a failure, never an exception', async () => {
    vi.stubEnv('ACTIONS_CACHE_URL', '');
    vi.stubEnv('ACTIONS_RESULTS_URL', '');
    const dir = mkdtempSync(join(tmpdir(), 'pg-actions-storage-test-'));
    try {
      const path = join(dir, 'ledger.jsonl');
      writeFileSync(path, '{}\n');
      const storage = createActionsLedgerStorage({ cacheDir: join(dir, 'cache') });
      expect(await storage.lookup('publish-gate-ledger-v1-1-repo-')).toBeUndefined();
      expect(await storage.save(path, 'publish-gate-ledger-v1-1-repo-1-1')).toEqual({ ok: false, reason: 'the cache service is not available' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
