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
  /** Downloads the artifact's zip, NOT extracted, into the empty directory `dir`; returns the zip's path and the library's digest verdict. */
  downloadZip(artifact: ArtifactInfo, dir: string): Promise<{ zipPath: string; digestMismatch: boolean }>;
}
