/** Input names of action.yml (SPEC §2). */
export const Inputs = {
  Mode: 'mode',
  Config: 'config',
  ConfigRef: 'config-ref',
  Envelope: 'envelope',
  Evidence: 'evidence',
  RunId: 'run-id',
  EnvelopePath: 'envelope-path',
  EvidencePath: 'evidence-path',
  ConfigPath: 'config-path',
  Deny: 'deny',
  GithubToken: 'github-token',
  LedgerKey: 'ledger-key',
  LedgerRetentionDays: 'ledger-retention-days',
  FailOnBlocked: 'fail-on-blocked',
} as const;

/** Output names of action.yml (SPEC §3). */
export const Outputs = {
  Decision: 'decision',
  Blockers: 'blockers',
  Plan: 'plan',
  PlanDigest: 'plan-digest',
  Writes: 'writes',
  PrNumber: 'pr-number',
  PrUrl: 'pr-url',
  CommentUrl: 'comment-url',
  CheckRunId: 'check-run-id',
  LedgerPath: 'ledger-path',
  LedgerArtifactId: 'ledger-artifact-id',
  LedgerCacheKey: 'ledger-cache-key',
  LedgerPersisted: 'ledger-persisted',
} as const;
