// users.csv (and, for OneRoster 1.2, roles.csv) → one record per user with the roles, orgs
// and agents it holds. Shared by the guardian reader and the roster import, so both see the
// same people. Pure. Values are trimmed here; normalization is the row validator's job.
import { GuardianSyncError } from '../errors/guardian-sync-error.js';
import { createIssue, type Issue } from '../errors/issue.js';
import { throwIfReadingAborted } from '../errors/reading-aborted.js';
import { StringPool } from '../model/string-pool.js';
import type { OneRosterFiles } from './oneroster-files.js';
import { ONEROSTER_FILE_NAMES } from './oneroster-files.js';
import { readOneRosterManifest, type OneRosterMode, type OneRosterVersion } from './read-oneroster-manifest.js';
import { readOneRosterRecords, type OneRosterDecodeOptions } from './read-oneroster-table.js';
import { normalizeHeaderName, splitMultiValue, type OneRosterColumns, type OneRosterRecord, type OneRosterRecordSink } from './parse-oneroster-csv.js';

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
  /**
   * How users hold their lists and repeated values (UserValues): shared where users agree
   * (`compact`, what every reader uses) or each its own (`plain`, the version the tests
   * compare it with). Equal either way. @default 'compact'
   */
  readonly values?: 'compact' | 'plain' | undefined;
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
  const users = new UserDrafts(signal, options.values === 'plain' ? plainUserValues() : compactUserValues());
  const table = readOneRosterRecords(files, ONEROSTER_FILE_NAMES.users, users, {
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
  const issues: Issue[] = [...table.issues, ...users.issues];
  const { drafts, order } = users;

  const unreadableIds = new Set<string>();
  const idIndex = table.columnIndex('sourcedId');
  for (const record of table.ragged) {
    const id = idIndex !== undefined ? (record.fields[idIndex] ?? '').trim() : '';
    if (id !== '' && !drafts.has(id)) unreadableIds.add(id);
  }

  if (rolesFile) issues.push(...readRoles(files, drafts, options));

  return {
    version: manifest.version,
    mode: manifest.mode,
    users: order,
    byId: drafts,
    unreadableIds,
    ragged: table.ragged,
    usersFile: {
      name: table.fileName,
      encoding: table.encoding,
      encodingGuessed: table.encodingGuessed,
      rows: table.recordCount,
      header: table.header,
      languageColumn: users.languageColumn,
      relationshipColumn: users.relationColumn,
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
  // Lists may be shared between users (UserValues): never changed in place, replaced (see `added`).
  roles: readonly OneRosterUserRole[];
  orgSourcedIds: readonly string[];
  agentSourcedIds: readonly string[];
  givenName: string;
  familyName: string;
  identifier: string;
  email: string;
  sms: string;
  phone: string;
  language: string | undefined;
  relationship: string;
}

/** 1.2 roles.csv: one row per (user, role, org), read record by record. Its issues name roles.csv and its line in the message. */
function readRoles(files: OneRosterFiles, drafts: Map<string, Draft>, options: ReadOneRosterUsersOptions): Issue[] {
  throwIfReadingAborted(options.signal, ONEROSTER_FILE_NAMES.roles);
  const dangling: Issue[] = [];
  let columns: { userSourcedId: number; role: number; status: number; orgSourcedId: number; roleType: number } | undefined;
  const sink: OneRosterRecordSink = {
    start: (header) => {
      const at = (name: string): number => header.columnIndex(name) ?? -1;
      columns = { userSourcedId: at('userSourcedId'), role: at('role'), status: at('status'), orgSourcedId: at('orgSourcedId'), roleType: at('roleType') };
    },
    record: (fields, line) => {
      const at = columns!;
      const userId = valueAt(fields, at.userSourcedId);
      const role = valueAt(fields, at.role).toLowerCase();
      if (userId === '' || role === '') return;
      const user = drafts.get(userId);
      if (user === undefined) {
        dangling.push(createIssue('DANGLING_REFERENCE', `roles.csv line ${line}: user ${userId} is not in users.csv; the role is ignored.`, { column: 'userSourcedId' }));
        return;
      }
      const org = valueAt(fields, at.orgSourcedId);
      const roleType = valueAt(fields, at.roleType).toLowerCase();
      user.roles = [
        ...user.roles,
        {
          role,
          status: readStatus(valueAt(fields, at.status)),
          orgSourcedId: org !== '' ? org : null,
          roleType: roleType === 'primary' || roleType === 'secondary' ? roleType : null,
        },
      ];
      if (org !== '') user.orgSourcedIds = added(user.orgSourcedIds, [org]);
    },
  };
  const summary = readOneRosterRecords(files, ONEROSTER_FILE_NAMES.roles, sink, {
    encoding: options.encoding,
    legacyEncoding: options.legacyEncoding,
    required: ['userSourcedId', 'role'],
    used: (name) => USED_ROLE_COLUMNS.has(name),
  });
  if (summary === undefined) return [];
  const issues: Issue[] = [...summary.issues, ...dangling];
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

/** `list` with the `values` it lacks appended: `list` itself when it lacks none, else a new list. */
function added(list: readonly string[], values: readonly string[]): readonly string[] {
  let out: string[] | undefined;
  for (const v of values) {
    if ((out ?? list).includes(v)) continue;
    out ??= [...list];
    out.push(v);
  }
  return out ?? list;
}

/** OneRoster extension columns are named `metadata.<name>`; districts name theirs freely. */
function isExtension(normalizedName: string, word: string): boolean {
  return normalizedName.startsWith('metadata.') && normalizedName.includes(word);
}

function extensionColumn(columns: OneRosterColumns, word: string): string | undefined {
  return columns.header.find((h) => isExtension(normalizeHeaderName(h), word));
}

/** Where each users.csv column a user is read from is (-1: the file has no such column), read once from the header. */
interface UserColumns {
  readonly sourcedId: number;
  readonly status: number;
  readonly role: number;
  readonly orgSourcedIds: number;
  readonly primaryOrgSourcedId: number;
  readonly agentSourcedIds: number;
  readonly givenName: number;
  readonly familyName: number;
  readonly identifier: number;
  readonly email: number;
  readonly sms: number;
  readonly phone: number;
  readonly language: number;
  readonly relationship: number;
}

/** The trimmed value of a column in a record; '' when the column or the field is missing. */
const valueAt = (fields: readonly string[], index: number): string => (index < 0 ? '' : (fields[index] ?? '').trim());

/** users.csv's records, one by one → one draft per user (a sourcedId repeated on a later line merged into the first). */
class UserDrafts implements OneRosterRecordSink {
  readonly drafts = new Map<string, Draft>();
  readonly order: Draft[] = [];
  /** MISSING_VALUE issues of records without a sourcedId, in line order. */
  readonly issues: Issue[] = [];
  languageColumn: string | undefined;
  relationColumn: string | undefined;
  #columns: UserColumns | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly values: UserValues,
  ) {}

  start(columns: OneRosterColumns): void {
    this.languageColumn = extensionColumn(columns, 'lang');
    this.relationColumn = extensionColumn(columns, 'relation');
    const at = (name: string | undefined): number => (name === undefined ? -1 : (columns.columnIndex(name) ?? -1));
    this.#columns = {
      sourcedId: at('sourcedId'),
      status: at('status'),
      role: at('role'),
      orgSourcedIds: at('orgSourcedIds'),
      primaryOrgSourcedId: at('primaryOrgSourcedId'),
      agentSourcedIds: at('agentSourcedIds'),
      givenName: at('givenName'),
      familyName: at('familyName'),
      identifier: at('identifier'),
      email: at('email'),
      sms: at('sms'),
      phone: at('phone'),
      language: at(this.languageColumn),
      relationship: at(this.relationColumn),
    };
  }

  record(fields: string[], line: number): void {
    throwIfReadingAborted(this.signal, ONEROSTER_FILE_NAMES.users);
    const columns = this.#columns!;
    const sourcedId = valueAt(fields, columns.sourcedId);
    if (sourcedId === '') {
      this.issues.push(createIssue('MISSING_VALUE', `users.csv line ${line} has no sourcedId: the user is skipped.`, { line, column: 'sourcedId' }));
      return;
    }
    const values = this.values;
    const status = readStatus(valueAt(fields, columns.status));
    const roles = values.roles(valueAt(fields, columns.role).toLowerCase(), status);
    const existing = this.drafts.get(sourcedId);
    if (existing !== undefined) {
      // A SIS that exports one person once per role (1.1 has one role per row): one user.
      if (roles.length > 0) existing.roles = [...existing.roles, ...roles];
      existing.orgSourcedIds = added(existing.orgSourcedIds, splitMultiValue(valueAt(fields, columns.orgSourcedIds)));
      existing.agentSourcedIds = added(existing.agentSourcedIds, splitMultiValue(valueAt(fields, columns.agentSourcedIds)));
      if (status === 'active') existing.status = 'active';
      return;
    }
    const identifier = valueAt(fields, columns.identifier);
    const draft: Draft = {
      line,
      sourcedId,
      status,
      roles,
      orgSourcedIds: values.orgs(valueAt(fields, columns.orgSourcedIds), valueAt(fields, columns.primaryOrgSourcedId)),
      agentSourcedIds: values.ids(valueAt(fields, columns.agentSourcedIds)),
      givenName: valueAt(fields, columns.givenName),
      familyName: valueAt(fields, columns.familyName),
      identifier: values.same(identifier, sourcedId),
      email: valueAt(fields, columns.email),
      sms: valueAt(fields, columns.sms),
      phone: valueAt(fields, columns.phone),
      language: this.languageColumn !== undefined ? values.repeated(valueAt(fields, columns.language)) : undefined,
      relationship: values.repeated(valueAt(fields, columns.relationship)),
    };
    this.drafts.set(sourcedId, draft);
    this.order.push(draft);
  }
}

/**
 * How a users.csv record's lists and repeated values are made. A million users held the same
 * few roles, schools and relationships each in its own objects, and every list at the
 * capacity of a growing array (17 slots for one id); `compactUserValues` gives users that
 * agree one frozen list or string, and lists their exact size. `plainUserValues` is the
 * plain version, each user its own (test/oneroster/user-values.test.ts: equal results).
 */
export interface UserValues {
  /** A record's roles: its `role` (lower-cased), or none when blank. */
  roles(role: string, status: OneRosterStatus): readonly OneRosterUserRole[];
  /** A record's orgs: `orgSourcedIds` (splitMultiValue), after `primary` when it is not among them. */
  orgs(text: string, primary: string): readonly string[];
  /** A multi-valued field's ids (splitMultiValue). */
  ids(text: string): readonly string[];
  /** `value`, or `other` when equal to it (one string for both). */
  same(value: string, other: string): string;
  /** A value many users share (a language, a relationship). */
  repeated(value: string): string;
}

export function plainUserValues(): UserValues {
  return {
    roles: (role, status) => (role !== '' ? [{ role, status, orgSourcedId: null, roleType: null }] : []),
    orgs: (text, primary) => {
      const orgs = splitMultiValue(text);
      return primary !== '' && !orgs.includes(primary) ? [primary, ...orgs] : orgs;
    },
    ids: splitMultiValue,
    same: (value) => value,
    repeated: (value) => value,
  };
}

const NO_IDS: readonly string[] = Object.freeze([]);
const NO_ROLES: readonly OneRosterUserRole[] = Object.freeze([]);
/** Distinct role lists and org lists shared, at most: past it (free text), users get their own. */
const SHARED_LISTS_LIMIT = 10_000;

/** A cache of frozen values by key, holding at most SHARED_LISTS_LIMIT of them. */
function sharedBy<T>(make: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  // Users come grouped (students, then guardians): comparing with the last key is cheaper
  // than hashing each record's new string.
  let lastKey: string | undefined;
  let lastValue: T | undefined;
  return (key) => {
    if (key === lastKey) return lastValue as T;
    let value = known.get(key);
    if (value === undefined) {
      value = Object.freeze(make(key));
      if (known.size < SHARED_LISTS_LIMIT) known.set(key, value);
    }
    lastKey = key;
    lastValue = value;
    return value;
  };
}

/** Splits an id list into an array of its exact size (splitMultiValue's grows to 17 slots for one id). */
function exactIds(text: string): readonly string[] {
  if (text === '') return NO_IDS;
  // Values are trimmed: without a comma the text is the one id.
  if (text.indexOf(',') === -1) return [text];
  const ids = splitMultiValue(text);
  return ids.length === 0 ? NO_IDS : ids.slice();
}

export function compactUserValues(): UserValues {
  const roleList = (status: OneRosterStatus): ((role: string) => readonly OneRosterUserRole[]) =>
    sharedBy((role) => [Object.freeze({ role, status, orgSourcedId: null, roleType: null })]);
  const activeRoles = roleList('active');
  const deletedRoles = roleList('tobedeleted');
  const orgLists = sharedBy((text) => exactIds(text));
  const repeated = new StringPool({ limit: SHARED_LISTS_LIMIT });
  return {
    roles: (role, status) => (role === '' ? NO_ROLES : status === 'active' ? activeRoles(role) : deletedRoles(role)),
    orgs: (text, primary) => {
      if (primary === '') return orgLists(text);
      const orgs = splitMultiValue(text);
      return orgs.includes(primary) ? orgs.slice() : [primary, ...orgs];
    },
    ids: exactIds,
    same: (value, other) => (value === other ? other : value),
    repeated: (value) => repeated.intern(value),
  };
}
