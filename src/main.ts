import * as core from '@actions/core';
import { logSafe } from './content/log.js';
import { Outputs } from './constants.js';
import type { Deps } from './deps.js';
import { readTextFile } from './load/files.js';
import { run } from './run.js';
import { offlineSources } from './sources.js';

/** The only place the real runner is wired in. */
export function createDeps(): Deps {
  return {
    io: {
      getInput: (name) => core.getInput(name),
      setOutput: (name, value) => core.setOutput(name, value),
      setSecret: (value) => core.setSecret(value),
      info: (message) => core.info(message),
      warning: (message) => core.warning(message),
      error: (message) => core.error(message),
      startGroup: (name) => core.startGroup(name),
      endGroup: () => core.endGroup(),
      setFailed: (message) => core.setFailed(message),
      writeSummary: async (markdown) => {
        await core.summary.addRaw(markdown, true).write();
      },
    },
    env: process.env,
    readFile: readTextFile,
    sources: offlineSources,
    now: () => new Date(),
  };
}

/**
 * Runs the action and exits explicitly (as actions/cache does), so sockets left open by retries
 * cannot keep the process alive. An unexpected error still sets every decision output and blocks.
 */
export async function main(deps: Deps = createDeps()): Promise<never> {
  let code: number;
  try {
    code = (await run(deps)).exitCode;
  } catch (error) {
    const message = `unexpected error: ${logSafe(error instanceof Error ? error.message : String(error)).slice(0, 500)}`;
    deps.io.setOutput(Outputs.Decision, 'blocked');
    deps.io.setOutput(Outputs.Blockers, JSON.stringify([{ code: 'API_FAILED', message }]));
    deps.io.setOutput(Outputs.Plan, '[]');
    deps.io.setOutput(Outputs.Writes, '[]');
    deps.io.setOutput(Outputs.LedgerPersisted, 'false');
    deps.io.setFailed(message);
    code = 1;
  }
  process.exit(code);
}
