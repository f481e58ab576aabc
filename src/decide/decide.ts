import * as v from 'valibot';
import { type Mode, type WriteKind } from '../contract/common.js';
import type { Envelope } from '../contract/envelope.js';
import type { Evidence } from '../contract/evidence.js';
import type { Facts, PublishedState } from '../contract/facts.js';
import { Policy } from '../contract/policy.js';
import { type Blocker, type Loaded, WARNING_CODES, blocker } from './blockers.js';
import { digestOf } from './digest.js';
import { type FindingSelection, selectFindings } from './findings.js';
import { checkApproval, checkBinding, checkConfirmations, checkEpoch, checkEvidence, checkRun, checkTask } from './gates.js';
import { type EnvelopeDocument, toEnvelope } from './submission.js';
import { type PlanEntry, type WritePayload, planWrites } from './writes.js';

export type Decision = 'published' | 'noop' | 'dry-run' | 'blocked' | 'failed' | 'off';

/** The step's narrowing inputs (SPEC §2), already read and checked by settings. */
export interface StepInputs {
  mode: Mode;
  deny: readonly WriteKind[];
  /** The policy file's path; agent changes may never write it. */
  config: string;
  /** Problems with the step's own inputs, reported as blockers. */
  issues?: readonly Blocker[];
}

export interface DecideInput {
  inputs: StepInputs;
  policy: Loaded<Policy>;
  envelope: Loaded<EnvelopeDocument>;
  evidence: Loaded<Evidence>;
  facts: Loaded<Facts>;
  published: PublishedState;
  /** The clock, injected: the engine never reads it. ISO 8601. */
  now: string;
}

export interface Plan {
  decision: Decision;
  /** The mode the run acts in: the lower of the step's mode and the policy's ceiling. */
  mode: Mode;
  blockers: Blocker[];
  warnings: Blocker[];
  entries: PlanEntry[];
  /** `sha256:` over the canonical JSON of `entries`. */
  digest: string;
  payloads: Record<string, WritePayload>;
  findings: { total: number; published: number; inline: number; folded: number; dropped: FindingSelection['dropped'] };
  /** `defaults` when the policy could not be read and safe built-in defaults were evaluated instead. */
  policySource: 'policy' | 'defaults';
  envelope?: Envelope;
  pullRequest?: { number: number; url?: string };
  /** Memory proposals: never written, recorded as held. */
  held: number;
}

const MODE_RANK: Record<Mode, number> = { off: 0, 'dry-run': 1, live: 2 };

/** What a dry run evaluates against when there is no usable policy: dry-run only, every write denied. */
export function safeDefaultPolicy(repository: string): Policy {
  return v.parse(Policy, { version: 1, mode: 'dry-run', repositories: [repository], approval: 'none' });
}

const emptySelection = (): FindingSelection => ({
  kept: [],
  folded: 0,
  dropped: { 'unsafe-path': 0, 'denied-path': 0, severity: 0, confidence: 0, 'out-of-scope': 0, duplicate: 0 },
});

function loadFailure(loaded: Loaded<unknown>): Blocker[] {
  return loaded.status === 'failed' ? [blocker(loaded.code, loaded.message, loaded.subject)] : [];
}

/**
 * The whole decision, pure: the same input always gives the same plan and digest.
 * Every gate is evaluated so the report lists every blocker, not only the first.
 */
