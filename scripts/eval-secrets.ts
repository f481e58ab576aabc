/**
 * Measures the redaction engine (src/content/redact) on the secret-detection corpus and on ordinary
 * text. Prints only ids, kinds, sources, rules, file names and counts: never corpus text or secrets.
 *
 *   npm run eval:secrets [-- --corpus <file.jsonl.gz>] [-- --quick]
 *
 * Without the corpus file it says so and exits 0.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createRedactor } from '../src/content/redact/index.js';
import type { Redactor, SecretFinding } from '../src/content/redact/index.js';

export const DEFAULT_CORPUS = '/work/shared/corpora/secrets-dev.jsonl.gz';
const ROOT = resolve(import.meta.dirname, '..');

export interface CorpusCase {
  id: string;
  text: string;
  is_secret: boolean;
  kind: string;
  source: string;
  rule: string;
  secrets?: string[];
  weak?: boolean;
  disputed?: boolean;
}

export const CORE_KINDS = [
  'github', 'npm', 'aws', 'slack', 'stripe', 'openai', 'anthropic', 'google', 'private-key', 'jwt', 'azure', 'url-credentials',
] as const;

export function readCorpus(file = DEFAULT_CORPUS): CorpusCase[] | undefined {
  if (!existsSync(file)) return undefined;
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as CorpusCase);
}

/** Every occurrence of every listed secret, as [start, end). */
function secretSpans(c: CorpusCase): [number, number][] {
  const spans: [number, number][] = [];
  for (const secret of c.secrets ?? []) {
    if (!secret) continue;
    for (let at = c.text.indexOf(secret); at !== -1; at = c.text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
  }
  return spans;
}

function covered(findings: readonly SecretFinding[], [start, end]: [number, number]): boolean {
  let at = start;
  for (const f of findings) {
    if (f.start <= at && f.end > at) at = f.end;
    if (at >= end) return true;
  }
  return at >= end;
}

const overlaps = (findings: readonly SecretFinding[], [start, end]: [number, number]) => findings.some((f) => f.start < end && f.end > start);

export interface Tally {
  total: number;
  found: number;
}
export interface Row {
  /** Found, all positives. */
  all: Tally;
  /** Found, positives not marked weak. */
  strong: Tally;
  /** Fully redacted (every character of every listed secret covered), positives with `secrets`. */
  full: Tally;
  /** Fully redacted, non-weak positives with `secrets`. */
  fullStrong: Tally;
}
export interface CorpusReport {
  byKind: Record<string, Row>;
  bySource: Record<string, Row>;
  overall: Row;
  falsePositives: Tally & { byKind: Record<string, Tally>; ids: string[] };
  missed: { id: string; kind: string; rule: string; weak: boolean }[];
  partial: { id: string; kind: string; rule: string; weak: boolean }[];
  knownValues: Tally;
}

const tally = (): Tally => ({ total: 0, found: 0 });
const bump = (t: Tally, hit: boolean) => {
  t.total++;
  if (hit) t.found++;
};
const triple = (): Row => ({ all: tally(), strong: tally(), full: tally(), fullStrong: tally() });

/** Base64 of `value` at each byte alignment inside a longer stream, trimmed to the characters that depend on it alone. */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [0, 1, 2].map((offset) =>
    Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)])
      .toString('base64')
      .slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6)),
  );
}

