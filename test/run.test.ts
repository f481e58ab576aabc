import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Outputs } from '../src/constants.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeFromText } from '../src/contract/documents.js';
import type { LedgerPorts } from '../src/ledger/lifecycle.js';
import { verifyLedger } from '../src/ledger/chain.js';
import { MAX_FINDING_NOTICES, run } from '../src/run.js';
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
    await run(fakeDeps(io, { env: runner(900), github: { client: async () => undefined, writes: { allowed: false }, storage: async () => ports } }));
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
        github: { client: async () => undefined, writes: { allowed: false }, storage: async () => storage().ports },
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
    await run(fakeDeps(cacheOnly, { env: runner(901), github: { client: async () => undefined, writes: { allowed: false }, storage: async () => storage({ save: false }).ports } }));
    expect(cacheOnly.outputs[Outputs.LedgerPersisted]).toBe('true');
    expect(cacheOnly.outputs[Outputs.LedgerCacheKey]).toBe('');
    expect(cacheOnly.log.some((l) => l.startsWith('::warning::') && l.includes('cache writes are not permitted'))).toBe(true);

    const none = fakeIO({ ...local });
    const { exitCode } = await run(fakeDeps(none, { env: runner(902), github: { client: async () => undefined, writes: { allowed: false }, storage: async () => storage({ save: false, upload: false }).ports } }));
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

