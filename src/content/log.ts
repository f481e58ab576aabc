/**
 * Untrusted text for the runner's log. The runner treats `::name::` at the start of a line and
 * `##[name]` anywhere in a line as workflow commands, and a bare `\r` starts a new line. Every line
 * break becomes a visible `⏎`, and the two command openers get a zero-width joiner between their
 * characters, so the text stays readable and can never form a command (including `::stop-commands::`).
 */
export function logSafe(text: string): string {
  return text
    .replace(/\r\n|\r|\n|\u2028|\u2029|\u0085/g, ' ⏎ ')
    .replace(/::/g, ':\u200d:')
    .replace(/##\[/g, '#\u200d#[')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Debug switches of bundled libraries that print document text to stdout unescaped for the runner:
 * under LOG_TOKENS and LOG_STREAM, `yaml` prints every token of the policy (`##[` passes through),
 * and LOG_TOKENS is a name an agent workflow may well set for its own use.
 */
const LIBRARY_DEBUG_VARIABLES = ['LOG_TOKENS', 'LOG_STREAM'] as const;

/**
 * Closes the ways bundled code could print document text past `logSafe`, for this process, before
 * any library runs: the debug switches above are unset, and process warnings, which Node prints to
 * stderr as they are, line breaks included (the runner reads workflow commands from stderr too; a
 * library may put document text in one, as `yaml` did for collection keys), go to `write` as one
 * `logSafe` line each.
 */
export function guardProcessOutput(write: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  for (const name of LIBRARY_DEBUG_VARIABLES) delete env[name];
  process.removeAllListeners('warning');
  process.on('warning', (warning) => write(`Node warning: ${logSafe(`${warning.name}: ${warning.message}`).slice(0, 2000)}`));
}
