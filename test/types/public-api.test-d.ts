// Type tests of the public API, checked by `npm run typecheck` (tsc over test/): a change
// that breaks what a host's code compiles against fails the build, not a user's build.
import { expectTypeOf } from 'vitest';
import type { RosterStore, SyncReport, SyncScope, GuardianFileSource, Issue, IssueCode, SyncGuardiansOptions, GuardianRow } from '../../src/index.js';
import { syncGuardians, validateGuardianFile, createMemoryStore, createLocalFileSource, ISSUE_CODES, isGuardianSyncError } from '../../src/index.js';
import { buildPlan } from '../../src/pipeline.js';
import { createSqliteStore } from '../../src/sqlite/index.js';
import { createSftpSource } from '../../src/sftp/index.js';

// The ten-line quick start compiles with exactly these options.
expectTypeOf(syncGuardians).parameter(0).toMatchTypeOf<{ scope: SyncScope; source: GuardianFileSource; store: RosterStore }>();
expectTypeOf(syncGuardians).returns.resolves.toEqualTypeOf<SyncReport>();
expectTypeOf(createMemoryStore()).toMatchTypeOf<RosterStore>();
expectTypeOf(createSqliteStore).returns.toMatchTypeOf<RosterStore>();
expectTypeOf(createLocalFileSource({ path: 'guardians.csv' })).toEqualTypeOf<GuardianFileSource>();
expectTypeOf(createSftpSource).returns.toMatchTypeOf<GuardianFileSource>();

// Codes are a closed union derived from the one list.
expectTypeOf<IssueCode>().toEqualTypeOf<(typeof ISSUE_CODES)[number]>();
expectTypeOf<Issue['code']>().toEqualTypeOf<IssueCode>();
expectTypeOf<SyncReport['status']>().toEqualTypeOf<'succeeded' | 'succeeded-with-warnings' | 'failed' | 'failed-threshold' | 'disabled'>();

// The guard narrows.
const unknownError: unknown = new Error('x');
if (isGuardianSyncError(unknownError)) expectTypeOf(unknownError.code).toEqualTypeOf<IssueCode>();

// Options are readonly and optional ones accept undefined (exactOptionalPropertyTypes users).
expectTypeOf<SyncGuardiansOptions['dryRun']>().toEqualTypeOf<boolean | undefined>();
// @ts-expect-error scope is required
void syncGuardians({ source: createLocalFileSource({ path: 'x' }), store: createMemoryStore() });
// @ts-expect-error a level is district or school
void syncGuardians({ scope: { level: 'state', orgId: 'D1' }, source: createLocalFileSource({ path: 'x' }), store: createMemoryStore() });

// The pure planner (`guardian-sync/pipeline`) takes rows and a snapshot and returns a plain value.
expectTypeOf(buildPlan).parameter(0).toHaveProperty('rows').toEqualTypeOf<readonly GuardianRow[]>();
expectTypeOf(validateGuardianFile).returns.resolves.toHaveProperty('valid').toEqualTypeOf<boolean>();
