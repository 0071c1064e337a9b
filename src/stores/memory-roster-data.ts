// The memory store's tables and the indexes kept beside them. Every write goes through the
// functions of this file, which keep the indexes in step with the tables, so that a read for
// one district (a snapshot, an export, a roster import) looks up what it needs and never
// walks the platform's accounts, links or students (docs/identity-rules.md §7).
//
// A district's index lists its members: the accounts holding a role there or linked to its
// students, each with its links there, in the order they joined. A snapshot is one walk over
// it, with no lookup per account: at a million guardians a hash lookup per account and per
// link costs seconds, a walk a fraction of one. Each value is kept once, where the district
// reads find it; the flat tables of `MemoryRosterData` are views over it (map-view.ts).
import type { RunSummary } from '../model/report.js';
import type { Account, GuardianLink, Org, RosterSeed, SnapshotLogins, Student } from '../model/roster.js';
import { emailKey, mobileKey } from '../resolve/contact-key.js';
import { pickAccountFields, sortedSisIds, sortRoles } from '../model/account-roles.js';
import { MapView } from './map-view.js';
import { rolesAfterMerge } from './merge-district-roles.js';

/** Roster data to start a memory store with. */
export type MemoryRosterSeed = RosterSeed;

export interface MemoryLock {
  readonly owner: string;
  /** Epoch milliseconds (of the store's clock) after which the lock is free. */
  readonly expiresAt: number;
}

/**
 * A saved run: its summary, and the report as JSON. JSON, not a structured clone: the
 * history must not change when the caller changes its report object, and for a
 * 1,000,000-row report `JSON.stringify` is several times faster than `structuredClone`.
 */
export interface MemoryRun {
  readonly summary: RunSummary;
  readonly json: string;
}

/** An account as one district knows it. */
export interface MemoryDistrictMember {
  readonly accountId: string;
  /** The account holds a role (guardian or staff, any status) in the district. */
  readonly holdsRole: boolean;
  /** Its links to the district's students, in the order they were added. */
  readonly links: readonly GuardianLink[];
}

/** What the store keeps per district. */
export interface MemoryDistrictIndex {
  /** The district's schools (a school without a district is its own district). */
  readonly schoolIds: ReadonlySet<string>;
  /** The district's students by SIS id. */
  readonly students: ReadonlyMap<string, Student>;
  /** The accounts holding a role in the district or linked to its students, by id, in the order they joined it. */
  readonly members: ReadonlyMap<string, MemoryDistrictMember>;
}

/**
 * Lookups derived from the tables, kept in step by every write. Read-only to callers: they
 * exist so that a district's reads cost what the district holds, not what the platform holds.
 */
export interface MemoryRosterIndexes {
  readonly districts: ReadonlyMap<string, MemoryDistrictIndex>;
  /** `emailKey` of an account's email (trimmed, NFC, lower-cased) → account ids. */
  readonly accountsByEmail: ReadonlyMap<string, readonly string[]>;
  /** `mobileKey` of an account's mobile → account ids. */
  readonly accountsByMobile: ReadonlyMap<string, readonly string[]>;
  /** {@link memoryStaffIdKey} (district, staff SIS id) → ids of the accounts whose staff role there holds it (roster import). */
  readonly accountsByStaffSisId: ReadonlyMap<string, readonly string[]>;
}

/**
 * The live data behind a memory store, for inspection (the conformance suite reads it).
 * - `orgs` by id; `students` by {@link memoryStudentKey} (district, SIS id): SIS ids are
 *   unique only inside a district; `accounts` by id, in the order their ids were first
 *   stored (as an account, or named by a link); `links` by {@link memoryLinkKey} (account,
 *   district, student, source), district by district.
 * - `indexes`: what the store reads a district through (see {@link MemoryRosterIndexes}).
 * `students`, `accounts` and `links` are read-only views over the indexes, which hold each
 * value once; write through {@link seedMemoryRosterData} (or the store). Walking a view
 * walks the whole platform: fine for a test, never done by the store's own reads. Values
 * are never changed in place: the store replaces an account or link, so a snapshot handed
 * out stays as it was.
 */
