// The family roster page's stylesheet, one constant so its CSP hash is computed once
// (render-roster-html.ts). Phone first: every row wraps instead of scrolling sideways, and
// long unbroken values (emails, ids) break anywhere rather than widen the page.

export const ROSTER_PAGE_STYLE = `
:root { color-scheme: light; --text: #1f2933; --muted: #52606d; --line: #e4e7eb; --panel: #f5f7fa; --edge: #9aa5b1;
  --good: #0e7c3a; --good-bg: #e3f9e5; --warn: #8d5b00; --warn-bg: #fff3c4; --bad: #ab091e; --bad-bg: #ffe3e3;
  --neutral: #364152; --neutral-bg: #e4e7eb; --accent: #1d4ed8; }
* { box-sizing: border-box; }
/* The script hides pagers with the hidden attribute; a display rule below must not show them again. */
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; padding: 16px; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: #fff; overflow-wrap: anywhere; }
main { max-width: 1040px; margin: 0 auto; }
h1 { font-size: 22px; line-height: 1.3; margin: 0 0 6px; }
h2 { font-size: 17px; margin: 24px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: 4px 0; }
.notice { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; margin: 12px 0; }
.mono, .sis { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 0; }
.total { background: var(--panel); border-radius: 6px; padding: 8px 10px; margin: 0; }
.total dt { color: var(--muted); font-size: 13px; }
.total dd { margin: 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
details.schools { border: 1px solid var(--line); border-radius: 6px; padding: 0 10px; }
details.schools > summary { cursor: pointer; padding: 8px 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 8px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
/* Column titles wrap between words only: "Students" cut in two reads as two words. */
thead th { background: var(--panel); font-weight: 600; font-size: 13px; overflow-wrap: normal; }
th.num, td.num { width: 17%; text-align: right; font-variant-numeric: tabular-nums; }
tbody th { font-weight: normal; }
button.school { font: inherit; color: var(--accent); background: none; border: 0; padding: 0; text-align: left; cursor: pointer;
  text-decoration: underline; overflow-wrap: anywhere; }
.school-id { display: block; color: var(--muted); font-size: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; margin: 8px 0; }
.controls label { display: flex; flex-direction: column; gap: 2px; flex: 1 1 200px; min-width: 0; font-size: 13px; color: var(--muted); }
.controls label.search { flex: 2 1 260px; }
input, select, button { font: inherit; color: var(--text); }
input[type="search"], select { width: 100%; min-width: 0; padding: 6px 8px; border: 1px solid var(--edge); border-radius: 6px; background: #fff; }
input:disabled, select:disabled { background: var(--panel); color: var(--muted); }
.status { margin: 8px 0; color: var(--muted); }
.pager { display: flex; flex-wrap: wrap; gap: 6px 8px; align-items: center; justify-content: center; margin: 10px 0; }
.pager button { padding: 6px 12px; border: 1px solid var(--edge); border-radius: 6px; background: #fff; cursor: pointer; }
.pager button:disabled { opacity: 0.45; cursor: default; }
.pager .page { min-width: 9em; text-align: center; color: var(--muted); }
.list { list-style: none; margin: 0; padding: 0; }
.entry { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 10px 0; }
.entry-head { display: flex; flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }
.entry-head .name { font-weight: 600; font-size: 16px; }
.where, .sis { color: var(--muted); }
.guardians { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 8px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); }
.guardian { background: var(--panel); border-radius: 6px; padding: 8px 10px; min-width: 0; }
.entry.guardian { background: #fff; }
.guardian-head { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; }
.guardian-head .name { font-weight: 600; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 10px; margin: 4px 0 0; font-size: 14px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; min-width: 0; }
.facts dd.missing, .none { color: var(--muted); font-style: italic; }
.none { margin: 6px 0 0; }
.badge { display: inline-block; padding: 0 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.tone-good { color: var(--good); background: var(--good-bg); }
.tone-warn { color: var(--warn); background: var(--warn-bg); }
.tone-bad { color: var(--bad); background: var(--bad-bg); }
.tone-neutral { color: var(--neutral); background: var(--neutral-bg); }
.linked { margin: 6px 0 0; font-size: 14px; }
footer { margin-top: 28px; color: var(--muted); font-size: 13px; }
@media (max-width: 600px) {
  body { padding: 10px; font-size: 14px; }
  h1 { font-size: 19px; }
  th, td { padding: 4px 3px; font-size: 13px; }
  /* Number columns as wide as their titles, whatever the font; school names take the rest and wrap. */
  table { table-layout: auto; }
  thead th { font-size: 12px; }
  th.num, td.num { width: auto; }
  .total dd { font-size: 18px; }
  .totals { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  /* The page number on its own line keeps the four buttons on one. */
  .pager .page { flex-basis: 100%; order: -1; }
}
`;
