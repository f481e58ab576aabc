/** The stable blocker codes of SPEC §8, in the spec's order. */
export const BLOCKER_CODES = [
  'MODE_OFF',
  'CONFIG_MISSING',
  'CONFIG_INVALID',
  'INPUT_WIDENS_POLICY',
  'REPO_NOT_ALLOWED',
  'BRANCH_NOT_ALLOWED',
  'TRIGGER_NOT_ALLOWED',
  'REMOTE_MISMATCH',
  'ENVELOPE_MISSING',
  'ENVELOPE_INVALID',
  'EVIDENCE_MISSING',
  'EVIDENCE_INVALID',
  'ARTIFACT_UNSAFE',
  'ARTIFACT_DIGEST_MISMATCH',
  'TASK_NOT_SUCCEEDED',
  'EPOCH_MISMATCH',
  'EPOCH_REPLAYED',
  'TARGET_STALE',
  'GATE_MISSING',
  'GATE_NOT_PASS',
  'GATE_EXPIRED',
  'CHECK_NOT_CONFIRMED',
  'APPROVAL_MISSING',
  'APPROVAL_SELF',
  'APPROVAL_ENV_UNSAFE',
  'INTENT_UNDECLARED',
  'WRITE_KIND_DENIED',
  'FORBIDDEN_OPERATION',
  'PATH_FORBIDDEN',
  'LABEL_NOT_ALLOWED',
  'LIMIT_EXCEEDED',
  'AUTH_FAILED',
  'API_TIMEOUT',
  'API_FAILED',
  'RATE_LIMITED',
  'LEDGER_UNTRUSTED',
] as const;

export type BlockerCode = (typeof BLOCKER_CODES)[number];

/** Codes that are reported but never block (SPEC §8: warning level). */
export const WARNING_CODES: ReadonlySet<BlockerCode> = new Set<BlockerCode>(['LEDGER_UNTRUSTED']);

export interface Blocker {
  code: BlockerCode;
  message: string;
  /** What the blocker is about: a field, a gate, a write key, a path. */
  subject?: string;
  /** The repository file the blocker is about, when there is one: the log annotates that file. Not an output. */
  path?: string;
}

export const blocker = (code: BlockerCode, message: string, subject?: string): Blocker =>
  subject === undefined ? { code, message } : { code, message, subject };

/** Codes a loader may report for a document it could not produce. */
export type LoadFailureCode = Extract<
  BlockerCode,
  | 'CONFIG_MISSING'
  | 'CONFIG_INVALID'
  | 'ENVELOPE_MISSING'
  | 'ENVELOPE_INVALID'
  | 'EVIDENCE_MISSING'
  | 'EVIDENCE_INVALID'
  | 'ARTIFACT_UNSAFE'
  | 'ARTIFACT_DIGEST_MISMATCH'
  | 'AUTH_FAILED'
  | 'API_TIMEOUT'
  | 'API_FAILED'
  | 'RATE_LIMITED'
  | 'LEDGER_UNTRUSTED'
>;

/** Where an artifact-loaded document came from, as GitHub listed it (the digest was checked against the zip). */
export interface ArtifactProvenance {
  artifactId: number;
  runId: number;
  headSha?: string;
  headRepositoryId?: number;
  /** `sha256:<hex>` of the artifact's zip. */
  digest: string;
}

/** A document as a loader hands it to the engine: the value, or why there is none. */
export type Loaded<T> =
  | { status: 'ok'; value: T; source: 'artifact' | 'file' | 'api' | 'assumed'; provenance?: ArtifactProvenance }
  | { status: 'failed'; code: LoadFailureCode; message: string; subject?: string };
