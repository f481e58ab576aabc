import { logSafe } from './log.js';
import { type MarkdownPolicy, type TextLimit, sanitizeMarkdown, sanitizePlain, truncateMarkdown, truncatePlain } from './markdown/index.js';
import { type Redactor, UNSCANNABLE } from './redact/index.js';

/** Joins the texts of one batch: sanitized text has no NUL, so no text contains it. */
const SEPARATOR = '\n\u0000\n';
/**
 * Characters per batch: well inside one scan's time budget (2 s + 1 ms per KiB). Not larger, because
 * secretlint compares every pair of its messages in a scan, so a batch full of tokens costs
 * quadratically (measured side by side on 10,000 token-dense annotations: 256 KiB 390–580 ms,
 * 96 KiB 330–530 ms; ordinary text the same at both); not smaller, because 48, 24 and 12 KiB, with
 * the automaton's threshold (`AUTOMATON_FROM_CHARS`) lowered to match, measured no faster: each scan
 * has a fixed cost that takes the gain back.
 */
export const BATCH_CHARS = 96 * 1024;

declare const safeBrand: unique symbol;

/**
 * Text that went through the content pipeline: sanitized, redacted and within its limit. Only this
 * module can make one, so an adapter that accepts `SafeText` cannot be handed raw agent text.
 */
export type SafeText = string & { readonly [safeBrand]: true };

const brand = (text: string) => text as SafeText;

/** What the pipeline did, by rule or kind: counts only, never the values. */
export interface ContentReport {
  redactions: Record<string, number>;
  neutralized: Record<string, number>;
  /** Texts replaced by a placeholder because scanning failed or ran out of time. */
  unscannable: number;
}

/** Until a policy is read: no mentions allowed, links only to github.com (the policy's own defaults). */
export const DEFAULT_MARKDOWN_POLICY: MarkdownPolicy = { allowedMentions: [], allowedDomains: ['github.com'] };

const MARKER_FORMS = [
  /^<!-- publish-gate v1 key=[0-9a-f]{32} mac=(?:none|[0-9a-f]{64}) -->$/,
  /^\[publish-gate\]: # \(v1 key=[0-9a-f]{32} mac=(?:none|[0-9a-f]{64})\)$/,
];

function add(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [k, n] of Object.entries(counts)) into[k] = (into[k] ?? 0) + n;
}

/**
 * The one choke point for outgoing text (SPEC §11). Order matters: Markdown is sanitized first,
 * because removing invisible characters or comments could otherwise join the halves of a split
 * secret after it was scanned; redaction runs on the final text; truncation comes last, so a cut
 * can never leave a partial secret that no longer matches its rule.
 */
export class ContentPipeline {
  readonly report: ContentReport = { redactions: {}, neutralized: {}, unscannable: 0 };

  constructor(
    private readonly redactor: Redactor,
    private readonly policy: MarkdownPolicy = DEFAULT_MARKDOWN_POLICY,
    report?: ContentReport,
  ) {
    if (report) this.report = report;
  }

  /** The same redactor and report, with the Markdown rules of the policy that was read. */
  withMarkdownPolicy(policy: MarkdownPolicy): ContentPipeline {
    return new ContentPipeline(this.redactor, policy, this.report);
  }

  private async redact(text: string): Promise<string> {
    const result = await this.redactor.redact(text);
    add(this.report.redactions, result.counts);
    if (result.failed) this.report.unscannable++;
    return result.text;
  }

  /** Agent Markdown for a body: comments, PR body, review, check-run summary. */
  async markdown(text: string, limit: TextLimit): Promise<SafeText> {
    const sanitized = sanitizeMarkdown(text, this.policy);
    add(this.report.neutralized, sanitized.counts);
    return brand(truncateMarkdown(await this.redact(sanitized.text), limit));
  }

  /** A one-line plain field: titles, status descriptions, annotation titles. */
  async plain(text: string, limit: TextLimit): Promise<SafeText> {
    return brand(truncatePlain(await this.redact(sanitizePlain(text)), limit));
  }

