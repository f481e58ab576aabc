/**
 * Regenerates the README's reference blocks from their sources, so the documentation cannot drift:
 *
 * - `inputs`, `outputs`: from `action.yml` (an output's example value is the last sentence of its
 *   description, written as ``Example: `value`.``);
 * - `policy`: from `schemas/config.schema.json`, every key path;
 * - `blockers`: from `HINTS` (`src/report/hints.ts`) in the order of `BLOCKER_CODES`.
 *
 * Each block sits between `<!-- generated:<name> -->` and `<!-- /generated:<name> -->`.
 *
 *   npx tsx scripts/readme.ts           rewrite the blocks in README.md
 *   npx tsx scripts/readme.ts --check   exit 1, with a summary of the differences, when README.md is out of date
 *
 * The functions are pure (text in, text out) so that `test/readme.test.ts` can call them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { BLOCKER_CODES, WARNING_CODES } from '../src/decide/blockers.js';
import { HINTS } from '../src/report/hints.js';

export const BLOCK_NAMES = ['inputs', 'outputs', 'policy', 'blockers'] as const;
export type BlockName = (typeof BLOCK_NAMES)[number];
export type Blocks = Record<BlockName, string>;

export interface ActionInput {
  description: string;
  default?: string;
  required?: boolean;
}
export interface ActionMeta {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string }>;
}

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

// ---------------------------------------------------------------- Markdown helpers

/** A table cell: one line, pipes escaped (also inside code spans, as GFM tables require). */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

/** Inline code that survives any backticks in the value. */
export function code(value: string): string {
  const ticks = value.match(/`+/g)?.reduce((n, run) => Math.max(n, run.length), 0) ?? 0;
  const fence = '`'.repeat(ticks + 1);
  return ticks ? `${fence} ${value} ${fence}` : `${fence}${value}${fence}`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

// ---------------------------------------------------------------- action.yml

export function parseAction(text: string): ActionMeta {
  const doc = parse(text) as Partial<ActionMeta> | null;
  if (!doc || typeof doc !== 'object' || !doc.inputs || !doc.outputs) throw new Error('action.yml: no inputs or outputs');
  return { inputs: doc.inputs, outputs: doc.outputs };
}

const EXAMPLE = /^([\s\S]*?)\s*Example: `([^`]+)`\.\s*$/;

/** Splits an output description into its text and its example value (the final ``Example: `…`.`` sentence). */
export function splitExample(description: string): { text: string; example: string | undefined } {
  const m = EXAMPLE.exec(description.trim());
  return m ? { text: m[1]!, example: m[2]! } : { text: description.trim(), example: undefined };
}

export function inputsTable(action: ActionMeta): string {
  const rows = Object.entries(action.inputs).map(([name, input]) => [
    code(name),
    input.default === undefined || input.default === '' ? '*(empty)*' : code(String(input.default)),
    input.description,
  ]);
  return table(['Input', 'Default', 'Description'], rows);
}

export function outputsTable(action: ActionMeta): string {
  const rows = Object.entries(action.outputs).map(([name, output]) => {
    const { text, example } = splitExample(output.description);
    if (example === undefined) throw new Error(`action.yml: output ${name} has no "Example: \`…\`." sentence`);
    return [code(name), text, code(example)];
  });
  return table(['Output', 'Description', 'Example'], rows);
}

// ---------------------------------------------------------------- policy schema

/** A JSON Schema node, as far as `schemas/config.schema.json` uses it. */
export interface SchemaNode {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  $comment?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/**
 * What each policy key is for. The schema carries no per-key descriptions (it is generated from the
 * valibot schema), so the meaning lives here; a test fails when a schema key has none.
 */
export const POLICY_NOTES: Readonly<Record<string, string>> = {
  version: 'Policy format version.',
  mode: 'Ceiling for the step’s `mode` input: a step may ask for less, never more.',
  repositories: 'The run’s repository must be listed; every request is bound to it.',
  branches: 'Globs for the branches a run may publish for.',
  'branches.base': 'Allowed base branches of the pull request.',
  'branches.head': 'Allowed head branches (also applied to an agent’s branch).',
  triggers: 'Which runs may publish; absent means any event and any actor.',
  'triggers.events': 'Event names of the publishing run (`pull_request`, `workflow_run`, …).',
  'triggers.actors': 'Globs for the triggering actor; a `name[bot]` actor matches only an entry naming it exactly.',
  gates: 'Verdicts the evidence must carry, for the envelope’s head SHA and epoch.',
  'gates.required': 'Gate names that must be `PASS`.',
  'gates.max-age': 'How old a gate’s `completedAt` may be (`<n>w/d/h/m/s`, above 0, at most 90d).',
  'gates.confirm-check-runs': 'Gate name → check-run name that must have succeeded on the exact head SHA.',
  approval: 'Environment approval required for live writes, or `none`, written explicitly.',
  'approval.environment': 'Environment whose approval of this run is required.',
  'approval.forbid-self-approval': 'The approver must not be the actor, the PR author or a head committer.',
  'approval.require-safe-environment': 'The environment must have “Prevent self-review” on and administrator bypass off.',
  writes: 'What may be written; every kind defaults to deny.',
  'writes.comment': 'One compact, sticky comment per PR.',
  'writes.review': 'Review with inline comments: `comment` sends COMMENT; `request-changes` also allows REQUEST_CHANGES when a kept finding is high or critical. Never APPROVE.',
  'writes.check-run': 'A check run on the head SHA, with annotations.',
  'writes.status': 'A commit status on the head SHA.',
  'writes.labels': 'Labels that may be added; none is ever removed.',
  'writes.pull-request': 'Pull requests made from the agent’s `changes`.',
  'writes.pull-request.create': 'Open a pull request for the agent’s branch.',
  'writes.pull-request.update': 'Update the title and body of a pull request of ours.',
  'writes.pull-request.draft-only': 'Open pull requests as drafts only (a ready request is narrowed to a draft).',
  'writes.branch': 'Branches made from the agent’s `changes` (Git Data API, fast-forward only).',
  'writes.branch.create': 'Create or fast-forward the agent’s branch.',
  'writes.branch.prefix': 'The agent’s branch name must start with this.',
  'writes.branch.deny-paths': 'Globs of paths the agent’s changes may not touch (on top of the built-in list).',
  findings: 'Which findings are published.',
  'findings.min-severity': 'Lowest severity published.',
  'findings.min-confidence': 'Lowest confidence published.',
  'findings.max-inline': 'Inline review comments at most; the rest are folded into the summary.',
  'findings.scope': '`diff`: inside a diff hunk; `files`: in a changed file; `repository`: anywhere.',
  'findings.deny-paths': 'Globs of paths whose findings are never published.',
  content: 'What agent Markdown may keep.',
  'content.allowed-mentions': '`@user` or `@org/team` mentions left active; others are neutralized.',
  'content.allowed-domains': 'Link hosts kept as links; others become plain text.',
  limits: 'Caps on one run.',
  'limits.max-writes': 'Planned writes at most; more blocks the run (`LIMIT_EXCEEDED`).',
};

export interface PolicyRow {
  path: string;
  required: boolean;
  type: string;
  default: string;
  allowed: string;
  description: string;
}

const CONTROL_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';

function patternText(pattern: string): string {
  if (pattern === CONTROL_PATTERN) return 'no control characters';
  if (pattern.startsWith('^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\\/')) return '`owner/name`';
  if (pattern === '^[a-z_]+$') return 'lowercase letters and `_`';
  if (pattern === '^(?:\\d{1,7}[wdhms]){1,5}$') return 'a duration such as `24h` or `1h30m`';
  return `pattern ${code(pattern)}`;
}

function typeOf(node: SchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.const !== undefined) return code(JSON.stringify(node.const).replace(/^"(.*)"$/, '$1'));
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items).replace(/^(\w+)$/, '$1s') : 'values'}`;
  if (node.type === 'object' && !node.properties && typeof node.additionalProperties === 'object') return 'map of string to string';
  return node.type ?? (node.enum ? 'string' : 'any');
}