/** Recall per kind and source (with and without weak positives), full redaction, false positives, known values. */
export async function evaluateCorpus(cases: readonly CorpusCase[], redactor: Redactor = createRedactor()): Promise<CorpusReport> {
  const report: CorpusReport = {
    byKind: {},
    bySource: {},
    overall: triple(),
    falsePositives: { ...tally(), byKind: {}, ids: [] },
    missed: [],
    partial: [],
    knownValues: tally(),
  };
  for (const c of cases) {
    const findings = await redactor.scan(c.text);
    if (!c.is_secret) {
      if (c.disputed) continue;
      const hit = findings.length > 0;
      bump(report.falsePositives, hit);
      bump((report.falsePositives.byKind[c.kind] ??= tally()), hit);
      if (hit) report.falsePositives.ids.push(`${c.id} ${c.kind} ${c.rule} → ${[...new Set(findings.map((f) => f.rule))].join(',')}`);
      continue;
    }
    const spans = secretSpans(c);
    const found = spans.length > 0 ? spans.some((span) => overlaps(findings, span)) : findings.length > 0;
    const kind = (report.byKind[c.kind] ??= triple());
    const source = (report.bySource[c.source] ??= triple());
    for (const t of [kind, source, report.overall]) {
      bump(t.all, found);
      if (!c.weak) bump(t.strong, found);
    }
    if (!found) report.missed.push({ id: c.id, kind: c.kind, rule: c.rule, weak: Boolean(c.weak) });
    if (spans.length > 0) {
      const full = spans.every((span) => covered(findings, span));
      for (const t of [kind, source, report.overall]) {
        bump(t.full, full);
        if (!c.weak) bump(t.fullStrong, full);
      }
      if (found && !full) report.partial.push({ id: c.id, kind: c.kind, rule: c.rule, weak: Boolean(c.weak) });
    }
  }
  // Known values: each listed secret (6 characters or more), registered, in every form the issue names.
  const secrets = [...new Set(cases.flatMap((c) => c.secrets ?? []).filter((s) => s.trim().length >= 6))].slice(0, 400);
  for (const secret of secrets) {
    const value = secret.trim();
    const redactor = createRedactor({ secrets: [secret], scanners: [] });
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const text = [
      `plain ${value} end`,
      `url ?t=${encodeURIComponent(value)}&x=1`,
      `json {"v":${JSON.stringify(value)}}`,
      `b64 ${b64(value)}`,
      `basic Authorization: Basic ${b64(`someone:${value}`)}`,
      `x-access ${b64(`x-access-token:${value}`)}`,
      `stream ${b64(`a${value}b`)} ${b64(`ab${value}`)}`,
      `https://user:${encodeURIComponent(value)}@example.com/`,
    ].join('\n');
    const out = (await redactor.redact(text)).text;
    const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), ...base64Cores(value)];
    bump(report.knownValues, !forms.some((form) => out.includes(form)));
  }
  return report;
}

/** The core kinds together. */
export function coreTotals(report: CorpusReport): Row {
  const core = triple();
  for (const kind of CORE_KINDS) {
    const t = report.byKind[kind];
    if (!t) continue;
    for (const k of ['all', 'strong', 'full', 'fullStrong'] as const) {
      core[k].total += t[k].total;
      core[k].found += t[k].found;
    }
  }
  return core;
}

const pct = (t: Tally) => (t.total === 0 ? '   -  ' : `${((100 * t.found) / t.total).toFixed(1).padStart(5)}%`);
const cell = (t: Tally) => `${pct(t)} (${t.found}/${t.total})`.padEnd(20);

export function formatCorpusReport(report: CorpusReport, verbose = true): string {
  const lines: string[] = [];
  const table = (title: string, rows: Record<string, Row>) => {
    lines.push('', `${title.padEnd(18)} ${'found (all)'.padEnd(20)} ${'found (non-weak)'.padEnd(20)} ${'fully redacted (all)'.padEnd(20)} fully (non-weak)`);
    for (const [name, t] of Object.entries(rows).sort()) lines.push(`${name.padEnd(18)} ${cell(t.all)} ${cell(t.strong)} ${cell(t.full)} ${cell(t.fullStrong)}`);
  };
  table('kind', report.byKind);
  table('source', report.bySource);
  table('', { overall: report.overall });
  const core = coreTotals(report);
  lines.push(`${'core kinds'.padEnd(18)} ${cell(core.all)} ${cell(core.strong)} ${cell(core.full)} ${cell(core.fullStrong)}`);
  lines.push('', `false positives on negatives (disputed left out): ${pct(report.falsePositives)} (${report.falsePositives.found}/${report.falsePositives.total})`);
  for (const [kind, t] of Object.entries(report.falsePositives.byKind).sort()) if (t.found) lines.push(`  ${kind.padEnd(16)} ${t.found}/${t.total}`);
  lines.push(`known values fully redacted in every form: ${pct(report.knownValues)} (${report.knownValues.found}/${report.knownValues.total})`);
  if (verbose) {
    lines.push('', `missed (${report.missed.length}):`);
    for (const m of report.missed) lines.push(`  ${m.id} ${m.kind} ${m.rule}${m.weak ? ' (weak)' : ''}`);
    lines.push('', `found but not fully redacted (${report.partial.length}):`);
    for (const p of report.partial) lines.push(`  ${p.id} ${p.kind} ${p.rule}${p.weak ? ' (weak)' : ''}`);
    lines.push('', `false positives (${report.falsePositives.ids.length}):`);
    for (const id of report.falsePositives.ids) lines.push(`  ${id}`);
  }
  return lines.join('\n');
}

function walk(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, accept, out);
    else if (entry.isFile() && accept(path)) out.push(path);
  }
  return out;
}

/**
 * Ordinary text available offline, by group: this repository's sources (not the redaction engine's
 * own files, which hold deliberate secrets), package-lock.json, Markdown and JavaScript of well-known
 * packages, Debian's licences and documentation (compressed files read decompressed). `quick` keeps
 * the first three groups.
 */
