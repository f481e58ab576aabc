/**
 * Lists the fact reads fetched anyway, offered to the writer's first lookup of each write so one
 * request serves both (issue 4's request economy). Every list here was read before any write of
 * this run. The writer uses an entry only for its first look; a look after an ambiguous answer
 * (reconcile) always reads GitHub again, since by then this run may have changed what is there.
 */

/** A check run as GitHub lists it, with what the writer compares. */
export interface ListedCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id?: string | null;
  html_url?: string | null;
  app?: { slug?: string | null } | null;
  output: { title: string | null; summary: string | null; text?: string | null; annotations_count: number };
}

/** A review as GitHub lists it, with what the writer and the epoch reconcile read. */
export interface ListedReview {
  id: number;
  user: { login?: string } | null;
  body: string | null;
  html_url: string;
  submitted_at?: string | null;
}

export class FirstLookups {
  private readonly checkRuns = new Map<string, readonly ListedCheckRun[]>();
  private readonly labels = new Map<number, readonly string[]>();
  private readonly reviews = new Map<number, readonly ListedReview[]>();

  /** Every review of the PR, read to reconcile published epochs from GitHub. */
  putReviews(number: number, reviews: readonly ListedReview[]): void {
    this.reviews.set(number, reviews);
  }

  reviewsOf(number: number): readonly ListedReview[] | undefined {
    return this.reviews.get(number);
  }

  /** Every check run on `sha` (`filter=all`), complete: a list cut at the page bound is not kept. */
  putCheckRuns(sha: string, runs: readonly ListedCheckRun[]): void {
    this.checkRuns.set(sha, runs);
  }

  checkRunsOf(sha: string): readonly ListedCheckRun[] | undefined {
    return this.checkRuns.get(sha);
  }

  /** The labels on the PR as GitHub returned the PR. */
  putLabels(number: number, labels: readonly string[]): void {
    this.labels.set(number, labels);
  }

  labelsOf(number: number): readonly string[] | undefined {
    return this.labels.get(number);
  }
}
