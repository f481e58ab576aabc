import type { BlockerCode } from '../decide/blockers.js';

/**
 * What each blocker means and how an operator fixes it: shown next to every blocker in the job
 * summary, and the source of the README's blocker reference. `stage` is the gate of the decision
 * path the code belongs to (the summary's flowchart colours that gate).
 */
export type Stage = 'mode' | 'policy' | 'documents' | 'binding' | 'gates' | 'approval' | 'writes' | 'github' | 'ledger';

export interface Hint {
  stage: Stage;
  /** One sentence: what happened. */
  means: string;
  /** One sentence: what to do. */
  fix: string;
}

export const HINTS: Readonly<Record<BlockerCode, Hint>> = {
  MODE_OFF: { stage: 'mode', means: 'Publishing is switched off by the step input or the policy.', fix: 'Set `mode: dry-run` or `live` in the step, within the policy’s `mode`.' },
  CONFIG_MISSING: { stage: 'policy', means: 'The policy file was not found at the trusted ref.', fix: 'Commit `.github/publish-gate.yml` (or the `config` path) to the default branch or `config-ref`.' },
  CONFIG_INVALID: { stage: 'policy', means: 'The policy file or a step input could not be read as specified.', fix: 'Fix the file or input named in the subject; `publish-gate schema config` prints the schema.' },
  INPUT_WIDENS_POLICY: { stage: 'policy', means: 'A step input asks for more than the policy allows.', fix: 'Inputs may only narrow: lower the input, or widen the policy on the trusted ref.' },
  REPO_NOT_ALLOWED: { stage: 'policy', means: 'This repository is not listed in the policy’s `repositories`.', fix: 'Add the repository to `repositories` in the policy.' },
  BRANCH_NOT_ALLOWED: { stage: 'binding', means: 'The base or head branch (or the agent’s branch) is not allowed, protected, or not ours to update.', fix: 'Check `branches` and `writes.branch.prefix` in the policy; never point agent changes at a protected or someone else’s branch.' },
  TRIGGER_NOT_ALLOWED: { stage: 'policy', means: 'The event or actor of this run is not allowed by `triggers`.', fix: 'Run the publish job from an allowed event, or list the event or actor in `triggers`.' },
  REMOTE_MISMATCH: { stage: 'binding', means: 'GitHub reports another (or no) pull request for the head than the envelope names.', fix: 'Let the agent job record the PR GitHub reports for its head SHA; rerun the agent on the right PR.' },
  ENVELOPE_MISSING: { stage: 'documents', means: 'The envelope artifact (or file) was not found.', fix: 'Upload `envelope.json` (or one `*.sarif`) as the `envelope` artifact of the run `run-id` names.' },
  ENVELOPE_INVALID: { stage: 'documents', means: 'The envelope does not match `publish-gate/envelope@1`.', fix: 'Validate it with `publish-gate schema envelope`; the message lists the first issues.' },
  EVIDENCE_MISSING: { stage: 'documents', means: 'The evidence artifact (or file) was not found.', fix: 'Upload `evidence.json` as the `evidence` artifact of the run `run-id` names.' },
  EVIDENCE_INVALID: { stage: 'documents', means: 'The evidence does not match `publish-gate/evidence@1`.', fix: 'Validate it with `publish-gate schema evidence`.' },
  ARTIFACT_UNSAFE: { stage: 'documents', means: 'An artifact was refused: ambiguous, from another run, or an archive with unsafe entries.', fix: 'Upload exactly one artifact of the name per run, holding only the expected regular files.' },
  ARTIFACT_DIGEST_MISMATCH: { stage: 'documents', means: 'The downloaded artifact does not match the digest GitHub lists for it.', fix: 'Re-run the agent job to upload a fresh artifact; investigate if it repeats.' },
  TASK_NOT_SUCCEEDED: { stage: 'binding', means: 'The agent’s task did not succeed, so nothing of it is published.', fix: 'Fix the agent run; only `task.status: succeeded` can publish.' },
  EPOCH_MISMATCH: { stage: 'binding', means: 'The evidence was made for another repository, head SHA or epoch than the envelope.', fix: 'Produce the envelope and the evidence in the same agent run, for the same head and epoch.' },
  EPOCH_REPLAYED: { stage: 'binding', means: 'This epoch was published before, and a later epoch has been published since.', fix: 'Publish the latest epoch, not an older run’s artifacts.' },
  TARGET_STALE: { stage: 'binding', means: 'The PR’s head moved after the envelope was made.', fix: 'Re-run the agent on the new head.' },
  GATE_MISSING: { stage: 'gates', means: 'A gate the policy requires has no evidence.', fix: 'Run the gate and record it in `evidence.json`.' },
  GATE_NOT_PASS: { stage: 'gates', means: 'A required gate did not pass.', fix: 'Fix what the gate found, then re-run it.' },
  GATE_EXPIRED: { stage: 'gates', means: 'A gate passed longer ago than the policy’s `max-age`.', fix: 'Re-run the gate.' },
  CHECK_NOT_CONFIRMED: { stage: 'gates', means: 'No successful check run of the configured name on the head SHA confirms the gate.', fix: 'Let the named check run finish successfully on this head, or fix `confirm-check-runs`.' },
  APPROVAL_MISSING: { stage: 'approval', means: 'The run has no approval of the policy’s environment.', fix: 'Gate the publish job with `environment:` and have a required reviewer approve the run.' },
  APPROVAL_SELF: { stage: 'approval', means: 'The only approvals came from the actor, the PR author or a head committer.', fix: 'Have someone else from the environment’s reviewers approve.' },
  APPROVAL_ENV_UNSAFE: { stage: 'approval', means: 'The environment lets people approve their own runs or administrators bypass it (or its settings could not be read).', fix: 'Turn on “Prevent self-review” and turn off administrator bypass for the environment.' },
  INTENT_UNDECLARED: { stage: 'writes', means: 'The envelope carries content for a write kind its `intent` does not declare.', fix: 'Declare the kind in `intent`, or drop the content.' },
  WRITE_KIND_DENIED: { stage: 'writes', means: 'The policy or the step’s `deny` input denies this write kind.', fix: 'Allow the kind under `writes` in the policy (and not in `deny`), if it should be written.' },
  FORBIDDEN_OPERATION: { stage: 'writes', means: 'The request would do something the action never does (or the firewall refused it).', fix: 'Nothing to configure: the action cannot merge, force-push, delete, close, approve or edit workflows.' },
  PATH_FORBIDDEN: { stage: 'writes', means: 'A change or finding touches a path the policy or the action refuses.', fix: 'Keep agent changes out of `deny-paths`, `.github/`, `CODEOWNERS` and the policy file.' },
  LABEL_NOT_ALLOWED: { stage: 'writes', means: 'The label is not in the policy’s `writes.labels`.', fix: 'List the label under `writes.labels`, or stop proposing it.' },
  LIMIT_EXCEEDED: { stage: 'writes', means: 'More writes, files or bytes than the policy or the action’s caps allow.', fix: 'Split the work, or raise `limits.max-writes` within the action’s caps.' },
  AUTH_FAILED: { stage: 'github', means: 'GitHub refused the token, or the workflow lacks a permission (the message names it).', fix: 'Grant the named permission in the job’s `permissions:`, or pass a valid `github-token`.' },
  API_TIMEOUT: { stage: 'github', means: 'A GitHub request timed out.', fix: 'Re-run; the ledger and markers make the re-run idempotent.' },
  API_FAILED: { stage: 'github', means: 'A GitHub request failed, or live facts could not be read.', fix: 'Re-run; if it repeats, the message says which request.' },
  RATE_LIMITED: { stage: 'github', means: 'GitHub’s rate limit was exhausted.', fix: 'Re-run later; the writes already done are not repeated.' },
  LEDGER_UNTRUSTED: { stage: 'ledger', means: 'The restored ledger did not verify; state was reconciled from GitHub instead (a warning).', fix: 'Set `ledger-key`; if it repeats, someone may have written the cache or the ledger artifact.' },
};

export function hintOf(code: BlockerCode): Hint {
  return HINTS[code];
}
