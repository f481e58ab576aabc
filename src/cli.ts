import { cli } from './command.js';
import { guardProcessOutput } from './content/log.js';

/** Reads standard input up to a byte limit; more than that is an error, not a silent cut. */
async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`standard input is over ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

guardProcessOutput((line) => process.stderr.write(`${line}\n`));
process.exitCode = await cli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: readStdin,
  env: process.env,
  now: () => new Date(),
});
