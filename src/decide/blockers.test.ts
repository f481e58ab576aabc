import { describe, expect, it } from 'vitest';
import type { WriteKind } from '../contract/common.js';
import { envelopeFromText, evidenceFromText, policyFromText } from '../contract/documents.js';
import {
  CONFIG_PATH,
  EPOCH,
  OTHER_SHA,
  POLICY_YAML,
  type Mutation,
  approvalOf,
  changesOf,
  codesOf,
  envelopeDocument,
  evidenceDocument,
  failed,
  prOf,
  run,
} from '../../test/fixtures.js';
import { BLOCKER_CODES, type BlockerCode, WARNING_CODES } from './blockers.js';
import type { Decision } from './decide.js';

/**
 * One row per stable blocker code (SPEC §8): a mutation of the clean baseline that produces the code,
 * and a minimal further change that clears it again.
 */
interface Row {
  code: BlockerCode;
  /** `global`: blocks every write. `entry`: blocks the entries of `kinds` only. `warning`: blocks nothing. */
  level: 'global' | 'entry' | 'warning';
  trigger: Mutation[];
  clear: Mutation[];
  /** Kinds of the entries an entry-level blocker must block (and no others). */
  kinds?: WriteKind[];
  /** Other codes that necessarily come with this one; the triggered plan has exactly `code` + `also`. */
  also?: BlockerCode[];
  /** Decision while triggered (default: `blocked` for global, `published` otherwise). */
  decision?: Decision;
  /** Decision once cleared (default: `published`). */
  cleared?: Decision;
}

const sortedKinds = (kinds: readonly string[]) => [...kinds].sort();

