import * as v from 'valibot';
import { duration, glob, mode, name, repository, severity, unique } from './common.js';
import { Limits } from './limits.js';

const globs = v.pipe(v.array(glob), v.maxLength(Limits.globs));
const allowDeny = v.optional(v.picklist(['allow', 'deny']), 'deny');

export const Policy = v.strictObject({
  version: v.literal(1),
  mode: v.optional(mode, 'dry-run'),
  repositories: v.pipe(v.array(repository), v.minLength(1), v.maxLength(Limits.globs)),
  branches: v.optional(
    v.strictObject({
      base: v.optional(globs, ['**']),
      head: v.optional(globs, ['**']),
    }),
    { base: ['**'], head: ['**'] },
  ),
  triggers: v.optional(
    v.strictObject({
      events: v.optional(v.pipe(v.array(v.pipe(name, v.regex(/^[a-z_]+$/, 'an event name'))), v.maxLength(Limits.globs))),
      actors: v.optional(globs),
    }),
  ),
  gates: v.optional(
    v.strictObject({
      required: v.optional(v.pipe(v.array(v.pipe(name, v.minLength(1))), v.maxLength(Limits.gates), unique(String, 'each gate at most once')), []),
      'max-age': v.optional(duration, '24h'),
      'confirm-check-runs': v.optional(v.record(v.pipe(name, v.minLength(1)), v.pipe(name, v.minLength(1))), {}),
    }),
    { required: [], 'max-age': '24h', 'confirm-check-runs': {} },
  ),
  /** Required: leaving approvals out must be a decision written down, never an omission. */
  approval: v.union([
    v.literal('none'),
    v.strictObject({
      environment: v.pipe(name, v.minLength(1)),
      'forbid-self-approval': v.optional(v.boolean(), true),
      'require-safe-environment': v.optional(v.boolean(), true),
    }),
  ]),
  writes: v.optional(
    v.strictObject({
      comment: allowDeny,
      review: v.optional(v.picklist(['deny', 'comment', 'request-changes']), 'deny'),
      'check-run': allowDeny,
      status: allowDeny,
      labels: v.optional(v.pipe(v.array(v.pipe(name, v.minLength(1), v.maxLength(50))), v.maxLength(Limits.labels)), []),
      'pull-request': v.optional(
        v.strictObject({ create: allowDeny, update: allowDeny, 'draft-only': v.optional(v.boolean(), true) }),
        { create: 'deny', update: 'deny', 'draft-only': true },
      ),
      branch: v.optional(
        v.strictObject({
          create: allowDeny,
          prefix: v.optional(v.pipe(name, v.minLength(1)), 'agent/'),
          'deny-paths': v.optional(globs, []),
        }),
        { create: 'deny', prefix: 'agent/', 'deny-paths': [] },
      ),
    }),
    {},
  ),
  findings: v.optional(
    v.strictObject({
      'min-severity': v.optional(severity, 'low'),
      'min-confidence': v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0),
      'max-inline': v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1000)), 30),
      scope: v.optional(v.picklist(['diff', 'files', 'repository']), 'diff'),
      'deny-paths': v.optional(globs, []),
    }),
    {},
  ),
  content: v.optional(
    v.strictObject({
      'allowed-mentions': v.optional(v.pipe(v.array(v.pipe(name, v.minLength(1))), v.maxLength(Limits.globs)), []),
      'allowed-domains': v.optional(v.pipe(v.array(v.pipe(name, v.minLength(1))), v.maxLength(Limits.globs)), ['github.com']),
    }),
    {},
  ),
  limits: v.optional(
    v.strictObject({
      'max-writes': v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Limits.maxWrites)), 20),
    }),
    {},
  ),
});
export type Policy = v.InferOutput<typeof Policy>;
export type ApprovalPolicy = Exclude<Policy['approval'], 'none'>;
