import type { StateTarget } from './state.js';

/**
 * Where a run's ledger is stored (SPEC §10): the artifact `publish-gate-ledger-<run_id>-<attempt>`
 * and the cache key `publish-gate-ledger-v1-<repository_id>-<scope>-<run_id>-<attempt>`, restored by
 * the prefix without the run part. Cache keys are at most 512 characters and hold no comma (FACTS).
 * Every part is checked, so a name never depends on unchecked text.
 */

export const LEDGER_CACHE_KEY_MAX = 512;

const RUN_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const SCOPE = /^[a-z0-9-]{1,64}$/;

function runPart(runId: string | number, attempt: number): string {
  const id = String(runId);
  if (!RUN_ID.test(id)) throw new RangeError(`run id ${JSON.stringify(id).slice(0, 80)} is not 1-64 of [A-Za-z0-9_.-]`);
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError(`run attempt ${attempt} is not a positive integer`);
  return `${id}-${attempt}`;
}

function checkedKey(key: string): string {
  if (key.length > LEDGER_CACHE_KEY_MAX) throw new RangeError(`cache key is ${key.length} characters, over ${LEDGER_CACHE_KEY_MAX}`);
  if (key.includes(',')) throw new RangeError('cache key contains a comma');
  return key;
}

/** `publish-gate-ledger-<run_id>-<attempt>`. */
export function ledgerArtifactName(runId: string | number, attempt: number): string {
  return `publish-gate-ledger-${runPart(runId, attempt)}`;
}

/**
 * `publish-gate-ledger-v1-<repository_id>-<scope>-`: the restore prefix. It ends with `-` so that
 * scope `pr-1` never matches the entries of `pr-12`, nor repository 42 those of 421.
 */
export function ledgerCachePrefix(repositoryId: number, scope: string): string {
  if (!Number.isSafeInteger(repositoryId) || repositoryId < 1) throw new RangeError(`repository id ${repositoryId} is not a positive integer`);
  if (!SCOPE.test(scope)) throw new RangeError(`ledger scope ${JSON.stringify(scope).slice(0, 80)} is not 1-64 of [a-z0-9-]`);
  return checkedKey(`publish-gate-ledger-v1-${repositoryId}-${scope}-`);
}

/** `publish-gate-ledger-v1-<repository_id>-<scope>-<run_id>-<attempt>`. */
export function ledgerCacheKey(repositoryId: number, scope: string, runId: string | number, attempt: number): string {
  return checkedKey(`${ledgerCachePrefix(repositoryId, scope)}${runPart(runId, attempt)}`);
}

/**
 * The cache scope of a target: `pr-<number>` when a PR number is known, else `sha-<first 12 of the
 * head SHA>`, else `repo`. A PR number or head SHA of the wrong form throws.
 */
export function ledgerScope(target: Pick<StateTarget, 'pullRequest' | 'head'>): string {
  const { pullRequest, head } = target;
  if (pullRequest != null) {
    if (!Number.isSafeInteger(pullRequest) || pullRequest < 1) throw new RangeError(`PR number ${pullRequest} is not a positive integer`);
    return `pr-${pullRequest}`;
  }
  if (head != null) {
    if (!/^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/.test(head)) throw new RangeError('head SHA is not 40 or 64 hex digits');
    return `sha-${head.slice(0, 12).toLowerCase()}`;
  }
  return 'repo';
}
