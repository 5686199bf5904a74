// For developing the page only (the tests run the real `troupe demo`): serves the dashboard's static
// files and made-up answers shaped like docs/dashboard.md's API, with a batch that progresses.
//   node mock-server.mjs [port]      then open http://127.0.0.1:<port>/
// uPlot is read from the webjar in ~/.m2 when it is there (charts are left out otherwise).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const assets = path.resolve(here, '../../main/resources/dashboard');
const webjar = path.join(os.homedir(), '.m2/repository/org/webjars/npm/uplot/1.6.30/uplot-1.6.30.jar');
const FINISHED = ['SUCCEEDED', 'FAILED', 'REJECTED', 'EXPIRED', 'CANCELLED'];
const characters = ['ada', 'basil', 'coco', 'dmitri', 'eve', 'felix'];
const motions = ['salsa', 'tango', 'k-pop', 'waltz', 'robot', 'swing', 'disco', 'twist'];

let version = 0;
const clients = new Set();
const batches = new Map();
const t0 = Date.now();

function makeBatch(batchId, tenant, n, startOffsetSec) {
  const jobs = [];
  for (let i = 0; i < n; i++) {
    const c = characters[i % characters.length];
    const m = motions[Math.floor(i / characters.length) % motions.length];
    jobs.push({jobId: `${batchId}:${c}:${m}:stage${i >= 48 ? i : ''}`, character: c, motion: m, status: 'QUEUED', run: 1,
      doneAt: null, fail: (i * 7) % 4 === 1});
  }
  batches.set(batchId, {batchId, tenant, jobs, startedAt: new Date(t0 - startOffsetSec * 1000).toISOString(), cancel: null});
}
makeBatch('demo-ab12cd', 'default', 48, 5);
makeBatch('spring-<b>showcase</b>', 'studio-a', 12, 3600);
for (const j of batches.get('spring-<b>showcase</b>').jobs) { j.status = 'SUCCEEDED'; j.doneAt = new Date(t0 - 1800000).toISOString(); }
for (let i = 0; i < 60; i++) makeBatch('nightly-' + String(i).padStart(3, '0'), i % 3 ? 'studio-b' : 'studio-a', 8, 86400 + i * 60);
for (const [id, b] of batches) if (id.startsWith('nightly')) for (const j of b.jobs) { j.status = j.fail ? 'FAILED' : 'SUCCEEDED'; j.doneAt = b.startedAt; }

// One step a second: a job of each running batch finishes, the next goes to Givon.
setInterval(() => {
  const changed = [];
  for (const b of batches.values()) {
    const next = b.jobs.find(j => j.status === 'AT_GIVON');
    if (next) { next.status = next.fail ? 'FAILED' : 'SUCCEEDED'; next.doneAt = new Date().toISOString(); changed.push(b.batchId); }
    const queued = b.jobs.filter(j => j.status === 'QUEUED').slice(0, 2);
    for (const q of queued) q.status = 'AT_GIVON';
    if (queued.length && !changed.includes(b.batchId)) changed.push(b.batchId);
  }
  if (changed.length) emit({version: ++version, batches: changed, budgets: true, fleet: true});
}, 1000);

function emit(change) {
  for (const res of clients) res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
}

function summary(b) {
  const counts = Object.fromEntries(FINISHED.map(s => [s, b.jobs.filter(j => j.status === s).length]));
  const states = {queued: 0, parked: 0, held: 0, atGivon: 0, finished: 0};
  for (const j of b.jobs) {
    if (j.status === 'QUEUED') states.queued++; else if (j.status === 'AT_GIVON') states.atGivon++; else states.finished++;
  }
  const complete = states.finished === b.jobs.length;
  const finishedAt = complete ? b.jobs.map(j => j.doneAt).sort().at(-1) : null;
  return {batchId: b.batchId, tenant: b.tenant, jobs: b.jobs.length, counts, states, finished: states.finished,
    percent: 100 * states.finished / b.jobs.length, complete, tokensSpent: String(states.finished * 35) + '.5',
    tokensEstimated: String(b.jobs.length * 35), startedAt: b.startedAt, finishedAt,
    etaSeconds: complete ? null : (b.jobs.length - states.finished), ratePerSecond: 1, jobsHeld: true};
}