const rows: Row[] = [
  {
    code: 'MODE_OFF',
    level: 'global',
    trigger: [(s) => void (s.inputs.mode = 'off')],
    clear: [(s) => void (s.inputs.mode = 'live')],
    decision: 'off',
  },
  {
    code: 'CONFIG_MISSING',
    level: 'global',
    trigger: [(s) => void (s.loaded.policy = failed('CONFIG_MISSING', `${CONFIG_PATH} not found on main`))],
    clear: [(s) => void delete s.loaded.policy],
    // Safe defaults deny every write kind and every label; a live step is reported blocked.
    also: ['WRITE_KIND_DENIED', 'LABEL_NOT_ALLOWED'],
  },
  {
    code: 'CONFIG_INVALID',
    level: 'global',
    trigger: [(s) => void (s.loaded.policy = policyFromText(POLICY_YAML.replace('version: 1', 'version: 2'), CONFIG_PATH, 'api'))],
    clear: [(s) => void (s.loaded.policy = policyFromText(POLICY_YAML, CONFIG_PATH, 'api'))],
    also: ['WRITE_KIND_DENIED', 'LABEL_NOT_ALLOWED'],
  },
  {
    code: 'INPUT_WIDENS_POLICY',
    level: 'global',
    trigger: [(s) => void (s.policy.mode = 'dry-run')],
    clear: [(s) => void (s.inputs.mode = 'dry-run')],
    decision: 'dry-run',
    cleared: 'dry-run',
  },
  {
    code: 'REPO_NOT_ALLOWED',
    level: 'global',
    trigger: [(s) => void (s.policy.repositories = ['octo/other'])],
    clear: [(s) => void s.policy.repositories.push('Octo/App')],
  },
  {
    code: 'BRANCH_NOT_ALLOWED',
    level: 'global',
    trigger: [(s) => void (s.policy.branches.base = ['release/**'])],
    clear: [(s) => void s.policy.branches.base.push('main')],
  },
  {
    code: 'TRIGGER_NOT_ALLOWED',
    level: 'global',
    trigger: [(s) => void (s.facts.event = 'push')],
    clear: [(s) => void s.policy.triggers?.events?.push('push')],
  },
  {
    code: 'REMOTE_MISMATCH',
    level: 'global',
    trigger: [(s) => void (prOf(s.facts).number = 43)],
    clear: [(s) => void (s.envelope.target.pullRequest = 43)],
  },
  {
    code: 'ENVELOPE_MISSING',
    level: 'global',
    trigger: [(s) => void (s.loaded.envelope = failed('ENVELOPE_MISSING', 'artifact agent-result not found in run 123'))],
    clear: [(s) => void delete s.loaded.envelope],
  },
  {
    code: 'ENVELOPE_INVALID',
    level: 'global',
    trigger: [(s) => void (s.loaded.envelope = envelopeFromText('{"schema":"publish-gate/envelope@1","task":{}}', 'envelope.json', 'artifact'))],
    clear: [(s) => void (s.loaded.envelope = envelopeFromText(JSON.stringify(envelopeDocument()), 'envelope.json', 'artifact'))],
  },
  {
    code: 'EVIDENCE_MISSING',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = failed('EVIDENCE_MISSING', 'artifact gate-evidence not found'))],
    clear: [(s) => void delete s.loaded.evidence],
  },
  {
    code: 'EVIDENCE_INVALID',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = evidenceFromText(JSON.stringify({ ...evidenceDocument(), verdict: 'trust me' }), 'evidence.json', 'artifact'))],
    clear: [(s) => void (s.loaded.evidence = evidenceFromText(JSON.stringify(evidenceDocument()), 'evidence.json', 'artifact'))],
  },
  {
    code: 'ARTIFACT_UNSAFE',
    level: 'global',
    trigger: [(s) => void (s.loaded.envelope = failed('ARTIFACT_UNSAFE', 'artifact entry ../envelope.json escapes the extraction directory'))],
    clear: [(s) => void delete s.loaded.envelope],
  },
  {
    code: 'ARTIFACT_DIGEST_MISMATCH',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = failed('ARTIFACT_DIGEST_MISMATCH', 'gate-evidence digest differs from the run listing'))],
    clear: [(s) => void delete s.loaded.evidence],
  },
  {
    code: 'TASK_NOT_SUCCEEDED',
    level: 'global',
    trigger: [(s) => void (s.envelope.task.status = 'partial')],
    clear: [(s) => void (s.envelope.task.status = 'succeeded')],
  },
  {
    code: 'EPOCH_MISMATCH',
    level: 'global',
    trigger: [(s) => void (s.evidence.epoch = '2026-11-21T09:00:00Z#2')],
    clear: [(s) => void (s.evidence.epoch = EPOCH)],
  },
  {
    code: 'EPOCH_REPLAYED',
    level: 'global',
    trigger: [(s) => void (s.published.epochs = [EPOCH, '2026-11-21T12:00:00Z#4'])],
    // The latest published epoch may be re-run.
    clear: [(s) => void (s.published.epochs = ['2026-11-21T09:00:00Z#2', EPOCH])],
  },
  {
    code: 'TARGET_STALE',
    level: 'global',
    trigger: [
      (s) => {
        s.facts.headSha = OTHER_SHA;
        prOf(s.facts).headSha = OTHER_SHA;
      },
    ],
    clear: [
      (s) => {
        s.facts.headSha = s.envelope.target.headSha;
        prOf(s.facts).headSha = s.envelope.target.headSha;
      },
    ],
  },
  {
    code: 'GATE_MISSING',
    level: 'global',
    trigger: [(s) => void (s.evidence.gates = s.evidence.gates.filter((g) => g.name !== 'internal-review'))],
    clear: [(s) => void (s.policy.gates.required = ['verification'])],
  },
  {
    code: 'GATE_NOT_PASS',
    level: 'global',
    trigger: [(s) => void (s.evidence.gates[1]!.result = 'FAIL')],
    clear: [(s) => void (s.evidence.gates[1]!.result = 'PASS')],
  },
  {
    code: 'GATE_EXPIRED',
    level: 'global',
    trigger: [(s) => void (s.now = '2026-11-23T11:00:00Z')],
    clear: [(s) => void (s.policy.gates['max-age'] = '7d')],
  },
  {
    code: 'CHECK_NOT_CONFIRMED',
    level: 'global',
    trigger: [(s) => void (s.facts.checkRuns[0]!.conclusion = 'failure')],
    // A newer run of the same check on the same head decides.
    clear: [(s) => void s.facts.checkRuns.push({ id: 902, name: 'ci / test', headSha: s.envelope.target.headSha, status: 'completed', conclusion: 'success' })],
  },
  {
    code: 'APPROVAL_MISSING',
    level: 'global',
    trigger: [(s) => void (s.facts.approvals = [])],
    clear: [(s) => void s.facts.approvals.push({ environment: approvalOf(s.policy).environment, state: 'approved', user: 'security-lead' })],
  },
  {
    code: 'APPROVAL_SELF',
    level: 'global',
    trigger: [(s) => void (s.facts.approvals[0]!.user = 'octo-dev')],
    clear: [(s) => void s.facts.approvals.push({ environment: approvalOf(s.policy).environment, state: 'approved', user: 'security-lead' })],
  },
  {
    code: 'APPROVAL_ENV_UNSAFE',
    level: 'global',
    trigger: [(s) => void (s.facts.environments[approvalOf(s.policy).environment]!.canAdminsBypass = true)],
    clear: [(s) => void (s.facts.environments[approvalOf(s.policy).environment]!.canAdminsBypass = false)],
  },
  {
    code: 'INTENT_UNDECLARED',
    level: 'entry',
    kinds: ['status'],
    trigger: [(s) => void (s.envelope.intent = s.envelope.intent.filter((k) => k !== 'status'))],
    clear: [(s) => void s.envelope.intent.push('status')],
  },
  {
    code: 'WRITE_KIND_DENIED',
    level: 'entry',
    kinds: ['labels'],
    trigger: [(s) => void (s.inputs.deny = ['labels'])],
    clear: [(s) => void (s.inputs.deny = [])],
  },
  {
    code: 'FORBIDDEN_OPERATION',
    level: 'entry',
    kinds: ['branch', 'pull-request'],
    // The agent's branch is the pull request's own head branch.
    trigger: [
      (s) => {
        s.policy.writes.branch.prefix = 'feature/';
        changesOf(s.envelope).branch = s.envelope.target.headRef;
      },
    ],
    clear: [(s) => void (changesOf(s.envelope).branch = 'feature/search-filters-fix')],
  },
  {
    code: 'PATH_FORBIDDEN',
    level: 'entry',
    kinds: ['branch', 'pull-request'],
    trigger: [(s) => void changesOf(s.envelope).files.push({ path: '.github/workflows/ci.yml', content: 'on: push\n', encoding: 'utf-8', mode: '100644' })],
    clear: [(s) => void (changesOf(s.envelope).files = changesOf(s.envelope).files.filter((f) => f.path !== '.github/workflows/ci.yml'))],
  },
  {
    code: 'LABEL_NOT_ALLOWED',
    level: 'entry',
    kinds: ['labels'],
    trigger: [(s) => void s.envelope.labels?.push('ship-it')],
    clear: [(s) => void s.policy.writes.labels.push('ship-it')],
  },
  {
    code: 'LIMIT_EXCEEDED',
    level: 'global',
    trigger: [(s) => void (s.policy.limits['max-writes'] = 6)],
    // The baseline plans exactly seven writes.
    clear: [(s) => void (s.policy.limits['max-writes'] = 7)],
  },
  {
    code: 'AUTH_FAILED',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = failed('AUTH_FAILED', 'artifact download returned 401'))],
    clear: [(s) => void delete s.loaded.evidence],
  },
  {
    code: 'API_TIMEOUT',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = failed('API_TIMEOUT', 'artifact download timed out'))],
    clear: [(s) => void delete s.loaded.evidence],
  },
  {
    code: 'API_FAILED',
    level: 'global',
    trigger: [(s) => void (s.loaded.facts = failed('API_FAILED', 'GET /repos/octo/app/commits/{sha}/pulls returned 502'))],
    clear: [(s) => void delete s.loaded.facts],
    // Without facts there is no known pull request to comment, review or label on.
    also: ['REMOTE_MISMATCH'],
  },
  {
    code: 'RATE_LIMITED',
    level: 'global',
    trigger: [(s) => void (s.loaded.evidence = failed('RATE_LIMITED', 'secondary rate limit'))],
    clear: [(s) => void delete s.loaded.evidence],
  },
  {
    code: 'LEDGER_UNTRUSTED',
    level: 'warning',
    trigger: [(s) => void (s.published.trust = 'untrusted')],
    clear: [(s) => void (s.published.trust = 'reconciled')],
  },
];

