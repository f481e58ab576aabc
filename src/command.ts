import { parseArgs } from 'node:util';
import { MODES, type Mode, WRITE_KINDS, type WriteKind } from './contract/common.js';
import { envelopeFromText, evidenceFromText, policyFromText } from './contract/documents.js';
import { FactsFile, type PublishedState } from './contract/facts.js';
import { jsonSchemaFor } from './contract/jsonSchema.js';
import { Limits } from './contract/limits.js';
import { parseJson, validate } from './contract/parse.js';
import { logSafe } from './content/log.js';
import { createRedactor } from './content/redact/index.js';
import { assumedFacts, mergeFacts } from './decide/assumed.js';
import type { Loaded } from './decide/blockers.js';
import { decide } from './decide/decide.js';
import { LEDGER_LIMITS, verifyLedger } from './ledger/chain.js';
import { ledgerTable } from './ledger/table.js';
import { readTextFile } from './load/files.js';
import { blockersOutput, planOutput, renderText } from './report/render.js';

const USAGE = `Usage: publish-gate <command>

  plan --envelope F [--evidence F] [--config F] [--facts F] [--mode M] [--deny KINDS] [--json]
        Evaluate offline; exit 0 unless the decision is blocked (2).
  redact [--json] [--secret-env VAR]...
        Redact standard input to standard output; --json prints the findings
        [{rule, start, end}] (offsets in JavaScript string units) without the values.
        --secret-env registers the value of an environment variable as a known secret.
  schema envelope|evidence|config
        Print the JSON Schema of a document.
  ledger verify F [--key-env VAR] | ledger show F
        verify: check the ledger's chain, and its MACs with the key in VAR; exit 0 when
        valid, 1 when invalid (printing the first bad seq). show: print it as a table.
`;

export const ExitCode = { Ok: 0, Invalid: 1, Blocked: 2, Usage: 64 } as const;

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input as UTF-8, refusing more than `maxBytes`. */
  stdin(maxBytes: number): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  now(): Date;
}

/** The most `redact` reads from standard input. */
export const REDACT_INPUT_BYTES = 64 * 1024 * 1024;

async function loadFile<T>(path: string | undefined, maxBytes: number, missing: 'CONFIG_MISSING' | 'ENVELOPE_MISSING' | 'EVIDENCE_MISSING', invalid: 'CONFIG_INVALID' | 'ENVELOPE_INVALID' | 'EVIDENCE_INVALID', parse: (text: string, name: string, source: 'file') => Loaded<T>): Promise<Loaded<T>> {
  if (!path) return { status: 'failed', code: missing, message: `no --${missing.split('_')[0]!.toLowerCase()} file given` };
  const read = await readTextFile(path, maxBytes);
  if (!read.ok) return { status: 'failed', code: read.reason === 'missing' ? missing : invalid, message: read.message };
  return parse(read.text, path, 'file');
}

