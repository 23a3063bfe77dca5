/* As-you-type suggestions for the header search box (templates/base.html).
 *
 * Without this script the box is a plain GET form to /search/. With it, the box becomes an
 * ARIA combobox: after a short pause it asks /api/v1/search/suggest/?q= and lists the answers
 * in a listbox; arrow keys move through them, Enter or a tap picks one (its text is searched),
 * Escape closes the list. No framework, no CDN.
 */
(function () {
  "use strict";

  var DELAY_MS = 180;
  var MIN_CHARS = 2;

  function setUp(form) {
    var input = form.querySelector("input[name=q]");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) return;
    var language = form.getAttribute("data-language") || "";
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    form.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var pending = null;
    var active = -1;
    var asked = "";

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      input.value = option.getAttribute("data-text");
      close();
      form.submit();
    }

    function show(suggestions) {
      list.textContent = "";
      active = -1;
      // Picking searches the text: two products of the same name are one suggestion.
      var seen = {};
      suggestions = suggestions.filter(function (suggestion) {
        var key = suggestion.kind + ":" + suggestion.text.toLowerCase();
        if (seen[key]) return false;
        seen[key] = true;
        return true;
      });
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-text", suggestion.text);
        item.setAttribute("data-kind", suggestion.kind);
        item.appendChild(document.createTextNode(suggestion.text));
        var label = input.getAttribute("data-kind-" + suggestion.kind);
        if (label) {
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = label;
          item.appendChild(kind);
        }
        // mousedown, not click: the input keeps its focus, so the list is still there.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(item);
        });
        list.appendChild(item);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < MIN_CHARS) {
        asked = "";
        close();
        return;
      }
      if (text === asked) return;
      asked = text;
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      var query = "?q=" + encodeURIComponent(text) + (language ? "&language=" + language : "");
      fetch(url + query, {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (input.value.trim() === text) show(body.suggestions || []);
        })
        .catch(function () {
          /* aborted or offline: the plain form still works */
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && options().length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          highlight(0);
          event.preventDefault();
        }
        return;
      }
      if (event.key === "ArrowDown") {
        highlight(active + 1);
        event.preventDefault();
      } else if (event.key === "ArrowUp") {
        highlight(active - 1);
        event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        pick(options()[active]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
        event.preventDefault();
      }
    });

    input.addEventListener("blur", close);
  }

  function start() {
    var forms = document.querySelectorAll("form[data-suggest-url]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
