/* mou-graph browser 0.1.0: client-side search for the static (offline) copy.
   The index is a script (search-index.js) that sets window.MOU_GRAPH_INDEX, because pages
   opened from file:// cannot fetch() JSON. Results are built with DOM calls and textContent
   only (never innerHTML). The server's pages do not need this file. */
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFC").toLowerCase().replace(/[\s\u00a0]+/g, " ").trim();
  }

  function words(text) {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      var seg = new Intl.Segmenter("th", { granularity: "word" });
      var out = [];
      for (var part of seg.segment(text)) {
        if (part.isWordLike) { out.push(part.segment); }
      }
      return out;
    }
    return text.split(" ").filter(Boolean);
  }

  function score(item, q, qWords) {
    var w = item.weight, norm = item.norm;
    if (norm === q) { return w * 10; }
    if (item.tokens.indexOf(q) >= 0) { return w * 6; }
    if (norm.startsWith(q)) { return w * 5; }
    if (norm.indexOf(q) >= 0) { return w * 4; }
    if (qWords.length > 1 && qWords.every(function (x) { return norm.indexOf(x) >= 0; })) { return w * 2; }
    return 0;
  }

  function search(index, query) {
    var q = normalise(query).slice(0, 200);
    if (!q) { return []; }
    var qWords = words(q);
    var latin = /[\u0e00-\u0e7f]/.test(q) ? "" : q.replace(/[^a-z0-9]/g, "");
    var best = {};
    index.entries.forEach(function (item) {
      var s = score(item, q, qWords), field = item.field;
      if (!s && item.roman && latin.length >= 3 && item.roman.indexOf(latin) >= 0) {
        s = 7 * (item.roman.startsWith(latin) ? 3 : 2);
        field = "romanised";
      }
      if (!s) { return; }
      var old = best[item.iri];
      if (!old || s > old.score || (s === old.score && item.text.length < old.text.length)) {
        best[item.iri] = { iri: item.iri, score: s, field: field, lang: item.lang, text: item.text };
      }
    });
    return Object.values(best).sort(function (a, b) {
      return b.score - a.score || (a.iri < b.iri ? -1 : a.iri > b.iri ? 1 : 0);
    }).slice(0, 50);
  }

  function render(box, index, query) {
    var lang = box.dataset.lang;
    var hits = search(index, query);
    var heading = document.createElement("h2");
    heading.id = "results-heading";
    heading.textContent = box.dataset.results + " (" + hits.length + ")";
    box.appendChild(heading);
    if (!hits.length) {
      var none = document.createElement("p");
      none.className = "no-results";
      none.textContent = box.dataset.none;
      box.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    list.className = "results";
    list.setAttribute("aria-labelledby", "results-heading");
    hits.forEach(function (h) {
      var entity = index.entities[h.iri];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = entity.path;
      a.textContent = entity.labels[lang];
      li.appendChild(a);
      var matched = document.createElement("span");
      matched.className = "matched";
      matched.textContent = " " + box.dataset.matched + " " + h.field + (h.lang ? " " + h.lang : "") + ": ";
      var quote = document.createElement("q");
      if (h.lang) { quote.lang = h.lang; }
      quote.textContent = h.text;
      matched.appendChild(quote);
      li.appendChild(matched);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("search-results");
    if (!box) { return; }
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var input = document.getElementById("q");
    if (input) { input.value = query; }
    if (!query) { return; }
    var index = window.MOU_GRAPH_INDEX;
    if (index) { render(box, index, query); return; }
    var script = document.createElement("script");
    script.src = box.dataset.index;
    script.onload = function () { render(box, window.MOU_GRAPH_INDEX, query); };
    document.head.appendChild(script);
  });
}());
