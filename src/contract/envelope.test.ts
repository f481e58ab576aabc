import { readFileSync } from 'node:fs';
import type * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { WRITE_KINDS } from './common.js';
import { Envelope } from './envelope.js';
import { Limits } from './limits.js';
import { validate } from './parse.js';

const exampleText = readFileSync(new URL('../../examples/envelope.json', import.meta.url), 'utf8');
/** A fresh, mutable copy of examples/envelope.json. */
const example = (): Record<string, any> => JSON.parse(exampleText);

const SHA = 'a'.repeat(40);

/** The example with every optional member present, so strictness can be probed at every level. */
function full(): Record<string, any> {
  const e = example();
  e.findings[0].fingerprint = 'fp-1';
  e.pullRequest = { title: 'Fix search', body: 'Body', draft: true };
  e.changes = {
    branch: 'agent/fix-123',
    message: 'Fix the query',
    files: [
      { path: 'a.ts', content: 'export {};\n', encoding: 'utf-8', mode: '100644' },
      { path: 'b.ts', deleted: true },
    ],
  };
  e.status = { state: 'success', description: 'ok' };
  e.warnings = ['careful'];
  e.redactions = [{ kind: 'github-token', count: 1 }];
  return e;
}

const parse = (value: unknown) => validate(Envelope, value);

function expectInvalid(value: unknown, pathPrefix?: string): string[] {
  const result = parse(value);
  expect(result.ok).toBe(false);
  if (result.ok) return [];
  if (pathPrefix !== undefined) expect(result.issues.some((line) => line.startsWith(`${pathPrefix}:`) || line.startsWith(`${pathPrefix}.`)), result.issues.join('\n')).toBe(true);
  return result.issues;
}

function expectValid(value: unknown): v.InferOutput<typeof Envelope> {
  const result = parse(value);
  if (!result.ok) throw new Error(`expected valid, got:\n${result.issues.join('\n')}`);
  return result.value;
}

describe('Envelope: the example', () => {
  it('parses examples/envelope.json', () => {
    const envelope = expectValid(example());
    expect(envelope.schema).toBe('publish-gate/envelope@1');
    expect(envelope.target.headSha).toBe('3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39');
    expect(envelope.intent).toEqual(['comment', 'review', 'check-run', 'labels']);
    expect(envelope.findings).toHaveLength(6);
  });

  it('parses the example with every optional member present', () => {
    const envelope = expectValid(full());
    expect(envelope.changes?.files).toHaveLength(2);
  });

  it('accepts the minimal envelope and defaults findings to []', () => {
    const e = example();
    const minimal = { schema: e.schema, task: { id: 't', status: 'succeeded' }, target: e.target, epoch: e.epoch, intent: [] };
    const envelope = expectValid(minimal);
    expect(envelope.findings).toEqual([]);
  });

  it('rejects another schema identifier', () => {
    for (const schema of ['publish-gate/envelope@2', 'publish-gate/evidence@1', '', undefined]) {
      expectInvalid({ ...example(), schema }, 'schema');
    }
  });

  it('rejects non-object documents', () => {
    for (const value of [null, 42, 'envelope', [], true]) expectInvalid(value);
  });
});

