import { idempotencyKey } from '../decide/digest.js';
import type { LedgerRun, RecordInput } from './record.js';

/** Sample records for tests and the benchmark (no fs, deterministic). */
export const sampleRun = (n = 1, repositoryId = 4242): LedgerRun => ({
  id: String(1000 + n),
  attempt: 1,
  repository: 'octo/widgets',
  repository_id: repositoryId,
  workflow: 'agent',
  actor: 'octo-bot',
});

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
export const sampleDigest = (n: number): `sha256:${string}` => `sha256:${hex(n, 8).repeat(8)}`;
export const sampleHead = (n: number) => hex(n, 8).repeat(5);

/** One run: a decision, then intent + write for `writes` keys of PR `pr`. */
export function sampleRunRecords(n: number, options: { pr?: number; writes?: number; at?: string; repositoryId?: number } = {}): RecordInput[] {
  const run = sampleRun(n, options.repositoryId);
  const at = options.at ?? new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
  const pr = options.pr ?? 7;
  const target = String(pr);
  const records: RecordInput[] = [
    {
      type: 'decision',
      at,
      run,
      decision: 'published',
      planDigest: sampleDigest(n),
      epoch: `e${n}`,
      target: { repository: run.repository, pullRequest: pr, head: sampleHead(n) },
      blockers: [],
    },
  ];
  for (let w = 0; w < (options.writes ?? 2); w++) {
    const kind = w % 2 === 0 ? 'comment' : 'check-run';
    const key = idempotencyKey(run.repository, kind, target, `slot${w}`);
    records.push({ type: 'intent', at, run, key, kind, target, digest: sampleDigest(n * 10 + w) });
    records.push({ type: 'write', at, run, key, kind, target, status: 'done', id: n * 100 + w, url: `https://github.com/octo/widgets/pull/${pr}#c${n}`, digest: sampleDigest(n * 10 + w) });
  }
  return records;
}
