/**
 * Shared builders for the decision-engine tests.
 *
 * `scenario()` is a clean baseline: a live run whose every input is consistent, so `decide` plans one
 * write of every kind and allows all of them (`published`). Tests mutate a fresh copy through
 * `input(...mutations)`; every document is re-validated with its schema afterwards, so a mutation
 * that produces an invalid document fails loudly instead of testing something unintended.
 */
import * as v from 'valibot';
import type { WriteKind } from '../src/contract/common.js';
import { Envelope } from '../src/contract/envelope.js';
import { Evidence } from '../src/contract/evidence.js';
import { Facts, PublishedState } from '../src/contract/facts.js';
import { type ApprovalPolicy, Policy } from '../src/contract/policy.js';
import type { Loaded, LoadFailureCode } from '../src/decide/blockers.js';
import { type DecideInput, type Plan, type StepInputs, decide } from '../src/decide/decide.js';
import type { EnvelopeDocument } from '../src/decide/submission.js';
import type { PlanEntry } from '../src/decide/writes.js';

export const REPO = 'octo/app';
export const HEAD_SHA = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
export const BASE_SHA = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';
export const OTHER_SHA = 'aaaabbbbccccddddeeeeffff0000111122223333';
export const EPOCH = '2026-11-21T10:00:00Z#3';
export const NOW = '2026-11-21T11:00:00Z';
export const CONFIG_PATH = '.github/publish-gate.yml';
export const AGENT_BRANCH = 'agent/fix-search-sql';
export const ENVIRONMENT = 'agent-publish';

/** Every write kind the baseline plans, in SPEC §9 order. */
export const BASELINE_KINDS: readonly WriteKind[] = ['branch', 'pull-request', 'check-run', 'review', 'comment', 'status', 'labels'];

/** The policy as a user writes it (YAML-equivalent JSON), before defaults are filled in. */
export function policyDocument(): Record<string, unknown> {
  return {
    version: 1,
    mode: 'live',
    repositories: [REPO],
    branches: { base: ['main'], head: ['**'] },
    triggers: { events: ['pull_request', 'workflow_run'], actors: ['*'] },
    gates: { required: ['verification', 'internal-review'], 'max-age': '24h', 'confirm-check-runs': { verification: 'ci / test' } },
    approval: { environment: ENVIRONMENT, 'forbid-self-approval': true, 'require-safe-environment': true },
    writes: {
      comment: 'allow',
      review: 'comment',
      'check-run': 'allow',
      status: 'allow',
      labels: ['agent-reviewed'],
      'pull-request': { create: 'allow', update: 'allow', 'draft-only': true },
      branch: { create: 'allow', prefix: 'agent/', 'deny-paths': ['.github/**'] },
    },
    findings: { 'min-severity': 'low', 'min-confidence': 0.7, 'max-inline': 30, scope: 'diff', 'deny-paths': [] },
    content: { 'allowed-mentions': [], 'allowed-domains': ['github.com'] },
    limits: { 'max-writes': 20 },
  };
}

/** The same policy as YAML text, as the loader reads it from the trusted ref. */
export const POLICY_YAML = `# Publish Gate policy for octo/app
version: 1
mode: live
repositories: [octo/app]
branches:
  base: [main]
  head: ["**"]
triggers:
  events: [pull_request, workflow_run]
  actors: ["*"]
gates:
  required: [verification, internal-review]
  max-age: 24h
  confirm-check-runs: { verification: "ci / test" }
approval:
  environment: agent-publish
  forbid-self-approval: true
  require-safe-environment: true
writes:
  comment: allow
  review: comment
  check-run: allow
  status: allow
  labels: [agent-reviewed]
  pull-request: { create: allow, update: allow, draft-only: true }
  branch: { create: allow, prefix: "agent/", deny-paths: [".github/**"] }
findings:
  min-severity: low
  min-confidence: 0.7
  max-inline: 30
  scope: diff
  deny-paths: []
content:
  allowed-mentions: []
  allowed-domains: [github.com]
limits:
  max-writes: 20
`;

