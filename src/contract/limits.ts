/**
 * Every bound the contracts enforce, in one place so the README and the schemas agree.
 * Sizes are in bytes of UTF-8 input; lengths are in JavaScript string units.
 */
export const Limits = {
  /** Envelope file: room for 10,000 findings and about 10 MB of agent text. */
  envelopeBytes: 16 * 1024 * 1024,
  evidenceBytes: 1024 * 1024,
  policyBytes: 256 * 1024,
  factsBytes: 16 * 1024 * 1024,
  /** Deepest nesting of arrays and objects accepted before parsing. */
  maxDepth: 64,
  /** Validation messages reported per document. */
  maxIssues: 20,

  id: 200,
  ref: 255,
  path: 1024,
  name: 200,
  epoch: 200,
  url: 2048,
  shortText: 1024,
  /** A Markdown body from the agent; it is truncated to GitHub's limits later, on output. */
  body: 256 * 1024,
  summary: 1024 * 1024,
  findings: 10_000,
  labels: 100,
  memory: 100,
  warnings: 100,
  gates: 100,
  globs: 100,
  changeFiles: 300,
  changeFileBytes: 1024 * 1024,
  changeTotalBytes: 10 * 1024 * 1024,
  line: 10_000_000,
  maxWrites: 1000,
  /** Longest gate max-age a policy may set. */
  maxAgeSeconds: 90 * 24 * 3600,
} as const;
