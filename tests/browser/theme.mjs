// The default theme in a real browser, each page at each width:
//   load    answers 200, logs no console errors, has no failed requests;
//   layout  fits the screen (no horizontal overflow); full-page screenshots with --out;
//   axe     axe-core (injected into the page) finds no serious or critical violations.
//
//   node theme.mjs [--widths 375,1440] [--checks load,layout,axe] [--out DIR] BASE_URL NAME=PATH…
//
// Full-page screenshots go to DIR as NAME-WIDTH.png. Prints a JSON result; exits 1 on failure.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AXE, deadline, finish, launch, parseArgs } from './lib.mjs';

deadline(170_000, 'theme.mjs');

const { opts, rest } = parseArgs(process.argv.slice(2));
const [base, ...pageArgs] = rest;
if (!base || pageArgs.length === 0) {
  process.stderr.write('usage: node theme.mjs [--widths 375,1440] [--checks load,layout,axe] [--out DIR] BASE_URL NAME=PATH…\n');
  process.exit(2);
}
const widths = (opts.widths || '375,1440').split(',').map(Number);
const checks = new Set((opts.checks || 'load,layout,axe').split(','));
const out = opts.out || null;
if (out) mkdirSync(out, { recursive: true });
const pages = pageArgs.map((a, i) => {
  const eq = a.indexOf('=');
  return eq > 0 ? { name: a.slice(0, eq), path: a.slice(eq + 1) } : { name: `page${i}`, path: a };
});

const result = { ok: true, base, widths, checks: [...checks], screenshots: [], pages: [], failures: [] };

// Runs in the page: elements that stick out of the viewport on the right (or left), and are
// not inside something that clips or scrolls them; only the outermost of each such branch.
function findOverflow() {
  const vw = document.documentElement.clientWidth;
  const clips = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'hidden' || ox === 'auto' || ox === 'scroll' || ox === 'clip') return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    const r = el.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && (r.right > vw + 1 || r.left < -1);
  };
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + '#' + e.id); break; }
      const cls = [...e.classList].slice(0, 2);
      if (cls.length) s += '.' + cls.join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || clips(el)) continue;
    if (el.parentElement && el.parentElement !== document.body && sticksOut(el.parentElement) && !clips(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    offenders.push({ selector: describe(el), left: Math.round(r.left), right: Math.round(r.right), width: Math.round(r.width), text: (el.textContent || '').trim().slice(0, 60) });
    if (offenders.length >= 12) break;
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: vw,
    offenders,
  };
}

const browser = await launch();
try {
  for (const width of widths) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    for (const { name, path } of pages) {
      const url = new URL(path, base).toString();
      const page = await context.newPage();
      const consoleErrors = [];
      const failedRequests = [];
      let done = false;
      page.on('console', (m) => { if (!done && m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url || url})`); });
      page.on('pageerror', (e) => { if (!done) consoleErrors.push(`uncaught: ${e.message}`); });
      page.on('requestfailed', (r) => { if (!done) failedRequests.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`); });
      page.on('response', (r) => { if (!done && r.status() >= 400) failedRequests.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`); });

      const entry = { name, path, width };
      const resp = await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
      entry.status = resp ? resp.status() : null;
      if (checks.has('load') && entry.status !== 200) result.failures.push(`${name} ${path} @${width}: HTTP ${entry.status}`);
      await page.evaluate(() => document.fonts && document.fonts.ready);
      // The search page draws its results after load: check the page with them.
      await page.waitForFunction(() => {
        const s = document.querySelector('[data-search-status]');
        const empty = document.querySelector('[data-search-empty]');
        return !s || /条结果/.test(s.textContent) || (empty && !empty.hidden);
      }, null, { timeout: 10_000 }).catch(() => {});
      // Lazy images and late layout: scroll through once, then back.
      await page.evaluate(async () => {
        for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
          window.scrollTo(0, y);
          await new Promise((r) => requestAnimationFrame(r));
        }
        window.scrollTo(0, 0);
      });
      await page.waitForLoadState('load');

      if (checks.has('layout')) {
        const ov = await page.evaluate(findOverflow);
        entry.overflow = ov;
        if (ov.scrollWidth > ov.innerWidth) {
          result.failures.push(
            `${name} ${path} @${width}: horizontal overflow, scrollWidth ${ov.scrollWidth} > innerWidth ${ov.innerWidth}; ` +
            `sticking out: ${ov.offenders.map((o) => `${o.selector} [${o.left}..${o.right}]`).join('; ') || '(none found)'}`,
          );
        }
        if (out) {
          const file = join(out, `${name}-${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          result.screenshots.push(file);
        }
      }

      if (checks.has('axe')) {
        await page.addScriptTag({ path: AXE });
        const axe = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 8).map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: (n.failureSummary || '').slice(0, 300) })),
            count: v.nodes.length,
          }));
        });
        entry.axe = axe;
        for (const v of axe.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
          result.failures.push(
            `${name} ${path} @${width}: axe ${v.impact} ${v.id} (${v.help}) on ${v.count} element(s): ` +
            v.nodes.map((n) => `${n.target} ${n.html}`).join(' | '),
          );
        }
      }

      done = true;
      entry.consoleErrors = consoleErrors;
      entry.failedRequests = failedRequests;
      if (checks.has('load')) {
        for (const e of consoleErrors) result.failures.push(`${name} ${path} @${width}: console error: ${e}`);
        for (const e of failedRequests) result.failures.push(`${name} ${path} @${width}: failed request: ${e}`);
      }
      result.pages.push(entry);
      await page.close();
    }
    await context.close();
  }
} catch (e) {
  result.failures.push(`error: ${e && e.stack ? e.stack : e}`);
} finally {
  await browser.close().catch(() => {});
}
result.ok = result.failures.length === 0;
finish(result);
