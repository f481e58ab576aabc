import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DURATION, WRITE_KINDS, type WriteKind, durationSeconds } from './common.js';
import { policyFromText } from './documents.js';
import { Limits } from './limits.js';
import { parseYaml, validate } from './parse.js';
import { Policy } from './policy.js';

const exampleText = readFileSync(new URL('../../examples/publish-gate.yml', import.meta.url), 'utf8');

const MINIMAL = 'version: 1\nrepositories: [octo/app]\napproval: none\n';

function load(text: string) {
  return policyFromText(text, 'publish-gate.yml', 'file');
}

function expectPolicy(text: string): Policy {
  const loaded = load(text);
  if (loaded.status !== 'ok') throw new Error(`expected a valid policy, got: ${loaded.message}`);
  return loaded.value;
}

function expectInvalid(text: string, needle?: string): string {
  const loaded = load(text);
  expect(loaded.status).toBe('failed');
  if (loaded.status !== 'failed') return '';
  expect(loaded.code).toBe('CONFIG_INVALID');
  expect(loaded.message.startsWith('policy publish-gate.yml: ')).toBe(true);
  if (needle !== undefined) expect(loaded.message).toContain(needle);
  return loaded.message;
}

function validObject(value: unknown): Policy {
  const result = validate(Policy, value);
  if (!result.ok) throw new Error(result.issues.join('\n'));
  return result.value;
}

function invalidObject(value: unknown, pathPrefix: string): string[] {
  const result = validate(Policy, value);
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  expect(
    result.issues.some((line) => line.startsWith(`${pathPrefix}:`) || line.startsWith(`${pathPrefix}.`)),
    result.issues.join('\n'),
  ).toBe(true);
  return result.issues;
}

const base = () => ({ version: 1, repositories: ['octo/app'], approval: 'none' }) as Record<string, any>;

/** Whether the parsed policy permits a write kind at all (the engine's reading, restated for the test). */
function permits(policy: Policy, kind: WriteKind): boolean {
  const w = policy.writes;
  switch (kind) {
    case 'comment':
      return w.comment === 'allow';
    case 'review':
      return w.review !== 'deny';
    case 'check-run':
      return w['check-run'] === 'allow';
    case 'status':
      return w.status === 'allow';
    case 'labels':
      return w.labels.length > 0;
    case 'pull-request':
      return w['pull-request'].create === 'allow' || w['pull-request'].update === 'allow';
    case 'branch':
      return w.branch.create === 'allow';
  }
}

describe('Policy: the example', () => {
  it('parses examples/publish-gate.yml', () => {
    const policy = expectPolicy(exampleText);
    expect(policy.mode).toBe('live');
    expect(policy.repositories).toEqual(['octo/app']);
    expect(policy.gates).toEqual({
      required: ['verification', 'internal-review'],
      'max-age': '24h',
      'confirm-check-runs': { verification: 'ci / test' },
    });
    expect(policy.approval).toEqual({ environment: 'agent-publish', 'forbid-self-approval': true, 'require-safe-environment': true });
    expect(policy.writes.review).toBe('comment');
    expect(policy.writes['pull-request']).toEqual({ create: 'allow', update: 'allow', 'draft-only': true });
    expect(policy.writes.branch).toEqual({ create: 'allow', prefix: 'agent/', 'deny-paths': ['.github/**'] });
    expect(policy.triggers).toEqual({ events: ['pull_request', 'workflow_run'], actors: ['*'] });
  });
});

describe('Policy: defaults', () => {
  it('defaults mode to dry-run', () => {
    expect(expectPolicy(MINIMAL).mode).toBe('dry-run');
  });

  it('denies every write kind by default', () => {
    const policy = expectPolicy(MINIMAL);
    for (const kind of WRITE_KINDS) expect(permits(policy, kind), kind).toBe(false);
    expect(policy.writes).toEqual({
      comment: 'deny',
      review: 'deny',
      'check-run': 'deny',
      status: 'deny',
      labels: [],
      'pull-request': { create: 'deny', update: 'deny', 'draft-only': true },
      branch: { create: 'deny', prefix: 'agent/', 'deny-paths': [] },
    });
  });

  it('denies every write kind not named in a partial writes section', () => {
    const policy = expectPolicy(`${MINIMAL}writes:\n  comment: allow\n  pull-request: {}\n  branch: { prefix: "bot/" }\n`);
    for (const kind of WRITE_KINDS) expect(permits(policy, kind), kind).toBe(kind === 'comment');
    expect(policy.writes['pull-request']['draft-only']).toBe(true);
    expect(policy.writes.branch).toEqual({ create: 'deny', prefix: 'bot/', 'deny-paths': [] });
  });

  it('fills the other sections with safe defaults', () => {
    const policy = expectPolicy(MINIMAL);
    expect(policy.branches).toEqual({ base: ['**'], head: ['**'] });
    expect(policy.triggers).toBeUndefined();
    expect(policy.gates).toEqual({ required: [], 'max-age': '24h', 'confirm-check-runs': {} });
    expect(policy.findings).toEqual({ 'min-severity': 'low', 'min-confidence': 0, 'max-inline': 30, scope: 'diff', 'deny-paths': [] });
    expect(policy.content).toEqual({ 'allowed-mentions': [], 'allowed-domains': ['github.com'] });
    expect(policy.limits).toEqual({ 'max-writes': 20 });
  });

  it('defaults the approval safety switches to on', () => {
    const policy = expectPolicy('version: 1\nrepositories: [octo/app]\napproval:\n  environment: agent-publish\n');
    expect(policy.approval).toEqual({ environment: 'agent-publish', 'forbid-self-approval': true, 'require-safe-environment': true });
  });
});

