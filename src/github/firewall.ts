/**
 * The request firewall (SPEC §7): the only requests that may reach GitHub are the method + route
 * pairs below, for the one bound repository, with bodies that cannot merge, force, approve,
 * change state or touch workflows. Everything else is refused before the network. Pure: the
 * Octokit hook in `client.ts` calls `checkRequest` with the fully expanded request.
 */

export interface FirewallContext {
  /** `owner/name` the run is bound to. */
  repository: string;
  /** Origin of the API (`https://api.github.com`); requests to any other origin are refused. */
  apiOrigin: string;
  /** False in `dry-run` and `off`, and until the plan allows writes: then only reads pass. */
  allowWrites: boolean;
}

export interface OutgoingRequest {
  method: string;
  /** The absolute URL after expansion. */
  url: string;
  body?: unknown;
}

type BodyCheck = (body: Record<string, unknown>) => string | undefined;

interface Rule {
  method: 'GET' | 'POST' | 'PATCH';
  route: string;
  check?: BodyCheck;
  /** A read outside any repository; writes are always bound to the repository. */
  unbound?: true;
  /** A rule on the path itself, after the route matched. */
  pathCheck?: (pathname: string) => string | undefined;
}

const onlyKeys =
  (allowed: readonly string[]): BodyCheck =>
  (body) => {
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    return extra.length ? `members ${extra.join(', ')} are not allowed` : undefined;
  };

const FORBIDDEN_TREE_MODES = new Set(['120000', '160000']);
const WORKFLOW_PATH = /^\.github\/workflows(\/|$)/i;

