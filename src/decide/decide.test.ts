import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { WRITE_KINDS, type WriteKind } from '../contract/common.js';
import { envelopeFromText, evidenceFromText, policyFromText } from '../contract/documents.js';
import { Limits } from '../contract/limits.js';
import { PublishedState } from '../contract/facts.js';
import {
  AGENT_BRANCH,
  BASE_SHA,
  BASELINE_KINDS,
  CONFIG_PATH,
  ENVIRONMENT,
  EPOCH,
  HEAD_SHA,
  NOW,
  OTHER_SHA,
  POLICY_YAML,
  REPO,
  type Mutation,
  type Scenario,
  approvalOf,
  changesOf,
  codesOf,
  entryOf,
  envelopeDocument,
  evidenceDocument,
  failed,
  input,
  ok,
  prOf,
  publishedAfter,
  run,
  sarifDocument,
} from '../../test/fixtures.js';
import { blocker } from './blockers.js';
import { type Plan, decide } from './decide.js';
import { digestOf, idempotencyKey } from './digest.js';
import { WRITE_ORDER } from './writes.js';

const kinds = (plan: Plan) => plan.entries.map((e) => e.kind);
const allowedKinds = (plan: Plan) => plan.entries.filter((e) => e.allowed).map((e) => e.kind);
const blockedKinds = (plan: Plan) => plan.entries.filter((e) => !e.allowed).map((e) => e.kind);
const has = (plan: Plan, code: string) => plan.blockers.some((b) => b.code === code);

/** Only what a plain review agent sends: findings, summary, comment, review and check run. */
const reviewOnly: Mutation = (s) => {
  delete s.envelope.changes;
  delete s.envelope.pullRequest;
  delete s.envelope.status;
  delete s.envelope.labels;
  s.envelope.intent = ['comment', 'review', 'check-run'];
};

describe('decision values', () => {
  it('publishes the clean baseline: every write planned, created and allowed', () => {
    const plan = run();
    expect(plan.decision).toBe('published');
    expect(plan.mode).toBe('live');
    expect(plan.policySource).toBe('policy');
    expect(kinds(plan)).toEqual(BASELINE_KINDS);
    expect(plan.entries.every((e) => e.allowed && e.action === 'create' && e.blocker === undefined)).toBe(true);
    expect(plan.pullRequest).toEqual({ number: 42, url: 'https://github.com/octo/app/pull/42' });
    expect(plan.held).toBe(1);
    expect(plan.envelope?.epoch).toBe(EPOCH);
    expect(plan.digest).toBe(digestOf(plan.entries));
    expect(Object.keys(plan.payloads).sort()).toEqual(plan.entries.map((e) => e.key).sort());
  });

  it('is noop when every write is already published with the same digest', () => {
    const first = run();
    const again = run((s) => void (s.published = publishedAfter(first)));
    expect(again.decision).toBe('noop');
    expect(again.blockers).toEqual([]);
    expect(again.entries.map((e) => e.action)).toEqual(first.entries.map(() => 'skip'));
    expect(again.entries.every((e) => e.allowed)).toBe(true);
    // Same keys and content digests: the re-run plans the very same writes.
    expect(again.entries.map((e) => [e.key, e.digest])).toEqual(first.entries.map((e) => [e.key, e.digest]));
  });

  it('is noop when there is nothing to write at all', () => {
    const plan = run(reviewOnly, (s) => {
      s.envelope.intent = [];
      delete s.envelope.checkRun;
    });
    expect(plan.entries).toEqual([]);
    expect(plan.blockers).toEqual([]);
    expect(plan.decision).toBe('noop');
  });

  it('updates only the writes whose content changed since the last publication', () => {
    const first = run();
    const plan = run((s) => {
      s.published = publishedAfter(first);
      s.envelope.summary = 'A different summary.';
      s.envelope.checkRun!.conclusion = 'failure';
    });
    expect(plan.decision).toBe('published');
    const actions = Object.fromEntries(plan.entries.map((e) => [e.kind, e.action]));
    // The review of an epoch is never rewritten; the sticky comment and the check run are.
    expect(actions).toEqual({ branch: 'skip', 'pull-request': 'skip', 'check-run': 'update', review: 'skip', comment: 'update', status: 'skip', labels: 'skip' });
    expect(entryOf(plan, 'comment').key).toBe(entryOf(first, 'comment').key);
  });

  it('in dry-run plans every write, allows none, and still lists what would block a live run', () => {
    const clean = run((s) => void (s.inputs.mode = 'dry-run'));
    expect(clean.decision).toBe('dry-run');
    expect(clean.mode).toBe('dry-run');
    expect(kinds(clean)).toEqual(BASELINE_KINDS);
    expect(allowedKinds(clean)).toEqual([]);
    expect(clean.blockers).toEqual([]);
    for (const e of clean.entries) expect(e.blocker).toBeUndefined();

    const blocked = run(
      (s) => void (s.inputs.mode = 'dry-run'),
      (s) => void (s.facts.approvals = []),
      (s) => void s.envelope.labels?.push('ship-it'),
    );
    expect(blocked.decision).toBe('dry-run');
    expect(codesOf(blocked)).toEqual(['APPROVAL_MISSING', 'LABEL_NOT_ALLOWED']);
    expect(allowedKinds(blocked)).toEqual([]);
  });

  it('off plans nothing and reports MODE_OFF, whether the step or the policy turns it off', () => {
    const byInput = run((s) => void (s.inputs.mode = 'off'), (s) => void (s.loaded.envelope = failed('ENVELOPE_MISSING')));
    expect(byInput.decision).toBe('off');
    expect(byInput.mode).toBe('off');
    expect(byInput.entries).toEqual([]);
    expect(byInput.digest).toBe(digestOf([]));
    // Off stops before the documents are judged.
    expect(codesOf(byInput)).toEqual(['MODE_OFF']);
    expect(byInput.blockers[0]?.message).toMatch(/step input/);

    const byPolicy = run((s) => void (s.policy.mode = 'off'));
    expect(byPolicy.decision).toBe('off');
    expect(byPolicy.entries).toEqual([]);
    expect(codesOf(byPolicy)).toEqual(['INPUT_WIDENS_POLICY', 'MODE_OFF']);
    expect(byPolicy.blockers[0]?.message).toMatch(/policy/);

    const offInBoth = run((s) => void (s.policy.mode = 'off'), (s) => void (s.inputs.mode = 'off'));
    expect(codesOf(offInBoth)).toEqual(['MODE_OFF']);
  });

  it('is blocked when a global blocker exists, listing every blocker rather than the first', () => {
    const plan = run(
      (s) => void (s.envelope.task.status = 'failed'),
      (s) => void (s.facts.approvals = []),
      (s) => void (s.evidence.gates[0]!.result = 'ERROR'),
    );
    expect(plan.decision).toBe('blocked');
    expect(codesOf(plan)).toEqual(['APPROVAL_MISSING', 'GATE_NOT_PASS', 'TASK_NOT_SUCCEEDED']);
    expect(allowedKinds(plan)).toEqual([]);
    // Each entry names the first global blocker when it has none of its own.
    expect(new Set(plan.entries.map((e) => e.blocker))).toEqual(new Set(['TASK_NOT_SUCCEEDED']));
  });

  it('is blocked when every entry is blocked by its own blockers', () => {
    const plan = run((s) => void (s.inputs.deny = [...WRITE_KINDS]));
    expect(plan.blockers.every((b) => b.code === 'WRITE_KIND_DENIED')).toBe(true);
    expect(allowedKinds(plan)).toEqual([]);
    expect(plan.decision).toBe('blocked');
  });

  it('passes problems with the step inputs through as global blockers', () => {
    const plan = run((s) => void (s.inputs.issues = [blocker('API_FAILED', 'live GitHub facts were not read', 'facts')]));
    expect(codesOf(plan)).toEqual(['API_FAILED']);
    expect(plan.decision).toBe('blocked');
    expect(allowedKinds(plan)).toEqual([]);
  });

  it('reports an untrusted ledger as a warning that blocks nothing', () => {
    const plan = run((s) => void (s.published.trust = 'untrusted'));
    expect(plan.warnings.map((w) => w.code)).toEqual(['LEDGER_UNTRUSTED']);
    expect(plan.blockers).toEqual([]);
    expect(plan.decision).toBe('published');
  });
});

