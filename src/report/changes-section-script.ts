// The one script of report.html, as text: the page embeds it inline under a CSP that allows
// exactly this script by its hash (render-report-html.ts). It makes the Changes section
// searchable and pages through each kind, reading the changes from the JSON element the
// section carries (changes-section-html.ts), so a report of 50,000 changes of a kind keeps
// one page of rows per kind in the document, never one row per change.
//
// Written as plain browser JavaScript in a string (the library is typed for Node, without
// DOM types), and kept free of `innerHTML`: every value reaches the page through
// `textContent`, so nothing in a report is ever parsed as markup. Without JavaScript (a mail
// preview) the section still shows the first page of each kind, rendered by the server.
//
// The data's shape is ChangesSectionData (changes-section-html.ts); the element ids, classes
// and data attributes it uses are rendered there.

export const CHANGES_SECTION_SCRIPT = String.raw`
(() => {
  'use strict';
  const root = document.getElementById('changes');
  const source = document.getElementById('changes-data');
  if (root === null || source === null) return;
  const data = JSON.parse(source.textContent);
  const PAGE = Math.max(1, Math.floor(data.pageSize) || 25);
  const number = new Intl.NumberFormat('en-US');
  const search = document.getElementById('change-search');
  const status = document.getElementById('change-status');

  // Search ignores case, accents and apostrophes: "garcia" finds the name with its accent, "oneill" finds O'Neill.
  const NON_ASCII = /[^\u0000-\u007f]/;
  const APOSTROPHES = /['\u2018\u2019\u02bc]/g;
  const fold = (text) => (NON_ASCII.test(text) ? text.normalize('NFD').replace(/\p{M}/gu, '') : text).toLowerCase().replace(APOSTROPHES, '');
  const DIGITS = /^\d+$/;

  const groups = data.groups.map((g, index) => {
    const element = root.querySelector('details[data-group="' + index + '"]');
    return {
      data: g,
      element,
      body: element.querySelector('tbody'),
      pager: element.querySelector('.pager'),
      count: element.querySelector('.group-count'),
      // Positions of the entries shown (null: all), the page, and the folded search texts (built on the first search).
      shown: null,
      page: 0,
      text: null,
    };
  });

  const size = (group) => (group.shown === null ? group.data.names.length : group.shown.length);

  const cell = (text, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  };

  const render = (group) => {
    const g = group.data;
    const n = size(group);
    const pages = Math.max(1, Math.ceil(n / PAGE));
    group.page = Math.min(Math.max(0, group.page), pages - 1);
    const start = group.page * PAGE;
    const end = Math.min(n, start + PAGE);
    const rows = [];
    for (let k = start; k < end; k++) {
      const i = group.shown === null ? k : group.shown[k];
      const tr = document.createElement('tr');
      // No line asks for an archive or a removed link: an em dash, as the server renders it.
      tr.append(cell(g.lines[i].length === 0 ? '\u2014' : g.lines[i].join(', '), 'num'), cell(g.names[i]), cell(g.accounts[i], 'mono'));
      if (g.details) tr.append(cell(g.details[i]));
      rows.push(tr);
    }
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = cell('No change of this kind matches the search.', 'note');
      td.colSpan = g.details ? 4 : 3;
      tr.append(td);
      rows.push(tr);
    }
    group.body.replaceChildren(...rows);
    group.pager.hidden = pages <= 1;
    group.pager.querySelector('.page').textContent =
      n === 0 ? '' : number.format(start + 1) + '\u2013' + number.format(end) + ' of ' + number.format(n) + ' (page ' + number.format(group.page + 1) + ' of ' + number.format(pages) + ')';
    group.pager.querySelector('[data-go="previous"]').disabled = group.page === 0;
    group.pager.querySelector('[data-go="next"]').disabled = group.page >= pages - 1;
  };

  // Every word must match: a number is a line of the change (or a whole id, e.g. a student's);
  // other words match part of the name, account id, student id or field names.
  const matches = (group, words) => {
    const g = group.data;
    if (group.text === null) {
      group.text = new Array(g.names.length);
      for (let i = 0; i < g.names.length; i++) group.text[i] = ' ' + fold(g.names[i] + ' ' + g.accounts[i] + ' ' + (g.details ? g.details[i] : '')) + ' ';
    }
    const numbers = words.map((w) => (DIGITS.test(w) ? Number(w) : -1));
    const found = [];
    for (let i = 0; i < group.text.length; i++) {
      let ok = true;
      for (let w = 0; ok && w < words.length; w++) {
        ok = numbers[w] >= 0 ? g.lines[i].includes(numbers[w]) || group.text[i].includes(' ' + words[w] + ' ') : group.text[i].includes(words[w]);
      }
      if (ok) found.push(i);
    }
    return found;
  };

  let query = '';
  const apply = () => {
    const next = fold(search.value.trim());
    if (next === query) return;
    query = next;
    const words = query.split(/\s+/).filter((w) => w !== '');
    let total = 0;
    let kinds = 0;
    for (const group of groups) {
      group.shown = words.length === 0 ? null : matches(group, words);
      group.page = 0;
      const n = size(group);
      const all = group.data.names.length;
      group.count.textContent = words.length === 0 ? '\u00d7' + number.format(group.data.count) : number.format(n) + ' of ' + number.format(all) + ' match';
      // A search opens the kinds it found something in and folds the others.
      if (words.length > 0) group.element.open = n > 0;
      render(group);
      total += n;
      if (n > 0) kinds++;
    }
    status.textContent =
      words.length === 0
        ? ''
        : total === 0
          ? 'No change matches "' + search.value.trim() + '".'
          : number.format(total) + (total === 1 ? ' change matches' : ' changes match') + ' in ' + kinds + (kinds === 1 ? ' kind.' : ' kinds.');
  };

  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    clearTimeout(timer);
    apply();
  });
  root.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-go]');
    if (button === null) return;
    const group = groups[Number(button.closest('details').getAttribute('data-group'))];
    group.page += button.getAttribute('data-go') === 'next' ? 1 : -1;
    render(group);
  });

  for (const group of groups) render(group);
  document.getElementById('change-controls').hidden = false;
  root.setAttribute('data-state', 'ready');
})();
`;
