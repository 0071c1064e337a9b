// users.csv (and, for OneRoster 1.2, roles.csv) → one record per user with the roles, orgs
// and agents it holds. Shared by the guardian reader and the roster import, so both see the
// same people. Pure. Values are trimmed here; normalization is the row validator's job.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import type { OneRosterFiles } from './oneroster-files.js';
import { ONEROSTER_FILE_NAMES } from './oneroster-files.js';
import { readOneRosterManifest, type OneRosterMode, type OneRosterVersion } from './read-oneroster-manifest.js';
import { readOneRosterTable, type OneRosterDecodeOptions } from './read-oneroster-table.js';
import { normalizeHeaderName, splitMultiValue, type OneRosterRecord, type OneRosterTable } from './parse-oneroster-csv.js';

export type OneRosterStatus = 'active' | 'tobedeleted';

/** A role a user holds (1.1: the `role` column; 1.2: a roles.csv row). Role names are lower-cased. */
export interface OneRosterUserRole {
  readonly role: string;
  readonly status: OneRosterStatus;
  /** The org of the role (1.2 roles.csv), or null (1.1: see `orgSourcedIds`). */
  readonly orgSourcedId: string | null;
  /** 1.2 `roleType`: primary or secondary; null when not given. */
  readonly roleType: 'primary' | 'secondary' | null;
}

export interface OneRosterUser {
  /** The user's users.csv line. */
  readonly line: number;
  readonly sourcedId: string;
  readonly status: OneRosterStatus;
  readonly roles: readonly OneRosterUserRole[];
  /** 1.1 `orgSourcedIds`, then 1.2 `primaryOrgSourcedId` and role orgs not listed yet. */
  readonly orgSourcedIds: readonly string[];
  readonly agentSourcedIds: readonly string[];
  readonly givenName: string;
  readonly familyName: string;
  readonly identifier: string;
  readonly email: string;
  readonly sms: string;
  readonly phone: string;
  /** From a `metadata.*lang*` extension column; undefined when users.csv has none (stored languages are then kept). */
  readonly language: string | undefined;
  /** From a `metadata.*relation*` extension column, '' when none. */
  readonly relationship: string;
}

export interface OneRosterUserSet {
  readonly version: OneRosterVersion;
  readonly mode: OneRosterMode;
  /** Users in users.csv line order (a sourcedId repeated on a later line is merged into the first). */
  readonly users: readonly OneRosterUser[];
  readonly byId: ReadonlyMap<string, OneRosterUser>;
  /** sourcedIds of users.csv rows that could not be read (wrong field count): their issue is already reported. */
  readonly unreadableIds: ReadonlySet<string>;
  /** users.csv rows skipped for their field count, with their lines. */
  readonly ragged: readonly OneRosterRecord[];
  readonly usersFile: {
    readonly name: string;
    readonly encoding: string;
    readonly encodingGuessed: boolean;
    readonly rows: number;
    /** users.csv's header, as found (invisible characters removed, trimmed). */
    readonly header: readonly string[];
    /** The extension columns read for language and relationship, when present. */
    readonly languageColumn: string | undefined;
    readonly relationshipColumn: string | undefined;
  };
  /** Decoding and row issues of users.csv, roles.csv, in that order. */
  readonly issues: readonly Issue[];
}

export interface ReadOneRosterUsersOptions extends OneRosterDecodeOptions {
  /** Checked before users.csv and roles.csv are read and before each users.csv record: aborted, the read stops with ABORTED. */
  readonly signal?: AbortSignal | undefined;
}

const USED_USER_COLUMNS = new Set([
  'sourcedid',
  'status',
  'role',
  'orgsourcedids',
  'primaryorgsourcedid',
  'agentsourcedids',
  'givenname',
  'familyname',
  'identifier',
  'email',
  'sms',
  'phone',
]);
const USED_ROLE_COLUMNS = new Set(['userSourcedId', 'role', 'status', 'orgSourcedId', 'roleType'].map((c) => c.toLowerCase()));

