/**
 * The shape of one write's handler, shared by the writer and the branch handler: how the writer looks
 * for what is there, creates, updates, and what a handler may say back.
 */
import type { ContentPipeline } from '../content/pipeline.js';
import type { GitHubClient } from './client.js';
import type { WriteFailure } from './journal.js';
import type { FirstLookups } from './lookups.js';

export interface HandlerCtx {
  client: GitHubClient;
  owner: string;
  repo: string;
  content: ContentPipeline;
  ledgerKey: string | undefined;
  identity: () => Promise<string>;
  lookups: FirstLookups | undefined;
}

/** What is on GitHub for one write: where it is, and whether it already says what we would write. */
export interface Remote {
  id?: number | string;
  url?: string;
  same: boolean;
}

export interface Written {
  id?: number | string;
  url?: string;
  note?: string;
  /** GitHub already held exactly this (found only while writing): the write is `unchanged`, not `done`. */
  unchanged?: boolean;
}

export interface Handler {
  /** Look on GitHub; undefined when nothing of ours is there. */
  find(): Promise<Remote | undefined>;
  create(): Promise<Written>;
  /** Rewrite what is there in place; without it a changed write is created anew. */
  update?(target: { id: number | string; url?: string }): Promise<Written>;
  /** Once there, always unchanged: reviews (one per epoch) and labels (add only). */
  once?: boolean;
}

/** A failure a handler decided on (a refusal, or a classified API error), with a note for the report. */
export class Failure extends Error {
  constructor(
    readonly failure: WriteFailure,
    readonly note?: string,
  ) {
    super(failure.message);
  }
}

/** A refusal: nothing was sent, and a re-run would refuse again until someone acts. */
export function refusal(code: WriteFailure['code'], message: string, note?: string): Failure {
  return new Failure({ code, message, ambiguous: false }, note);
}

/** GitHub may store a body with CRLF line ends or without trailing white space: compare what renders. */
export const sameText = (remote: string | null | undefined, ours: string) =>
  (remote ?? '').replace(/\r\n?/g, '\n').trimEnd() === ours.replace(/\r\n?/g, '\n').trimEnd();

/** What a write's note says about CI when the workflow token opened a PR or pushed a branch (README: "Draft PRs from agent changes"). */
export const CI_NOTE =
  'made with the workflow token, so GitHub does not start other workflows for it (on: push, on: pull_request): CI has not run; use a PAT or GitHub App token as github-token, or start CI with workflow_dispatch or by hand (README: "Draft PRs from agent changes")';
