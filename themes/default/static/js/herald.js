/* 宣页 Herald default theme: small, optional enhancements.
   Every page is fully readable without this file; buttons it drives are rendered
   with the `hidden` attribute and only revealed here, so no dead controls remain
   when scripts are off. The large-text choice is applied before paint by an inline
   script in <head> (same storage key). */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "herald:large-text";

  function remember(on) {
    try {
      if (on) localStorage.setItem(KEY, "1");
      else localStorage.removeItem(KEY);
    } catch (e) { /* private mode or storage disabled: the toggle still works for this page */ }
  }

  var actions = {
    "large-text": function (btn) {
      btn.setAttribute("aria-pressed", root.classList.contains("large-text") ? "true" : "false");
      btn.addEventListener("click", function () {
        var on = root.classList.toggle("large-text");
        btn.setAttribute("aria-pressed", on ? "true" : "false");
        remember(on);
      });
      return true;
    },
    "print": function (btn) {
      if (typeof window.print !== "function") return false;
      btn.addEventListener("click", function () { window.print(); });
      return true;
    },
    "share": function (btn) {
      // The Web Share API (not available inside WeChat, which has its own share menu).
      if (!navigator.share) return false;
      btn.addEventListener("click", function () {
        var canonical = document.querySelector('link[rel="canonical"]');
        navigator.share({
          title: document.title,
          url: canonical ? canonical.href : location.href
        }).catch(function () { /* dismissed */ });
      });
      return true;
    }
  };

  function init() {
    var buttons = document.querySelectorAll("button[data-action]");
    for (var i = 0; i < buttons.length; i++) {
      var btn = buttons[i];
      var setup = actions[btn.getAttribute("data-action")];
      if (setup && setup(btn)) btn.hidden = false;
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