export interface MemoryRosterData {
  readonly orgs: ReadonlyMap<string, Org>;
  readonly students: ReadonlyMap<string, Student>;
  readonly accounts: ReadonlyMap<string, Account>;
  readonly links: ReadonlyMap<string, GuardianLink>;
  readonly indexes: MemoryRosterIndexes;
  readonly locks: Map<string, MemoryLock>;
  /** Saved runs by run id. */
  readonly runs: Map<string, MemoryRun>;
}

/** Key of a student in {@link MemoryRosterData.students}. */
export function memoryStudentKey(districtId: string, sisId: string): string {
  return `${districtId}\u0000${sisId}`;
}

/** Key of a link in {@link MemoryRosterData.links}. */
export function memoryLinkKey(accountId: string, districtId: string, studentSisId: string, source: string): string {
  return `${accountId}\u0000${districtId}\u0000${studentSisId}\u0000${source}`;
}

/** Key of a staff SIS id in {@link MemoryRosterIndexes.accountsByStaffSisId}. */
export function memoryStaffIdKey(districtId: string, sisId: string): string {
  return `${districtId}\u0000${sisId}`;
}

/**
 * One per account id that an account or a link has: the current account (undefined while
 * only links name the id), shared by every district's member entry, so a district finds its
 * members' accounts without a lookup.
 */
interface AccountSlot {
  readonly id: string;
  account: Account | undefined;
}

interface Member extends MemoryDistrictMember {
  readonly slot: AccountSlot;
  holdsRole: boolean;
  readonly links: GuardianLink[];
}

interface District extends MemoryDistrictIndex {
  readonly schoolIds: Set<string>;
  readonly students: Map<string, Student>;
  readonly members: Map<string, Member>;
}

/** The writable structures behind a {@link MemoryRosterData}: only this file writes. */
interface Tables {
  readonly orgs: Map<string, Org>;
  /** Every account id an account or a link has, in the order it was first named. */
  readonly slots: Map<string, AccountSlot>;
  readonly districts: Map<string, District>;
  readonly accountsByEmail: Map<string, string[]>;
  readonly accountsByMobile: Map<string, string[]>;
  readonly accountsByStaffSisId: Map<string, string[]>;
  counts: { accounts: number; students: number; links: number };
}

// The tables of each data set made here, so a write reaches them without a cast, and a data
// set not made here (its indexes would be missing) is refused instead of silently half-kept.
const tablesByData = new WeakMap<MemoryRosterData, Tables>();

function tablesOf(data: MemoryRosterData): Tables {
  const tables = tablesByData.get(data);
  if (tables === undefined) throw new TypeError('This roster data was not made by createMemoryRosterData(); its indexes are missing.');
  return tables;
}

/** Creates an empty data set, or one holding `seed`. */
export function createMemoryRosterData(seed: MemoryRosterSeed = {}): MemoryRosterData {
  const t: Tables = {
    orgs: new Map(),
    slots: new Map(),
    districts: new Map(),
    accountsByEmail: new Map(),
    accountsByMobile: new Map(),
    accountsByStaffSisId: new Map(),
    counts: { accounts: 0, students: 0, links: 0 },
  };
  const data: MemoryRosterData = {
    orgs: t.orgs,
    students: new MapView<Student>({
      get: (key) => {
        const [districtId, sisId] = key.split('\u0000');
        return sisId === undefined ? undefined : t.districts.get(districtId!)?.students.get(sisId);
      },
      size: () => t.counts.students,
      *entries() {
        for (const [districtId, district] of t.districts) for (const student of district.students.values()) yield [memoryStudentKey(districtId, student.sisId), student];
      },
    }),
    accounts: new MapView<Account>({
      get: (id) => t.slots.get(id)?.account,
      size: () => t.counts.accounts,
      *entries() {
        for (const slot of t.slots.values()) if (slot.account !== undefined) yield [slot.id, slot.account];
      },
    }),
    links: new MapView<GuardianLink>({
      get: (key) => {
        const [accountId, districtId, studentSisId, source] = key.split('\u0000');
        if (source === undefined) return undefined;
        return t.districts.get(districtId!)?.members.get(accountId!)?.links.find((l) => l.studentSisId === studentSisId && l.source === source);
      },
      size: () => t.counts.links,
      *entries() {
        for (const district of t.districts.values()) {
          for (const member of district.members.values()) for (const l of member.links) yield [memoryLinkKey(l.accountId, l.districtId, l.studentSisId, l.source), l];
        }
      },
    }),
    indexes: { districts: t.districts, accountsByEmail: t.accountsByEmail, accountsByMobile: t.accountsByMobile, accountsByStaffSisId: t.accountsByStaffSisId },
    locks: new Map(),
    runs: new Map(),
  };
  tablesByData.set(data, t);
  seedMemoryRosterData(data, seed);
  return data;
}

