import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHubClient } from '../github/client.js';
import type { ArtifactInfo, ArtifactStore } from './store.js';

export interface ActionsArtifactStoreOptions {
  /** The firewalled client; listing goes through it. */
  client: GitHubClient;
  /** `owner/repo`. */
  repository: string;
  /** This job's run (`GITHUB_RUN_ID`). */
  currentRunId: number;
  /** Token for cross-run downloads through the REST API (`actions: read`). */
  token: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** More artifacts with one name than this many pages is not a case worth reading: intake refuses two already. */
const MAX_PAGES = 10;

/** Artifact as the REST API lists it; fields GitHub may omit are optional. */
interface ListedArtifact {
  id: number;
  name: string;
  size_in_bytes: number;
  expired: boolean;
  digest?: string | null;
  workflow_run?: { id?: number; head_sha?: string; head_repository_id?: number } | null;
}

function toInfo(a: ListedArtifact): ArtifactInfo {
  const info: ArtifactInfo = { id: a.id, name: a.name, size: a.size_in_bytes, runId: a.workflow_run?.id ?? -1, expired: a.expired };
  if (a.digest) info.digest = a.digest;
  if (a.workflow_run?.head_sha) info.headSha = a.workflow_run.head_sha;
  if (typeof a.workflow_run?.head_repository_id === 'number') info.headRepositoryId = a.workflow_run.head_repository_id;
  return info;
}

/**
 * Workflow artifacts on a real runner: listing through the firewalled client, downloads through
 * `@actions/artifact` (loaded only when a download happens) as a raw zip that intake inspects itself.
 * An artifact without a `workflow_run` is listed with run -1, which intake refuses as foreign.
 */
export function createActionsArtifactStore(options: ActionsArtifactStoreOptions): ArtifactStore {
  const [owner = '', repo = ''] = options.repository.split('/');
  /** The run's artifacts (named `name`, when given), at most {@link MAX_PAGES} pages; `complete` when the last page was reached. */
  const listPages = async (runId: number, name?: string): Promise<{ artifacts: ArtifactInfo[]; complete: boolean }> => {
    const artifacts: ArtifactInfo[] = [];
    let pages = 0;
    const iterator = options.client.paginate.iterator('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { owner, repo, run_id: runId, ...(name !== undefined ? { name } : {}), per_page: 100 });
    for await (const page of iterator as AsyncIterable<{ data: ListedArtifact[] }>) {
      artifacts.push(...page.data.map(toInfo));
      if (++pages >= MAX_PAGES) return { artifacts, complete: false };
    }
    return { artifacts, complete: true };
  };
  return {
    list: async (name, runId) => (await listPages(runId, name)).artifacts,
    listRun: (runId) => listPages(runId),

    async downloadZip(artifact, dir) {
      const { DefaultArtifactClient } = await import('@actions/artifact');
      const crossRun = artifact.runId !== options.currentRunId || !options.env.ACTIONS_RUNTIME_TOKEN;
      const findBy = crossRun ? { findBy: { token: options.token, workflowRunId: artifact.runId, repositoryOwner: owner, repositoryName: repo } } : {};
      const result = await new DefaultArtifactClient().downloadArtifact(artifact.id, {
        path: dir,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
        skipDecompress: true,
        ...findBy,
      });
      // With skipDecompress the library saves the raw zip under the Content-Disposition name (or `artifact`).
      const entries = await readdir(dir, { withFileTypes: true });
      const files = entries.filter((e) => e.isFile());
      if (entries.length !== 1 || files.length !== 1) throw new Error(`expected the download to leave one file in its directory, found ${entries.length} entries`);
      return { zipPath: join(dir, files[0]!.name), digestMismatch: result.digestMismatch === true };
    },
  };
}
