import { MODES, type Mode, WRITE_KINDS, type WriteKind } from './contract/common.js';
import { Inputs } from './constants.js';
import { type Blocker, blocker } from './decide/blockers.js';

export interface Settings {
  mode: Mode;
  config: string;
  configRef?: string;
  envelope: string;
  evidence: string;
  runId?: number;
  envelopePath?: string;
  evidencePath?: string;
  configPath?: string;
  deny: WriteKind[];
  token: string;
  ledgerKey?: string;
  ledgerRetentionDays: number;
  failOnBlocked: boolean;
}

export type InputReader = (name: string) => string;

/**
 * Reads every input once. A value that cannot be understood never widens anything: the setting
 * falls back to its safest form and the problem becomes a blocker (`CONFIG_INVALID`, subject `input:<name>`).
 */
export function readSettings(read: InputReader): { settings: Settings; issues: Blocker[] } {
  const issues: Blocker[] = [];
  const get = (name: string) => read(name).trim();
  const bad = (name: string, message: string) => issues.push(blocker('CONFIG_INVALID', `input ${name}: ${message}`, `input:${name}`));
  const optional = (name: string) => get(name) || undefined;

  const modeText = get(Inputs.Mode) || 'dry-run';
  let mode: Mode = 'dry-run';
  if ((MODES as readonly string[]).includes(modeText)) mode = modeText as Mode;
  else bad(Inputs.Mode, `"${modeText.slice(0, 40)}" is not one of ${MODES.join(', ')}`);

  const deny: WriteKind[] = [];
  for (const item of get(Inputs.Deny).split(',').map((s) => s.trim()).filter(Boolean)) {
    if ((WRITE_KINDS as readonly string[]).includes(item)) deny.push(item as WriteKind);
    else bad(Inputs.Deny, `"${item.slice(0, 40)}" is not a write kind (${WRITE_KINDS.join(', ')})`);
  }

  let runId: number | undefined;
  const runIdText = get(Inputs.RunId);
  if (runIdText) {
    if (/^[1-9]\d{0,15}$/.test(runIdText)) runId = Number(runIdText);
    else bad(Inputs.RunId, 'not a run id');
  }

  let ledgerRetentionDays = 90;
  const retention = get(Inputs.LedgerRetentionDays);
  if (retention) {
    if (/^\d{1,3}$/.test(retention) && Number(retention) >= 1 && Number(retention) <= 400) ledgerRetentionDays = Number(retention);
    else bad(Inputs.LedgerRetentionDays, 'a whole number of days from 1 to 400');
  }

  const failText = (get(Inputs.FailOnBlocked) || 'true').toLowerCase();
  // Anything but an explicit false keeps failing the step, the safer reading.
  if (!['true', 'false'].includes(failText)) bad(Inputs.FailOnBlocked, 'true or false');
  const failOnBlocked = failText !== 'false';

  const settings: Settings = {
    mode,
    config: get(Inputs.Config) || '.github/publish-gate.yml',
    envelope: get(Inputs.Envelope) || 'agent-result',
    evidence: get(Inputs.Evidence) || 'gate-evidence',
    deny,
    token: read(Inputs.GithubToken),
    ledgerRetentionDays,
    failOnBlocked,
  };
  const assign = <K extends keyof Settings>(key: K, value: Settings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  assign('configRef', optional(Inputs.ConfigRef));
  assign('runId', runId);
  assign('envelopePath', optional(Inputs.EnvelopePath));
  assign('evidencePath', optional(Inputs.EvidencePath));
  assign('configPath', optional(Inputs.ConfigPath));
  assign('ledgerKey', read(Inputs.LedgerKey) || undefined);
  return { settings, issues };
}
