// Builds the dual ESM + CJS package with declarations. One entry per public subpath,
// plus the CLI. Optional peers stay external so hosts that never import them never load them.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    sftp: 'src/sftp/index.ts',
    sqlite: 'src/sqlite/index.ts',
    testing: 'src/testing/index.ts',
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  shims: true,
  external: ['better-sqlite3', 'ssh2-sftp-client', 'ssh2', 'vitest'],
});
