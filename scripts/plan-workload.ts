/**
 * The plan-throughput workload, shared by `bench-plan.ts` and `bench-compare.ts`: envelopes of
 * 10,000 findings and about 12 MB, and one run of a tree's code over one of them (parse, decide,
 * then render every body the action would send: comment, review, check run with its annotations,
 * through the content pipeline). The code is loaded from a tree's `src/` by path, so that two
 * revisions can run the same workload side by side in one process.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type * as Documents from '../src/contract/documents.js';
import type * as Pipeline from '../src/content/pipeline.js';
import type * as Redact from '../src/content/redact/index.js';
import type * as Assumed from '../src/decide/assumed.js';
import type * as Decide from '../src/decide/decide.js';
import type * as Render from '../src/github/render.js';

export type PlanModules = typeof Documents & typeof Pipeline & typeof Redact & typeof Assumed & typeof Decide & typeof Render;

export const ROOT = resolve(import.meta.dirname, '..');

/** The modules of the tree at `root` (this one by default). */
export async function loadPlanModules(root = ROOT): Promise<PlanModules> {
  const parts = await Promise.all(
    ['contract/documents', 'content/pipeline', 'content/redact/index', 'decide/assumed', 'decide/decide', 'github/render'].map(
      (name) => import(pathToFileURL(join(root, 'src', `${name}.ts`)).href) as Promise<object>,
    ),
  );
  return Object.assign({}, ...parts) as PlanModules;
}

const read = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');
const example = JSON.parse(read('envelope.json')) as { findings: Record<string, unknown>[] } & Record<string, unknown>;
const facts = JSON.parse(read('facts.json')) as { files: { path: string; hunks: [number, number][] }[]; now: string };

// Finding text: a paragraph of Markdown with code, a link, a mention and a token; a token per
// finding, random-looking (so no engine takes it for a placeholder, as both do with `ghp_AAAA…`) and
// the same on every run. Where a finding carries no token, prose of the same length stands in.
const token = (i: number) => `ghp_${createHash('sha256').update(`bench-${i}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 36)}`;
const paragraph = (secret: string) =>
  'The query builder concatenates `req.query.q` into SQL. Use parameter binding (see [the guide](https://github.com/octo/app/wiki/sql)). ' +
  `cc @octo/security. The old key ${secret} was rotated. `;
const prose = 'kept in the vault of the team until then'.slice(0, token(0).length);

export interface PlanVariant {
  name: string;
  findings: number;
  /** One finding in this many carries a token (four times, once per paragraph). */
  tokenEvery: number;
  text: string;
}

function envelopeText(findings: number, tokenEvery: number): string {
  const list = Array.from({ length: findings }, (_, i) => {
    const file = facts.files[i % facts.files.length]!;
    const [start] = file.hunks[0]!;
    const body = paragraph(i % tokenEvery === 0 ? token(i) : prose).repeat(4);
    return { ...example.findings[0], ruleId: `rule-${i % 40}`, path: file.path, startLine: start + (i % 10), endLine: start + (i % 10) + 1, title: `Finding ${i}: unescaped input`, body, fingerprint: `fp-${i}` };
  });
  return JSON.stringify({ ...example, findings: list });
}

/** "token-dense": every finding holds tokens (the worst case for redaction); "ordinary": one in 100. */
export function planVariants(findings = 10_000): PlanVariant[] {
  return [
    { name: 'token-dense', findings, tokenEvery: 1, text: envelopeText(findings, 1) },
    { name: 'ordinary (1 in 100)', findings, tokenEvery: 100, text: envelopeText(findings, 100) },
  ];
}

export interface PlanRun {
  /** Milliseconds from the envelope's text to the plan. */
  plan: number;
  /** Milliseconds to render every body of the plan. */
  render: number;
  /** Characters rendered, and secrets redacted in them. */
  bodies: number;
  redactions: number;
}

/** One run of `m` over `variant`; throws unless every token was redacted (else the figures mean nothing). */
export async function runPlan(m: PlanModules, variant: PlanVariant, options: { verbose?: boolean } = {}): Promise<PlanRun> {
  const policy = m.policyFromText(read('publish-gate.yml'), 'publish-gate.yml', 'file');
  const evidence = m.evidenceFromText(read('evidence.json'), 'evidence.json', 'file');
  const content = new m.ContentPipeline(m.createRedactor({ secrets: ['ghs_benchmarkTokenValue0123456789'] }));
  const t0 = performance.now();
  const envelope = m.envelopeFromText(variant.text, 'envelope.json', 'file');
  const env = envelope.status === 'ok' && envelope.value.format === 'envelope' ? envelope.value.envelope : undefined;
  const ev = evidence.status === 'ok' ? evidence.value : undefined;
  const assumed = m.mergeFacts(m.assumedFacts(env, ev, policy.status === 'ok' ? policy.value : undefined), { files: facts.files });
  const plan = m.decide({ inputs: { mode: 'dry-run', deny: [], config: '.github/publish-gate.yml' }, policy, envelope, evidence, facts: { status: 'ok', value: assumed, source: 'assumed' }, published: { trust: 'absent', epochs: [], writes: {} }, now: facts.now });
  const t1 = performance.now();
  let bodies = 0;
  for (const entry of plan.entries) {
    const p = plan.payloads[entry.key];
    const s = performance.now();
    if (p?.kind === 'comment') bodies += (await m.renderComment(content, p, entry.key)).length;
    else if (p?.kind === 'review') bodies += (await m.renderReview(content, p, entry.key)).body.length;
    else if (p?.kind === 'check-run') {
      const run = await m.renderCheckRun(content, p, entry.key);
      bodies += run.output.summary.length + run.annotations.reduce((n, a) => n + a.message.length, 0);
    }
    if (options.verbose) console.log(`  ${entry.kind} ${(performance.now() - s).toFixed(0)} ms`);
  }
  const t2 = performance.now();
  const redactions = Object.values(content.report.redactions).reduce((a, b) => a + b, 0);
  // Each token is in an annotation (some also in the review).
  const expected = 4 * Math.ceil(variant.findings / variant.tokenEvery);
  if (redactions < expected) throw new Error(`${variant.name}: ${redactions} redactions, expected at least ${expected}`);
  return { plan: t1 - t0, render: t2 - t1, bodies, redactions };
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
