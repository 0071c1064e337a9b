import { describe, expect, it } from 'vitest';
import { isGuardianSyncError, type GuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { GUARDIAN_FIELDS } from '../../src/model/guardian-row.js';
import { HEADER_ALIASES, headerKey, mapHeader, SIS_EXPORT_HEADER_ALIASES, type HeaderMappingOptions } from '../../src/parse/header-mapping.js';

const BASE = ['studentSisId', 'firstName', 'lastName', 'email'];

function thrown(cells: readonly string[], options: HeaderMappingOptions = { line: 1 }): GuardianSyncError {
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

// Issue 19, item 11: SIS export spellings, and columns that look like a field.
describe('mapHeader: SIS export headers (issue 19, item 11)', () => {
  const mapped = (cells: string[]) => mapHeader(cells, { line: 1 });
  const unknownColumns = (cells: string[]) => mapped(cells).issues.filter((i) => i.code === 'UNKNOWN_COLUMN');

  it('reads Student Number, Contact ID and Home Language; Primary Phone is not read as a login', () => {
    const result = mapped(['Student Number', 'Contact ID', 'First Name', 'Last Name', 'Email', 'Primary Phone', 'Home Language']);
    expect(result.mapping).toEqual({
      studentSisId: 'Student Number',
      guardianSisId: 'Contact ID',
      firstName: 'First Name',
      lastName: 'Last Name',
      email: 'Email',
      language: 'Home Language',
    });
    expect(result.indexes.has('mobilePhone')).toBe(false);
    expect(result.indexes.has('homePhone')).toBe(false);
  });

  it('warns about Primary Phone with both --column fixes, never mapping it', () => {
    const [issue, ...rest] = unknownColumns([...BASE, 'Primary Phone']);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ severity: 'warning', column: 'Primary Phone', line: 1 });
    expect(issue?.message).toContain('--column mobilePhone="Primary Phone"');
    expect(issue?.message).toContain('--column homePhone="Primary Phone"');
  });

  it.each([
    ['Guardian Lang', 'language'],
    ['Parent Cell #', 'mobilePhone'],
    ['Mobile Number 2', 'mobilePhone'],
    ['GUARDIANEMAIL2', 'email'],
    ['E-Mail 2', 'email'],
    ['Home Phone 2', 'homePhone'],
    ['Parent First', 'firstName'],
    ['Guardian Surname', 'lastName'],
    ['Relationship to Child', 'relationship'],
    ['Guardian Record ID', 'guardianSisId'],
    ['State Student ID', 'studentSisId'],
  ])('"%s" looks like %s: a warning naming the --column fix, values ignored', (header, field) => {
    const result = mapped(['studentSisId', 'firstName', 'lastName', 'mobilePhone', header].filter((c, i, all) => all.indexOf(c) === i));
    expect(Object.values(result.mapping)).not.toContain(header);
    const issue = result.issues.find((i) => i.column === header);
    expect(issue).toMatchObject({ code: 'UNKNOWN_COLUMN', severity: 'warning' });
    expect(issue?.message).toContain(`--column ${field}="${header}"`);
  });

  it.each(['Notes', 'Grade', 'Student Email', 'Student First Name', 'Phone Type', 'Email Opt Out', 'Language Fluency', 'Family ID', 'Contact Number', 'Mailing Address'])(
    '"%s" suggests no field (a student column, a column about a value, or a family)',
    (header) => {
      const [issue] = unknownColumns([...BASE, header]);
      expect(issue?.message).toBe(`The column "${header}" is not a known field: its values are ignored.`);
    },
  );

  it('a look-alike of a field read from another column says which column is read', () => {
    const [issue] = unknownColumns(['studentSisId', 'firstName', 'lastName', 'Mobile Number', 'Mobile Number 2']);
    expect(issue?.message).toBe(
      'The column "Mobile Number 2" looks like mobilePhone, which is read from "Mobile Number": its values are ignored. To read mobilePhone from this column instead: --column mobilePhone="Mobile Number 2".',
    );
  });

  it('look-alikes are warned about before plain unknown columns, so the first messages shown are the useful ones', () => {
    expect(unknownColumns([...BASE, 'Notes', 'Grade', 'Guardian Lang']).map((i) => i.column)).toEqual(['Guardian Lang', 'Notes', 'Grade']);
  });

  it('an older name wins over a SIS export spelling of the same field, with a warning naming the flag to switch', () => {
    const result = mapped([...BASE, 'Preferred Language', 'Home Language']);
    expect(result.mapping.language).toBe('Preferred Language');
    const issue = result.issues.find((i) => i.column === 'Home Language');
    expect(issue?.message).toBe('The column "Home Language" is ignored: language is read from "Preferred Language". To read it from this column instead: --column language="Home Language".');
    // Column order does not matter: the older name wins wherever it stands.
    expect(mapped(['Student Number', 'studentId', 'firstName', 'lastName', 'email']).mapping.studentSisId).toBe('studentId');
  });

  it('two SIS export spellings of one field are refused, naming both and a --column choice', () => {
    const error = thrown([...BASE, 'Home Language', 'Correspondence Language']);
    expect(error.code).toBe('DUPLICATE_COLUMN');
    expect(error.message).toContain('"Home Language" (column 5) and "Correspondence Language" (column 6)');
    expect(error.message).toContain('--column language="Home Language"');
    // Aeries: the school-based Student Number beside the district-wide Perm ID.
    expect(thrown(['Perm ID', 'Student Number', 'firstName', 'lastName', 'email']).code).toBe('DUPLICATE_COLUMN');
    // Chosen with a mapping, the other is ignored with a warning.
    const chosen = mapHeader(['Perm ID', 'Student Number', 'firstName', 'lastName', 'email'], { line: 1, columns: { studentSisId: 'Perm ID' } });
    expect(chosen.mapping.studentSisId).toBe('Perm ID');
    expect(chosen.issues.map((i) => [i.code, i.column])).toContainEqual(['UNKNOWN_COLUMN', 'Student Number']);
  });

  it('a missing required column names the look-alike columns and their fix', () => {
    const error = thrown(['Student Number', 'Parent First', 'Parent Last', 'Primary Phone']);
    expect(error.code).toBe('MISSING_REQUIRED_COLUMN');
    expect(error.message).toContain('"Parent First" looks like firstName: --column firstName="Parent First".');
    expect(error.message).toContain('"Parent Last" looks like lastName: --column lastName="Parent Last".');
    expect(error.message).toContain('"Primary Phone" may hold mobile phones: --column mobilePhone="Primary Phone".');
  });

  it('no header key names two fields, and every SIS export spelling is an accepted alias', () => {
    const owner = new Map<string, string>();
    for (const field of GUARDIAN_FIELDS) {
      for (const name of [field, ...HEADER_ALIASES[field]]) {
        const key = headerKey(name);
        expect(owner.get(key) ?? field, `${name}`).toBe(field);
        owner.set(key, field);
      }
      for (const name of SIS_EXPORT_HEADER_ALIASES[field]) expect(HEADER_ALIASES[field]).toContain(name);
    }
  });

  it('maps a wide header the same way every time, fast', () => {
    const wide = [...BASE, ...Array.from({ length: 500 }, (_, i) => `Custom Field ${i}`), 'Guardian Lang', 'Home Language'];
    const first = mapped(wide);
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(mapped(wide)).toEqual(first);
    // 50 headers of 504 columns: well under a second even on a slow CI machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
