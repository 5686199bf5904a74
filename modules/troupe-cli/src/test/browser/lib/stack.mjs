// What the browser tests stand on: the real `troupe demo` (Kafka in its JVM, the Givon simulator, a worker
// and the dashboard with actions on), Debian's chromium through playwright-core, and a poll helper.
// TROUPE_DASHBOARD_MOCK=1 runs the same tests against mock-server.mjs instead (page development only).
import {spawn, execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const browserDir = path.resolve(here, '..');
export const repoRoot = path.resolve(browserDir, '../../../../..');
export const screenshotDir = path.join(repoRoot, 'modules/troupe-cli/target/dashboard-screenshots');
export const mock = process.env.TROUPE_DASHBOARD_MOCK === '1';
const CHROMIUM = process.env.TROUPE_CHROMIUM || '/usr/bin/chromium';

/** Generous: the machine may be busy (2 cores, other builds). */
export const PATIENCE_MS = 120_000;

/**
 * Polls check() until it returns a truthy value (returned) or PATIENCE_MS pass (throws, naming what was
 * awaited and the last value or error seen). No fixed sleeps: only the interval between two looks.
 */
export async function until(what, check, {timeout = PATIENCE_MS, interval = 250} = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`gave up after ${Math.round(timeout / 1000)} s waiting for ${what} (last seen: ${seen})`);
    }
    await new Promise(resolve => setTimeout(resolve, interval));
  }
}

/** A child process whose output is kept (for the report on failure) and matched line by line. */
class Child {
  constructor(name, command, args, options) {
    this.name = name;
    this.output = [];
    this.exited = null;
    this.proc = spawn(command, args, Object.assign({stdio: ['ignore', 'pipe', 'pipe'], detached: true}, options));
    const keep = stream => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', chunk => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop();
        for (const line of lines) this.output.push(line);
        if (this.output.length > 5000) this.output.splice(0, this.output.length - 5000);
      });
    };
    keep(this.proc.stdout);
    keep(this.proc.stderr);
    this.done = new Promise(resolve => this.proc.on('exit', (code, signal) => { this.exited = {code, signal}; resolve(this.exited); }));
  }

  /** The first match of pattern in the output (after the line that matches `after`, when given). */
  find(pattern, after) {
    let from = 0;
    if (after) {
      from = this.output.findIndex(line => after.test(line));
      if (from < 0) return null;
    }
    for (const line of this.output.slice(from)) {
      const m = pattern.exec(line);
      if (m) return m;
    }
    return null;
  }

  async waitFor(what, pattern, after) {
    return until(what + ' in the output of ' + this.name, () => {
      if (this.exited) throw new Error(`${this.name} exited (${JSON.stringify(this.exited)}):\n` + this.tail());
      return this.find(pattern, after);
    }, {timeout: 10 * 60_000}); // the first run may build the jar
  }

  tail(n = 40) {
    return this.output.slice(-n).join('\n');
  }

  /** SIGINT to its process group (Ctrl-C), then SIGKILL when it has not ended within 60 s. */
  async stop() {
    if (this.exited) return this.exited;
    const signal = sig => { try { process.kill(-this.proc.pid, sig); } catch (e) { /* gone */ } };
    signal('SIGINT');
    const timer = setTimeout(() => signal('SIGKILL'), 60_000);
    const result = await this.done;
    clearTimeout(timer);
    return result;
  }

  kill() {
    if (!this.exited) { try { process.kill(-this.proc.pid, 'SIGKILL'); } catch (e) { /* gone */ } }
  }
}

const children = new Set();
// Never leave a demo behind, whatever ends this process.
process.on('exit', () => { for (const c of children) c.kill(); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const c of children) c.kill(); process.exit(130); });

/**
 * Starts the demo stack and returns {url, batchId, kafka(), submit(manifestFile), log(), stop()}.
 * url as soon as the dashboard line is printed (the batch then runs); kafka() once the batch is done.
 */
