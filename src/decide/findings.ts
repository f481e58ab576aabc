import type { Severity } from '../contract/common.js';
import type { Finding } from '../contract/envelope.js';
import type { Facts } from '../contract/facts.js';
import type { Policy } from '../contract/policy.js';
import { canonicalJson, sha256Hex } from './digest.js';
import { matcher, unsafePathReason } from './paths.js';

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export const DROP_REASONS = ['unsafe-path', 'denied-path', 'severity', 'confidence', 'out-of-scope', 'duplicate'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface SelectedFinding extends Finding {
  fingerprint: string;
  /** Inside a diff hunk and within `max-inline`: placed as an inline review comment. */
  inline: boolean;
}

export interface FindingSelection {
  kept: SelectedFinding[];
  dropped: Record<DropReason, number>;
  /** Kept findings that are not inline (outside the diff, or past `max-inline`). */
  folded: number;
}

/** Case, whitespace and numbers folded, so a finding keeps its identity when lines move. */
function normalizedText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** Line-independent identity: the agent's own fingerprint, else rule + path + normalized text. */
export function fingerprintOf(finding: Finding): string {
  if (finding.fingerprint) return finding.fingerprint;
  const text = normalizedText(`${finding.title}\n${finding.body ?? ''}`);
  return `fp:${sha256Hex(`${finding.ruleId}\u0000${finding.path}\u0000${text}`).slice(0, 32)}`;
}

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A total order: findings equal in every ranked member are ordered by their canonical JSON, so which
 * of two duplicates survives never depends on the order the agent listed them in.
 */
function compare(a: SelectedFinding, b: SelectedFinding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.confidence - a.confidence ||
    order(a.path, b.path) ||
    a.startLine - b.startLine ||
    order(a.ruleId, b.ruleId) ||
    order(a.fingerprint, b.fingerprint) ||
    order(canonicalJson(a), canonicalJson(b))
  );
}

type HunkIndex = Map<string, readonly (readonly [number, number])[]>;

function inDiff(hunks: HunkIndex | null, f: Finding): boolean {
  const ranges = hunks?.get(f.path);
  if (!ranges) return false;
  const end = f.endLine ?? f.startLine;
  return ranges.some(([start, stop]) => f.startLine <= stop && end >= start);
}

/**
 * Filters, deduplicates and orders findings deterministically, counting every drop by reason.
 * Unknown diff facts (null) put nothing in scope for `diff` or `files`: scope fails closed.
 */
/** GitHub places an inline comment only when its whole line range lies inside one hunk. */
function withinHunk(hunks: HunkIndex | null, f: Finding): boolean {
  const end = f.endLine ?? f.startLine;
  return (hunks?.get(f.path) ?? []).some(([start, stop]) => f.startLine >= start && end <= stop);
}

export function selectFindings(findings: readonly Finding[], policy: Policy['findings'], files: Facts['files']): FindingSelection {
  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  const hunks: HunkIndex | null = files ? new Map(files.map((f) => [f.path, f.hunks])) : null;
  const denied = matcher(policy['deny-paths']);
  const minSeverity = SEVERITY_RANK[policy['min-severity']];
  const candidates: SelectedFinding[] = [];
  for (const finding of findings) {
    let reason: DropReason | undefined;
    if (unsafePathReason(finding.path)) reason = 'unsafe-path';
    else if (denied(finding.path)) reason = 'denied-path';
    else if (SEVERITY_RANK[finding.severity] < minSeverity) reason = 'severity';
    else if (finding.confidence < policy['min-confidence']) reason = 'confidence';
    else if (policy.scope === 'diff' && !inDiff(hunks, finding)) reason = 'out-of-scope';
    else if (policy.scope === 'files' && !hunks?.has(finding.path)) reason = 'out-of-scope';
    if (reason) dropped[reason]++;
    else candidates.push({ ...finding, fingerprint: fingerprintOf(finding), inline: false });
  }
  candidates.sort(compare);
  const seen = new Set<string>();
  const kept: SelectedFinding[] = [];
  let inline = 0;
  for (const finding of candidates) {
    if (seen.has(finding.fingerprint)) {
      dropped.duplicate++;
      continue;
    }
    seen.add(finding.fingerprint);
    if (inline < policy['max-inline'] && withinHunk(hunks, finding)) {
      finding.inline = true;
      inline++;
    }
    kept.push(finding);
  }
  return { kept, dropped, folded: kept.length - inline };
}
