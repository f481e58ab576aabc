import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODES, type Mode, WRITE_KINDS, type WriteKind } from '../contract/common.js';
import { envelopeFromText, evidenceFromText, policyFromText } from '../contract/documents.js';
import type { PublishedState } from '../contract/facts.js';
import {
  CONFIG_PATH,
  ENVIRONMENT,
  EPOCH,
  NOW,
  OTHER_SHA,
  type Mutation,
  envelopeDocument,
  evidenceDocument,
  failed,
  input,
  policyDocument,
  publishedAfter,
  run,
  sarifDocument,
  shuffleKeys,
} from '../../test/fixtures.js';
import { BLOCKER_CODES, WARNING_CODES, blocker } from './blockers.js';
import { type DecideInput, type Decision, type Plan, decide } from './decide.js';
import { digestOf } from './digest.js';

const RUNS = { numRuns: 200 };
const DECISIONS: readonly Decision[] = ['published', 'noop', 'dry-run', 'blocked', 'failed', 'off'];
const MODE_RANK: Record<Mode, number> = { off: 0, 'dry-run': 1, live: 2 };

/** Non-warning blockers whose subject is not the key of an entry: they block the whole run. */
function globalBlockers(plan: Plan) {
  const keys = new Set(plan.entries.map((e) => e.key));
  return plan.blockers.filter((b) => !WARNING_CODES.has(b.code) && !keys.has(b.subject ?? ''));
}

/** What must hold for every plan, whatever went in. */
function expectCoherent(plan: Plan) {
  expect(DECISIONS).toContain(plan.decision);
  expect(MODES).toContain(plan.mode);
  expect(plan.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(plan.digest).toBe(digestOf(plan.entries));
  for (const b of [...plan.blockers, ...plan.warnings]) expect(BLOCKER_CODES).toContain(b.code);
  for (const b of plan.blockers) expect(WARNING_CODES.has(b.code)).toBe(false);
  for (const w of plan.warnings) expect(WARNING_CODES.has(w.code)).toBe(true);
  const allowed = plan.entries.filter((e) => e.allowed);
  if (plan.mode !== 'live') expect(allowed).toEqual([]);
  if (plan.mode === 'dry-run') expect(plan.decision).toBe('dry-run');
  if (plan.mode === 'off') expect(plan.entries).toEqual([]);
  for (const e of plan.entries) {
    expect(e.key).toMatch(/^[0-9a-f]{32}$/);
    if (plan.mode === 'live') expect(e.allowed).toBe(e.blocker === undefined);
    // An allowed entry has no blocker of its own.
    if (e.allowed) expect(plan.blockers.filter((b) => b.subject === e.key)).toEqual([]);
  }
  if (plan.decision === 'published') expect(allowed.some((e) => e.action !== 'skip')).toBe(true);
  if (plan.decision === 'noop') expect(allowed.some((e) => e.action !== 'skip')).toBe(false);
  if (plan.decision === 'published' || plan.decision === 'noop') expect(globalBlockers(plan)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Corrupted documents: random JSON and mutations of valid documents, through the text loaders.
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Op = { kind: 'delete' | 'replace' | 'extra'; at: number; key: string; value: Json };

function nodes(value: Json, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => nodes(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, item] of Object.entries(value)) nodes(item, [...path, k], out);
  return out;
}

function at(value: Json, path: (string | number)[]): Json {
  return path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step] as Json, value);
}

/** Deletes a member, replaces a value (usually with one of the wrong type) or adds an unknown member. */
function applyOp(doc: Json, op: Op): Json {
  const all = nodes(doc);
  const path = all[op.at % all.length]!;
  if (path.length === 0) return op.kind === 'replace' ? op.value : doc;
  const parent = at(doc, path.slice(0, -1)) as Record<string | number, Json> | Json[];
  const last = path.at(-1)!;
  if (op.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (op.kind === 'replace') (parent as Record<string | number, Json>)[last] = op.value;
  else {
    const target = at(doc, path);
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) target[op.key] = op.value;
    else if (!Array.isArray(parent)) parent[op.key] = op.value;
  }
  return doc;
}