describe('mode: inputs narrow the policy, never widen it', () => {
  it.each([
    { policy: 'live', step: 'live', mode: 'live', widens: false },
    { policy: 'live', step: 'dry-run', mode: 'dry-run', widens: false },
    { policy: 'dry-run', step: 'dry-run', mode: 'dry-run', widens: false },
    { policy: 'dry-run', step: 'live', mode: 'dry-run', widens: true },
    { policy: 'off', step: 'dry-run', mode: 'off', widens: true },
    { policy: 'live', step: 'off', mode: 'off', widens: false },
  ] as const)('policy $policy + step $step → acts in $mode', ({ policy, step, mode, widens }) => {
    const plan = run((s) => void (s.policy.mode = policy), (s) => void (s.inputs.mode = step));
    expect(plan.mode).toBe(mode);
    expect(has(plan, 'INPUT_WIDENS_POLICY')).toBe(widens);
    if (mode !== 'live') expect(allowedKinds(plan)).toEqual([]);
    if (mode === 'dry-run') expect(plan.decision).toBe('dry-run');
  });

  it('a widening step input is a global blocker with the mode as subject', () => {
    const plan = run((s) => void (s.policy.mode = 'dry-run'));
    const widening = plan.blockers.find((b) => b.code === 'INPUT_WIDENS_POLICY');
    expect(widening?.subject).toBe('mode');
    expect(widening?.message).toMatch(/live.*dry-run/);
    expect(plan.entries.every((e) => !e.allowed && e.blocker === 'INPUT_WIDENS_POLICY')).toBe(true);
  });

  it('deny blocks the denied kinds and leaves the others allowed', () => {
    const plan = run((s) => void (s.inputs.deny = ['comment', 'labels']));
    expect(plan.decision).toBe('published');
    expect(blockedKinds(plan)).toEqual(['comment', 'labels']);
    for (const kind of ['comment', 'labels'] as const) expect(entryOf(plan, kind).blocker).toBe('WRITE_KIND_DENIED');
    expect(allowedKinds(plan)).toEqual(['branch', 'pull-request', 'check-run', 'review', 'status']);
    const denied = plan.blockers.filter((b) => b.code === 'WRITE_KIND_DENIED');
    expect(denied.map((b) => b.subject).sort()).toEqual([entryOf(plan, 'comment').key, entryOf(plan, 'labels').key].sort());
  });

  it('an empty deny cannot allow what the policy denies', () => {
    const plan = run((s) => void (s.policy.writes.status = 'deny'), (s) => void (s.inputs.deny = []));
    expect(entryOf(plan, 'status')).toMatchObject({ allowed: false, blocker: 'WRITE_KIND_DENIED' });
  });

  it('denying a kind does not change what is planned, only what is allowed', () => {
    const base = run();
    const narrowed = run((s) => void (s.inputs.deny = ['review']));
    expect(narrowed.entries.map((e) => e.key)).toEqual(base.entries.map((e) => e.key));
    expect(narrowed.entries.map((e) => e.digest)).toEqual(base.entries.map((e) => e.digest));
  });
});

