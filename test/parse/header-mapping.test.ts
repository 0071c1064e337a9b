import { describe, expect, it } from 'vitest';
import { isGuardianSyncError, type GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { GUARDIAN_FIELDS } from '../../src/model/guardian-row.js';
import { HEADER_ALIASES, headerKey, mapHeader, type HeaderMappingOptions } from '../../src/parse/header-mapping.js';

const BASE = ['studentSisId', 'firstName', 'lastName', 'email'];

function thrown(cells: string[], options: HeaderMappingOptions = { line: 1 }): GuardianSyncError {
  try {
    mapHeader(cells, options);
  } catch (error) {
    if (isGuardianSyncError(error)) return error;
    throw error;
  }
  throw new Error('expected mapHeader to throw');
}

describe('mapHeader', () => {
  it('compares headers ignoring case, spaces, _, -, . and invisible characters', () => {
    expect(headerKey(' Student_SIS-ID. ')).toBe('studentsisid');
    expect(headerKey('\uFEFFfirst\u200B name')).toBe('firstname');
  });

  it('maps every field name and every alias of FILE-FORMAT.md', () => {
    for (const field of GUARDIAN_FIELDS) {
      for (const header of [field, ...HEADER_ALIASES[field]]) {
        const cells = [...BASE.filter((c) => headerKey(c) !== headerKey(field) && c !== 'email'), header, ...(field === 'mobilePhone' || field === 'email' ? [] : ['email'])];
        const mapped = mapHeader(cells, { line: 1 });
        expect(mapped.mapping[field], `${header} → ${field}`).toBe(header);
        expect(mapped.indexes.get(field)).toBe(cells.indexOf(header));
      }
    }
  });

  it('reports UNKNOWN_COLUMN for a caller-mapped optional column the file lacks', () => {
    const mapped = mapHeader(BASE, { line: 1, columns: { language: 'Idioma' } });
    expect(mapped.issues.map((i) => [i.code, i.column])).toContainEqual(['UNKNOWN_COLUMN', 'Idioma']);
  });

  it('a caller-mapped required column the file lacks → MISSING_REQUIRED_COLUMN naming the mapping', () => {
    const error = thrown(BASE, { line: 1, columns: { studentSisId: 'Pupil' } });
    expect(error.code).toBe('MISSING_REQUIRED_COLUMN');
    expect(error.message).toContain('"Pupil"');
  });

  it('a caller mapping that sends one column to two fields → DUPLICATE_COLUMN', () => {
    expect(thrown([...BASE, 'Cell'], { line: 1, columns: { mobilePhone: 'Cell', homePhone: 'Cell' } }).code).toBe('DUPLICATE_COLUMN');
  });

  it('identical unknown headers are duplicates too (one column would be lost)', () => {
    expect(thrown([...BASE, 'Notes', 'notes']).code).toBe('DUPLICATE_COLUMN');
  });

  it('ignores trailing empty header cells silently, warns about empty ones in the middle', () => {
    expect(mapHeader([...BASE, '', ''], { line: 1 }).issues.map((i) => i.code)).toEqual(['MISSING_GUARDIAN_SIS_ID']);
    expect(mapHeader(['studentSisId', '', 'firstName', 'lastName', 'email'], { line: 1 }).issues.map((i) => [i.code, i.column])).toEqual([
      ['UNKNOWN_COLUMN', 'column 2'],
      ['MISSING_GUARDIAN_SIS_ID', 'guardianSisId'],
    ]);
  });

  it('puts the header line on header issues and errors', () => {
    const mapped = mapHeader([...BASE, 'Grade'], { line: 2 });
    expect(mapped.issues[0]).toMatchObject({ code: 'UNKNOWN_COLUMN', line: 2 });
    expect(thrown(['studentSisId', 'email'], { line: 2, fileName: 'g.csv' })).toMatchObject({ line: 2, file: 'g.csv' });
  });
});