describe('Envelope: unknown members are rejected at every level', () => {
  const cases: [string, (e: Record<string, any>) => void][] = [
    ['extra', (e) => (e.extra = 1)],
    ['task.extra', (e) => (e.task.extra = 1)],
    ['target.extra', (e) => (e.target.extra = 1)],
    ['findings.0.extra', (e) => (e.findings[0].extra = 1)],
    ['pullRequest.extra', (e) => (e.pullRequest.extra = 1)],
    ['changes.extra', (e) => (e.changes.extra = 1)],
    ['changes.files.0', (e) => (e.changes.files[0].extra = 1)],
    ['changes.files.1', (e) => (e.changes.files[1].extra = 1)],
    ['status.extra', (e) => (e.status.extra = 1)],
    ['checkRun.extra', (e) => (e.checkRun.extra = 1)],
    ['memory.0.extra', (e) => (e.memory[0].extra = 1)],
    ['redactions.0.extra', (e) => (e.redactions[0].extra = 1)],
  ];
  it.each(cases)('%s', (path, mutate) => {
    const e = full();
    mutate(e);
    expectInvalid(e, path);
  });

  it('rejects a prototype-looking member', () => {
    expectInvalid(JSON.parse(`{${exampleText.trim().slice(1, -1)}, "__proto__": {"x": 1}}`));
  });

  it('rejects a misspelled member instead of ignoring it', () => {
    const e = example();
    e.finding = e.findings;
    delete e.findings;
    expectInvalid(e, 'finding');
  });
});

describe('Envelope: SHAs, repositories, refs', () => {
  it.each(['baseSha', 'headSha'])('%s must be 40 lowercase hex characters', (key) => {
    const ok = example();
    ok.target[key] = '0123456789abcdef0123456789abcdef01234567';
    expectValid(ok);
    for (const bad of [
      SHA.toUpperCase(),
      `${'a'.repeat(39)}A`,
      'a'.repeat(39),
      'a'.repeat(41),
      'g'.repeat(40),
      ` ${'a'.repeat(39)}`,
      `${SHA}\n`,
      '',
      40,
    ]) {
      const e = example();
      e.target[key] = bad;
      expectInvalid(e, `target.${key}`);
    }
  });

  it('accepts owner/name repositories', () => {
    for (const repository of ['octo/app', 'a/b', 'Octo-Org/app.js_x', `${'o'.repeat(39)}/x`, `o/${'n'.repeat(100)}`, 'o1/.github']) {
      const e = example();
      e.target.repository = repository;
      expectValid(e);
    }
  });

  it('rejects anything that is not owner/name', () => {
    for (const repository of [
      'octo',
      'octo/app/extra',
      '/app',
      'octo/',
      '-octo/app',
      'oc to/app',
      'octo/a pp',
      `${'o'.repeat(40)}/x`,
      `o/${'n'.repeat(101)}`,
      'octo_org/app',
      'https://github.com/octo/app',
      'octo/app\n',
    ]) {
      const e = example();
      e.target.repository = repository;
      expectInvalid(e, 'target.repository');
    }
  });

  it('accepts git ref names and rejects what git refuses', () => {
    for (const ref of ['main', 'feature/x', 'release-1.2', 'agent/fix-123', 'a.b']) {
      const e = example();
      e.target.headRef = ref;
      expectValid(e);
    }
    for (const ref of ['', '-x', '/x', 'x/', 'a..b', 'a//b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', 'x.lock', 'a\u0001', 'r'.repeat(256)]) {
      const e = example();
      e.target.headRef = ref;
      expectInvalid(e, 'target.headRef');
    }
  });

  it('bounds the pull request number', () => {
    for (const pullRequest of [0, -1, 1.5, 2 ** 31, '42']) {
      const e = example();
      e.target.pullRequest = pullRequest;
      expectInvalid(e, 'target.pullRequest');
    }
    const e = example();
    delete e.target.pullRequest;
    expectValid(e);
  });
});