/** The envelope as the agent writes it: one piece of content for every write kind. */
export function envelopeDocument(): Record<string, unknown> {
  return {
    schema: 'publish-gate/envelope@1',
    task: { id: 't-20261121-0042', status: 'succeeded', exitReason: 'completed', agent: 'reviewer' },
    target: { repository: REPO, pullRequest: 42, baseRef: 'main', baseSha: BASE_SHA, headRef: 'feature/search-filters', headSha: HEAD_SHA },
    epoch: EPOCH,
    intent: ['comment', 'review', 'check-run', 'labels', 'status', 'branch', 'pull-request'],
    summary: 'Reviewed the search-filter change. User input reaches a SQL string unescaped; a retry loop has no bound.',
    findings: [
      {
        ruleId: 'sql-injection',
        severity: 'high',
        confidence: 0.92,
        path: 'src/db/search.ts',
        startLine: 41,
        endLine: 44,
        title: 'Unescaped filter value in SQL string',
        body: '`filter.name` is interpolated into the query text. Use a bound parameter (`$1`) instead.',
      },
      {
        ruleId: 'unbounded-retry',
        severity: 'medium',
        confidence: 0.81,
        path: 'src/api/client.ts',
        startLine: 88,
        endLine: 97,
        title: 'Retry loop without an upper bound',
      },
      {
        ruleId: 'missing-test',
        severity: 'low',
        confidence: 0.74,
        path: 'src/search/filters.ts',
        startLine: 12,
        title: 'New filter parser has no tests',
      },
    ],
    pullRequest: { title: 'Use bound parameters in search', body: 'Replaces string interpolation with `$1`.', draft: true },
    changes: {
      branch: AGENT_BRANCH,
      message: 'Use bound parameters in search\n\nFixes the SQL injection found in review.',
      files: [
        { path: 'src/db/search.ts', content: 'export const query = sql`SELECT * FROM items WHERE name = $1`;\n' },
        { path: 'src/legacy/util.ts', deleted: true },
      ],
    },
    labels: ['agent-reviewed'],
    status: { state: 'success', description: 'Publish Gate review complete' },
    checkRun: { conclusion: 'neutral', title: '2 issues to address', summary: 'One high and one medium finding.' },
    memory: [{ key: 'repo.conventions.sql', value: 'Queries use the `sql` tagged template.' }],
    warnings: [],
    redactions: [],
  };
}

export function evidenceDocument(): Record<string, unknown> {
  return {
    schema: 'publish-gate/evidence@1',
    repository: REPO,
    headSha: HEAD_SHA,
    epoch: EPOCH,
    gates: [
      { name: 'verification', result: 'PASS', completedAt: '2026-11-21T10:05:00Z', detailsUrl: 'https://github.com/octo/app/actions/runs/123456789' },
      { name: 'internal-review', result: 'PASS', completedAt: '2026-11-21T10:06:00Z' },
    ],
  };
}

export function factsDocument(): Record<string, unknown> {
  return {
    origin: 'live',
    repository: REPO,
    event: 'workflow_run',
    actor: 'octo-dev',
    defaultBranch: 'main',
    headSha: HEAD_SHA,
    pullRequest: {
      number: 42,
      url: 'https://github.com/octo/app/pull/42',
      state: 'open',
      draft: false,
      author: 'octo-dev',
      headSha: HEAD_SHA,
      headRef: 'feature/search-filters',
      baseSha: BASE_SHA,
      baseRef: 'main',
      labels: [],
    },
    files: [
      { path: 'src/db/search.ts', hunks: [[35, 60]] },
      { path: 'src/api/client.ts', hunks: [[80, 100]] },
      { path: 'src/search/filters.ts', hunks: [[1, 45]] },
      { path: 'test/search.test.ts', hunks: [[1, 30]] },
    ],
    headCommitAuthors: ['octo-dev', 'pair-dev'],
    checkRuns: [{ id: 901, name: 'ci / test', headSha: HEAD_SHA, status: 'completed', conclusion: 'success' }],
    approvals: [{ environment: ENVIRONMENT, state: 'approved', user: 'security-lead' }],
    environments: { [ENVIRONMENT]: { preventSelfReview: true, canAdminsBypass: false } },
  };
}

/** Everything `decide` reads, as parsed documents that tests may mutate. */
export interface Scenario {
  inputs: StepInputs;
  policy: Policy;
  envelope: Envelope;
  evidence: Evidence;
  facts: Facts;
  published: PublishedState;
  now: string;
  /** Replaces a document's `Loaded` wholesale (load failures, SARIF, text loaders). */
  loaded: {
    policy?: Loaded<Policy>;
    envelope?: Loaded<EnvelopeDocument>;
    evidence?: Loaded<Evidence>;
    facts?: Loaded<Facts>;
  };
}

