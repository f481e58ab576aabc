import type { PublishedState } from '../contract/facts.js';
import { reviewKey } from '../decide/writes.js';
import type { GitHubClient } from './client.js';
import { isIdentity } from './identity.js';
import type { FirstLookups, ListedReview } from './lookups.js';
import { parseMarker } from './marker.js';

/**
 * Published epochs reconciled from GitHub when no trusted ledger says them (SPEC §8, §9): the
 * action writes one review per epoch, keyed by the epoch, so the order of its own reviews on the PR
 * (authored by its identity, with a valid marker) is the order in which epochs were published.
 * A review key cannot be turned back into its epoch, but the envelope's own epoch can be turned into
 * its key: that is all EPOCH_REPLAYED needs (was this epoch published, and another after it?).
 *
 * Only as good as the reviews: a policy that never writes reviews leaves nothing to reconcile, and
 * someone who deletes the action's reviews erases the history. The list read here is offered to the
 * writer's first review lookup, so a run that writes a review pays no extra request.
 */
export async function ownReviewKeys(
  client: GitHubClient,
  repository: string,
  number: number,
  identity: () => Promise<string>,
  ledgerKey: string | undefined,
  lookups?: FirstLookups,
): Promise<string[]> {
  const [owner = '', repo = ''] = repository.split('/');
  const reviews = (await client.paginate(client.rest.pulls.listReviews, { owner, repo, pull_number: number, per_page: 100 })) as ListedReview[];
  lookups?.putReviews(number, reviews);
  const me = await identity();
  const keys: string[] = [];
  for (const r of [...reviews].sort((a, b) => a.id - b.id)) {
    if (!isIdentity(r.user, me) || !r.body) continue;
    const marker = parseMarker(r.body, ledgerKey);
    if (marker?.valid && !keys.includes(marker.key)) keys.push(marker.key);
  }
  return keys;
}

/**
 * The epochs to judge the envelope's epoch against. From the reviews: the envelope's epoch where
 * its review key appears, an opaque stand-in (`review:<key>`) for every other epoch. When the reviews
 * show a replay (this epoch's review, then another), they decide, whatever a ledger says: a ledger
 * can be older than GitHub (a run whose ledger was not stored). Otherwise a ledger's epochs stand,
 * and without any the reviews' do.
 */
export function epochsFromReviews(state: PublishedState, keys: readonly string[], repository: string, number: number, epoch: string): PublishedState {
  if (keys.length === 0) return state;
  const own = reviewKey(repository, number, epoch);
  const fromReviews = keys.map((k) => (k === own ? epoch : `review:${k}`));
  const replayed = keys.includes(own) && keys.at(-1) !== own;
  if (replayed || state.epochs.length === 0) return { ...state, epochs: fromReviews };
  return state;
}
