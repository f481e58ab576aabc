/**
 * Renders the job summary of the example run (the inputs of `npm start`: examples/envelope.json,
 * evidence.json, publish-gate.yml and facts.json, in dry-run) through the action's own `run()`, turns
 * the Markdown into HTML the way GitHub does (GFM with micromark; alerts styled as GitHub styles
 * them; the Mermaid block stays code), and takes a screenshot with headless Chromium, to check that
 * the summary reads well at a glance. Everything goes to `.tmp/` (git-ignored): summary.md,
 * summary.html and summary.png.
 *
 *   npx tsx scripts/screenshot-summary.ts [--mode dry-run|live|off] [--chromium /usr/bin/chromium] [--width 1200] [--height 2000]
 *
 * `--mode live` shows the blocked run (a live run never acts on assumed facts) with its blockers
 * table, into `.tmp/summary-live.*`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { FactsFile } from '../src/contract/facts.js';
import { Limits } from '../src/contract/limits.js';
import { parseJson, validate } from '../src/contract/parse.js';
import { createRedactor } from '../src/content/redact/index.js';
import { mergeFacts } from '../src/decide/assumed.js';
import type { ActionIO, Deps } from '../src/deps.js';
import { readTextFile } from '../src/load/files.js';
import { run } from '../src/run.js';
import { offlineSources } from '../src/sources.js';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.tmp');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : fallback);
const example = (name: string) => join(ROOT, 'examples', name);
const MODE = option('--mode', 'dry-run');

async function exampleSummary(): Promise<{ markdown: string; log: string[] }> {
  const parsed = (() => {
    const json = parseJson(readFileSync(example('facts.json'), 'utf8'), Limits.factsBytes);
    return json.ok ? validate(FactsFile, json.value) : json;
  })();
  if (!parsed.ok) throw new Error(`examples/facts.json: ${parsed.issues.join('; ')}`);
  const given = parsed.value;
  const inputs: Record<string, string> = {
    mode: MODE,
    'envelope-path': example('envelope.json'),
    'evidence-path': example('evidence.json'),
    'config-path': example('publish-gate.yml'),
  };
  const summaries: string[] = [];
  const log: string[] = [];
  const io: ActionIO = {
    getInput: (name) => inputs[name] ?? '',
    setOutput: () => undefined,
    setSecret: () => undefined,
    info: (m) => void log.push(m),
    notice: (m, p) => void log.push(`::notice ${JSON.stringify(p ?? {})}::${m}`),
    warning: (m, p) => void log.push(`::warning ${JSON.stringify(p ?? {})}::${m}`),
    error: (m, p) => void log.push(`::error ${JSON.stringify(p ?? {})}::${m}`),
    startGroup: (n) => void log.push(`::group::${n}`),
    endGroup: () => void log.push('::endgroup::'),
    setFailed: (m) => void log.push(`failed: ${m}`),
    writeSummary: async (md) => void summaries.push(md),
  };
  const temp = mkdtempSync(join(tmpdir(), 'pg-screenshot-run-'));
  try {
    const deps: Deps = {
      io,
      env: {
        GITHUB_REPOSITORY: given.repository ?? 'octo/app',
        GITHUB_REPOSITORY_ID: '4242',
        GITHUB_RUN_ID: '1001',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_EVENT_NAME: given.event ?? 'workflow_run',
        GITHUB_ACTOR: given.actor ?? 'octo-dev',
        GITHUB_WORKFLOW: 'publish',
        GITHUB_WORKSPACE: ROOT,
        RUNNER_TEMP: temp,
      },
      readFile: readTextFile,
      sources: { ...offlineSources, facts: async (_settings, { fallback }) => ({ status: 'ok', value: mergeFacts(fallback, given), source: 'assumed' }) },
      createRedactor: (secrets) => createRedactor({ secrets }),
      now: () => new Date(given.now ?? '2026-11-21T11:00:00Z'),
    };
    await run(deps);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  if (summaries.length !== 1) throw new Error(`expected one summary, got ${summaries.length}`);
  return { markdown: summaries[0]!, log };
}

const ALERTS: Record<string, { color: string; icon: string; title: string }> = {
  NOTE: { color: '#0969da', icon: 'ℹ️', title: 'Note' },
  TIP: { color: '#1a7f37', icon: '💡', title: 'Tip' },
  IMPORTANT: { color: '#8250df', icon: '❕', title: 'Important' },
  WARNING: { color: '#9a6700', icon: '⚠', title: 'Warning' },
  CAUTION: { color: '#d1242f', icon: '⛔', title: 'Caution' },
};

/** GitHub's alert blocks, which micromark leaves as blockquotes. */
function alerts(html: string): string {
  return html.replace(/<blockquote>\n<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n?/g, (_m, kind: string) => {
    const a = ALERTS[kind]!;
    return `<blockquote class="alert" style="border-left-color:${a.color}"><p class="alert-title" style="color:${a.color}">${a.icon} ${a.title}</p>\n<p>`;
  });
}

const CSS = `
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; color: #1f2328; background: #f6f8fa; margin: 0; padding: 24px; }
main { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 16px 32px; max-width: 1080px; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0b3; padding-bottom: .3em; }
h3 { font-size: 1.25em; margin-top: 24px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; vertical-align: top; }
tr:nth-child(2n) { background: #f6f8fa; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 85%; background: #818b981f; border-radius: 6px; padding: .2em .4em; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; }
pre code { background: none; padding: 0; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
blockquote.alert { color: inherit; }
.alert-title { font-weight: 500; margin-bottom: 4px; }
a { color: #0969da; }
`;

function toHtml(markdown: string): string {
  // GitHub renders the summary's Markdown with its HTML allow-list; the summary's own HTML is `<br>`
  // and entities, so passing HTML through shows what GitHub shows.
  const body = alerts(micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }));
  return `<!doctype html><html><head><meta charset="utf-8"><title>Publish Gate summary</title><style>${CSS}</style></head><body><main>${body}</main></body></html>\n`;
}

function screenshot(htmlPath: string, pngPath: string): void {
  const chromium = option('--chromium', '/usr/bin/chromium');
  const profile = mkdtempSync(join(tmpdir(), 'pg-chromium-'));
  try {
    const result = spawnSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--screenshot=${pngPath}`,
        `--window-size=${option('--width', '1200')},${option('--height', '2000')}`,
        pathToFileURL(htmlPath).href,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (result.error) throw new Error(`${chromium}: ${result.error.message} (is Debian's chromium installed? see /tmp/apt-chromium.log)`);
    if (result.status !== 0) throw new Error(`${chromium} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const { markdown, log } = await exampleSummary();
mkdirSync(OUT, { recursive: true });
const name = MODE === 'dry-run' ? 'summary' : `summary-${MODE}`;
const md = join(OUT, `${name}.md`);
const html = join(OUT, `${name}.html`);
const png = join(OUT, `${name}.png`);
writeFileSync(md, markdown);
writeFileSync(html, toHtml(markdown));
writeFileSync(join(OUT, `${name}.log`), `${log.join('\n')}\n`);
screenshot(html, png);
console.log(`summary: ${md} (${Buffer.byteLength(markdown)} bytes)\nhtml: ${html}\nscreenshot: ${png}`);
