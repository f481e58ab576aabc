import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envelopeFromText, evidenceFromText, isSarifName, policyFromText } from './documents.js';
import { Limits } from './limits.js';

const read = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const envelopeText = read('envelope.json');
const evidenceText = read('evidence.json');
const policyText = read('publish-gate.yml');

function failure<L extends { status: 'ok' | 'failed' }>(loaded: L): Extract<L, { status: 'failed' }> {
  if (loaded.status !== 'failed') throw new Error('expected a failure');
  return loaded as Extract<L, { status: 'failed' }>;
}

describe('the examples load', () => {
  it('envelope.json', () => {
    const loaded = envelopeFromText(envelopeText, 'envelope.json', 'file');
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok') return;
    expect(loaded.source).toBe('file');
    expect(loaded.value.format).toBe('envelope');
    if (loaded.value.format === 'envelope') expect(loaded.value.envelope.target.repository).toBe('octo/app');
  });

  it('evidence.json', () => {
    const loaded = evidenceFromText(evidenceText, 'evidence.json', 'artifact');
    expect(loaded).toMatchObject({ status: 'ok', source: 'artifact', value: { repository: 'octo/app' } });
  });

  it('publish-gate.yml', () => {
    const loaded = policyFromText(policyText, '.github/publish-gate.yml', 'api');
    expect(loaded).toMatchObject({ status: 'ok', source: 'api', value: { version: 1, mode: 'live' } });
  });

  it('the envelope and evidence of the examples are bound to each other', () => {
    const envelope = JSON.parse(envelopeText);
    const evidence = JSON.parse(evidenceText);
    expect(evidence.repository).toBe(envelope.target.repository);
    expect(evidence.headSha).toBe(envelope.target.headSha);
    expect(evidence.epoch).toBe(envelope.epoch);
  });
});

describe('failures carry a code and a readable message', () => {
  it('names the document and lists issues as `path: message`', () => {
    const envelope = JSON.parse(envelopeText);
    envelope.target.headSha = 'A'.repeat(40);
    envelope.extra = true;
    const loaded = failure(envelopeFromText(JSON.stringify(envelope), 'envelope.json', 'artifact'));
    expect(loaded.code).toBe('ENVELOPE_INVALID');
    expect(loaded.message).toMatch(/^envelope envelope\.json: /);
    expect(loaded.message).toContain('target.headSha: ');
    expect(loaded.message).toContain('extra: ');
    expect(loaded.message).toContain('; ');
  });

  it('uses EVIDENCE_INVALID for the evidence', () => {
    const evidence = JSON.parse(evidenceText);
    evidence.gates.push({ ...evidence.gates[0] });
    const loaded = failure(evidenceFromText(JSON.stringify(evidence), 'evidence.json', 'artifact'));
    expect(loaded.code).toBe('EVIDENCE_INVALID');
    expect(loaded.message).toBe('evidence evidence.json: gates: each gate name at most once');
  });

  it('uses CONFIG_INVALID for the policy', () => {
    const loaded = failure(policyFromText('version: 1\nrepositories: [octo/app]\n', 'p.yml', 'api'));
    expect(loaded.code).toBe('CONFIG_INVALID');
    expect(loaded.message).toMatch(/^policy p\.yml: approval: /);
  });

  it('caps the number of issues in a message', () => {
    const envelope = JSON.parse(envelopeText);
    envelope.findings = Array.from({ length: 50 }, () => ({ ...envelope.findings[0], severity: 'severe' }));
    const loaded = failure(envelopeFromText(JSON.stringify(envelope), 'envelope.json', 'artifact'));
    const parts = loaded.message.replace(/^envelope envelope\.json: /, '').split('; ');
    expect(parts).toHaveLength(Limits.maxIssues + 1);
    expect(parts.at(-1)).toBe(`… and ${50 - Limits.maxIssues} more issues`);
  });

  it('reports invalid JSON', () => {
    expect(failure(envelopeFromText('{"schema":', 'envelope.json', 'file')).message).toMatch(/^envelope envelope\.json: not valid JSON: /);
    expect(failure(evidenceFromText('', 'evidence.json', 'file')).message).toMatch(/^evidence evidence\.json: not valid JSON: /);
  });
});

