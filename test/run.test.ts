import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outputs } from '../src/constants.js';
import { run } from '../src/run.js';
import { readSettings } from '../src/settings.js';
import { fakeDeps, fakeIO } from './fakes.js';

const ex = (name: string) => resolve(import.meta.dirname, '../examples', name);
const local = { 'envelope-path': ex('envelope.json'), 'evidence-path': ex('evidence.json'), 'config-path': ex('publish-gate.yml') };

describe('run (the pipeline with fakes)', () => {
  it('sets every decision output and writes a summary in dry-run', async () => {
    const io = fakeIO({ mode: 'dry-run', ...local });
    const { plan, exitCode } = await run(fakeDeps(io));
    expect(exitCode).toBe(0);
    expect(plan.decision).toBe('dry-run');
    for (const name of [Outputs.Decision, Outputs.Blockers, Outputs.Plan, Outputs.PlanDigest, Outputs.Writes, Outputs.LedgerPersisted])
      expect(io.outputs[name], name).toBeDefined();
    expect(io.outputs[Outputs.PlanDigest]).toBe(plan.digest);
    expect(io.summaries).toHaveLength(1);
    expect(io.failed).toBeUndefined();
  });

  it('warns when the policy comes from config-path', async () => {
    const io = fakeIO({ ...local });
    await run(fakeDeps(io));
    expect(io.log.some((l) => l.startsWith('::warning::') && l.includes('config-path'))).toBe(true);
  });

  it('a source failure (unsafe artifact) becomes a blocker and fails the step in live', async () => {
    const io = fakeIO({ mode: 'live', 'config-path': ex('publish-gate.yml'), 'evidence-path': ex('evidence.json') });
    const { plan, exitCode } = await run(
      fakeDeps(io, { sources: { envelope: async () => ({ status: 'failed', code: 'ARTIFACT_UNSAFE', message: 'entry ../x escapes the directory' }) } }),
    );
    expect(plan.decision).toBe('blocked');
    expect(plan.blockers.map((b) => b.code)).toContain('ARTIFACT_UNSAFE');
    expect(exitCode).toBe(1);
    expect(io.failed).toContain('blocked');
  });

  it('fail-on-blocked false keeps the step green but still says blocked', async () => {
    const io = fakeIO({ mode: 'live', 'fail-on-blocked': 'false' });
    const { plan, exitCode } = await run(fakeDeps(io));
    expect(plan.decision).toBe('blocked');
    expect(exitCode).toBe(0);
    expect(io.outputs[Outputs.Decision]).toBe('blocked');
  });

  it('registers the token and ledger key as secrets before anything is logged', async () => {
    const io = fakeIO({ 'github-token': 'ghs_tok', 'ledger-key': 'k3y', ...local });
    await run(fakeDeps(io));
    expect(io.secrets).toEqual(['ghs_tok', 'k3y']);
  });

  it('a summary that cannot be written does not fail the run', async () => {
    const io = fakeIO({ ...local });
    io.writeSummary = async () => {
      throw new Error('GITHUB_STEP_SUMMARY is not set');
    };
    const { exitCode } = await run(fakeDeps(io));
    expect(exitCode).toBe(0);
    expect(io.log.some((l) => l.includes('job summary not written'))).toBe(true);
  });

  it('escapes untrusted text in the summary', async () => {
    const io = fakeIO({ mode: 'live', 'fail-on-blocked': 'false', 'config-path': ex('publish-gate.yml') });
    await run(
      fakeDeps(io, { sources: { envelope: async () => ({ status: 'failed', code: 'ENVELOPE_INVALID', message: '<img src=x onerror=alert(1)> @octo/security | ping' }) } }),
    );
    const summary = io.summaries[0]!;
    expect(summary).not.toContain('<img');
    expect(summary).toContain('&lt;img');
    expect(summary).not.toMatch(/@octo\/security/);
  });
});

describe('readSettings', () => {
  const read = (inputs: Record<string, string>) => readSettings((name) => inputs[name] ?? '');

  it('applies the defaults of action.yml', () => {
    const { settings, issues } = read({});
    expect(issues).toEqual([]);
    expect(settings).toMatchObject({ mode: 'dry-run', config: '.github/publish-gate.yml', envelope: 'agent-result', evidence: 'gate-evidence', deny: [], ledgerRetentionDays: 90, failOnBlocked: true });
  });

  it('parses deny lists and rejects unknown kinds as CONFIG_INVALID', () => {
    expect(read({ deny: ' labels, status ' }).settings.deny).toEqual(['labels', 'status']);
    const { issues } = read({ deny: 'labels,merge' });
    expect(issues).toEqual([expect.objectContaining({ code: 'CONFIG_INVALID', subject: 'input:deny' })]);
  });

  it('falls back to the safer reading of a bad value and reports it', () => {
    const { settings, issues } = read({ mode: 'yes', 'fail-on-blocked': 'maybe', 'run-id': '12a', 'ledger-retention-days': '9999' });
    expect(settings.mode).toBe('dry-run');
    expect(settings.failOnBlocked).toBe(true);
    expect(settings.runId).toBeUndefined();
    expect(settings.ledgerRetentionDays).toBe(90);
    expect(issues.map((i) => i.subject)).toEqual(['input:mode', 'input:run-id', 'input:ledger-retention-days', 'input:fail-on-blocked']);
  });
});

describe('SafeOutput (every byte for the runner)', () => {
  it('redacts a token spread over log lines, outputs and the summary', async () => {
    const { ContentPipeline } = await import('../src/content/pipeline.js');
    const { SafeOutput } = await import('../src/report/output.js');
    const { createRedactor } = await import('../src/content/redact/index.js');
    const io = fakeIO();
    const secret = 'registered-secret-value-123456';
    const out = new SafeOutput(io, new ContentPipeline(createRedactor({ secrets: [secret] })));
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA' + 'q'.repeat(60), '-----END RSA PRIVATE KEY-----'].join('\n');
    out.info(`line one ${secret}\n${pem}\n::stop-commands::x`);
    out.output('blockers', [{ code: 'X', message: `leaked ${secret}` }]);
    out.summary(`| cell | ${secret} |`);
    await out.flush();
    const everything = [...io.log, ...Object.values(io.outputs), ...io.summaries].join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('MIIEowIBAAKCAQEA');
    expect(io.log.some((l) => l.startsWith('::stop-commands::'))).toBe(false);
    expect(JSON.parse(io.outputs.blockers!)[0].message).toContain('[REDACTED:');
  });
});