/**
 * Adds the seed's values to `data`, replacing by key (orgs and accounts by id, students by
 * district and SIS id, links by account, district, student and source). Values are copied.
 */
export function seedMemoryRosterData(data: MemoryRosterData, seed: MemoryRosterSeed): void {
  for (const org of seed.orgs ?? []) putOrg(data, { ...org });
  for (const student of seed.students ?? []) putStudent(data, { ...student });
  for (const account of seed.accounts ?? []) putAccount(data, copyAccount(account));
  for (const link of seed.links ?? []) putLink(data, { accountId: link.accountId, districtId: link.districtId, studentSisId: link.studentSisId, source: link.source });
}

// ---------------------------------------------------------------------------------------
// Writes: each keeps every index in step with its table.

function districtOf(t: Tables, districtId: string): District {
  let district = t.districts.get(districtId);
  if (district === undefined) {
    district = { schoolIds: new Set(), students: new Map(), members: new Map() };
    t.districts.set(districtId, district);
  }
  return district;
}

function slotOf(t: Tables, accountId: string): AccountSlot {
  let slot = t.slots.get(accountId);
  if (slot === undefined) {
    slot = { id: accountId, account: undefined };
    t.slots.set(accountId, slot);
  }
  return slot;
}

function memberOf(t: Tables, district: District, accountId: string): Member {
  let member = district.members.get(accountId);
  if (member === undefined) {
    member = { accountId, slot: slotOf(t, accountId), holdsRole: false, links: [] };
    district.members.set(accountId, member);
  }
  return member;
}

/** Drops a member that holds no role and no link there any more. */
function pruneMember(district: District, member: Member): void {
  if (!member.holdsRole && member.links.length === 0) district.members.delete(member.accountId);
}

export function putOrg(data: MemoryRosterData, org: Org): void {
  const t = tablesOf(data);
  const previous = t.orgs.get(org.id);
  if (previous?.type === 'school') t.districts.get(previous.parentId ?? previous.id)?.schoolIds.delete(previous.id);
  t.orgs.set(org.id, org);
  if (org.type === 'school') districtOf(t, org.parentId ?? org.id).schoolIds.add(org.id);
}

export function putStudent(data: MemoryRosterData, student: Student): void {
  const t = tablesOf(data);
  const students = districtOf(t, student.districtId).students;
  if (!students.has(student.sisId)) t.counts.students += 1;
  students.set(student.sisId, student);
}