describe('policy missing or invalid', () => {
  it.each(['CONFIG_MISSING', 'CONFIG_INVALID'] as const)('%s in a dry run evaluates safe defaults and says so', (code) => {
    const plan = run((s) => void (s.inputs.mode = 'dry-run'), (s) => void (s.loaded.policy = failed(code)));
    expect(plan.decision).toBe('dry-run');
    expect(plan.policySource).toBe('defaults');
    expect(plan.blockers[0]?.code).toBe(code);
    // The defaults deny every kind and every label; the rest of the evaluation still happens.
    expect(kinds(plan)).toEqual(BASELINE_KINDS);
    expect(plan.entries.filter((e) => e.kind !== 'labels').every((e) => e.blocker === 'WRITE_KIND_DENIED')).toBe(true);
    expect(entryOf(plan, 'labels').blocker).toBe('LABEL_NOT_ALLOWED');
    expect(allowedKinds(plan)).toEqual([]);
    expect(plan.findings.published).toBeGreaterThan(0);
  });

  it.each(['CONFIG_MISSING', 'CONFIG_INVALID'] as const)('%s blocks every write of a live step', (code) => {
    const plan = run((s) => void (s.loaded.policy = failed(code)));
    expect(plan.decision).toBe('blocked');
    expect(plan.policySource).toBe('defaults');
    expect(has(plan, code)).toBe(true);
    expect(has(plan, 'INPUT_WIDENS_POLICY')).toBe(false);
    expect(allowedKinds(plan)).toEqual([]);
  });

  it('evaluates the defaults even without facts or envelope, never throwing', () => {
    const plan = run(
      (s) => void (s.inputs.mode = 'dry-run'),
      (s) => void (s.loaded.policy = failed('CONFIG_MISSING')),
      (s) => void (s.loaded.facts = failed('AUTH_FAILED')),
      (s) => void (s.loaded.envelope = failed('ENVELOPE_MISSING')),
    );
    expect(plan.decision).toBe('dry-run');
    expect(plan.policySource).toBe('defaults');
    expect(codesOf(plan)).toEqual(['AUTH_FAILED', 'CONFIG_MISSING', 'ENVELOPE_MISSING']);
  });
});

describe('epochs', () => {
  const later = '2026-11-21T12:00:00Z#4';
  const earlier = '2026-11-21T09:00:00Z#2';

  it.each([
    { epochs: [], replay: false, why: 'never published' },
    { epochs: [EPOCH], replay: false, why: 'the latest published epoch' },
    { epochs: [earlier, EPOCH], replay: false, why: 'published after an earlier epoch' },
    { epochs: [earlier], replay: false, why: 'a new epoch' },
    { epochs: [EPOCH, later], replay: true, why: 'a later epoch was published since' },
    { epochs: [earlier, EPOCH, later, later], replay: true, why: 'a later epoch was published since (twice)' },
    { epochs: [EPOCH, later, EPOCH], replay: false, why: 're-published last, so again the latest' },
    { epochs: [EPOCH, EPOCH], replay: false, why: 're-run of the latest epoch' },
  ])('$why → replay: $replay', ({ epochs, replay }) => {
    const plan = run((s) => void (s.published.epochs = epochs));
    expect(has(plan, 'EPOCH_REPLAYED')).toBe(replay);
    expect(plan.decision).toBe(replay ? 'blocked' : 'published');
  });

  it('re-running the latest epoch is idempotent: noop, or updates of changed content only', () => {
    const first = run();
    const same = run((s) => void (s.published = publishedAfter(first, [earlier, EPOCH])));
    expect(same.decision).toBe('noop');
    const changed = run((s) => void (s.published = publishedAfter(first, [earlier, EPOCH])), (s) => void (s.envelope.summary = 'new text'));
    expect(changed.decision).toBe('published');
    expect(changed.entries.filter((e) => e.action !== 'skip').map((e) => e.kind)).toEqual(['comment']);
    expect(entryOf(changed, 'comment').action).toBe('update');
  });

  it('replaying an old epoch is blocked even when its writes look new', () => {
    const plan = run((s) => void (s.published.epochs = [EPOCH, later]));
    const replay = plan.blockers.find((b) => b.code === 'EPOCH_REPLAYED');
    expect(replay?.subject).toBe('epoch');
    expect(replay?.message).toContain(later);
    expect(allowedKinds(plan)).toEqual([]);
  });

  it('a new epoch plans a new review but keeps the sticky comment', () => {
    const first = run();
    const next = run(
      (s) => void (s.published = publishedAfter(first)),
      (s) => {
        s.envelope.epoch = later;
        s.evidence.epoch = later;
      },
    );
    expect(has(next, 'EPOCH_REPLAYED')).toBe(false);
    expect(entryOf(next, 'review').action).toBe('create');
    expect(entryOf(next, 'review').key).not.toBe(entryOf(first, 'review').key);
    expect(entryOf(next, 'comment').key).toBe(entryOf(first, 'comment').key);
  });
});