describe('Policy: approval must be written down', () => {
  it('rejects a policy without approval', () => {
    expectInvalid('version: 1\nrepositories: [octo/app]\n', 'approval');
  });

  it('accepts approval: none written explicitly', () => {
    expect(expectPolicy(MINIMAL).approval).toBe('none');
  });

  it('rejects look-alikes of none and empty approvals', () => {
    for (const approval of ['None', 'NONE', 'false', '~', 'null', '""', '{}', '[]', '{ environment: "" }']) {
      expectInvalid(`version: 1\nrepositories: [octo/app]\napproval: ${approval}\n`, 'approval');
    }
    expectInvalid('version: 1\nrepositories: [octo/app]\napproval:\n', 'approval');
  });

  it('rejects unknown approval keys', () => {
    invalidObject({ ...base(), approval: { environment: 'e', reviewers: ['x'] } }, 'approval');
  });
});

describe('Policy: structure', () => {
  it('requires version 1', () => {
    for (const version of [2, '1', 0, undefined]) invalidObject({ ...base(), version }, 'version');
  });

  it('accepts only the three modes', () => {
    for (const mode of ['off', 'dry-run', 'live']) expect(validObject({ ...base(), mode }).mode).toBe(mode);
    for (const mode of ['Live', 'dryrun', 'on', true]) invalidObject({ ...base(), mode }, 'mode');
  });

  it('requires at least one owner/name repository', () => {
    invalidObject({ ...base(), repositories: [] }, 'repositories');
    invalidObject({ ...base(), repositories: ['octo'] }, 'repositories');
    invalidObject({ ...base(), repositories: ['octo/*'] }, 'repositories');
    const missing = base();
    delete missing.repositories;
    invalidObject(missing, 'repositories');
  });

  const unknownKeys: [string, (p: Record<string, any>) => void][] = [
    ['extra', (p) => (p.extra = 1)],
    ['branches', (p) => (p.branches = { base: ['main'], heads: ['x'] })],
    ['triggers', (p) => (p.triggers = { event: ['push'] })],
    ['gates', (p) => (p.gates = { required: [], maxAge: '1h' })],
    ['writes', (p) => (p.writes = { merge: 'allow' })],
    ['writes', (p) => (p.writes = { approve: 'allow' })],
    ['writes.pull-request', (p) => (p.writes = { 'pull-request': { create: 'allow', merge: 'allow' } })],
    ['writes.branch', (p) => (p.writes = { branch: { create: 'allow', force: true } })],
    ['findings', (p) => (p.findings = { 'min-severity': 'low', severity: 'x' })],
    ['content', (p) => (p.content = { 'allowed-users': [] })],
    ['limits', (p) => (p.limits = { 'max-comments': 1 })],
    ['approval', (p) => (p.approval = { environment: 'e', bypass: true })],
    ];
  it.each(unknownKeys)('rejects unknown keys (%s)', (path, mutate) => {
    const policy = base();
    mutate(policy);
    invalidObject(policy, path);
  });

  it('never allows approving reviews', () => {
    invalidObject({ ...base(), writes: { review: 'approve' } }, 'writes.review');
    for (const review of ['deny', 'comment', 'request-changes']) expect(validObject({ ...base(), writes: { review } }).writes.review).toBe(review);
  });

  it('accepts only allow or deny for the simple kinds', () => {
    for (const kind of ['comment', 'check-run', 'status']) {
      invalidObject({ ...base(), writes: { [kind]: true } }, `writes.${kind}`);
      invalidObject({ ...base(), writes: { [kind]: 'yes' } }, `writes.${kind}`);
    }
  });

  it('bounds findings thresholds', () => {
    invalidObject({ ...base(), findings: { 'min-confidence': 1.5 } }, 'findings.min-confidence');
    invalidObject({ ...base(), findings: { 'min-severity': 'warning' } }, 'findings.min-severity');
    invalidObject({ ...base(), findings: { 'max-inline': -1 } }, 'findings.max-inline');
    invalidObject({ ...base(), findings: { 'max-inline': 1001 } }, 'findings.max-inline');
    invalidObject({ ...base(), findings: { scope: 'everything' } }, 'findings.scope');
    invalidObject({ ...base(), limits: { 'max-writes': Limits.maxWrites + 1 } }, 'limits.max-writes');
  });

  it('bounds lists and labels', () => {
    invalidObject({ ...base(), branches: { base: Array.from({ length: Limits.globs + 1 }, () => 'x') } }, 'branches.base');
    invalidObject({ ...base(), branches: { base: [''] } }, 'branches.base.0');
    invalidObject({ ...base(), writes: { labels: ['l'.repeat(51)] } }, 'writes.labels.0');
    invalidObject({ ...base(), writes: { labels: Array.from({ length: Limits.labels + 1 }, (_, i) => `l${i}`) } }, 'writes.labels');
    invalidObject({ ...base(), gates: { required: ['a', 'a'] } }, 'gates.required');
    invalidObject({ ...base(), triggers: { events: ['Pull Request'] } }, 'triggers.events.0');
  });
});

