// The dashboard in a real browser on the real demo stack (see ../run): a batch reaching 100% live, a failed
// job's reason, cancelling a second batch with actions on, and the README's screenshot.
import {test, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startStack, startBrowser, until, screenshot, writeManifest, repoRoot, mock} from '../lib/stack.mjs';

let stack;
let browser;
let page;
const pageErrors = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-dashboard-test-'));

before(async () => {
  stack = await startStack();
  browser = await startBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', e => pageErrors.push(e.message));
});

after(async () => {
  if (browser) await browser.close();
  if (stack) {
    const ended = await stack.stop();
    if (ended.signal === 'SIGKILL') console.log('the stack did not stop on SIGINT within 60 s and was killed:\n' + stack.log());
    else console.log(`  the stack stopped on SIGINT (exit ${ended.code ?? ended.signal})`);
  }
  fs.rmSync(work, {recursive: true, force: true});
});

/** On failure, what the stack printed last helps more than the assertion alone. */
async function withLog(name, body) {
  try {
    await body();
  } catch (e) {
    if (page) await screenshot(page, name + '-failed').catch(() => {});
    e.message += '\n--- last output of the stack ---\n' + (stack ? stack.log() : '(not started)');
    throw e;
  }
}

const row = batchId => page.locator(`[data-testid="batch-row"][data-batch-id="${batchId}"]`);

test('a batch row reaches 100% live, without reloading the page', () => withLog('a-live', async () => {
  await page.goto(stack.url);
  await page.locator('[data-testid="live"][data-state="connected"]').waitFor();
  await row(stack.batchId).waitFor();
  // A mark on the window: a reload or a navigation away would drop it.
  await page.evaluate(() => { window.troupeTestMark = 'not reloaded'; });
  const percent = row(stack.batchId).getByTestId('batch-percent');
  const seen = [await percent.textContent()];
  await until(`batch ${stack.batchId} at 100%`, async () => {
    const text = await percent.textContent();
    if (text !== seen[seen.length - 1]) seen.push(text);
    return text === '100%';
  });
  assert.equal(await page.evaluate(() => window.troupeTestMark), 'not reloaded', 'the page was reloaded');
  assert.equal(await page.getByTestId('live').getAttribute('data-state'), 'connected');
  console.log(`  percents seen on the page: ${seen.join(' -> ')}`);
  await screenshot(page, 'a-batch-at-100');
}));

test('a failed job of the batch shows its error code and message on its page', () => withLog('b-failed-job', async () => {
  await page.goto(stack.url + '#/batch/' + encodeURIComponent(stack.batchId));
  await page.getByTestId('status-filter').selectOption('FAILED');
  const failed = page.locator('[data-testid="job-row"][data-status="FAILED"]');
  await failed.first().waitFor();
  await until('only FAILED rows after filtering', async () =>
    (await page.locator('[data-testid="job-row"]').count()) === (await failed.count()));
  const first = failed.first();
  const jobId = await first.getAttribute('data-job-id');
  const cells = await first.locator('td').allTextContents();
  const code = cells[cells.length - 2];
  const message = cells[cells.length - 1];
  assert.notEqual(code, '–', 'a FAILED row shows an error code');
  await screenshot(page, 'b-batch-failed-filter');
  // The export links give the batch's results (the same bytes troupe watch --output writes).
  for (const [testid, type] of [['export-csv', 'text/csv'], ['export-jsonl', 'json']]) {
    const href = await page.getByTestId(testid).getAttribute('href');
    const answer = await page.request.get(new URL(href, stack.url).href);
    assert.equal(answer.status(), 200, `${href} answered ${answer.status()}`);
    assert.ok((answer.headers()['content-type'] || '').includes(type), `${href} is ${answer.headers()['content-type']}`);
    assert.ok((await answer.text()).includes(jobId), `${href} holds ${jobId}`);
  }
  // Keyboard: the row is reached with focus and opened with Enter.
  await first.focus();
  await page.keyboard.press('Enter');
  await until('the job page', async () => decodeURIComponent(new URL(page.url()).hash) === '#/job/' + jobId);
  const error = page.getByTestId('job-error');
  await error.waitFor();
  const text = await error.textContent();
  assert.ok(text.includes(code), `the job page shows ${code}: ${text}`);
  if (message) assert.ok(text.includes(message), `the job page shows the message "${message}": ${text}`);
  assert.equal(await page.getByTestId('job-summary').getAttribute('data-outcome'), 'FAILED');
  await page.getByTestId('job-timeline').first().waitFor();
  await screenshot(page, 'b-failed-job', {fullPage: true});
}));

