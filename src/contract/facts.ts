import * as v from 'valibot';
import { epoch, filePath, name, ref, repository, sha, shortText } from './common.js';
import { Limits } from './limits.js';

const line = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.line));
const login = v.pipe(shortText(100), v.minLength(1));

/**
 * What GitHub says right now (SPEC §1: trusted for binding and staleness). The action reads these
 * through the API; the CLI takes them from `--facts` or assumes them consistent with the envelope.
 */
export const Facts = v.strictObject({
  /** `live` when read from the API; `assumed` when filled in offline, which never allows a live write. */
  origin: v.optional(v.picklist(['live', 'assumed']), 'assumed'),
  repository,
  event: v.pipe(name, v.minLength(1)),
  actor: login,
  defaultBranch: ref,
  /** The live head SHA of the envelope's head ref; null when the ref no longer exists. */
  headSha: v.nullable(sha),
  pullRequest: v.nullable(
    v.strictObject({
      number: v.pipe(v.number(), v.integer(), v.minValue(1)),
      url: v.optional(v.pipe(v.string(), v.maxLength(Limits.url))),
      state: v.picklist(['open', 'closed']),
      draft: v.optional(v.boolean(), false),
      author: login,
      headSha: sha,
      headRef: ref,
      baseSha: sha,
      baseRef: ref,
      labels: v.optional(v.pipe(v.array(name), v.maxLength(1000)), []),
    }),
  ),
  /** Changed files of the PR with the new-side line ranges of their hunks; null when unknown. */
  files: v.nullable(
    v.pipe(
      v.array(v.strictObject({ path: filePath, hunks: v.pipe(v.array(v.tuple([line, line])), v.maxLength(10_000)) })),
      v.maxLength(10_000),
    ),
  ),
  headCommitAuthors: v.optional(v.pipe(v.array(login), v.maxLength(1000)), []),
  checkRuns: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          id: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
          name,
          headSha: sha,
          status: v.picklist(['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending']),
          conclusion: v.nullable(v.pipe(v.string(), v.maxLength(40))),
        }),
      ),
      v.maxLength(10_000),
    ),
    [],
  ),
  approvals: v.optional(
    v.pipe(
      v.array(v.strictObject({ environment: name, state: v.picklist(['approved', 'rejected', 'pending']), user: login })),
      v.maxLength(1000),
    ),
    [],
  ),
  environments: v.optional(
    v.record(name, v.strictObject({ preventSelfReview: v.boolean(), canAdminsBypass: v.boolean() })),
    {},
  ),
});
export type Facts = v.InferOutput<typeof Facts>;

/**
 * What earlier runs published, from a trusted ledger or reconciled from GitHub markers.
 * `trust` says where it came from; `epochs` lists published epochs for the target, oldest first.
 */
export const PublishedState = v.strictObject({
  trust: v.optional(v.picklist(['trusted', 'absent', 'untrusted', 'reconciled']), 'absent'),
  epochs: v.optional(v.pipe(v.array(epoch), v.maxLength(100_000)), []),
  writes: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, 'an idempotency key')),
      v.strictObject({
        digest: v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<hex>')),
        id: v.optional(v.union([v.number(), v.pipe(v.string(), v.maxLength(200))])),
        url: v.optional(v.pipe(v.string(), v.maxLength(Limits.url))),
      }),
    ),
    {},
  ),
});
export type PublishedState = v.InferOutput<typeof PublishedState>;

/** The `--facts` file of `publish-gate plan`: every member optional, merged over assumed facts. */
export const FactsFile = v.strictObject({
  ...v.partial(v.omit(Facts, ['origin'])).entries,
  now: v.optional(v.pipe(v.string(), v.isoTimestamp())),
  published: v.optional(PublishedState),
});
export type FactsFile = v.InferOutput<typeof FactsFile>;