describe('blocker table', () => {
  it('has exactly one row for every code of SPEC §8', () => {
    const codes = rows.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...BLOCKER_CODES].sort());
  });

  it('marks exactly the warning-level codes as warnings', () => {
    expect(rows.filter((r) => r.level === 'warning').map((r) => r.code)).toEqual([...WARNING_CODES]);
  });

  it('starts from a clean baseline: every write of every kind allowed', () => {
    const plan = run();
    expect(plan.decision).toBe('published');
    expect(plan.blockers).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.entries.length).toBeGreaterThan(0);
    expect(plan.entries.every((e) => e.allowed && e.blocker === undefined)).toBe(true);
  });
});

describe.each(rows)('$code', (row) => {
  it(`is raised by the mutation (${row.level})`, () => {
    const plan = run(...row.trigger);
    const keys = new Set(plan.entries.map((e) => e.key));

    if (row.level === 'warning') {
      expect(plan.warnings.map((w) => w.code)).toContain(row.code);
      expect(plan.blockers).toEqual([]);
      expect(plan.entries.every((e) => e.allowed)).toBe(true);
      expect(plan.decision).toBe(row.decision ?? 'published');
      return;
    }

    expect(codesOf(plan)).toEqual([row.code, ...(row.also ?? [])].sort());
    expect(plan.warnings).toEqual([]);
    const mine = plan.blockers.filter((b) => b.code === row.code);
    for (const b of mine) expect(b.message.length).toBeGreaterThan(0);

    if (row.level === 'global') {
      for (const b of mine) expect(keys.has(b.subject ?? '')).toBe(false);
      expect(plan.entries.filter((e) => e.allowed)).toEqual([]);
      for (const e of plan.entries) expect(e.blocker).toBeDefined();
      expect(plan.decision).toBe(row.decision ?? 'blocked');
    } else {
      // Entry-level: the subject names the entry it blocks; only those entries are refused.
      const blocked = new Set(mine.map((b) => b.subject));
      for (const subject of blocked) expect(keys.has(subject ?? '')).toBe(true);
      const hit = plan.entries.filter((e) => blocked.has(e.key));
      expect(sortedKinds(hit.map((e) => e.kind))).toEqual(sortedKinds(row.kinds ?? []));
      for (const e of hit) {
        expect(e.allowed).toBe(false);
        expect(e.blocker).toBe(row.code);
      }
      const rest = plan.entries.filter((e) => !blocked.has(e.key));
      expect(rest.length).toBeGreaterThan(0);
      for (const e of rest) expect(e.allowed).toBe(true);
      expect(plan.decision).toBe(row.decision ?? 'published');
    }
  });

  it('is cleared by the minimal change', () => {
    const plan = run(...row.trigger, ...row.clear);
    expect(plan.blockers.map((b) => b.code)).not.toContain(row.code);
    expect(plan.warnings.map((b) => b.code)).not.toContain(row.code);
    expect(plan.blockers).toEqual([]);
    expect(plan.decision).toBe(row.cleared ?? 'published');
  });
});