describe('run: annotations, notices and the summary tables', () => {
  const temp = mkdtempSync(join(tmpdir(), 'pg-run-report-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  const example = () => JSON.parse(readFileSync(ex('envelope.json'), 'utf8'));
  const write = (name: string, value: unknown) => {
    const path = join(temp, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };

  it('keeps a log group per stage', async () => {
    const io = fakeIO({ mode: 'dry-run', ...local });
    await run(fakeDeps(io));
    expect(io.log.filter((l) => l.startsWith('::group::'))).toEqual(['Load', 'Gather live facts', 'Restore ledger', 'Decide', 'Execute', 'Store ledger'].map((g) => `::group::${g}`));
    expect(io.log.filter((l) => l === '::endgroup::')).toHaveLength(6);
    expect(io.log.at(-1)).toMatch(/^Publish Gate decision: dry-run \(0 blockers, 0 writes made\)$/);
  });

  it('in dry-run: a notice on each finding the review would post inline, with its file and lines; blockers as warnings', async () => {
    const io = fakeIO({ mode: 'dry-run', ...local });
    const { plan } = await run(fakeDeps(io));
    const notices = io.annotations.filter((a) => a.level === 'notice');
    expect(notices).toHaveLength(plan.findings.inline);
    expect(notices[0]).toEqual({
      level: 'notice',
      message: 'Would be posted as an inline review comment (high, sql-injection): Unescaped filter value in SQL string',
      properties: { title: 'Publish Gate (dry run): Unescaped filter value in SQL string', file: 'src/db/search.ts', startLine: 41, endLine: 44 },
    });
    expect(io.annotations.some((a) => a.level === 'error')).toBe(false);
  });

  it('notices stop at 50, then one says how many more', async () => {
    const envelope = example();
    envelope.findings = Array.from({ length: 60 }, (_, i) => ({ ruleId: `rule-${i}`, severity: 'medium', confidence: 0.9, path: `src/f${i}.ts`, startLine: i + 1, title: `finding ${i}` }));
    const policy = readFileSync(ex('publish-gate.yml'), 'utf8').replace('max-inline: 30', 'max-inline: 100');
    const io = fakeIO({ mode: 'dry-run', ...local, 'envelope-path': write('many.json', envelope), 'config-path': write('many.yml', policy) });
    await run(fakeDeps(io));
    const notices = io.annotations.filter((a) => a.level === 'notice');
    expect(notices).toHaveLength(MAX_FINDING_NOTICES + 1);
    expect(notices.at(-1)).toEqual({ level: 'notice', message: '… and 10 more findings would be posted inline; the job summary counts them all.', properties: { title: 'Publish Gate (dry run)' } });
  });

  it('live: an error annotation per blocker, on the file when the blocker is about one', async () => {
    const envelope = example();
    envelope.intent.push('branch');
    envelope.changes = { branch: 'agent/fix', message: 'fix', files: [{ path: '.github/workflows/ci.yml', content: 'on: push\n' }] };
    const io = fakeIO({ mode: 'live', 'fail-on-blocked': 'false', ...local, 'envelope-path': write('path.json', envelope) });
    const { plan } = await run(fakeDeps(io));
    const errors = io.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(plan.blockers.length);
    expect(errors).toContainEqual({
      level: 'error',
      message: expect.stringMatching(/^PATH_FORBIDDEN: \.github\/workflows\/ci\.yml steers CI/),
      properties: { title: 'Publish Gate: PATH_FORBIDDEN', file: '.github/workflows/ci.yml' },
    });
    expect(errors.find((a) => a.message.startsWith('API_FAILED'))?.properties).toEqual({ title: 'Publish Gate: API_FAILED' });
    expect(io.annotations.some((a) => a.level === 'notice')).toBe(false);
  });

  it('the summary counts what was redacted, by rule, and never shows the value', async () => {
    const token = ['gh', 'p_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
    const envelope = example();
    envelope.task.status = 'failed';
    envelope.task.exitReason = `crashed with GITHUB_TOKEN=${token}`;
    const io = fakeIO({ mode: 'dry-run', ...local, 'envelope-path': write('secret.json', envelope) });
    await run(fakeDeps(io));
    const summary = io.summaries[0]!;
    expect(summary).not.toContain(token);
    const rows = /\| Rule \| Redacted \|\n\|---\|---:\|\n((?:\| .+ \| \d+ \|\n)+)/.exec(summary);
    expect(rows, summary).not.toBeNull();
    const counts: Record<string, number> = Object.fromEntries([...rows![1]!.matchAll(/\| `([^`]+)` \| (\d+) \|/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify([...io.log, ...io.annotations.map((a) => a.message)])).not.toContain(token);
  });

  it('the summary says who approved, from which environment', async () => {
    const io = fakeIO({ mode: 'dry-run', ...local });
    await run(
      fakeDeps(io, {
        sources: {
          facts: async (_settings, { fallback }) => ({
            status: 'ok',
            source: 'assumed',
            value: {
              ...fallback,
              approvals: [
                { environment: 'agent-publish', state: 'approved', user: 'security-lead' },
                { environment: 'staging', state: 'approved', user: 'ops' },
              ],
              environments: { 'agent-publish': { preventSelfReview: true, canAdminsBypass: true } },
            },
          }),
        },
      }),
    );
    const summary = io.summaries[0]!;
    expect(summary).toContain('### Approval');
    expect(summary).toContain('Environment <code>agent-publish</code> (from the policy): prevent self-review on ✅, administrator bypass allowed ⚠️.');
    expect(summary).toContain('| security-lead | agent-publish | ✅ approved |');
    expect(summary).toContain('| ops | staging (another environment) | ✅ approved |');
    expect(summary).toContain('### Gate path');
    expect(summary).toMatch(/^> \[!WARNING\]\n> 🧪 \*\*Dry run\*\*/m);
  });

  it('untrusted text in a blocker and a finding path stays escaped in the summary and cannot break out of an annotation', async () => {
    const envelope = example();
    envelope.task.status = 'failed';
    envelope.task.exitReason = 'a | b <script>x</script>\n::error::forged @octo/security';
    envelope.findings[0].title = 'title | <script>y</script>\n::warning::forged @octo/team';
    const io = fakeIO({ mode: 'dry-run', ...local, 'envelope-path': write('hostile.json', envelope) });
    await run(fakeDeps(io));
    const summary = io.summaries[0]!;
    expect(summary).not.toContain('<script');
    expect(summary).not.toMatch(/@octo\/(security|team)/);
    expect(summary).not.toMatch(/^::/m);
    for (const a of io.annotations) {
      expect(a.message).not.toMatch(/[\r\n]/);
      expect(a.message).not.toContain('::');
      for (const value of Object.values(a.properties ?? {})) expect(String(value)).not.toMatch(/[\r\n]|::/);
    }
  });
});

describe('SafeOutput: annotation properties', () => {
  it('keeps a plain relative file with its lines; drops a hostile file, bad lines; makes the title a safe line', async () => {
    const { ContentPipeline } = await import('../src/content/pipeline.js');
    const { SafeOutput, annotationFile } = await import('../src/report/output.js');
    const { createRedactor } = await import('../src/content/redact/index.js');
    const io = fakeIO();
    const secret = 'registered-secret-value-123456';
    const out = new SafeOutput(io, new ContentPipeline(createRedactor({ secrets: [secret] })));
    out.notice('ok', { file: 'src/a.ts', startLine: 3, endLine: 1 });
    out.warning('hostile', { title: 'x\n::error::y', file: 'a::b\n::error file=x::z', startLine: 2 });
    out.error('secret', { title: `t ${secret}`, file: `src/${secret}.ts`, startLine: 0 });
    out.notice('lines without a file', { startLine: 4 });
    await out.flush();
    expect(io.annotations[0]).toEqual({ level: 'notice', message: 'ok', properties: { file: 'src/a.ts', startLine: 3, endLine: 3 } });
    expect(io.annotations[1]!.properties).toEqual({ title: expect.not.stringMatching(/[\n\r]|::/) });
    expect(io.annotations[2]!.properties).toEqual({ title: 't [REDACTED:known-secret]' });
    expect(io.annotations[3]).toEqual({ level: 'notice', message: 'lines without a file' });
    for (const bad of ['', '/etc/passwd', '../x', 'a//b', 'a\\b', 'a\rb', 'a\u2028b', 'C:x', 'x##[error]y']) expect(annotationFile(bad), JSON.stringify(bad)).toBeUndefined();
    expect(annotationFile('.github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
  });
});
