import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Outputs } from '../src/constants.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeFromText } from '../src/contract/documents.js';
import type { LedgerPorts } from '../src/ledger/lifecycle.js';
import { verifyLedger } from '../src/ledger/chain.js';
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

describe('run: the ledger across runs (fake storage ports)', () => {
  const temp = mkdtempSync(join(tmpdir(), 'pg-run-ledger-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const runner = (id: number) => ({ GITHUB_REPOSITORY: 'octo/app', GITHUB_REPOSITORY_ID: '4242', GITHUB_RUN_ID: String(id), GITHUB_RUN_ATTEMPT: '1', RUNNER_TEMP: temp, GITHUB_EVENT_NAME: 'workflow_run', GITHUB_ACTOR: 'octo-dev' });
  const head = JSON.parse(readFileSync(ex('envelope.json'), 'utf8')).target.headSha as string;

  function storage(options: { upload?: boolean; save?: boolean } = {}) {
    const calls: string[] = [];
    const ports: LedgerPorts = {
      ledger: {
        lookup: async (prefix) => (calls.push(`lookup ${prefix}`), undefined),
        save: async (_path, key) => (calls.push(`save ${key}`), options.save === false ? { ok: false, reason: 'cache writes are not permitted' } : { ok: true }),
        upload: async (name, _path, days) => (calls.push(`upload ${name} ${days}`), options.upload === false ? { ok: false, reason: 'service down' } : { ok: true, id: 31 }),
      },
      artifacts: { list: async () => [], downloadZip: async () => Promise.reject(new Error('not used')) },
    };
    return { ports, calls };
  }

  it('stores the ledger on every path and says where in the outputs', async () => {
    const io = fakeIO({ ...local, 'ledger-retention-days': '7' });
    const { ports, calls } = storage();
    await run(fakeDeps(io, { env: runner(900), github: { client: () => undefined, writes: { allowed: false }, storage: () => ports } }));
    const key = `publish-gate-ledger-v1-4242-sha-${head.slice(0, 12)}-900-1`;
    expect(calls).toEqual([`lookup publish-gate-ledger-v1-4242-sha-${head.slice(0, 12)}-`, 'upload publish-gate-ledger-900-1 7', `save ${key}`]);
    expect(io.outputs[Outputs.LedgerPersisted]).toBe('true');
    expect(io.outputs[Outputs.LedgerArtifactId]).toBe('31');
    expect(io.outputs[Outputs.LedgerCacheKey]).toBe(key);
    const verified = verifyLedger(readFileSync(io.outputs[Outputs.LedgerPath]!, 'utf8'));
    expect(verified.ok).toBe(true);
    // SPEC §2: local *-path inputs are recorded as source: file.
    const decision = verified.ok ? verified.records.findLast((r) => r.type === 'decision') : undefined;
    expect(decision && 'sources' in decision ? decision.sources : undefined).toEqual({ policy: { source: 'file' }, envelope: { source: 'file' }, evidence: { source: 'file' } });
  });

  it("records an artifact's provenance in the decision record and warns when it built another head", async () => {
    const io = fakeIO({ 'config-path': ex('publish-gate.yml'), 'evidence-path': ex('evidence.json') });
    const loaded = envelopeFromText(readFileSync(ex('envelope.json'), 'utf8'), 'envelope.json', 'artifact');
    const provenance = { artifactId: 12, runId: 777, digest: `sha256:${'c'.repeat(64)}`, headSha: 'd'.repeat(40), headRepositoryId: 99 };
    await run(
      fakeDeps(io, {
        env: runner(904),
        github: { client: () => undefined, writes: { allowed: false }, storage: () => storage().ports },
        sources: { envelope: async () => ({ ...loaded, provenance }) as typeof loaded },
      }),
    );
    const verified = verifyLedger(readFileSync(io.outputs[Outputs.LedgerPath]!, 'utf8'));
    const decision = verified.ok ? verified.records.findLast((r) => r.type === 'decision') : undefined;
    expect(decision && 'sources' in decision ? decision.sources?.envelope : undefined).toEqual({ source: 'artifact', ...provenance });
    expect(io.log.some((l) => l.includes('artifact 12 of run 777'))).toBe(true);
    expect(io.log.some((l) => l.startsWith('::warning::') && l.includes(`built ${'d'.repeat(12)}`))).toBe(true);
  });

  it('a refused cache save keeps the artifact; both refused: not persisted, the run is not failed', async () => {
    const cacheOnly = fakeIO({ ...local });
    await run(fakeDeps(cacheOnly, { env: runner(901), github: { client: () => undefined, writes: { allowed: false }, storage: () => storage({ save: false }).ports } }));
    expect(cacheOnly.outputs[Outputs.LedgerPersisted]).toBe('true');
    expect(cacheOnly.outputs[Outputs.LedgerCacheKey]).toBe('');
    expect(cacheOnly.log.some((l) => l.startsWith('::warning::') && l.includes('cache writes are not permitted'))).toBe(true);

    const none = fakeIO({ ...local });
    const { exitCode } = await run(fakeDeps(none, { env: runner(902), github: { client: () => undefined, writes: { allowed: false }, storage: () => storage({ save: false, upload: false }).ports } }));
    expect(exitCode).toBe(0);
    expect(none.outputs[Outputs.Decision]).toBe('dry-run');
    expect(none.outputs[Outputs.LedgerPersisted]).toBe('false');
    expect(none.outputs[Outputs.LedgerArtifactId]).toBe('');
    expect(none.outputs[Outputs.LedgerPath]).not.toBe('');
  });

  it('without storage ports the ledger stays local: ledger-persisted false', async () => {
    const io = fakeIO({ ...local });
    await run(fakeDeps(io, { env: runner(903) }));
    expect(io.outputs[Outputs.LedgerPersisted]).toBe('false');
    expect(io.outputs[Outputs.LedgerCacheKey]).toBe('');
    expect(io.outputs[Outputs.LedgerPath]).toMatch(/publish-gate-ledger-903-1\.jsonl$/);
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
