/**
 * Plan throughput: an envelope of 10,000 findings and about 10 MB of text, from its bytes to the
 * plan and to every body the action would send for it (comment, review, check run with its
 * annotations), rendered through the content pipeline (sanitize, redact, truncate). Two envelopes of
 * the same size, measured alternately in one process: "token-dense", where every finding's text
 * holds tokens (the worst case for redaction), and "ordinary", where one finding in 100 does
 * (`plan-workload.ts`). Medians of a few runs; then the peak resident memory of the whole process.
 * To compare with another revision side by side, see `bench-compare.ts`.
 *
 *   npx tsx scripts/bench-plan.ts [--runs 5] [--findings 10000] [--verbose]
 */
import { loadPlanModules, median, planVariants, type PlanRun, runPlan } from './plan-workload.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const RUNS = option('--runs', 5);
const FINDINGS = option('--findings', 10_000);
const verbose = args.includes('--verbose');

const modules = await loadPlanModules();
const variants = planVariants(FINDINGS);
for (const v of variants) await runPlan(modules, v);
const runs = variants.map(() => [] as PlanRun[]);
for (let i = 0; i < RUNS; i++) for (const [j, v] of variants.entries()) runs[j]!.push(await runPlan(modules, v, { verbose }));
console.log(`envelopes: ${FINDINGS} findings each; median of ${RUNS}, the two measured alternately`);
for (const [j, v] of variants.entries()) {
  const r = runs[j]!;
  const mb = Buffer.byteLength(v.text) / 1e6;
  const plan = median(r.map((x) => x.plan));
  const render = median(r.map((x) => x.render));
  const total = median(r.map((x) => x.plan + x.render));
  console.log(`${v.name}: ${mb.toFixed(1)} MB; bodies rendered: ${(r[0]!.bodies / 1e6).toFixed(1)} M characters, ${r[0]!.redactions} secrets redacted in them`);
  console.log(`  parse + decide            ${plan.toFixed(0)} ms  ${(mb / (plan / 1000)).toFixed(1)} MB/s`);
  console.log(`  render + redact bodies    ${render.toFixed(0)} ms`);
  console.log(`  plan throughput (both)    ${total.toFixed(0)} ms  ${(mb / (total / 1000)).toFixed(1)} MB/s (goal ≥ 20)`);
}
console.log(`peak resident memory        ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process, ${(RUNS + 1) * variants.length} runs of ${variants.length} envelopes)`);
