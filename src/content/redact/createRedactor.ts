import { BudgetExceededError } from './deadline.js';
import { createKnownValueScanner } from './knownValueScanner.js';
import { mergeFindings } from './mergeFindings.js';
import { createPatternScanner } from './patternScanner.js';
import { secretlintScanner } from './secretlintScanner.js';
import type { Redaction, Redactor, Scanner, SecretFinding } from './types.js';

export const UNSCANNABLE = '[REDACTED:unscannable]';

/** Default time budget: 2 s plus 1 ms per KiB of text (10 MiB: about 12 s, at least five times the measured cost). */
export function defaultBudgetMs(text: string): number {
  return 2000 + text.length / 1024;
}

export interface RedactorOptions {
  /** Values the action knows (token, `ledger-key`, masked values). Values shorter than 6 characters are ignored. */
  secrets?: readonly string[];
  /** Time budget per text in ms; by default {@link defaultBudgetMs}. */
  budgetMs?: number;
  /** Replaces the format scanners (ours, then secretlint); known values are always scanned first. For tests. */
  scanners?: readonly Scanner[];
}

/**
 * The redaction engine. Scanners run in order: known values, our own format rules, secretlint.
 * Overlapping findings merge (the longest finding names the span; ties go to the earlier scanner).
 * Fails closed: when a scanner throws or the budget runs out, `redact` returns the placeholder
 * `[REDACTED:unscannable]` with `failed: true` and no counts, never the input.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const scanners: Scanner[] = [
    createKnownValueScanner(options.secrets ?? []),
    ...(options.scanners ?? [createPatternScanner(), secretlintScanner]),
  ];

  async function scan(text: string): Promise<SecretFinding[]> {
    if (text.length === 0) return [];
    const budgetMs = options.budgetMs ?? defaultBudgetMs(text);
    const deadline = performance.now() + budgetMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BudgetExceededError()), Math.max(0, budgetMs));
    });
    timeout.catch(() => undefined);
    try {
      const findings: SecretFinding[] = [];
      for (const scanner of scanners) {
        const found = await Promise.race([Promise.resolve().then(() => scanner(text, deadline)), timeout]);
        if (performance.now() > deadline) throw new BudgetExceededError();
        for (const finding of found) {
          if (!(Number.isInteger(finding.start) && Number.isInteger(finding.end) && finding.start >= 0 && finding.end <= text.length)) {
            throw new Error('a scanner returned a finding outside the text');
          }
          findings.push(finding);
        }
      }
      return mergeFindings(findings);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    scan,
    async redact(text): Promise<Redaction> {
      let findings: SecretFinding[];
      try {
        findings = await scan(text);
      } catch {
        return { text: UNSCANNABLE, counts: {}, failed: true };
      }
      const counts: Record<string, number> = {};
      let out = '';
      let at = 0;
      for (const finding of findings) {
        out += `${text.slice(at, finding.start)}[REDACTED:${finding.rule}]`;
        at = finding.end;
        counts[finding.rule] = (counts[finding.rule] ?? 0) + 1;
      }
      return { text: out + text.slice(at), counts, failed: false };
    },
  };
}
