/* 宣页 Herald: site search, reading the index `herald build` writes under search/.
   Nothing is fetched until a query is typed (or given as ?q=). A query is split at spaces
   into terms; every term is folded as the index was (src/search/fold.rs: Traditional →
   Simplified, full-width → half-width, lower case, punctuation dropped), its character
   pairs are looked up in the index shards, and the pages that have all of them are checked
   for the whole term in their text, which also gives the excerpt. Title and brand matches
   come first, then the rest, newest first within each. */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("[data-search-form]");
  if (!script || !form) return;
  var base = script.getAttribute("data-index");
  var input = form.querySelector("[data-search-input]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var empty = document.querySelector("[data-search-empty]");
  var echo = document.querySelector("[data-search-echo]");
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var PAGE = 10;
  var KEPT = "+%#&@";
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var meta = null;
  var cache = {};
  var fold = {};
  var run = 0;
  var current = null;

  function decode(buf, encoding) {
    var bytes = new Uint8Array(buf);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      if (typeof DecompressionStream === "undefined") {
        return Promise.reject(new Error("old browser"));
      }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text().then(JSON.parse);
    }
    // Page files are UTF-16LE, the rest UTF-8; an index shard a web server sent gzip-encoded
    // is already unpacked.
    return Promise.resolve(JSON.parse(new TextDecoder(encoding).decode(bytes)));
  }

  function get(path) {
    if (!cache[path]) {
      var url = base + path + (meta ? "?k=" + meta.key : "");
      cache[path] = fetch(url, meta ? {} : { cache: "no-cache" }).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.arrayBuffer();
      }).then(function (buf) { return decode(buf, path.slice(0, 2) === "d/" ? "utf-16le" : "utf-8"); });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  function loadMeta() {
    if (meta) return Promise.resolve(meta);
    return get("meta.json").then(function (m) { meta = m; return m; });
  }

  function ascii(c, push) {
    if (/[0-9a-z]/i.test(c)) push(c.toLowerCase());
    else if (KEPT.indexOf(c) >= 0) push(c);
  }

  /* The same function as fold_char in src/search/fold.rs. */
  function foldChar(c, table, push) {
    var cp = c.codePointAt(0);
    if (cp < 128) return ascii(c, push);
    if (cp >= 0x3400 && cp < 0xa000) return push(table[c] || c);
    for (var d of c.normalize("NFKC")) {
      if (d.codePointAt(0) < 128) ascii(d, push);
      else if (WORD.test(d)) push(table[d] || d);
    }
  }

  /* Folds `text`; `at[i]` is the index (in code points of `chars`) the i-th folded character came from. */
  function folded(text, table) {
    var chars = Array.from(text);
    var out = [];
    var at = [];
    chars.forEach(function (c, i) {
      foldChar(c, table, function (d) { out.push(d); at.push(i); });
    });
    return { chars: chars, text: out.join(""), list: out, at: at };
  }

  function loadFold(q) {
    var need = {};
    for (var c of q) {
      for (var d of (c + c.normalize("NFKC"))) {
        if (d.codePointAt(0) >= 128) need[d.codePointAt(0) % meta.fold] = true;
      }
    }
    return Promise.all(Object.keys(need).map(function (n) {
      return get("f/" + n + ".json").then(function (t) { Object.assign(fold, t); });
    }));
  }

  function fnv(token) {
    var h = 0x811c9dc5;
    for (var c of token) {
      h ^= c.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % meta.shards;
  }

  function postings(s) {
    var out = [];
    if (!s) return out;
    var i, v = 0, prev = -1;
    if (s[0] === "=") {
      for (i = 1; i < s.length; i++) {
        var b = DIGITS.indexOf(s[i]);
        for (var k = 0; k < 6; k++) if (b >> k & 1) out.push((i - 1) * 6 + k);
      }
      return out;
    }
    for (i = 0; i < s.length; i++) {
      var d = DIGITS.indexOf(s[i]);
      v = v * 32 + (d & 31);
      if (d < 32) { prev += v + 1; out.push(prev); v = 0; }
    }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /* The pairs a term is looked up by: every other pair and the last one cover it. */
  function tokens(chars) {
    if (chars.length === 1) return [chars[0]];
    var out = [];
    for (var i = 0; i + 1 < chars.length; i += 2) out.push(chars[i] + chars[i + 1]);
    if (chars.length % 2 === 1) out.push(chars[chars.length - 2] + chars[chars.length - 1]);
    return out;
  }

  function lookup(token) {
    return get("i/" + fnv(token) + ".bin").then(function (shard) {
      var e = shard[token];
      return e ? { all: postings(e[0]), heading: postings(e[1]) } : { all: [], heading: [] };
    });
  }

  /* Candidates for all terms, title and brand matches first (by how many terms they have). */
  function candidates(terms) {
    return Promise.all(terms.map(function (t) {
      return Promise.all(tokens(t.list).map(lookup));
    })).then(function (perTerm) {
      var all = null;
      var score = {};
      perTerm.forEach(function (lists) {
        var a = lists[0].all, h = lists[0].heading;
        lists.slice(1).forEach(function (l) { a = intersect(a, l.all); h = intersect(h, l.heading); });
        all = all === null ? a : intersect(all, a);
        h.forEach(function (id) { score[id] = (score[id] || 0) + 1; });
      });
      all = all || [];
      return all.slice().sort(function (x, y) { return (score[y] || 0) - (score[x] || 0) || x - y; });
    });
  }

  function doc(id) {
    return get("d/" + id + ".bin").then(function (d) {
      var table = Object.assign({}, fold);
      var f = Array.from(d.f || "");
      for (var i = 0; i + 1 < f.length; i += 2) table[f[i]] = f[i + 1];
      d.table = table;
      return d;
    });
  }

  function has(text, term, table) {
    return folded(text, table).text.indexOf(term.text) >= 0;
  }

  function matches(d, terms) {
    var texts = [d.t].concat(d.b, d.x, [d.c]);
    return terms.every(function (t) {
      return texts.some(function (x) { return has(x, t, d.table); });
    });
  }

  /* Ranges [start, end) of `text` (in code points) where a term occurs. */
  function ranges(f, terms) {
    var out = [];
    terms.forEach(function (t) {
      var from = 0, i;
      while ((i = f.text.indexOf(t.text, from)) >= 0) {
        var first = Array.from(f.text.slice(0, i)).length;
        var n = t.list.length;
        out.push([f.at[first], f.at[first + n - 1] + 1]);
        from = i + t.text.length;
      }
    });
    return out.sort(function (a, b) { return a[0] - b[0]; });
  }

  function marked(el, chars, rs, from, to) {
    var pos = from;
    rs.forEach(function (r) {
      var s = Math.max(r[0], pos), e = Math.min(r[1], to);
      if (e <= s) return;
      el.appendChild(document.createTextNode(chars.slice(pos, s).join("")));
      var m = document.createElement("mark");
      m.textContent = chars.slice(s, e).join("");
      el.appendChild(m);
      pos = e;
    });
    el.appendChild(document.createTextNode(chars.slice(pos, to).join("")));
  }

  function dateZh(iso) {
    var p = iso.split("-");
    if (p.length === 3) return p[0] + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
    if (p.length === 2) return p[0] + "年" + Number(p[1]) + "月";
    return p[0] ? p[0] + "年" : "";
  }

  function render(d, terms) {
    var li = document.createElement("li");
    li.className = "search-result";
    var h = document.createElement("h2");
    h.className = "search-result__title";
    var a = document.createElement("a");
    a.href = d.u;
    var ft = folded(d.t, d.table);
    marked(a, ft.chars, ranges(ft, terms), 0, ft.chars.length);
    h.appendChild(a);
    li.appendChild(h);
    var m = document.createElement("p");
    m.className = "search-result__meta";
    var bits = [];
    if (d.b.length) bits.push(d.b.join("、"));
    m.textContent = bits.join("");
    if (d.d) {
      if (bits.length) m.appendChild(document.createTextNode(" · "));
      var time = document.createElement("time");
      time.dateTime = d.d;
      time.textContent = dateZh(d.d);
      m.appendChild(time);
    }
    li.appendChild(m);
    var fb = folded(d.c.replace(/\s+/g, " "), d.table);
    var rs = ranges(fb, terms);
    var start = rs.length ? Math.max(0, rs[0][0] - 30) : 0;
    var end = Math.min(fb.chars.length, start + 110);
    var p = document.createElement("p");
    p.className = "search-result__excerpt";
    if (start > 0) p.appendChild(document.createTextNode("…"));
    marked(p, fb.chars, rs, start, end);
    if (end < fb.chars.length) p.appendChild(document.createTextNode("…"));
    li.appendChild(p);
    return li;
  }

  function say(text) { status.textContent = text; }

  function counted(s) {
    if (s.shown === 0 && s.pos >= s.order.length) {
      say("");
      echo.textContent = s.query;
      empty.hidden = false;
      more.hidden = true;
      return;
    }
    var known = s.exact || s.pos >= s.order.length;
    var n = known ? s.order.length - s.rejected : s.order.length;
    say((known ? "找到 " : "约 ") + n + " 条结果");
    more.hidden = s.pos >= s.order.length;
  }

  /* Shows the next page of verified results. */
  function next(s) {
    var target = s.shown + PAGE;
    function step() {
      if (s !== current) return Promise.resolve();
      if (s.shown >= target || s.pos >= s.order.length) return Promise.resolve(counted(s));
      var batch = s.order.slice(s.pos, s.pos + (target - s.shown));
      s.pos += batch.length;
      return Promise.all(batch.map(doc)).then(function (docs) {
        if (s !== current) return;
        docs.forEach(function (d) {
          if (s.exact || matches(d, s.terms)) {
            list.appendChild(render(d, s.terms));
            s.shown++;
          } else {
            s.rejected++;
          }
        });
        return step();
      });
    }
    return step();
  }

  function search(q) {
    var mine = ++run;
    list.textContent = "";
    empty.hidden = true;
    more.hidden = true;
    current = null;
    var text = q.normalize("NFKC").trim();
    if (!text) { say(""); return; }
    say("正在搜索…");
    loadMeta().then(function () { return loadFold(text); }).then(function () {
      var seen = {};
      var terms = text.split(/\s+/).map(function (w) { return folded(w, fold); })
        .filter(function (t) { return t.list.length && !seen[t.text] && (seen[t.text] = true); });
      if (!terms.length) { say("请输入要找的文字。"); return; }
      return candidates(terms).then(function (order) {
        if (mine !== run) return;
        // A term of one or two characters is found exactly by its own list.
        var exact = terms.every(function (t) { return t.list.length <= 2; });
        current = { query: q, terms: terms, order: order, pos: 0, shown: 0, rejected: 0, exact: exact };
        return next(current);
      });
    }).catch(function () {
      if (mine === run) say("搜索索引没能读取：请刷新页面再试（直接打开本地文件时无法搜索，请用 herald serve 预览）。");
    });
  }

  var timer = 0;
  function update(replace) {
    var q = input.value;
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    search(q);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(true); }, 200);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update(false);
  });
  more.addEventListener("click", function () { if (current) next(current); });
  window.addEventListener("popstate", function () {
    input.value = new URL(location.href).searchParams.get("q") || "";
    search(input.value);
  });
  var initial = new URL(location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
