// For comparison only (not a test): the same query table as search.mjs, asked of a Pagefind
// index of the same built site, in chromium through Pagefind's own JS API.
//
//   npx pagefind --site OUT --glob "{cases,brands,about}/**/*.html" --root-selector main
//   python3 -m http.server -d OUT 8000 &
//   node pagefind_compare.mjs http://127.0.0.1:8000/ ../search_queries.tsv
//
// Prints {recall, first_query_bytes, misses}: a query counts as found when every expected
// path is among Pagefind's results; the first query's bytes are what /pagefind/ sent.
import { readFileSync } from 'node:fs';

import { deadline, launch, parseArgs } from './lib.mjs';

deadline(300_000, 'pagefind_compare.mjs');
const { rest } = parseArgs(process.argv.slice(2));
const [site, table] = rest;
const queries = readFileSync(table, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
  const [q, e = ''] = l.split('\t');
  return { q, expected: e.trim() === '-' ? [] : e.trim().split(/\s+/) };
});
const browser = await launch();
const misses = [];
let firstBytes = null;
for (const [i, { q, expected }] of queries.entries()) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', async (r) => { if (r.url().includes('/pagefind/')) { try { bytes += (await r.body()).length; } catch { /* none */ } } });
  await page.goto(site, { waitUntil: 'networkidle' });
  const urls = await page.evaluate(async (query) => {
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    const r = await pf.search(query);
    const data = await Promise.all(r.results.map((x) => x.data()));
    return data.map((d) => d.url);
  }, q);
  await page.waitForLoadState('networkidle');
  if (i === 0) firstBytes = bytes;
  const got = urls.map((u) => u.replace(/^\//, '').replace(/index\.html$/, ''));
  const missing = expected.filter((e) => !got.includes(e));
  const wrongEmpty = expected.length === 0 && got.length > 0;
  if (missing.length || wrongEmpty) misses.push({ q, missing, got });
  await context.close();
}
await browser.close();
process.stdout.write(JSON.stringify({ recall: `${queries.length - misses.length}/${queries.length}`, first_query: queries[0].q, first_query_bytes: firstBytes, misses }, null, 2) + '\n');
