// Bundles the action (dist/index.js) and the CLI (dist/cli.js), with shared and lazily loaded chunks, into committed ESM files.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

const plugins = () => [
  typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false }),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node', 'import', 'default'] }),
  commonjs(),
  json(),
];

// Dependencies' own `this` rewrites and import cycles are theirs, not ours: keep the build output readable.
const onwarn = (warning, warn) => {
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
  warn(warning);
};

/**
 * One build, two entries: the action (dist/index.js) and the CLI (dist/cli.js). Code both use and
 * code loaded by dynamic `import()` go to dist/chunks/, so the heavy adapters (@actions/artifact,
 * @actions/cache: several MB) are read from disk only on the paths that need them.
 * @type {import('rollup').RollupOptions}
 */
export default {
  input: { index: 'src/index.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    banner: (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
  },
  plugins: plugins(),
  onwarn,
  treeshake: {
    // @actions/core imports @actions/http-client only for getIDToken, which the action never calls;
    // its module body is declarations and enum objects, nothing global. Saying so lets undici (about
    // 1 MB) leave dist/index.js for the lazily loaded client chunk: an offline run never parses it.
    // Likewise @actions/exec and @actions/io, which @actions/core imports only for platform.getDetails
    // (never called): their bodies are declarations too, and without them dist/index.js no longer
    // loads child_process at start-up. The cache and artifact chunks, which call them, keep them.
    moduleSideEffects: (id) => !/\/node_modules\/@actions\/(?:http-client|exec|io)\//.test(id),
  },
};
