/**
 * End-to-end, across runs: the built bundle (`dist/index.js`) run as the runner would run it, in
 * live mode, with the envelope and evidence read from workflow artifacts and the ledger restored
 * and stored through the REAL `@actions/artifact` and `@actions/cache` (bundled), against:
 *
 * - a loopback fake GitHub (`fakeGitHub.ts`: policy, PR, files, check runs, approvals, comments...),
 * - a loopback results service (`../integration/resultsService.ts`: twirp artifacts + cache v2, and
 *   the REST artifact routes) with the blobs in a real Azurite,
 * - one loopback API front (`apiRouter.ts`) so that GITHUB_API_URL is a single host, as on GitHub.
 *
 * Each scenario has its own fake GitHub, results service and router (one shared Azurite). A
 * scenario's runs share one RUNNER_TEMP path (the cache version hashes the cache path, which is
 * stable on hosted runners), emptied before each run as on a fresh runner.
 *
 * Runs: the agent's artifacts are seeded into an earlier "agent" run; each publishing run is a
 * `workflow_run` event naming it. `beginRun` turns the results service's run (the one its runtime
 * token belongs to) into the next publishing run, keeping what earlier runs uploaded under their ids.
 *
 * Skipped, with the reason printed, only when Azurite cannot start. Faults are non-retried answers
 * (4xx): the libraries sleep seconds between retries of 5xx.
 *
 * Measured (reads = GET requests at the fake GitHub; artifact listing and downloads go to the
 * results service and are not counted; a publish takes ~6 s because writes are sent >= 1 s apart):
 *
 * | run                                   | decision  | reads | GitHub writes |
 * |---------------------------------------|-----------|------:|--------------:|
 * | 1 first publish (artifacts, key)      | published |     9 |             4 |
 * | 2 re-run, trusted ledger restored     | noop      |     8 |             0 |
 * | 2b attempt 2 of the same run          | noop      |     8 |             0 |
 * | 4 re-run after a tampered ledger      | noop      |     9 |             0 |
 *
 * The re-run's 8 are the 7 policy/fact reads and the PR's reviews, read to reconcile published
 * epochs from GitHub (the writer reuses that list); the comment lookup is answered by the
 * authenticated ledger. After LEDGER_UNTRUSTED it comes back (reconciled from GitHub).
 *
 * 3b: a run whose ledger artifact was refused saves no cache entry either (it would index nothing),
 * so the next run restores the older ledger; the replay is still caught, by the action's reviews.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendRecords, verifyLedger } from '../../src/ledger/chain.js';
import type { RecordInput } from '../../src/ledger/record.js';
import { azuriteOrSkip } from '../integration/azurite.js';
import type { ResultsService } from '../integration/resultsService.js';
import { digestOf, rawZip, yazlZip } from '../zips.js';
import { AGENT_RUN, type Docs, LEDGER_KEY, PREFIX, type PublishOptions, REPOSITORY_ID, type Step, type World, closeWorld, openWorld, publish as publishRun, seedAgentRun } from './liveRun.js';
import { HEAD, documentTexts, expectOneOfEach, root } from './run.js';

const CLI = join(root, 'dist/cli.js');

const { azurite, skipReason } = await azuriteOrSkip('ledger.e2e');

const documents = documentTexts;

const timings: Record<string, string> = {};

/** One publishing run (`liveRun.ts`), its wall time recorded under `name`. */
async function publish(w: World, name: string, runId: number, options: PublishOptions = {}): Promise<Step> {
  const step = await publishRun(w, runId, options);
  timings[name] = `${step.ms} ms`;
  return step;
}

/** A fresh world for one scenario, stopped afterwards whatever happens; asserts no request went unanswered. */
async function withWorld(body: (w: World) => Promise<void>): Promise<void> {
  const w = await openWorld(azurite!);
  try {
    await body(w);
    expect(w.gh.unexpected, w.gh.log().join('\n')).toEqual([]);
    expect(w.service.unexpected()).toEqual([]);
    expect(w.router.requests.filter((r) => r.status === 'error')).toEqual([]);
  } finally {
    await closeWorld(w);
  }
}

const codes = (s: Step) => s.blockers.map((b) => b.code);
const ledgerArtifacts = (service: ResultsService) => service.artifacts.filter((a) => a.name.startsWith('publish-gate-ledger-'));

