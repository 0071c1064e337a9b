// OneRoster role names as this package sorts them: guardians (read by the guardian sync),
// students and staff (read by the roster import). Lower-case: files differ in case
// (`districtAdministrator`, `Teacher`), so roles are compared lower-cased.

/** Role names that make a OneRoster user a guardian. */
export const ONEROSTER_GUARDIAN_ROLES: ReadonlySet<string> = new Set(['parent', 'guardian', 'relative']);

/** Role names that make a OneRoster user a student. */
export const ONEROSTER_STUDENT_ROLES: ReadonlySet<string> = new Set(['student']);

/**
 * Role names that make a OneRoster user staff: the 1.1 names (teacher, administrator, aide,
 * proctor) and the 1.2 ones (districtAdministrator, siteAdministrator, systemAdministrator,
 * principal, counselor).
 */
export const ONEROSTER_STAFF_ROLES: ReadonlySet<string> = new Set([
  'teacher',
  'administrator',
  'aide',
  'proctor',
  'districtadministrator',
  'siteadministrator',
  'systemadministrator',
  'principal',
  'counselor',
]);
