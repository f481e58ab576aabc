import { B as BottleneckLight, g as getOctokit, r as retry } from './index-CUlwN6C3.js';
import { F as FirewallError } from '../index.js';
import 'fs';
import 'os';
import 'http';
import 'https';
import './index-BywLuyFt.js';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import './render-BoKjX-_3.js';
import 'process';
import 'buffer';
import 'node:perf_hooks';
import 'tty';
import 'node:path';
import 'node:crypto';
import 'node:fs';
import 'node:fs/promises';
import 'node:tls';
import 'node:zlib';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'crypto';
import 'path';
import 'node:stream/promises';
import 'node:os';

// pkg/dist-src/index.js

// pkg/dist-src/version.js
var VERSION = "0.0.0-development";

// pkg/dist-src/wrap-request.js
var noop = () => Promise.resolve();
function wrapRequest(state, request, options) {
  return state.retryLimiter.schedule(doRequest, state, request, options);
}
async function doRequest(state, request, options) {
  const { pathname } = new URL(options.url, "http://github.test");
  const isAuth = isAuthRequest(options.method, pathname);
  const isWrite = !isAuth && options.method !== "GET" && options.method !== "HEAD";
  const isSearch = options.method === "GET" && pathname.startsWith("/search/");
  const isGraphQL = pathname.startsWith("/graphql");
  const retryCount = ~~request.retryCount;
  const jobOptions = retryCount > 0 ? { priority: 0, weight: 0 } : {};
  if (state.clustering) {
    jobOptions.expiration = 1e3 * 60;
  }
  if (isWrite || isGraphQL) {
    await state.write.key(state.id).schedule(jobOptions, noop);
  }
  if (isWrite && state.triggersNotification(pathname)) {
    await state.notifications.key(state.id).schedule(jobOptions, noop);
  }
  if (isSearch) {
    await state.search.key(state.id).schedule(jobOptions, noop);
  }
  const req = (isAuth ? state.auth : state.global).key(state.id).schedule(jobOptions, request, options);
  if (isGraphQL) {
    const res = await req;
    if (res.data.errors != null && res.data.errors.some((error) => error.type === "RATE_LIMITED")) {
      const error = Object.assign(new Error("GraphQL Rate Limit Exceeded"), {
        response: res,
        data: res.data
      });
      throw error;
    }
  }
  return req;
}
function isAuthRequest(method, pathname) {
  return method === "PATCH" && // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-a-scoped-access-token
  /^\/applications\/[^/]+\/token\/scoped$/.test(pathname) || method === "POST" && // https://docs.github.com/en/rest/apps/oauth-applications?apiVersion=2022-11-28#reset-a-token
  (/^\/applications\/[^/]+\/token$/.test(pathname) || // https://docs.github.com/en/rest/apps/apps?apiVersion=2022-11-28#create-an-installation-access-token-for-an-app
  /^\/app\/installations\/[^/]+\/access_tokens$/.test(pathname) || // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
  pathname === "/login/oauth/access_token");
}

// pkg/dist-src/generated/triggers-notification-paths.js
var triggers_notification_paths_default = [
  "/orgs/{org}/invitations",
  "/orgs/{org}/invitations/{invitation_id}",
  "/orgs/{org}/teams/{team_slug}/discussions",
  "/orgs/{org}/teams/{team_slug}/discussions/{discussion_number}/comments",
  "/repos/{owner}/{repo}/collaborators/{username}",
  "/repos/{owner}/{repo}/commits/{commit_sha}/comments",
  "/repos/{owner}/{repo}/issues",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issue",
  "/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
  "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
  "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
  "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
  "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
  "/repos/{owner}/{repo}/releases",
  "/teams/{team_id}/discussions",
  "/teams/{team_id}/discussions/{discussion_number}/comments"
];

