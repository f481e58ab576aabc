import { describe, expect, it } from 'vitest';
import { checkEpoch } from '../../src/decide/gates.js';
import { reviewKey } from '../../src/decide/writes.js';
import type { GitHubClient } from '../../src/github/client.js';
import { epochsFromReviews, ownReviewKeys } from '../../src/github/epochs.js';
import { FirstLookups, type ListedReview } from '../../src/github/lookups.js';
import { reviewMarkerLine } from '../../src/github/marker.js';
import { envelopeDocument } from '../fixtures.js';

const REPO = 'octo/app';
const BOT = 'github-actions[bot]';
const [A, B] = ['2026-11-21T10:00:00Z#3', '2026-11-21T12:00:00Z#4'];
const review = (id: number, body: string, login = BOT): ListedReview => ({ id, user: { login }, body, html_url: `https://github.com/octo/app/pull/42#r${id}` });
const marked = (epoch: string, key?: string) => `${reviewMarkerLine(reviewKey(REPO, 42, epoch), key)}\nbody`;

/** A client whose only use here is listing reviews: paginate answers with the given list. */
function client(reviews: ListedReview[]): GitHubClient {
  return { paginate: async () => reviews, rest: { pulls: { listReviews: {} } } } as unknown as GitHubClient;
}
const me = async () => BOT;
const absent = { trust: 'absent' as const, epochs: [], writes: {} };

describe('published epochs from the action’s own reviews', () => {
  it('reads our marked reviews, oldest first; ignores other users, copied markers and unmarked reviews; offers the list to the writer', async () => {
    const lookups = new FirstLookups();
    const list = [review(30, marked(B)), review(10, marked(A)), review(20, marked(A), 'mallory'), review(25, 'LGTM'), review(40, marked(A))];
    const keys = await ownReviewKeys(client(list), REPO, 42, me, undefined, lookups);
    expect(keys).toEqual([reviewKey(REPO, 42, A), reviewKey(REPO, 42, B)]);
    expect(lookups.reviewsOf(42)).toBe(list);
  });

  it('with a ledger key, a marker without a valid MAC does not count', async () => {
    const keys = await ownReviewKeys(client([review(1, marked(A)), review(2, marked(B, 'k'))]), REPO, 42, me, 'k');
    expect(keys).toEqual([reviewKey(REPO, 42, B)]);
  });

  it('A then B: re-running A is a replay; B (the latest) is not', () => {
    const keys = [reviewKey(REPO, 42, A), reviewKey(REPO, 42, B)];
    const envA = { ...envelopeDocument(), epoch: A };
    const envB = { ...envelopeDocument(), epoch: B };
    expect(checkEpoch(envA as never, epochsFromReviews(absent, keys, REPO, 42, A)).map((b) => b.code)).toEqual(['EPOCH_REPLAYED']);
    expect(checkEpoch(envB as never, epochsFromReviews(absent, keys, REPO, 42, B))).toEqual([]);
  });

  it('the reviews decide a replay even when an older trusted ledger knows only A; otherwise the ledger stands', () => {
    const trusted = { trust: 'trusted' as const, epochs: [A], writes: {} };
    const keys = [reviewKey(REPO, 42, A), reviewKey(REPO, 42, B)];
    expect(epochsFromReviews(trusted, keys, REPO, 42, A).epochs).toEqual([A, `review:${keys[1]}`]);
    const ledgerOnly = { trust: 'trusted' as const, epochs: ['x', A], writes: {} };
    expect(epochsFromReviews(ledgerOnly, [reviewKey(REPO, 42, A)], REPO, 42, A)).toBe(ledgerOnly);
    expect(epochsFromReviews(absent, [], REPO, 42, A)).toBe(absent);
  });
});
