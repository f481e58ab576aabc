import type { BlockerCode } from '../decide/blockers.js';

/** Thrown by the firewall hook: the request never left the process. */
export class FirewallError extends Error {
  override readonly name = 'FirewallError';
}

export interface ApiFailure {
  code: Extract<BlockerCode, 'AUTH_FAILED' | 'API_TIMEOUT' | 'API_FAILED' | 'RATE_LIMITED' | 'FORBIDDEN_OPERATION'>;
  message: string;
  status?: number;
  /** The server may have acted on the request (timeout, 5xx): a create must be reconciled, not retried. */
  ambiguous: boolean;
}

interface ErrorLike {
  name?: string;
  message?: string;
  status?: number;
  code?: string;
  cause?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isTimeout(error: ErrorLike, depth = 0): boolean {
  if (depth > 3 || !error) return false;
  if ((error.name && TIMEOUT_NAMES.has(error.name)) || (error.code && TIMEOUT_CODES.has(error.code))) return true;
  return typeof error.cause === 'object' && error.cause !== null && isTimeout(error.cause as ErrorLike, depth + 1);
}

/** Maps any error from a GitHub request to a blocker code (SPEC §8), naming a missing permission when GitHub says which. */
export function classifyApiError(raw: unknown, what: string): ApiFailure {
  const error = (raw ?? {}) as ErrorLike;
  if (raw instanceof FirewallError) return { code: 'FORBIDDEN_OPERATION', message: `${what}: refused by the request firewall: ${raw.message}`, ambiguous: false };
  const status = typeof error.status === 'number' ? error.status : undefined;
  const headers = error.response?.headers ?? {};
  const text = `${error.message ?? ''}`.slice(0, 300);
  // Octokit reports a transport failure as status 500 with the cause attached: look at the cause first.
  if (isTimeout(error)) return { code: 'API_TIMEOUT', message: `${what}: no answer in time (${text || error.name})`, ambiguous: true };
  if (status === undefined) {
    return { code: 'API_FAILED', message: `${what}: ${text || 'request failed'}`, ambiguous: true };
  }
  if (status === 401) return { code: 'AUTH_FAILED', message: `${what}: bad credentials (401)`, status, ambiguous: false };
  if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(text))))
    return { code: 'RATE_LIMITED', message: `${what}: rate limited (${status})`, status, ambiguous: false };
  if (status === 403) {
    const needed = headers['x-accepted-github-permissions'];
    return { code: 'AUTH_FAILED', message: `${what}: the token lacks permission${needed ? ` (needs ${needed})` : ''} (403)`, status, ambiguous: false };
  }
  if (status === 408 || status === 504) return { code: 'API_TIMEOUT', message: `${what}: GitHub timed out (${status})`, status, ambiguous: true };
  return { code: 'API_FAILED', message: `${what}: GitHub answered ${status}${text ? `: ${text}` : ''}`, status, ambiguous: status >= 500 };
}
