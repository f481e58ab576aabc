import type { ActionIO, AnnotationProperties, Deps, Sources } from '../src/deps.js';
import { createRedactor } from '../src/content/redact/index.js';
import { readTextFile } from '../src/load/files.js';
import { offlineSources } from '../src/sources.js';

export interface FakeIO extends ActionIO {
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  log: string[];
  secrets: string[];
  summaries: string[];
  /** Every annotation with its properties, in order (also in `log` as `::level::message`). */
  annotations: { level: 'notice' | 'warning' | 'error'; message: string; properties?: AnnotationProperties }[];
  failed?: string;
}

export function fakeIO(inputs: Record<string, string> = {}): FakeIO {
  const annotate = (level: 'notice' | 'warning' | 'error', message: string, properties?: AnnotationProperties) => {
    io.annotations.push(properties ? { level, message, properties } : { level, message });
    io.log.push(`::${level}::${message}`);
  };
  const io: FakeIO = {
    inputs,
    outputs: {},
    log: [],
    secrets: [],
    summaries: [],
    annotations: [],
    getInput: (name) => inputs[name] ?? '',
    setOutput: (name, value) => void (io.outputs[name] = value),
    setSecret: (value) => void io.secrets.push(value),
    info: (m) => void io.log.push(m),
    notice: (m, p) => annotate('notice', m, p),
    warning: (m, p) => annotate('warning', m, p),
    error: (m, p) => annotate('error', m, p),
    startGroup: (n) => void io.log.push(`::group::${n}`),
    endGroup: () => void io.log.push('::endgroup::'),
    setFailed: (m) => void (io.failed = m),
    writeSummary: async (md) => void io.summaries.push(md),
  };
  return io;
}

export function fakeDeps(io: FakeIO, overrides: Partial<Omit<Deps, 'sources'>> & { sources?: Partial<Sources> } = {}): Deps {
  const { sources, ...rest } = overrides;
  return {
    io,
    env: { GITHUB_REPOSITORY: 'octo/app', GITHUB_EVENT_NAME: 'workflow_run', GITHUB_ACTOR: 'octo-dev' },
    readFile: readTextFile,
    now: () => new Date('2026-11-21T11:00:00Z'),
    createRedactor: (secrets) => createRedactor({ secrets }),
    ...rest,
    sources: { ...offlineSources, ...sources },
  };
}
