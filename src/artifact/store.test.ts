import { describe, expect, it } from 'vitest';
import { type ArtifactInfo, type ArtifactStore, sharedRunListing } from './store.js';

const info = (id: number, name: string, runId = 7): ArtifactInfo => ({ id, name, size: 10, runId });
const RUN = [info(1, 'agent-result'), info(2, 'gate-evidence'), info(3, 'Agent-Result'), info(4, 'agent-result-old')];

/** A store that records what it was asked. */
function recording(options: { complete?: boolean; listRun?: boolean; fail?: Error } = {}) {
  const calls: string[] = [];
  const store: ArtifactStore = {
    list: async (name, runId) => (calls.push(`list ${name} ${runId}`), RUN.filter((a) => a.name === name)),
    downloadZip: async () => (calls.push('download'), { zipPath: '/x.zip', digestMismatch: false }),
  };
  if (options.listRun !== false)
    store.listRun = async (runId) => {
      calls.push(`listRun ${runId}`);
      if (options.fail) throw options.fail;
      return { artifacts: RUN, complete: options.complete ?? true };
    };
  return { store, calls };
}

describe('sharedRunListing (the envelope and the evidence from one listing of their run)', () => {
  it('answers both names from one listing, by exact name', async () => {
    const { store, calls } = recording();
    const shared = sharedRunListing(store);
    const [envelope, evidence] = await Promise.all([shared.list('agent-result', 7), shared.list('gate-evidence', 7)]);
    expect(envelope.map((a) => a.id)).toEqual([1]);
    expect(evidence.map((a) => a.id)).toEqual([2]);
    expect(await shared.list('missing', 7)).toEqual([]);
    expect(calls).toEqual(['listRun 7']);
  });

  it('lists each run once, and another run on its own', async () => {
    const { store, calls } = recording();
    const shared = sharedRunListing(store);
    await shared.list('agent-result', 7);
    await shared.list('agent-result', 8);
    await shared.list('gate-evidence', 8);
    expect(calls).toEqual(['listRun 7', 'listRun 8']);
  });

  it('asks by name when the run listing may be incomplete (an artifact past its last page is not missing)', async () => {
    const { store, calls } = recording({ complete: false });
    const shared = sharedRunListing(store);
    expect((await shared.list('agent-result', 7)).map((a) => a.id)).toEqual([1]);
    expect(calls).toEqual(['listRun 7', 'list agent-result 7']);
  });

  it('asks by name when the store cannot list a whole run', async () => {
    const { store, calls } = recording({ listRun: false });
    await sharedRunListing(store).list('gate-evidence', 7);
    expect(calls).toEqual(['list gate-evidence 7']);
  });

  it('a failed listing fails both documents, without a second request', async () => {
    const { store, calls } = recording({ fail: Object.assign(new Error('Bad credentials'), { status: 401 }) });
    const shared = sharedRunListing(store);
    await expect(shared.list('agent-result', 7)).rejects.toMatchObject({ status: 401 });
    await expect(shared.list('gate-evidence', 7)).rejects.toMatchObject({ status: 401 });
    expect(calls).toEqual(['listRun 7']);
  });

  it('downloads through the store', async () => {
    const { store, calls } = recording();
    expect(await sharedRunListing(store).downloadZip(RUN[0]!, '/tmp')).toEqual({ zipPath: '/x.zip', digestMismatch: false });
    expect(calls).toEqual(['download']);
  });
});