describe('binding to live state', () => {
  it('never takes the pull request number from the envelope alone', () => {
    const mismatch = run((s) => void (prOf(s.facts).number = 7));
    expect(mismatch.blockers.find((b) => b.code === 'REMOTE_MISMATCH')?.subject).toBe('target.pullRequest');
    expect(mismatch.decision).toBe('blocked');

    // Without a number in the envelope, writes go to the PR GitHub reports.
    const live = run((s) => void delete s.envelope.target.pullRequest, (s) => void (prOf(s.facts).number = 7));
    expect(live.blockers).toEqual([]);
    expect(entryOf(live, 'comment').target).toBe('7');
    expect(live.pullRequest?.number).toBe(7);
  });

  it('needs a pull request for comments, reviews and labels', () => {
    const plan = run((s) => void delete s.envelope.target.pullRequest, (s) => void (s.facts.pullRequest = null));
    expect(plan.blockers.every((b) => b.code === 'REMOTE_MISMATCH')).toBe(true);
    expect(blockedKinds(plan)).toEqual(['review', 'comment', 'labels']);
    expect(allowedKinds(plan)).toEqual(['branch', 'pull-request', 'check-run', 'status']);
  });

  it.each<[string, Mutation, string]>([
    ['the head moved', (s) => void (prOf(s.facts).headSha = OTHER_SHA), 'target.headSha'],
    ['the branch moved before GitHub updated the PR', (s) => void (s.facts.headSha = OTHER_SHA), 'target.headSha'],
    ['the pull request was closed', (s) => void (prOf(s.facts).state = 'closed'), 'pullRequest.state'],
    [
      'the head ref is gone',
      (s) => {
        s.facts.pullRequest = null;
        s.facts.headSha = null;
        delete s.envelope.target.pullRequest;
      },
      'target.headSha',
    ],
  ])('TARGET_STALE when %s', (_why, mutation, subject) => {
    const plan = run(mutation);
    expect(plan.blockers.filter((b) => b.code === 'TARGET_STALE').map((b) => b.subject)).toEqual([subject]);
    expect(plan.decision).toBe('blocked');
  });

  it('REMOTE_MISMATCH when the envelope targets another repository, base or head', () => {
    expect(codesOf(run((s) => void (prOf(s.facts).baseRef = 'develop'), (s) => void s.policy.branches.base.push('develop')))).toEqual(['REMOTE_MISMATCH']);
    expect(codesOf(run((s) => void (prOf(s.facts).headRef = 'feature/other')))).toEqual(['REMOTE_MISMATCH']);
    const other = run((s) => void (s.envelope.target.repository = 'octo/other'));
    // The evidence is bound to the run's repository, so it no longer matches the envelope either.
    expect(codesOf(other)).toEqual(['EVIDENCE_INVALID', 'REMOTE_MISMATCH']);
  });

  it('evidence is bound to the envelope head SHA and epoch', () => {
    const head = run((s) => void (s.evidence.headSha = OTHER_SHA));
    expect(head.blockers.map((b) => [b.code, b.subject])).toEqual([['EVIDENCE_INVALID', 'evidence.headSha']]);
    const epoch = run((s) => void (s.evidence.epoch = 'other'));
    expect(epoch.blockers.map((b) => [b.code, b.subject])).toEqual([['EPOCH_MISMATCH', 'epoch']]);
  });

  it('gates: missing, not passing, too old, or dated in the future', () => {
    const gates = (mutation: Mutation) => run(mutation).blockers.map((b) => [b.code, b.subject]);
    expect(gates((s) => void (s.evidence.gates = []))).toEqual([
      ['GATE_MISSING', 'verification'],
      ['GATE_MISSING', 'internal-review'],
    ]);
    expect(gates((s) => void (s.evidence.gates[0]!.result = 'SKIPPED'))).toEqual([['GATE_NOT_PASS', 'verification']]);
    // max-age 24h: exactly 24h old is still fresh, one second more is not.
    expect(gates((s) => void (s.now = '2026-11-22T10:05:00Z'))).toEqual([]);
    expect(gates((s) => void (s.now = '2026-11-22T10:05:01Z'))).toEqual([['GATE_EXPIRED', 'verification']]);
    // A few minutes of clock skew are tolerated; more is not.
    expect(gates((s) => void (s.evidence.gates[0]!.completedAt = '2026-11-21T11:04:00Z'))).toEqual([]);
    expect(gates((s) => void (s.evidence.gates[0]!.completedAt = '2026-11-21T11:10:00Z'))).toEqual([['GATE_EXPIRED', 'verification']]);
    // Gates the policy does not require are not judged.
    expect(gates((s) => void s.evidence.gates.push({ name: 'lint', result: 'FAIL', completedAt: '2020-01-01T00:00:00Z' }))).toEqual([]);
  });

  it('a gate time with a valid ISO offset is compared on its instant', () => {
    // 15:30+05:30 is 10:00Z: fresh.
    expect(run((s) => void (s.evidence.gates[0]!.completedAt = '2026-11-21T15:30:00+05:30')).blockers).toEqual([]);
    // Every offset form the schema accepts is dated, never waved through: two days old is expired...
    for (const offset of ['+00', ' +00:00', '+0000', '-00', ' -0000']) {
      const old = run((s) => void (s.evidence.gates[0]!.completedAt = `2026-11-19T10:00:00${offset}`));
      expect(old.blockers.map((b) => [b.code, b.subject]), offset).toEqual([['GATE_EXPIRED', 'verification']]);
      // ...and one hour old is fresh.
      const fresh = run((s) => void (s.evidence.gates[0]!.completedAt = `2026-11-21 10:00:00${offset}`));
      expect(fresh.blockers, offset).toEqual([]);
    }
    // +05 is 05:00 ahead of UTC: 14:00+05 is 09:00Z, fresh; 14:00-05 is 19:00Z, in the future.
    expect(run((s) => void (s.evidence.gates[0]!.completedAt = '2026-11-21T14:00:00+05')).blockers).toEqual([]);
    expect(codesOf(run((s) => void (s.evidence.gates[0]!.completedAt = '2026-11-21T14:00:00-05')))).toEqual(['GATE_EXPIRED']);
  });

  it('a clock that cannot be read expires every gate rather than skipping the age check', () => {
    const plan = run((s) => void (s.now = 'not a date'));
    expect(plan.blockers.map((b) => [b.code, b.subject])).toEqual([
      ['GATE_EXPIRED', 'verification'],
      ['GATE_EXPIRED', 'internal-review'],
    ]);
    expect(plan.decision).toBe('blocked');
  });

  it('a gate confirmed by a check run needs a successful run of that name on the exact head', () => {
    const check = (mutation: Mutation) => codesOf(run(mutation));
    expect(check((s) => void (s.facts.checkRuns[0]!.headSha = OTHER_SHA))).toEqual(['CHECK_NOT_CONFIRMED']);
    expect(check((s) => void (s.facts.checkRuns[0]!.name = 'ci / lint'))).toEqual(['CHECK_NOT_CONFIRMED']);
    expect(check((s) => Object.assign(s.facts.checkRuns[0]!, { status: 'in_progress', conclusion: null }))).toEqual(['CHECK_NOT_CONFIRMED']);
    // The newest run of the name decides: a later failure outweighs an earlier success.
    expect(check((s) => void s.facts.checkRuns.push({ id: 950, name: 'ci / test', headSha: HEAD_SHA, status: 'completed', conclusion: 'failure' }))).toEqual([
      'CHECK_NOT_CONFIRMED',
    ]);
    expect(check((s) => void s.facts.checkRuns.push({ id: 100, name: 'ci / test', headSha: HEAD_SHA, status: 'completed', conclusion: 'failure' }))).toEqual([]);
  });
});

