import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createActionsArtifactStore } from './artifact/actionsStore.js';
import { type ArtifactStore, sharedRunListing } from './artifact/store.js';
import type { Sources } from './deps.js';
import type { GitHubClient } from './github/client.js';
import { FirstLookups } from './github/lookups.js';
import { createActionsLedgerStorage } from './ledger/actionsStorage.js';
import type { LedgerPorts } from './ledger/lifecycle.js';
import type { Settings } from './settings.js';
import { githubSources, offlineSources } from './sources.js';

export interface Connection {
  sources: Sources;
  /**
   * The firewalled client, made once from the token input; undefined without a token or repository.
   * Its module (Octokit and undici, most of the bundle) is imported only then, so an offline run
   * never loads the network stack.
   */
  client(settings: Settings): Promise<GitHubClient | undefined>;
  /** Closed until the plan allows writes; the firewall reads it on every request. */
  writes: { allowed: boolean };
  /** Lists the fact reads fetched, offered to the writer's first lookups. */
  lookups: FirstLookups;
  /** Artifacts and the ledger's cache; undefined without a client or RUNNER_TEMP. */
  storage(settings: Settings): Promise<LedgerPorts | undefined>;
}

/** Largest event payload read for the `workflow_run` run id (GitHub's payloads are far smaller). */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;

/** The event payload the runner wrote (GITHUB_EVENT_PATH), parsed; undefined when there is none or it cannot be read as JSON within the size cap. */
function eventPayload(env: Readonly<Record<string, string | undefined>>): { value: unknown } | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    if (statSync(env.GITHUB_EVENT_PATH).size > MAX_EVENT_BYTES) return undefined;
    return { value: JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as unknown };
  } catch {
    return undefined;
  }
}

/** The `workflow_run` event's run id, from the payload the runner wrote; undefined for other events or an unreadable payload. */
export function workflowRunIdOf(env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (env.GITHUB_EVENT_NAME !== 'workflow_run') return undefined;
  const id = (eventPayload(env)?.value as { workflow_run?: { id?: unknown } } | null | undefined)?.workflow_run?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * Whether GITHUB_EVENT_PATH names a payload the libraries can be left to read. @actions/github builds
 * its `context` when it is imported (and @actions/artifact imports it) by reading and `JSON.parse`-ing
 * that file unguarded and uncapped: a payload that is not JSON would throw there and end the run as an
 * unexpected error. The action uses only the run id from it (above); nothing reads the libraries' copy.
 */
export function eventPayloadUnreadable(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.GITHUB_EVENT_PATH !== undefined && env.GITHUB_EVENT_PATH !== '' && existsSync(env.GITHUB_EVENT_PATH) && eventPayload(env) === undefined;
}

const positive = (text: string | undefined) => {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** GitHub as the runner describes it (GITHUB_* variables), reached only through the firewall. */
export function connect(env: Readonly<Record<string, string | undefined>>): Connection {
  const writes = { allowed: false };
  const lookups = new FirstLookups();
  let made: Promise<GitHubClient> | undefined;
  let ports: LedgerPorts | undefined;
  let documents: ArtifactStore | undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const currentRunId = positive(env.GITHUB_RUN_ID);
  // SPEC §2: run-id defaults to the workflow_run event's run, else the current run.
  const artifactRunId = workflowRunIdOf(env) ?? currentRunId;
  const client = async (settings: Settings): Promise<GitHubClient | undefined> => {
    if (!settings.token || !repository) return undefined;
    made ??= import('./github/client.js').then(({ createClient }) =>
      createClient({ token: settings.token, repository, writes, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }),
    );
    return made;
  };
  const storage = async (settings: Settings): Promise<LedgerPorts | undefined> => {
    const octokit = await client(settings);
    if (ports || !octokit || !env.RUNNER_TEMP || currentRunId === undefined) return ports;
    ports = {
      artifacts: createActionsArtifactStore({ client: octokit, repository, currentRunId, token: settings.token, env }),
      ledger: createActionsLedgerStorage({ cacheDir: join(env.RUNNER_TEMP, 'publish-gate-ledger-cache') }),
    };
    return ports;
  };
  const live = async (settings: Settings): Promise<Sources> => {
    const octokit = await client(settings);
    if (!octokit) return offlineSources;
    const ports = await storage(settings);
    // One listing of the documents' run serves the envelope and the evidence (the ledger keeps its own store).
    if (ports && !documents) documents = sharedRunListing(ports.artifacts);
    return githubSources(
      octokit,
      {
        repository,
        event: env.GITHUB_EVENT_NAME ?? 'unknown',
        actor: env.GITHUB_ACTOR ?? 'unknown',
        ...(currentRunId !== undefined ? { runId: currentRunId } : {}),
        ...(artifactRunId !== undefined ? { artifactRunId } : {}),
        ...(env.RUNNER_TEMP ? { tempDir: env.RUNNER_TEMP } : {}),
      },
      lookups,
      documents,
    );
  };
  return {
    writes,
    lookups,
    client,
    storage,
    sources: {
      policy: async (settings) => (await live(settings)).policy(settings),
      envelope: async (settings) => (await live(settings)).envelope(settings),
      evidence: async (settings) => (await live(settings)).evidence(settings),
      facts: async (settings, context) => (await live(settings)).facts(settings, context),
    },
  };
}
