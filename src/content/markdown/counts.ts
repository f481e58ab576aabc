/** What a sanitizer neutralized, by kind. Kinds with a zero count are absent. */
export type Counts = Record<string, number>;

export function bump(counts: Counts, kind: string, n = 1): void {
  if (n > 0) counts[kind] = (counts[kind] ?? 0) + n;
}

export function addCounts(into: Counts, from: Counts): void {
  for (const [kind, n] of Object.entries(from)) bump(into, kind, n);
}
