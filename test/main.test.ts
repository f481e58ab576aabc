import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outputs } from '../src/constants.js';
import { main } from '../src/main.js';
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