/** Constraints of a leaf: allowed values, ranges, lengths, patterns, and the schema's `$comment`. */
function constraints(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.enum) parts.push(node.enum.map((v) => code(String(v))).join(', '));
  if (node.minimum !== undefined || node.maximum !== undefined) parts.push(`${node.minimum ?? '…'} to ${node.maximum ?? '…'}`);
  if (node.pattern) parts.push(patternText(node.pattern));
  if (node.minLength !== undefined && node.minLength > 0 && !node.items) parts.push('not empty');
  if (node.maxLength !== undefined) parts.push(`at most ${node.maxLength} characters`);
  const item = node.items;
  if (item) {
    const of = constraints(item);
    if (node.minItems) parts.push(`at least ${node.minItems}`);
    if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} items`);
    if (of) parts.push(`each: ${of}`);
  }
  if (typeof node.additionalProperties === 'object' && !node.properties) {
    const value = constraints(node.additionalProperties);
    if (value) parts.push(`values: ${value}`);
  }
  for (const sub of node.allOf ?? []) if (sub.pattern) parts.push(patternText(sub.pattern));
  if (node.$comment) parts.push(node.$comment);
  return parts.join('; ');
}

function defaultText(node: SchemaNode): string {
  if (node.default === undefined) return '';
  if (node.properties) return '*(per key)*';
  return code(typeof node.default === 'string' ? node.default : JSON.stringify(node.default));
}

/** Every key path of the policy schema, depth first, in the schema's order. */
export function policyRows(schema: SchemaNode): PolicyRow[] {
  const rows: PolicyRow[] = [];
  const walk = (node: SchemaNode, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      const object = child.properties ? child : child.anyOf?.find((branch) => branch.properties);
      rows.push({
        path,
        required: node.required?.includes(key) ?? false,
        type: typeOf(child),
        default: defaultText(child),
        allowed: constraints(child),
        description: [child.description, POLICY_NOTES[path]].filter(Boolean).join(' '),
      });
      if (object) walk(object, path);
    }
  };
  walk(schema, '');
  return rows;
}

export function policyReference(schema: SchemaNode): string {
  const rows = policyRows(schema).map((r) => {
    const depth = r.path.split('.').length - 1;
    const name = `${'&nbsp;&nbsp;'.repeat(depth)}${code(r.path)}${r.required ? ' **(required)**' : ''}`;
    return [name, r.type, r.default || '—', r.allowed || '—', r.description];
  });
  const intro = schema.description ? `${schema.description}\n\n` : '';
  return `${intro}${table(['Key', 'Type', 'Default', 'Allowed', 'Meaning'], rows)}`;
}

// ---------------------------------------------------------------- blockers

export function blockersReference(): string {
  const rows = BLOCKER_CODES.map((c) => {
    const hint = HINTS[c];
    return [code(c), hint.stage, WARNING_CODES.has(c) ? 'warning' : 'blocks', hint.means, hint.fix];
  });
  const warnings = BLOCKER_CODES.filter((c) => WARNING_CODES.has(c)).map(code).join(', ');
  return `${table(['Code', 'Stage', 'Level', 'What it means', 'How to fix'], rows)}\n\nWarning level (reported, never blocks): ${warnings}.`;
}

// ---------------------------------------------------------------- README blocks

export interface Sources {
  actionYml: string;
  configSchema: string;
}

export function readSources(root = ROOT): Sources {
  return {
    actionYml: readFileSync(resolve(root, 'action.yml'), 'utf8'),
    configSchema: readFileSync(resolve(root, 'schemas/config.schema.json'), 'utf8'),
  };
}

/** The four blocks, generated from their sources. */
export function generateBlocks(sources: Sources): Blocks {
  const action = parseAction(sources.actionYml);
  return {
    inputs: inputsTable(action),
    outputs: outputsTable(action),
    policy: policyReference(JSON.parse(sources.configSchema) as SchemaNode),
    blockers: blockersReference(),
  };
}

const open = (name: BlockName) => `<!-- generated:${name} -->`;
const close = (name: BlockName) => `<!-- /generated:${name} -->`;

function span(readme: string, name: BlockName): { start: number; end: number } {
  const start = readme.indexOf(open(name));
  const end = readme.indexOf(close(name));
  if (start < 0 || end < 0 || end < start) throw new Error(`README.md: markers ${open(name)} … ${close(name)} not found`);
  if (readme.indexOf(open(name), start + 1) >= 0) throw new Error(`README.md: ${open(name)} appears twice`);
  return { start: start + open(name).length, end };
}

/** The current content of each block (without the markers and the surrounding blank lines). */
export function extractBlocks(readme: string): Blocks {
  const out = {} as Blocks;
  for (const name of BLOCK_NAMES) {
    const { start, end } = span(readme, name);
    out[name] = readme.slice(start, end).trim();
  }
  return out;
}

/** README with every block replaced; the text outside the markers is untouched. */
export function applyBlocks(readme: string, blocks: Blocks): string {
  let text = readme;
  for (const name of BLOCK_NAMES) {
    const { start, end } = span(text, name);
    text = `${text.slice(0, start)}\n${blocks[name]}\n${text.slice(end)}`;
  }
  return text;
}

/** One line per block that differs: which block, how many lines differ, and the first difference. */
export function diffSummary(current: Blocks, expected: Blocks): string[] {
  const lines: string[] = [];
  for (const name of BLOCK_NAMES) {
    if (current[name] === expected[name]) continue;
    const a = current[name].split('\n');
    const b = expected[name].split('\n');
    let differing = 0;
    let first = -1;
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      if (a[i] !== b[i]) {
        differing++;
        if (first < 0) first = i;
      }
    const show = (s: string | undefined) => (s === undefined ? '(none)' : s.length > 120 ? `${s.slice(0, 117)}…` : s);
    lines.push(
      `${name}: ${differing} line(s) differ (README ${a.length} lines, expected ${b.length}); first at line ${first + 1}:\n  README:   ${show(a[first])}\n  expected: ${show(b[first])}`,
    );
  }
  return lines;
}

function main(argv: string[]): number {
  const readmePath = resolve(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const expected = generateBlocks(readSources());
  if (argv.includes('--check')) {
    const diff = diffSummary(extractBlocks(readme), expected);
    if (diff.length === 0) {
      console.log('README.md is up to date.');
      return 0;
    }
    console.error(`README.md is out of date; run \`npm run readme\`.\n${diff.join('\n')}`);
    return 1;
  }
  const next = applyBlocks(readme, expected);
  if (next !== readme) writeFileSync(readmePath, next);
  console.log(next === readme ? 'README.md is up to date.' : 'README.md: generated blocks rewritten.');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));