describe('Policy: durations', () => {
  const maxAge = (value: unknown) => ({ ...base(), gates: { 'max-age': value } });

  it.each(['24h', '30m', '7d', '1h30m', '90d', '1w', '45s', '12w6d', '2160h'])('accepts %s', (value) => {
    expect(validObject(maxAge(value)).gates['max-age']).toBe(value);
  });

  it.each(['0h', '0m0s', '24', '1y', '91d', '13w', '2161h', '', 'h', '-1h', '1.5h', '1H', ' 1h', '1h ', '1h 30m', '1h1h1h1h1h1h', 24])('rejects %s', (value) => {
    invalidObject(maxAge(value), 'gates.max-age');
  });

  it('computes seconds', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('7d')).toBe(7 * 86400);
    expect(durationSeconds('1w2d3h4m5s')).toBe(604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
    expect(DURATION.test('1h30m')).toBe(true);
  });

  it('reads durations from YAML as text', () => {
    expect(expectPolicy(`${MINIMAL}gates:\n  max-age: 1h30m\n`).gates['max-age']).toBe('1h30m');
    // A bare number is a YAML integer, not a duration.
    expectInvalid(`${MINIMAL}gates:\n  max-age: 24\n`, 'gates.max-age');
  });
});

describe('Policy: YAML safety', () => {
  it('rejects duplicate keys', () => {
    expectInvalid(`${MINIMAL}mode: live\nmode: dry-run\n`, 'not valid YAML');
    expectInvalid(`${MINIMAL}writes:\n  comment: deny\n  comment: allow\n`, 'not valid YAML');
  });

  it('refuses an alias bomb quickly', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    // Ten levels of ten aliases each: 10^10 nodes if expanded.
    const bomb = `${MINIMAL}${lines.join('\n')}\nbomb: *a9\n`;
    const started = performance.now();
    const message = expectInvalid(bomb, 'not valid YAML');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(message).toMatch(/resource exhaustion/i);
  });

  it('refuses a deep alias chain without hanging', () => {
    const lines = ['a0: &a0 x'];
    for (let i = 1; i <= 60; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    const started = performance.now();
    const message = expectInvalid(`${MINIMAL}${lines.join('\n')}\n`, 'not valid YAML');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(message).toMatch(/resource exhaustion/i);
  });

  it('reports multiple documents readably', () => {
    const message = expectInvalid(`${MINIMAL}---\n${MINIMAL}`, 'not valid YAML');
    expect(message).not.toContain('\n');
  });

  it('reports invalid YAML readably', () => {
    for (const text of ['version: [1\n', 'a: b: c\n', 'version: 1\n  repositories: x\n bad', '"unterminated\n', '\tversion: 1\n']) {
      const message = expectInvalid(text, 'not valid YAML');
      expect(message).not.toContain('\n');
      expect(message.length).toBeLessThan(5000);
    }
  });

  it('rejects documents that are not a mapping', () => {
    for (const text of ['', '# only a comment\n', '42\n', '- a\n- b\n', 'just text\n']) expectInvalid(text);
  });

  it('rejects an oversized policy before parsing it', () => {
    const text = `${MINIMAL}# ${'x'.repeat(Limits.policyBytes)}\n`;
    expectInvalid(text, `larger than ${Limits.policyBytes} bytes`);
  });

  it('refuses deep nesting', () => {
    const deep = `${MINIMAL}extra: ${'['.repeat(Limits.maxDepth + 5)}${']'.repeat(Limits.maxDepth + 5)}\n`;
    expectInvalid(deep, 'nests deeper');
  });

  it('does not resolve YAML 1.1 booleans or custom tags into values', () => {
    // `yes` is a string in YAML 1.2, so it cannot pass for `true`.
    expectInvalid(`${MINIMAL}writes:\n  pull-request: { draft-only: yes }\n`, 'writes.pull-request.draft-only');
    const tagged = parseYaml('a: !!js/function "function () {}"\n', Limits.policyBytes);
    if (tagged.ok) expect(typeof (tagged.value as Record<string, unknown>).a).toBe('string');
  });

  it('strips a byte order mark', () => {
    expect(expectPolicy(`\uFEFF${MINIMAL}`).approval).toBe('none');
  });
});
