import * as v from 'valibot';
import {
  body,
  epoch,
  filePath,
  name,
  ref,
  repository,
  severity,
  sha,
  shortText,
  unique,
  writeKind,
} from './common.js';
import { Limits } from './limits.js';

export const ENVELOPE_SCHEMA_ID = 'publish-gate/envelope@1';

const line = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.line));

export const Finding = v.pipe(
  v.strictObject({
    ruleId: v.pipe(name, v.minLength(1)),
    severity,
    confidence: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
    path: filePath,
    startLine: line,
    endLine: v.optional(line),
    title: v.pipe(shortText(), v.minLength(1)),
    body: v.optional(body(64 * 1024)),
    evidence: v.optional(body(64 * 1024)),
    suggestedValidation: v.optional(body(16 * 1024)),
    fingerprint: v.optional(v.pipe(name, v.minLength(1))),
  }),
  v.check((f) => f.endLine === undefined || f.endLine >= f.startLine, 'endLine at or after startLine'),
);
export type Finding = v.InferOutput<typeof Finding>;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ChangeFile = v.union([
  v.pipe(
    v.strictObject({
      path: filePath,
      // Room for a file at the per-file cap in base64; the decoded size is capped by the engine.
      content: v.pipe(v.string(), v.maxLength(Math.ceil((Limits.changeFileBytes * 4) / 3) + 4)),
      encoding: v.optional(v.picklist(['utf-8', 'base64']), 'utf-8'),
      // Only regular files: symlinks (120000) and submodules (160000) are never created.
      mode: v.optional(v.picklist(['100644', '100755']), '100644'),
    }),
    v.check(
      (f) => (f.encoding === 'base64' ? BASE64.test(f.content) : !f.content.includes('\u0000')),
      'binary content must be base64 with encoding: base64; UTF-8 text has no NUL characters',
    ),
  ),
  v.strictObject({ path: filePath, deleted: v.literal(true) }),
]);
export type ChangeFile = v.InferOutput<typeof ChangeFile>;

export const Envelope = v.strictObject({
  schema: v.literal(ENVELOPE_SCHEMA_ID),
  task: v.strictObject({
    id: v.pipe(shortText(Limits.id), v.minLength(1)),
    status: v.picklist(['succeeded', 'failed', 'partial', 'cancelled']),
    exitReason: v.optional(shortText(Limits.id)),
    agent: v.optional(shortText(Limits.id)),
  }),
  target: v.strictObject({
    repository,
    pullRequest: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(2 ** 31 - 1))),
    baseRef: ref,
    baseSha: sha,
    headRef: ref,
    headSha: sha,
  }),
  epoch,
  intent: v.pipe(v.array(writeKind), v.maxLength(7), unique(String, 'each write kind at most once')),
  summary: v.optional(body(Limits.summary)),
  findings: v.optional(v.pipe(v.array(Finding), v.maxLength(Limits.findings)), []),
  pullRequest: v.optional(
    v.strictObject({
      title: v.pipe(shortText(256), v.minLength(1)),
      body: v.optional(body(Limits.body)),
      draft: v.optional(v.boolean(), true),
    }),
  ),
  changes: v.optional(
    v.strictObject({
      branch: ref,
      message: v.pipe(body(16 * 1024), v.minLength(1)),
      files: v.pipe(
        v.array(ChangeFile),
        v.minLength(1),
        v.maxLength(Limits.changeFiles),
        unique((f: ChangeFile) => f.path, 'each path at most once'),
      ),
    }),
  ),
  labels: v.optional(
    v.pipe(v.array(v.pipe(name, v.minLength(1), v.maxLength(50))), v.maxLength(Limits.labels), unique(String, 'each label at most once')),
  ),
  status: v.optional(
    v.strictObject({
      state: v.picklist(['error', 'failure', 'pending', 'success']),
      description: v.optional(shortText(140)),
    }),
  ),
  checkRun: v.optional(
    v.strictObject({
      conclusion: v.picklist(['success', 'neutral', 'failure', 'action_required', 'skipped']),
      title: v.optional(v.pipe(shortText(255), v.minLength(1))),
      summary: v.optional(body(Limits.body)),
    }),
  ),
  memory: v.optional(
    v.pipe(
      v.array(v.strictObject({ key: v.pipe(name, v.minLength(1)), value: body(16 * 1024) })),
      v.maxLength(Limits.memory),
    ),
  ),
  warnings: v.optional(v.pipe(v.array(shortText()), v.maxLength(Limits.warnings))),
  redactions: v.optional(
    v.pipe(
      v.array(v.strictObject({ kind: v.pipe(name, v.minLength(1)), count: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
      v.maxLength(100),
    ),
  ),
});
export type Envelope = v.InferOutput<typeof Envelope>;
