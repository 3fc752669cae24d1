// Herald live preview: reload on change, swap stylesheets, show build errors. Injected by
// `herald serve` only; `herald build` output never contains it.
(function () {
  var key = "herald-scroll:" + location.pathname;
  try {
    var y = sessionStorage.getItem(key);
    if (y !== null) {
      sessionStorage.removeItem(key);
      var restore = function () { window.scrollTo(0, +y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) {}
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "herald-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;overflow:auto;padding:2em;font:15px/1.6 ui-monospace,Menlo,Consolas,monospace";
      var h = document.createElement("div");
      h.textContent = "宣页 Herald：生成出错 / build error — 修改并保存文件后，此提示会自动消失";
      h.style.cssText = "font:bold 17px/1.5 system-ui,sans-serif;margin-bottom:1em;color:#ffb4a9";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      overlay.appendChild(h);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  var es = new EventSource("/__herald/events");
  es.addEventListener("reload", function () {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
  });
  es.addEventListener("css", function () {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href, location.href);
      u.searchParams.set("herald", Date.now());
      l.href = u.toString();
    });
  });
  es.addEventListener("build-error", function (ev) { show(ev.data); });
  es.addEventListener("build-ok", hide);
})();
