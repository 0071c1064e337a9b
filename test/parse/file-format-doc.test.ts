// docs/file-format.md is what districts read: its alias table and its examples are checked
// against the code, so the page cannot drift from what the parser does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUARDIAN_FIELDS } from '../../src/model/guardian-row.js';
import { HEADER_ALIASES } from '../../src/parse/header-mapping.js';
import { isGuardianSyncError } from '../../src/errors/guardian-sync-error.js';
import { createBytesSource } from '../../src/sources/bytes-source.js';
import { validateGuardianFile } from '../../src/sync/validate-guardian-file.js';
import { readText } from './read-guardian-bytes.js';

const doc = readFileSync(new URL('../../docs/file-format.md', import.meta.url), 'utf8');
const csvBlocks = [...doc.matchAll(/```csv\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
const issueBlock = [...doc.matchAll(/```\n(warning[\s\S]*?)```/g)].map((m) => m[1] ?? '')[0] ?? '';

describe('docs/file-format.md', () => {
  it('lists every field with every accepted header name', () => {
    for (const field of GUARDIAN_FIELDS) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${field}\` |`));
      expect(row, field).toBeDefined();
      for (const alias of [field, ...HEADER_ALIASES[field]]) expect(row, `${field}: ${alias}`).toContain(`\`${alias}\``);
    }
  });

  it('its good example reads without issues', async () => {
    const result = await readText(csvBlocks[0] ?? '');
    expect(result.issues).toEqual([]);
    expect(result.rows.map((r) => [r.mobilePhone, r.language])).toEqual([
      ['+12025550143', 'es'],
      ['+12025550143', 'es'],
      ['+12025550199', 'zh-Hant'],
    ]);
  });

  it('its example with row problems gives exactly the issues shown (by the self-check, as the page says)', async () => {
    const result = await validateGuardianFile(createBytesSource({ name: 'guardians.csv', bytes: Buffer.from(csvBlocks[1] ?? '', 'utf8') }));
    const shown = issueBlock
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).slice(0, 4));
    expect(result.issues.map((i) => [i.severity, i.code, 'line', String(i.line)])).toEqual(shown);
    for (const issue of result.issues) expect(issueBlock).toContain(issue.message);
  });

  it('its refused headers give exactly the code and message shown', async () => {
    const rows = [...doc.matchAll(/^\| header `([^`]+)` \| `([A-Z_]+)` line 1: (.+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const [, header, code, message] of rows) {
      const error: unknown = await readText(`${header ?? ''}\n`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGuardianSyncError(error) ? [error.code, error.message] : error, header).toEqual([code, message]);
    }
  });
});
