/** One artifact as GitHub lists it. Everything here is what the API reported, not what the agent claims. */
export interface ArtifactInfo {
  id: number;
  name: string;
  /** Size of the artifact's zip in bytes, as listed. */
  size: number;
  /** `sha256:<hex>` of the zip, computed by GitHub at upload. */
  digest?: string;
  /** The run that uploaded the artifact. */
  runId: number;
  headSha?: string;
  headRepositoryId?: number;
  expired?: boolean;
}

/** Workflow artifacts, narrowed to what intake needs. Tests pass a plain object; the runner uses `createActionsArtifactStore`. */
export interface ArtifactStore {
  /** Every artifact named `name` of run `runId` (GitHub may list several). */
  list(name: string, runId: number): Promise<ArtifactInfo[]>;
  /**
   * Every artifact of run `runId`, and whether that is all of them (a store reads a bounded number
   * of pages). Optional: without it, each name is listed on its own.
   */
  listRun?(runId: number): Promise<{ artifacts: ArtifactInfo[]; complete: boolean }>;
  /** Downloads the artifact's zip, NOT extracted, into the empty directory `dir`; returns the zip's path and the library's digest verdict. */
  downloadZip(artifact: ArtifactInfo, dir: string): Promise<{ zipPath: string; digestMismatch: boolean }>;
}

/**
 * The store as the document intake uses it: the envelope and the evidence come from the same run, so
 * one listing of that run answers both names (exact match; intake checks the name again), where two
 * listings filtered by name on GitHub's side would cost a request each. A listing that may be
 * incomplete is not trusted to say an artifact is missing: the name is then listed on its own.
 */
export function sharedRunListing(store: ArtifactStore): ArtifactStore {
  const runs = new Map<number, Promise<{ artifacts: ArtifactInfo[]; complete: boolean }>>();
  return {
    async list(name, runId) {
      if (!store.listRun) return store.list(name, runId);
      let listing = runs.get(runId);
      if (!listing) runs.set(runId, (listing = store.listRun(runId)));
      const { artifacts, complete } = await listing;
      return complete ? artifacts.filter((a) => a.name === name) : store.list(name, runId);
    },
    downloadZip: (artifact, dir) => store.downloadZip(artifact, dir),
  };
}