export type Mutation = (s: Scenario) => void;

export function scenario(): Scenario {
  return {
    inputs: { mode: 'live', deny: [], config: CONFIG_PATH },
    policy: v.parse(Policy, policyDocument()),
    envelope: v.parse(Envelope, envelopeDocument()),
    evidence: v.parse(Evidence, evidenceDocument()),
    facts: v.parse(Facts, factsDocument()),
    published: v.parse(PublishedState, {}),
    now: NOW,
    loaded: {},
  };
}

export function ok<T>(value: T, source: 'artifact' | 'file' | 'api' | 'assumed' = 'artifact'): Loaded<T> {
  return { status: 'ok', value, source };
}

export function failed<T>(code: LoadFailureCode, message = `${code.toLowerCase()} (test)`, subject?: string): Loaded<T> {
  return subject === undefined ? { status: 'failed', code, message } : { status: 'failed', code, message, subject };
}

/** A `DecideInput` from the baseline with `mutations` applied in order; documents are re-validated. */
export function input(...mutations: Mutation[]): DecideInput {
  const s = scenario();
  for (const mutate of mutations) mutate(s);
  return {
    inputs: s.inputs,
    policy: s.loaded.policy ?? ok(v.parse(Policy, s.policy), 'api'),
    envelope: s.loaded.envelope ?? ok<EnvelopeDocument>({ format: 'envelope', envelope: v.parse(Envelope, s.envelope) }),
    evidence: s.loaded.evidence ?? ok(v.parse(Evidence, s.evidence)),
    facts: s.loaded.facts ?? ok(v.parse(Facts, s.facts), 'api'),
    published: v.parse(PublishedState, s.published),
    now: s.now,
  };
}

/** `decide(input(...mutations))`. */
export function run(...mutations: Mutation[]): Plan {
  return decide(input(...mutations));
}

/** The policy's approval block, for mutations (the baseline has one). */
export function approvalOf(policy: Policy): ApprovalPolicy {
  if (policy.approval === 'none') throw new Error('the scenario policy has approval: none');
  return policy.approval;
}

/** The live pull request of the facts, for mutations (the baseline has one). */
export function prOf(facts: Facts): NonNullable<Facts['pullRequest']> {
  if (!facts.pullRequest) throw new Error('the scenario facts have no pull request');
  return facts.pullRequest;
}

/** The baseline's change set, for mutations. */
export function changesOf(envelope: Envelope): NonNullable<Envelope['changes']> {
  if (!envelope.changes) throw new Error('the scenario envelope has no changes');
  return envelope.changes;
}

/** The single entry of `kind` in a plan; fails when there is none or several. */
export function entryOf(plan: Plan, kind: WriteKind): PlanEntry {
  const found = plan.entries.filter((e) => e.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} entry, found ${found.length}`);
  return found[0]!;
}

export const codesOf = (plan: Plan): string[] => [...new Set(plan.blockers.map((b) => b.code))].sort();

/** `published.writes` as a trusted ledger would hold it after `plan` was performed. */
export function publishedAfter(plan: Plan, epochs: string[] = [EPOCH]): PublishedState {
  return v.parse(PublishedState, {
    trust: 'trusted',
    epochs,
    writes: Object.fromEntries(plan.entries.map((e) => [e.key, { digest: e.digest }])),
  });
}

/** Deep copy with object keys in a random (seeded) order; arrays keep their order. */
export function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = shuffleKeys((value as Record<string, unknown>)[key], random);
  return out;
}

/** A SARIF 2.1.0 log with one result on the baseline's diff, as a code scanner uploads it. */
export function sarifDocument(succeeded = true): Record<string, unknown> {
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'CodeQL', version: '2.19.0' } },
        invocations: [{ executionSuccessful: succeeded }],
        results: [
          {
            ruleId: 'js/sql-injection',
            level: 'error',
            message: { text: 'Query built from user-controlled sources' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db/search.ts' }, region: { startLine: 42, endLine: 43 } } }],
            partialFingerprints: { primaryLocationLineHash: 'abc123:1' },
          },
        ],
      },
    ],
  };
}