describe('Envelope: task, epoch and intent', () => {
  it('accepts only the four task statuses', () => {
    for (const status of ['succeeded', 'failed', 'partial', 'cancelled']) {
      const e = example();
      e.task.status = status;
      expectValid(e);
    }
    for (const status of ['success', 'SUCCEEDED', '', null]) {
      const e = example();
      e.task.status = status;
      expectInvalid(e, 'task.status');
    }
  });

  it('requires a non-empty, bounded task id without control characters', () => {
    for (const id of ['', 'x'.repeat(Limits.id + 1), 'a\nb', 'a\u0085b']) {
      const e = example();
      e.task.id = id;
      expectInvalid(e, 'task.id');
    }
  });

  it('requires a non-empty, bounded epoch without control characters', () => {
    for (const epoch of ['', 'e'.repeat(Limits.epoch + 1), 'a\tb']) {
      const e = example();
      e.epoch = epoch;
      expectInvalid(e, 'epoch');
    }
  });

  it('accepts every write kind once, and only write kinds', () => {
    const e = example();
    e.intent = [...WRITE_KINDS];
    expectValid(e);
    for (const intent of [['comment', 'comment'], ['merge'], ['approve'], ['Comment'], 'comment', [...WRITE_KINDS, 'comment']]) {
      const bad = example();
      bad.intent = intent;
      expectInvalid(bad, 'intent');
    }
  });

  it('requires intent', () => {
    const e = example();
    delete e.intent;
    expectInvalid(e, 'intent');
  });
});

describe('Envelope: findings', () => {
  it('accepts 10,000 findings and rejects 10,001', () => {
    const finding = example().findings[0];
    const e = example();
    e.findings = Array.from({ length: Limits.findings }, () => finding);
    expectValid(e);
    e.findings.push(finding);
    expectInvalid(e, 'findings');
  });

  it('accepts every severity and nothing else', () => {
    for (const severity of ['critical', 'high', 'medium', 'low', 'info']) {
      const e = example();
      e.findings[0].severity = severity;
      expectValid(e);
    }
    for (const severity of ['warning', 'error', 'HIGH', '']) {
      const e = example();
      e.findings[0].severity = severity;
      expectInvalid(e, 'findings.0.severity');
    }
  });

  it('bounds confidence to [0, 1]', () => {
    for (const confidence of [0, 1, 0.5]) {
      const e = example();
      e.findings[0].confidence = confidence;
      expectValid(e);
    }
    for (const confidence of [-0.01, 1.01, '0.9', null]) {
      const e = example();
      e.findings[0].confidence = confidence;
      expectInvalid(e, 'findings.0.confidence');
    }
  });

  it('requires positive integer lines with endLine at or after startLine', () => {
    for (const [startLine, endLine, path] of [
      [0, undefined, 'startLine'],
      [1.5, undefined, 'startLine'],
      [Limits.line + 1, undefined, 'startLine'],
      [10, 0, 'endLine'],
    ] as const) {
      const e = example();
      e.findings[0].startLine = startLine;
      e.findings[0].endLine = endLine;
      expectInvalid(e, `findings.0.${path}`);
    }
    const backwards = example();
    backwards.findings[0].startLine = 10;
    backwards.findings[0].endLine = 9;
    expect(expectInvalid(backwards).join('\n')).toContain('endLine at or after startLine');
    const same = example();
    same.findings[0].startLine = 10;
    same.findings[0].endLine = 10;
    expectValid(same);
  });

  it('requires the finding members and bounds their text', () => {
    for (const key of ['ruleId', 'severity', 'confidence', 'path', 'startLine', 'title']) {
      const e = example();
      delete e.findings[0][key];
      expectInvalid(e, `findings.0.${key}`);
    }
    for (const [key, value] of [
      ['ruleId', ''],
      ['ruleId', 'r'.repeat(Limits.name + 1)],
      ['title', ''],
      ['title', 'multi\nline'],
      ['title', 't'.repeat(Limits.shortText + 1)],
      ['path', ''],
      ['path', 'a\u0000b'],
      ['path', 'p'.repeat(Limits.path + 1)],
      ['body', 'b'.repeat(64 * 1024 + 1)],
      ['evidence', 'b'.repeat(64 * 1024 + 1)],
      ['suggestedValidation', 'b'.repeat(16 * 1024 + 1)],
      ['fingerprint', ''],
      ['fingerprint', 'f'.repeat(Limits.name + 1)],
    ] as const) {
      const e = example();
      e.findings[0][key] = value;
      expectInvalid(e, `findings.0.${key}`);
    }
  });

  it('lets Markdown bodies carry newlines', () => {
    const e = example();
    e.findings[0].body = 'line one\n\n```ts\ncode\n```\r\n';
    expectValid(e);
  });
});