/** `dist/cli.js ledger verify` on a copy of the ledger (the run's file is removed with RUNNER_TEMP). */
function cliVerify(w: World, text: string, withKey: boolean): { status: number | null; stdout: string } {
  const file = join(w.dir, `verify-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, text);
  const res = spawnSync(process.execPath, [CLI, 'ledger', 'verify', file, ...(withKey ? ['--key-env', 'PG_LEDGER_KEY'] : [])], {
    env: { PATH: process.env.PATH ?? '', PG_LEDGER_KEY: LEDGER_KEY },
    encoding: 'utf8',
  });
  return { status: res.status, stdout: res.stdout };
}

function records(text: string, key?: string) {
  const verified = verifyLedger(text, { key, repositoryId: REPOSITORY_ID });
  if (!verified.ok) throw new Error(`ledger does not verify: ${verified.reason} (seq ${verified.firstBadSeq})`);
  return verified;
}

const reads: Record<string, number> = {};
const suite = azurite ? describe.concurrent : describe.skip;

suite(`dist/index.js live: artifacts and the ledger across runs${skipReason ? ' (skipped: Azurite unavailable)' : ''}`, { timeout: 120_000 }, () => {
  afterAll(async () => {
    await azurite?.stop();
    const rows = (o: Record<string, unknown>) =>
      Object.entries(o)
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n');
    console.log(`reads at the fake GitHub:\n${rows(reads)}\ntimings:\n${rows(timings)}`);
  });

  it('1+2. first publish from another run’s artifacts stores the ledger; a re-run restores it: noop, no writes, fewer reads', async () => {
    await withWorld(async (w) => {
      await seedAgentRun(w.service, AGENT_RUN, documents());

      // 1. First publish.
      const first = await publish(w, '1 first publish', 900_001, { key: true });
      expect(first.decision, first.stdout).toBe('published');
      expect(first.code).toBe(0);
      expect(first.writes.map((w) => [w.kind, w.status])).toEqual([
        ['check-run', 'done'],
        ['review', 'done'],
        ['comment', 'done'],
        ['labels', 'done'],
      ]);
      expectOneOfEach(w.gh);
      expect(first.stdout).toMatch(/envelope: read \(artifact /);
      expect(first.stdout).toMatch(/evidence: read \(artifact /);
      // The envelope came through the one API host: listed there, then downloaded by the 302 to Azurite.
      // One listing of the agent run, without a name filter, serves both documents.
      expect(w.router.requests.filter((r) => r.upstream === 'results' && r.url.startsWith(`/repos/octo/app/actions/runs/${AGENT_RUN}/artifacts`)).map((r) => r.url)).toEqual([
        `/repos/octo/app/actions/runs/${AGENT_RUN}/artifacts?per_page=100`,
      ]);
      expect(w.router.requests.filter((r) => r.upstream === 'results' && /\/actions\/artifacts\/\d+\/zip$/.test(r.url)).map((r) => r.status)).toEqual([302, 302]);
      expect(first.outputs['ledger-persisted']).toBe('true');
      expect(first.outputs['ledger-cache-key']).toBe(`${PREFIX}900001-1`);
      expect(first.outputs['ledger-artifact-id']).toMatch(/^\d+$/);
      const stored = w.service.artifacts.find((a) => a.id === Number(first.outputs['ledger-artifact-id']));
      expect(stored).toMatchObject({ name: 'publish-gate-ledger-900001-1', finalized: true, run: { runId: 900_001 } });
      expect(stored!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // Retention from ledger-retention-days (default 90).
      expect((stored!.expiresAt!.getTime() - Date.now()) / 86_400_000).toBeGreaterThan(89);
      expect(w.service.cacheEntries.filter((e) => e.finalized).map((e) => e.key)).toEqual([`${PREFIX}900001-1`]);
      const ledger1 = records(first.ledger, LEDGER_KEY);
      expect(ledger1.authenticated).toBe(true);
      expect(cliVerify(w, first.ledger, true)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^valid: \d+ records, authenticated/) });
      reads['1 first publish'] = first.reads;

      // 2. The same envelope again, in a new run: the restored ledger answers what is published.
      const again = await publish(w, '2 re-run', 900_002, { key: true });
      expect(again.decision, again.stdout).toBe('noop');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`continuing the ledger of ${PREFIX}900001-1`);
      expect(again.ghWrites).toEqual([]);
      expect(again.writes.every((x) => x.status === 'unchanged')).toBe(true);
      expectOneOfEach(w.gh);
      reads['2 re-run'] = again.reads;
      expect(again.reads).toBeLessThan(first.reads);
      // The writer's comment lookup is gone (the ledger already knows those writes); the reviews are
      // read once, to reconcile published epochs from GitHub (a ledger can be older than GitHub).
      expect(w.gh.requests.filter((r) => r.method === 'GET' && /\/issues\/42\/comments$/.test(r.path))).toEqual([]);
      expect(w.gh.requests.filter((r) => r.method === 'GET' && /\/pulls\/42\/reviews$/.test(r.path))).toHaveLength(1);
      // The restored ledger was read cross-run: the artifact of run 900001, through the one API host.
      expect(w.router.requests.some((r) => r.upstream === 'results' && r.url.startsWith('/repos/octo/app/actions/runs/900001/artifacts'))).toBe(true);
      expect(again.outputs['ledger-cache-key']).toBe(`${PREFIX}900002-1`);
      expect(ledgerArtifacts(w.service).map((a) => a.name)).toEqual(['publish-gate-ledger-900001-1', 'publish-gate-ledger-900002-1']);

      // Its ledger holds both runs and verifies from genesis, on its own.
      expect(again.ledger.startsWith(first.ledger)).toBe(true);
      const ledger2 = records(again.ledger, LEDGER_KEY);
      expect(ledger2.records[0]!.prev).toBe('genesis');
      expect(new Set(ledger2.records.map((r) => r.run.id))).toEqual(new Set(['900001', '900002']));
      expect(ledger2.records.map((r) => r.seq)).toEqual(ledger2.records.map((_, i) => i));
      expect(ledger2.records.at(-1)).toMatchObject({ type: 'decision', decision: 'noop', run: { id: '900002' } });
      expect(cliVerify(w, again.ledger, true).status).toBe(0);
    });
  });

  it('2b. attempt 2 of the same run restores attempt 1’s ledger (same-run download with the runtime token): noop', async () => {
    await withWorld(async (w) => {
      await seedAgentRun(w.service, AGENT_RUN, documents());
      const first = await publish(w, '2b attempt 1', 900_501, { key: true });
      expect(first.decision, first.stdout).toBe('published');
      const second = await publish(w, '2b attempt 2', 900_501, { key: true, attempt: 2 });
      expect(second.decision, second.stdout).toBe('noop');
      expect(second.stdout).toContain(`continuing the ledger of ${PREFIX}900501-1`);
      expect(second.ghWrites).toEqual([]);
      expect(second.outputs['ledger-cache-key']).toBe(`${PREFIX}900501-2`);
      expect(ledgerArtifacts(w.service).map((a) => a.name)).toEqual(['publish-gate-ledger-900501-1', 'publish-gate-ledger-900501-2']);
      // The run's own artifact is fetched through the results service (twirp), not the REST /zip route.
      expect(w.service.requests.some((r) => r.route === 'GetSignedArtifactURL' && r.status === 200)).toBe(true);
      const ledger = records(second.ledger, LEDGER_KEY);
      expect(new Set(ledger.records.map((r) => `${r.run.id}-${r.run.attempt}`))).toEqual(new Set(['900501-1', '900501-2']));
      reads['2b attempt 2'] = second.reads;
    });
  });

  it('3. epoch A, then B, then A again: blocked with EPOCH_REPLAYED, zero writes', async () => {
    await withWorld(async (w) => {
      const A = '2026-11-21T10:00:00Z#3';
      const B = '2026-11-21T12:00:00Z#4';
      await seedAgentRun(w.service, 800_101, documents({ epoch: A }));
      await seedAgentRun(
        w.service,
        800_102,
        documents({
          epoch: B,
          mutate: (e) => {
            e.summary = 'Re-reviewed at a new epoch: the SQL issue remains.';
          },
        }),
      );
      await seedAgentRun(w.service, 800_103, documents({ epoch: A }));

      const a = await publish(w, '3 epoch A', 900_101, { agentRun: 800_101 });
      expect(a.decision, a.stdout).toBe('published');
      const b = await publish(w, '3 epoch B', 900_102, { agentRun: 800_102 });
      expect(b.decision, b.stdout).toBe('published');
      expect(b.stdout).toContain(`continuing the ledger of ${PREFIX}900101-1`);
      // A again: its own fresh artifacts (a re-run of the old agent job).
      const replay = await publish(w, '3 epoch A replayed', 900_103, { agentRun: 800_103 });
      expect(replay.decision, replay.stdout).toBe('blocked');
      expect(codes(replay)).toContain('EPOCH_REPLAYED');
      expect(replay.writes).toEqual([]);
      expect(replay.ghWrites).toEqual([]);
      // And the old artifacts of A (the first agent run) are refused the same way.
      const old = await publish(w, '3 epoch A old artifacts', 900_104, { agentRun: 800_101 });
      expect(old.decision, old.stdout).toBe('blocked');
      expect(codes(old)).toContain('EPOCH_REPLAYED');
      expect(old.ghWrites).toEqual([]);
      // The blocked runs are recorded in the chain, which still verifies.
      const ledger = records(old.ledger);
      expect(ledger.records.filter((r) => r.type === 'decision').map((r) => (r as { decision: string }).decision)).toEqual(['published', 'published', 'blocked', 'blocked']);
    });
  });

  it('3b. epoch B’s ledger artifact was refused but its cache entry saved: replaying A is still EPOCH_REPLAYED', async () => {
    await withWorld(async (w) => {
      const A = '2026-11-21T10:00:00Z#3';
      const B = '2026-11-21T12:00:00Z#4';
      await seedAgentRun(w.service, 800_201, documents({ epoch: A }));
      await seedAgentRun(w.service, 800_202, documents({ epoch: B, mutate: (e) => void (e.summary = 'Re-reviewed at a new epoch.') }));
      const a = await publish(w, '3b epoch A', 900_601, { agentRun: 800_201, key: true });
      expect(a.decision, a.stdout).toBe('published');
      w.service.injectFault('CreateArtifact', { status: 403, body: { code: 'permission_denied', msg: 'injected: artifact upload refused' } });
      const b = await publish(w, '3b epoch B (artifact refused)', 900_602, { agentRun: 800_202, key: true });
      expect(b.decision, b.stdout).toBe('published');
      expect(b.outputs['ledger-artifact-id']).toBe('');
      // Epoch A published, then B: A is a replay whatever happened to B's storage.
      const replay = await publish(w, '3b epoch A replayed', 900_603, { agentRun: 800_201, key: true });
      expect(replay.decision, `${replay.stdout}\n${w.gh.log().join('\n')}`).toBe('blocked');
      expect(codes(replay)).toContain('EPOCH_REPLAYED');
      expect(replay.ghWrites).toEqual([]);
    });
  });

  describe.concurrent('4. a tampered or foreign stored ledger: LEDGER_UNTRUSTED, a new chain, converges from GitHub', () => {
    /** Every write "failed": a ledger that said so and were trusted would make the next run redo them. */
    const allFailed = (text: string) => text.replaceAll('"status":"done"', '"status":"failed"');
    /**
     * A well-formed ledger chained and MACed with the right key (a leaked key, or a ledger of another
     * repository that uses the same key), its records changed by `change` before they are signed.
     */
    const resigned = (ledger: string, change: (record: RecordInput) => RecordInput) => {
      const inputs = records(ledger, LEDGER_KEY).records.map(({ v: _v, seq: _seq, prev: _prev, mac: _mac, ...rest }) => change(JSON.parse(allFailed(JSON.stringify(rest))) as RecordInput));
      return `${appendRecords(undefined, inputs, LEDGER_KEY).join('\n')}\n`;
    };
    const future = () => new Date(Date.now() + 86_400_000).toISOString();
    /** How the stored ledger is replaced: its zip's bytes changed in place, or a new ledger text uploaded under a consistent digest. */
    const cases: Array<{ how: string; reason?: RegExp; tamper: (ledger: string) => { bytes: (b: Buffer) => Buffer } | { text: string } }> = [
      {
        how: 'bytes changed (digest mismatch)',
        tamper: () => ({
          bytes: (bytes) => {
            const out = Buffer.from(bytes);
            const at = Math.floor(out.length / 2);
            out[at] = out[at]! ^ 0xff;
            return out;
          },
        }),
      },
      { how: 'rewritten with a consistent digest (MAC fails)', tamper: (ledger) => ({ text: allFailed(ledger) }) },
      {
        how: "another repository's ledger (valid MACs)",
        reason: /repository/,
        tamper: (ledger) => ({ text: resigned(ledger, (r) => ({ ...r, run: { ...r.run, repository_id: REPOSITORY_ID + 1 } })) }),
      },
      { how: 'records dated in the future (valid MACs)', reason: /future/, tamper: (ledger) => ({ text: resigned(ledger, (r) => ({ ...r, at: future() })) }) },
    ];
    for (const { how, reason, tamper } of cases) {
      it(how, async () => {
        await withWorld(async (w) => {
          await seedAgentRun(w.service, AGENT_RUN, documents());
          const first = await publish(w, `4 first (${how})`, 900_201, { key: true });
          expect(first.decision, first.stdout).toBe('published');
          const id = Number(first.outputs['ledger-artifact-id']);
          const stored = w.service.artifacts.find((a) => a.id === id)!;
          const tampered = tamper(first.ledger);
          if ('bytes' in tampered) await w.service.tamperArtifact(id, tampered.bytes);
          else {
            expect(tampered.text).not.toBe(first.ledger);
            // The re-signed ledgers verify with the key (judged without a repository, two days on): only their content is wrong.
            if (reason) expect(verifyLedger(tampered.text, { key: LEDGER_KEY, now: Date.now() + 2 * 86_400_000 }).ok).toBe(true);
            const zip = await yazlZip({ 'publish-gate-ledger-900201-1.jsonl': tampered.text });
            await w.service.tamperArtifact(id, () => zip);
            stored.digest = digestOf(zip);
            stored.size = zip.length;
          }
          const again = await publish(w, `4 after tamper (${how})`, 900_202, { key: true });
          expect(again.stdout).toMatch(/^::warning::LEDGER_UNTRUSTED: /m);
          if (reason) expect(again.stdout.split('\n').find((line) => line.startsWith('::warning::LEDGER_UNTRUSTED: '))).toMatch(reason);
          expect(again.stdout).not.toContain('continuing the ledger');
          expect(again.summary).toContain('LEDGER_UNTRUSTED');
          expect(again.decision, again.stdout).toBe('noop');
          expect(again.writes.map((x) => x.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
          expect(again.ghWrites).toEqual([]);
          expectOneOfEach(w.gh);
          // A new chain: only this run's records, from genesis.
          const ledger = records(again.ledger, LEDGER_KEY);
          expect(ledger.records[0]!.prev).toBe('genesis');
          expect(new Set(ledger.records.map((r) => r.run.id))).toEqual(new Set(['900202']));
          expect(again.outputs['ledger-persisted']).toBe('true');
          reads[`4 after tamper (${how})`] = again.reads;
        });
      });
    }
  });

  describe.concurrent('5. unsafe or missing envelope artifacts: blocked, zero writes', () => {
    const cases: Array<{ name: string; code: string; message?: RegExp; seed: (s: ResultsService, docs: Docs) => Promise<unknown> }> = [
      {
        name: 'zip-slip entry',
        code: 'ARTIFACT_UNSAFE',
        message: /\.\./,
        seed: (s, docs) =>
          s.seedArtifact({
            name: 'agent-result',
            bytes: rawZip([
              { name: 'envelope.json', data: docs.envelope },
              { name: '../../pwned.txt', data: 'escaped' },
            ]),
            run: { runId: AGENT_RUN, headSha: HEAD },
          }),
      },
      {
        name: 'wrong listed digest',
        code: 'ARTIFACT_DIGEST_MISMATCH',
        seed: async (s, docs) =>
          s.seedArtifact({ name: 'agent-result', bytes: await yazlZip({ 'envelope.json': docs.envelope }), run: { runId: AGENT_RUN, headSha: HEAD }, digest: `sha256:${'0'.repeat(64)}` }),
      },
      { name: 'missing artifact', code: 'ENVELOPE_MISSING', seed: async () => undefined },
      {
        name: 'two artifacts with the name',
        code: 'ARTIFACT_UNSAFE',
        message: /2 artifacts/,
        seed: async (s, docs) => {
          const bytes = await yazlZip({ 'envelope.json': docs.envelope });
          await s.seedArtifact({ name: 'agent-result', bytes, run: { runId: AGENT_RUN, headSha: HEAD } });
          await s.seedArtifact({ name: 'agent-result', bytes, run: { runId: AGENT_RUN, headSha: HEAD } });
        },
      },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.code}`, async () => {
        await withWorld(async (w) => {
          const docs = documents();
          await w.service.seedArtifact({ name: 'gate-evidence', bytes: await yazlZip({ 'evidence.json': docs.evidence }), run: { runId: AGENT_RUN, headSha: HEAD } });
          await c.seed(w.service, docs);
          const run = await publish(w, `5 ${c.name}`, 900_301, { key: true });
          expect(run.decision, run.stdout).toBe('blocked');
          expect(codes(run)).toContain(c.code);
          const found = run.blockers.find((b) => b.code === c.code)!;
          expect(found.subject).toBe('agent-result');
          if (c.message) expect(found.message).toMatch(c.message);
          expect(run.writes).toEqual([]);
          expect(run.ghWrites).toEqual([]);
          // Nothing escaped RUNNER_TEMP (zip-slip) and the blocked run is still on record.
          expect(readdirSync(w.dir).some((f) => f.includes('pwned'))).toBe(false);
          expect(existsSync(join(dirname(w.dir), 'pwned.txt'))).toBe(false);
          expect(records(run.ledger, LEDGER_KEY).records.at(-1)).toMatchObject({ type: 'decision', decision: 'blocked' });
          expect(run.outputs['ledger-persisted']).toBe('true');
        });
      });
    }
  });

  describe.concurrent('6. storage refusals never fail the run', () => {
    it('cache refused: persisted by the artifact alone, no cache key, published', async () => {
      await withWorld(async (w) => {
        await seedAgentRun(w.service, AGENT_RUN, documents());
        w.service.injectFault('CreateCacheEntry', { status: 403, body: { code: 'permission_denied', msg: 'cache write denied: read-only token' } });
        const run = await publish(w, '6 cache refused', 900_401, { key: true });
        expect(run.decision, run.stdout).toBe('published');
        expect(run.code).toBe(0);
        expect(run.outputs['ledger-persisted']).toBe('true');
        expect(run.outputs['ledger-artifact-id']).toMatch(/^\d+$/);
        expect(run.outputs['ledger-cache-key']).toBe('');
        expect(run.stdout).toMatch(/^::warning::ledger cache not saved: /m);
        expect(w.service.cacheEntries.filter((e) => e.finalized)).toEqual([]);
        expect(ledgerArtifacts(w.service).map((a) => a.name)).toEqual(['publish-gate-ledger-900401-1']);
      });
    });

    it('artifact upload and cache both refused: not persisted, decision unaffected', async () => {
      await withWorld(async (w) => {
        await seedAgentRun(w.service, AGENT_RUN, documents());
        w.service.injectFault('CreateArtifact', { status: 403, body: { code: 'permission_denied', msg: 'injected: artifact upload refused' } });
        w.service.injectFault('CreateCacheEntry', { status: 403, body: { code: 'permission_denied', msg: 'cache write denied: read-only token' } });
        const run = await publish(w, '6 both refused', 900_402, { key: true, inputs: { 'fail-on-blocked': 'true' } });
        expect(run.decision, run.stdout).toBe('published');
        expect(run.code).toBe(0);
        expect(run.outputs['ledger-persisted']).toBe('false');
        expect(run.outputs['ledger-artifact-id']).toBe('');
        expect(run.outputs['ledger-cache-key']).toBe('');
        expect(run.stdout).toMatch(/^::warning::ledger artifact not uploaded: /m);
        expectOneOfEach(w.gh);
        // The ledger is still written for this job, and verifies.
        expect(records(run.ledger, LEDGER_KEY).records.at(-1)).toMatchObject({ type: 'decision', decision: 'published' });
        expect(ledgerArtifacts(w.service)).toEqual([]);
      });
    });
  });
});