describe('approvals', () => {
  const approvedBy = (user: string, environment = ENVIRONMENT): Mutation => (s) => void (s.facts.approvals = [{ environment, state: 'approved', user }]);

  it.each([
    ['the actor', 'octo-dev', (s: Scenario) => void (prOf(s.facts).author = 'someone-else')],
    ['the actor, in other case', 'OCTO-DEV', (s: Scenario) => void (prOf(s.facts).author = 'someone-else')],
    ['the PR author', 'pr-writer', (s: Scenario) => void (prOf(s.facts).author = 'pr-writer')],
    ['a head committer', 'pair-dev', (_s: Scenario) => undefined],
  ])('an approval only by %s is self-approval', (_who, user, setup) => {
    const plan = run(setup, approvedBy(user));
    expect(codesOf(plan)).toEqual(['APPROVAL_SELF']);
    expect(plan.blockers[0]?.subject).toBe(ENVIRONMENT);
    expect(allowedKinds(plan)).toEqual([]);
  });

  it('a bot that triggered the run, authored the PR or committed cannot approve it', () => {
    const bot = 'renovate[bot]';
    const plan = run(
      (s) => {
        s.facts.actor = bot;
        prOf(s.facts).author = bot;
        s.facts.headCommitAuthors = [bot];
        s.policy.triggers!.actors = [bot];
      },
      approvedBy('Renovate[bot]'),
    );
    expect(codesOf(plan)).toEqual(['APPROVAL_SELF']);
  });

  it('one independent approval is enough, and forbid-self-approval: false allows self-approval', () => {
    const mixed = run((s) => {
      s.facts.approvals = [
        { environment: ENVIRONMENT, state: 'approved', user: 'octo-dev' },
        { environment: ENVIRONMENT, state: 'approved', user: 'security-lead' },
      ];
    });
    expect(mixed.blockers).toEqual([]);
    expect(run(approvedBy('octo-dev'), (s) => void (approvalOf(s.policy)['forbid-self-approval'] = false)).blockers).toEqual([]);
  });

  it('only approved approvals of the policy environment count', () => {
    expect(codesOf(run((s) => void (s.facts.approvals[0]!.state = 'rejected')))).toEqual(['APPROVAL_MISSING']);
    expect(codesOf(run((s) => void (s.facts.approvals[0]!.state = 'pending')))).toEqual(['APPROVAL_MISSING']);
    expect(codesOf(run(approvedBy('security-lead', 'production')))).toEqual(['APPROVAL_MISSING']);
  });

  it('the environment must prevent self-review, refuse admin bypass, and be known', () => {
    const env = (mutation: Mutation) => run(mutation).blockers.map((b) => b.code);
    expect(env((s) => void (s.facts.environments[ENVIRONMENT]!.preventSelfReview = false))).toEqual(['APPROVAL_ENV_UNSAFE']);
    expect(
      env((s) => {
        s.facts.environments[ENVIRONMENT] = { preventSelfReview: false, canAdminsBypass: true };
      }),
    ).toEqual(['APPROVAL_ENV_UNSAFE', 'APPROVAL_ENV_UNSAFE']);
    expect(env((s) => void (s.facts.environments = {}))).toEqual(['APPROVAL_ENV_UNSAFE']);
    expect(
      env((s) => {
        s.facts.environments = {};
        approvalOf(s.policy)['require-safe-environment'] = false;
      }),
    ).toEqual([]);
  });

  it('approval: none needs no approval at all', () => {
    const plan = run(
      (s) => void (s.policy.approval = 'none'),
      (s) => {
        s.facts.approvals = [];
        s.facts.environments = {};
      },
    );
    expect(plan.blockers).toEqual([]);
    expect(plan.decision).toBe('published');
  });
});

describe('triggers', () => {
  const actor = (name: string, actors: string[]) =>
    run((s) => {
      s.facts.actor = name;
      s.policy.triggers = { events: ['workflow_run'], actors };
    });

  it.each([
    ['octo-dev', ['*'], true],
    ['octo-dev', ['octo-*'], true],
    ['Octo-Dev', ['octo-dev'], true],
    ['mallory', ['octo-*'], false],
    // Bots only when listed by their exact name; no glob admits one.
    ['dependabot[bot]', ['*'], false],
    ['dependabot[bot]', ['*[bot]'], false],
    ['dependabot[bot]', ['dependabot*'], false],
    ['dependabot[bot]', ['dependabot[bot]'], true],
    ['Dependabot[bot]', ['dependabot[bot]'], true],
    ['renovate[bot]', ['dependabot[bot]'], false],
    // A bot entry names the bot; it is not a character class that admits look-alike users.
    ['dependabott', ['dependabot[bot]'], false],
    ['dependaboto', ['*', 'dependabot[bot]'], true],
  ] as const)('actor %s with actors %j → allowed: %s', (name, actors, allowed) => {
    const plan = actor(name, [...actors]);
    expect(has(plan, 'TRIGGER_NOT_ALLOWED')).toBe(!allowed);
  });

  it('events must be listed; absent triggers admit any event and actor', () => {
    const push = run((s) => void (s.facts.event = 'push'));
    expect(push.blockers.map((b) => [b.code, b.subject])).toEqual([['TRIGGER_NOT_ALLOWED', 'push']]);
    const open = run(
      (s) => void delete s.policy.triggers,
      (s) => {
        s.facts.event = 'issue_comment';
        s.facts.actor = 'github-actions[bot]';
        s.facts.approvals = [{ environment: ENVIRONMENT, state: 'approved', user: 'security-lead' }];
      },
    );
    expect(open.blockers).toEqual([]);
  });
});

describe('SARIF as the envelope', () => {
  const sarifText = (succeeded = true) => JSON.stringify(sarifDocument(succeeded));
  const asSarif =
    (succeeded = true): Mutation =>
    (s) =>
      void (s.loaded.envelope = envelopeFromText(sarifText(succeeded), 'codeql.sarif', 'artifact'));

  it('takes target and epoch from the evidence and refs from the live pull request', () => {
    const plan = run(asSarif());
    expect(plan.blockers).toEqual([]);
    expect(plan.decision).toBe('published');
    expect(plan.envelope?.target).toEqual({ repository: REPO, headSha: HEAD_SHA, baseRef: 'main', headRef: 'feature/search-filters', baseSha: BASE_SHA });
    expect(plan.envelope?.epoch).toBe(EPOCH);
    // SARIF may only publish findings.
    expect(kinds(plan)).toEqual(['check-run', 'review', 'comment']);
    expect(plan.findings).toMatchObject({ total: 1, published: 1, inline: 1 });
    expect(plan.held).toBe(0);
  });

  it('follows the evidence: a stale evidence head makes the SARIF stale too', () => {
    const plan = run(asSarif(), (s) => {
      s.evidence.headSha = OTHER_SHA;
    });
    expect(codesOf(plan)).toEqual(['CHECK_NOT_CONFIRMED', 'TARGET_STALE']);
  });

  it('without evidence it cannot be bound: ENVELOPE_INVALID', () => {
    const plan = run(asSarif(), (s) => void (s.loaded.evidence = failed('EVIDENCE_MISSING')));
    expect(codesOf(plan)).toEqual(['ENVELOPE_INVALID', 'EVIDENCE_MISSING']);
    expect(plan.blockers.find((b) => b.code === 'ENVELOPE_INVALID')?.subject).toBe('envelope');
    expect(plan.entries).toEqual([]);
    expect(plan.decision).toBe('blocked');
  });

  it('a tool run that did not succeed is a task that did not succeed', () => {
    expect(codesOf(run(asSarif(false)))).toEqual(['TASK_NOT_SUCCEEDED']);
  });

  it('an in-memory SARIF document decides the same as its text', () => {
    const fromText = input(asSarif());
    const plan = decide({ ...fromText, envelope: ok(fromText.envelope.status === 'ok' ? fromText.envelope.value : (undefined as never)) });
    expect(plan.digest).toBe(decide(fromText).digest);
  });
});