describe('Envelope: bounded texts and lists', () => {
  it('bounds labels: at most 100, each 1–50 characters, no duplicates, no control characters', () => {
    const ok = example();
    ok.labels = Array.from({ length: Limits.labels }, (_, i) => `label-${i}`);
    ok.labels[0] = 'l'.repeat(50);
    expectValid(ok);
    const tooMany = example();
    tooMany.labels = Array.from({ length: Limits.labels + 1 }, (_, i) => `label-${i}`);
    expectInvalid(tooMany, 'labels');
    for (const labels of [['l'.repeat(51)], [''], ['a\nb'], ['dup', 'dup'], [1]]) {
      const e = example();
      e.labels = labels;
      expectInvalid(e);
    }
  });

  it('bounds summary, warnings, memory and redactions', () => {
    const cases: [string, (e: Record<string, any>) => void][] = [
      ['summary', (e) => (e.summary = 's'.repeat(Limits.summary + 1))],
      ['warnings', (e) => (e.warnings = Array.from({ length: Limits.warnings + 1 }, () => 'w'))],
      ['warnings.0', (e) => (e.warnings = ['w'.repeat(Limits.shortText + 1)])],
      ['memory', (e) => (e.memory = Array.from({ length: Limits.memory + 1 }, () => ({ key: 'k', value: 'v' })))],
      ['memory.0.value', (e) => (e.memory = [{ key: 'k', value: 'v'.repeat(16 * 1024 + 1) }])],
      ['memory.0.key', (e) => (e.memory = [{ key: '', value: 'v' }])],
      ['redactions', (e) => (e.redactions = Array.from({ length: 101 }, () => ({ kind: 'k', count: 1 })))],
      ['redactions.0.count', (e) => (e.redactions = [{ kind: 'k', count: -1 }])],
      ['redactions.0.count', (e) => (e.redactions = [{ kind: 'k', count: 1.5 }])],
    ];
    for (const [path, mutate] of cases) {
      const e = example();
      mutate(e);
      expectInvalid(e, path);
    }
    const ok = example();
    ok.summary = 's'.repeat(Limits.summary);
    expectValid(ok);
  });

  it('bounds the pull request, status and check run texts', () => {
    const cases: [string, (e: Record<string, any>) => void][] = [
      ['pullRequest.title', (e) => (e.pullRequest = { title: '' })],
      ['pullRequest.title', (e) => (e.pullRequest = { title: 't'.repeat(257) })],
      ['pullRequest.body', (e) => (e.pullRequest = { title: 't', body: 'b'.repeat(Limits.body + 1) })],
      ['pullRequest.draft', (e) => (e.pullRequest = { title: 't', draft: 'yes' })],
      ['status.state', (e) => (e.status = { state: 'ok' })],
      ['status.description', (e) => (e.status = { state: 'success', description: 'd'.repeat(141) })],
      ['checkRun.conclusion', (e) => (e.checkRun = { conclusion: 'cancelled' })],
      ['checkRun.title', (e) => (e.checkRun = { conclusion: 'neutral', title: '' })],
      ['checkRun.summary', (e) => (e.checkRun = { conclusion: 'neutral', summary: 's'.repeat(Limits.body + 1) })],
    ];
    for (const [path, mutate] of cases) {
      const e = example();
      mutate(e);
      expectInvalid(e, path);
    }
  });

  it('defaults a pull request to draft', () => {
    const e = example();
    e.pullRequest = { title: 'Fix' };
    expect(expectValid(e).pullRequest).toEqual({ title: 'Fix', draft: true });
  });
});

