/** A span of a text node to show as inline code, and why. */
export interface Range {
  start: number;
  end: number;
  kind: string;
}

/** Which kind names a merged range: a closing reference before a mention before an autolink. */
const PRIORITY: Record<string, number> = { 'closing-keyword': 0, mention: 1, autolink: 2 };
const rank = (kind: string) => PRIORITY[kind] ?? 3;

/** Sorts ranges and joins overlapping or touching ones; the joined range takes the highest-priority kind. */
export function mergeRanges(ranges: Range[]): Range[] {
  if (ranges.length < 2) return ranges;
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Range[] = [{ ...sorted[0]! }];
  for (const r of sorted.slice(1)) {
    const last = out[out.length - 1]!;
    if (r.start <= last.end) {
      last.end = Math.max(last.end, r.end);
      if (rank(r.kind) < rank(last.kind)) last.kind = r.kind;
    }
    else out.push({ ...r });
  }
  return out;
}
