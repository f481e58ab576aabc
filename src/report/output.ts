import { logSafe } from '../content/log.js';
import { Limits, measure } from '../content/markdown/index.js';
import type { ContentPipeline } from '../content/pipeline.js';
import type { ActionIO, AnnotationProperties } from '../deps.js';
import { SUMMARY_BUDGET } from './renderSummary.js';

/** GitHub's limit for one step's job summary. */
export const SUMMARY_LIMIT = { chars: 1024 * 1024, bytes: 1024 * 1024 };

/**
 * A file path for an annotation's `file` property, or undefined when it is not a plain relative path:
 * no control characters or line breaks, no workflow-command openers, no `..`, `.`, empty or absolute
 * segments. @actions/core escapes property values too; this keeps a hostile path out altogether.
 */
export function annotationFile(path: string): string | undefined {
  if (path.length === 0 || path.length > 1000) return undefined;
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/.test(path) || path.includes('::') || path.includes('##[')) return undefined;
  const segments = path.split('/');
  if (/^[A-Za-z]:/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return path;
}

const lineNumber = (n: number | undefined) => (n !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : undefined);

/** The summary as text, or rendered on the queue within a byte budget (so it sees every count made before it). */
export type SummarySource = string | ((budget: number) => string);

/**
 * Everything the run says to the runner goes through here: log lines, annotations, outputs, the
 * summary and the failure message. Each passes the content pipeline first; calls stay synchronous
 * for the caller and are written in order by one queue, which `flush()` drains.
 */
export class SafeOutput {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly io: ActionIO,
    private readonly pipeline: ContentPipeline,
  ) {}

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step, step);
  }

  private lines(write: (line: string) => void, text: string): void {
    // Redact the whole text before splitting it, so a secret spread over lines (a PEM key) is found.
    this.enqueue(async () => {
      for (const line of (await this.pipeline.redacted(text)).split(/\r\n|\r|\n/)) write(logSafe(line));
    });
  }

  info(text: string): void {
    this.lines((l) => this.io.info(l), text);
  }

  /**
   * An annotation's properties, as safe as its message: the title redacted and made a log line, the
   * file kept only when redaction left it unchanged and it is a plain relative path, lines only with a
   * file and only as positive integers.
   */
  private async properties(at: AnnotationProperties | undefined): Promise<AnnotationProperties | undefined> {
    if (!at) return undefined;
    const out: AnnotationProperties = {};
    if (at.title) out.title = logSafe(await this.pipeline.plain(at.title, Limits.annotationTitle));
    if (at.file !== undefined) {
      const file = annotationFile(at.file);
      if (file !== undefined && (await this.pipeline.redacted(file)) === file) {
        out.file = file;
        const start = lineNumber(at.startLine);
        const end = lineNumber(at.endLine);
        if (start !== undefined) {
          out.startLine = start;
          out.endLine = end !== undefined && end >= start ? end : start;
        }
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private annotate(write: (message: string, properties?: AnnotationProperties) => void, text: string, at?: AnnotationProperties): void {
    this.enqueue(async () => {
      const message = await this.pipeline.logLine(text);
      const properties = await this.properties(at);
      if (properties) write(message, properties);
      else write(message);
    });
  }

  notice(text: string, at?: AnnotationProperties): void {
    this.annotate((m, p) => this.io.notice(m, p), text, at);
  }

  warning(text: string, at?: AnnotationProperties): void {
    this.annotate((m, p) => this.io.warning(m, p), text, at);
  }

  error(text: string, at?: AnnotationProperties): void {
    this.annotate((m, p) => this.io.error(m, p), text, at);
  }

  /** Group names are our own words; they still pass the pipeline. */
  group(name: string): void {
    this.enqueue(async () => this.io.startGroup(await this.pipeline.logLine(name)));
  }

  endGroup(): void {
    this.enqueue(async () => this.io.endGroup());
  }

  output(name: string, value: string | object): void {
    this.enqueue(async () => this.io.setOutput(name, typeof value === 'string' ? await this.pipeline.redacted(value) : await this.pipeline.json(value)));
  }

  failed(message: string): void {
    this.enqueue(async () => this.io.setFailed(await this.pipeline.logLine(message)));
  }

  /**
   * The job summary. A render function runs on the queue, after every earlier line and output passed
   * the pipeline. Redaction can lengthen a text (`[REDACTED:rule]` for a short secret), so when the
   * redacted summary is over the budget it is rendered again with less room: whole rows are dropped
   * before the pipeline's last-resort cut could ever fall inside a table.
   */
  summary(source: SummarySource): void {
    this.enqueue(async () => {
      try {
        const render = typeof source === 'string' ? () => source : source;
        let budget = SUMMARY_BUDGET;
        let markdown = await this.pipeline.composed(render(budget), SUMMARY_LIMIT);
        for (let attempt = 0; attempt < 3 && typeof source !== 'string' && measure(markdown).bytes > SUMMARY_BUDGET; attempt++) {
          budget = Math.floor(budget / 2);
          markdown = await this.pipeline.composed(render(budget), SUMMARY_LIMIT);
        }
        await this.io.writeSummary(markdown);
      } catch (error) {
        this.io.warning(await this.pipeline.logLine(`job summary not written: ${String(error)}`));
      }
    });
  }

  /** Waits until every queued line, output and summary has been written. */
  async flush(): Promise<void> {
    await this.queue;
  }
}
