/**
 * The plan-throughput workload (`plan-workload.ts`) on this tree and on another revision, side by
 * side in one process, alternating run by run: on a shared, noisy machine a before/after figure
 * from two separate runs can be off by half, while runs interleaved like this see the same load.
 * The revision is checked out into a temporary git worktree (removed afterwards) that uses this
 * tree's node_modules; it must have the modules `plan-workload.ts` loads (true since the first
 * benchmarks of issue 8). Prints medians per envelope and the ratio.
 *
 *   npx tsx scripts/bench-compare.ts --base <revision> [--runs 7] [--findings 10000]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, loadPlanModules, median, planVariants, type PlanRun, runPlan } from './plan-workload.js';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const base = option('--base');
if (!base) throw new Error('usage: bench-compare.ts --base <revision> [--runs 7] [--findings 10000]');
const RUNS = Number(option('--runs') ?? 7);
const FINDINGS = Number(option('--findings') ?? 10_000);

const git = (...argv: string[]) => execFileSync('git', argv, { cwd: ROOT, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--verify', `${base}^{commit}`);
const dir = join(mkdtempSync(join(tmpdir(), 'pg-compare-')), 'tree');
git('worktree', 'add', '--detach', dir, commit);
try {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const trees = [
    { name: `base ${commit.slice(0, 7)}`, modules: await loadPlanModules(dir) },
    { name: 'this tree', modules: await loadPlanModules() },
  ];
  console.log(`plan workload, ${FINDINGS} findings; median of ${RUNS}, the two trees alternating`);
  for (const variant of planVariants(FINDINGS)) {
    for (const tree of trees) await runPlan(tree.modules, variant);
    const runs = trees.map(() => [] as PlanRun[]);
    for (let i = 0; i < RUNS; i++) for (const [j, tree] of trees.entries()) runs[j]!.push(await runPlan(tree.modules, variant));
    const mb = Buffer.byteLength(variant.text) / 1e6;
    const totals = runs.map((r) => median(r.map((x) => x.plan + x.render)));
    console.log(`${variant.name}:`);
    for (const [j, tree] of trees.entries()) {
      const r = runs[j]!;
      console.log(
        `  ${tree.name.padEnd(16)} parse + decide ${median(r.map((x) => x.plan)).toFixed(0).padStart(5)} ms, render ${median(r.map((x) => x.render)).toFixed(0).padStart(5)} ms, total ${totals[j]!.toFixed(0).padStart(5)} ms  ${(mb / (totals[j]! / 1000)).toFixed(1)} MB/s`,
      );
    }
    console.log(`  speed-up ${(totals[0]! / totals[1]!).toFixed(2)}×`);
  }
} finally {
  git('worktree', 'remove', '--force', dir);
  rmSync(join(dir, '..'), { recursive: true, force: true });
}
