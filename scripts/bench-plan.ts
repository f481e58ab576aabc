/**
 * Plan throughput: an envelope of 10,000 findings and about 10 MB of text, from its bytes to the
 * plan and to every body the action would send for it (comment, review, check run with its
 * annotations), rendered through the content pipeline (sanitize, redact, truncate). Two envelopes of
 * the same size, measured alternately in one process: "token-dense", where every finding's text
 * holds token-like strings (the worst case for redaction, and the one the goal is judged on), and
 * "ordinary", where one finding in 100 does. Medians of a few runs; then the peak resident memory
 * of the whole process.
 *
 *   npx tsx scripts/bench-plan.ts [--runs 5] [--findings 10000]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { envelopeFromText, evidenceFromText, policyFromText } from '../src/contract/documents.js';
import { ContentPipeline } from '../src/content/pipeline.js';
import { createRedactor } from '../src/content/redact/index.js';
import { assumedFacts, mergeFacts } from '../src/decide/assumed.js';
import { decide } from '../src/decide/decide.js';
import { renderCheckRun, renderComment, renderReview } from '../src/github/render.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const RUNS = option('--runs', 5);
const FINDINGS = option('--findings', 10_000);

const read = (name: string) => readFileSync(join(ROOT, 'examples', name), 'utf8');
const example = JSON.parse(read('envelope.json')) as { findings: Record<string, unknown>[] } & Record<string, unknown>;
const facts = JSON.parse(read('facts.json')) as { files: { path: string; hunks: [number, number][] }[]; now: string };
// Finding text: a paragraph of Markdown with code, a link, a mention and a token-like string; in the
// ordinary envelope the string is replaced by prose of the same length in 99 findings of 100.
const token = `ghp_${'A'.repeat(36)}`;
const paragraph = (secret: string) =>
  'The query builder concatenates `req.query.q` into SQL. Use parameter binding (see [the guide](https://github.com/octo/app/wiki/sql)). ' +
  `cc @octo/security. The old key ${secret} was rotated. `;
const prose = 'kept in the vault of the team until then'.slice(0, token.length);
function envelopeText(tokenEvery: number): string {
  const findings = Array.from({ length: FINDINGS }, (_, i) => {
    const file = facts.files[i % facts.files.length]!;
    const [start] = file.hunks[0]!;
    const body = paragraph(i % tokenEvery === 0 ? token : prose).repeat(4);
    return { ...example.findings[0], ruleId: `rule-${i % 40}`, path: file.path, startLine: start + (i % 10), endLine: start + (i % 10) + 1, title: `Finding ${i}: unescaped input`, body, fingerprint: `fp-${i}` };
  });
  return JSON.stringify({ ...example, findings });
}
const variants = [
  { name: 'token-dense', text: envelopeText(1) },
  { name: 'ordinary (1 in 100)', text: envelopeText(100) },
];

const policy = policyFromText(read('publish-gate.yml'), 'publish-gate.yml', 'file');
const evidence = evidenceFromText(read('evidence.json'), 'evidence.json', 'file');
const content = new ContentPipeline(createRedactor({ secrets: ['ghs_benchmarkTokenValue0123456789'] }));

async function once(text: string): Promise<{ plan: number; render: number; bodies: number }> {
  const t0 = performance.now();
  const envelope = envelopeFromText(text, 'envelope.json', 'file');
  const env = envelope.status === 'ok' && envelope.value.format === 'envelope' ? envelope.value.envelope : undefined;
  const ev = evidence.status === 'ok' ? evidence.value : undefined;
  const assumed = mergeFacts(assumedFacts(env, ev, policy.status === 'ok' ? policy.value : undefined), { files: facts.files });
  const plan = decide({ inputs: { mode: 'dry-run', deny: [], config: '.github/publish-gate.yml' }, policy, envelope, evidence, facts: { status: 'ok', value: assumed, source: 'assumed' }, published: { trust: 'absent', epochs: [], writes: {} }, now: facts.now });
  const t1 = performance.now();
  let out = 0;
  for (const entry of plan.entries) {
    const p = plan.payloads[entry.key];
    const s = performance.now();
    if (p?.kind === 'comment') out += (await renderComment(content, p, entry.key)).length;
    else if (p?.kind === 'review') out += (await renderReview(content, p, entry.key)).body.length;
    else if (p?.kind === 'check-run') {
      const run = await renderCheckRun(content, p, entry.key);
      out += run.output.summary.length + run.annotations.reduce((n, a) => n + a.message.length, 0);
    }
    if (process.env.BENCH_VERBOSE) console.log(`  ${entry.kind} ${(performance.now() - s).toFixed(0)} ms`);
  }
  const t2 = performance.now();
  return { plan: t1 - t0, render: t2 - t1, bodies: out };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const v of variants) await once(v.text);
const runs = variants.map(() => [] as Awaited<ReturnType<typeof once>>[]);
for (let i = 0; i < RUNS; i++) for (const [j, v] of variants.entries()) runs[j]!.push(await once(v.text));
console.log(`envelopes: ${FINDINGS} findings each; median of ${RUNS}, the two measured alternately`);
for (const [j, v] of variants.entries()) {
  const r = runs[j]!;
  const mb = Buffer.byteLength(v.text) / 1e6;
  const plan = median(r.map((x) => x.plan));
  const render = median(r.map((x) => x.render));
  const total = median(r.map((x) => x.plan + x.render));
  console.log(`${v.name}: ${mb.toFixed(1)} MB; bodies rendered: ${(r[0]!.bodies / 1e6).toFixed(1)} M characters`);
  console.log(`  parse + decide            ${plan.toFixed(0)} ms  ${(mb / (plan / 1000)).toFixed(1)} MB/s`);
  console.log(`  render + redact bodies    ${render.toFixed(0)} ms`);
  console.log(`  plan throughput (both)    ${total.toFixed(0)} ms  ${(mb / (total / 1000)).toFixed(1)} MB/s${j === 0 ? ' (goal ≥ 20)' : ''}`);
}
console.log(`peak resident memory        ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process, ${(RUNS + 1) * variants.length} runs of ${variants.length} envelopes)`);
