import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { READ_ROUTES, WRITE_ROUTES, checkRequest, matchRoute } from '../../src/github/firewall.js';

// GitHub's own OpenAPI description of api.github.com.
const openapi = createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json') as { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const operations = Object.entries(openapi.paths).flatMap(([route, item]) => METHODS.filter((m) => m in item).map((m) => ({ method: m.toUpperCase(), route })));

const ctx = { repository: 'octo/app', apiOrigin: 'https://api.github.com', allowWrites: true };
const SAMPLE: Record<string, string> = { owner: 'octo', repo: 'app', org: 'octo', username: 'octo', enterprise: 'octo' };
const expand = (route: string) => route.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? (name.includes('sha') ? 'a'.repeat(40) : '7'));
const request = (method: string, path: string, body?: unknown) => ({ method, url: `https://api.github.com${path}`, body });

/** A body that passes every body rule, so that only the route decides. */
const PERMISSIVE: Record<string, unknown> = { body: 'x', event: 'COMMENT', force: false, ref: 'refs/heads/agent/x', sha: 'a'.repeat(40), tree: [], title: 't', labels: [], content: 'x', encoding: 'utf-8', message: 'm', state: 'success', context: 'c', head: 'h', base: 'b' };

describe('request firewall against GitHub\'s OpenAPI description', () => {
  it('every allowlisted route exists in the description with that method', () => {
    for (const rule of [...READ_ROUTES, ...WRITE_ROUTES]) {
      expect(openapi.paths[rule.route], rule.route).toBeDefined();
      expect(Object.keys(openapi.paths[rule.route]!), `${rule.method} ${rule.route}`).toContain(rule.method.toLowerCase());
    }
  });

  it(`refuses every write operation not on the allowlist (of ${operations.filter((o) => o.method !== 'GET').length} in the description)`, () => {
    const allowed = new Set(WRITE_ROUTES.map((r) => `${r.method} ${r.route}`));
    let refused = 0;
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      if (allowed.has(`${op.method} ${op.route}`)) continue;
      // Pick the body that makes each body rule pass; only the route should decide.
      const reason = checkRequest(request(op.method, expand(op.route), PERMISSIVE), ctx);
      expect(reason, `${op.method} ${op.route}`).toBeDefined();
      refused++;
    }
    expect(refused).toBeGreaterThan(500);
  });

  it('refuses every DELETE and PUT, and every merge, approval and state change', () => {
    for (const op of operations.filter((o) => o.method === 'DELETE' || o.method === 'PUT')) expect(matchRoute(op.method, expand(op.route))).toBeUndefined();
    expect(checkRequest(request('PUT', '/repos/octo/app/pulls/1/merge', {}), ctx)).toBeDefined();
    expect(checkRequest(request('POST', '/repos/octo/app/pulls/1/reviews', { event: 'APPROVE', body: 'lgtm' }), ctx)).toMatch(/APPROVE/);
    expect(checkRequest(request('POST', '/repos/octo/app/pulls/1/reviews', { body: 'lgtm' }), ctx)).toBeDefined();
    expect(checkRequest(request('PATCH', '/repos/octo/app/pulls/1', { state: 'closed' }), ctx)).toMatch(/state/);
    expect(checkRequest(request('PATCH', '/repos/octo/app/pulls/1', { base: 'other' }), ctx)).toMatch(/base/);
    expect(checkRequest(request('PATCH', '/repos/octo/app/issues/1', { state: 'closed' }), ctx)).toBeDefined();
    expect(checkRequest(request('PATCH', '/repos/octo/app/git/refs/heads/agent/x', { sha: 'a'.repeat(40), force: true }), ctx)).toMatch(/force/);
    expect(checkRequest(request('PATCH', '/repos/octo/app/git/refs/heads/agent/x', { sha: 'a'.repeat(40) }), ctx)).toMatch(/force/);
    expect(checkRequest(request('POST', '/repos/octo/app/git/refs', { ref: 'refs/tags/v1', sha: 'a'.repeat(40) }), ctx)).toBeDefined();
    expect(checkRequest(request('PATCH', '/repos/octo/app/git/refs/tags/v1', { sha: 'a'.repeat(40), force: false }), ctx)).toMatch(/only branches/);
    expect(checkRequest(request('PATCH', '/repos/octo/app/git/refs/heads/agent/x', { sha: 'a'.repeat(40), force: false }), ctx)).toBeUndefined();
    // Branch names carry slashes: the branch read takes them as they are (encoded slashes stay refused).
    expect(checkRequest(request('GET', '/repos/octo/app/branches/agent/x'), ctx)).toBeUndefined();
    expect(checkRequest(request('GET', '/repos/octo/app/branches/agent%2Fx'), ctx)).toBeDefined();
    expect(checkRequest(request('POST', '/repos/octo/app/git/trees', { tree: [{ path: '.github/workflows/ci.yml', mode: '100644', sha: 'a'.repeat(40) }] }), ctx)).toMatch(/workflows/);
    expect(checkRequest(request('POST', '/repos/octo/app/git/trees', { tree: [{ path: 'link', mode: '120000', sha: 'a'.repeat(40) }] }), ctx)).toMatch(/symlink/);
  });

  it('allows the allowlisted writes with safe bodies', () => {
    expect(checkRequest(request('POST', '/repos/octo/app/issues/42/comments', { body: 'hi' }), ctx)).toBeUndefined();
    expect(checkRequest(request('POST', '/repos/octo/app/pulls/42/reviews', { event: 'REQUEST_CHANGES', body: 'x', comments: [] }), ctx)).toBeUndefined();
    expect(checkRequest(request('PATCH', '/repos/octo/app/git/refs/heads/agent/fix-1', { sha: 'a'.repeat(40), force: false }), ctx)).toBeUndefined();
    expect(checkRequest(request('GET', '/repos/octo/app/contents/.github/publish-gate.yml?ref=main'), ctx)).toBeUndefined();
  });

  it('refuses every write in dry-run and off, and lets reads through', () => {
    const dry = { ...ctx, allowWrites: false };
    for (const rule of WRITE_ROUTES) expect(checkRequest(request(rule.method, expand(rule.route), PERMISSIVE), dry), rule.route).toMatch(/not allowed in this run/);
    for (const rule of READ_ROUTES) expect(checkRequest(request('GET', expand(rule.route)), dry), rule.route).toBeUndefined();
  });

  it('refuses any other repository, origin, or path trick', () => {
    expect(checkRequest(request('POST', '/repos/evil/app/issues/1/comments', { body: 'x' }), ctx)).toMatch(/bound repository/);
    expect(checkRequest(request('GET', '/repos/octo/other'), ctx)).toMatch(/bound repository/);
    expect(checkRequest({ method: 'GET', url: 'https://evil.example/repos/octo/app' }, ctx)).toMatch(/origin/);
    expect(checkRequest(request('POST', '/repos/octo/app/issues/1%2Fcomments', { body: 'x' }), ctx)).toBeDefined();
    expect(checkRequest(request('GET', '/repos/octo/app/contents/../../other/repo'), ctx)).toBeDefined();
    // The one read outside a repository: the token's own login. Nothing else outside /repos/octo/app.
    expect(checkRequest(request('GET', '/user'), ctx)).toBeUndefined();
    expect(checkRequest(request('GET', '/user/repos'), ctx)).toMatch(/allowlist/);
    expect(checkRequest(request('GET', '/users/octo'), ctx)).toMatch(/allowlist/);
    expect(checkRequest(request('PATCH', '/user', { name: 'x' }), ctx)).toMatch(/allowlist/);
  });

  it('property: any operation of the description on another repository is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...operations.filter((op) => !(op.method === 'GET' && op.route === '/user'))), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), (op, owner) => {
        fc.pre(owner !== 'octo');
        const path = op.route.replace('{owner}', owner).replace(/\{(\w+)\}/g, (_, n: string) => SAMPLE[n] ?? '7');
        return checkRequest(request(op.method, path, PERMISSIVE), ctx) !== undefined;
      }),
      { numRuns: 2000 },
    );
  });
});