export async function startStack() {
  if (mock) return startMock();
  const args = ['demo', '--jobs', '48', '--speedup', '20', '--failure-rate', '0.25', '--seed', '7', '--keep-running',
    '--dashboard-port', '0', '--dashboard-actions'];
  const demo = new Child('troupe demo', path.join(repoRoot, 'troupe'), args, {cwd: repoRoot, env: Object.assign({}, process.env, {COLUMNS: '120'})});
  children.add(demo);
  try {
    const url = (await demo.waitFor('the dashboard URL', /^\s*Dashboard\s+(http:\/\/127\.0\.0\.1:\d+\/)/))[1];
    const batchId = (await demo.waitFor('the demo batch', /^\s*Batch\s+(\S+): \d+ jobs?/))[1];
    return {
      url, batchId,
      log: () => demo.tail(),
      kafka: async () => (await demo.waitFor('the Kafka address kept running', /^\s*Kafka\s+(\S+)/, /^Still running/))[1],
      submit: async (manifest, kafka) => run(path.join(repoRoot, 'troupe'), ['batch', manifest, '--kafka', kafka]),
      stop: async () => { const r = await demo.stop(); children.delete(demo); return r; },
    };
  } catch (e) {
    demo.kill();
    throw e;
  }
}

async function startMock() {
  const server = new Child('mock server', process.execPath, [path.join(browserDir, 'mock-server.mjs'), '0'], {cwd: browserDir});
  children.add(server);
  const url = (await server.waitFor('the dashboard URL', /Dashboard\s+(http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  return {
    url, batchId: 'demo-ab12cd', log: () => server.tail(), kafka: async () => 'mock',
    submit: async manifest => {
      const text = fs.readFileSync(manifest, 'utf8');
      const batchId = /^batchId:\s*(\S+)/m.exec(text)[1];
      const res = await fetch(url + 'mock/batch?id=' + encodeURIComponent(batchId), {method: 'POST'});
      return {code: res.ok ? 0 : 1, output: await res.text()};
    },
    stop: async () => { const r = await server.stop(); children.delete(server); return r; },
  };
}

/** Runs a command to its end: {code, output}. */
export function run(command, args) {
  return new Promise(resolve => {
    execFile(command, args, {cwd: repoRoot, maxBuffer: 16 << 20, timeout: 10 * 60_000}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout + stderr});
    });
  });
}

/** Chromium from Debian with a fresh profile; loopback only. Returns {context, close()}. */
export async function startBrowser({viewport = {width: 1280, height: 800}, colorScheme = 'light'} = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install -y chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport, colorScheme, timeout: PATIENCE_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions'],
  });
  context.setDefaultTimeout(PATIENCE_MS);
  // Only the dashboard on loopback: anything else the page asked for would be a bug (no CDN, no fonts).
  const outside = [];
  await context.route(url => !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url.href) && !url.href.startsWith('data:'), r => {
    outside.push(r.request().url());
    return r.abort();
  });
  return {
    context, outside,
    close: async () => { await context.close(); fs.rmSync(profile, {recursive: true, force: true}); },
  };
}

export async function screenshot(page, name, options) {
  fs.mkdirSync(screenshotDir, {recursive: true});
  const file = path.join(screenshotDir, name + '.png');
  await page.screenshot(Object.assign({path: file}, options));
  return file;
}

/** A manifest of characters x motions x prompts (8 x 8 x 4 = 256 jobs by default) in dir. */
export function writeManifest(dir, batchId, {characters = 8, motions = 8, prompts = 4} = {}) {
  const lines = [`batchId: ${batchId}`, 'tenant: studio-dash', 'characters:'];
  for (let i = 0; i < characters; i++) {
    lines.push(`  - name: c${i}`, `    referencePhoto: https://assets.troupe.example/characters/c${i}.png`);
  }
  lines.push('motions:');
  for (let i = 0; i < motions; i++) {
    lines.push(`  - name: m${i}`, `    motionVideo: https://assets.troupe.example/motions/m${i}.mp4`, `    duration: ${3 + (i % 4)}`);
  }
  lines.push('prompts:');
  for (let i = 0; i < prompts; i++) lines.push(`  - name: p${i}`, `    template: "{character} dances the {motion}, take ${i}"`);
  const file = path.join(dir, batchId + '.yaml');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
