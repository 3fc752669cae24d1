// Live reload as a writer sees it: a page served by `herald serve` is open in Chromium; the
// Markdown file is edited on disk; the new text appears without anyone reloading, at the same
// scroll position. A broken front matter shows the error overlay (#herald-error); fixing the
// file removes it.
//
//   node live_reload.mjs BASE_URL PATH MARKDOWN_FILE
//
// Prints a JSON result; exits 1 on failure. Never calls page.reload().
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

import { deadline, finish, launch, sleep } from './lib.mjs';

deadline(120_000, 'live_reload.mjs');

const [base, path, mdFile] = process.argv.slice(2);
if (!base || !path || !mdFile) {
  process.stderr.write('usage: node live_reload.mjs BASE_URL PATH MARKDOWN_FILE\n');
  process.exit(2);
}
const LIMIT = 5000; // how long a change may take to show
const result = { ok: true, url: new URL(path, base).toString(), file: mdFile, failures: [] };
const fail = (m) => result.failures.push(m);

/** Polls `fn` (run in the page; navigations in between are fine) until it returns truthy. */
async function until(page, fn, arg, ms) {
  const start = Date.now();
  for (;;) {
    try {
      const v = await page.evaluate(fn, arg);
      if (v) return Date.now() - start;
    } catch (e) {
      // The page is being replaced by a reload: try again.
    }
    if (Date.now() - start > ms) return null;
    await sleep(50);
  }
}

const original = readFileSync(mdFile, 'utf8');
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
  const consoleErrors = [];
  const ignoredConsole = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} (${m.location().url || ''})`;
    // A missing favicon is the theme test's business, not live reload's.
    if (/favicon\.ico/.test(text)) ignoredConsole.push(text);
    else consoleErrors.push(text);
  });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

  // The event stream must be connected before the first edit, or the edit goes unheard.
  const connected = page.waitForResponse((r) => r.url().includes('/__herald/events'), { timeout: 10_000 });
  const resp = await page.goto(result.url, { waitUntil: 'load', timeout: 20_000 });
  if (!resp || resp.status() !== 200) throw new Error(`GET ${result.url}: HTTP ${resp && resp.status()}`);
  await connected;
  const navsAtStart = navigations;

  // 1. Scroll down, edit the body, wait for the new text.
  const maxScroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  const target = Math.min(900, maxScroll - 20);
  if (target < 200) throw new Error(`the page is too short to test the scroll position (can scroll ${maxScroll}px)`);
  await page.evaluate((y) => window.scrollTo(0, y), target);
  result.scrollBefore = await page.evaluate(() => window.scrollY);

  const sentence = `浏览器测试新增的一句话-${Date.now().toString(36)}。`;
  writeFileSync(mdFile, original.trimEnd() + '\n\n' + sentence + '\n');
  const t1 = await until(page, (s) => document.body && document.body.innerText.includes(s), sentence, LIMIT);
  result.newTextAfterMs = t1;
  result.reloadsByLiveJs = navigations - navsAtStart;
  if (t1 === null) {
    fail(`the new sentence did not appear within ${LIMIT} ms without a manual reload`);
  } else {
    if (navigations === navsAtStart) fail('the text changed but no reload happened?');
    // live.js restores the scroll position on load.
    const back = await until(page, (y) => document.readyState === 'complete' && Math.abs(window.scrollY - y) <= 2, result.scrollBefore, 3000);
    result.scrollAfter = await page.evaluate(() => window.scrollY);
    if (back === null) fail(`the scroll position was not kept: ${result.scrollBefore}px before, ${result.scrollAfter}px after the reload`);
  }

  // 2. Break the front matter: the overlay names the file and line.
  const broken = original.replace(/^date:.*$/m, 'date: 昨天');
  if (broken === original) throw new Error(`${mdFile} has no date: line to break`);
  const navsBeforeError = navigations;
  writeFileSync(mdFile, broken.trimEnd() + '\n\n' + sentence + '\n');
  const t2 = await until(page, () => {
    const o = document.getElementById('herald-error');
    return o && o.getBoundingClientRect().height > 0 && o.innerText.length > 0;
  }, null, LIMIT);
  result.overlayAfterMs = t2;
  if (t2 === null) {
    fail(`breaking the front matter did not show #herald-error within ${LIMIT} ms`);
  } else {
    result.overlayText = await page.evaluate(() => document.getElementById('herald-error').innerText);
    const name = basename(mdFile).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!new RegExp(`${name}:\\d+`).test(result.overlayText)) {
      fail(`the overlay should name ${basename(mdFile)}:<line>; it says: ${result.overlayText}`);
    }
    const covers = await page.evaluate(() => {
      const r = document.getElementById('herald-error').getBoundingClientRect();
      return r.width >= window.innerWidth - 1 && r.height >= window.innerHeight - 1;
    });
    if (!covers) fail('the error overlay does not cover the page');
    result.reloadsDuringError = navigations - navsBeforeError;
  }

  // 3. Fix it: the overlay goes, the fixed text shows.
  const fixedSentence = `修好之后的一句话-${Date.now().toString(36)}。`;
  writeFileSync(mdFile, original.trimEnd() + '\n\n' + fixedSentence + '\n');
  const t3 = await until(
    page,
    (s) => !document.getElementById('herald-error') && document.body && document.body.innerText.includes(s),
    fixedSentence,
    LIMIT,
  );
  result.fixedAfterMs = t3;
  if (t3 === null) {
    const still = await page.evaluate(() => !!document.getElementById('herald-error')).catch(() => null);
    fail(`fixing the file did not ${still ? 'remove #herald-error' : 'show the fixed text'} within ${LIMIT} ms`);
  }

  result.consoleErrors = consoleErrors;
  result.ignoredConsole = ignoredConsole;
  for (const e of consoleErrors) fail(`console error: ${e}`);
  await page.close();
} catch (e) {
  fail(`error: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close().catch(() => {});
}
result.ok = result.failures.length === 0;
finish(result);
