import * as v from 'valibot';
import type { Severity } from './common.js';
import { body, filePath, name } from './common.js';
import type { Finding } from './envelope.js';
import { Limits } from './limits.js';
import { type Parsed, validate } from './parse.js';

/**
 * The subset of SARIF 2.1.0 that carries findings. SARIF is an open format with many optional
 * members, so objects here are loose (unknown members are ignored, not trusted); every value we
 * read is typed and bounded.
 */
const Region = v.looseObject({
  startLine: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.line))),
  endLine: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Limits.line))),
});

const SeverityProperties = v.looseObject({
  'security-severity': v.optional(v.union([v.number(), v.pipe(v.string(), v.maxLength(20))])),
});

const Result = v.looseObject({
  ruleId: v.optional(name),
  level: v.optional(v.picklist(['none', 'note', 'warning', 'error'])),
  message: v.looseObject({ text: v.optional(body(64 * 1024)), markdown: v.optional(body(64 * 1024)) }),
  locations: v.optional(
    v.pipe(
      v.array(
        v.looseObject({
          physicalLocation: v.optional(
            v.looseObject({
              artifactLocation: v.optional(v.looseObject({ uri: v.optional(filePath) })),
              region: v.optional(Region),
            }),
          ),
        }),
      ),
      v.maxLength(100),
    ),
  ),
  partialFingerprints: v.optional(v.record(v.pipe(v.string(), v.maxLength(200)), v.pipe(v.string(), v.maxLength(Limits.name)))),
  // -1 is SARIF's "no rank" (its default), not a rank.
  rank: v.optional(v.union([v.literal(-1), v.pipe(v.number(), v.minValue(0), v.maxValue(100))])),
  properties: v.optional(
    v.looseObject({
      confidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
      ...SeverityProperties.entries,
    }),
  ),
});

const Sarif = v.looseObject({
  version: v.literal('2.1.0'),
  runs: v.pipe(
    v.array(
      v.looseObject({
        tool: v.looseObject({
          driver: v.looseObject({
            name: v.pipe(name, v.minLength(1)),
            // Rule metadata: tools (and GitHub code scanning) put `security-severity` here.
            rules: v.optional(v.pipe(v.array(v.looseObject({ id: v.optional(name), properties: v.optional(SeverityProperties) })), v.maxLength(Limits.findings))),
          }),
        }),
        invocations: v.optional(v.pipe(v.array(v.looseObject({ executionSuccessful: v.boolean() })), v.maxLength(100))),
        results: v.optional(v.pipe(v.array(Result), v.maxLength(Limits.findings)), []),
      }),
    ),
    v.minLength(1),
    v.maxLength(20),
  ),
});

export interface SarifFindings {
  tool: string;
  /** False when any invocation reports `executionSuccessful: false`. */
  succeeded: boolean;
  findings: Finding[];
  /** Results without a file location cannot be placed and are counted, not published. */
  unplaced: number;
}

const LEVEL_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'medium', note: 'low', none: 'info' };

/** GitHub's `security-severity` bands, which take precedence over `level` when present. */
function securitySeverity(raw: number | string | undefined): Severity | undefined {
  const score = typeof raw === 'string' ? Number.parseFloat(raw) : raw;
  if (score === undefined || !Number.isFinite(score)) return undefined;
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;

/**
 * A SARIF `uri` is relative to the checkout; strip a leading `./` and decode percent escapes.
 * A decoded form with control characters is not a path the Finding contract allows, so the
 * (validated) undecoded form is kept instead; the engine's path checks still apply.
 */
function relativePath(uri: string): string {
  const path = uri.replace(/^\.\//, '');
  try {
    const decoded = decodeURIComponent(path);
    return decoded.search(CONTROL) === -1 ? decoded : path;
  } catch {
    return path;
  }
}

export function parseSarif(value: unknown): Parsed<SarifFindings> {
  const parsed = validate(Sarif, value);
  if (!parsed.ok) return parsed;
  const findings: Finding[] = [];
  let unplaced = 0;
  let succeeded = true;
  const tools: string[] = [];
  for (const run of parsed.value.runs) {
    tools.push(run.tool.driver.name);
    if (run.invocations?.some((i) => !i.executionSuccessful)) succeeded = false;
    const ruleSeverity = new Map<string, Severity>();
    for (const rule of run.tool.driver.rules ?? []) {
      const severity = securitySeverity(rule.properties?.['security-severity']);
      if (rule.id && severity) ruleSeverity.set(rule.id, severity);
    }
    for (const result of run.results) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri;
      const path = uri ? relativePath(uri) : '';
      if (!location || !path) {
        unplaced++;
        continue;
      }
      const text = result.message.markdown ?? result.message.text ?? '';
      const ruleId = result.ruleId || 'sarif';
      // Findings carry no control characters in one-line members (Finding contract).
      const firstLine = (text.split('\n')[0] ?? '').replace(CONTROL, ' ');
      const title = firstLine.slice(0, 200).trim() || result.ruleId || 'finding';
      const startLine = location.region?.startLine ?? 1;
      const endLine = location.region?.endLine;
      const fingerprint = Object.entries(result.partialFingerprints ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, val]) => `${k}=${val}`)
        .join(';')
        .replace(CONTROL, '')
        .slice(0, Limits.name);
      findings.push({
        ruleId,
        severity:
          securitySeverity(result.properties?.['security-severity']) ??
          (result.ruleId ? ruleSeverity.get(result.ruleId) : undefined) ??
          LEVEL_SEVERITY[result.level ?? 'warning']!,
        // SARIF has no confidence member; a tool that states none is taken at its word (1).
        confidence: result.properties?.confidence ?? (result.rank === undefined || result.rank < 0 ? 1 : result.rank / 100),
        path,
        startLine,
        ...(endLine !== undefined && endLine >= startLine ? { endLine } : {}),
        title,
        ...(text.length > title.length ? { body: text } : {}),
        ...(fingerprint ? { fingerprint } : {}),
      });
      if (findings.length > Limits.findings) return { ok: false, issues: [`more than ${Limits.findings} results`] };
    }
  }
  return { ok: true, value: { tool: tools.join(', ').slice(0, Limits.name), succeeded, findings, unplaced } };
}
