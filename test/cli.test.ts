import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/command.js';
import { runCli } from './harness.js';

const examples = resolve(import.meta.dirname, '../examples');
const ex = (name: string) => join(examples, name);

const examplePlan = ['plan', '--envelope', ex('envelope.json'), '--evidence', ex('evidence.json'), '--config', ex('publish-gate.yml'), '--facts', ex('facts.json')];

function tmpFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pg-cli-')), name);
  writeFileSync(path, text);
  return path;
}

describe('publish-gate plan', () => {
  it('prints the example plan as a table and exits 0 (npm start)', async () => {
    const { code, stdout } = await runCli(examplePlan);
    expect(code).toBe(ExitCode.Ok);
    expect(stdout).toContain('decision dry-run');
    expect(stdout).toMatch(/check-run\s+3f2a9c1d8e7b\s+create\s+would write/);
    expect(stdout).toContain('dropped: severity 1, confidence 1, duplicate 1');
  });

  it('--json prints the SPEC output names and a digest that matches across runs', async () => {
    const a = JSON.parse((await runCli([...examplePlan, '--json', '--mode', 'live'])).stdout);
    const b = JSON.parse((await runCli([...examplePlan, '--json', '--mode', 'live'])).stdout);
    expect(a.decision).toBe('published');
    expect(a['plan-digest']).toBe(b['plan-digest']);
    expect(a.plan.every((e: { allowed: boolean }) => e.allowed)).toBe(true);
    expect(Object.keys(a.plan[0]).sort()).toEqual(['action', 'allowed', 'digest', 'key', 'kind', 'target']);
  });

  it('exits 2 when the decision is blocked', async () => {
    const envelope = JSON.parse(readFileSync(ex('envelope.json'), 'utf8'));
    envelope.task.status = 'partial';
    const path = tmpFile('envelope.json', JSON.stringify(envelope));
    const { code, stdout } = await runCli(['plan', '--envelope', path, '--evidence', ex('evidence.json'), '--config', ex('publish-gate.yml'), '--facts', ex('facts.json'), '--mode', 'live']);
    expect(code).toBe(ExitCode.Blocked);
    expect(stdout).toContain('TASK_NOT_SUCCEEDED');
  });

  it('a dry run with blockers is not blocked: exit 0, blockers listed', async () => {
    const { code, stdout } = await runCli(['plan', '--envelope', ex('envelope.json'), '--config', ex('publish-gate.yml')]);
    expect(code).toBe(ExitCode.Ok);
    expect(stdout).toContain('EVIDENCE_MISSING');
  });

  it('without facts, assumes facts consistent with the envelope', async () => {
    const { stdout } = await runCli(['plan', '--envelope', ex('envelope.json'), '--evidence', ex('evidence.json'), '--config', ex('publish-gate.yml'), '--json']);
    const out = JSON.parse(stdout);
    // The example evidence is dated 2026-11-21 and the injected clock is an hour later.
    expect(out.blockers).toEqual([]);
  });

  it('--facts overrides: a moved head is TARGET_STALE', async () => {
    const facts = JSON.parse(readFileSync(ex('facts.json'), 'utf8'));
    facts.pullRequest.headSha = 'a'.repeat(40);
    const { code, stdout } = await runCli([...examplePlan.slice(0, -1), tmpFile('facts.json', JSON.stringify(facts)), '--mode', 'live']);
    expect(code).toBe(ExitCode.Blocked);
    expect(stdout).toContain('TARGET_STALE');
  });

  it('invalid documents are blockers, an invalid facts file is an error (exit 1)', async () => {
    const bad = tmpFile('envelope.json', '{"schema": "publish-gate/envelope@1", "extra": 1}');
    const blocked = await runCli(['plan', '--envelope', bad, '--mode', 'live']);
    expect(blocked.code).toBe(ExitCode.Blocked);
    expect(blocked.stdout).toContain('ENVELOPE_INVALID');
    const facts = await runCli(['plan', '--envelope', ex('envelope.json'), '--facts', tmpFile('f.json', '{"unknown": true}')]);
    expect(facts.code).toBe(ExitCode.Invalid);
    expect(facts.stderr).toContain('unknown');
  });

  it('usage errors exit 64 with the usage text', async () => {
    expect((await runCli(['plan'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['plan', '--envelope', 'x', '--mode', 'loud'])).code).toBe(ExitCode.Usage);
    expect((await runCli(['plan', '--envelope', 'x', '--deny', 'merge'])).code).toBe(ExitCode.Usage);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(ExitCode.Usage);
    expect(unknown.stderr).toContain('Usage: publish-gate');
  });

  it('--deny narrows: a denied kind is blocked, the rest still allowed', async () => {
    const out = JSON.parse((await runCli([...examplePlan, '--json', '--mode', 'live', '--deny', 'labels'])).stdout);
    expect(out.decision).toBe('published');
    const labels = out.plan.find((e: { kind: string }) => e.kind === 'labels');
    expect(labels).toMatchObject({ allowed: false, blocker: 'WRITE_KIND_DENIED' });
    expect(out.plan.filter((e: { allowed: boolean }) => e.allowed)).toHaveLength(3);
  });

  it('a SARIF file is accepted as findings input', async () => {
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'semgrep' } },
          results: [
            {
              ruleId: 'sql',
              level: 'error',
              message: { text: 'Unescaped input' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db/search.ts' }, region: { startLine: 41 } } }],
            },
          ],
        },
      ],
    };
    const out = JSON.parse((await runCli(['plan', '--envelope', tmpFile('scan.sarif', JSON.stringify(sarif)), '--evidence', ex('evidence.json'), '--config', ex('publish-gate.yml'), '--facts', ex('facts.json'), '--json'])).stdout);
    expect(out.blockers).toEqual([]);
    expect(out.findings.published).toBe(1);
    expect(out.plan.map((e: { kind: string }) => e.kind)).toEqual(['check-run', 'review', 'comment']);
  });
});

describe('publish-gate schema', () => {
  it.each(['envelope', 'evidence', 'config'])('prints the %s schema, equal to the committed file', async (name) => {
    const { code, stdout } = await runCli(['schema', name]);
    expect(code).toBe(ExitCode.Ok);
    expect(stdout).toBe(readFileSync(resolve(import.meta.dirname, `../schemas/${name}.schema.json`), 'utf8'));
  });

  it('refuses an unknown schema name', async () => {
    expect((await runCli(['schema', 'ledger'])).code).toBe(ExitCode.Usage);
  });
});
