import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../src/artifact/store.js';
import { eventPayloadUnreadable, workflowRunIdOf } from '../src/connect.js';
import { createClient } from '../src/github/client.js';
import { readSettings } from '../src/settings.js';
import { githubSources } from '../src/sources.js';

const temp = mkdtempSync(join(tmpdir(), 'pg-sources-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** An event payload file with `body`. */
function payload(body: string): string {
  const path = join(temp, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, body);
  return path;
}

describe('workflowRunIdOf (the default run-id of a workflow_run publish job)', () => {
  it('reads workflow_run.id only for the workflow_run event', () => {
    const path = payload(JSON.stringify({ workflow_run: { id: 123456, pull_requests: [] } }));
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: path })).toBe(123456);
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })).toBeUndefined();
  });
  it('an unreadable or odd payload gives no run id (the current run is used)', () => {
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: join(temp, 'missing.json') })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: payload('{not json') })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: payload('{"workflow_run":{"id":"12"}}') })).toBeUndefined();
    expect(workflowRunIdOf({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: payload('{"workflow_run":{"id":-4}}') })).toBeUndefined();
  });
});

describe('eventPayloadUnreadable (a payload hidden from the libraries, which parse it unguarded on import)', () => {
  it('is true for a payload that is not JSON, an empty file or a directory', () => {
    for (const path of [payload(''), payload('{not json'), payload('\u0000\u0001'), temp]) expect(eventPayloadUnreadable({ GITHUB_EVENT_PATH: path }), path).toBe(true);
  });
  it('is false for any JSON, and when there is no payload to read (the libraries handle a missing file)', () => {
    for (const body of ['{}', '[]', 'null', '12', JSON.stringify({ workflow_run: { id: 1 } })]) expect(eventPayloadUnreadable({ GITHUB_EVENT_PATH: payload(body) }), body).toBe(false);
    expect(eventPayloadUnreadable({})).toBe(false);
    expect(eventPayloadUnreadable({ GITHUB_EVENT_PATH: '' })).toBe(false);
    expect(eventPayloadUnreadable({ GITHUB_EVENT_PATH: join(temp, 'missing.json') })).toBe(false);
  });
});

describe('githubSources: envelope and evidence from artifacts', () => {
  const client = createClient({ token: 'ghs_x', baseUrl: 'https://api.github.test', repository: 'octo/app', writes: { allowed: false }, fetch: async () => new Response('{}', { status: 599 }) });
  const listed: string[] = [];
  const store: ArtifactStore = {
    list: async (name, runId) => (listed.push(`${runId}:${name}`), []),
    downloadZip: async () => Promise.reject(new Error('unused')),
  };
  const run = { repository: 'octo/app', event: 'workflow_run', actor: 'octo-dev', runId: 900, artifactRunId: 777, tempDir: temp };

  it('reads the named artifacts of the default run; the run-id input overrides it', async () => {
    const sources = githubSources(client, run, undefined, store);
    const defaults = readSettings(() => '').settings;
    expect(await sources.envelope(defaults)).toMatchObject({ status: 'failed', code: 'ENVELOPE_MISSING' });
    expect(await sources.evidence(defaults)).toMatchObject({ status: 'failed', code: 'EVIDENCE_MISSING' });
    const chosen = readSettings((n) => ({ 'run-id': '555', envelope: 'my-result' })[n] ?? '').settings;
    await sources.envelope(chosen);
    expect(listed).toEqual(['777:agent-result', '777:gate-evidence', '555:my-result']);
  });

  it('without an artifact store or RUNNER_TEMP the documents are missing (fail closed), nothing is listed', async () => {
    listed.length = 0;
    const defaults = readSettings(() => '').settings;
    expect(await githubSources(client, run).envelope(defaults)).toMatchObject({ status: 'failed', code: 'ENVELOPE_MISSING', message: expect.stringContaining('envelope-path') });
    const { tempDir: _t, ...noTemp } = run;
    expect(await githubSources(client, noTemp, undefined, store).evidence(defaults)).toMatchObject({ status: 'failed', code: 'EVIDENCE_MISSING' });
    expect(listed).toEqual([]);
  });
});