function jobRow(j) {
  const done = FINISHED.includes(j.status);
  return {jobId: j.jobId, status: j.status, run: j.run, character: j.character, motion: j.motion,
    renderSeconds: done && j.status !== 'CANCELLED' ? 85.2 : null, costTokens: done ? (j.status === 'SUCCEEDED' ? '35' : '0') : null,
    attempts: done ? 1 : null, generationId: done && j.status !== 'CANCELLED' ? 'gen_' + j.jobId.length : null,
    videoUrl: j.status === 'SUCCEEDED' ? 'https://cdn.givon.example/videos/x.mp4' : null,
    errorCode: j.status === 'FAILED' ? 'GIVON_GENERATION_FAILED' : j.status === 'CANCELLED' ? 'CANCELLED' : null,
    errorMessage: j.status === 'FAILED' ? 'Givon reported the generation failed: <img src=x onerror=alert(1)> motion video could not be tracked' : null,
    completedAt: j.doneAt, parkedUntil: null};
}

function jobStory(jobId) {
  for (const b of batches.values()) {
    const j = b.jobs.find(x => x.jobId === jobId);
    if (!j) continue;
    const row = jobRow(j);
    const done = FINISHED.includes(j.status);
    const progress = [{schema: 'troupe.progress/v1', kind: 'ADMITTED', jobId, run: 1, batchId: b.batchId, tenant: b.tenant, at: b.startedAt, worker: 'troupe-workers-1'}];
    if (j.status !== 'QUEUED') progress.push({schema: 'troupe.progress/v1', kind: 'SUBMITTED', jobId, run: 1, batchId: b.batchId, tenant: b.tenant,
      at: b.startedAt, worker: 'troupe-workers-1', generationId: 'gen_1', attempt: 1});
    if (done) progress.push({schema: 'troupe.progress/v1', kind: 'FINISHED', jobId, run: 1, batchId: b.batchId, tenant: b.tenant, at: j.doneAt,
      worker: 'troupe-workers-1', status: j.status});
    return {schema: 'troupe.job-status/v1', jobId, readAt: new Date().toISOString(),
      topics: {jobs: {topic: 'troupe.jobs', partition: 4}, results: {topic: 'troupe.results', partition: 1}, state: {topic: 'troupe.state', partition: 4}},
      stateNote: null, progressNote: null,
      job: {batchId: b.batchId, tenant: b.tenant, model: 'kling-3.0-motion', priority: 0, duration: 5, aspectRatio: '9:16', estimatedTokens: 35,
        metadata: {character: j.character, motion: j.motion, prompt: 'stage'}},
      outcome: done ? {run: 1, status: j.status} : null, unreadableRecords: 0, runsLeftOut: 0,
      runs: [{run: 1, outcome: done, sent: [{offset: 12, at: b.startedAt, valid: true, problem: null}], sentLeftOut: 0, progress, progressLeftOut: 0,
        journal: done ? {kind: 'FINISHED', at: j.doneAt, attempt: 1, generationId: 'gen_1', submittedAt: null, resumesAt: null, status: j.status, costTokens: 35}
          : null,
        result: done ? {offset: 3, status: j.status, costTokens: Number(row.costTokens), attempts: 1, generationId: row.generationId, videoUrl: row.videoUrl,
          error: row.errorCode ? {code: row.errorCode, message: row.errorMessage, retryable: false} : null,
          timings: {enqueuedAt: b.startedAt, startedAt: b.startedAt, submittedAt: b.startedAt, completedAt: j.doneAt}, worker: 'troupe-workers-1',
          cancelRequested: null} : null,
        setAside: [], setAsideLeftOut: 0}]};
  }
  return null;
}

function budgets() {
  const start = new Date(t0 - 3600e3);
  const burn = [];
  for (let i = 0; i < 60; i++) burn.push([new Date(start.getTime() + i * 60e3 + (Date.now() - t0) / 10).toISOString(), String(i * 3), String(i % 5)]);
  return {source: 'budget-log', budgets: [{budget: 'studio-a', window: 'current', start: start.toISOString(),
    end: new Date(start.getTime() + 86400e3).toISOString(), windowSeconds: 86400, limit: '500', spent: '177', reserved: '4',
    remaining: '319', parkedJobs: 2, resumesAt: new Date(start.getTime() + 86400e3).toISOString(), burn}], unlimited: ['default']};
}

