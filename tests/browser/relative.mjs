// A site built with `herald build --relative`, opened from disk (file://) as from a USB stick:
// the home page, then a brand and a report reached by clicking their links, each with its
// stylesheet applied, every image loaded, and no request failing.
//
//   node relative.mjs FILE_URL_OF_INDEX_HTML
//
// Prints a JSON result; exits 1 on failure.
import { deadline, finish, launch, parseArgs } from './lib.mjs';

deadline(110_000, 'relative.mjs');

const { rest } = parseArgs(process.argv.slice(2));
const [home] = rest;
if (!home || !home.startsWith('file://')) {
  process.stderr.write('usage: node relative.mjs file:///…/index.html\n');
  process.exit(2);
}
const result = { ok: true, home, visited: [], failures: [] };
const fail = (m) => { result.ok = false; result.failures.push(m); };

// Runs in the page: what a visitor would see missing.
function inspect() {
  // A file:// page cannot read its stylesheets' rules (an opaque origin): see that they apply.
  const wrap = document.querySelector('.wrap');
  const sheets = [...document.styleSheets].map((s) => s.href || 'inline');
  const images = [...document.images].map((i) => ({ src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0 }));
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
  return {
    title: document.title,
    h1: (document.querySelector('h1')?.textContent || '').trim(),
    sheets,
    // The theme's stylesheet sets the page's font stack; the browser default is a serif.
    bodyFont: getComputedStyle(document.body).fontFamily,
    // style.css: .wrap{max-width:72rem}
    wrapMax: wrap ? getComputedStyle(wrap).maxWidth : 'no .wrap',
    images,
    links,
  };
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('requestfailed', (r) => {
    // Chromium aborts a file:// page's favicon request by itself (the Rust side checks that
    // favicon.svg is there).
    if (r.url().endsWith('/favicon.svg') && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    fail(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));

  const check = async (name) => {
    // Lazy images load only near the viewport: bring each into view first.
    await page.evaluate(async () => {
      for (const img of document.images) {
        img.loading = 'eager';
        img.scrollIntoView();
        if (!img.complete) await new Promise((r) => { img.onload = img.onerror = r; setTimeout(r, 3000); });
      }
      window.scrollTo(0, 0);
    });
    const seen = await page.evaluate(inspect);
    const url = page.url();
    result.visited.push({ name, url, title: seen.title, h1: seen.h1, images: seen.images, sheets: seen.sheets });
    if (!url.startsWith('file://')) fail(`${name}: left the disk: ${url}`);
    if (url.endsWith('/')) fail(`${name}: a folder URL (the browser would list the folder): ${url}`);
    if (!seen.sheets.some((h) => /\/css\/style\.([0-9a-f]{10}\.)?css$/.test(h))) fail(`${name}: no style.css among ${JSON.stringify(seen.sheets)}`);
    if (seen.wrapMax !== '1152px') fail(`${name}: style.css is not applied (.wrap max-width ${seen.wrapMax})`);
    if (/^\s*"?Times/.test(seen.bodyFont) || seen.bodyFont === 'serif') fail(`${name}: the theme's CSS is not applied (font ${seen.bodyFont})`);
    if (!seen.h1) fail(`${name}: no <h1>: the page did not load`);
    for (const i of seen.images) if (!i.ok) fail(`${name}: image not loaded: ${i.src}`);
    return seen;
  };

  const follow = async (name, pick) => {
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
    const href = hrefs.find(pick);
    if (!href) { fail(`no link to a ${name} among ${JSON.stringify(hrefs.slice(0, 40))}`); return null; }
    if (href.startsWith('/')) fail(`${name}: the link ${href} is root-relative: on file:// it leads to the disk's root`);
    await Promise.all([page.waitForLoadState('load'), page.click(`a[href="${href}"] >> nth=0`)]);
    return check(name);
  };

  await page.goto(home, { waitUntil: 'load' });
  const h = await check('home');
  if (h.images.length === 0) fail('home: no images (the test site has a report with a cover on the home page)');
  await follow('brand', (x) => /(^|\/)brands\/[^/]+\/index\.html$/.test(x));
  await page.goto(home, { waitUntil: 'load' });
  const r = await follow('report', (x) => /(^|\/)cases\/photos\/index\.html$/.test(x));
  if (r && r.images.length === 0) fail('report: its photo is not on the page');
  await context.close();
} catch (e) {
  fail(`error: ${e.stack || e}`);
} finally {
  await browser.close();
}
finish(result);
