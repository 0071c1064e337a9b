// The family roster page's one script, as text: the page embeds it inline under a CSP that
// allows exactly this script by its hash (render-roster-html.ts). It shows the first page
// at once from a small JSON element placed before it, reads the whole roster from the JSON
// element after it once the page is parsed, and shows one page of entries at a time, so a
// 600,000-student district keeps a few hundred elements in the document, never one per student.
//
// Written as plain browser JavaScript in a string (the library is typed for Node, without
// DOM types), and kept free of `innerHTML`: every value reaches the page through
// `textContent`, so nothing in the roster is ever parsed as markup. The Chromium test
// (test/report/render-roster-html-browser.test.ts) runs it against a generated district.
//
// The data's shape is RosterPageDocument (roster-page-data.ts); the element ids and data
// attributes it uses are rendered by render-roster-html.ts.

export const ROSTER_PAGE_SCRIPT = String.raw`
(() => {
  'use strict';
  const byId = (id) => document.getElementById(id);
  const root = byId('roster');
  const PAGE_SIZE = Math.max(1, Number(root.getAttribute('data-page-size')) || 50);
  const LINKED_SHOWN = 20;
  const number = new Intl.NumberFormat('en-US');

  // The roster in use: first the small first-page document, then the whole one (load()).
  let data, schools, st, gu, nStudents, nGuardians, start, state, ACTIVE;
  // Guardian -> students and the search texts, built the first time they are needed.
  let gStart, gStudents, studentText, guardianText;

  const load = (doc) => {
    data = doc;
    schools = doc.schools;
    st = doc.students;
    gu = doc.guardians;
    nStudents = st.sisId.length;
    nGuardians = gu.firstName.length;
    // Each student's guardians are a run of st.guardians: where each run starts.
    start = new Int32Array(nStudents + 1);
    for (let i = 0; i < nStudents; i++) start[i + 1] = start[i] + st.guardianCount[i];
    // 1: an active guardian role in the district; 2: an archived one (no student links left).
    const GUARDIAN = doc.roleNames.indexOf('guardian');
    ACTIVE = doc.statusNames.indexOf('active');
    state = new Uint8Array(nGuardians);
    for (let g = 0; g < nGuardians; g++) {
      for (const role of gu.roles[g]) if (role[0] === GUARDIAN) state[g] = role[1] === ACTIVE ? 1 : 2;
    }
    gStart = null;
    gStudents = null;
    studentText = null;
    guardianText = null;
  };
  const noLogin = (g) => gu.email[g] === null && gu.mobilePhone[g] === null;

  // Most visits never open a guardian list, so its index waits until one does.
  const linkGuardians = () => {
    if (gStart !== null) return;
    gStart = new Int32Array(nGuardians + 1);
    for (const g of st.guardians) gStart[g + 1]++;
    for (let g = 0; g < nGuardians; g++) gStart[g + 1] += gStart[g];
    const next = gStart.slice(0, nGuardians);
    gStudents = new Int32Array(st.guardians.length);
    for (let i = 0; i < nStudents; i++) for (let k = start[i]; k < start[i + 1]; k++) gStudents[next[st.guardians[k]]++] = i;
  };

  // Search ignores case, accents and apostrophes: "oneill" and "o'neill" find O\u2019Neill.
  const NON_ASCII = /[^\u0000-\u007f]/;
  const APOSTROPHES = /['\u2018\u2019\u02bc]/g;
  const fold = (text) => (NON_ASCII.test(text) ? text.normalize('NFD').replace(/\p{M}/gu, '') : text).toLowerCase().replace(APOSTROPHES, '');
  // Folded "first last sisId" per student and "first last sisIds" per guardian, built on the first search.
  const buildSearchText = () => {
    if (studentText !== null) return;
    studentText = new Array(nStudents);
    for (let i = 0; i < nStudents; i++) studentText[i] = fold(st.firstName[i] + ' ' + st.lastName[i] + ' ' + st.sisId[i]);
    guardianText = new Array(nGuardians);
    for (let g = 0; g < nGuardians; g++) {
      let text = gu.firstName[g] + ' ' + gu.lastName[g];
      for (const role of gu.roles[g]) for (let k = 2; k < role.length; k++) text += ' ' + role[k];
      guardianText[g] = fold(text);
    }
  };
  // A student matches when every word is in its own text or one of its guardians'; a guardian likewise with its students.
  const studentMatches = (i, words) => {
    next: for (const word of words) {
      if (studentText[i].includes(word)) continue;
      for (let k = start[i]; k < start[i + 1]; k++) if (guardianText[st.guardians[k]].includes(word)) continue next;
      return false;
    }
    return true;
  };
  const guardianMatches = (g, words) => {
    next: for (const word of words) {
      if (guardianText[g].includes(word)) continue;
      for (let k = gStart[g]; k < gStart[g + 1]; k++) if (studentText[gStudents[k]].includes(word)) continue next;
      return false;
    }
    return true;
  };
  const guardianAtSchool = (g, school) => {
    for (let k = gStart[g]; k < gStart[g + 1]; k++) if (st.school[gStudents[k]] === school) return true;
    return false;
  };

  const MODES = {
    all: { guardians: false, keep: () => true, one: 'student', many: 'students' },
    'no-guardian': { guardians: false, keep: (i) => st.guardianCount[i] === 0, one: 'student with no guardian', many: 'students with no guardian' },
    'no-login': { guardians: true, keep: (g) => state[g] === 1 && noLogin(g), one: 'guardian with no login', many: 'guardians with no login' },
    'not-claimed': { guardians: true, keep: (g) => state[g] === 1 && gu.claimed[g] === 0, one: 'guardian who has not claimed the account', many: 'guardians who have not claimed their account' },
    archived: { guardians: true, keep: (g) => state[g] === 2, one: 'archived guardian', many: 'archived guardians' },
  };

  const search = byId('search');
  const filter = byId('filter');
  const schoolSelect = byId('school');
  const status = byId('status');
  const list = byId('list');
  const results = byId('results');
  const pagers = Array.from(document.querySelectorAll('.pager'));

  let mode = MODES.all;
  let matches = new Int32Array(0);
  let count = 0;
  let page = 0;

  const compute = () => {
    mode = MODES[filter.value] || MODES.all;
    const school = schoolSelect.value === '' ? -1 : Number(schoolSelect.value);
    const words = fold(search.value).split(/\s+/).filter((w) => w !== '');
    if (words.length > 0) buildSearchText();
    if (mode.guardians) linkGuardians();
    const total = mode.guardians ? nGuardians : nStudents;
    const found = new Int32Array(total);
    let n = 0;
    for (let x = 0; x < total; x++) {
      if (!mode.keep(x)) continue;
      if (school >= 0 && (mode.guardians ? !guardianAtSchool(x, school) : st.school[x] !== school)) continue;
      if (words.length > 0 && !(mode.guardians ? guardianMatches(x, words) : studentMatches(x, words))) continue;
      found[n++] = x;
    }
    matches = found;
    count = n;
    page = 0;
  };

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const fullName = (first, last) => (first + ' ' + last).trim() || '(no name)';
  const badge = (text, tone) => el('span', 'badge tone-' + tone, text);
  const fact = (facts, label, value) => {
    facts.append(el('dt', '', label), value === null || value === '' ? el('dd', 'missing', 'none') : el('dd', '', value));
  };
  const rolesText = (g) =>
    gu.roles[g]
      .map((role) => data.roleNames[role[0]] + ' ' + (role.length > 2 ? role.slice(2).join(', ') : '(no SIS id)') + (role[1] === ACTIVE ? '' : ' (' + data.statusNames[role[1]] + ')'))
      .join('; ');

  const guardianBox = (g, className) => {
    const box = el('li', className);
    box.setAttribute('data-guardian', String(g));
    const head = el('div', 'guardian-head');
    head.append(el('span', 'name', fullName(gu.firstName[g], gu.lastName[g])));
    if (state[g] === 2) head.append(badge('archived', 'bad'));
    if (noLogin(g)) head.append(badge('no login', 'warn'));
    head.append(gu.claimed[g] === 1 ? badge('claimed', 'good') : badge('not claimed', 'neutral'));
    const facts = el('dl', 'facts');
    fact(facts, 'Email', gu.email[g]);
    fact(facts, 'Mobile', gu.mobilePhone[g]);
    fact(facts, 'Language', gu.language[g]);
    fact(facts, 'Roles', rolesText(g));
    box.append(head, facts);
    return box;
  };

  const studentEntry = (i) => {
    const entry = el('li', 'entry student');
    entry.setAttribute('data-student', String(i));
    const head = el('div', 'entry-head');
    head.append(el('span', 'name', fullName(st.firstName[i], st.lastName[i])), el('span', 'sis', 'SIS ' + st.sisId[i]), el('span', 'where', schools.name[st.school[i]]));
    entry.append(head);
    if (start[i] === start[i + 1]) {
      entry.append(el('p', 'none', 'No guardian'));
    } else {
      const guardians = el('ul', 'guardians');
      guardians.setAttribute('aria-label', 'Guardians');
      for (let k = start[i]; k < start[i + 1]; k++) guardians.append(guardianBox(st.guardians[k], 'guardian'));
      entry.append(guardians);
    }
    return entry;
  };

  const guardianEntry = (g) => {
    const entry = guardianBox(g, 'entry guardian');
    const from = gStart[g];
    const to = gStart[g + 1];
    if (from === to) {
      entry.append(el('p', 'none', state[g] === 2 ? 'Archived: linked to no student.' : 'Linked to no student.'));
      return entry;
    }
    const linked = el('p', 'linked');
    const names = [];
    for (let k = from; k < Math.min(to, from + LINKED_SHOWN); k++) {
      const i = gStudents[k];
      names.push(fullName(st.firstName[i], st.lastName[i]) + ' (SIS ' + st.sisId[i] + ', ' + schools.name[st.school[i]] + ')');
    }
    const more = to - from - names.length;
    linked.textContent = (to - from === 1 ? 'Student: ' : 'Students: ') + names.join('; ') + (more > 0 ? '; and ' + number.format(more) + ' more' : '');
    entry.append(linked);
    return entry;
  };

  const render = () => {
    const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
    page = Math.min(Math.max(0, page), pages - 1);
    const first = page * PAGE_SIZE;
    const last = Math.min(count, first + PAGE_SIZE);
    const items = document.createDocumentFragment();
    for (let k = first; k < last; k++) items.append(mode.guardians ? guardianEntry(matches[k]) : studentEntry(matches[k]));
    list.replaceChildren(items);

    const query = search.value.trim();
    const where = schoolSelect.value === '' ? '' : ' at ' + schools.name[Number(schoolSelect.value)];
    const matching = query === '' ? '' : ' matching \u201c' + query + '\u201d';
    status.textContent =
      count === 0
        ? 'No ' + mode.many + matching + where + '.'
        : 'Showing ' + number.format(first + 1) + '\u2013' + number.format(last) + ' of ' + number.format(count) + ' ' + (count === 1 ? mode.one : mode.many) + matching + where + '.';
    for (const pager of pagers) {
      pager.hidden = pages === 1;
      pager.querySelector('.page').textContent = 'Page ' + number.format(page + 1) + ' of ' + number.format(pages);
      pager.querySelector('[data-go="first"]').disabled = page === 0;
      pager.querySelector('[data-go="previous"]').disabled = page === 0;
      pager.querySelector('[data-go="next"]').disabled = page === pages - 1;
      pager.querySelector('[data-go="last"]').disabled = page === pages - 1;
    }
  };

  const refresh = () => {
    compute();
    render();
  };

  // Typing waits for a pause: a search reads every student of the district.
  let typing = 0;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(refresh, 200);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    clearTimeout(typing);
    refresh();
  });
  filter.addEventListener('change', refresh);
  schoolSelect.addEventListener('change', refresh);
  for (const pager of pagers) {
    pager.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-go]');
      if (button === null || button.disabled) return;
      const go = button.getAttribute('data-go');
      page = go === 'first' ? 0 : go === 'previous' ? page - 1 : go === 'next' ? page + 1 : Number.MAX_SAFE_INTEGER;
      render();
      results.scrollIntoView({ block: 'start' });
    });
  }
  byId('schools-table').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-school]');
    if (button === null) return;
    schoolSelect.value = button.getAttribute('data-school');
    refresh();
    results.scrollIntoView({ block: 'start' });
  });

  // The first page shows at once from its own small document, while the browser is still
  // reading the whole roster further down the page; the controls wait for the whole roster.
  const controls = [search, filter, schoolSelect];
  load(JSON.parse(byId('roster-first').textContent));
  compute();
  render();
  const total = Number(root.getAttribute('data-students')) || 0;
  if (total > nStudents) {
    for (const control of controls) control.disabled = true;
    for (const pager of pagers) pager.hidden = true;
    status.textContent = 'Showing the first ' + number.format(count) + ' students while all ' + number.format(total) + ' load\u2026';
  }
  // Tools and tests wait on these: "first-page", then "ready" once the whole roster is in.
  root.setAttribute('data-state', 'first-page');
  const loadAll = () => {
    load(JSON.parse(byId('roster-data').textContent));
    for (const control of controls) control.disabled = false;
    refresh();
    list.removeAttribute('aria-busy');
    root.setAttribute('data-state', 'ready');
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', loadAll);
  else loadAll();
})();
`;
