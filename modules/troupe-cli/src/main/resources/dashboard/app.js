// Troupe dashboard: one page, hash routes, plain JavaScript (no build step). The JSON API and the
// event stream are described in docs/dashboard.md. Every text that comes from the server (ids, names,
// error messages) goes into the page as text, never as HTML: jobIds and Givon's messages come from outside.
'use strict';
(() => {
  const FINISHED = ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED'];
  const UNFINISHED = ['QUEUED', 'PARKED', 'HELD', 'AT_GIVON'];
  // Progress bar segments: finished statuses, then where unfinished jobs are (BATCH.states).
  const SEGMENTS = [
    ['SUCCEEDED', 'succeeded', b => b.counts.SUCCEEDED],
    ['FAILED', 'failed', b => b.counts.FAILED],
    ['REJECTED', 'rejected', b => b.counts.REJECTED],
    ['EXPIRED', 'expired', b => b.counts.EXPIRED],
    ['CANCELLED', 'cancelled', b => b.counts.CANCELLED],
    ['AT_GIVON', 'at Givon', b => b.states.atGivon],
    ['PARKED', 'parked', b => b.states.parked],
    ['HELD', 'held', b => b.states.held],
    ['QUEUED', 'queued', b => b.states.queued],
  ];
  const BATCH_PAGE = 50;
  const JOB_PAGE = 100;

  const view = document.getElementById('view');
  const statusLine = document.getElementById('status');
  const live = document.getElementById('live');
  let info = null;

  // ---- DOM helpers: text only --------------------------------------------------------------------

  /** el('td', {class: 'x', dataset: {k: v}, on: {click: f}}, child...): children are nodes or text. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key === 'on') for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
      else if (key === 'text') node.textContent = String(value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function link(href, text, attrs) {
    return el('a', Object.assign({href}, attrs || {}), text);
  }

  /** A link to an outside URL only when it is http(s); anything else is shown as text. */
  function outsideLink(url, text) {
    if (typeof url !== 'string') return '';
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
        return el('a', {href: parsed.href, rel: 'noopener noreferrer', target: '_blank'}, text || url);
      }
    } catch (e) { /* not a URL: text below */ }
    return url;
  }

  function hashFor(kind, id) {
    return '#/' + kind + '/' + encodeURIComponent(id);
  }

  // ---- formatting -------------------------------------------------------------------------------

  function percentText(p) {
    if (typeof p !== 'number' || !isFinite(p)) return '–';
    const floored = Math.floor(p * 10) / 10; // 99.96 is not 100% yet
    return (Number.isInteger(floored) ? floored.toFixed(0) : floored.toFixed(1)) + '%';
  }

  /** Tokens are exact decimal strings (or numbers in job status): group the whole part, keep the rest. */
  function tokens(t) {
    if (t === null || t === undefined || t === '') return '–';
    const s = String(t);
    const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
    if (!m) return s;
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
  }

  function count(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US') : '–';
  }

  function seconds(s) {
    if (typeof s !== 'number' || !isFinite(s)) return '–';
    if (s < 10) return (Math.round(s * 10) / 10) + 's';
    let rest = Math.round(s);
    const h = Math.floor(rest / 3600); rest -= h * 3600;
    const m = Math.floor(rest / 60); const sec = rest - m * 60;
    if (h > 0) return h + 'h ' + String(m).padStart(2, '0') + 'm';
    if (m > 0) return m + 'm ' + String(sec).padStart(2, '0') + 's';
    return sec + 's';
  }

  /** A <time> with the local time (the date too when not today) and the ISO string as its title. */
  function when(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    const today = new Date();
    const sameDay = d.toDateString() === today.toDateString();
    const opts = sameDay ? {hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23'}
      : {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
    return el('time', {datetime: iso, title: iso}, d.toLocaleString(undefined, opts));
  }

  function relative(iso, from) {
    if (!iso || !from) return '–';
    const ms = new Date(iso) - new Date(from);
    return isNaN(ms) ? '–' : '+' + seconds(ms / 1000);
  }

  function statusBadge(status) {
    return el('span', {class: 'badge s-' + String(status || 'none').toLowerCase()}, status || '–');
  }

  // ---- status line and the server ------------------------------------------------------------------

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.dataset.kind = kind || 'info';
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(path, Object.assign({credentials: 'same-origin', headers: {Accept: 'application/json'}}, options));
    } catch (e) {
      throw new ApiError(0, 'the dashboard server did not answer (' + e.message + ')');
    }
    let body = null;
    const text = await response.text();
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!response.ok) {
      let message = body && typeof body.error === 'string' ? body.error : (response.status + ' ' + response.statusText);
      if (response.status === 401) message += ' (open the dashboard as /?token=<token> once to sign in)';
      throw new ApiError(response.status, message);
    }
    if (body === null) throw new ApiError(response.status, 'the answer to ' + path + ' was not JSON');
    return body;
  }

  function action(name, payload) {
    return api('/api/actions/' + name, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-Troupe-Action': '1'},
      body: JSON.stringify(payload),
    });
  }

  // ---- confirmation dialog ------------------------------------------------------------------------

  const dialog = document.getElementById('confirm');
  /** Resolves with {reason} when confirmed, null when not. */
  function confirmAction({title, text, ok, askReason}) {
    return new Promise(resolve => {
      document.getElementById('confirm-title').textContent = title;
      document.getElementById('confirm-text').textContent = text;
      document.getElementById('confirm-ok').textContent = ok;
      const reasonRow = document.getElementById('confirm-reason-row');
      const reason = document.getElementById('confirm-reason');
      reasonRow.hidden = !askReason;
      reason.value = '';
      const opener = document.activeElement;
      dialog.returnValue = '';
      dialog.addEventListener('close', () => {
        if (opener && opener.isConnected) opener.focus();
        resolve(dialog.returnValue === 'ok' ? {reason: reason.value.trim() || null} : null);
      }, {once: true});
      dialog.showModal();
      (askReason ? reason : document.getElementById('confirm-no')).focus();
    });
  }

  async function runAction(label, name, payload, describe) {
    say(label + '…', 'info');
    try {
      const answer = await action(name, payload);
      say(describe(answer), 'ok');
      scheduleRefresh(0);
    } catch (e) {
      say(label + ' failed: ' + e.message, 'error');
    }
  }

  // ---- routing and live refresh -------------------------------------------------------------------

  /** Each view: {key, render(): Promise (first paint), refresh(): Promise, wants(change): boolean}. */
  let current = null;
  let routeSerial = 0;

  function parseRoute() {
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const parts = path.split('/');
    const id = parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : null;
    switch (parts[0]) {
      case 'batch': if (id) return {name: 'batch', id, params}; break;
      case 'job': if (id) return {name: 'job', id, params}; break;
      case 'budgets': return {name: 'budgets', params};
      case 'fleet': return {name: 'fleet', params};
      case 'batches': case '': return {name: 'batches', params};
    }
    return {name: 'missing', path, params};
  }

  /** Keeps a view's filters in the address (bookmarkable) without a new route render. */
  function replaceParams(params) {
    const base = location.hash.split('?')[0] || '#/batches';
    const query = params.toString();
    history.replaceState(null, '', base + (query ? '?' + query : ''));
  }

  async function route() {
    const serial = ++routeSerial;
    const r = parseRoute();
    for (const a of document.querySelectorAll('[data-nav]')) {
      const on = a.dataset.nav === r.name || (r.name === 'batch' && a.dataset.nav === 'batches');
      if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    if (current && current.destroy) current.destroy();
    view.replaceChildren();
    say('');
    const make = {batches: batchesView, batch: batchView, job: jobView, budgets: budgetsView, fleet: fleetView}[r.name];
    if (!make) {
      current = null;
      document.title = 'Not found · Troupe';
      view.append(el('h1', null, 'Nothing here'), el('p', null, 'No view ', r.path, '. ', link('#/batches', 'See the batches.')));
      return;
    }
    current = make(r);
    current.serial = serial;
    try {
      await current.refresh();
    } catch (e) {
      if (serial === routeSerial) say(e.message, 'error');
    }
  }

  // Debounced re-fetch of what is shown; one fetch at a time, and one more after it when events came meanwhile.
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;

  function scheduleRefresh(delay) {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(runRefresh, delay);
  }

  async function runRefresh() {
    refreshTimer = null;
    if (!current) return;
    if (refreshing) { refreshAgain = true; return; }
    refreshing = true;
    const shown = current;
    try {
      await shown.refresh();
      if (shown === current && statusLine.dataset.kind === 'stale') say('');
    } catch (e) {
      if (shown === current) say('Could not refresh: ' + e.message, 'stale');
    } finally {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; scheduleRefresh(250); }
    }
  }

  function connectEvents() {
    const source = new EventSource('/api/events');
    let wasDown = false;
    const set = (state, text) => { live.dataset.state = state; live.textContent = text; };
    source.addEventListener('open', () => {
      set('connected', 'live');
      live.title = 'Connected to /api/events: the view follows changes as they happen';
      if (wasDown) scheduleRefresh(0); // events were missed while down
      wasDown = false;
    });
    source.addEventListener('error', () => {
      wasDown = true;
      set('disconnected', 'disconnected');
      live.title = 'Not connected to /api/events; the browser tries again by itself';
    });
    source.addEventListener('change', event => {
      let change;
      try { change = JSON.parse(event.data); } catch (e) { return; }
      if (current && current.wants(change)) scheduleRefresh(300);
    });
  }

  function batchChanged(change, batchId) {
    const b = change && change.batches;
    return b === '*' || (Array.isArray(b) && b.includes(batchId));
  }

  /** Re-renders region's contents, keeping the keyboard focus on the element with the same data-key. */
  function replaceKeepingFocus(region, nodes) {
    const active = document.activeElement;
    const key = active && region.contains(active) ? active.dataset.key : null;
    region.replaceChildren(...nodes);
    if (key) {
      const again = region.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (again) again.focus({preventScroll: true});
    }
  }

  /** A table row that Tab reaches and Enter (or a click outside its links and buttons) opens. */
  function openableRow(attrs, href, cells) {
    const row = el('tr', Object.assign({tabindex: '0', class: 'openable'}, attrs), cells);
    row.addEventListener('keydown', e => {
      if (e.key === 'Enter' && e.target === row) location.hash = href;
    });
    row.addEventListener('click', e => {
      if (!e.target.closest('a, button, input, select')) location.hash = href;
    });
    return row;
  }

  function pager(offset, limit, total, go) {
    const from = total === 0 ? 0 : offset + 1;
    const to = Math.min(offset + limit, total);
    return el('div', {class: 'pager'},
      el('button', {type: 'button', disabled: offset <= 0, 'data-key': 'prev', on: {click: () => go(Math.max(0, offset - limit))}}, '← Previous'),
      el('span', {'aria-live': 'polite'}, count(from) + '–' + count(to) + ' of ' + count(total)),
      el('button', {type: 'button', disabled: to >= total, 'data-key': 'next', on: {click: () => go(offset + limit)}}, 'Next →'));
  }

  function labelled(id, text, control) {
    return el('span', {class: 'field'}, el('label', {for: id}, text), control);
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  }

  function progressBar(b) {
    const total = Math.max(b.jobs || 0, SEGMENTS.reduce((sum, s) => sum + (s[2](b) || 0), 0));
    const parts = [];
    const words = [];
    for (const [status, word, pick] of SEGMENTS) {
      const n = pick(b) || 0;
      if (n <= 0) continue;
      words.push(count(n) + ' ' + word);
      parts.push(el('span', {class: 'seg s-' + status.toLowerCase(), style: 'width:' + (100 * n / (total || 1)) + '%', title: count(n) + ' ' + word}));
    }
    const label = (words.length ? words.join(', ') : 'nothing yet') + ' of ' + count(b.jobs) + ' jobs';
    return el('span', {class: 'bar', role: 'img', 'aria-label': label, title: label}, parts);
  }

  function legend() {
    return el('p', {class: 'legend', 'aria-hidden': 'true'},
      SEGMENTS.map(([status, word]) => el('span', null, el('span', {class: 'swatch s-' + status.toLowerCase()}), word)));
  }

  // ---- batches -----------------------------------------------------------------------------------

  function batchesView(r) {
    const p = r.params;
    const state = {
      q: p.get('q') || '', tenant: p.get('tenant') || '', state: p.get('state') || 'all',
      sort: p.get('sort') || 'started', dir: p.get('dir') || 'desc', offset: Math.max(0, parseInt(p.get('offset'), 10) || 0),
    };
    document.title = 'Batches · Troupe';
    const q = el('input', {id: 'f-q', type: 'search', value: state.q, placeholder: 'part of a batch id', autocomplete: 'off', 'data-testid': 'batch-search'});
    const tenant = el('select', {id: 'f-tenant', 'data-testid': 'tenant-filter'}, el('option', {value: ''}, 'all tenants'));
    const which = el('select', {id: 'f-state', 'data-testid': 'state-filter'},
      [['all', 'all'], ['running', 'running'], ['complete', 'complete']].map(([v, t]) => el('option', {value: v, selected: v === state.state}, t)));
    const table = el('div', {class: 'scroll'});
    const pagerBox = el('div');
    view.append(
      el('h1', null, 'Batches'),
      el('form', {class: 'filters', role: 'search', on: {submit: e => e.preventDefault()}},
        labelled('f-q', 'Batch', q), labelled('f-tenant', 'Tenant', tenant), labelled('f-state', 'State', which)),
      legend(), table, pagerBox);

    const changed = () => {
      state.offset = 0;
      keepInAddress();
      runRefreshSoon();
    };
    const keepInAddress = () => {
      const params = new URLSearchParams();
      if (state.q) params.set('q', state.q);
      if (state.tenant) params.set('tenant', state.tenant);
      if (state.state !== 'all') params.set('state', state.state);
      if (state.sort !== 'started') params.set('sort', state.sort);
      if (state.dir !== 'desc') params.set('dir', state.dir);
      if (state.offset) params.set('offset', String(state.offset));
      replaceParams(params);
    };
    q.addEventListener('input', debounce(() => { state.q = q.value.trim(); changed(); }, 300));
    tenant.addEventListener('change', () => { state.tenant = tenant.value; changed(); });
    which.addEventListener('change', () => { state.state = which.value; changed(); });

    const columns = [
      ['name', 'Batch'], ['tenant', 'Tenant'], ['progress', 'Progress'], [null, 'Jobs'], [null, 'Tokens spent / estimated'],
      [null, 'ETA'], ['started', 'Started'], ['finished', 'Finished'],
    ];
    function header() {
      return el('tr', null, columns.map(([key, text]) => {
        if (!key) return el('th', {scope: 'col'}, text);
        const on = state.sort === key;
        const sortDir = on ? (state.dir === 'asc' ? 'ascending' : 'descending') : null;
        return el('th', {scope: 'col', 'aria-sort': sortDir || 'none'},
          el('button', {type: 'button', class: 'sort', 'data-key': 'sort-' + key, on: {click: () => {
            if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
            else { state.sort = key; state.dir = key === 'name' || key === 'tenant' ? 'asc' : 'desc'; }
            changed();
          }}}, text, el('span', {class: 'arrow', 'aria-hidden': 'true'}, on ? (state.dir === 'asc' ? ' ▲' : ' ▼') : '')));
      }));
    }

    async function refresh() {
      const params = new URLSearchParams({q: state.q, tenant: state.tenant, state: state.state, sort: state.sort, dir: state.dir,
        offset: String(state.offset), limit: String(BATCH_PAGE)});
      const page = await api('/api/batches?' + params);
      if (current !== self) return;
      const tenants = Array.isArray(page.tenants) ? page.tenants : [];
      if (state.tenant && !tenants.includes(state.tenant)) tenants.push(state.tenant);
      const options = [el('option', {value: ''}, 'all tenants'), tenants.map(t => el('option', {value: t, selected: t === state.tenant}, t))];
      if (tenant.options.length !== tenants.length + 1 || [...tenant.options].slice(1).some((o, i) => o.value !== tenants[i])) {
        tenant.replaceChildren(...options.flat());
      }
      const rows = page.items.map(b => {
        const href = hashFor('batch', b.batchId);
        return openableRow({'data-testid': 'batch-row', 'data-batch-id': b.batchId, 'data-key': 'batch:' + b.batchId,
          'data-complete': String(!!b.complete)}, href, [
          el('th', {scope: 'row'}, link(href, b.batchId, {tabindex: '-1'})),
          el('td', null, b.tenant || '–'),
          el('td', {class: 'progress'}, progressBar(b), ' ', el('span', {class: 'pct', 'data-testid': 'batch-percent'}, percentText(b.percent))),
          el('td', {class: 'num'}, count(b.finished) + ' / ' + count(b.jobs) + (b.jobsKnown === false ? ' seen' : '')),
          el('td', {class: 'num'}, tokens(b.tokensSpent) + ' / ' + tokens(b.tokensEstimated)),
          el('td', {class: 'num'}, b.complete ? 'done' : seconds(b.etaSeconds)),
          el('td', null, when(b.startedAt)),
          el('td', null, when(b.finishedAt)),
        ]);
      });
      const body = rows.length ? rows
        : [el('tr', null, el('td', {colspan: String(columns.length), class: 'empty'},
          state.q || state.tenant || state.state !== 'all' ? 'No batch matches these filters.' : 'No batch seen yet on the batches and results topics.'))];
      replaceKeepingFocus(table, [el('table', {class: 'grid', 'data-testid': 'batches'},
        el('caption', {class: 'sr-only'}, 'Batches, sorted by ' + state.sort + ' ' + state.dir + 'ending'),
        el('thead', null, header()), el('tbody', null, body))]);
      replaceKeepingFocus(pagerBox, [pager(page.offset, page.limit, page.total, off => { state.offset = off; keepInAddress(); runRefreshSoon(); })]);
      if (page.total > 0 && state.offset >= page.total) { state.offset = 0; keepInAddress(); runRefreshSoon(); }
    }
    const self = {
      refresh,
      // A new batch may belong on this page too, so any batch change counts.
      wants: change => Array.isArray(change.batches) ? change.batches.length > 0 : change.batches === '*',
    };
    return self;
  }

  function runRefreshSoon() {
    scheduleRefresh(0);
  }

  // ---- one batch ---------------------------------------------------------------------------------

  function batchView(r) {
    const batchId = r.id;
    const p = r.params;
    const state = {status: p.get('status') || '', q: p.get('q') || '', offset: Math.max(0, parseInt(p.get('offset'), 10) || 0)};
    document.title = batchId + ' · Troupe';
    const headBox = el('div');
    const actionsBox = el('div');
    const failuresBox = el('div');
    const jobsBox = el('div', {class: 'scroll'});
    const pagerBox = el('div');
    const statusFilter = el('select', {id: 'f-status', 'data-testid': 'status-filter'},
      el('option', {value: ''}, 'all'), [...FINISHED, ...UNFINISHED].map(s => el('option', {value: s, selected: s === state.status}, s)));
    const q = el('input', {id: 'f-jq', type: 'search', value: state.q, placeholder: 'jobId, character or motion', autocomplete: 'off', 'data-testid': 'job-search'});
    const exports = el('p', {class: 'exports'}, 'Export the results: ',
      link('/api/batches/' + encodeURIComponent(batchId) + '/export?format=csv', 'CSV', {download: '', 'data-testid': 'export-csv'}), ' · ',
      link('/api/batches/' + encodeURIComponent(batchId) + '/export?format=jsonl', 'JSONL', {download: '', 'data-testid': 'export-jsonl'}));
    view.append(
      el('p', {class: 'crumbs'}, link('#/batches', '← Batches')),
      el('h1', null, 'Batch ', el('span', {class: 'id'}, batchId)),
      headBox, actionsBox, failuresBox,
      el('h2', {id: 'jobs-title'}, 'Jobs'),
      el('form', {class: 'filters', role: 'search', on: {submit: e => e.preventDefault()}},
        labelled('f-status', 'Status', statusFilter), labelled('f-jq', 'Search', q)),
      exports, jobsBox, pagerBox);

    const keepInAddress = () => {
      const params = new URLSearchParams();
      if (state.status) params.set('status', state.status);
      if (state.q) params.set('q', state.q);
      if (state.offset) params.set('offset', String(state.offset));
      replaceParams(params);
    };
    const changed = () => { state.offset = 0; keepInAddress(); runRefreshSoon(); };
    statusFilter.addEventListener('change', () => { state.status = statusFilter.value; changed(); });
    q.addEventListener('input', debounce(() => { state.q = q.value.trim(); changed(); }, 300));

    let actionsDrawn = false;
    function drawActions(b) {
      if (!info || !info.actions) {
        if (!actionsDrawn) actionsBox.replaceChildren(el('p', {class: 'note'}, 'Actions are off (read-only): start ',
          el('code', null, 'troupe dashboard --actions'), ' to cancel, retry, pause or resume from here.'));
        actionsDrawn = true;
        return;
      }
      if (actionsDrawn) return; // the tenant of a batch does not change; keep focus on the buttons
      actionsDrawn = true;
      const tenantName = b.tenant || null;
      const tenantLabel = tenantName ? 'tenant ' + tenantName : 'the whole fleet';
      actionsBox.replaceChildren(el('div', {class: 'actions', role: 'group', 'aria-label': 'Actions'},
        el('button', {type: 'button', class: 'danger', 'data-testid': 'action-cancel', on: {click: async () => {
          const ok = await confirmAction({title: 'Cancel batch ' + batchId + '?',
            text: 'Its jobs that Givon has not accepted end CANCELLED (nothing paid); generations Givon runs finish with their real outcome.',
            ok: 'Cancel the batch', askReason: true});
          if (ok) runAction('Cancelling ' + batchId, 'cancel', {batchId, reason: ok.reason},
            a => 'Sent ' + a.sent + ' to ' + a.topic + '.');
        }}}, 'Cancel batch…'),
        el('button', {type: 'button', 'data-testid': 'action-retry', on: {click: async () => {
          const ok = await confirmAction({title: 'Retry the failed jobs of ' + batchId + '?',
            text: 'Sends the next run of every FAILED and EXPIRED job of this batch.', ok: 'Retry them'});
          if (ok) runAction('Retrying ' + batchId, 'retry', {batchId, statuses: ['FAILED', 'EXPIRED']}, a => {
            const left = Array.isArray(a.left) ? a.left : [];
            return 'Sent ' + count(a.sent) + ' job' + (a.sent === 1 ? '' : 's') + ' again' + (left.length
              ? '; left out ' + left.length + ': ' + left.slice(0, 5).map(l => l.jobId + ' (' + l.why + ')').join(', ') + (left.length > 5 ? ', …' : '')
              : '') + '.';
          });
        }}}, 'Retry failed…'),
        el('button', {type: 'button', 'data-testid': 'action-pause', on: {click: async () => {
          const ok = await confirmAction({title: 'Pause ' + tenantLabel + '?',
            text: 'Workers hold the jobs of ' + tenantLabel + ' that have not reached Givon until it is resumed.', ok: 'Pause'});
          if (ok) runAction('Pausing ' + tenantLabel, 'pause', {tenant: tenantName}, a => 'Sent ' + a.sent + ' to ' + a.topic + '.');
        }}}, 'Pause ' + tenantLabel + '…'),
        el('button', {type: 'button', 'data-testid': 'action-resume', on: {click: async () => {
          const ok = await confirmAction({title: 'Resume ' + tenantLabel + '?', text: 'Held jobs go on.', ok: 'Resume'});
          if (ok) runAction('Resuming ' + tenantLabel, 'resume', {tenant: tenantName}, a => 'Sent ' + a.sent + ' to ' + a.topic + '.');
        }}}, 'Resume ' + tenantLabel + '…')));
    }

    function figures(b) {
      const rows = [
        ['Tenant', b.tenant || 'default budget'],
        ['Progress', [progressBar(b), ' ', el('span', {class: 'pct', 'data-testid': 'batch-percent'}, percentText(b.percent)),
          ' ', count(b.finished), ' of ', count(b.jobs), ' finished', b.jobsKnown === false ? ' (jobs seen; no descriptor read)' : '']],
        ['Finished', FINISHED.map(s => [statusBadge(s), ' ', count(b.counts[s] || 0), ' ']).flat()],
        ['Not finished', [count(b.states.queued), ' queued · ', count(b.states.parked), ' parked · ', count(b.states.held), ' held · ',
          count(b.states.atGivon), ' at Givon']],
        ['Tokens', tokens(b.tokensSpent) + ' spent of ' + tokens(b.tokensEstimated) + ' estimated'],
        ['Rate', typeof b.ratePerSecond === 'number' ? b.ratePerSecond.toFixed(2) + ' jobs/s' : '–'],
        ['ETA', b.complete ? 'complete' : seconds(b.etaSeconds)],
        ['Started', when(b.startedAt)],
        ['Finished at', when(b.finishedAt)],
      ];
      if (b.parkedUntil) rows.push(['Parked until', when(b.parkedUntil)]);
      if (b.cancelRequested) rows.push(['Cancel requested', describeCancel(b.cancelRequested)]);
      return el('dl', {class: 'figures', 'data-testid': 'batch-figures', 'data-complete': String(!!b.complete),
        'data-cancelled': String(b.counts.CANCELLED || 0)},
        rows.map(([k, v]) => el('div', {class: k === 'Progress' || k === 'Finished' ? 'wide' : null}, el('dt', null, k), el('dd', null, v))));
    }

    function failures(b) {
      const list = Array.isArray(b.failures) ? b.failures : [];
      if (!list.length) return [];
      return [el('h2', null, 'Failures by reason'), el('div', {class: 'scroll'}, el('table', {class: 'grid', 'data-testid': 'failures'},
        el('thead', null, el('tr', null, ['Status', 'Code', 'Jobs', 'First message', 'Some of them'].map(h => el('th', {scope: 'col'}, h)))),
        el('tbody', null, list.map(f => el('tr', null,
          el('td', null, statusBadge(f.status)), el('td', null, el('code', null, f.code || '–')), el('td', {class: 'num'}, count(f.count)),
          el('td', {class: 'message'}, f.message || '–'),
          el('td', null, (f.jobIds || []).map((id, i) => [i ? ', ' : '', link(hashFor('job', id), id)])))))))];
    }

    function jobRows(page, b) {
      const cols = ['Job', 'Status', 'Character', 'Motion', 'Render time', 'Cost', 'Attempts', 'Generation', 'Video', 'Error', 'Message'];
      let body;
      if (b.jobsHeld === false) {
        body = [el('tr', null, el('td', {colspan: String(cols.length), class: 'empty'},
          'This batch\'s per-job rows were let go to keep the dashboard within its --max-results; its counts above stay. ',
          'The export and troupe watch --batch still read every result from Kafka.'))];
      } else if (!page.items.length) {
        body = [el('tr', null, el('td', {colspan: String(cols.length), class: 'empty'},
          state.status || state.q ? 'No job of this batch matches.' : 'No job seen yet.'))];
      } else {
        body = page.items.map(j => {
          const href = hashFor('job', j.jobId);
          return openableRow({'data-testid': 'job-row', 'data-job-id': j.jobId, 'data-status': j.status, 'data-key': 'job:' + j.jobId}, href, [
            el('th', {scope: 'row'}, link(href, j.jobId, {tabindex: '-1'}), j.run > 1 ? el('span', {class: 'run'}, ' run ' + j.run) : ''),
            el('td', null, statusBadge(j.status), j.parkedUntil ? [' until ', when(j.parkedUntil)] : ''),
            el('td', null, j.character || '–'),
            el('td', null, j.motion || '–'),
            el('td', {class: 'num'}, seconds(j.renderSeconds)),
            el('td', {class: 'num'}, tokens(j.costTokens)),
            el('td', {class: 'num'}, j.attempts === null || j.attempts === undefined ? '–' : count(j.attempts)),
            el('td', null, j.generationId ? el('code', null, j.generationId) : '–'),
            el('td', null, j.videoUrl ? outsideLink(j.videoUrl, 'video') : '–'),
            el('td', null, j.errorCode ? el('code', null, j.errorCode) : '–'),
            el('td', {class: 'message'}, j.errorMessage || ''),
          ]);
        });
      }
      return el('table', {class: 'grid', 'data-testid': 'jobs', 'aria-labelledby': 'jobs-title'},
        el('thead', null, el('tr', null, cols.map(c => el('th', {scope: 'col'}, c)))), el('tbody', null, body));
    }

    async function refresh() {
      const jobParams = new URLSearchParams({status: state.status, q: state.q, offset: String(state.offset), limit: String(JOB_PAGE)});
      const base = '/api/batches/' + encodeURIComponent(batchId);
      let b;
      let page;
      try {
        [b, page] = await Promise.all([api(base), api(base + '/jobs?' + jobParams)]);
      } catch (e) {
        if (e.status === 404 && current === self) {
          headBox.replaceChildren(el('p', {class: 'note'}, 'No batch ', batchId, ' is known to this dashboard (yet): ', e.message));
          return;
        }
        throw e;
      }
      if (current !== self) return;
      replaceKeepingFocus(headBox, [figures(b)]);
      drawActions(b);
      replaceKeepingFocus(failuresBox, failures(b));
      replaceKeepingFocus(jobsBox, [jobRows(page, b)]);
      replaceKeepingFocus(pagerBox, b.jobsHeld === false ? [] : [pager(page.offset, page.limit, page.total, off => {
        state.offset = off; keepInAddress(); runRefreshSoon();
      })]);
    }
    const self = {refresh, wants: change => batchChanged(change, batchId)};
    return self;
  }

  function describeCancel(c) {
    if (typeof c !== 'object' || c === null) return String(c);
    return [c.at ? when(c.at) : '', c.target ? ' ' + c.target : '', c.reason ? ': ' + c.reason : ''];
  }

  // ---- one job -----------------------------------------------------------------------------------

  function jobView(r) {
    const jobId = r.id;
    document.title = jobId + ' · Troupe';
    const body = el('div', null, el('p', {class: 'note'}, 'Reading the job\'s story from Kafka…'));
    const crumbs = el('p', {class: 'crumbs'}, link('#/batches', '← Batches'));
    view.append(crumbs, el('h1', null, 'Job ', el('span', {class: 'id'}, jobId)), body);
    let batchId = null;
    let done = false;
    let lastFetch = 0;

    function progressEvent(ev) {
      const detail = [];
      if (ev.kind === 'PARKED') detail.push('until ', when(ev.resumesAt), ': ', ev.reason || '');
      if (ev.kind === 'HELD') detail.push(ev.reason || '');
      if (ev.kind === 'SUBMITTED') detail.push('generation ', el('code', null, ev.generationId || '–'), ' (attempt ' + ev.attempt + ')');
      if (ev.kind === 'RETRYING') detail.push('attempt ' + ev.attempt + ' failed (', ev.reason || '', '), again at ', when(ev.retryAt));
      if (ev.kind === 'FINISHED') detail.push(statusBadge(ev.status));
      return el('li', {class: 'k-' + String(ev.kind).toLowerCase()},
        el('span', {class: 'at'}, when(ev.at)), ' ', el('strong', null, ev.kind), detail.length ? ' ' : '', detail,
        ev.worker ? el('span', {class: 'by'}, ' by ', ev.worker) : '');
    }

    function journal(j) {
      if (!j) return 'none (not taken yet, forgotten after journal.retention, or the journal not read)';
      switch (j.kind) {
        case 'SUBMITTING': return ['submitting to Givon since ', when(j.at), j.attempt ? ' (attempt ' + j.attempt + ')' : ''];
        case 'ACCEPTED': return ['at Givon since ', when(j.submittedAt || j.at), ' generation ', el('code', null, j.generationId || '–'),
          j.attempt ? ' (attempt ' + j.attempt + ')' : ''];
        case 'PARKED': return ['parked until ', when(j.resumesAt), j.costTokens !== null ? ' (' + tokens(j.costTokens) + ' tokens to reserve)' : ''];
        case 'FINISHED': return ['finished ', statusBadge(j.status), ' at ', when(j.at), j.generationId ? [', generation ', el('code', null, j.generationId)] : ''];
        default: return [j.kind, ' at ', when(j.at)];
      }
    }

    function result(res, isErrorHolder) {
      if (!res) return 'none yet';
      const t = res.timings || {};
      const parts = [
        ['status', [statusBadge(res.status), ' ', tokens(res.costTokens), ' tokens, ', count(res.attempts), ' attempt', res.attempts === 1 ? '' : 's',
          res.generationId ? [', generation ', el('code', null, res.generationId)] : '', res.worker ? ', by ' + res.worker : '',
          ' (offset ' + res.offset + ')']],
      ];
      if (res.videoUrl) parts.push(['video', outsideLink(res.videoUrl)]);
      if (res.error) parts.push(['error', el('span', isErrorHolder ? {'data-testid': 'job-error', class: 'error'} : {class: 'error'},
        el('code', null, res.error.code), ': ', res.error.message || '(no message)', res.error.retryable ? ' (retryable)' : '')]);
      if (res.cancelRequested) parts.push(['cancel', describeCancel(res.cancelRequested)]);
      parts.push(['timings', ['enqueued ', when(t.enqueuedAt), ', started ', relative(t.startedAt, t.enqueuedAt),
        ', submitted ', relative(t.submittedAt, t.enqueuedAt), ', completed ', relative(t.completedAt, t.enqueuedAt)]]);
      return el('dl', {class: 'figures compact'}, parts.map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, v))));
    }

    function render(doc) {
      const job = doc.job;
      batchId = job && job.batchId;
      const outcomeRun = doc.outcome ? doc.outcome.run : null;
      const runs = Array.isArray(doc.runs) ? doc.runs : [];
      const latestRun = runs.length ? runs[runs.length - 1].run : null;
      done = !!doc.outcome && outcomeRun === latestRun;
      // The one error the page calls the job's: its outcome's, else the latest run's that has one.
      let errorRun = runs.find(run => run.run === outcomeRun && run.result && run.result.error);
      if (!errorRun) errorRun = [...runs].reverse().find(run => run.result && run.result.error);
      crumbs.replaceChildren();
      append(crumbs, [link('#/batches', '← Batches'), batchId ? [' · ', link(hashFor('batch', batchId), 'batch ' + batchId)] : '']);
      const meta = job && job.metadata ? job.metadata : {};
      const summary = [
        ['outcome', doc.outcome ? ['run ' + doc.outcome.run + ' ', statusBadge(doc.outcome.status)] : 'no result yet'],
        ['batch', batchId ? link(hashFor('batch', batchId), batchId) : '–'],
        ['tenant', job ? (job.tenant || 'default budget') : '–'],
        ['model', job ? [job.model, job.duration ? ', ' + job.duration + ' s' : '', job.aspectRatio ? ', ' + job.aspectRatio : ''] : '–'],
        ['character', meta.character || '–'], ['motion', meta.motion || '–'], ['prompt', meta.prompt || '–'],
        ['estimate', job && job.estimatedTokens !== null ? tokens(job.estimatedTokens) + ' tokens' : '–'],
        ['read', ['from ', doc.topics.jobs.topic, ' partition ', doc.topics.jobs.partition, ', ', doc.topics.results.topic, ' partition ',
          doc.topics.results.partition, doc.topics.state ? [', ', doc.topics.state.topic, ' partition ', doc.topics.state.partition] : '',
          ' at ', when(doc.readAt)]],
      ];
      const notes = [doc.stateNote, doc.progressNote, doc.unreadableRecords ? doc.unreadableRecords + ' unreadable records skipped' : null,
        doc.runsLeftOut ? doc.runsLeftOut + ' earlier runs not shown' : null].filter(Boolean);
      const nodes = [
        el('dl', {class: 'figures', 'data-testid': 'job-summary', 'data-outcome': doc.outcome ? doc.outcome.status : ''},
          summary.map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, v)))),
        notes.length ? el('ul', {class: 'note'}, notes.map(n => el('li', null, n))) : '',
      ];
      for (const run of runs) {
        const section = el('section', {class: 'run', 'aria-labelledby': 'run-' + run.run, 'data-testid': 'job-run', 'data-run': String(run.run)});
        append(section, [
          el('h2', {id: 'run-' + run.run}, 'Run ' + run.run, run.outcome ? ': the job\'s outcome' : ''),
          el('dl', {class: 'figures compact'},
            el('div', null, el('dt', null, 'sent'), el('dd', null, run.sent.length ? run.sent.map((s, i) => [i ? '; again ' : '', when(s.at),
              ' (offset ' + s.offset + ')', s.valid ? '' : [' not a valid job: ', s.problem || '']]) : 'no record left on the jobs topic',
              run.sentLeftOut ? ' and ' + run.sentLeftOut + ' more records of this run' : '')),
            el('div', null, el('dt', null, 'journal'), el('dd', null, journal(run.journal)))),
          el('h3', null, 'Progress'),
          run.progress.length ? el('ol', {class: 'timeline', 'data-testid': 'job-timeline'},
            run.progressLeftOut ? el('li', {class: 'more'}, '(' + run.progressLeftOut + ' earlier events not shown)') : '',
            run.progress.map(progressEvent))
            : el('p', {class: 'note'}, 'No progress events (best-effort; the progress topic keeps a day).'),
          el('h3', null, 'Result'),
          result(run.result, run === errorRun),
          run.setAside && run.setAside.length ? [el('h3', null, 'Set aside'), el('ul', null, run.setAside.map(s => el('li', null,
            statusBadge(s.status), ' ', s.generationId ? ['generation ', el('code', null, s.generationId), ' '] : '', s.worker ? 'by ' + s.worker + ' ' : '',
            '(offset ' + s.offset + '): ', s.repeat ? 'the same result published again' : 'another result of this run that completed earlier')))] : '',
        ]);
        nodes.push(section);
      }
      replaceKeepingFocus(body, nodes);
    }

    async function refresh() {
      // Reading a job's story scans Kafka partitions: while it runs, at most one read every 2 s.
      const wait = lastFetch + 2000 - Date.now();
      if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
      if (current !== self) return;
      lastFetch = Date.now();
      let doc;
      try {
        doc = await api('/api/jobs/' + encodeURIComponent(jobId));
      } catch (e) {
        if (e.status === 404 && current === self) {
          body.replaceChildren(el('p', {class: 'note'}, 'No job ', jobId, ' on the jobs or results topics: ', e.message));
          return;
        }
        throw e;
      }
      if (current === self) render(doc);
    }
    const self = {
      refresh,
      // Followed while it runs (refresh() spaces the reads out).
      wants: change => !done && (batchId ? batchChanged(change, batchId) : change.batches === '*' || Array.isArray(change.batches)),
    };
    return self;
  }

  // ---- charts (uPlot from its webjar) ------------------------------------------------------------

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  /** A uPlot chart that follows its box's width; a table-less note when uPlot did not load. */
  function chart(box, {title, series, yLabel, height}) {
    if (typeof window.uPlot !== 'function') {
      box.replaceChildren(el('p', {class: 'note'}, 'The chart library did not load (/webjars/uplot/).'));
      return {setData() {}, destroy() {}};
    }
    const axis = {stroke: cssVar('--muted'), grid: {stroke: cssVar('--grid')}, ticks: {stroke: cssVar('--grid')}};
    const opts = {
      title, width: Math.max(240, box.clientWidth || 320), height: height || 220,
      series: [{}, ...series],
      axes: [Object.assign({space: 90}, axis), Object.assign({label: yLabel, size: 60}, axis)],
      scales: {x: {time: true}},
      legend: {live: false},
      cursor: {drag: {x: false, y: false}},
    };
    const plot = new window.uPlot(opts, [[], ...series.map(() => [])], box);
    const observer = new ResizeObserver(() => {
      const w = Math.max(240, box.clientWidth);
      if (Math.abs(w - plot.width) > 2) plot.setSize({width: w, height: opts.height});
    });
    observer.observe(box);
    return {
      setData(data) { plot.setData(data); },
      destroy() { observer.disconnect(); plot.destroy(); },
    };
  }

  const epoch = iso => new Date(iso).getTime() / 1000;
  const stepped = () => (window.uPlot && window.uPlot.paths && window.uPlot.paths.stepped ? window.uPlot.paths.stepped({align: 1}) : undefined);
  const num = t => (t === null || t === undefined ? null : Number(t));

  // ---- budgets -----------------------------------------------------------------------------------

  function budgetsView() {
    document.title = 'Budgets · Troupe';
    const sourceBox = el('p', {class: 'note'});
    const cards = el('div', {class: 'cards'});
    const unlimitedBox = el('div');
    view.append(el('h1', null, 'Budgets'), sourceBox, cards, unlimitedBox);
    const charts = new Map(); // key -> {card, chart, fill(b)}

    function bars(b) {
      const limit = num(b.limit) || 0;
      const part = (cls, value, word) => el('span', {class: 'seg ' + cls, style: 'width:' + (limit ? Math.min(100, 100 * num(value) / limit) : 0) + '%',
        title: tokens(value) + ' ' + word});
      return el('span', {class: 'bar wide', role: 'img',
        'aria-label': tokens(b.spent) + ' spent, ' + tokens(b.reserved) + ' reserved, ' + tokens(b.remaining) + ' remaining of ' + tokens(b.limit)},
        part('b-spent', b.spent, 'spent'), part('b-reserved', b.reserved, 'reserved'), part('b-remaining', b.remaining, 'remaining'));
    }

    function card(b, key) {
      const figuresBox = el('div');
      const chartBox = el('div', {class: 'chart'});
      const noBurn = el('p', {class: 'note', hidden: true}, 'Nothing charged or reserved in this window.');
      const name = b.budget === '*' ? 'Shared budget (every tenant)' : b.budget;
      const node = el('section', {class: 'card', 'data-testid': 'budget-card', 'data-budget': b.budget, 'aria-label': name + ', ' + b.window + ' window'},
        el('h2', null, name, ' ', el('span', {class: 'muted'}, b.window + ' window')), figuresBox, chartBox, noBurn);
      const c = chart(chartBox, {title: 'Burn against the limit', yLabel: 'tokens', series: [
        {label: 'spent', stroke: cssVar('--spent'), width: 2, paths: stepped(), points: {show: false}},
        {label: 'spent + reserved', stroke: cssVar('--reserved'), width: 1, dash: [4, 3], paths: stepped(), points: {show: false}},
        {label: 'limit', stroke: cssVar('--limit'), width: 1, points: {show: false}},
      ]});
      return {node, chart: c, key, fill(b2) {
        figuresBox.replaceChildren(bars(b2), el('dl', {class: 'figures compact'},
          [['limit', tokens(b2.limit)], ['spent', tokens(b2.spent)], ['reserved', tokens(b2.reserved)], ['remaining', tokens(b2.remaining)],
            ['window', [when(b2.start), ' – ', when(b2.end), ' (', seconds(b2.windowSeconds), ')']],
            ['when spent', b2.policy === 'wait' ? 'jobs park until the next window' : b2.policy === 'reject' ? 'jobs are REJECTED' : (b2.policy || '–')],
            ...(b2.overspend && num(b2.overspend) > 0 ? [['overspent', el('strong', {class: 'error'}, tokens(b2.overspend))]] : []),
            ['parked', count(b2.parkedJobs) + ' job' + (b2.parkedJobs === 1 ? '' : 's')],
            ['resumes', b2.resumesAt ? when(b2.resumesAt) : '–']].map(([k, v]) => el('div', null, el('dt', null, k), el('dd', null, v)))));
        const burn = Array.isArray(b2.burn) ? b2.burn : [];
        chartBox.hidden = burn.length === 0;
        if (!burn.length) { noBurn.hidden = false; return; }
        noBurn.hidden = true;
        // From the window's start to now (or its end): how much was burnt in how much of the window.
        const xs = [];
        const spent = [];
        const both = [];
        const start = b2.start ? epoch(b2.start) : epoch(burn[0][0]);
        if (start < epoch(burn[0][0])) { xs.push(start); spent.push(0); both.push(0); }
        for (const p of burn) { xs.push(epoch(p[0])); spent.push(num(p[1])); both.push(num(p[1]) + (num(p[2]) || 0)); }
        const end = Math.min(Date.now() / 1000, b2.end ? epoch(b2.end) : Infinity);
        if (end > xs[xs.length - 1]) { xs.push(end); spent.push(spent[spent.length - 1]); both.push(both[both.length - 1]); }
        this.chart.setData([xs, spent, both, xs.map(() => num(b2.limit))]);
      }};
    }

    async function refresh() {
      const doc = await api('/api/budgets');
      if (current !== self) return;
      sourceBox.textContent = {
        'budget-log': 'From the budget log (budget topic): every charge and reservation the workers recorded.',
        'worker-metrics': 'From the workers\' metrics (no budget log was read).',
        'none': 'No budget figures: no budget log on Kafka and no worker metrics to read (start troupe dashboard with --metrics URL).',
      }[doc.source] || ('Source: ' + doc.source);
      const seen = new Set();
      for (const b of doc.budgets || []) {
        const key = b.budget + '\u0000' + b.window;
        seen.add(key);
        let c = charts.get(key);
        if (!c) { c = card(b, key); charts.set(key, c); cards.append(c.node); }
        c.fill(b);
      }
      for (const [key, c] of charts) if (!seen.has(key)) { c.chart.destroy(); c.node.remove(); charts.delete(key); }
      if (!charts.size) cards.replaceChildren(el('p', {class: 'note'}, 'No budget has a limit.'));
      else for (const n of [...cards.children]) if (!n.classList.contains('card')) n.remove();
      const unlimited = doc.unlimited || [];
      unlimitedBox.replaceChildren(unlimited.length ? el('p', null, 'Without a limit: ', unlimited.join(', '), '.') : '');
    }
    const self = {
      refresh, wants: change => !!change.budgets,
      destroy() { for (const c of charts.values()) c.chart.destroy(); },
    };
    return self;
  }

  // ---- fleet -------------------------------------------------------------------------------------

  function fleetView() {
    document.title = 'Fleet · Troupe';
    const throughputBox = el('div', {class: 'chart'});
    const flightBox = el('div');
    const workersBox = el('div', {class: 'scroll'});
    const lagBox = el('div', {class: 'scroll'});
    view.append(el('h1', null, 'Fleet'),
      el('section', {class: 'card', 'aria-labelledby': 'tp-title'}, el('h2', {id: 'tp-title'}, 'Jobs per second by outcome'), throughputBox),
      el('section', {class: 'card', 'aria-labelledby': 'fl-title'}, el('h2', {id: 'fl-title'}, 'At Givon'), flightBox),
      el('section', {class: 'card', 'aria-labelledby': 'wk-title'}, el('h2', {id: 'wk-title'}, 'Workers'), workersBox),
      el('section', {class: 'card', 'aria-labelledby': 'lag-title'}, el('h2', {id: 'lag-title'}, 'Consumer lag'), lagBox));
    const throughput = chart(throughputBox, {yLabel: 'jobs/s', series: FINISHED.map(s => ({label: s, stroke: cssVar('--' + s.toLowerCase()), width: 2}))});

    function inFlight(doc) {
      if (typeof doc.inFlight !== 'number') {
        return [el('p', {class: 'note'}, 'No worker metrics read, so nothing on jobs at Givon: start troupe dashboard with --metrics URL (once per worker).')];
      }
      const cap = Math.max(doc.limit || 0, doc.maxInFlight || 0, doc.inFlight || 0, 1);
      const mark = (value, cls, word) => value === null || value === undefined ? ''
        : el('span', {class: 'mark ' + cls, style: 'left:' + Math.min(100, 100 * value / cap) + '%', title: word + ' ' + value});
      return [
        el('div', {class: 'gauge', role: 'img', 'aria-label': count(doc.inFlight) + ' in flight; limit ' + count(doc.limit)
          + (doc.maxInFlight === null ? '; the account sets no maximum' : '; account maximum ' + count(doc.maxInFlight))},
          el('span', {class: 'fill', style: 'width:' + Math.min(100, 100 * (doc.inFlight || 0) / cap) + '%'}),
          mark(doc.limit, 'm-limit', 'limit'), mark(doc.maxInFlight, 'm-max', 'account maximum')),
        el('p', null, el('strong', null, count(doc.inFlight)), ' in flight · limit ', count(doc.limit), ' · account maximum ',
          doc.maxInFlight === null || doc.maxInFlight === undefined ? 'none set' : count(doc.maxInFlight)),
      ];
    }

    function workers(list) {
      if (!list.length) return [el('p', {class: 'note'}, 'No worker metrics read: start troupe dashboard with --metrics URL (once per worker).')];
      const total = list.reduce((s, w) => s + (w.share || 0), 0);
      const classes = ['2xx', '4xx', '429', '5xx', 'other', 'connection', 'no_response'];
      return [el('table', {class: 'grid', 'data-testid': 'workers'},
        el('thead', null, el('tr', null, ['Worker', 'Up', 'In flight / limit', 'Share', 'Ready', 'Circuit', 'API key', ...classes.map(c => 'Givon ' + c)]
          .map(h => el('th', {scope: 'col'}, h)))),
        el('tbody', null, list.map(w => el('tr', {tabindex: '0', 'data-key': 'w:' + w.endpoint, class: w.up ? '' : 'down'},
          el('th', {scope: 'row'}, w.endpoint, w.error ? el('div', {class: 'error'}, w.error) : ''),
          el('td', null, w.up ? 'up' : 'down'),
          el('td', {class: 'num'}, count(w.inFlight) + ' / ' + count(w.limit)),
          el('td', {class: 'num'}, total ? Math.round(100 * (w.share || 0) / total) + '%' : '–', ' (' + count(w.share) + ')'),
          el('td', null, w.ready ? 'ready' : 'not ready'),
          el('td', {class: w.circuitOpen ? 'alert' : ''}, w.circuitOpen ? 'OPEN' : 'closed'),
          el('td', {class: w.keyRefused ? 'alert' : ''}, w.keyRefused ? 'REFUSED' : 'accepted'),
          classes.map(c => {
            const n = w.answers ? w.answers[c] : null;
            const hot = (c === '429' || c === '5xx' || c === 'connection' || c === 'no_response') && n > 0;
            return el('td', {class: 'num' + (hot ? ' alert' : '')}, count(n));
          })))))];
    }

    function lag(l) {
      if (!l) return [el('p', {class: 'note'}, 'No consumer lag read.')];
      const parts = l.partitions || [];
      const max = Math.max(1, ...parts.map(p => p.lag || 0));
      return [el('p', null, 'Group ', el('code', null, l.group), ': ', el('strong', null, count(l.total)), ' jobs behind'),
        el('table', {class: 'grid', 'data-testid': 'lag'},
          el('thead', null, el('tr', null, el('th', {scope: 'col'}, 'Partition'), el('th', {scope: 'col'}, 'Lag'), el('th', {scope: 'col'}, ''))),
          el('tbody', null, parts.map(p => el('tr', null, el('th', {scope: 'row'}, String(p.partition)), el('td', {class: 'num'}, count(p.lag)),
            el('td', {class: 'spark'}, el('span', {class: 'bar thin'}, el('span', {class: 'seg s-queued', style: 'width:' + (100 * (p.lag || 0) / max) + '%'})))))))];
    }

    async function refresh() {
      const doc = await api('/api/fleet');
      if (current !== self) return;
      const t = doc.throughput || {bucketSeconds: 5, series: []};
      const bucket = t.bucketSeconds || 5;
      const xs = t.series.map(p => epoch(p[0]));
      throughput.setData([xs, ...FINISHED.map(s => t.series.map(p => (p[1][s] || 0) / bucket))]);
      replaceKeepingFocus(flightBox, inFlight(doc));
      replaceKeepingFocus(workersBox, workers(doc.workers || []));
      replaceKeepingFocus(lagBox, lag(doc.lag));
    }
    const self = {refresh, wants: change => !!change.fleet, destroy() { throughput.destroy(); }};
    return self;
  }

  // ---- start -------------------------------------------------------------------------------------

  async function loadInfo() {
    const box = document.getElementById('info');
    try {
      info = await api('/api/info');
      box.replaceChildren(el('span', {title: 'Kafka bootstrap servers'}, info.kafka), ' · ',
        el('span', {class: info.actions ? 'on' : ''}, info.actions ? 'actions on' : 'read-only'),
        info.caughtUp === false ? ' · catching up…' : '');
      if (info.caughtUp === false) setTimeout(loadInfo, 3000);
    } catch (e) {
      say('Could not read /api/info: ' + e.message, 'error');
    }
  }

  // The skip link moves the focus without touching the address (a hash of its own would be a route).
  document.querySelector('.skip').addEventListener('click', e => { e.preventDefault(); view.focus(); });
  window.addEventListener('hashchange', () => { route().then(() => view.focus({preventScroll: true})); });
  loadInfo().then(() => { route(); connectEvents(); });
})();