async function plan(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      envelope: { type: 'string' },
      evidence: { type: 'string' },
      config: { type: 'string' },
      facts: { type: 'string' },
      mode: { type: 'string', default: 'dry-run' },
      deny: { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.envelope) throw new UsageError('plan needs --envelope F');
  if (!(MODES as readonly string[]).includes(values.mode)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
  const deny = values.deny.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = deny.filter((k) => !(WRITE_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new UsageError(`--deny takes write kinds (${WRITE_KINDS.join(', ')}), not ${unknown.join(', ')}`);

  const [policy, envelope, evidence] = await Promise.all([
    loadFile(values.config, Limits.policyBytes, 'CONFIG_MISSING', 'CONFIG_INVALID', policyFromText),
    loadFile(values.envelope, Limits.envelopeBytes, 'ENVELOPE_MISSING', 'ENVELOPE_INVALID', envelopeFromText),
    loadFile(values.evidence, Limits.evidenceBytes, 'EVIDENCE_MISSING', 'EVIDENCE_INVALID', evidenceFromText),
  ]);

  let given: FactsFile = {};
  if (values.facts) {
    const read = await readTextFile(values.facts, Limits.factsBytes);
    if (!read.ok) throw new InvalidInput(`--facts: ${read.message}`);
    const parsed = (() => {
      const json = parseJson(read.text, Limits.factsBytes);
      return json.ok ? validate(FactsFile, json.value) : json;
    })();
    if (!parsed.ok) throw new InvalidInput(`--facts ${values.facts}: ${parsed.issues.join('; ')}`);
    given = parsed.value;
  }
  const env = envelope.status === 'ok' && envelope.value.format === 'envelope' ? envelope.value.envelope : undefined;
  const ev = evidence.status === 'ok' ? evidence.value : undefined;
  const facts = mergeFacts(assumedFacts(env, ev, policy.status === 'ok' ? policy.value : undefined), given);
  const published: PublishedState = given.published ?? { trust: 'absent', epochs: [], writes: {} };

  const result = decide({
    inputs: { mode: values.mode as Mode, deny: deny as WriteKind[], config: '.github/publish-gate.yml' },
    policy,
    envelope,
    evidence,
    facts: { status: 'ok', value: facts, source: 'assumed' },
    published,
    now: given.now ?? io.now().toISOString(),
  });
  if (values.json)
    io.stdout(
      `${JSON.stringify({ decision: result.decision, mode: result.mode, blockers: blockersOutput(result.blockers), warnings: blockersOutput(result.warnings), plan: planOutput(result), 'plan-digest': result.digest, findings: result.findings }, null, 2)}\n`,
    );
  else io.stdout(renderText(result, { factsOrigin: values.facts ? `assumed, overridden by ${logSafe(values.facts)}` : 'assumed consistent with the envelope' }));
  return result.decision === 'blocked' ? ExitCode.Blocked : ExitCode.Ok;
}

async function redactCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, 'secret-env': { type: 'string', multiple: true, default: [] } },
    strict: true,
    allowPositionals: false,
  });
  const secrets = values['secret-env'].map((name) => {
    const value = io.env[name];
    if (value === undefined) throw new UsageError(`--secret-env ${name}: no such environment variable`);
    return value;
  });
  const text = await io.stdin(REDACT_INPUT_BYTES).catch((error: unknown) => {
    throw new InvalidInput(error instanceof Error ? error.message : String(error));
  });
  const redactor = createRedactor({ secrets });
  if (values.json) {
    const findings = await redactor.scan(text).catch(() => undefined);
    if (!findings) throw new InvalidInput('scanning failed or ran out of time; nothing is reported');
    io.stdout(`${JSON.stringify(findings.map(({ rule, start, end }) => ({ rule, start, end })))}\n`);
    return ExitCode.Ok;
  }
  const result = await redactor.redact(text);
  io.stdout(result.text);
  if (result.failed) {
    io.stderr('publish-gate: scanning failed or ran out of time; the input was replaced by a placeholder\n');
    return ExitCode.Invalid;
  }
  return ExitCode.Ok;
}

function schema(args: string[], io: CliIO): number {
  const [name, ...rest] = args;
  if (rest.length > 0 || (name !== 'envelope' && name !== 'evidence' && name !== 'config')) throw new UsageError('schema takes one of envelope, evidence, config');
  io.stdout(`${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`);
  return ExitCode.Ok;
}

async function ledger(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify' && sub !== 'show') throw new UsageError('ledger takes verify or show');
  const { values, positionals } = parseArgs({
    args: rest,
    options: sub === 'verify' ? { 'key-env': { type: 'string' } } : {},
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(`ledger ${sub} takes one file`);
  const keyEnv = (values as { 'key-env'?: string })['key-env'];
  const key = keyEnv === undefined ? undefined : io.env[keyEnv];
  if (keyEnv !== undefined && !key) throw new UsageError(`--key-env ${keyEnv}: no such environment variable, or it is empty`);
  const read = await readTextFile(positionals[0]!, LEDGER_LIMITS.bytes);
  if (!read.ok) throw new InvalidInput(read.message);
  if (sub === 'show') {
    io.stdout(ledgerTable(read.text));
    return ExitCode.Ok;
  }
  const result = verifyLedger(read.text, { key, now: io.now().getTime() });
  if (!result.ok) {
    io.stdout(`invalid: ${logSafe(result.reason)}\nfirst bad seq: ${result.firstBadSeq ?? 'none (the ledger as a whole is refused)'}\n`);
    return ExitCode.Invalid;
  }
  const trust = result.authenticated
    ? 'authenticated (every MAC verified)'
    : result.unauthenticatedMacs > 0
      ? `unauthenticated (${result.unauthenticatedMacs} records carry MACs, but no key was given: use --key-env)`
      : 'unauthenticated (no MACs)';
  const start = result.records[0]?.type === 'checkpoint' ? `, starting from a checkpoint at seq ${result.records[0].seq}` : '';
  io.stdout(`valid: ${result.records.length} records${start}, ${trust}\n`);
  return ExitCode.Ok;
}

class UsageError extends Error {}
class InvalidInput extends Error {}

/** The command line, without touching `process`: tests call it with their own streams. */
export async function cli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'plan':
        return await plan(args, io);
      case 'redact':
        return await redactCommand(args, io);
      case 'schema':
        return schema(args, io);
      case 'ledger':
        return await ledger(args, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE);
        return command === undefined ? ExitCode.Usage : ExitCode.Ok;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof InvalidInput) {
      io.stderr(`publish-gate: ${logSafe(error.message)}\n`);
      return ExitCode.Invalid;
    }
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.stderr(`publish-gate: ${logSafe(error instanceof Error ? error.message : String(error))}\n${usage ? USAGE : ''}`);
    return usage ? ExitCode.Usage : ExitCode.Invalid;
  }
}
