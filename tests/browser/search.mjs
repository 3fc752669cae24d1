// Site search in a real browser: every query of a table, loaded as /search/?q=… and typed
// into the search page's box, must list the pages the table expects.
//
//   node search.mjs SITE_URL BASE_PATH QUERIES.tsv
//
// QUERIES.tsv: `query<TAB>expected paths (space separated, relative to the site)<TAB>note`;
// `-` as the expected paths means "no result" (the 没有找到 box must show), `*` anything
// (for measuring, as scripts/bench does on its corpus). Also checked: no
// request leaves the site, the results page fetches nothing before a query, and each result
// has its title link, meta line and excerpt. Prints a JSON result; exits 1 on failure.
import { readFileSync } from 'node:fs';

import { deadline, finish, launch, parseArgs } from './lib.mjs';

deadline(300_000, 'search.mjs');

const { rest } = parseArgs(process.argv.slice(2));
const [site, basePath, table] = rest;
if (!site || !basePath || !table) {
  process.stderr.write('usage: node search.mjs SITE_URL BASE_PATH QUERIES.tsv\n');
  process.exit(2);
}
const origin = new URL(site).origin;
const queries = readFileSync(table, 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const [q, expected = '', note = ''] = l.split('\t');
    const e = expected.trim();
    return { q, expected: e === '*' ? null : e === '-' ? [] : e.split(/\s+/).filter(Boolean), note };
  });

const result = { ok: true, queries: [], failures: [], first_query_bytes: null, before_query_requests: [] };
const fail = (m) => { result.ok = false; result.failures.push(m); };

const browser = await launch();
const page = await browser.newPage();
let log = [];
page.on('request', (r) => {
  const u = r.url();
  if (!u.startsWith(origin) && !u.startsWith('data:')) fail(`request outside the site: ${u}`);
});
page.on('response', async (r) => {
  const entry = { url: r.url(), status: r.status(), bytes: 0 };
  log.push(entry);
  try { entry.bytes = (await r.body()).length; } catch { /* a redirect has no body */ }
});
page.on('pageerror', (e) => fail(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text()}`); });

const searchUrl = site.replace(/\/$/, '') + basePath + 'search/';

async function settled() {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-search-status]');
    const empty = document.querySelector('[data-search-empty]');
    return (empty && !empty.hidden) || (s && /条结果|没能读取|请输入/.test(s.textContent));
  }, null, { timeout: 15_000 });
  await page.waitForLoadState('networkidle');
}

async function shown() {
  return page.$$eval('[data-search-results] > li', (lis) => lis.map((li) => ({
    href: li.querySelector('h2 a')?.getAttribute('href') || '',
    title: li.querySelector('h2')?.textContent || '',
    meta: li.querySelector('.search-result__meta')?.textContent || '',
    excerpt: li.querySelector('.search-result__excerpt')?.textContent || '',
    marks: li.querySelectorAll('mark').length,
  })));
}

async function check(q, expected, how) {
  let got;
  try {
    await settled();
    got = await shown();
  } catch (e) {
    fail(`${how} ${q}: no answer (${e.message.split('\n')[0]})`);
    return [];
  }
  const paths = got.map((r) => r.href.startsWith(basePath) ? r.href.slice(basePath.length) : r.href);
  if (expected === null) return paths;
  const missing = expected.filter((e) => !paths.includes(e));
  if (missing.length) fail(`${how} ${q}: missing ${missing.join(' ')} (got ${paths.join(' ') || 'nothing'})`);
  if (!expected.length) {
    const emptyShown = await page.$eval('[data-search-empty]', (e) => !e.hidden);
    if (paths.length || !emptyShown) fail(`${how} ${q}: expected 没有找到, got ${paths.join(' ')}`);
  }
  for (const r of got) {
    if (!r.title.trim() || !r.href) fail(`${how} ${q}: a result without title or link`);
  }
  if (got.length && !got.some((r) => r.marks > 0) && !/\s/.test(q)) {
    // A match only in a hidden field (organisation, tags) has nothing to highlight; but
    // some result of a query shows the words it matched.
    result.unhighlighted = (result.unhighlighted || []).concat([q]);
  }
  return paths;
}

// The search page alone fetches nothing of the index.
log = [];
await page.goto(searchUrl, { waitUntil: 'networkidle' });
result.before_query_requests = log.filter((e) => e.url.includes('/search/') && !e.url.endsWith('/search/')).map((e) => e.url);
if (result.before_query_requests.length) fail(`the search page fetched index files before a query: ${result.before_query_requests.join(' ')}`);

let first = true;
for (const { q, expected, note } of queries) {
  log = [];
  await page.goto(searchUrl + '?q=' + encodeURIComponent(q), { waitUntil: 'domcontentloaded' });
  const viaUrl = await check(q, expected, 'url');
  if (first) {
    result.first_query = q;
    result.first_query_bytes = log.filter((e) => e.url.includes('/search/') && !/\/search\/(\?|$)/.test(e.url)).reduce((n, e) => n + e.bytes, 0);
    result.first_query_files = log.filter((e) => e.url.includes('/search/')).map((e) => `${e.url.replace(origin, '')} ${e.bytes}`);
    first = false;
  }
  const status = await page.$eval('[data-search-status]', (s) => s.textContent);
  // The same query typed into the page's box, from an empty page.
  await page.goto(searchUrl, { waitUntil: 'domcontentloaded' });
  await page.fill('[data-search-input]', '');
  await page.type('[data-search-input]', q, { delay: 15 });
  const typed = await check(q, expected, 'typed');
  if (JSON.stringify(typed) !== JSON.stringify(viaUrl)) fail(`${q}: typed and ?q= give different results`);
  result.queries.push({ q, note, expected, got: viaUrl, status });
}

// The header box of another page leads to the results.
const { q: hq, expected: he } = queries.find((x) => x.expected && x.expected.length) || queries[0];
await page.goto(site.replace(/\/$/, '') + basePath, { waitUntil: 'domcontentloaded' });
await page.fill('.site-search input[name=q]', hq);
await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('.site-search input[name=q]', 'Enter')]);
await check(hq, he, 'header box');

const found = result.queries.filter((x) => (x.expected || []).every((e) => x.got.includes(e))).length;
result.recall = `${found}/${result.queries.length}`;
await browser.close();
finish(result);