test('cancelling a second batch with actions on ends its queued jobs CANCELLED', () => withLog('c-cancel', async () => {
  const batchId = 'dash-cancel-' + Math.random().toString(36).slice(2, 8);
  const manifest = writeManifest(work, batchId); // 8 x 8 x 4 = 256 jobs: most still queued when cancelled
  const kafka = await stack.kafka();
  const sent = await stack.submit(manifest, kafka);
  assert.equal(sent.code, 0, 'troupe batch failed:\n' + sent.output);

  await page.goto(stack.url + '#/batches');
  await row(batchId).waitFor();
  await row(batchId).locator('a').click();
  await page.getByTestId('batch-figures').waitFor();
  await page.getByTestId('action-cancel').click();
  await page.getByTestId('confirm-reason').fill('browser test: cancel the big batch');
  await page.getByTestId('confirm-ok').click();
  await until('the server\'s answer in the status line', async () =>
    (await page.getByTestId('status').textContent()).includes('CANCEL batch:' + batchId));
  await screenshot(page, 'c-cancel-sent');

  await page.getByTestId('status-filter').selectOption('CANCELLED');
  await page.locator('[data-testid="job-row"][data-status="CANCELLED"]').first().waitFor();
  const figures = page.getByTestId('batch-figures');
  await until(`batch ${batchId} complete`, async () => (await figures.getAttribute('data-complete')) === 'true');
  const cancelled = Number(await figures.getAttribute('data-cancelled'));
  assert.ok(cancelled > 0, `cancelled > 0, got ${cancelled}`);
  console.log(`  ${batchId}: ${cancelled} of 256 jobs CANCELLED`);
  await screenshot(page, 'c-batch-cancelled', {fullPage: true});
}));

test('the README screenshot: the demo batch\'s view at 1280x800', () => withLog('d-readme', async () => {
  await page.setViewportSize({width: 1280, height: 800});
  await page.goto(stack.url + '#/batches');
  await row(stack.batchId).waitFor();
  await until('every batch row complete', async () => {
    const states = await page.locator('[data-testid="batch-row"]').evaluateAll(rows => rows.map(r => r.dataset.complete));
    return states.length > 0 && states.every(s => s === 'true');
  });
  await screenshot(page, 'd-batches');
  await row(stack.batchId).locator('a').click();
  await page.locator('[data-testid="batch-figures"][data-complete="true"]').waitFor();
  await page.locator('[data-testid="job-row"]').first().waitFor();
  await page.locator('[data-testid="live"][data-state="connected"]').waitFor();
  const file = await screenshot(page, 'd-batch');
  const size = fs.statSync(file).size;
  assert.ok(size < 300 * 1024, `the screenshot is ${size} bytes, over 300 KB`);
  if (!mock) {
    fs.mkdirSync(path.join(repoRoot, 'docs/images'), {recursive: true});
    fs.copyFileSync(file, path.join(repoRoot, 'docs/images/dashboard.png'));
  }
  assert.deepEqual(browser.outside, [], 'the page asked for nothing off loopback');
  assert.deepEqual(pageErrors, [], 'no script error on the page');
}));

test('on a phone in dark mode the page fits and wide tables scroll sideways', () => withLog('e-phone', async () => {
  const phone = await browser.context.newPage();
  try {
    await phone.setViewportSize({width: 390, height: 844});
    await phone.emulateMedia({colorScheme: 'dark'});
    await phone.goto(stack.url + '#/batch/' + encodeURIComponent(stack.batchId));
    await phone.locator('[data-testid="job-row"]').first().waitFor();
    const fit = await phone.evaluate(() => {
      const table = document.querySelector('[data-testid="jobs"]').parentElement;
      return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, table: table.scrollWidth, box: table.clientWidth,
        background: getComputedStyle(document.body).backgroundColor};
    });
    assert.ok(fit.page <= fit.viewport, `the page is ${fit.page} px wide on a ${fit.viewport} px screen`);
    assert.ok(fit.table > fit.box, 'the jobs table scrolls inside its box');
    assert.notEqual(fit.background, 'rgb(247, 247, 249)', 'dark mode changes the background');
    await screenshot(phone, 'e-phone-dark');
  } finally {
    await phone.close();
  }
}));
