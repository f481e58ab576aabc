import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outputs } from '../src/constants.js';
import { createDeps, main } from '../src/main.js';
import { fakeDeps, fakeIO } from './fakes.js';

afterEach(() => vi.restoreAllMocks());

describe('main: an exception caught at the top', () => {
  it('sets every output (blocked, a fixed API_FAILED message), fails the step and exits 1', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const io = fakeIO({ mode: 'live', 'github-token': 'ghs_secretValue0123456789' });
    await main(fakeDeps(io, { sources: { policy: async () => Promise.reject(new Error('boom with ghs_secretValue0123456789')) } }));
    expect(exit).toHaveBeenCalledWith(1);
    expect(Object.keys(io.outputs).sort()).toEqual(Object.values(Outputs).sort());
    expect(io.outputs[Outputs.Decision]).toBe('blocked');
    expect(JSON.parse(io.outputs[Outputs.Blockers]!)).toEqual([{ code: 'API_FAILED', message: 'unexpected error; the step log has the details' }]);
    expect(io.outputs[Outputs.LedgerPersisted]).toBe('false');
    expect(io.outputs[Outputs.PlanDigest]).toBe('');
    expect(io.failed).toBe('unexpected error; the step log has the details');
    // The details reach only the log, where the runner masks registered secrets; no output carries them.
    expect(Object.values(io.outputs).join('\n')).not.toContain('ghs_secretValue');
  });
});

describe('createDeps: process warnings', () => {
  it('reach the log as one neutralized line, never as Node prints them (line breaks included, on stderr)', async () => {
    const before = process.listeners('warning');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      createDeps();
      process.emitWarning('key text\n::error::forged ##[warning]too');
      await new Promise((resolve) => setImmediate(resolve));
      const logged = stdout.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.includes('Node warning'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toBe('Node warning: Warning: key text ⏎ :\u200d:error:\u200d:forged #\u200d#[warning]too\n');
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      process.removeAllListeners('warning');
      for (const listener of before) process.on('warning', listener);
    }
  });
});