// pkg/dist-src/route-matcher.js
function routeMatcher(paths) {
  const regexes = paths.map(
    (path) => path.split("/").map((c) => c.startsWith("{") ? "(?:.+?)" : c).join("/")
  );
  const regex2 = `^(?:${regexes.map((r) => `(?:${r})`).join("|")})[^/]*$`;
  return new RegExp(regex2, "i");
}

// pkg/dist-src/index.js
var regex = routeMatcher(triggers_notification_paths_default);
var triggersNotification = regex.test.bind(regex);
var groups = {};
var createGroups = function(Bottleneck, common) {
  groups.global = new Bottleneck.Group({
    id: "octokit-global",
    maxConcurrent: 10,
    ...common
  });
  groups.auth = new Bottleneck.Group({
    id: "octokit-auth",
    maxConcurrent: 1,
    ...common
  });
  groups.search = new Bottleneck.Group({
    id: "octokit-search",
    maxConcurrent: 1,
    minTime: 2e3,
    ...common
  });
  groups.write = new Bottleneck.Group({
    id: "octokit-write",
    maxConcurrent: 1,
    minTime: 1e3,
    ...common
  });
  groups.notifications = new Bottleneck.Group({
    id: "octokit-notifications",
    maxConcurrent: 1,
    minTime: 3e3,
    ...common
  });
};
function throttling(octokit, octokitOptions) {
  const {
    enabled = true,
    Bottleneck = BottleneckLight,
    id = "no-id",
    timeout = 1e3 * 60 * 2,
    // Redis TTL: 2 minutes
    connection
  } = octokitOptions.throttle || {};
  if (!enabled) {
    return {};
  }
  const common = { timeout };
  if (typeof connection !== "undefined") {
    common.connection = connection;
  }
  const state = Object.assign(
    {
      clustering: connection != null,
      triggersNotification,
      fallbackSecondaryRateRetryAfter: 60,
      retryAfterBaseValue: 1e3,
      id
    },
    octokitOptions.throttle
  );
  if (typeof state.onSecondaryRateLimit !== "function" || typeof state.onRateLimit !== "function") {
    throw new Error(`octokit/plugin-throttling error:
        You must pass the onSecondaryRateLimit and onRateLimit error handlers.
        See https://octokit.github.io/rest.js/#throttling

        const octokit = new Octokit({
          throttle: {
            onSecondaryRateLimit: (retryAfter, options) => {/* ... */},
            onRateLimit: (retryAfter, options) => {/* ... */}
          }
        })
    `);
  }
  let initialized = false;
  const initializeBottleneck = () => {
    if (initialized) {
      return;
    }
    initialized = true;
    if (groups.global == null) {
      createGroups(Bottleneck, common);
    }
    state.global = state.global ?? groups.global;
    state.auth = state.auth ?? groups.auth;
    state.search = state.search ?? groups.search;
    state.write = state.write ?? groups.write;
    state.notifications = state.notifications ?? groups.notifications;
    state.retryLimiter = state.retryLimiter ?? new Bottleneck();
    const events = {};
    const emitter = new Bottleneck.Events(events);
    events.on("secondary-limit", state.onSecondaryRateLimit);
    events.on("rate-limit", state.onRateLimit);
    events.on(
      "error",
      (e) => octokit.log.warn("Error in throttling-plugin limit handler", e)
    );
    state.retryLimiter.on("failed", async function(error, info) {
      const [state2, request, options] = info.args;
      const { pathname } = new URL(options.url, "http://github.test");
      const shouldRetryGraphQL = pathname.startsWith("/graphql") && error.status !== 401;
      if (!(shouldRetryGraphQL || error.status === 403 || error.status === 429)) {
        return;
      }
      const retryCount = ~~request.retryCount;
      request.retryCount = retryCount;
      options.request.retryCount = retryCount;
      const { wantRetry, retryAfter = 0 } = await (async function() {
        if (/\bsecondary rate\b/i.test(error.message)) {
          const retryAfter2 = Number(error.response.headers["retry-after"]) || state2.fallbackSecondaryRateRetryAfter;
          const wantRetry2 = await emitter.trigger(
            "secondary-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        if (error.response.headers != null && error.response.headers["x-ratelimit-remaining"] === "0" || (error.response.data?.errors ?? []).some(
          (error2) => error2.type === "RATE_LIMITED"
        )) {
          const rateLimitReset = new Date(
            ~~error.response.headers["x-ratelimit-reset"] * 1e3
          ).getTime();
          const retryAfter2 = Math.max(
            // Add one second so we retry _after_ the reset time
            // https://docs.github.com/en/rest/overview/resources-in-the-rest-api?apiVersion=2022-11-28#exceeding-the-rate-limit
            Math.ceil((rateLimitReset - Date.now()) / 1e3) + 1,
            0
          );
          const wantRetry2 = await emitter.trigger(
            "rate-limit",
            retryAfter2,
            options,
            octokit,
            retryCount
          );
          return { wantRetry: wantRetry2, retryAfter: retryAfter2 };
        }
        return {};
      })();
      if (wantRetry) {
        request.retryCount++;
        return retryAfter * state2.retryAfterBaseValue;
      }
    });
  };
  octokit.hook.wrap("request", (request, options) => {
    initializeBottleneck();
    return wrapRequest(state, request, options);
  });
  return {};
}
throttling.VERSION = VERSION;
throttling.triggersNotification = triggersNotification;

