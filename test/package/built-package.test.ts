// The package as a user gets it: the built dist/ imported through its own `exports` map,
// as ESM and as CommonJS, in a plain Node process (no vitest resolver in between).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const built = existsSync(`${root}/dist/index.js`) && existsSync(`${root}/dist/index.cjs`);
// `npm test` builds first; a bare `vitest run` on a fresh clone has no dist/ to test.
const runIt = built || process.env['CI'] !== undefined ? it : it.skip;

const ENTRY_EXPORTS: Record<string, readonly string[]> = {
  'guardian-sync': ['syncGuardians', 'validateGuardianFile', 'applyPlan', 'planWrites', 'importStaffRecords', 'createMemoryStore', 'createLocalFileSource', 'createBytesSource', 'ISSUE_CODES', 'GuardianSyncError', 'isGuardianSyncError', 'buildPlan', 'parseGuardianFile', 'decodeText', 'formatReportText', 'renderReportHtml'],
  'guardian-sync/sqlite': ['createSqliteStore'],
  'guardian-sync/postgres': ['createPostgresStore', 'migratePostgresSchema'],
  'guardian-sync/sftp': ['createSftpSource', 'parseSftpUrl'],
  'guardian-sync/testing': ['describeRosterStoreConformance', 'describeFileSourceConformance', 'interruptWrites'],
};

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

describe('built package', () => {
  for (const [entry, names] of Object.entries(ENTRY_EXPORTS)) {
    const esmOnly = entry === 'guardian-sync/testing';
    runIt(`${entry} imports as ESM with its named exports`, () => {
      const out = node(['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m)))`]);
      const keys = JSON.parse(out) as string[];
      for (const name of names) expect(keys, `${entry} ESM`).toContain(name);
    });
    if (esmOnly) {
      // vitest cannot be required, so neither can the suites that call it.
      runIt(`${entry} is ESM only: require() says the subpath is not exported`, () => {
        expect(() => node(['-e', `require(${JSON.stringify(entry)})`])).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
      });
      continue;
    }
    runIt(`${entry} requires as CommonJS with its named exports`, () => {
      const out = node(['-e', `const m = require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m)))`]);
      const keys = JSON.parse(out) as string[];
      for (const name of names) expect(keys, `${entry} CJS`).toContain(name);
    });
  }

  runIt('an error thrown by the CJS copy is recognised by the ESM copy', () => {
    const script = `
      const cjs = require('guardian-sync');
      import('guardian-sync').then((esm) => {
        const error = new cjs.GuardianSyncError('FILE_EMPTY', 'empty');
        console.log(JSON.stringify([esm.isGuardianSyncError(error), error instanceof esm.GuardianSyncError]));
      });`;
    expect(JSON.parse(node(['-e', script]))).toEqual([true, false]);
  });

  runIt('the bin runs from dist and prints its version', () => {
    const out = node([`${root}/dist/cli.js`, '--version']);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