/** Stores the account, created or replaced (a replaced account keeps its place in the order). */
export function putAccount(data: MemoryRosterData, account: Account): void {
  const t = tablesOf(data);
  const slot = slotOf(t, account.id);
  const previous = slot.account;
  if (previous === undefined) t.counts.accounts += 1;
  slot.account = account;
  if (previous !== undefined) {
    if (previous.email !== account.email) {
      removeFromList(t.accountsByEmail, emailKey(previous.email), account.id);
      addToList(t.accountsByEmail, emailKey(account.email), account.id);
    }
    if (previous.mobilePhone !== account.mobilePhone) {
      removeFromList(t.accountsByMobile, mobileKey(previous.mobilePhone), account.id);
      addToList(t.accountsByMobile, mobileKey(account.mobilePhone), account.id);
    }
    if (previous.roles === account.roles) return;
    for (const role of previous.roles) {
      if (role.role === 'staff') for (const id of role.sisIds) removeFromList(t.accountsByStaffSisId, memoryStaffIdKey(role.districtId, id), account.id);
      if (account.roles.some((r) => r.districtId === role.districtId)) continue;
      const district = t.districts.get(role.districtId);
      const member = district?.members.get(account.id);
      if (district === undefined || member === undefined) continue;
      member.holdsRole = false;
      pruneMember(district, member);
    }
  } else {
    addToList(t.accountsByEmail, emailKey(account.email), account.id);
    addToList(t.accountsByMobile, mobileKey(account.mobilePhone), account.id);
  }
  for (const role of account.roles) {
    memberOf(t, districtOf(t, role.districtId), account.id).holdsRole = true;
    if (role.role === 'staff') for (const id of role.sisIds) addToList(t.accountsByStaffSisId, memoryStaffIdKey(role.districtId, id), account.id);
  }
}

/** Stores the link; false when an equal link (same account, district, student and source) was there already. */
export function putLink(data: MemoryRosterData, link: GuardianLink): boolean {
  const t = tablesOf(data);
  const links = memberOf(t, districtOf(t, link.districtId), link.accountId).links;
  // An account's links in one district are a few: a scan beats a key string per link.
  const at = links.findIndex((l) => l.studentSisId === link.studentSisId && l.source === link.source);
  if (at !== -1) {
    links[at] = link;
    return false;
  }
  links.push(link);
  t.counts.links += 1;
  return true;
}

/** Removes the link; false when it was not there. */
export function deleteLink(data: MemoryRosterData, link: Pick<GuardianLink, 'accountId' | 'districtId' | 'studentSisId' | 'source'>): boolean {
  const t = tablesOf(data);
  const district = t.districts.get(link.districtId);
  const member = district?.members.get(link.accountId);
  const at = member?.links.findIndex((l) => l.studentSisId === link.studentSisId && l.source === link.source) ?? -1;
  if (district === undefined || member === undefined || at === -1) return false;
  member.links.splice(at, 1);
  t.counts.links -= 1;
  pruneMember(district, member);
  return true;
}

/**
 * Folds district `from` into `into` (`RosterImport.mergeDistricts`): its schools, students
 * (a student `into` has by SIS id keeps its value), links and roles move, and org `from`
 * goes. Walks `from`'s members and the orgs, never the platform's accounts.
 */
export function mergeDistrict(data: MemoryRosterData, from: string, into: string): void {
  if (from === into) return;
  const t = tablesOf(data);
  for (const org of [...t.orgs.values()]) if (org.type === 'school' && org.parentId === from) putOrg(data, { ...org, parentId: into });
  if (t.orgs.get(from)?.type === 'district') t.orgs.delete(from);
  const source = t.districts.get(from);
  if (source === undefined) return;
  const target = districtOf(t, into);
  for (const student of source.students.values()) {
    if (!target.students.has(student.sisId)) putStudent(data, { ...student, districtId: into });
  }
  for (const member of [...source.members.values()]) {
    for (const link of [...member.links]) {
      putLink(data, { ...link, districtId: into });
      deleteLink(data, link);
    }
    const account = member.slot.account;
    if (account !== undefined) {
      const roles = rolesAfterMerge(account.roles, from, into);
      if (roles !== account.roles) putAccount(data, { ...account, roles });
    }
  }
  t.counts.students -= source.students.size;
  t.districts.delete(from);
}

