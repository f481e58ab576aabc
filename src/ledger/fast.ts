import { WRITE_KINDS } from '../contract/common.js';
import { Limits } from '../contract/limits.js';
import { DECISIONS, GENESIS, WRITE_STATUSES, type LedgerRecord } from './record.js';

/**
 * A hand-written pre-check for the records that fill a ledger (decision, intent, write, skip). It is
 * deliberately narrower than the valibot schemas in `record.ts`: whatever it accepts, the schema
 * accepts (a property test holds it to that); whatever it does not accept goes to the schema,
 * which has the last word and the error message. It exists because validating with the schema
 * costs more than parsing and hashing the line together.
 */

const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/u;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const RUN_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** A subset of valibot's ISO timestamp: UTC with `T` and `Z` only. */
export const UTC_TIMESTAMP = /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])T(?:[01]\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?Z$/;
/** `s` from `from` on is exactly lowercase hex: a loop is cheaper here than a regular expression. */
function hexFrom(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
const HASH = { test: (s: string) => s.length === 71 && s.startsWith('sha256:') && hexFrom(s, 7) };
const KEY = { test: (s: string) => s.length === 32 && hexFrom(s, 0) };
const MAC = { test: (s: string) => s.length === 64 && hexFrom(s, 0) };
const SHA = { test: (s: string) => s.length === 40 && hexFrom(s, 0) };
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const KINDS = new Set<string>(WRITE_KINDS);
const STATUSES = new Set<string>(WRITE_STATUSES);
const DECIDED = new Set<string>(DECISIONS);

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNat = (x: unknown, min: number): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= min;
const text = (x: unknown, max: number, min = 1): x is string => typeof x === 'string' && x.length >= min && x.length <= max && NO_CONTROL.test(x);

function keysAre(o: Obj, count: number, allowed: ReadonlySet<string>): boolean {
  let n = 0;
  for (const k in o) {
    if (!allowed.has(k)) return false;
    n++;
  }
  return n === count && Object.getPrototypeOf(o) === Object.prototype;
}

const RUN_KEYS = new Set(['id', 'attempt', 'repository', 'repository_id', 'workflow', 'actor']);
let lastRun: { id: string; repository: string; workflow: string; actor: string } | undefined;

function runOk(run: unknown): boolean {
  if (!isObj(run) || !keysAre(run, 6, RUN_KEYS)) return false;
  const { id, attempt, repository, repository_id, workflow, actor } = run;
  if (typeof id !== 'string' || typeof repository !== 'string' || typeof workflow !== 'string' || typeof actor !== 'string') return false;
  if (!isNat(attempt, 1) || attempt > 1_000_000 || !isNat(repository_id, 1)) return false;
  // Records of one run share their run: its strings are checked once.
  if (lastRun !== undefined && id === lastRun.id && repository === lastRun.repository && workflow === lastRun.workflow && actor === lastRun.actor) return true;
  const ok = RUN_ID.test(id) && repository.length <= 140 && REPOSITORY.test(repository) && text(workflow, Limits.name) && text(actor, 100);
  if (ok) lastRun = { id, repository, workflow, actor };
  return ok;
}

const BASE = ['v', 'seq', 'at', 'run', 'type', 'prev', 'mac'];
const keySet = (...extra: string[]) => new Set([...BASE, ...extra]);
const WRITE_KEYS = keySet('key', 'kind', 'target', 'status', 'id', 'url', 'digest');
const INTENT_KEYS = keySet('key', 'kind', 'target', 'digest');
const SKIP_KEYS = keySet('key', 'kind', 'target', 'reason');
const DECISION_KEYS = keySet('decision', 'planDigest', 'epoch', 'target', 'blockers');
const TARGET_KEYS = new Set(['repository', 'pullRequest', 'head']);

function baseOk(o: Obj): boolean {
  const { v, seq, at, prev, mac } = o;
  return (
    v === 1 &&
    isNat(seq, 0) &&
    typeof at === 'string' &&
    at.length <= 40 &&
    UTC_TIMESTAMP.test(at) &&
    typeof prev === 'string' &&
    (prev === GENESIS || HASH.test(prev)) &&
    (mac === null || (typeof mac === 'string' && MAC.test(mac))) &&
    runOk(o.run)
  );
}

const writeTarget = (x: unknown) => text(x, Limits.ref);
const keyed = (o: Obj) => typeof o.key === 'string' && KEY.test(o.key) && typeof o.kind === 'string' && KINDS.has(o.kind) && writeTarget(o.target);
const digestOk = (x: unknown) => typeof x === 'string' && HASH.test(x);

/** True only for a record the `LedgerRecord` schema surely accepts; false means "ask the schema". */
export function surelyValid(value: unknown): value is LedgerRecord {
  if (!isObj(value)) return false;
  switch (value.type) {
    case 'write': {
      const { id, url } = value;
      const count = 12 + (id === undefined ? 0 : 1) + (url === undefined ? 0 : 1);
      if (!keysAre(value, count, WRITE_KEYS) || !baseOk(value) || !keyed(value) || !digestOk(value.digest)) return false;
      if (typeof value.status !== 'string' || !STATUSES.has(value.status)) return false;
      if (id !== undefined && !(isNat(id, 0) || text(id, Limits.id))) return false;
      return url === undefined || text(url, Limits.url);
    }
    case 'intent':
      return keysAre(value, 11, INTENT_KEYS) && baseOk(value) && keyed(value) && digestOk(value.digest);
    case 'skip':
      return keysAre(value, 11, SKIP_KEYS) && baseOk(value) && keyed(value) && typeof value.reason === 'string' && CODE.test(value.reason);
    case 'decision': {
      if (!keysAre(value, 12, DECISION_KEYS) || !baseOk(value)) return false;
      const { decision, planDigest, epoch, target, blockers } = value;
      if (typeof decision !== 'string' || !DECIDED.has(decision) || !digestOk(planDigest) || !text(epoch, Limits.epoch)) return false;
      if (!Array.isArray(blockers) || blockers.length > 100 || !blockers.every((b) => typeof b === 'string' && CODE.test(b))) return false;
      if (!isObj(target) || !keysAre(target, 3, TARGET_KEYS)) return false;
      const { repository, pullRequest, head } = target;
      return (
        typeof repository === 'string' &&
        repository.length <= 140 &&
        REPOSITORY.test(repository) &&
        (pullRequest === null || isNat(pullRequest, 1)) &&
        (head === null || (typeof head === 'string' && SHA.test(head)))
      );
    }
    default:
      return false;
  }
}
