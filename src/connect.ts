import type { Sources } from './deps.js';
import { type GitHubClient, createClient } from './github/client.js';
import { FirstLookups } from './github/lookups.js';
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
}

/** GitHub as the runner describes it (GITHUB_* variables), reached only through the firewall. */
export function connect(env: Readonly<Record<string, string | undefined>>): Connection {
  const writes = { allowed: false };
  const lookups = new FirstLookups();
  let made: GitHubClient | undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const client = (settings: Settings) => {
    if (!made && settings.token && repository) made = createClient({ token: settings.token, repository, writes, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    return made;
  };
  const live = (settings: Settings): Sources => {
    const octokit = client(settings);
    if (!octokit) return offlineSources;
    const runId = Number(env.GITHUB_RUN_ID);
    return githubSources(octokit, {
      repository,
      event: env.GITHUB_EVENT_NAME ?? 'unknown',
      actor: env.GITHUB_ACTOR ?? 'unknown',
      ...(Number.isSafeInteger(runId) && runId > 0 ? { runId } : {}),
    }, lookups);
  };
  return {
    writes,
    lookups,
    client,
    sources: {
      policy: (settings) => live(settings).policy(settings),
      envelope: (settings) => live(settings).envelope(settings),
      evidence: (settings) => live(settings).evidence(settings),
      facts: (settings, context) => live(settings).facts(settings, context),
    },
  };
}