/**
 * The request firewall (SPEC §7): the only requests that may reach GitHub are the method + route
 * pairs below, for the one bound repository, with bodies that cannot merge, force, approve,
 * change state or touch workflows. Everything else is refused before the network. Pure: the
 * Octokit hook in `client.ts` calls `checkRequest` with the fully expanded request.
 */
const onlyKeys = (allowed) => (body) => {
    const extra = Object.keys(body).filter((k) => !allowed.includes(k));
    return extra.length ? `members ${extra.join(', ')} are not allowed` : undefined;
};
const FORBIDDEN_TREE_MODES = new Set(['120000', '160000']);
const WORKFLOW_PATH = /^\.github\/workflows(\/|$)/i;
/** Reads the action needs. */
const READ_ROUTES = [
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
const WRITE_ROUTES = [
    { method: 'POST', route: '/repos/{owner}/{repo}/issues/{issue_number}/comments', check: onlyKeys(['body']) },
    { method: 'PATCH', route: '/repos/{owner}/{repo}/issues/comments/{comment_id}', check: onlyKeys(['body']) },
    {
        method: 'POST',
        route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        check: (body) => onlyKeys(['body', 'event', 'comments', 'commit_id'])(body) ??
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
            if (keys)
                return keys;
            if (!Array.isArray(body.tree))
                return 'tree must be a list';
            for (const entry of body.tree) {
                if (FORBIDDEN_TREE_MODES.has(String(entry?.mode)))
                    return `tree mode ${String(entry.mode)} (symlink or submodule) is not allowed`;
                if (typeof entry?.path !== 'string' || WORKFLOW_PATH.test(entry.path))
                    return 'tree entries may not touch .github/workflows';
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
function compile(route) {
    const pattern = route
        .split(/(\{[a-z_]+\})/)
        .map((part) => {
        if (part === '{path}' || part === '{ref}' || part === '{branch}')
            return '(.+)';
        if (/^\{[a-z_]+\}$/.test(part))
            return '([^/]+)';
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
        .join('');
    return new RegExp(`^${pattern}$`);
}
const COMPILED = [...READ_ROUTES, ...WRITE_ROUTES].map((rule) => ({ ...rule, regex: compile(rule.route), write: rule.method !== 'GET' }));
/** Which allowlisted rule a method and pathname match, if any. */
function matchRoute(method, pathname) {
    const m = method.toUpperCase();
    return COMPILED.find((rule) => rule.method === m && rule.regex.test(pathname));
}
/** The reason a request is refused, or undefined when it may be sent. */
function checkRequest(request, ctx) {
    let url;
    try {
        url = new URL(request.url);
    }
    catch {
        return 'not an absolute URL';
    }
    if (url.origin !== new URL(ctx.apiOrigin).origin)
        return `origin ${url.origin} is not the API origin`;
    // Encoded slashes or dot segments could make one route look like another.
    if (/%2f|%5c|\/\.\.?(\/|$)/i.test(url.pathname))
        return 'encoded slashes and dot segments are not allowed';
    const basePath = new URL(ctx.apiOrigin).pathname.replace(/\/$/, '');
    const pathname = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const rule = matchRoute(request.method, pathname);
    if (!rule)
        return `${request.method.toUpperCase()} ${pathname} is not on the allowlist`;
    if (rule.unbound && !rule.write)
        return undefined;
    const [, owner, repo] = pathname.split('/').slice(1);
    if (`${owner}/${repo}`.toLowerCase() !== ctx.repository.toLowerCase())
        return `repository ${owner}/${repo} is not the bound repository`;
    if (!rule.write)
        return rule.pathCheck?.(pathname);
    if (!ctx.allowWrites)
        return 'writes are not allowed in this run';
    const pathRefusal = rule.pathCheck?.(pathname);
    if (pathRefusal)
        return pathRefusal;
    if (rule.check) {
        const body = request.body;
        if (body === null || typeof body !== 'object' || Array.isArray(body))
            return 'the body must be a JSON object';
        return rule.check(body);
    }
    return undefined;
}

const NON_IDEMPOTENT = new Set(['POST']);
/**
 * An Octokit with retry and throttling (plugins, not a hand-written loop) behind the request
 * firewall. Creates (POST) are never retried on 5xx or timeouts, since GitHub may have acted on
 * them; the writer reconciles instead. Rate-limit answers are retried, since GitHub did not act.
 */
function createClient(options) {
    const maxRetries = options.maxRetries ?? 2;
    const octokit = getOctokit(options.token, {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
        retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
        throttle: {
            onRateLimit: (_after, _opts, _o, retryCount) => retryCount < maxRetries,
            onSecondaryRateLimit: (_after, _opts, _o, retryCount) => retryCount < maxRetries,
        },
    }, retry, throttling);
    const ctx = () => ({
        repository: options.repository,
        apiOrigin: options.baseUrl ?? octokit.request.endpoint.DEFAULTS.baseUrl,
        allowWrites: options.writes.allowed,
    });
    octokit.hook.before('request', (request) => {
        const expanded = octokit.request.endpoint.parse(request);
        const reason = checkRequest({ method: expanded.method, url: expanded.url, body: expanded.body }, ctx());
        if (reason)
            throw new FirewallError(reason);
        // Octokit hands every request the same default `request` options object: copy it, or what is
        // set here would leak into every later request (a first request's timer became a deadline for
        // the whole run, and a POST's `retries: 0` stopped the retries of every later GET).
        const req = { ...(request.request ?? {}) };
        request.request = req;
        if (NON_IDEMPOTENT.has(expanded.method))
            req.retries = 0;
        // The time limit is per attempt: the plugins retry inside this hook, so each attempt starts its
        // own timer when it is sent, and a rate-limit wait before a retry does not count against it.
        const send = req.fetch ?? fetch;
        const limit = options.timeoutMs ?? 30_000;
        req.fetch = (url, init) => {
            const timer = AbortSignal.timeout(limit);
            // A timed-out request reports as status 500; it is not retried (the caller classifies it as
            // API_TIMEOUT, and a create is reconciled, never resent).
            timer.addEventListener('abort', () => void (req.retries = 0), { once: true });
            return send(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timer]) : timer });
        };
    });
    return octokit;
}

export { createClient };
