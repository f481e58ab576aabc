import type { WriteKind } from '../contract/common.js';
import type { Envelope } from '../contract/envelope.js';
import type { Evidence } from '../contract/evidence.js';
import type { Facts } from '../contract/facts.js';
import type { SarifFindings } from '../contract/sarif.js';

/** What the envelope artifact held: our envelope, or a SARIF log of findings. */
export type EnvelopeDocument = { format: 'envelope'; envelope: Envelope } | { format: 'sarif'; sarif: SarifFindings };

/** SARIF declares no projection; it may only publish findings (never labels, statuses, PRs or branches). */
export const SARIF_INTENT: readonly WriteKind[] = ['comment', 'review', 'check-run'];

/**
 * One envelope shape for the engine. A SARIF log takes its target and epoch from the evidence
 * (SPEC §4) and its refs from the live pull request; without evidence it cannot be bound.
 */
export function toEnvelope(doc: EnvelopeDocument, evidence: Evidence | undefined, facts: Facts | undefined): Envelope | string {
  if (doc.format === 'envelope') return doc.envelope;
  if (!evidence) return 'a SARIF envelope takes its target and epoch from the evidence, which is not available';
  const pr = facts?.pullRequest;
  const { sarif } = doc;
  return {
    schema: 'publish-gate/envelope@1',
    task: { id: `sarif:${sarif.tool}`.slice(0, 200), status: sarif.succeeded ? 'succeeded' : 'failed', agent: sarif.tool },
    target: {
      repository: evidence.repository,
      baseRef: pr?.baseRef ?? facts?.defaultBranch ?? 'unknown',
      baseSha: pr?.baseSha ?? '0'.repeat(40),
      headRef: pr?.headRef ?? 'unknown',
      headSha: evidence.headSha,
    },
    epoch: evidence.epoch,
    intent: [...SARIF_INTENT],
    findings: sarif.findings,
  };
}