describe('Envelope: change files', () => {
  const withFiles = (files: unknown[], extra: Record<string, unknown> = {}) => {
    const e = example();
    e.changes = { branch: 'agent/fix-1', message: 'Fix', files, ...extra };
    return e;
  };

  it('defaults encoding to utf-8 and mode to 100644', () => {
    const envelope = expectValid(withFiles([{ path: 'a.ts', content: 'x' }]));
    expect(envelope.changes?.files[0]).toEqual({ path: 'a.ts', content: 'x', encoding: 'utf-8', mode: '100644' });
  });

  it('accepts executable files and deletions', () => {
    expectValid(withFiles([{ path: 'run.sh', content: '#!/bin/sh\n', mode: '100755' }, { path: 'old.ts', deleted: true }]));
  });

  it('accepts valid base64 content', () => {
    for (const content of ['', 'AAAA', 'AAE=', 'AA==', Buffer.from([0, 1, 2, 255, 254]).toString('base64'), Buffer.from('héllo\u0000').toString('base64')]) {
      expectValid(withFiles([{ path: 'bin.dat', content, encoding: 'base64' }]));
    }
  });

  it('rejects content that is not base64 when encoding is base64', () => {
    for (const content of ['A', 'AAA', 'AAAAA', 'A===', '====', 'AA=A', 'AA AA', 'AA\nAA', '!!!!', 'AA-_', 'héllo']) {
      expect(expectInvalid(withFiles([{ path: 'bin.dat', content, encoding: 'base64' }])).join('\n')).toContain('base64');
    }
  });

  it('rejects NUL characters in utf-8 text', () => {
    for (const encoding of [undefined, 'utf-8']) {
      const issues = expectInvalid(withFiles([{ path: 'a.txt', content: 'a\u0000b', ...(encoding ? { encoding } : {}) }]));
      expect(issues.join('\n')).toContain('NUL');
    }
  });

  it('rejects other encodings', () => {
    expectInvalid(withFiles([{ path: 'a.txt', content: 'x', encoding: 'latin1' }]));
  });

  it('rejects symlinks (120000), submodules (160000) and other modes', () => {
    for (const mode of ['120000', '160000', '040000', '100664', 100644, '']) {
      expectInvalid(withFiles([{ path: 'link', content: 'target', mode }]));
    }
  });

  it('rejects duplicate paths, including a write and a delete of one path', () => {
    const dupe = expectInvalid(
      withFiles([
        { path: 'a.ts', content: 'x' },
        { path: 'a.ts', content: 'y' },
      ]),
    );
    expect(dupe.join('\n')).toContain('each path at most once');
    expectInvalid(withFiles([{ path: 'a.ts', content: 'x' }, { path: 'a.ts', deleted: true }]), 'changes.files');
  });

  it('rejects a file that is both written and deleted, or neither', () => {
    expectInvalid(withFiles([{ path: 'a.ts', content: 'x', deleted: true }]));
    expectInvalid(withFiles([{ path: 'a.ts' }]));
    expectInvalid(withFiles([{ path: 'a.ts', deleted: false }]));
  });

  it('requires 1 to 300 files, a branch and a message', () => {
    expectInvalid(withFiles([]), 'changes.files');
    expectInvalid(
      withFiles(Array.from({ length: Limits.changeFiles + 1 }, (_, i) => ({ path: `f${i}`, content: '' }))),
      'changes.files',
    );
    expectValid(withFiles(Array.from({ length: Limits.changeFiles }, (_, i) => ({ path: `f${i}`, content: '' }))));
    expectInvalid(withFiles([{ path: 'a', content: '' }], { message: '' }), 'changes.message');
    expectInvalid(withFiles([{ path: 'a', content: '' }], { branch: 'bad..branch' }), 'changes.branch');
  });

  it('bounds the content of one file', () => {
    const max = Math.ceil((Limits.changeFileBytes * 4) / 3) + 4;
    expectValid(withFiles([{ path: 'a', content: 'x'.repeat(max) }]));
    expectInvalid(withFiles([{ path: 'a', content: 'x'.repeat(max + 1) }]), 'changes.files.0.content');
  });
});