/** Reads users.csv (required: FILE_NOT_FOUND otherwise) and roles.csv when present. */
export function readOneRosterUsers(files: OneRosterFiles, options: ReadOneRosterUsersOptions = {}): OneRosterUserSet {
  const { signal } = options;
  throwIfReadingAborted(signal, ONEROSTER_FILE_NAMES.users);
  const manifest = readOneRosterManifest(files, options);
  const rolesFile = files.get(ONEROSTER_FILE_NAMES.roles) !== undefined;
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.users, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    // Without roles.csv the role can only come from users.csv (1.1, or a 1.2 export that kept it).
    required: rolesFile ? ['sourcedId', 'givenName', 'familyName'] : ['sourcedId', 'role', 'givenName', 'familyName'],
    used: (name) => USED_USER_COLUMNS.has(name) || isExtension(name, 'lang') || isExtension(name, 'relation'),
    issuesWithLine: true,
  });
  if (table === undefined) {
    const found = files.names.length > 0 ? ` (found: ${files.names.slice(0, 10).join(', ')})` : '';
    throw new GuardianSyncError('FILE_NOT_FOUND', `The OneRoster set has no users.csv${found}: export users.csv from the SIS.`, {
      file: ONEROSTER_FILE_NAMES.users,
    });
  }
  const issues: Issue[] = [...table.issues];
  const languageColumn = extensionColumn(table, 'lang');
  const relationColumn = extensionColumn(table, 'relation');

  const drafts = new Map<string, Draft>();
  const order: Draft[] = [];
  for (const record of table.records) {
    throwIfReadingAborted(signal, ONEROSTER_FILE_NAMES.users);
    const sourcedId = table.value(record, 'sourcedId');
    if (sourcedId === '') {
      issues.push(createIssue('MISSING_VALUE', `users.csv line ${record.line} has no sourcedId: the user is skipped.`, { line: record.line, column: 'sourcedId' }));
      continue;
    }
    const status = readStatus(table.value(record, 'status'));
    const roleName = table.value(record, 'role').toLowerCase();
    const role: OneRosterUserRole | undefined = roleName !== '' ? { role: roleName, status, orgSourcedId: null, roleType: null } : undefined;
    const orgs = splitMultiValue(table.value(record, 'orgSourcedIds'));
    const primaryOrg = table.value(record, 'primaryOrgSourcedId');
    const existing = drafts.get(sourcedId);
    if (existing !== undefined) {
      // A SIS that exports one person once per role (1.1 has one role per row): one user.
      if (role !== undefined) existing.roles.push(role);
      addAll(existing.orgSourcedIds, orgs);
      addAll(existing.agentSourcedIds, splitMultiValue(table.value(record, 'agentSourcedIds')));
      if (status === 'active') existing.status = 'active';
      continue;
    }
    const draft: Draft = {
      line: record.line,
      sourcedId,
      status,
      roles: role !== undefined ? [role] : [],
      orgSourcedIds: primaryOrg !== '' && !orgs.includes(primaryOrg) ? [primaryOrg, ...orgs] : orgs,
      agentSourcedIds: splitMultiValue(table.value(record, 'agentSourcedIds')),
      givenName: table.value(record, 'givenName'),
      familyName: table.value(record, 'familyName'),
      identifier: table.value(record, 'identifier'),
      email: table.value(record, 'email'),
      sms: table.value(record, 'sms'),
      phone: table.value(record, 'phone'),
      language: languageColumn !== undefined ? table.value(record, languageColumn) : undefined,
      relationship: relationColumn !== undefined ? table.value(record, relationColumn) : '',
    };
    drafts.set(sourcedId, draft);
    order.push(draft);
  }

  const unreadableIds = new Set<string>();
  const idIndex = table.columnIndex('sourcedId');
  for (const record of table.ragged) {
    const id = idIndex !== undefined ? (record.fields[idIndex] ?? '').trim() : '';
    if (id !== '' && !drafts.has(id)) unreadableIds.add(id);
  }

  if (rolesFile) issues.push(...readRoles(files, drafts, options));

  const users = order as OneRosterUser[];
  return {
    version: manifest.version,
    mode: manifest.mode,
    users,
    byId: drafts,
    unreadableIds,
    ragged: table.ragged,
    usersFile: {
      name: table.fileName,
      encoding: table.encoding,
      encodingGuessed: table.encodingGuessed,
      rows: table.recordCount,
      header: table.header,
      languageColumn,
      relationshipColumn: relationColumn,
    },
    issues,
  };
}

