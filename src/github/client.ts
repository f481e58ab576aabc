import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { FirewallError } from './errors.js';
import { type FirewallContext, checkRequest } from './firewall.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** API base URL; defaults to GITHUB_API_URL as @actions/github reads it. */
  baseUrl?: string;
  repository: string;
  /** Read when each request is checked: writes open only after the plan allows them. */
  writes: { allowed: boolean };
  /** Tests pass msw's fetch; production keeps @actions/github's proxy-aware fetch. */
  fetch?: typeof fetch;
  /** Per-request time limit. */
  timeoutMs?: number;
  /** Retries on rate limits and, for idempotent requests, on 5xx. */
  maxRetries?: number;
}

const NON_IDEMPOTENT = new Set(['POST']);

/**
 * An Octokit with retry and throttling (plugins, not a hand-written loop) behind the request
 * firewall. Creates (POST) are never retried on 5xx or timeouts, since GitHub may have acted on
 * them; the writer reconciles instead. Rate-limit answers are retried, since GitHub did not act.
 */
export function createClient(options: ClientOptions): GitHubClient {
  const maxRetries = options.maxRetries ?? 2;
  const octokit = getOctokit(
    options.token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
      retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: (_after: number, _opts: unknown, _o: unknown, retryCount: number) => retryCount < maxRetries,
        onSecondaryRateLimit: (_after: number, _opts: unknown, _o: unknown, retryCount: number) => retryCount < maxRetries,
      },
    },
    retry,
    throttling,
  );
  const ctx = (): FirewallContext => ({
    repository: options.repository,
    apiOrigin: options.baseUrl ?? octokit.request.endpoint.DEFAULTS.baseUrl,
    allowWrites: options.writes.allowed,
  });
  octokit.hook.before('request', (request) => {
    const expanded = octokit.request.endpoint.parse(request as Parameters<typeof octokit.request.endpoint.parse>[0]);
    const reason = checkRequest({ method: expanded.method, url: expanded.url, body: expanded.body }, ctx());
    if (reason) throw new FirewallError(reason);
    // Octokit hands every request the same default `request` options object: copy it, or what is
    // set here would leak into every later request (a first request's timer became a deadline for
    // the whole run, and a POST's `retries: 0` stopped the retries of every later GET).
    const req = { ...(request.request ?? {}) } as { retries?: number; fetch?: typeof fetch };
    request.request = req as typeof request.request;
    if (NON_IDEMPOTENT.has(expanded.method)) req.retries = 0;
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
