/**
 * API economy: requests per scenario against the floor. The built action (`dist/index.js`, not
 * rebuilt) in live mode, as the runner runs it, against the loopback fakes of the e2e tests
 * (`test/e2e/liveRun.ts`: fake GitHub, results service with the blobs in Azurite, one API host),
 * for one PR, with a ledger key (the ledger is restored and trusted across runs):
 *
 *   1. first publish: nothing published yet;
 *   2. re-run, nothing new: same envelope and evidence (a new publishing run), ledger restored;
 *   3. re-run, one finding changed: a new agent run whose envelope differs in one finding's body.
 *      By default the example's finding 1 (index), which the policy's diff scope drops: only the
 *      sticky comment lists it, so exactly one write changes. `--finding 0` changes a kept finding
 *      instead: the check run (created anew: annotations add up on an update) and the comment
 *      change, the review does not (one per epoch).
 *
 * Per scenario: the decision, GitHub reads (GET at the fake GitHub) and writes (anything else), the
 * floor (writes + 1: one read to check freshness is the least a safe run can do) and the ratio
 * requests / floor; then which reads were made (method and route, with counts) and which writes.
 * Artifact REST routes on the same API host (answered by the results service) and the twirp/cache
 * calls to the results service are not counted, as in ledger.e2e.test.ts; the artifact REST ones
 * are listed separately. Counts must not change between repetitions (checked); timings are medians.
 * Exits 0 with the reason when Azurite cannot start.
 *
 *   npx tsx scripts/bench-api.ts [--runs 1] [--finding 1]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { azuriteOrSkip } from '../test/integration/azurite.js';
import type { RoutedRequest } from '../test/e2e/apiRouter.js';
import type { RecordedRequest } from '../test/e2e/fakeGitHub.js';
import { AGENT_RUN, type Step, type World, closeWorld, openWorld, publish, seedAgentRun } from '../test/e2e/liveRun.js';
import { documentTexts } from '../test/e2e/run.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const RUNS = option('--runs', 1);
/** Index of the finding scenario 3 changes. */
const FINDING = option('--finding', 1);
const CHANGED_AGENT_RUN = 800_002;
const CHANGED_BODY = 'The `while (true)` loop retries on every 5xx and 429. Cap attempts at 5 and back off exponentially.';

interface Scenario {
  name: string;
  /** The decision the scenario must reach, or the measurement is not of what it claims. */
  expect: string;
}
const SCENARIOS: Scenario[] = [
  { name: '1 first publish', expect: 'published' },
  { name: '2 re-run, nothing new', expect: 'noop' },
  { name: '3 re-run, one finding changed', expect: 'published' },
];

interface Measured {
  decision: string;
  reads: number;
  writes: number;
  readRoutes: string[];
  writeRoutes: string[];
  /** The action's own account of its writes (`kind: status`). */
  planned: string[];
  artifactRest: string[];
  unexpected: string[];
  ms: number;
}

/** `METHOD /route?query` with the repository prefix dropped (ids are deterministic in a fresh world). */
function route(method: string, path: string, query: Record<string, string> = {}): string {
  const short = path.replace(/^\/repos\/octo\/app(?=\/|$)/, '') || '/';
  const q = Object.keys(query)
    .sort()
    .map((k) => `${k}=${query[k]}`)
    .join('&');
  return `${method} ${short}${q ? `?${q}` : ''}`;
}

function measure(step: Step, routed: RoutedRequest[], w: World): Measured {
  const reads = step.requests.filter((r: RecordedRequest) => r.method === 'GET');
  const writes = step.requests.filter((r: RecordedRequest) => r.method !== 'GET');
  return {
    decision: step.decision,
    reads: reads.length,
    writes: writes.length,
    readRoutes: reads.map((r) => route(r.method, r.path, r.query)),
    writeRoutes: writes.map((r) => `${route(r.method, r.path)} → ${r.status}`),
    planned: step.writes.map((x) => `${x.kind}: ${x.status}`),
    artifactRest: routed.filter((r) => r.upstream === 'results').map((r) => `${r.method} ${r.url.split('?')[0]!.replace(/^\/repos\/octo\/app/, '')} → ${r.status}`),
    unexpected: w.gh.unexpected.map((r) => route(r.method, r.path)),
    ms: step.ms,
  };
}

