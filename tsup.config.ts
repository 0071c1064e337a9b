// Builds the dual ESM + CJS package with declarations. One entry per public subpath (the root,
// `pipeline`, `sftp`, `sqlite`, `postgres`, `testing`; package.json "exports"), plus the CLI.
// Optional peers stay external so hosts that never import them never load them.
// `guardian-sync/testing` is ESM only: vitest, which its suites call, cannot be required.
import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  dts: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  shims: true,
  external: ['better-sqlite3', 'pg', 'ssh2-sftp-client', 'ssh2', 'vitest'],
};

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      pipeline: 'src/pipeline.ts',
      sftp: 'src/sftp/index.ts',
      sqlite: 'src/sqlite/index.ts',
      postgres: 'src/postgres/index.ts',
      cli: 'src/cli/main.ts',
    },
    format: ['esm', 'cjs'],
  },
  { ...shared, entry: { testing: 'src/testing/index.ts' }, format: ['esm'] },
]);
