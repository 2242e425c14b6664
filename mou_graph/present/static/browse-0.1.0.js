/* mou-graph browser 0.1.0: client-side search for the static (offline) copy.
   The index is a script (search-index.js) that sets window.MOU_GRAPH_INDEX, because pages
   opened from file:// cannot fetch() JSON. Results are built with DOM calls and textContent
   only (never innerHTML). The server's pages do not need this file. */
(function () {
  "use strict";

  /* Folding and scoring follow the rules the index carries (index.rules, written from
     mou_graph/present/search-rules.json), exactly as mou_graph/present/search.py applies them;
     tests/test_search_parity.py runs both on generated queries. Lengths and slices count code
     points (Array.from), as Python's str does. */
  function classOf(chars) {
    return chars.replace(/[\\\]\^\-]/g, "\\$&");
  }

  function compile(rules) {
    if (rules.compiled) { return rules.compiled; }
    var c = {
      spaces: new RegExp("[" + classOf(rules.spaces) + "]+", "g"),
      folds: rules.fold.map(function (f) {
        return { re: new RegExp(classOf(f.mark) + "([" + classOf(f.tones) + "]?)" + classOf(f.vowel), "g"),
                 composed: f.composed };
      }),
      thai: new RegExp("[" + rules.thai + "]"),
      unspaced: new RegExp("[" + rules.scripts_without_spaces + "]"),
      punct: Array.from(rules.punctuation)
    };
    rules.compiled = c;
    return c;
  }

  function fold(text, rules) {
    var c = compile(rules);
    text = text.normalize("NFC");
    c.folds.forEach(function (f) {
      text = text.replace(f.re, function (m, tone) { return tone + f.composed; });
    });
    return text;
  }

  function stripSpaces(text) {
    return text.replace(/^ +| +$/g, "");
  }

  function normalise(text, rules) {
    return stripSpaces(fold(text, rules).toLowerCase().replace(compile(rules).spaces, " "));
  }

  function stripChars(text, chars) {
    var cps = Array.from(text), a = 0, b = cps.length;
    while (a < b && chars.indexOf(cps[a]) >= 0) { a += 1; }
    while (b > a && chars.indexOf(cps[b - 1]) >= 0) { b -= 1; }
    return cps.slice(a, b).join("");
  }

  function prepare(index) {
    if (index.prepared) { return index.prepared; }
    var vocabulary = new Set(), longest = 1;
    var items = index.entries.map(function (e) {
      e.tokens.forEach(function (t) {
        vocabulary.add(t);
        longest = Math.max(longest, Array.from(t).length);
      });
      return { entry: e, tokens: new Set(e.tokens) };
    });
    index.prepared = { items: items, vocabulary: vocabulary, longest: longest };
    return index.prepared;
  }

  function queryWords(q, index) {
    var rules = index.rules, c = compile(rules), p = prepare(index), out = [];
    q.split(" ").forEach(function (raw) {
      var chunk = stripChars(raw, c.punct);
      if (!chunk) { return; }
      if (!c.unspaced.test(chunk)) { out.push(chunk); return; }
      var cps = Array.from(chunk), unknown = "", i = 0;
      while (i < cps.length) {
        var j = Math.min(cps.length, i + p.longest), found = -1;
        for (; j > i; j -= 1) {
          if (p.vocabulary.has(cps.slice(i, j).join(""))) { found = j; break; }
        }
        if (found < 0) { unknown += cps[i]; i += 1; continue; }
        if (unknown) { out.push(unknown); unknown = ""; }
        out.push(cps.slice(i, found).join(""));
        i = found;
      }
      if (unknown) { out.push(unknown); }
    });
    return out;
  }

  function score(item, q, qWords, match) {
    var e = item.entry, w = e.weight, norm = e.norm;
    if (norm === q) { return w * match.exact; }
    if (item.tokens.has(q) || (qWords.length > 1 && norm.indexOf(q) >= 0 &&
                               qWords.every(function (x) { return item.tokens.has(x); }))) {
      return w * match.words;
    }
    if (norm.startsWith(q)) { return w * match.start; }
    if (norm.indexOf(q) >= 0) { return w * match.inside; }
    if (qWords.length > 1 && qWords.every(function (x) { return norm.indexOf(x) >= 0; })) {
      return w * match.scattered;
    }
    return 0;
  }

  function search(index, query) {
    var rules = index.rules, roman = rules.romanised;
    var q = stripSpaces(Array.from(normalise(query || "", rules)).slice(0, rules.max_query).join(""));
    if (!q) { return []; }
    var qWords = queryWords(q, index);
    var latin = compile(rules).thai.test(q) ? "" : q.replace(/[^a-z0-9]/g, "");
    var latinLength = Array.from(latin).length;
    var best = {};
    prepare(index).items.forEach(function (item) {
      var e = item.entry, s = score(item, q, qWords, rules.match), field = e.field;
      if (!s && e.roman && latinLength >= roman.min_length && e.roman.indexOf(latin) >= 0) {
        s = roman.weight * (e.roman.startsWith(latin) ? roman.start : roman.inside);
        field = "romanised";
      }
      if (!s) { return; }
      var old = best[e.iri];
      if (!old || s > old.score || (s === old.score && Array.from(e.text).length < Array.from(old.text).length)) {
        best[e.iri] = { iri: e.iri, score: s, field: field, lang: e.lang, text: e.text };
      }
    });
    return Object.values(best).sort(function (a, b) {
      return b.score - a.score || (a.iri < b.iri ? -1 : a.iri > b.iri ? 1 : 0);
    }).slice(0, rules.limit);
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
      /* the field and the language in words, in the page's language (data-fields, data-languages) */
      var fields = JSON.parse(box.dataset.fields || "{}"), languages = JSON.parse(box.dataset.languages || "{}");
      matched.textContent = " " + box.dataset.matched + " " + (fields[h.field] || h.field) +
        (h.lang ? " " + (languages[h.lang] || h.lang) : "") + ": ";
      var quote = document.createElement("q");
      if (h.lang) { quote.lang = h.lang; }
      quote.textContent = h.text;
      matched.appendChild(quote);
      li.appendChild(matched);
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  if (typeof module !== "undefined" && module.exports) {  /* node, for tests/test_search_parity.py */
    module.exports = { fold: fold, normalise: normalise, queryWords: queryWords, search: search };
    return;
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