const QUICK_DOC_PACKAGES = ['typescript', 'rollup', 'eslint', 'yaml', 'valibot', 'vitest', 'msw', 'undici', '@actions', '@octokit', 'micromark', 'fast-check', 'picomatch', 'tsx'];

export function ordinaryText(quick = false): Record<string, string[]> {
  const nm = join(ROOT, 'node_modules');
  const js = (f: string) => /\.(?:js|mjs|cjs|d\.ts)$/.test(f);
  const groups: Record<string, string[]> = {
    'repository sources': walk(join(ROOT, 'src'), (f) => f.endsWith('.ts') && !f.includes(join('src', 'content', 'redact'))),
    'package-lock.json': [join(ROOT, 'package-lock.json')],
    // The quick sample (the test) reads the docs of a fixed set of packages, so that adding a
    // dependency whose README shows a real-format key (Azurite's published dev key) does not move it.
    'node_modules *.md': (quick ? QUICK_DOC_PACKAGES.map((dir) => join(nm, dir)) : [nm]).flatMap((dir) => walk(dir, (f) => f.endsWith('.md'))),
  };
  if (!quick) {
    groups['node_modules js/d.ts'] = ['typescript/lib', 'rollup/dist', 'eslint/lib', 'yaml/dist', 'valibot/dist', 'vitest/dist', 'msw/lib', 'undici/lib', '@actions']
      .flatMap((dir) => walk(join(nm, dir), js));
    groups['debian licenses+docs'] = [
      ...walk('/usr/share/common-licenses', () => true),
      ...walk('/usr/share/doc', (f) => /\.(?:txt|md|rst|html|gz)$|\/(?:copyright|README|NEWS|changelog)[^/]*$/.test(f)),
    ];
  }
  for (const files of Object.values(groups)) files.splice(0, files.length, ...files.filter((f) => statSync(f).size <= 8e6).sort());
  return groups;
}

function readText(file: string): string {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

export interface OrdinaryReport {
  groups: { group: string; bytes: number; findings: number; perMB: number }[];
  bytes: number;
  findings: number;
  perMB: number;
  samples: string[];
}

/** Findings per MB on ordinary text (each finding is a false positive there). */
export async function evaluateOrdinary(groups = ordinaryText(), redactor: Redactor = createRedactor({ budgetMs: 600_000 })): Promise<OrdinaryReport> {
  const report: OrdinaryReport = { groups: [], bytes: 0, findings: 0, perMB: 0, samples: [] };
  for (const [group, files] of Object.entries(groups)) {
    let bytes = 0;
    let findings = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readText(file);
      } catch {
        continue;
      }
      if (text.includes('\u0000')) continue; // binary
      bytes += Buffer.byteLength(text);
      const found = await redactor.scan(text);
      findings += found.length;
      for (const f of found) report.samples.push(`${relative(ROOT, file).startsWith('..') ? file : relative(ROOT, file)} [${f.rule}] at ${f.start}`);
    }
    report.groups.push({ group, bytes, findings, perMB: findings / (bytes / 1e6 || 1) });
    report.bytes += bytes;
    report.findings += findings;
  }
  report.perMB = report.findings / (report.bytes / 1e6 || 1);
  return report;
}

export function formatOrdinaryReport(report: OrdinaryReport, verbose = true): string {
  const lines = ['', 'ordinary text (every finding is a false positive):'];
  for (const g of report.groups) lines.push(`  ${g.group.padEnd(24)} ${(g.bytes / 1e6).toFixed(2).padStart(7)} MB ${String(g.findings).padStart(5)} findings  ${g.perMB.toFixed(3)} / MB`);
  lines.push(`  ${'total'.padEnd(24)} ${(report.bytes / 1e6).toFixed(2).padStart(7)} MB ${String(report.findings).padStart(5)} findings  ${report.perMB.toFixed(3)} / MB`);
  if (verbose) for (const s of report.samples.slice(0, 60)) lines.push(`    ${s}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const corpusFile = args.includes('--corpus') ? args[args.indexOf('--corpus') + 1]! : DEFAULT_CORPUS;
  const cases = readCorpus(corpusFile);
  if (!cases) {
    console.log(`eval:secrets: corpus ${corpusFile} not found, skipping the corpus measurements.`);
  } else {
    const started = performance.now();
    const report = await evaluateCorpus(cases);
    console.log(`corpus ${basename(corpusFile)}: ${cases.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(formatCorpusReport(report, !args.includes('--quiet')));
  }
  console.log(formatOrdinaryReport(await evaluateOrdinary(ordinaryText(args.includes('--quick'))), !args.includes('--quiet')));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
