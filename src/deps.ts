import type { Loaded } from './decide/blockers.js';
import type { Envelope } from './contract/envelope.js';
import type { Evidence } from './contract/evidence.js';
import type { Facts } from './contract/facts.js';
import type { Policy } from './contract/policy.js';
import type { EnvelopeDocument } from './decide/submission.js';
import type { Connection } from './connect.js';
import type { Redactor } from './content/redact/index.js';
import type { FileText } from './load/files.js';
import type { Settings } from './settings.js';

/** Where an annotation points (the subset of @actions/core's `AnnotationProperties` the action uses). */
export interface AnnotationProperties {
  title?: string;
  /** A path relative to the repository root. */
  file?: string;
  startLine?: number;
  endLine?: number;
}

/** The runner as the action sees it: inputs in, outputs, log and summary out. */
export interface ActionIO {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  setSecret(value: string): void;
  info(message: string): void;
  notice(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  error(message: string, properties?: AnnotationProperties): void;
  startGroup(name: string): void;
  endGroup(): void;
  setFailed(message: string): void;
  writeSummary(markdown: string): Promise<void>;
}

export interface FactsContext {
  envelope: Envelope | undefined;
  policy: Policy | undefined;
  fallback: Facts;
}

/** Where documents and live facts come from when they are not local files. */
export interface Sources {
  policy(settings: Settings): Promise<Loaded<Policy>>;
  envelope(settings: Settings): Promise<Loaded<EnvelopeDocument>>;
  evidence(settings: Settings): Promise<Loaded<Evidence>>;
  /** Live facts about the envelope's target; `fallback` is what the run assumes when GitHub is not asked. */
  facts(settings: Settings, context: FactsContext): Promise<Loaded<Facts>>;
}

export interface Deps {
  io: ActionIO;
  env: Readonly<Record<string, string | undefined>>;
  readFile(path: string, maxBytes: number): Promise<FileText>;
  sources: Sources;
  /** The firewalled GitHub client for writes and its write gate; absent in offline runs. */
  github?: Pick<Connection, 'client' | 'writes'> & Partial<Pick<Connection, 'lookups' | 'storage'>>;
  /** The secret scanner, told the run's known secret values. */
  createRedactor(secrets: readonly string[]): Redactor;
  now(): Date;
}
