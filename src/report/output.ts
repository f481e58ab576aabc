import { logSafe } from '../content/log.js';
import type { ContentPipeline } from '../content/pipeline.js';
import type { ActionIO } from '../deps.js';

/** GitHub's limit for one step's job summary. */
export const SUMMARY_LIMIT = { chars: 1024 * 1024, bytes: 1024 * 1024 };

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

  warning(text: string): void {
    this.enqueue(async () => this.io.warning(await this.pipeline.logLine(text)));
  }

  error(text: string): void {
    this.enqueue(async () => this.io.error(await this.pipeline.logLine(text)));
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

  summary(markdown: string): void {
    this.enqueue(async () => {
      try {
        await this.io.writeSummary(await this.pipeline.composed(markdown, SUMMARY_LIMIT));
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
