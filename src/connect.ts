import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createActionsArtifactStore } from './artifact/actionsStore.js';
import type { Sources } from './deps.js';
import { type GitHubClient, createClient } from './github/client.js';
import { FirstLookups } from './github/lookups.js';
import { createActionsLedgerStorage } from './ledger/actionsStorage.js';
import type { LedgerPorts } from './ledger/lifecycle.js';
import type { Settings } from './settings.js';
import { githubSources, offlineSources } from './sources.js';

export interface Connection {
  sources: Sources;
  /** The firewalled client, made once from the token input; undefined without a token or repository. */
  client(settings: Settings): GitHubClient | undefined;
  /** Closed until the plan allows writes; the firewall reads it on every request. */
  writes: { allowed: boolean };
  /** Lists the fact reads fetched, offered to the writer's first lookups. */
  lookups: FirstLookups;
  /** Artifacts and the ledger's cache; undefined without a client or RUNNER_TEMP. */
  storage(settings: Settings): LedgerPorts | undefined;
}

/** Largest event payload read for the `workflow_run` run id (GitHub's payloads are far smaller). */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;

/** The `workflow_run` event's run id, from the payload the runner wrote; undefined for other events or an unreadable payload. */
export function workflowRunIdOf(env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (env.GITHUB_EVENT_NAME !== 'workflow_run' || !env.GITHUB_EVENT_PATH) return undefined;
  try {
    if (statSync(env.GITHUB_EVENT_PATH).size > MAX_EVENT_BYTES) return undefined;
    const id = (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { workflow_run?: { id?: unknown } } | null)?.workflow_run?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

const positive = (text: string | undefined) => {
  const n = Number(text);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** GitHub as the runner describes it (GITHUB_* variables), reached only through the firewall. */
export function connect(env: Readonly<Record<string, string | undefined>>): Connection {
  const writes = { allowed: false };
  const lookups = new FirstLookups();
  let made: GitHubClient | undefined;
  let ports: LedgerPorts | undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const currentRunId = positive(env.GITHUB_RUN_ID);
  // SPEC §2: run-id defaults to the workflow_run event's run, else the current run.
  const artifactRunId = workflowRunIdOf(env) ?? currentRunId;
  const client = (settings: Settings) => {
    if (!made && settings.token && repository) made = createClient({ token: settings.token, repository, writes, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    return made;
  };
  const storage = (settings: Settings): LedgerPorts | undefined => {
    const octokit = client(settings);
    if (ports || !octokit || !env.RUNNER_TEMP || currentRunId === undefined) return ports;
    ports = {
      artifacts: createActionsArtifactStore({ client: octokit, repository, currentRunId, token: settings.token, env }),
      ledger: createActionsLedgerStorage({ cacheDir: join(env.RUNNER_TEMP, 'publish-gate-ledger-cache') }),
    };
    return ports;
  };
  const live = (settings: Settings): Sources => {
    const octokit = client(settings);
    if (!octokit) return offlineSources;
    const artifacts = storage(settings)?.artifacts;
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
      artifacts,
    );
  };
  return {
    writes,
    lookups,
    client,
    storage,
    sources: {
      policy: (settings) => live(settings).policy(settings),
      envelope: (settings) => live(settings).envelope(settings),
      evidence: (settings) => live(settings).evidence(settings),
      facts: (settings, context) => live(settings).facts(settings, context),
    },
  };
}