describe('hostile input is refused before parsing', () => {
  it('an envelope over the size limit is ENVELOPE_INVALID without being parsed', () => {
    // Deliberately not JSON: if it were parsed, the message would be a parse error.
    const text = `{${' '.repeat(Limits.envelopeBytes)}`;
    const started = performance.now();
    const loaded = failure(envelopeFromText(text, 'envelope.json', 'artifact'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(loaded.code).toBe('ENVELOPE_INVALID');
    expect(loaded.message).toBe(`envelope envelope.json: document is larger than ${Limits.envelopeBytes} bytes`);
  });

  it('counts bytes, not characters', () => {
    // Fewer characters than the limit, more bytes (each é is two bytes in UTF-8).
    const text = `"${'é'.repeat(Limits.evidenceBytes / 2 + 1)}"`;
    expect(text.length).toBeLessThan(Limits.evidenceBytes);
    const loaded = failure(evidenceFromText(text, 'evidence.json', 'artifact'));
    expect(loaded.code).toBe('EVIDENCE_INVALID');
    expect(loaded.message).toContain(`larger than ${Limits.evidenceBytes} bytes`);
  });

  it('evidence over the size limit is EVIDENCE_INVALID', () => {
    const evidence = JSON.parse(evidenceText);
    evidence.padding = 'x'.repeat(Limits.evidenceBytes);
    const loaded = failure(evidenceFromText(JSON.stringify(evidence), 'evidence.json', 'artifact'));
    expect(loaded.code).toBe('EVIDENCE_INVALID');
    expect(loaded.message).toContain('larger than');
  });

  it('a policy over the size limit is CONFIG_INVALID', () => {
    const loaded = failure(policyFromText(`${policyText}#${'x'.repeat(Limits.policyBytes)}`, 'p.yml', 'api'));
    expect(loaded).toMatchObject({ code: 'CONFIG_INVALID', message: `policy p.yml: document is larger than ${Limits.policyBytes} bytes` });
  });

  it.each([
    ['envelope', (t: string) => envelopeFromText(t, 'envelope.json', 'artifact'), 'ENVELOPE_INVALID'],
    ['evidence', (t: string) => evidenceFromText(t, 'evidence.json', 'artifact'), 'EVIDENCE_INVALID'],
  ] as const)('%s nested 100,000 deep returns quickly without throwing', (_name, load, code) => {
    for (const text of ['['.repeat(100_000), `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`]) {
      const started = performance.now();
      const loaded = failure(load(text));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(loaded.code).toBe(code);
      expect(loaded.message).toContain(`nests deeper than ${Limits.maxDepth} levels`);
    }
  });

  it('replaces lone surrogates so agent text can be hashed and sent as UTF-8', () => {
    const text = envelopeText.replace('"summary": "', '"summary": "\\ud800 broken \\udfff ');
    expect(text).not.toBe(envelopeText);
    const loaded = envelopeFromText(text, 'envelope.json', 'artifact');
    expect(loaded.status).toBe('ok');
    if (loaded.status !== 'ok' || loaded.value.format !== 'envelope') return;
    const summary = loaded.value.envelope.summary!;
    expect(summary.startsWith('\uFFFD broken \uFFFD ')).toBe(true);
    expect(summary.isWellFormed()).toBe(true);
    expect(Buffer.from(summary, 'utf8').toString('utf8')).toBe(summary);
    expect(createHash('sha256').update(summary).digest('hex')).toHaveLength(64);
  });

  it('accepts a byte order mark', () => {
    expect(envelopeFromText(`\uFEFF${envelopeText}`, 'envelope.json', 'file').status).toBe('ok');
    expect(evidenceFromText(`\uFEFF${evidenceText}`, 'evidence.json', 'file').status).toBe('ok');
  });
});

describe('file names', () => {
  it('routes only .sarif and .sarif.json names to SARIF', () => {
    expect(['a.sarif', 'A.SARIF', 'dir/a.sarif.json'].every(isSarifName)).toBe(true);
    expect(['envelope.json', 'a.sarif.bak', 'sarif', 'a.sarifx'].some(isSarifName)).toBe(false);
  });
});