export function decide(input: DecideInput): Plan {
  const now = new Date(input.now);
  const global: Blocker[] = [...(input.inputs.issues ?? [])];
  const warnings: Blocker[] = [];

  const facts = input.facts.status === 'ok' ? input.facts.value : undefined;
  global.push(...loadFailure(input.policy));
  const policyOk = input.policy.status === 'ok';
  const repository = facts?.repository ?? (input.envelope.status === 'ok' && input.envelope.value.format === 'envelope' ? input.envelope.value.envelope.target.repository : 'unknown/unknown');
  const policy = input.policy.status === 'ok' ? input.policy.value : safeDefaultPolicy(repository);

  const requested = input.inputs.mode;
  if (policyOk && MODE_RANK[requested] > MODE_RANK[policy.mode])
    global.push(blocker('INPUT_WIDENS_POLICY', `mode ${requested} exceeds the policy's ceiling ${policy.mode}`, 'mode'));
  // Without a policy the requested mode stands, so a live step is reported blocked (CONFIG_*), not quietly downgraded.
  const ceiling = policyOk ? policy.mode : 'live';
  const mode: Mode = MODE_RANK[requested] <= MODE_RANK[ceiling] ? requested : ceiling;
  const empty = {
    entries: [] as PlanEntry[],
    digest: digestOf([]),
    payloads: {},
    findings: { total: 0, published: 0, inline: 0, folded: 0, dropped: emptySelection().dropped },
    policySource: policyOk ? ('policy' as const) : ('defaults' as const),
    held: 0,
  };
  if (mode === 'off') {
    const why = requested === 'off' ? 'the step input mode is off' : 'the policy sets mode: off';
    return { ...empty, decision: 'off', mode, blockers: [blocker('MODE_OFF', `publishing is off: ${why}`, 'mode'), ...global], warnings };
  }

  global.push(...loadFailure(input.envelope), ...loadFailure(input.evidence), ...loadFailure(input.facts));
  const evidence = input.evidence.status === 'ok' ? input.evidence.value : undefined;
  let envelope: Envelope | undefined;
  if (input.envelope.status === 'ok') {
    const made = toEnvelope(input.envelope.value, evidence, facts);
    if (typeof made === 'string') global.push(blocker('ENVELOPE_INVALID', made, 'envelope'));
    else envelope = made;
  }

  if (input.published.trust === 'untrusted')
    warnings.push(blocker('LEDGER_UNTRUSTED', 'the restored ledger did not verify; state was reconciled from GitHub instead'));
  if (facts) global.push(...checkRun(policy, facts));
  if (envelope) {
    global.push(...checkTask(envelope), ...checkEpoch(envelope, input.published));
    if (facts) global.push(...checkBinding(envelope, facts, policy), ...checkConfirmations(envelope, facts, policy));
    if (evidence) global.push(...checkEvidence(envelope, evidence, policy, now));
  }
  if (facts) global.push(...checkApproval(policy, facts));

  const selection = envelope ? selectFindings(envelope.findings, policy.findings, facts?.files ?? null) : emptySelection();
  const planned = envelope
    ? planWrites({ repository, envelope, policy, deny: input.inputs.deny, configPath: input.inputs.config, facts, published: input.published, selection })
    : [];

  const writesNeeded = planned.filter((p) => p.blockers.length === 0 && p.entry.action !== 'skip').length;
  if (writesNeeded > policy.limits['max-writes'])
    global.push(blocker('LIMIT_EXCEEDED', `${writesNeeded} writes planned, over limits.max-writes ${policy.limits['max-writes']}`, 'limits.max-writes'));

  const blockers = dedupe([...global.filter((b) => !WARNING_CODES.has(b.code)), ...planned.flatMap((p) => p.blockers)]);
  const globalCode = global.find((b) => !WARNING_CODES.has(b.code))?.code;
  const entries = planned.map(({ entry, blockers: own }) => {
    const reason = own[0]?.code ?? globalCode;
    const out: PlanEntry = { ...entry, allowed: mode === 'live' && reason === undefined };
    if (reason) out.blocker = reason;
    return out;
  });

  let decision: Decision;
  if (mode === 'dry-run') decision = 'dry-run';
  else if (globalCode) decision = 'blocked';
  else if (entries.some((e) => e.allowed && e.action !== 'skip')) decision = 'published';
  else if (entries.length > 0 && !entries.some((e) => e.allowed)) decision = 'blocked';
  else decision = 'noop';

  const pr = facts?.pullRequest;
  return {
    decision,
    mode,
    blockers,
    warnings,
    entries,
    digest: digestOf(entries),
    payloads: Object.fromEntries(planned.map((p) => [p.entry.key, p.payload])),
    findings: {
      total: envelope?.findings.length ?? 0,
      published: selection.kept.length,
      inline: selection.kept.length - selection.folded,
      folded: selection.folded,
      dropped: selection.dropped,
    },
    policySource: empty.policySource,
    ...(envelope ? { envelope } : {}),
    ...(pr ? { pullRequest: pr.url ? { number: pr.number, url: pr.url } : { number: pr.number } } : {}),
    held: envelope?.memory?.length ?? 0,
  };
}

function dedupe(blockers: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return blockers.filter((b) => {
    const id = `${b.code}\u0000${b.subject ?? ''}\u0000${b.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
