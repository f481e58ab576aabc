// Regenerates schemas/*.schema.json from the contracts in src/contract (npm run schemas).
// The contracts are TypeScript, so the generation runs inside Vitest, which compiles them: the
// schema test writes the files when UPDATE_SCHEMAS=1 and then checks them as usual.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const child = spawn('npx', ['vitest', 'run', 'src/contract/jsonSchema.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, UPDATE_SCHEMAS: '1' },
  shell: process.platform === 'win32',
});

child.on('error', (error) => {
  console.error(`generate-schemas: could not start vitest: ${error.message}`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) console.error(`generate-schemas: vitest stopped by ${signal}`);
  process.exit(code ?? 1);
});