/** Reads the action needs. */
export const READ_ROUTES: readonly Rule[] = [
  // The token's own login (not a repository route): only personal and OAuth tokens ask it.
  { method: 'GET', route: '/user', unbound: true },
  { method: 'GET', route: '/repos/{owner}/{repo}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/contents/{path}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/pulls' },
  { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{pull_number}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{pull_number}/files' },
  { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{pull_number}/commits' },
  { method: 'GET', route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews' },
  { method: 'GET', route: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls' },
  { method: 'GET', route: '/repos/{owner}/{repo}/commits/{ref}/check-runs' },
  { method: 'GET', route: '/repos/{owner}/{repo}/commits/{ref}/statuses' },
  { method: 'GET', route: '/repos/{owner}/{repo}/check-runs/{check_run_id}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments' },
  { method: 'GET', route: '/repos/{owner}/{repo}/issues/{issue_number}/labels' },
  { method: 'GET', route: '/repos/{owner}/{repo}/issues/comments/{comment_id}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/actions/runs/{run_id}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals' },
  { method: 'GET', route: '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts' },
  { method: 'GET', route: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/environments/{environment_name}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/branches/{branch}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/git/ref/{ref}' },
  { method: 'GET', route: '/repos/{owner}/{repo}/git/commits/{commit_sha}' },
  // The branch write compares the tip's tree with the change before writing anything.
  { method: 'GET', route: '/repos/{owner}/{repo}/git/trees/{tree_sha}' },
];

/** The writes of SPEC §7, each with the body rules that keep it non-destructive. */
export const WRITE_ROUTES: readonly Rule[] = [
  { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', check: onlyKeys(['body']) },
  { method: 'PATCH', route: '/repos/{owner}/{repo}/issues/comments/{comment_id}', check: onlyKeys(['body']) },
  {
    method: 'POST',
    route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    check: (body) =>
      onlyKeys(['body', 'event', 'comments', 'commit_id'])(body) ??
      (body.event === 'COMMENT' || body.event === 'REQUEST_CHANGES' ? undefined : `review event ${String(body.event)} is not COMMENT or REQUEST_CHANGES`),
  },
  { method: 'POST', route: '/repos/{owner}/{repo}/check-runs' },
  { method: 'PATCH', route: '/repos/{owner}/{repo}/check-runs/{check_run_id}' },
  { method: 'POST', route: '/repos/{owner}/{repo}/statuses/{sha}', check: onlyKeys(['state', 'description', 'context', 'target_url']) },
  { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/labels', check: onlyKeys(['labels']) },
  { method: 'POST', route: '/repos/{owner}/{repo}/pulls', check: onlyKeys(['title', 'body', 'head', 'base', 'draft', 'maintainer_can_modify']) },
  // Title and body only: no state (close/reopen), no base change.
  { method: 'PATCH', route: '/repos/{owner}/{repo}/pulls/{pull_number}', check: onlyKeys(['title', 'body']) },
  { method: 'POST', route: '/repos/{owner}/{repo}/git/blobs', check: onlyKeys(['content', 'encoding']) },
  {
    method: 'POST',
    route: '/repos/{owner}/{repo}/git/trees',
    check: (body) => {
      const keys = onlyKeys(['tree', 'base_tree'])(body);
      if (keys) return keys;
      if (!Array.isArray(body.tree)) return 'tree must be a list';
      for (const entry of body.tree as Record<string, unknown>[]) {
        if (FORBIDDEN_TREE_MODES.has(String(entry?.mode))) return `tree mode ${String(entry.mode)} (symlink or submodule) is not allowed`;
        if (typeof entry?.path !== 'string' || WORKFLOW_PATH.test(entry.path)) return 'tree entries may not touch .github/workflows';
      }
      return undefined;
    },
  },
  { method: 'POST', route: '/repos/{owner}/{repo}/git/commits', check: onlyKeys(['message', 'tree', 'parents']) },
  {
    method: 'POST',
    route: '/repos/{owner}/{repo}/git/refs',
    check: (body) => onlyKeys(['ref', 'sha'])(body) ?? (typeof body.ref === 'string' && body.ref.startsWith('refs/heads/') ? undefined : 'only branches may be created'),
  },
  // Fast-forward only: `force` must be present and false.
  {
    method: 'PATCH',
    route: '/repos/{owner}/{repo}/git/refs/{ref}',
    pathCheck: (pathname) => (/^\/repos\/[^/]+\/[^/]+\/git\/refs\/heads\/./.test(pathname) ? undefined : 'only branches (refs/heads/) may be updated'),
    check: (body) => onlyKeys(['sha', 'force'])(body) ?? (body.force === false ? undefined : 'a ref update must say force: false'),
  },
];

/** Template → regex. `{path}`, `{ref}` and `{branch}` may contain slashes (as branch names do); other parameters are one segment. */
function compile(route: string): RegExp {
  const pattern = route
    .split(/(\{[a-z_]+\})/)
    .map((part) => {
      if (part === '{path}' || part === '{ref}' || part === '{branch}') return '(.+)';
      if (/^\{[a-z_]+\}$/.test(part)) return '([^/]+)';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${pattern}$`);
}

const COMPILED = [...READ_ROUTES, ...WRITE_ROUTES].map((rule) => ({ ...rule, regex: compile(rule.route), write: rule.method !== 'GET' }));

/** Which allowlisted rule a method and pathname match, if any. */
export function matchRoute(method: string, pathname: string) {
  const m = method.toUpperCase();
  return COMPILED.find((rule) => rule.method === m && rule.regex.test(pathname));
}

/** The reason a request is refused, or undefined when it may be sent. */
export function checkRequest(request: OutgoingRequest, ctx: FirewallContext): string | undefined {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return 'not an absolute URL';
  }
  if (url.origin !== new URL(ctx.apiOrigin).origin) return `origin ${url.origin} is not the API origin`;
  // Encoded slashes or dot segments could make one route look like another.
  if (/%2f|%5c|\/\.\.?(\/|$)/i.test(url.pathname)) return 'encoded slashes and dot segments are not allowed';
  const basePath = new URL(ctx.apiOrigin).pathname.replace(/\/$/, '');
  const pathname = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  const rule = matchRoute(request.method, pathname);
  if (!rule) return `${request.method.toUpperCase()} ${pathname} is not on the allowlist`;
  if (rule.unbound && !rule.write) return undefined;
  const [, owner, repo] = pathname.split('/').slice(1);
  if (`${owner}/${repo}`.toLowerCase() !== ctx.repository.toLowerCase()) return `repository ${owner}/${repo} is not the bound repository`;
  if (!rule.write) return rule.pathCheck?.(pathname);
  if (!ctx.allowWrites) return 'writes are not allowed in this run';
  const pathRefusal = rule.pathCheck?.(pathname);
  if (pathRefusal) return pathRefusal;
  if (rule.check) {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
    return rule.check(body as Record<string, unknown>);
  }
  return undefined;
}