describe('plan order (SPEC §9)', () => {
  it('entries follow branch, pull-request, check-run, review, comment, status, labels whatever the intent order', () => {
    const plan = run(
      (s) => void s.envelope.intent.reverse(),
      (s) => {
        s.envelope.labels = ['zeta', 'agent-reviewed', 'alpha'];
        s.policy.writes.labels = ['alpha', 'zeta', 'agent-reviewed'];
      },
    );
    expect(WRITE_ORDER).toEqual(['branch', 'pull-request', 'check-run', 'review', 'comment', 'status', 'labels']);
    expect(kinds(plan)).toEqual([...BASELINE_KINDS.slice(0, -1), 'labels', 'labels', 'labels']);
    const labels = plan.entries.filter((e) => e.kind === 'labels').map((e) => plan.payloads[e.key]);
    expect(labels.map((p) => (p?.kind === 'labels' ? p.label : ''))).toEqual(['agent-reviewed', 'alpha', 'zeta']);
    const rank = (k: WriteKind) => WRITE_ORDER.indexOf(k);
    expect(plan.entries.every((e, i, all) => i === 0 || rank(all[i - 1]!.kind) <= rank(e.kind))).toBe(true);
  });

  it('keys follow SPEC §9: sha256("v1|repo|kind|target|slot"), first 32 hex', () => {
    const plan = run();
    expect(entryOf(plan, 'comment').key).toBe(idempotencyKey(REPO, 'comment', '42', 'summary'));
    expect(entryOf(plan, 'check-run').key).toBe(idempotencyKey(REPO, 'check-run', HEAD_SHA, 'publish-gate'));
    expect(entryOf(plan, 'status').key).toBe(idempotencyKey(REPO, 'status', HEAD_SHA, 'publish-gate'));
    expect(entryOf(plan, 'review').key).toBe(idempotencyKey(REPO, 'review', '42', EPOCH));
    expect(entryOf(plan, 'labels').key).toBe(idempotencyKey(REPO, 'labels', '42', 'agent-reviewed'));
    expect(entryOf(plan, 'branch').key).toBe(idempotencyKey(REPO, 'branch', 'main', AGENT_BRANCH));
    for (const e of plan.entries) expect(e.key).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('limits.max-writes', () => {
  it('counts the writes that would happen, not skips or blocked entries', () => {
    expect(has(run((s) => void (s.policy.limits['max-writes'] = 0)), 'LIMIT_EXCEEDED')).toBe(true);
    // Blocked entries are not counted: six writes remain.
    const narrowed = run((s) => void (s.policy.limits['max-writes'] = 6), (s) => void (s.inputs.deny = ['labels']));
    expect(has(narrowed, 'LIMIT_EXCEEDED')).toBe(false);
    expect(narrowed.decision).toBe('published');
    // Skips are not counted: an unchanged re-run fits in zero writes.
    const first = run();
    const rerun = run((s) => void (s.policy.limits['max-writes'] = 0), (s) => void (s.published = publishedAfter(first)));
    expect(rerun.blockers).toEqual([]);
    expect(rerun.decision).toBe('noop');
  });

  it('exceeding it blocks every write, with the limit as subject', () => {
    const plan = run((s) => void (s.policy.limits['max-writes'] = 2));
    const limit = plan.blockers.find((b) => b.code === 'LIMIT_EXCEEDED');
    expect(limit?.subject).toBe('limits.max-writes');
    expect(limit?.message).toMatch(/7 writes.*2/);
    expect(allowedKinds(plan)).toEqual([]);
    expect(plan.decision).toBe('blocked');
  });
});

describe('changes and branch rules', () => {
  const withFile =
    (path: string, extra: { deleted: true } | { content: string; encoding?: 'utf-8' | 'base64' } = { content: 'x\n' }): Mutation =>
    (s) => {
      const file = 'deleted' in extra ? { path, deleted: true as const } : { path, content: extra.content, encoding: extra.encoding ?? 'utf-8', mode: '100644' as const };
      changesOf(s.envelope).files.push(file);
    };

  const changeCodes = (plan: Plan) => ({
    branch: entryOf(plan, 'branch').blocker,
    pr: entryOf(plan, 'pull-request').blocker,
    others: plan.entries.filter((e) => e.kind !== 'branch' && e.kind !== 'pull-request').every((e) => e.allowed),
  });

  it('the branch must start with the policy prefix and match branches.head', () => {
    expect(changeCodes(run((s) => void (changesOf(s.envelope).branch = 'fix/search')))).toEqual({ branch: 'BRANCH_NOT_ALLOWED', pr: 'BRANCH_NOT_ALLOWED', others: true });
    expect(changeCodes(run((s) => void (changesOf(s.envelope).branch = 'agents/fix')))).toEqual({ branch: 'BRANCH_NOT_ALLOWED', pr: 'BRANCH_NOT_ALLOWED', others: true });
    const headRule = run((s) => void (s.policy.branches.head = ['feature/**', 'agent/allowed-*']));
    expect(changeCodes(headRule)).toEqual({ branch: 'BRANCH_NOT_ALLOWED', pr: 'BRANCH_NOT_ALLOWED', others: true });
    expect(
      run(
        (s) => void (s.policy.branches.head = ['feature/**', 'agent/allowed-*']),
        (s) => void (changesOf(s.envelope).branch = 'agent/allowed-fix'),
      ).blockers,
    ).toEqual([]);
  });

  it.each([
    ['the default branch', (s: Scenario) => void (s.facts.defaultBranch = AGENT_BRANCH)],
    ['the pull request base', (s: Scenario) => {
      s.envelope.target.baseRef = AGENT_BRANCH;
      prOf(s.facts).baseRef = AGENT_BRANCH;
      s.policy.branches.base = ['**'];
    }],
  ])('never writes to %s (FORBIDDEN_OPERATION)', (_what, mutation) => {
    const plan = run(mutation);
    expect(entryOf(plan, 'branch').blocker).toBe('FORBIDDEN_OPERATION');
    expect(entryOf(plan, 'branch').allowed).toBe(false);
  });

  it.each([
    '.github/workflows/x.yml',
    '.GitHub/Workflows/Deploy.YML',
    '.github/workflows/nested/y.yaml',
    '.github/actions/setup/action.yml',
    'tools/release/action.yaml',
    'action.yml',
    'CODEOWNERS',
    'codeowners',
    '.github/CODEOWNERS',
    'docs/CODEOWNERS',
    CONFIG_PATH,
    '../outside.ts',
    'src/../../escape.ts',
    '/etc/passwd',
    'C:/Windows/win.ini',
    'src\\db\\search.ts',
    './src/db/search.ts',
    'src//db.ts',
    'src/db/',
    '.git/config',
    'vendor/.GIT/hooks/pre-commit',
    // A directory above a protected file: replacing or deleting it removes what it holds.
    '.github/workflows',
    '.github',
  ])('PATH_FORBIDDEN for %s (also when deleted)', (path) => {
    const policy: Mutation = (s) => void (s.policy.writes.branch['deny-paths'] = []);
    for (const file of [withFile(path), withFile(path, { deleted: true })]) {
      const plan = run(policy, file);
      expect(changeCodes(plan), path).toEqual({ branch: 'PATH_FORBIDDEN', pr: 'PATH_FORBIDDEN', others: true });
      expect(plan.blockers.filter((b) => b.code === 'PATH_FORBIDDEN').every((b) => b.message.includes(path))).toBe(true);
    }
  });

  it('the policy file is forbidden wherever the step says it lives', () => {
    const custom: Mutation = (s) => void (s.inputs.config = 'ci/gate-policy.yml');
    expect(changeCodes(run(custom, withFile('ci/gate-policy.yml'))).branch).toBe('PATH_FORBIDDEN');
    expect(changeCodes(run(custom, withFile('ci/other.yml'))).branch).toBeUndefined();
  });

  it('writes.branch.deny-paths adds to the fixed list', () => {
    expect(changeCodes(run(withFile('.github/dependabot.yml'))).branch).toBe('PATH_FORBIDDEN');
    expect(run((s) => void (s.policy.writes.branch['deny-paths'] = []), withFile('.github/dependabot.yml')).blockers).toEqual([]);
    expect(changeCodes(run((s) => void (s.policy.writes.branch['deny-paths'] = ['**/*.lock']), withFile('deps/yarn.lock'))).branch).toBe('PATH_FORBIDDEN');
  });

  it.each(['src/github/workflows.ts', 'docs/readme-CODEOWNERS.md', 'src/action.yml.ts', '.gitignore', 'src/.github-notes.md', 'docs/guide.md'])(
    'allows an ordinary path: %s',
    (path) => {
      const plan = run(withFile(path));
      expect(plan.blockers).toEqual([]);
      expect(plan.decision).toBe('published');
    },
  );

  it('a file over the per-file cap is LIMIT_EXCEEDED on the branch and its PR', () => {
    const big = 'a'.repeat(Limits.changeFileBytes + 1);
    const plan = run(withFile('assets/big.txt', { content: big }));
    expect(changeCodes(plan)).toEqual({ branch: 'LIMIT_EXCEEDED', pr: 'LIMIT_EXCEEDED', others: true });
    expect(plan.blockers.find((b) => b.code === 'LIMIT_EXCEEDED')?.message).toContain('assets/big.txt');
    // Exactly at the cap is fine; the cap counts UTF-8 bytes, not characters.
    expect(run(withFile('assets/big.txt', { content: 'a'.repeat(Limits.changeFileBytes) })).blockers).toEqual([]);
    expect(changeCodes(run(withFile('assets/wide.txt', { content: 'é'.repeat(Limits.changeFileBytes / 2 + 1) }))).branch).toBe('LIMIT_EXCEEDED');
  });

  it('base64 content is capped by its decoded size', () => {
    const overCap = Buffer.alloc(Limits.changeFileBytes + 1).toString('base64');
    expect(changeCodes(run(withFile('assets/blob.bin', { content: overCap, encoding: 'base64' }))).branch).toBe('LIMIT_EXCEEDED');
    const atCap = Buffer.alloc(Limits.changeFileBytes).toString('base64');
    expect(run(withFile('assets/blob.bin', { content: atCap, encoding: 'base64' })).blockers).toEqual([]);
  });

  it('the total size of a change is capped too', () => {
    const files: Mutation[] = Array.from({ length: 11 }, (_, i) => withFile(`assets/part-${i}.txt`, { content: 'b'.repeat(Limits.changeFileBytes) }));
    const plan = run(...files);
    expect(changeCodes(plan)).toEqual({ branch: 'LIMIT_EXCEEDED', pr: 'LIMIT_EXCEEDED', others: true });
    expect(plan.blockers.find((b) => b.code === 'LIMIT_EXCEEDED')?.message).toMatch(/total/);
  });

  it('branch creation denied by the policy blocks the branch entry', () => {
    const plan = run((s) => void (s.policy.writes.branch.create = 'deny'));
    expect(entryOf(plan, 'branch')).toMatchObject({ allowed: false, blocker: 'WRITE_KIND_DENIED' });
    // No pull request is opened for a branch that will not exist.
    expect(entryOf(plan, 'pull-request')).toMatchObject({ allowed: false, blocker: 'WRITE_KIND_DENIED' });
    expect(plan.blockers.find((b) => b.subject === entryOf(plan, 'pull-request').key)?.message).toMatch(/branch this pull request needs/);
  });

  it("the step's deny of branch also stops the pull request of that branch", () => {
    const plan = run((s) => void (s.inputs.deny = ['branch']));
    expect(entryOf(plan, 'pull-request')).toMatchObject({ allowed: false, blocker: 'WRITE_KIND_DENIED' });
    expect(entryOf(plan, 'comment').allowed).toBe(true);
  });

  it('pull-request create and update are allowed separately', () => {
    const createDenied: Mutation = (s) => void (s.policy.writes['pull-request'].create = 'deny');
    const first = run(createDenied);
    expect(entryOf(first, 'pull-request')).toMatchObject({ action: 'create', allowed: false, blocker: 'WRITE_KIND_DENIED' });
    // Once the PR exists, a changed title is an update, judged by writes.pull-request.update.
    const prKey = entryOf(first, 'pull-request').key;
    const existing: Mutation = (s) => void (s.published = v.parse(PublishedState, { trust: 'trusted', writes: { [prKey]: { digest: `sha256:${'0'.repeat(64)}` } } }));
    expect(entryOf(run(createDenied, existing), 'pull-request')).toMatchObject({ action: 'update', allowed: true });
    expect(entryOf(run(existing, (s) => void (s.policy.writes['pull-request'].update = 'deny')), 'pull-request')).toMatchObject({
      action: 'update',
      allowed: false,
      blocker: 'WRITE_KIND_DENIED',
    });
  });

  it('draft-only turns a request for a ready pull request into a draft', () => {
    const payload = (plan: Plan) => plan.payloads[entryOf(plan, 'pull-request').key];
    expect(payload(run((s) => void (s.envelope.pullRequest!.draft = false)))).toMatchObject({ kind: 'pull-request', draft: true, head: AGENT_BRANCH, base: 'main' });
    expect(
      payload(
        run(
          (s) => void (s.envelope.pullRequest!.draft = false),
          (s) => void (s.policy.writes['pull-request']['draft-only'] = false),
        ),
      ),
    ).toMatchObject({ draft: false });
  });

  it('without changes, a pull-request entry updates the live pull request and never reopens it', () => {
    const update: Mutation = (s) => void delete s.envelope.changes;
    const plan = run(update);
    expect(kinds(plan)).toEqual(['pull-request', 'check-run', 'review', 'comment', 'status', 'labels']);
    expect(entryOf(plan, 'pull-request')).toMatchObject({ target: '42', allowed: true });
    const closed = run(update, (s) => void (prOf(s.facts).state = 'closed'));
    expect(entryOf(closed, 'pull-request').blocker).toBe('FORBIDDEN_OPERATION');
    expect(has(closed, 'TARGET_STALE')).toBe(true);
  });
});

describe('labels', () => {
  it('only allowlisted labels are added, compared without case', () => {
    const plan = run((s) => void (s.envelope.labels = ['Agent-Reviewed', 'ship-it']));
    const byLabel = Object.fromEntries(
      plan.entries.filter((e) => e.kind === 'labels').map((e) => [(plan.payloads[e.key] as { label: string }).label, e]),
    );
    expect(byLabel['Agent-Reviewed']).toMatchObject({ allowed: true });
    expect(byLabel['ship-it']).toMatchObject({ allowed: false, blocker: 'LABEL_NOT_ALLOWED' });
    expect(plan.decision).toBe('published');
  });

  it('a label already on the pull request is skipped', () => {
    const plan = run((s) => void prOf(s.facts).labels.push('AGENT-REVIEWED'));
    expect(entryOf(plan, 'labels')).toMatchObject({ action: 'skip', allowed: true });
  });

  it('an empty allowlist refuses every label', () => {
    expect(entryOf(run((s) => void (s.policy.writes.labels = [])), 'labels').blocker).toBe('LABEL_NOT_ALLOWED');
  });
});

describe('create, update or skip from published.writes', () => {
  const publishedWith = (plan: Plan, kind: WriteKind, digest: string): Mutation =>
    (s) => void (s.published = v.parse(PublishedState, { trust: 'trusted', writes: { [entryOf(plan, kind).key]: { digest } } }));
  const other = `sha256:${'f'.repeat(64)}`;

  it.each([
    ['comment', 'update'],
    ['check-run', 'update'],
    ['status', 'update'],
    ['branch', 'update'],
    ['pull-request', 'update'],
    // A review belongs to its epoch and a label is added once: neither is ever rewritten.
    ['review', 'skip'],
    ['labels', 'skip'],
  ] as const)('%s with a different published digest → %s', (kind, action) => {
    const first = run();
    const plan = run(publishedWith(first, kind, other));
    expect(entryOf(plan, kind).action).toBe(action);
    expect(plan.entries.filter((e) => e.kind !== kind).every((e) => e.action === 'create')).toBe(true);
  });

  it.each(BASELINE_KINDS)('%s with the same published digest → skip', (kind) => {
    const first = run();
    expect(entryOf(run(publishedWith(first, kind, entryOf(first, kind).digest)), kind).action).toBe('skip');
  });
});

describe('determinism', () => {
  it('the same input gives the same plan and digest', () => {
    const a = decide(input());
    const b = decide(input());
    expect(b).toEqual(a);
    expect(b.digest).toBe(a.digest);
  });

  it('the digest changes with the content and with what is allowed', () => {
    const base = run().digest;
    expect(run((s) => void (s.envelope.summary = 'changed')).digest).not.toBe(base);
    expect(run((s) => void (s.inputs.deny = ['status'])).digest).not.toBe(base);
  });

  it('the clock only matters through gate freshness', () => {
    expect(run((s) => void (s.now = '2026-11-21T12:00:00Z')).digest).toBe(run().digest);
    expect(run((s) => void (s.now = NOW)).digest).toBe(run().digest);
  });

  it('documents read from text decide the same as the parsed objects', () => {
    const fromText = run(
      (s) => void (s.loaded.evidence = evidenceFromText(JSON.stringify(evidenceDocument()), 'evidence.json', 'file')),
      (s) => void (s.loaded.envelope = envelopeFromText(JSON.stringify(envelopeDocument()), 'envelope.json', 'file')),
      (s) => void (s.loaded.policy = policyFromText(POLICY_YAML, CONFIG_PATH, 'api')),
    );
    expect(fromText.digest).toBe(run().digest);
    expect(fromText.blockers).toEqual([]);
  });
});