/** The three scenarios, in order, in one fresh world. */
async function sequence(azurite: NonNullable<Awaited<ReturnType<typeof azuriteOrSkip>>['azurite']>): Promise<Measured[]> {
  const w = await openWorld(azurite);
  try {
    const out: Measured[] = [];
    const run = async (runId: number, agentRun: number) => {
      const from = w.router.requests.length;
      const step = await publish(w, runId, { key: true, agentRun });
      const m = measure(step, w.router.requests.slice(from), w);
      if (m.decision !== SCENARIOS[out.length]!.expect) {
        throw new Error(`${SCENARIOS[out.length]!.name}: decision ${m.decision || '(none)'}, expected ${SCENARIOS[out.length]!.expect}\n${step.stdout}`);
      }
      out.push(m);
    };
    await seedAgentRun(w.service, AGENT_RUN, documentTexts());
    await run(900_001, AGENT_RUN);
    await run(900_002, AGENT_RUN);
    await seedAgentRun(
      w.service,
      CHANGED_AGENT_RUN,
      documentTexts({
        mutate: (e) => {
          e.findings[FINDING].body = CHANGED_BODY;
        },
      }),
    );
    await run(900_003, CHANGED_AGENT_RUN);
    return out;
  } finally {
    await closeWorld(w);
  }
}

/** Another engineer may be rebuilding dist/: wait for the bundle rather than measure nothing. */
async function waitForBundle(): Promise<void> {
  const bundle = join(ROOT, 'dist/index.js');
  for (let i = 0; i < 5 && !existsSync(bundle); i++) {
    console.log('dist/index.js is missing (a rebuild?): waiting 60 s');
    await sleep(60_000);
  }
  if (!existsSync(bundle)) throw new Error('dist/index.js is missing: run `npm run build` first');
}

const grouped = (items: string[]) => {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts].map(([k, n]) => `    ${String(n).padStart(2)} × ${k}`).join('\n') || '    (none)';
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fingerprint = (m: Measured) => JSON.stringify([m.decision, m.readRoutes, m.writeRoutes, m.planned, m.artifactRest]);

await waitForBundle();
const { azurite, skipReason } = await azuriteOrSkip('bench-api');
if (!azurite) {
  console.log(`bench-api skipped: ${skipReason?.split('\n')[0]}`);
  process.exit(0);
}

const rounds: Measured[][] = [];
try {
  for (let i = 0; i < RUNS; i++) rounds.push(await sequence(azurite));
} finally {
  await azurite.stop();
}

const first = rounds[0]!;
const ratio = (m: Measured) => (m.reads + m.writes) / (m.writes + 1);
console.log(`node ${process.version}, dist/index.js live, ${RUNS} round(s) of 3 scenarios (one PR, ledger key set; scenario 3 changes finding ${FINDING})`);
let unstable = false;
SCENARIOS.forEach((s, i) => {
  const m = first[i]!;
  const same = rounds.every((r) => fingerprint(r[i]!) === fingerprint(m));
  unstable ||= !same;
  console.log(`\n${s.name}: ${m.decision}, ${m.reads} reads + ${m.writes} writes = ${m.reads + m.writes} requests, floor ${m.writes + 1}, ratio ${ratio(m).toFixed(2)}, median ${median(rounds.map((r) => r[i]!.ms))} ms${same ? '' : ' (COUNTS DIFFER BETWEEN ROUNDS)'}`);
  console.log(`  reads:\n${grouped(m.readRoutes)}`);
  console.log(`  writes:\n${grouped(m.writeRoutes)}`);
  console.log(`  action's writes: ${m.planned.join(', ') || '(none)'}`);
  console.log(`  artifact REST on the API host (results service, not counted):\n${grouped(m.artifactRest)}`);
  if (m.unexpected.length) console.log(`  UNANSWERED at the fake GitHub: ${m.unexpected.join(', ')}`);
});

console.log('\n| scenario | decision | reads | writes | floor | ratio | artifact REST (not counted) |');
console.log('|---|---|--:|--:|--:|--:|--:|');
SCENARIOS.forEach((s, i) => {
  const m = first[i]!;
  console.log(`| ${s.name} | ${m.decision} | ${m.reads} | ${m.writes} | ${m.writes + 1} | ${ratio(m).toFixed(2)} | ${m.artifactRest.length} |`);
});
if (unstable) process.exitCode = 1;
