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
    const req = (request.request ??= {}) as { retries?: number; signal?: AbortSignal };
    if (NON_IDEMPOTENT.has(expanded.method)) req.retries = 0;
    if (!req.signal) {
      const signal = AbortSignal.timeout(options.timeoutMs ?? 30_000);
      // A timed-out request reports as status 500; with the signal spent, a retry would fail at
      // once after a back-off, so the plugin is told not to retry it (the caller classifies it).
      signal.addEventListener('abort', () => void (req.retries = 0), { once: true });
      req.signal = signal;
    }
  });
  return octokit;
}
