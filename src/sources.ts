import { envelopeFromArtifact, evidenceFromArtifact } from './artifact/intake.js';
import type { ArtifactStore } from './artifact/store.js';
import type { Sources } from './deps.js';
import type { GitHubClient } from './github/client.js';
import { readFacts, readPolicyFile } from './github/facts.js';
import type { FirstLookups } from './github/lookups.js';

/**
 * Sources without GitHub (no token, or no repository in the environment): nothing is fetched,
 * every document that is not a local file is reported missing (fail closed), and facts are the
 * assumed ones, which never allow a live write.
 */
export const offlineSources: Sources = {
  policy: async (settings) => ({
    status: 'failed',
    code: 'CONFIG_MISSING',
    message: `policy ${settings.config} was not read: without a token and GITHUB_REPOSITORY the policy comes only from config-path`,
  }),
  envelope: async (settings) => ({
    status: 'failed',
    code: 'ENVELOPE_MISSING',
    message: `artifact ${settings.envelope} was not read: artifacts need a token, GITHUB_RUN_ID and RUNNER_TEMP; else use envelope-path`,
  }),
  evidence: async (settings) => ({
    status: 'failed',
    code: 'EVIDENCE_MISSING',
    message: `artifact ${settings.evidence} was not read: artifacts need a token, GITHUB_RUN_ID and RUNNER_TEMP; else use evidence-path`,
  }),
  facts: async (_settings, { fallback }) => ({ status: 'ok', value: fallback, source: 'assumed' }),
};

export interface LiveRun {
  repository: string;
  event: string;
  actor: string;
  /** The publishing run: its approvals are read. */
  runId?: number;
  /** The run whose artifacts are read by default (the workflow_run event's run, else this one). */
  artifactRunId?: number;
  /** RUNNER_TEMP: artifacts are extracted only into fresh directories under it. */
  tempDir?: string;
}

/**
 * Sources that read GitHub through the firewalled client: the policy from the trusted ref, the
 * envelope and evidence from workflow artifacts (`run-id`, else the default run), and the live facts.
 * Without an artifact store (no RUNNER_TEMP or run id) the documents are missing: fail closed.
 */
export function githubSources(client: GitHubClient, run: LiveRun, lookups?: FirstLookups, artifacts?: ArtifactStore): Sources {
  const request = (name: string, settings: { runId?: number }) => {
    const runId = settings.runId ?? run.artifactRunId;
    return artifacts && runId !== undefined && run.tempDir ? { name, runId, tempDir: run.tempDir } : undefined;
  };
  return {
    ...offlineSources,
    envelope: (settings) => {
      const req = request(settings.envelope, settings);
      return req && artifacts ? envelopeFromArtifact(artifacts, req) : offlineSources.envelope(settings);
    },
    evidence: (settings) => {
      const req = request(settings.evidence, settings);
      return req && artifacts ? evidenceFromArtifact(artifacts, req) : offlineSources.evidence(settings);
    },
    policy: (settings) => readPolicyFile(client, run.repository, settings.config, settings.configRef),
    facts: async (_settings, { envelope, policy, fallback }) => {
      if (!envelope) return { status: 'ok', value: fallback, source: 'assumed' };
      const { target } = envelope;
      return readFacts(
        client,
        {
          repository: run.repository,
          event: run.event,
          actor: run.actor,
          ...(run.runId ? { runId: run.runId } : {}),
          headSha: target.headSha,
          headRef: target.headRef,
          ...(target.pullRequest ? { pullRequest: target.pullRequest } : {}),
          intents: envelope.intent,
        },
        policy,
        lookups ? { lookups } : {},
      );
    },
  };
}