// Lists, not Sets: nearly every login and staff id has one holder, and a one-element array
// costs a fraction of a Set (at a million accounts, hundreds of MiB less).
function addToList(map: Map<string, string[]>, key: string | null, value: string): void {
  if (key === null) return;
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function removeFromList(map: Map<string, string[]>, key: string | null, value: string): void {
  if (key === null) return;
  const list = map.get(key);
  if (list === undefined) return;
  const at = list.indexOf(value);
  if (at !== -1) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

// ---------------------------------------------------------------------------------------
// Reads through the indexes.

export function studentOf(data: MemoryRosterData, districtId: string, sisId: string): Student | undefined {
  return data.indexes.districts.get(districtId)?.students.get(sisId);
}

/** Ids of the district's schools, in no particular order. */
export function schoolIdsOf(data: MemoryRosterData, districtId: string): readonly string[] {
  return [...(data.indexes.districts.get(districtId)?.schoolIds ?? [])];
}

export function accountsWithEmail(data: MemoryRosterData, email: string | null): Account[] {
  const key = emailKey(email);
  return key === null ? [] : accountsOf(data, data.indexes.accountsByEmail.get(key));
}

export function accountsWithMobile(data: MemoryRosterData, mobile: string | null): Account[] {
  const key = mobileKey(mobile);
  return key === null ? [] : accountsOf(data, data.indexes.accountsByMobile.get(key));
}

/** The account whose staff role in `districtId` holds `sisId`; the smallest id when several do (as in SQLite). */
export function accountByStaffSisId(data: MemoryRosterData, districtId: string, sisId: string): Account | undefined {
  let found: Account | undefined;
  for (const account of accountsOf(data, data.indexes.accountsByStaffSisId.get(memoryStaffIdKey(districtId, sisId)))) {
    if (found === undefined || account.id < found.id) found = account;
  }
  return found;
}

function accountsOf(data: MemoryRosterData, ids: readonly string[] | undefined): Account[] {
  const out: Account[] = [];
  for (const id of ids ?? []) {
    const account = data.accounts.get(id);
    if (account !== undefined) out.push(account);
  }
  return out;
}

/** What one district sees: its students, its accounts (each once) and its links. */
export interface MemoryDistrictView {
  readonly students: Student[];
  readonly accounts: Account[];
  readonly links: GuardianLink[];
}

/**
 * The district's students; its members' accounts (holding a role there or linked to its
 * students) in the order they joined the district, then the holders of `logins` that are
 * not members (each once, with all its roles); and its links, grouped by account in the
 * accounts' order (so the planner's InOrderLookup finds each link's account without a Map).
 * Links of an account id no account has (a seed may hold them) are returned too, in place.
 * Costs what the district holds, plus one lookup per login.
 */
export function readDistrict(data: MemoryRosterData, districtId: string, logins?: SnapshotLogins): MemoryDistrictView {
  const district = tablesOf(data).districts.get(districtId);
  const accounts: Account[] = [];
  const links: GuardianLink[] = [];
  if (district !== undefined) {
    for (const member of district.members.values()) {
      const account = member.slot.account;
      if (account !== undefined) accounts.push(account);
      for (const link of member.links) links.push(link);
    }
  }
  if (logins !== undefined) {
    const added = new Set<string>();
    const addHolders = (ids: readonly string[] | undefined): void => {
      for (const id of ids ?? []) {
        if (added.has(id) || district?.members.get(id)?.slot.account !== undefined) continue;
        const account = data.accounts.get(id);
        if (account === undefined) continue;
        added.add(id);
        accounts.push(account);
      }
    };
    for (const email of logins.emails) {
      const key = emailKey(email);
      if (key !== null) addHolders(data.indexes.accountsByEmail.get(key));
    }
    for (const mobile of logins.mobiles) {
      const key = mobileKey(mobile);
      if (key !== null) addHolders(data.indexes.accountsByMobile.get(key));
    }
  }
  const students = district === undefined ? [] : [...district.students.values()];
  return { students, accounts, links };
}

function copyAccount(account: Account): Account {
  return {
    id: account.id,
    ...pickAccountFields(account),
    claimed: account.claimed,
    roles: sortRoles(account.roles.map((r) => ({ role: r.role, districtId: r.districtId, sisIds: sortedSisIds(r.sisIds), status: r.status }))),
  };
}