  /**
   * Many short plain texts (check-run annotations: a title, a message and a path per finding), with
   * the same result as `plain` on each, redacted in batches: one scan costs about 0.3 ms whatever
   * its length, so 30,000 separate scans would dominate a large plan. Texts are joined with a
   * separator that sanitized text cannot contain (a NUL between newlines); a finding is applied to
   * every text it overlaps, so a match that a scanner made across a separator redacts more, never
   * less. A batch that cannot be scanned turns every text in it into the placeholder (fail closed).
   */
  async plainMany(texts: readonly string[], limit: TextLimit): Promise<SafeText[]> {
    return (await this.redactMany(texts.map((t) => sanitizePlain(t)))).map((text) => brand(truncatePlain(text, limit)));
  }

  /** Texts redacted together in batches of about {@link BATCH_CHARS}, in order (see {@link plainMany}). */
  private async redactMany(texts: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < texts.length; ) {
      const batch: string[] = [];
      let size = 0;
      while (i < texts.length && (batch.length === 0 || size + texts[i]!.length <= BATCH_CHARS)) {
        batch.push(texts[i]!);
        size += texts[i]!.length + SEPARATOR.length;
        i++;
      }
      out.push(...(await this.redactBatch(batch)));
    }
    return out;
  }

  private async redactBatch(texts: readonly string[]): Promise<string[]> {
    if (texts.length === 1) return [await this.redact(texts[0]!)];
    const joined = texts.join(SEPARATOR);
    let findings: { start: number; end: number; rule: string }[];
    try {
      findings = await this.redactor.scan(joined);
    } catch {
      this.report.unscannable += texts.length;
      return texts.map(() => UNSCANNABLE);
    }
    const out: string[] = [];
    let from = 0;
    // Findings come sorted and disjoint: each text looks only at those that reach into it.
    let first = 0;
    for (const text of texts) {
      const to = from + text.length;
      while (first < findings.length && findings[first]!.end <= from) first++;
      let result = '';
      let at = 0;
      for (let k = first; k < findings.length && findings[k]!.start < to; k++) {
        const f = findings[k]!;
        const start = Math.max(f.start, from) - from;
        const end = Math.min(f.end, to) - from;
        if (end <= start || start < at) continue;
        result += `${text.slice(at, start)}[REDACTED:${f.rule}]`;
        at = end;
        this.report.redactions[f.rule] = (this.report.redactions[f.rule] ?? 0) + 1;
      }
      out.push(result + text.slice(at));
      from = to + SEPARATOR.length;
    }
    return out;
  }

  /**
   * Markdown we composed ourselves around untrusted cells that were already escaped (the job
   * summary): only redaction and the size limit apply, since escaping twice would garble it.
   */
  async composed(markdown: string, limit: TextLimit): Promise<SafeText> {
    return brand(truncateMarkdown(await this.redact(markdown), limit));
  }

  /** Text whose form must stay as it is (an output value): redaction only. */
  async redacted(text: string): Promise<SafeText> {
    return brand(await this.redact(text));
  }

  /**
   * A body with our idempotency marker as its first line. The marker is our own text, but it is
   * checked against its exact form, so nothing else can be slipped in front of a safe body.
   */
  marked(marker: string, body: SafeText): SafeText {
    if (!MARKER_FORMS.some((form) => form.test(marker))) throw new Error('not a Publish Gate marker line');
    return brand(body ? `${marker}\n${body}` : marker);
  }

  /** A value for an output or the ledger: every string in it redacted (together, in batches), then JSON. */
  async json(value: unknown): Promise<SafeText> {
    const strings: string[] = [];
    const collect = (item: unknown): void => {
      if (typeof item === 'string') strings.push(item);
      else if (Array.isArray(item)) item.forEach(collect);
      else if (item !== null && typeof item === 'object') Object.values(item).forEach(collect);
    };
    collect(value);
    const redacted = await this.redactMany(strings);
    let next = 0;
    const rebuild = (item: unknown): unknown => {
      if (typeof item === 'string') return redacted[next++];
      if (Array.isArray(item)) return item.map(rebuild);
      if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, rebuild(v)]));
      return item;
    };
    return brand(JSON.stringify(rebuild(value)));
  }

  /** A log line: redacted, then made unable to form a workflow command. */
  async logLine(text: string): Promise<SafeText> {
    return brand(logSafe(await this.redact(text)));
  }
}