function fleet() {
  const series = [];
  const now = Math.floor(Date.now() / 5000) * 5000;
  for (let i = 119; i >= 0; i--) series.push([new Date(now - i * 5000).toISOString(),
    {SUCCEEDED: (i * 7) % 5, FAILED: i % 9 === 0 ? 1 : 0, REJECTED: 0, EXPIRED: 0, CANCELLED: 0}]);
  return {throughput: {bucketSeconds: 5, series}, inFlight: 12, limit: 16, maxInFlight: 20,
    workers: [
      {endpoint: 'http://127.0.0.1:9464/metrics', up: true, error: null, inFlight: 6, limit: 8, share: 10, ready: true, circuitOpen: false, keyRefused: false,
        answers: {'2xx': 120, '4xx': 0, '429': 3, '5xx': 1, other: 0, connection: 0, no_response: 0}},
      {endpoint: 'http://127.0.0.1:9465/metrics', up: false, error: 'connection refused', inFlight: null, limit: null, share: 0, ready: false,
        circuitOpen: true, keyRefused: false, answers: null}],
    lag: {group: 'troupe-workers', total: 40, partitions: [0, 1, 2, 3, 4, 5].map(p => ({partition: p, lag: p * 3}))}};
}

function json(res, status, body) {
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8'});
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise(resolve => { let s = ''; req.on('data', d => { s += d; }); req.on('end', () => resolve(s)); });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const p = url.pathname;
  const q = url.searchParams;
  if (p === '/') return fs.createReadStream(path.join(assets, 'index.html')).pipe(res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'}));
  if (p.startsWith('/assets/')) {
    const file = path.join(assets, path.basename(p));
    if (!fs.existsSync(file)) return json(res, 404, {error: 'no ' + p});
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    return fs.createReadStream(file).pipe(res.writeHead(200, {'Content-Type': type + '; charset=utf-8'}));
  }
  if (p.startsWith('/webjars/uplot/')) {
    if (!fs.existsSync(webjar)) return json(res, 404, {error: 'no webjar in ~/.m2'});
    const name = path.basename(p);
    try {
      const bytes = execFileSync('unzip', ['-p', webjar, 'META-INF/resources/webjars/uplot/1.6.30/dist/' + name]);
      res.writeHead(200, {'Content-Type': name.endsWith('.css') ? 'text/css' : 'text/javascript'});
      return res.end(bytes);
    } catch (e) { return json(res, 404, {error: 'no ' + name}); }
  }
  if (p === '/mock/batch' && req.method === 'POST') { // what `troupe batch` is to the real stack
    makeBatch(q.get('id'), 'studio-dash', 256, 0);
    emit({version: ++version, batches: [q.get('id')], budgets: false, fleet: false});
    return json(res, 200, {sent: 256});
  }
  if (p === '/api/info') return json(res, 200, {actions: true, readOnly: false, kafka: '127.0.0.1:9092', version: '0.1.0-SNAPSHOT (mock)',
    limits: {maxResults: 200000, maxBatches: 1000}, held: {results: 1, batches: batches.size, evictedBatches: 0},
    topics: {results: 'troupe.results'}, caughtUp: true});
  if (p === '/api/events') {
    res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache'});
    res.write(': hello\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return undefined;
  }
  if (p === '/api/batches') {
    let items = [...batches.values()].map(summary);
    const text = (q.get('q') || '').toLowerCase();
    if (text) items = items.filter(b => b.batchId.toLowerCase().includes(text));
    if (q.get('tenant')) items = items.filter(b => b.tenant === q.get('tenant'));
    if (q.get('state') === 'running') items = items.filter(b => !b.complete);
    if (q.get('state') === 'complete') items = items.filter(b => b.complete);
    const key = {name: 'batchId', tenant: 'tenant', progress: 'percent', started: 'startedAt', finished: 'finishedAt'}[q.get('sort') || 'started'];
    items.sort((a, b) => (a[key] ?? '') < (b[key] ?? '') ? -1 : (a[key] ?? '') > (b[key] ?? '') ? 1 : 0);
    if ((q.get('dir') || 'desc') === 'desc') items.reverse();
    const offset = Number(q.get('offset') || 0);
    const limit = Number(q.get('limit') || 50);
    return json(res, 200, {total: items.length, offset, limit, tenants: [...new Set([...batches.values()].map(b => b.tenant))],
      items: items.slice(offset, offset + limit)});
  }
  const m = /^\/api\/batches\/([^/]+)(\/jobs|\/export)?$/.exec(p);
  if (m) {
    const b = batches.get(decodeURIComponent(m[1]));
    if (!b) return json(res, 404, {error: 'batchId: no batch ' + decodeURIComponent(m[1])});
    if (m[2] === '/jobs') {
      let jobs = b.jobs.map(jobRow);
      if (q.get('status')) jobs = jobs.filter(j => j.status === q.get('status'));
      const offset = Number(q.get('offset') || 0);
      const limit = Number(q.get('limit') || 100);
      return json(res, 200, {total: jobs.length, offset, limit, items: jobs.slice(offset, offset + limit)});
    }
    if (m[2] === '/export') {
      const csv = q.get('format') === 'csv';
      const rows = b.jobs.filter(j => FINISHED.includes(j.status)).map(jobRow);
      res.writeHead(200, {'Content-Type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="${b.batchId}.${csv ? 'csv' : 'jsonl'}"`});
      return res.end(csv ? 'jobId,status\n' + rows.map(r => r.jobId + ',' + r.status + '\n').join('')
        : rows.map(r => JSON.stringify(r) + '\n').join(''));
    }
    const s = summary(b);
    const failed = b.jobs.filter(j => j.status === 'FAILED');
    return json(res, 200, Object.assign(s, {failures: failed.length ? [{status: 'FAILED', code: 'GIVON_GENERATION_FAILED', count: failed.length,
      message: jobRow(failed[0]).errorMessage, jobIds: failed.slice(0, 5).map(j => j.jobId)}] : [], parkedUntil: null, cancelRequested: b.cancel}));
  }
  const jm = /^\/api\/jobs\/(.+)$/.exec(p);
  if (jm) {
    const story = jobStory(decodeURIComponent(jm[1]));
    return story ? json(res, 200, story) : json(res, 404, {error: 'jobId: no job ' + decodeURIComponent(jm[1])});
  }
  if (p === '/api/budgets') return json(res, 200, budgets());
  if (p === '/api/fleet') return json(res, 200, fleet());
  if (p.startsWith('/api/actions/') && req.method === 'POST') {
    if (req.headers['x-troupe-action'] !== '1') return json(res, 403, {error: 'X-Troupe-Action: the header is required'});
    const body = JSON.parse(await readBody(req) || '{}');
    const name = p.slice('/api/actions/'.length);
    if (name === 'cancel') {
      const b = batches.get(body.batchId);
      if (!b) return json(res, 404, {error: 'batchId: no batch ' + body.batchId});
      b.cancel = {target: 'batch:' + b.batchId, at: new Date().toISOString(), reason: body.reason};
      setTimeout(() => {
        for (const j of b.jobs) if (j.status === 'QUEUED') { j.status = 'CANCELLED'; j.doneAt = new Date().toISOString(); }
        emit({version: ++version, batches: [b.batchId], budgets: false, fleet: true});
      }, 1500);
      return json(res, 200, {sent: 'CANCEL batch:' + b.batchId, topic: 'troupe.control'});
    }
    if (name === 'retry') return json(res, 200, {sent: 0, left: [{jobId: 'x', why: 'SUCCEEDED'}]});
    if (name === 'pause' || name === 'resume') return json(res, 200, {sent: name.toUpperCase() + ' tenant:' + body.tenant, topic: 'troupe.control'});
    return json(res, 404, {error: 'no action ' + name});
  }
  return json(res, 404, {error: 'no ' + p});
});

server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`  Dashboard http://127.0.0.1:${server.address().port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { for (const c of clients) c.end(); server.close(); process.exit(0); });
