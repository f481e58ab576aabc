import type { WriteKind } from '../contract/common.js';
import type { PlanEntry } from '../decide/writes.js';
import type { ApiFailure } from './errors.js';

/** Why a write failed: an API failure, or the branch writer's refusal of a protected, foreign or divergent branch. */
export type WriteFailure = Omit<ApiFailure, 'code'> & { code: ApiFailure['code'] | 'BRANCH_NOT_ALLOWED' };

/** The outcome of one planned write. `digest` is the entry's payload digest (what the planner compares). */
export interface WriteRecord {
  kind: WriteKind;
  key: string;
  status: 'done' | 'unchanged' | 'failed' | 'ambiguous';
  url?: string;
  id?: number | string;
  digest?: string;
  error?: WriteFailure;
  note?: string;
}

export interface KnownWrite {
  digest: string;
  id?: number | string;
  url?: string;
}

/** What earlier runs wrote (the ledger, behind an interface), and where this run records its own writes. */
export interface WriteJournal {
  known(key: string): KnownWrite | undefined;
  /** Recorded BEFORE each write. */
  intent(entry: PlanEntry): Promise<void>;
  /** Recorded AFTER it (also for `unchanged`, which made no request). */
  result(record: WriteRecord): Promise<void>;
}

export type JournalEvent = { type: 'intent'; key: string; kind: WriteKind } | { type: 'result'; record: WriteRecord };

/** An in-memory journal: what `result` records as done or unchanged becomes `known`. */
export class MemoryJournal implements WriteJournal {
  readonly events: JournalEvent[] = [];
  private readonly state = new Map<string, KnownWrite>();

  constructor(initial: Record<string, KnownWrite> = {}) {
    for (const [key, value] of Object.entries(initial)) this.state.set(key, { ...value });
  }

  known(key: string): KnownWrite | undefined {
    const value = this.state.get(key);
    return value ? { ...value } : undefined;
  }

  async intent(entry: PlanEntry): Promise<void> {
    this.events.push({ type: 'intent', key: entry.key, kind: entry.kind });
  }

  async result(record: WriteRecord): Promise<void> {
    this.events.push({ type: 'result', record: { ...record } });
    if ((record.status === 'done' || record.status === 'unchanged') && record.digest) {
      const previous = this.state.get(record.key);
      const id = record.id ?? previous?.id;
      const url = record.url ?? previous?.url;
      this.state.set(record.key, { digest: record.digest, ...(id !== undefined ? { id } : {}), ...(url !== undefined ? { url } : {}) });
    }
  }

  records(): WriteRecord[] {
    return this.events.flatMap((e) => (e.type === 'result' ? [e.record] : []));
  }
}
