// Which students a sync may link: known to the roster, and at a school of the scope.
import type { RosterSnapshot } from '../model/roster.js';

/** Why a row's student cannot be linked, if it cannot. */
export type StudentProblem = 'unknown' | 'out-of-scope' | null;

export interface StudentScope {
  problemOf(studentSisId: string): StudentProblem;
}

/** One Map entry per student of the district, holding whether it is in scope (no Student object kept). */
export function studentScope(snapshot: RosterSnapshot): StudentScope {
  const schools = new Set(snapshot.scope.schoolIds);
  const inScope = new Map<string, boolean>();
  for (const student of snapshot.students) inScope.set(student.sisId, schools.has(student.schoolId));
  // Files come sorted by student, one row per guardian: a student is often asked for twice
  // in a row, and the second time needs no lookup.
  let lastId: string | undefined;
  let lastProblem: StudentProblem = null;
  return {
    problemOf: (sisId) => {
      if (sisId === lastId) return lastProblem;
      const found = inScope.get(sisId);
      lastId = sisId;
      lastProblem = found === undefined ? 'unknown' : found ? null : 'out-of-scope';
      return lastProblem;
    },
  };
}
