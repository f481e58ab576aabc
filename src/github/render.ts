/**
 * Bodies of the writes (SPEC §9, §11). Every untrusted string (agent summary, finding titles, bodies and
 * paths, PR title and body, status description) goes through the content pipeline before it is placed in
 * our own Markdown; table cells are escaped again as cells; whole bodies are redacted and cut to GitHub's
 * limits by the pipeline, and the marker line is prepended after that so no rule can touch it.
 */
import type { ContentPipeline, SafeText } from '../content/pipeline.js';
import { Limits, type TextLimit, markdownCell, measure } from '../content/markdown/index.js';
import type { WritePayload } from '../decide/writes.js';
import type { SelectedFinding } from '../decide/findings.js';
import { markerLine, reviewMarkerLine } from './marker.js';

type Payload<K extends WritePayload['kind']> = Extract<WritePayload, { kind: K }>;

/** Rows shown before the rest of a findings table is folded into `<details>`. */
export const VISIBLE_ROWS = 20;
/** Check-run annotations per request (GitHub's cap). */
export const ANNOTATION_BATCH = 50;
const PATH_LIMIT: TextLimit = { chars: 4096, bytes: 4096 };
const HEADING = '### Publish Gate';

/** `limit` less the marker line and its newline. */
function minus(limit: TextLimit, marker: string): TextLimit {
  const n = Buffer.byteLength(marker, 'utf8') + 2;
  return { chars: limit.chars - n, bytes: limit.bytes - n };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function cell(content: ContentPipeline, text: string, limit: TextLimit = Limits.title): Promise<string> {
  return markdownCell(await content.plain(text, limit));
}

/** A body of 65,536 characters holds at most about 2,000 rows: more are never rendered (the cut would drop them). */
const MAX_TABLE_ROWS = 2000;

async function findingRows(content: ContentPipeline, findings: readonly SelectedFinding[]): Promise<string[]> {
  const listed = findings.slice(0, MAX_TABLE_ROWS);
  const span = (f: SelectedFinding) => (f.endLine !== undefined && f.endLine !== f.startLine ? `${f.startLine}-${f.endLine}` : `${f.startLine}`);
  // Two short texts per finding, redacted in batches (see ContentPipeline.plainMany).
  const locations = await content.plainMany(listed.map((f) => `${f.path}:${span(f)}`), PATH_LIMIT);
  const titles = await content.plainMany(listed.map((f) => f.title), Limits.title);
  return listed.map((f, i) => `| ${f.severity} | ${markdownCell(locations[i]!)} | ${markdownCell(titles[i]!)} |`);
}

const HEADER = ['| Severity | Location | Finding |', '| --- | --- | --- |'];
const unlistedLine = (n: number) => `_${plural(n, 'more finding')} not listed: a body cannot hold them._`;

/** `limit` less what `parts` take, joined with blank lines as the body joins them, one more join included. */
function leftAfter(limit: TextLimit, parts: readonly string[]): TextLimit {
  const used = measure(`${parts.filter(Boolean).join('\n\n')}\n\n`);
  return { chars: limit.chars - used.chars, bytes: limit.bytes - used.bytes };
}

/**
 * A findings table within `budget`, the first {@link VISIBLE_ROWS} rows shown and the rest folded.
 * Rows are added while they fit and the rest are counted as not listed, so the body is never cut
 * inside the table: cutting a table of thousands of rows by its Markdown structure means parsing it,
 * which took seconds (the body is still cut by the pipeline if redaction makes it longer).
 */
export async function findingsTable(content: ContentPipeline, findings: readonly SelectedFinding[], budget: TextLimit): Promise<string> {
  if (findings.length === 0) return '';
  const rows = await findingRows(content, findings);
  // The folding around the rest and the last line, counted with the widest numbers they can hold.
  const wrapper = measure(`\n\n<details><summary>${plural(findings.length, 'more finding')}</summary>\n\n${HEADER.join('\n')}\n\n${unlistedLine(findings.length)}\n\n</details>`);
  let chars = measure(HEADER.join('\n')).chars + wrapper.chars;
  let bytes = measure(HEADER.join('\n')).bytes + wrapper.bytes;
  let listed = 0;
  for (const row of rows) {
    const size = measure(row);
    if (chars + size.chars + 1 > budget.chars || bytes + size.bytes + 1 > budget.bytes) break;
    chars += size.chars + 1;
    bytes += size.bytes + 1;
    listed++;
  }
  const unlisted = findings.length - listed;
  if (listed === 0) return unlistedLine(unlisted).replace('more finding', 'finding');
  const shown = [...HEADER, ...rows.slice(0, Math.min(listed, VISIBLE_ROWS))].join('\n');
  const more = unlisted > 0 ? `\n\n${unlistedLine(unlisted)}` : '';
  if (listed <= VISIBLE_ROWS) return `${shown}${more}`;
  const rest = rows.slice(VISIBLE_ROWS, listed);
  return `${shown}\n\n<details><summary>${plural(findings.length - VISIBLE_ROWS, 'more finding')}</summary>\n\n${[...HEADER, ...rest].join('\n')}${more}\n\n</details>`;
}

function droppedLine(dropped: Payload<'comment'>['dropped']): string {
  const parts = Object.entries(dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`);
  return parts.length ? `<sub>Not published: ${parts.join(', ')}.</sub>` : '';
}

async function summaryBlock(content: ContentPipeline, summary: string, limit: TextLimit = Limits.body): Promise<SafeText> {
  return summary.trim() ? content.markdown(summary, limit) : content.composed('_No summary._', limit);
}

/** Our Markdown around already-sanitized pieces: redacted and cut, then the marker first. */
async function withMarker(content: ContentPipeline, marker: string, parts: string[], limit: TextLimit): Promise<SafeText> {
  return content.marked(marker, await content.composed(parts.filter(Boolean).join('\n\n'), minus(limit, marker)));
}

/** The sticky comment: summary, findings table with folded overflow, dropped counts. */
export async function renderComment(content: ContentPipeline, p: Payload<'comment'>, key: string, ledgerKey?: string): Promise<SafeText> {
  const marker = markerLine(key, ledgerKey);
  const head = [HEADING, await summaryBlock(content, p.summary), p.findings.length ? `**${plural(p.findings.length, 'finding')}**` : ''];
  const dropped = droppedLine(p.dropped);
  const table = await findingsTable(content, p.findings, leftAfter(minus(Limits.body, marker), [...head, dropped]));
  return withMarker(content, marker, [...head, table, dropped], Limits.body);
}

export interface RenderedReview {
  event: 'COMMENT' | 'REQUEST_CHANGES';
  body: SafeText;
  comments: { path: SafeText; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT'; body: SafeText }[];
}

/** A review: inline comments for `inline` findings (unless `foldAll`), the others folded into the body. */
export async function renderReview(
  content: ContentPipeline,
  p: Payload<'review'>,
  key: string,
  options: { ledgerKey?: string; event?: RenderedReview['event']; foldAll?: boolean } = {},
): Promise<RenderedReview> {
  const inline = options.foldAll ? [] : p.findings.filter((f) => f.inline);
  const folded = options.foldAll ? p.findings : p.findings.filter((f) => !f.inline);
  const comments: RenderedReview['comments'] = [];
  for (const f of inline) {
    const title = `**${f.severity}**: ${await cell(content, f.title)}`;
    const text = f.body?.trim() ? await content.markdown(f.body, minus(Limits.body, title)) : '';
    const end = f.endLine ?? f.startLine;
    comments.push({
      path: await content.plain(f.path, PATH_LIMIT),
      line: end,
      side: 'RIGHT',
      ...(end > f.startLine ? { start_line: f.startLine, start_side: 'RIGHT' as const } : {}),
      body: await content.composed(text ? `${title}\n\n${text}` : title, Limits.body),
    });
  }
  const marker = reviewMarkerLine(key, options.ledgerKey);
  const head = [`${HEADING} review`, await summaryBlock(content, p.summary), folded.length ? `**${plural(folded.length, 'finding')} outside inline comments**` : ''];
  const table = await findingsTable(content, folded, leftAfter(minus(Limits.body, marker), head));
  const body = await withMarker(content, marker, [...head, table], Limits.body);
  return { event: options.event ?? p.event, body, comments };
}

export interface RenderedCheckRun {
  name: string;
  head_sha: string;
  external_id: string;
  conclusion: string;
  output: { title: SafeText; summary: SafeText; text?: SafeText };
  annotations: {
    path: SafeText;
    start_line: number;
    end_line: number;
    annotation_level: 'failure' | 'warning' | 'notice';
    title: SafeText;
    message: SafeText;
  }[];
}

const LEVEL = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice', info: 'notice' } as const;

export async function renderCheckRun(content: ContentPipeline, p: Payload<'check-run'>, key: string, ledgerKey?: string): Promise<RenderedCheckRun> {
  const marker = markerLine(key, ledgerKey);
  const summary = content.marked(marker, await summaryBlock(content, p.summary, minus(Limits.checkRunText, marker)));
  const table = await findingsTable(content, p.findings, Limits.checkRunText);
  const text = table ? await content.composed(table, Limits.checkRunText) : undefined;
  // Three short texts per finding, redacted in batches (see ContentPipeline.plainMany).
  const titles = await content.plainMany(p.findings.map((f) => f.title), Limits.annotationTitle);
  const bodies = await content.plainMany(p.findings.map((f) => f.body?.trim() ?? ''), Limits.annotationMessage);
  const paths = await content.plainMany(p.findings.map((f) => f.path), PATH_LIMIT);
  const annotations: RenderedCheckRun['annotations'] = p.findings.map((f, i) => ({
    path: paths[i]!,
    start_line: f.startLine,
    end_line: f.endLine ?? f.startLine,
    annotation_level: LEVEL[f.severity],
    title: titles[i]!,
    message: bodies[i] || titles[i]!,
  }));
  return {
    name: p.name,
    head_sha: p.headSha,
    external_id: key,
    conclusion: p.conclusion,
    output: { title: await content.plain(p.title, Limits.title), summary, ...(text ? { text } : {}) },
    annotations,
  };
}

export async function renderStatus(content: ContentPipeline, p: Payload<'status'>): Promise<{ sha: string; context: string; state: string; description: SafeText }> {
  return { sha: p.sha, context: p.context, state: p.state, description: await content.plain(p.description, Limits.statusDescription) };
}

export async function renderPullRequest(content: ContentPipeline, p: Payload<'pull-request'>, key: string, ledgerKey?: string): Promise<{ title: SafeText; body: SafeText }> {
  const marker = markerLine(key, ledgerKey);
  const body = await content.markdown(p.body, minus(Limits.body, marker));
  return { title: await content.plain(p.title, Limits.title), body: content.marked(marker, body) };
}