/** True when the user holds an active role of this set (role names lower-case). */
export function hasActiveRole(user: OneRosterUser, roles: ReadonlySet<string>): boolean {
  return user.roles.some((r) => r.status === 'active' && roles.has(r.role));
}

/** True when the user holds a role of this set only as `tobedeleted`. */
export function hasOnlyDeletedRole(user: OneRosterUser, roles: ReadonlySet<string>): boolean {
  return !hasActiveRole(user, roles) && user.roles.some((r) => r.status === 'tobedeleted' && roles.has(r.role));
}

interface Draft {
  line: number;
  sourcedId: string;
  status: OneRosterStatus;
  roles: OneRosterUserRole[];
  orgSourcedIds: string[];
  agentSourcedIds: string[];
  givenName: string;
  familyName: string;
  identifier: string;
  email: string;
  sms: string;
  phone: string;
  language: string | undefined;
  relationship: string;
}

/** 1.2 roles.csv: one row per (user, role, org). Its issues name roles.csv and its line in the message. */
function readRoles(files: OneRosterFiles, drafts: Map<string, Draft>, options: ReadOneRosterUsersOptions): Issue[] {
  throwIfReadingAborted(options.signal, ONEROSTER_FILE_NAMES.roles);
  const table = readOneRosterTable(files, ONEROSTER_FILE_NAMES.roles, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    required: ['userSourcedId', 'role'],
    used: (name) => USED_ROLE_COLUMNS.has(name),
  });
  if (table === undefined) return [];
  const issues: Issue[] = [...table.issues];
  for (const record of table.records) {
    const userId = table.value(record, 'userSourcedId');
    const role = table.value(record, 'role').toLowerCase();
    if (userId === '' || role === '') continue;
    const user = drafts.get(userId);
    if (user === undefined) {
      issues.push(
        createIssue('DANGLING_REFERENCE', `roles.csv line ${record.line}: user ${userId} is not in users.csv; the role is ignored.`, { column: 'userSourcedId' }),
      );
      continue;
    }
    const org = table.value(record, 'orgSourcedId');
    const roleType = table.value(record, 'roleType').toLowerCase();
    user.roles.push({
      role,
      status: readStatus(table.value(record, 'status')),
      orgSourcedId: org !== '' ? org : null,
      roleType: roleType === 'primary' || roleType === 'secondary' ? roleType : null,
    });
    if (org !== '') addAll(user.orgSourcedIds, [org]);
  }
  // Primary roles first, so "the first org" of a 1.2 user is its primary one.
  for (const user of drafts.values()) {
    if (user.roles.some((r) => r.roleType === 'primary')) {
      const primaryOrgs = user.roles.filter((r) => r.roleType === 'primary' && r.orgSourcedId !== null).map((r) => r.orgSourcedId as string);
      user.orgSourcedIds = [...primaryOrgs, ...user.orgSourcedIds.filter((o) => !primaryOrgs.includes(o))];
    }
  }
  return issues;
}

/** Blank status is active (OneRoster bulk files leave it empty); only `tobedeleted` deletes. */
function readStatus(text: string): OneRosterStatus {
  return text.toLowerCase() === 'tobedeleted' ? 'tobedeleted' : 'active';
}

function addAll(target: string[], values: readonly string[]): void {
  for (const v of values) if (!target.includes(v)) target.push(v);
}

/** OneRoster extension columns are named `metadata.<name>`; districts name theirs freely. */
function isExtension(normalizedName: string, word: string): boolean {
  return normalizedName.startsWith('metadata.') && normalizedName.includes(word);
}

function extensionColumn(table: OneRosterTable, word: string): string | undefined {
  return table.header.find((h) => isExtension(normalizeHeaderName(h), word));
}
