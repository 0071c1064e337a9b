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
  'guardian-sync': ['syncGuardians', 'validateGuardianFile', 'importStaffRecords', 'buildRosterExport', 'createMemoryStore', 'createLocalFileSource', 'createBytesSource', 'ISSUE_CODES', 'GuardianSyncError', 'isGuardianSyncError', 'formatReportText', 'renderReportHtml', 'writeReportFiles'],
  'guardian-sync/pipeline': ['readGuardianInput', 'detectEncoding', 'decodeText', 'parseGuardianFile', 'validateGuardianRow', 'normalizePhone', 'groupRowsIntoGuardians', 'snapshotLogins', 'buildPlan', 'planWrites', 'applyPlan', 'ApplyFailure', 'readOneRosterGuardians'],
  'guardian-sync/sqlite': ['createSqliteStore'],
  'guardian-sync/postgres': ['createPostgresStore', 'migratePostgresSchema'],
  'guardian-sync/sftp': ['createSftpSource', 'parseSftpUrl'],
  'guardian-sync/testing': ['describeRosterStoreConformance', 'describeFileSourceConformance', 'interruptWrites'],
};

// The full lists are the API reports (api/ in the repository, checked by `npm run api:check`);
// here, that the stages and the internals the root used to export stay off it in the build.
const NOT_IN_ROOT = ['buildPlan', 'planWrites', 'applyPlan', 'parseGuardianFile', 'decodeText', 'memoryLinkKey', 'seedMemoryRosterData', 'headerKey', 'SYNTHETIC_DISTRICT'];

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

  runIt('the root entry leaves the pipeline stages and internals out, as ESM and as CommonJS', () => {
    const esm = JSON.parse(node(['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import('guardian-sync'))))`])) as string[];
    const cjs = JSON.parse(node(['-e', `console.log(JSON.stringify(Object.keys(require('guardian-sync'))))`])) as string[];
    for (const keys of [esm, cjs]) for (const name of NOT_IN_ROOT) expect(keys, name).not.toContain(name);
  });

  runIt('the pipeline and the root share one copy of the error classes in each format', () => {
    const script = `
      const check = (root, pipeline) => {
        const cause = new root.GuardianSyncError('STORE_FAILED', 'x');
        const failure = new pipeline.ApplyFailure(cause, {}, new Set());
        return [failure instanceof root.GuardianSyncError, pipeline.isApplyFailure(failure), root.isGuardianSyncError(failure)];
      };
      const cjs = check(require('guardian-sync'), require('guardian-sync/pipeline'));
      Promise.all([import('guardian-sync'), import('guardian-sync/pipeline')]).then(([root, pipeline]) => {
        console.log(JSON.stringify([cjs, check(root, pipeline)]));
      });`;
    expect(JSON.parse(node(['-e', script]))).toEqual([
      [true, true, true],
      [true, true, true],
    ]);
  });

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
