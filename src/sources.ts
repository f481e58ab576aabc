import type { Sources } from './deps.js';
import type { GitHubClient } from './github/client.js';
import { readFacts, readPolicyFile } from './github/facts.js';
import type { FirstLookups } from './github/lookups.js';

/**
 * Sources for a build without the GitHub and artifact adapters: nothing is fetched, every
 * document that is not a local file is reported missing (fail closed), and facts are the
 * assumed ones, which never allow a live write.
 */
export const offlineSources: Sources = {
  policy: async (settings) => ({
    status: 'failed',
    code: 'CONFIG_MISSING',
    message: `policy ${settings.config} was not read: this build reads the policy only from config-path`,
  }),
  envelope: async (settings) => ({
    status: 'failed',
    code: 'ENVELOPE_MISSING',
    message: `artifact ${settings.envelope} was not read: this build reads the envelope only from envelope-path`,
  }),
  evidence: async (settings) => ({
    status: 'failed',
    code: 'EVIDENCE_MISSING',
    message: `artifact ${settings.evidence} was not read: this build reads the evidence only from evidence-path`,
  }),
  facts: async (_settings, { fallback }) => ({ status: 'ok', value: fallback, source: 'assumed' }),
};

/**
 * Sources that read GitHub through the firewalled client: the policy from the trusted ref and the
 * live facts. Artifacts are not read yet: the envelope and evidence still come from local paths.
 */
export function githubSources(
  client: GitHubClient,
  run: { repository: string; event: string; actor: string; runId?: number },
  lookups?: FirstLookups,
): Sources {
  return {
    ...offlineSources,
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
