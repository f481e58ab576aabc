import { describe, expect, it } from 'vitest';
import type { Plan } from '../decide/decide.js';
import { renderSummary } from './render.js';

const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    decision: 'published',
    mode: 'live',
    digest: `sha256:${'a'.repeat(64)}`,
    policySource: 'policy',
    entries: [],
    blockers: [],
    warnings: [],
    payloads: {},
    findings: { total: 0, published: 0, inline: 0, folded: 0, dropped: { 'unsafe-path': 0, 'denied-path': 0, severity: 0, confidence: 0, 'out-of-scope': 0, duplicate: 0 } },
    held: 0,
    ...over,
  }) as Plan;

describe('renderSummary: writes and ledger', () => {
  it('lists each write with its status, link and note; untrusted text stays text', () => {
    const md = renderSummary(plan(), {
      writes: [
        { kind: 'branch', status: 'done', url: 'https://github.com/octo/app/tree/agent/x', note: 'commit signed by GitHub (verified); CI does not run | <b>x</b>' },
        { kind: 'comment', status: 'failed', error: { code: 'AUTH_FAILED', message: 'Bad credentials\n::error::boom' } },
      ],
    });
    expect(md).toContain('### Writes');
    expect(md).toContain('| branch | done | https://github.com/octo/app/tree/agent/x |');
    expect(md).toContain('commit signed by GitHub \\(verified\\)');
    expect(md).not.toContain('<b>');
    expect(md).toContain('AUTH\\_FAILED: Bad credentials');
    // One table row per write: a newline in a message cannot open a new row or line.
    expect(md.split('\n').filter((l) => l.startsWith('| comment |'))).toHaveLength(1);
    expect(md).not.toMatch(/^::error::/m);
  });

  it('long notes are cut with an ellipsis; no writes, no table', () => {
    const md = renderSummary(plan(), { writes: [{ kind: 'comment', status: 'done', note: 'x'.repeat(1000) }] });
    expect(md).toContain(`${'x'.repeat(299)}…`);
    expect(renderSummary(plan(), { writes: [] })).not.toContain('### Writes');
  });

  it('says where the ledger went, or that it was not stored', () => {
    const stored = renderSummary(plan(), { ledger: { path: '/tmp/l.jsonl', persisted: true, artifactId: 9, cacheKey: 'publish-gate-ledger-v1-1-pr-2-3-1', restored: 'continuing the ledger of k' } });
    expect(stored).toContain('**Ledger:** `/tmp/l.jsonl`, stored: artifact 9, cache `publish-gate-ledger-v1-1-pr-2-3-1`. continuing the ledger of k.');
    expect(renderSummary(plan(), { ledger: { path: '/tmp/l.jsonl', persisted: false } })).toContain('not stored durably');
  });
});
