import * as core from '@actions/core';
import { logSafe, guardProcessOutput } from './content/log.js';
import { Outputs } from './constants.js';
import type { Deps } from './deps.js';
import { createRedactor } from './content/redact/index.js';
import { readTextFile } from './load/files.js';
import { run } from './run.js';
import { connect, eventPayloadUnreadable } from './connect.js';

/** The only place the real runner is wired in. */
export function createDeps(): Deps {
  guardProcessOutput((line) => core.info(line));
  // A payload the bundled libraries would throw on when imported is hidden from them (see
  // eventPayloadUnreadable); the action itself then has no workflow_run id from it either. The
  // warning is our own fixed text.
  if (eventPayloadUnreadable(process.env)) {
    delete process.env.GITHUB_EVENT_PATH;
    core.warning('The event payload (GITHUB_EVENT_PATH) is not readable JSON within 25 MiB: it was ignored.');
  }
  const connection = connect(process.env);
  return {
    io: {
      getInput: (name) => core.getInput(name),
      setOutput: (name, value) => core.setOutput(name, value),
      setSecret: (value) => core.setSecret(value),
      info: (message) => core.info(message),
      // @actions/core escapes property values (`:`, `,`, `%`, line breaks); SafeOutput has already
      // redacted them and dropped a file path that is not a plain relative path.
      notice: (message, properties) => core.notice(message, properties),
      warning: (message, properties) => core.warning(message, properties),
      error: (message, properties) => core.error(message, properties),
      startGroup: (name) => core.startGroup(name),
      endGroup: () => core.endGroup(),
      setFailed: (message) => core.setFailed(message),
      writeSummary: async (markdown) => {
        await core.summary.addRaw(markdown, true).write();
      },
    },
    env: process.env,
    readFile: readTextFile,
    sources: connection.sources,
    github: connection,
    createRedactor: (secrets) => createRedactor({ secrets }),
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
    // The details go to the log only, where the runner masks registered secrets; the outputs,
    // which nothing masks, get a fixed message.
    const detail = logSafe(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
    const message = 'unexpected error; the step log has the details';
    try {
      deps.io.error(`Publish Gate: ${detail}`);
      // Every output of SPEC §3 is set on this path too: the ones with no value here are empty.
      const values: Partial<Record<(typeof Outputs)[keyof typeof Outputs], string>> = {
        [Outputs.Decision]: 'blocked',
        [Outputs.Blockers]: JSON.stringify([{ code: 'API_FAILED', message }]),
        [Outputs.Plan]: '[]',
        [Outputs.Writes]: '[]',
        [Outputs.LedgerPersisted]: 'false',
      };
      for (const name of Object.values(Outputs)) deps.io.setOutput(name, values[name] ?? '');
      deps.io.setFailed(message);
    } catch {
      // The runner's files are unwritable: the exit code is all that is left.
    }
    code = 1;
  }
  process.exit(code);
}
