import type { Sources } from './deps.js';

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
  facts: async (_settings, fallback) => ({ status: 'ok', value: fallback, source: 'assumed' }),
};