const arbOp: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'extra'),
  at: fc.nat(),
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'schema', 'extra')),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});

/** Text for a loader: a mutated valid document most of the time, else random JSON or random text. */
function arbText(base: () => Record<string, unknown>): fc.Arbitrary<string> {
  const mutated = fc.array(arbOp, { maxLength: 4 }).map((ops) => JSON.stringify(ops.reduce<Json>((doc, op) => applyOp(doc, op), base() as Json)));
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '\uFEFF' + JSON.stringify(base()),
        '['.repeat(200) + ']'.repeat(200),
        '{"a":'.repeat(70) + '1' + '}'.repeat(70),
        JSON.stringify(base()).slice(0, 50),
        '{"\\ud800": "\\udfff"}',
      ),
    },
  );
}

const arbDeny = fc.subarray([...WRITE_KINDS]) as fc.Arbitrary<WriteKind[]>;
const arbMode = fc.constantFrom<Mode>(...MODES);
const arbNow = fc.date({ min: new Date('2026-11-20T00:00:00Z'), max: new Date('2026-11-24T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const arbPublished = fc.record({
  trust: fc.constantFrom<PublishedState['trust']>('trusted', 'absent', 'untrusted', 'reconciled'),
  epochs: fc.subarray([EPOCH, '2026-11-21T12:00:00Z#4', '2026-11-21T09:00:00Z#2']),
  writes: fc.constant({}),
}) as fc.Arbitrary<PublishedState>;

describe('(a) corrupted documents never make decide throw', () => {
  const baseline = input();

  it('envelope, evidence and policy texts of any shape', () => {
    const reached = { envelope: 0, evidence: 0, policy: 0 };
    fc.assert(
      fc.property(
        fc.oneof(
          arbText(envelopeDocument).map((text) => ({ text, name: 'envelope.json' })),
          arbText(() => sarifDocument()).map((text) => ({ text, name: 'results.sarif' })),
        ),
        arbText(evidenceDocument),
        arbText(policyDocument),
        arbMode,
        arbDeny,
        arbPublished,
        arbNow,
        (envelope, evidenceText, policyText, mode, deny, published, now) => {
          const decideInput: DecideInput = {
            ...baseline,
            inputs: { mode, deny, config: CONFIG_PATH },
            envelope: envelopeFromText(envelope.text, envelope.name, 'artifact'),
            evidence: evidenceFromText(evidenceText, 'evidence.json', 'artifact'),
            policy: policyFromText(policyText, CONFIG_PATH, 'api'),
            published,
            now,
          };
          for (const loaded of [decideInput.envelope, decideInput.evidence, decideInput.policy])
            if (loaded.status === 'failed') expect(['ENVELOPE_INVALID', 'EVIDENCE_INVALID', 'CONFIG_INVALID']).toContain(loaded.code);
          const plan = decide(decideInput);
          expectCoherent(plan);
          if (decideInput.envelope.status === 'ok') reached.envelope++;
          if (decideInput.evidence.status === 'ok') reached.evidence++;
          if (decideInput.policy.status === 'ok') reached.policy++;
          // A document that did not load is reported.
          if (decideInput.policy.status === 'failed') expect(plan.blockers.map((b) => b.code)).toContain('CONFIG_INVALID');
          if (plan.decision !== 'off') {
            if (decideInput.envelope.status === 'failed') expect(plan.blockers.map((b) => b.code)).toContain('ENVELOPE_INVALID');
            if (decideInput.evidence.status === 'failed') expect(plan.blockers.map((b) => b.code)).toContain('EVIDENCE_INVALID');
          }
        },
      ),
      RUNS,
    );
    // The generator reaches documents that load as well as documents that do not.
    for (const what of ['envelope', 'evidence', 'policy'] as const) expect(reached[what]).toBeGreaterThan(20);
  });

  it('mostly-valid documents (at most one small corruption each) still give coherent plans', () => {
    const oneOp = (base: () => Record<string, unknown>) =>
      // Half the documents stay intact, so every decision, `published` included, is reached.
      fc.option(arbOp, { nil: undefined, freq: 2 }).map((op) => JSON.stringify(op ? applyOp(base() as Json, op) : base()));
    const decisions = new Set<Decision>();
    fc.assert(
      fc.property(oneOp(envelopeDocument), oneOp(evidenceDocument), oneOp(policyDocument), arbMode, (envelopeText, evidenceText, policyText, mode) => {
        const plan = decide({
          ...baseline,
          inputs: { mode, deny: [], config: CONFIG_PATH },
          envelope: envelopeFromText(envelopeText, 'envelope.json', 'artifact'),
          evidence: evidenceFromText(evidenceText, 'evidence.json', 'artifact'),
          policy: policyFromText(policyText, CONFIG_PATH, 'api'),
        });
        expectCoherent(plan);
        decisions.add(plan.decision);
      }),
      RUNS,
    );
    expect([...decisions].sort()).toEqual(['blocked', 'dry-run', 'off', 'published']);
  });
});

// ---------------------------------------------------------------------------------------------
// Semantic variations of a valid run: a catalogue of realistic changes, combined at random.
// ---------------------------------------------------------------------------------------------

const firstPlan = run();
const catalogue: [string, Mutation][] = [
  ['task partial', (s) => void (s.envelope.task.status = 'partial')],
  ['PR number differs', (s) => void (s.facts.pullRequest && (s.facts.pullRequest.number = 43))],
  ['head moved', (s) => void (s.facts.pullRequest ? (s.facts.pullRequest.headSha = OTHER_SHA) : (s.facts.headSha = OTHER_SHA))],
  ['no pull request', (s) => {
    s.facts.pullRequest = null;
    delete s.envelope.target.pullRequest;
  }],
  ['gate fails', (s) => void (s.evidence.gates = s.evidence.gates.map((g) => ({ ...g, result: 'FAIL' as const })))],
  ['no gates', (s) => void (s.evidence.gates = [])],
  ['evidence epoch differs', (s) => void (s.evidence.epoch = 'other#1')],
  ['two days later', (s) => void (s.now = '2026-11-23T11:00:00Z')],
  ['check fails', (s) => void (s.facts.checkRuns = s.facts.checkRuns.map((r) => ({ ...r, conclusion: 'failure' })))],
  ['no approvals', (s) => void (s.facts.approvals = [])],
  ['self approval', (s) => void (s.facts.approvals = [{ environment: ENVIRONMENT, state: 'approved', user: s.facts.actor }])],
  ['unsafe environment', (s) => void (s.facts.environments = { [ENVIRONMENT]: { preventSelfReview: false, canAdminsBypass: true } })],
  ['approval none', (s) => void (s.policy.approval = 'none')],
  ['event push', (s) => void (s.facts.event = 'push')],
  ['bot actor', (s) => void (s.facts.actor = 'dependabot[bot]')],
  ['repository not listed', (s) => void (s.policy.repositories = ['octo/other'])],
  ['base not allowed', (s) => void (s.policy.branches.base = ['release/*'])],
  ['intent without status', (s) => void (s.envelope.intent = s.envelope.intent.filter((k) => k !== 'status'))],
  ['intent without comment', (s) => void (s.envelope.intent = s.envelope.intent.filter((k) => k !== 'comment'))],
  ['extra label', (s) => void (s.envelope.labels = [...(s.envelope.labels ?? []), 'ship-it'])],
  ['workflow file', (s) => void s.envelope.changes?.files.push({ path: '.github/workflows/ci.yml', content: 'x', encoding: 'utf-8', mode: '100644' })],
  ['branch without prefix', (s) => void (s.envelope.changes && (s.envelope.changes.branch = 'fix/x'))],
  ['no changes', (s) => void delete s.envelope.changes],
  ['max-writes 3', (s) => void (s.policy.limits['max-writes'] = 3)],
  ['max-writes 6', (s) => void (s.policy.limits['max-writes'] = 6)],
  ['policy dry-run', (s) => void (s.policy.mode = 'dry-run')],
  ['policy off', (s) => void (s.policy.mode = 'off')],
  ['status denied', (s) => void (s.policy.writes.status = 'deny')],
  ['review denied', (s) => void (s.policy.writes.review = 'deny')],
  ['no labels allowed', (s) => void (s.policy.writes.labels = [])],
  ['pull-request create denied', (s) => void (s.policy.writes['pull-request'].create = 'deny')],
  ['only critical findings', (s) => void (s.policy.findings['min-severity'] = 'critical')],
  ['epoch replayed', (s) => void (s.published.epochs = [EPOCH, 'later#9'])],
  ['ledger untrusted', (s) => void (s.published.trust = 'untrusted')],
  ['already published', (s) => void (s.published = publishedAfter(firstPlan))],
  ['summary changed', (s) => void (s.envelope.summary = 'changed')],
  ['facts unavailable', (s) => void (s.loaded.facts = failed('API_TIMEOUT'))],
  ['evidence unavailable', (s) => void (s.loaded.evidence = failed('EVIDENCE_MISSING'))],
  ['envelope unavailable', (s) => void (s.loaded.envelope = failed('ARTIFACT_UNSAFE'))],
  ['policy unavailable', (s) => void (s.loaded.policy = failed('CONFIG_MISSING'))],
  ['step input issue', (s) => void (s.inputs.issues = [blocker('API_FAILED', 'facts not read', 'facts')])],
];

const arbVariation = fc.subarray(catalogue, { maxLength: 5 }).map((picked) => ({
  names: picked.map(([name]) => name),
  mutations: picked.map(([, mutation]) => mutation),
}));

describe('(b) a global blocker allows nothing', () => {
  it('whenever a non-warning blocker is not about one entry, no entry is allowed', () => {
    let seenGlobal = 0;
    let seenAllowed = 0;
    fc.assert(
      fc.property(arbVariation, arbDeny, ({ mutations }, deny) => {
        const plan = run(...mutations, (s) => void (s.inputs.deny = deny));
        expectCoherent(plan);
        if (globalBlockers(plan).length > 0) {
          seenGlobal++;
          expect(plan.entries.filter((e) => e.allowed)).toEqual([]);
          expect(['blocked', 'dry-run', 'off']).toContain(plan.decision);
        } else if (plan.entries.some((e) => e.allowed)) seenAllowed++;
      }),
      RUNS,
    );
    // The generator reaches both sides of the implication.
    expect(seenGlobal).toBeGreaterThan(20);
    expect(seenAllowed).toBeGreaterThan(20);
  });
});

describe('(c) deny and mode inputs only narrow', () => {
  it('allowed entries with any deny and mode are a subset of those with no deny and the policy mode', () => {
    fc.assert(
      fc.property(arbVariation, arbDeny, arbMode, ({ mutations }, deny, mode) => {
        const wide = run(...mutations, (s) => {
          s.inputs.mode = s.policy.mode;
          s.inputs.deny = [];
        });
        const narrow = run(...mutations, (s) => {
          s.inputs.mode = mode;
          s.inputs.deny = deny;
        });
        expectCoherent(narrow);
        const wideByKey = new Map(wide.entries.map((e) => [e.key, e]));
        const wideGlobals = globalBlockers(wide).map((b) => b.code);
        for (const e of narrow.entries.filter((n) => n.allowed)) {
          expect(deny).not.toContain(e.kind);
          const same = wideByKey.get(e.key);
          expect(same, `${e.kind} ${e.key}`).toBeDefined();
          expect(same?.digest).toBe(e.digest);
          if (same?.allowed) continue;
          // The one exception: without the deny more writes were planned than limits.max-writes allows,
          // so the whole wide run was refused. Denying kinds can bring the count under the limit; the
          // narrow run still respects the limit and allows only writes the policy allows one by one.
          expect(wideGlobals.length > 0 && wideGlobals.every((code) => code === 'LIMIT_EXCEEDED')).toBe(true);
          expect(wide.blockers.filter((b) => b.subject === e.key)).toEqual([]);
        }
        const policy = input(...mutations).policy;
        if (policy.status === 'ok')
          expect(narrow.entries.filter((e) => e.allowed && e.action !== 'skip').length).toBeLessThanOrEqual(policy.value.limits['max-writes']);
      }),
      RUNS,
    );
  });

  it('a step mode above the policy ceiling allows nothing', () => {
    fc.assert(
      fc.property(arbVariation, fc.constantFrom<Mode>('off', 'dry-run'), (variation, ceiling) => {
        const plan = run(...variation.mutations, (s) => {
          s.policy.mode = ceiling;
          s.inputs.mode = 'live';
        });
        expect(plan.entries.filter((e) => e.allowed)).toEqual([]);
        // Without a loaded policy there is no ceiling to exceed (CONFIG_MISSING blocks instead).
        if (!variation.names.includes('policy unavailable')) {
          expect(MODE_RANK[plan.mode]).toBeLessThanOrEqual(MODE_RANK[ceiling]);
          expect(plan.blockers.map((b) => b.code)).toContain('INPUT_WIDENS_POLICY');
        }
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Determinism: key order of the documents and repeated runs do not change the plan.
// ---------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The input again, with envelope, evidence and policy re-read from JSON text with shuffled keys. */
function reread(original: DecideInput, seed: number): DecideInput {
  const random = mulberry32(seed);
  const text = (value: unknown) => JSON.stringify(shuffleKeys(JSON.parse(JSON.stringify(value)), random));
  const out = { ...original };
  if (original.envelope.status === 'ok' && original.envelope.value.format === 'envelope')
    out.envelope = envelopeFromText(text(original.envelope.value.envelope), 'envelope.json', 'artifact');
  if (original.evidence.status === 'ok') out.evidence = evidenceFromText(text(original.evidence.value), 'evidence.json', 'artifact');
  if (original.policy.status === 'ok') out.policy = policyFromText(text(original.policy.value), CONFIG_PATH, 'api');
  return out;
}

describe('(d) the plan digest is stable', () => {
  it('across the key order of envelope, evidence and policy, and across repeated runs', () => {
    fc.assert(
      fc.property(arbVariation, arbDeny, arbMode, fc.integer(), ({ mutations }, deny, mode, seed) => {
        const original = input(...mutations, (s) => {
          s.inputs.deny = deny;
          s.inputs.mode = mode;
        });
        const first = decide(original);
        const shuffled = reread(original, seed);
        // Documents that loaded load again from their shuffled text.
        expect([shuffled.envelope.status, shuffled.evidence.status, shuffled.policy.status]).toEqual([original.envelope.status, original.evidence.status, original.policy.status]);
        const again = decide(shuffled);
        expect(again.digest).toBe(first.digest);
        expect(again).toEqual(first);
        expect(decide(original)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('SARIF logs too: key order of the log does not change the plan', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = mulberry32(seed);
        const plan = (text: string) => decide({ ...input(), envelope: envelopeFromText(text, 'scan.sarif', 'artifact') });
        const first = plan(JSON.stringify(sarifDocument()));
        expect(plan(JSON.stringify(shuffleKeys(sarifDocument(), random)))).toEqual(first);
      }),
      { numRuns: 50 },
    );
  });
});

describe('(e) dry-run never allows a write', () => {
  it('whatever else is true of the run', () => {
    fc.assert(
      fc.property(arbVariation, arbDeny, fc.boolean(), ({ names, mutations }, deny, viaPolicy) => {
        const plan = run(...mutations, (s) => {
          s.inputs.deny = deny;
          if (viaPolicy) s.policy.mode = s.policy.mode === 'off' ? 'off' : 'dry-run';
          else s.inputs.mode = 'dry-run';
        });
        expect(plan.entries.filter((e) => e.allowed)).toEqual([]);
        // A policy that did not load sets no ceiling: the live step is then blocked by CONFIG_MISSING.
        if (viaPolicy && names.includes('policy unavailable')) expect(plan.decision).toBe('blocked');
        else {
          expect(['dry-run', 'off']).toContain(plan.decision);
          if (plan.decision !== 'off') expect(plan.mode).toBe('dry-run');
        }
      }),
      RUNS,
    );
  });

  it('the clean baseline in dry-run plans everything and allows nothing', () => {
    const plan = run((s) => void (s.inputs.mode = 'dry-run'), (s) => void (s.now = NOW));
    expect(plan.entries.length).toBe(7);
    expect(plan.entries.some((e) => e.allowed)).toBe(false);
  });
});
