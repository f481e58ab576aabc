import * as v from 'valibot';
import { epoch, name, repository, sha, shortText, timestamp, writeKind } from '../contract/common.js';
import { Limits } from '../contract/limits.js';

/**
 * Ledger records (SPEC §10): one JSON object per line, canonical JSON (RFC 8785), hash-chained by
 * `prev` and optionally authenticated by `mac`. No record ever carries a body or a secret: writes
 * are described by their idempotency key, kind, target, remote id/url and the digest of the body.
 */

export const LEDGER_VERSION = 1 as const;
export const GENESIS = 'genesis' as const;

export const RECORD_TYPES = ['decision', 'intent', 'write', 'skip', 'blocker', 'held', 'reconcile', 'checkpoint'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Bounds of what a checkpoint may summarize. */
export const CHECKPOINT_LIMITS = { writes: 20_000, epochs: 10_000, pending: 1_000 } as const;

const hashRef = v.pipe(v.string(), v.regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<hex>'));
const digest = hashRef;
const key = v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, 'an idempotency key'));
const code = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'a blocker code'));
/** The write target of SPEC §9: a PR number or a head SHA (a branch name for branch writes). */
const writeTarget = v.pipe(shortText(Limits.ref), v.minLength(1));
const remoteId = v.union([v.pipe(v.number(), v.safeInteger(), v.minValue(0)), v.pipe(shortText(Limits.id), v.minLength(1))]);
const url = v.pipe(shortText(Limits.url), v.minLength(1));
const positive = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

export const DECISIONS = ['published', 'noop', 'dry-run', 'blocked', 'failed', 'off'] as const;
export const WRITE_STATUSES = ['done', 'unchanged', 'failed', 'ambiguous'] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

export const LedgerRun = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a run id')),
  attempt: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1_000_000)),
  repository,
  /** GitHub's numeric repository id: a ledger naming another one is refused (SPEC §10). */
  repository_id: positive,
  workflow: v.pipe(shortText(Limits.name), v.minLength(1)),
  actor: v.pipe(shortText(100), v.minLength(1)),
});
export type LedgerRun = v.InferOutput<typeof LedgerRun>;

/** What a decision was about: the repository and the PR number and/or head SHA. */
export const DecisionTarget = v.strictObject({
  repository,
  pullRequest: v.nullable(positive),
  head: v.nullable(sha),
});
export type DecisionTarget = v.InferOutput<typeof DecisionTarget>;

const base = {
  v: v.literal(LEDGER_VERSION),
  seq: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  at: timestamp,
  run: LedgerRun,
  prev: v.union([v.literal(GENESIS), hashRef]),
  mac: v.nullable(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a hex HMAC-SHA256'))),
};

const written = { id: v.optional(remoteId), url: v.optional(url) };

/** Where a document came from (SPEC §2: local `*-path` inputs are recorded as `source: file`), with an artifact's provenance. */
export const DocumentSource = v.strictObject({
  source: v.picklist(['artifact', 'file', 'api', 'assumed', 'none']),
  artifactId: v.optional(positive),
  runId: v.optional(positive),
  digest: v.optional(digest),
  headSha: v.optional(sha),
  headRepositoryId: v.optional(positive),
});
export type DocumentSource = v.InferOutput<typeof DocumentSource>;

export const DecisionSources = v.strictObject({ policy: DocumentSource, envelope: DocumentSource, evidence: DocumentSource });
export type DecisionSources = v.InferOutput<typeof DecisionSources>;

export const DecisionRecord = v.strictObject({
  ...base,
  type: v.literal('decision'),
  decision: v.picklist(DECISIONS),
  planDigest: digest,
  epoch,
  target: DecisionTarget,
  blockers: v.pipe(v.array(code), v.maxLength(100)),
  /** Optional so that ledgers written before it still verify. */
  sources: v.optional(DecisionSources),
});
export const IntentRecord = v.strictObject({ ...base, type: v.literal('intent'), key, kind: writeKind, target: writeTarget, digest });
export const WriteRecord = v.strictObject({
  ...base,
  type: v.literal('write'),
  key,
  kind: writeKind,
  target: writeTarget,
  status: v.picklist(WRITE_STATUSES),
  ...written,
  digest,
});
export const SkipRecord = v.strictObject({ ...base, type: v.literal('skip'), key, kind: writeKind, target: writeTarget, reason: code });
export const BlockerRecord = v.strictObject({ ...base, type: v.literal('blocker'), codes: v.pipe(v.array(code), v.minLength(1), v.maxLength(100)) });
/** Memory entries held back: their keys only, never their values. */
export const HeldRecord = v.strictObject({
  ...base,
  type: v.literal('held'),
  keys: v.pipe(v.array(v.pipe(name, v.minLength(1))), v.minLength(1), v.maxLength(Limits.memory)),
});
/** What reconciliation from GitHub found for a key (`found: false`: no write of ours exists). */
export const ReconcileRecord = v.strictObject({
  ...base,
  type: v.literal('reconcile'),
  key,
  kind: writeKind,
  target: writeTarget,
  found: v.boolean(),
  ...written,
  digest: v.optional(digest),
});

export const KnownWriteEntry = v.strictObject({ digest, ...written });
export const PendingEntry = v.strictObject({ key, kind: writeKind, target: writeTarget, digest });
export type PendingEntry = v.InferOutput<typeof PendingEntry>;

/**
 * A summary of every record up to and including its own `seq`, so that they can be dropped.
 * `prev` is the hash of the last dropped line; nothing left in the file can check it, so a
 * checkpoint is exactly as trusted as its MAC.
 */
export const CheckpointRecord = v.strictObject({
  ...base,
  type: v.literal('checkpoint'),
  /** How many records the checkpoint replaced. */
  replaced: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  writes: v.pipe(v.record(key, KnownWriteEntry), v.check((w) => Object.keys(w).length <= CHECKPOINT_LIMITS.writes, `at most ${CHECKPOINT_LIMITS.writes} writes`)),
  epochs: v.pipe(v.array(v.strictObject({ target: DecisionTarget, epoch })), v.maxLength(CHECKPOINT_LIMITS.epochs)),
  pending: v.pipe(v.array(PendingEntry), v.maxLength(CHECKPOINT_LIMITS.pending)),
});

export const LedgerRecord = v.variant('type', [
  DecisionRecord,
  IntentRecord,
  WriteRecord,
  SkipRecord,
  BlockerRecord,
  HeldRecord,
  ReconcileRecord,
  CheckpointRecord,
]);
export type LedgerRecord = v.InferOutput<typeof LedgerRecord>;
export type RecordOf<T extends RecordType> = Extract<LedgerRecord, { type: T }>;

type Distribute<T> = T extends unknown ? Omit<T, 'v' | 'seq' | 'prev' | 'mac'> : never;
/** A record as a caller hands it to `appendRecords`: the chain members are filled in. */
export type RecordInput = Distribute<LedgerRecord>;
