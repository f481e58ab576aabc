import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../github/client.js';
import { createActionsArtifactStore } from './actionsStore.js';

const API = 'https://api.github.test';
const LIST = `${API}/repos/octo/app/actions/runs/:runId/artifacts`;
const HEAD = '1111111111111111111111111111111111111111';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

// Response shapes come from GitHub's OpenAPI description (components.examples), edited to fit.
const openapi = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
  components: { examples: Record<string, { value: unknown }> };
};
type Json = Record<string, any>;
function artifact(id: number, over: Json = {}): Json {
  const a = structuredClone((openapi.components.examples['artifact-paginated']!.value as Json).artifacts[0]) as Json;
  return { ...a, id, name: 'agent-result', size_in_bytes: 1000 + id, digest: DIGEST, expired: false, workflow_run: { ...a.workflow_run, id: 77, head_sha: HEAD, head_repository_id: 5 }, ...over };
}

const server = setupServer();
const seen: string[] = [];
server.events.on('request:start', ({ request }) => {
  const url = new URL(request.url);
  seen.push(`${request.method} ${url.pathname}${url.search}`);
});
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const store = () =>
  createActionsArtifactStore({
    client: createClient({ token: 'ghs_test', baseUrl: API, repository: 'octo/app', writes: { allowed: false }, fetch: (...a) => fetch(...a), maxRetries: 0 }),
    repository: 'octo/app',
    currentRunId: 77,
    token: 'ghs_test',
    env: {},
  });

describe('createActionsArtifactStore().list', () => {
  it('asks for the name in the given run and maps the listing', async () => {
    server.use(
      http.get(LIST, ({ request, params }) => {
        const url = new URL(request.url);
        expect(params.runId).toBe('77');
        expect(url.searchParams.get('name')).toBe('agent-result');
        expect(url.searchParams.get('per_page')).toBe('100');
        return HttpResponse.json({ total_count: 2, artifacts: [artifact(1), artifact(2, { expired: true, digest: null, workflow_run: { id: 80 } })] });
      }),
    );
    const listed = await store().list('agent-result', 77);
    expect(listed).toEqual([
      { id: 1, name: 'agent-result', size: 1001, digest: DIGEST, runId: 77, headSha: HEAD, headRepositoryId: 5, expired: false },
      { id: 2, name: 'agent-result', size: 1002, runId: 80, expired: true },
    ]);
    expect(seen).toEqual(['GET /repos/octo/app/actions/runs/77/artifacts?name=agent-result&per_page=100']);
  });

  it('follows pagination', async () => {
    server.use(
      http.get(LIST, ({ request }) => {
        const page = new URL(request.url).searchParams.get('page') ?? '1';
        if (page === '1') {
          const next = `${API}/repos/octo/app/actions/runs/77/artifacts?name=agent-result&per_page=100&page=2`;
          return HttpResponse.json({ total_count: 101, artifacts: Array.from({ length: 100 }, (_, i) => artifact(i + 1)) }, { headers: { link: `<${next}>; rel="next", <${next}>; rel="last"` } });
        }
        return HttpResponse.json({ total_count: 101, artifacts: [artifact(101)] });
      }),
    );
    const listed = await store().list('agent-result', 77);
    expect(listed.map((a) => a.id)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(seen).toHaveLength(2);
  });

  it('lists an artifact without a workflow run under run -1, which intake refuses', async () => {
    server.use(http.get(LIST, () => HttpResponse.json({ total_count: 1, artifacts: [artifact(3, { workflow_run: null })] })));
    const [only] = await store().list('agent-result', 77);
    expect(only).toMatchObject({ id: 3, runId: -1 });
    expect(only).not.toHaveProperty('headSha');
  });

  it('passes API errors through to intake', async () => {
    server.use(http.get(LIST, () => HttpResponse.json({ message: 'Bad credentials' }, { status: 401 })));
    await expect(store().list('agent-result', 77)).rejects.toMatchObject({ status: 401 });
  });

  it('reads only from the configured repository', async () => {
    server.use(http.get(LIST, () => HttpResponse.json({ total_count: 0, artifacts: [] })));
    expect(await store().list('gate-evidence', 12)).toEqual([]);
    expect(seen).toEqual(['GET /repos/octo/app/actions/runs/12/artifacts?name=gate-evidence&per_page=100']);
  });
});

describe('createActionsArtifactStore().listRun', () => {
  /** A run with `total` artifacts, 100 a page, with GitHub's link header. */
  const paged = (total: number) =>
    http.get(LIST, ({ request }) => {
      const url = new URL(request.url);
      expect(url.searchParams.has('name')).toBe(false);
      const page = Number(url.searchParams.get('page') ?? '1');
      const pages = Math.max(1, Math.ceil(total / 100));
      const next = `${API}/repos/octo/app/actions/runs/77/artifacts?per_page=100&page=${page + 1}`;
      const artifacts = Array.from({ length: Math.min(100, total - (page - 1) * 100) }, (_, i) => artifact((page - 1) * 100 + i + 1));
      return HttpResponse.json({ total_count: total, artifacts }, page < pages ? { headers: { link: `<${next}>; rel="next"` } } : {});
    });

  it('lists the whole run without a name filter, complete when the last page was read', async () => {
    server.use(paged(3));
    const { artifacts, complete } = await store().listRun!(77);
    expect(artifacts.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(complete).toBe(true);
    expect(seen).toEqual(['GET /repos/octo/app/actions/runs/77/artifacts?per_page=100']);
  });

  it('stops at 10 pages and says the listing may be incomplete', async () => {
    server.use(paged(1500));
    const { artifacts, complete } = await store().listRun!(77);
    expect(artifacts).toHaveLength(1000);
    expect(complete).toBe(false);
    expect(seen).toHaveLength(10);
  });
});
