// Makes a cell inert in spreadsheets (CSV injection, OWASP): Excel, LibreOffice, Google
// Sheets and Numbers evaluate a cell that starts with a formula trigger, and a district
// opens issues.csv in one of them. One function, used by the CSV and the HTML tables alike.

/**
 * Characters that make a spreadsheet read a cell as a formula when they come first: `=`,
 * `+`, `-`, `@`, tab, carriage return, and the full-width `＝ ＋ － ＠` that Numbers and
 * some IMEs fold to their ASCII forms. The same list as csv-stringify's `escape_formulas`.
 */
export const FORMULA_TRIGGERS: readonly string[] = Object.freeze([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
]);

const TRIGGER_SET: ReadonlySet<string> = new Set(FORMULA_TRIGGERS);

/** True when a spreadsheet would read `cell` as a formula. */
export function isFormulaLike(cell: string): boolean {
  return cell.length > 0 && TRIGGER_SET.has(cell.charAt(0));
}

/**
 * Prefixes a `'` to a cell that starts with a formula trigger, so the spreadsheet shows it
 * as text; any other cell comes back unchanged. The apostrophe is the OWASP-recommended
 * mark: spreadsheets hide it and keep the rest of the text as typed.
 */
export function neutralizeFormula(cell: string): string {
  return isFormulaLike(cell) ? `'${cell}` : cell;
}
