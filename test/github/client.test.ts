import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/github/client.js';
import { FirewallError, classifyApiError } from '../../src/github/errors.js';

const API = 'https://api.github.test';
const server = setupServer();
const seen: string[] = [];
server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}`));

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

const client = (allowed = true, extra: { timeoutMs?: number } = {}) =>
  createClient({ token: 'ghs_test', baseUrl: API, repository: 'octo/app', writes: { allowed }, fetch: (...a) => fetch(...a), maxRetries: 2, ...extra });

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('createClient', () => {
  it('refuses a forbidden request before it reaches the network', async () => {
    const error = await failure(client().request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', { owner: 'octo', repo: 'app', pull_number: 1 }));
    expect(error).toBeInstanceOf(FirewallError);
    expect(classifyApiError(error, 'merge').code).toBe('FORBIDDEN_OPERATION');
    expect(seen).toEqual([]);
  });

  it('refuses writes while writes are closed, and opens them when the plan allows', async () => {
    server.use(http.post(`${API}/repos/octo/app/issues/1/comments`, () => HttpResponse.json({ id: 5, html_url: 'https://github.com/octo/app/issues/1#c5' }, { status: 201 })));
    const gate = { allowed: false };
    const octokit = createClient({ token: 't', baseUrl: API, repository: 'octo/app', writes: gate, fetch: (...a) => fetch(...a) });
    const params = { owner: 'octo', repo: 'app', issue_number: 1, body: 'hi' };
    expect(await failure(octokit.rest.issues.createComment(params))).toBeInstanceOf(FirewallError);
    gate.allowed = true;
    expect((await octokit.rest.issues.createComment(params)).data.id).toBe(5);
    expect(seen).toEqual(['POST /repos/octo/app/issues/1/comments']);
  });

  it('never retries a create after a 502 (the server may have acted)', async () => {
    server.use(http.post(`${API}/repos/octo/app/issues/1/comments`, () => new HttpResponse('bad gateway', { status: 502 })));
    const error = await failure(client().rest.issues.createComment({ owner: 'octo', repo: 'app', issue_number: 1, body: 'x' }));
    expect(seen).toHaveLength(1);
    expect(classifyApiError(error, 'comment')).toMatchObject({ code: 'API_FAILED', ambiguous: true, status: 502 });
  });

  it('retries an idempotent read after a 502', async () => {
    let n = 0;
    server.use(http.get(`${API}/repos/octo/app`, () => (++n === 1 ? new HttpResponse(null, { status: 502 }) : HttpResponse.json({ id: 1, default_branch: 'main' }))));
    const { data } = await client().rest.repos.get({ owner: 'octo', repo: 'app' });
    expect(data.default_branch).toBe('main');
    expect(seen).toHaveLength(2);
  });

  it('honours retry-after on a secondary rate limit, then succeeds', async () => {
    let n = 0;
    server.use(
      http.post(`${API}/repos/octo/app/issues/1/comments`, () =>
        ++n === 1
          ? HttpResponse.json({ message: 'You have exceeded a secondary rate limit' }, { status: 403, headers: { 'retry-after': '1' } })
          : HttpResponse.json({ id: 9 }, { status: 201 }),
      ),
    );
    const started = Date.now();
    const { data } = await client().rest.issues.createComment({ owner: 'octo', repo: 'app', issue_number: 1, body: 'x' });
    expect(data.id).toBe(9);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('maps 401, 403 with the missing permission, and an exhausted rate limit', async () => {
    server.use(
      http.get(`${API}/repos/octo/app`, () => HttpResponse.json({ message: 'Bad credentials' }, { status: 401 })),
      http.get(`${API}/repos/octo/app/actions/runs/7/approvals`, () =>
        HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: 403, headers: { 'x-accepted-github-permissions': 'actions=read' } }),
      ),
    );
    expect(classifyApiError(await failure(client().rest.repos.get({ owner: 'octo', repo: 'app' })), 'repo').code).toBe('AUTH_FAILED');
    const denied = classifyApiError(await failure(client().request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', { owner: 'octo', repo: 'app', run_id: 7 })), 'approvals');
    expect(denied).toMatchObject({ code: 'AUTH_FAILED' });
    expect(denied.message).toContain('actions=read');
    expect(classifyApiError({ status: 403, message: 'API rate limit exceeded', response: { headers: { 'x-ratelimit-remaining': '0' } } }, 'x').code).toBe('RATE_LIMITED');
    expect(classifyApiError({ status: 429, message: 'slow down' }, 'x').code).toBe('RATE_LIMITED');
  });

  it('maps a request that outlives its time limit to API_TIMEOUT', async () => {
    server.use(http.get(`${API}/repos/octo/app/pulls/1`, async () => {
      await new Promise((r) => setTimeout(r, 2000));
      return HttpResponse.json({});
    }));
    const error = await failure(client(true, { timeoutMs: 100 }).rest.pulls.get({ owner: 'octo', repo: 'app', pull_number: 1 }));
    expect(classifyApiError(error, 'pr')).toMatchObject({ code: 'API_TIMEOUT', ambiguous: true });
  });

  it('the time limit is per request: a later request is not cut short by an earlier one, and a GET after a POST is still retried', async () => {
    let gets = 0;
    server.use(
      http.post(`${API}/repos/octo/app/issues/1/comments`, () => HttpResponse.json({ id: 5 }, { status: 201 })),
      http.get(`${API}/repos/octo/app/pulls/1`, async () => {
        gets++;
        if (gets === 1) return HttpResponse.json({ message: 'Bad Gateway' }, { status: 502 });
        await new Promise((r) => setTimeout(r, 150));
        return HttpResponse.json({ number: 1 });
      }),
    );
    const octokit = client(true, { timeoutMs: 400 });
    await octokit.rest.issues.createComment({ owner: 'octo', repo: 'app', issue_number: 1, body: 'hi' });
    // Well past the first request's limit: a shared timer would abort this one at once.
    await new Promise((r) => setTimeout(r, 600));
    const { data } = await octokit.rest.pulls.get({ owner: 'octo', repo: 'app', pull_number: 1 });
    expect(data.number).toBe(1);
    // The 502 was retried: the POST's retries: 0 stayed with the POST.
    expect(gets).toBe(2);
  });
});
