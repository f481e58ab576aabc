import { describe, expect, it } from 'vitest';
import { Limits } from './markdown/index.js';
import { ContentPipeline } from './pipeline.js';
import { createRedactor } from './redact/index.js';

const secret = 'registered-secret-value-123456';
const pipeline = () => new ContentPipeline(createRedactor({ secrets: [secret] }));

describe('ContentPipeline', () => {
  it('sanitizes before redacting: a secret split by an HTML comment or invisible characters is still caught', async () => {
    const content = pipeline();
    const split = `${secret.slice(0, 10)}<!-- x -->${secret.slice(10)} and ${secret.slice(0, 5)}\u200b${secret.slice(5)}`;
    const out = await content.markdown(split, Limits.body);
    expect(out).not.toContain(secret);
    expect(out).not.toContain('<!--');
    expect(content.report.redactions['known-secret']).toBe(2);
    expect(content.report.neutralized['html-comment']).toBeGreaterThan(0);
  });

  it('redacts before truncating, so a cut never leaves part of a secret', async () => {
    const text = `${'a '.repeat(40)}${secret}`;
    const out = await pipeline().markdown(text, { chars: 100, bytes: 100 });
    expect(out).not.toContain(secret.slice(0, 12));
    expect([...out].length).toBeLessThanOrEqual(100);
  });

  it('puts only a real marker line in front of a safe body', async () => {
    const content = pipeline();
    const body = await content.markdown('hello', Limits.body);
    const marker = `<!-- publish-gate v1 key=${'a'.repeat(32)} mac=none -->`;
    expect(content.marked(marker, body)).toBe(`${marker}\n${body}`);
    expect(body.trim()).toBe('hello');
    expect(() => content.marked('<!-- publish-gate v1 key=x mac=none --> @everyone', body)).toThrow(/marker/);
    expect(() => content.marked(`${marker}\n@org/team`, body)).toThrow(/marker/);
  });

  it('json redacts every string of a value and keeps it valid JSON', async () => {
    const out = await pipeline().json({ a: [`x ${secret}"\\`], b: 1 });
    expect(JSON.parse(out).a[0]).toMatch(/^x \[REDACTED:known-secret\]"\\$/);
  });

  it('log lines cannot form workflow commands', async () => {
    const line = await pipeline().logLine('::stop-commands::abc\n::error::x');
    expect(line).not.toMatch(/(^|\n)::/);
    expect(line).not.toContain('\n');
  });
});
