import * as v from 'valibot';
import { epoch, name, repository, sha, timestamp, unique } from './common.js';
import { Limits } from './limits.js';

export const EVIDENCE_SCHEMA_ID = 'publish-gate/evidence@1';

const Gate = v.strictObject({
  name: v.pipe(name, v.minLength(1)),
  result: v.picklist(['PASS', 'FAIL', 'ERROR', 'SKIPPED']),
  completedAt: timestamp,
  detailsUrl: v.optional(v.pipe(v.string(), v.maxLength(Limits.url), v.url('an absolute URL'))),
});
export type Gate = v.InferOutput<typeof Gate>;

export const Evidence = v.strictObject({
  schema: v.literal(EVIDENCE_SCHEMA_ID),
  repository,
  headSha: sha,
  epoch,
  gates: v.pipe(
    v.array(Gate),
    v.maxLength(Limits.gates),
    // Two verdicts for one gate would let the reader pick the convenient one.
    unique((g: Gate) => g.name, 'each gate name at most once'),
  ),
});
export type Evidence = v.InferOutput<typeof Evidence>;
