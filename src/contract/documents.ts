import type { LoadFailureCode, Loaded } from '../decide/blockers.js';
import type { EnvelopeDocument } from '../decide/submission.js';
import { Envelope } from './envelope.js';
import { Evidence } from './evidence.js';
import { Limits } from './limits.js';
import { type Parsed, parseJson, parseYaml, validate } from './parse.js';
import { Policy } from './policy.js';
import { parseSarif } from './sarif.js';

type Source = Extract<Loaded<unknown>, { status: 'ok' }>['source'];

function toLoaded<T>(parsed: Parsed<T>, source: Source, code: LoadFailureCode, what: string): Loaded<T> {
  if (parsed.ok) return { status: 'ok', value: parsed.value, source };
  return { status: 'failed', code, message: `${what}: ${parsed.issues.join('; ')}` };
}

function chain<A, B>(parsed: Parsed<A>, next: (value: A) => Parsed<B>): Parsed<B> {
  return parsed.ok ? next(parsed.value) : parsed;
}

/** `*.sarif` (or `*.sarif.json`) is read as SARIF 2.1.0; anything else as an envelope. */
export function isSarifName(fileName: string): boolean {
  return /\.sarif(\.json)?$/i.test(fileName);
}

/** Envelope text → the engine's document; every failure is `ENVELOPE_INVALID` with readable issues. */
export function envelopeFromText(text: string, fileName: string, source: Source): Loaded<EnvelopeDocument> {
  const json = parseJson(text, Limits.envelopeBytes);
  const doc: Parsed<EnvelopeDocument> = isSarifName(fileName)
    ? chain(json, (value) => chain(parseSarif(value), (sarif) => ({ ok: true, value: { format: 'sarif', sarif } })))
    : chain(json, (value) => chain(validate(Envelope, value), (envelope) => ({ ok: true, value: { format: 'envelope', envelope } })));
  return toLoaded(doc, source, 'ENVELOPE_INVALID', `envelope ${fileName}`);
}

export function evidenceFromText(text: string, fileName: string, source: Source): Loaded<Evidence> {
  return toLoaded(chain(parseJson(text, Limits.evidenceBytes), (value) => validate(Evidence, value)), source, 'EVIDENCE_INVALID', `evidence ${fileName}`);
}

export function policyFromText(text: string, fileName: string, source: Source): Loaded<Policy> {
  return toLoaded(chain(parseYaml(text, Limits.policyBytes), (value) => validate(Policy, value)), source, 'CONFIG_INVALID', `policy ${fileName}`);
}
