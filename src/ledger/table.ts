import * as v from 'valibot';
import { logSafe } from '../content/log.js';
import { LedgerRecord } from './record.js';

const COLUMNS = ['seq', 'at', 'type', 'kind', 'key', 'status', 'target'] as const;

function row(record: LedgerRecord): string[] {
  const base = [String(record.seq), record.at, record.type];
  switch (record.type) {
    case 'decision': {
      const t = record.target;
      return [...base, '-', `epoch ${record.epoch}`, record.decision, `${t.repository}${t.pullRequest !== null ? `#${t.pullRequest}` : ''}${t.head ? `@${t.head.slice(0, 12)}` : ''}`];
    }
    case 'intent':
      return [...base, record.kind, record.key, 'intent', record.target];
    case 'write':
      return [...base, record.kind, record.key, record.status, record.target];
    case 'skip':
      return [...base, record.kind, record.key, record.reason, record.target];
    case 'reconcile':
      return [...base, record.kind, record.key, record.found ? 'found' : 'absent', record.target];
    case 'blocker':
      return [...base, '-', '-', record.codes.join(','), '-'];
    case 'held':
      return [...base, '-', record.keys.join(','), 'held', '-'];
    case 'checkpoint':
      return [...base, '-', '-', `replaced ${record.replaced}`, `${Object.keys(record.writes).length} writes, ${record.epochs.length} epochs, ${record.pending.length} pending`];
  }
}

/**
 * The ledger as a table, one row per line, parsed line by line so that a broken ledger can still be
 * read (the chain is checked separately). Every cell goes through `logSafe`.
 */
export function ledgerTable(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const rows: string[][] = [];
  if (body.length > 0)
    body.split('\n').forEach((line, i) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      const parsed = v.safeParse(LedgerRecord, value);
      rows.push(parsed.success ? row(parsed.output) : ['?', '-', `line ${i + 1}: not a ledger record`, '', '', '', '']);
    });
  const cells = [[...COLUMNS], ...rows].map((r) => r.map((c) => logSafe(c)));
  const widths = COLUMNS.map((_, c) => Math.min(64, Math.max(...cells.map((r) => r[c]!.length))));
  return cells.map((r) => r.map((c, k) => (k === r.length - 1 ? c : c.padEnd(widths[k]!))).join('  ').trimEnd()).join('\n') + '\n';
}
