// The query page: the catalogue's questions and free SPARQL, on the server (/api/queries/NAME, /sparql)
// or, in the static site, in the page itself (Oxigraph compiled to WebAssembly, window.oxigraph, over
// the copy's own data, window.MOU_GRAPH_QUERY). The answer is shown under the question that was asked,
// its table scrolls in its own box, and IRIs of the graph's own entities link to their pages.
// In the static site the parameters are read here by the rules of mou_graph/query/params.py (a
// Buddhist-Era year of 2400 or more loses 543; an entity may be named by a label); the server
// reads them there. No external resources.
"use strict";
(function () {
  const root = document.getElementById("query-page");
  if (!root) return;
  const lang = root.dataset.lang || "th";
  const mode = root.dataset.mode;
  const base = root.dataset.base;
  const M = JSON.parse(root.dataset.messages || "{}");
  const say = (key, vars) => (M[key] || key).replace(/\{(\w+)\}/g, (all, k) => (vars && k in vars ? String(vars[k]) : all));
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  const notes = document.getElementById("notes");
  const table = document.getElementById("table");
  const downloads = document.getElementById("downloads");
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const GRAPH_FORMS = ["CONSTRUCT", "DESCRIBE"];

  class Refused extends Error {}

  // -- where an IRI leads -----------------------------------------------------------------
  function pageOf(iri) {
    if (!iri.startsWith(base) || iri.length === base.length) return null;
    if (mode === "static") {
      const pages = (window.MOU_GRAPH_QUERY || {}).pages || {};
      return pages[iri] || null;
    }
    const rest = iri.slice(base.length).split("/").map(encodeURIComponent).join("/");
    return "/page/" + rest + "?lang=" + encodeURIComponent(lang);
  }

  function cell(term) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") {
      const href = pageOf(term.value);
      const text = term.value.startsWith(base) ? "id:" + term.value.slice(base.length) : term.value;
      if (!href) { const code = document.createElement("code"); code.textContent = text; return code; }
      const a = document.createElement("a");
      a.href = href; a.textContent = text; a.title = term.value;
      return a;
    }
    if (term.type === "bnode") return document.createTextNode("_:" + term.value);
    if (term.type === "triple") {  // a triple term (SPARQL 1.2 TRIPLE()), written as in N-Triples 1.2
      const triple = document.createElement("span");
      const parts = term.value || {};
      triple.className = "triple";
      triple.append("<<( ", cell(parts.subject), " ", cell(parts.predicate), " ", cell(parts.object), " )>>");
      return triple;
    }
    const span = document.createElement("span");
    span.textContent = term.value;
    if (term["xml:lang"]) span.lang = term["xml:lang"];
    return span;
  }

  // -- showing an answer -------------------------------------------------------------------
  function place(after) {
    after.insertAdjacentElement("afterend", results);
    results.hidden = false;
  }

  function start(after) {
    place(after);
    status.className = ""; status.textContent = say("q_running");
    notes.textContent = ""; table.textContent = ""; downloads.textContent = "";
  }

  function fail(message) {
    status.className = "error";
    status.textContent = say("q_error") + ": " + message;
    results.scrollIntoView({ block: "nearest" });
  }

  function addNotes(list) {
    list.forEach((text) => { const li = document.createElement("li"); li.textContent = text; notes.appendChild(li); });
  }

  function offer(links) {
    if (!links.length) return;
    downloads.textContent = say("q_download") + ": ";
    links.forEach(([name, href, file], i) => {
      const a = document.createElement("a");
      a.href = href; a.textContent = name; a.download = file;
      if (i) downloads.appendChild(document.createTextNode(" · "));
      downloads.appendChild(a);
    });
  }

  function render(body, graph) {
    if (graph) {
      const lines = body.split("\n").filter((l) => l.trim());
      status.textContent = say("q_triples", { n: lines.length });
      const pre = document.createElement("pre"); pre.textContent = body; table.appendChild(pre);
    } else {
      const doc = JSON.parse(body);
      if ("boolean" in doc) {
        status.textContent = doc.boolean ? say("q_true") : say("q_false");
      } else {
        const vars = doc.head.vars, rows = doc.results.bindings;
        status.textContent = say("q_rows", { n: rows.length });
        const tab = document.createElement("table"), head = tab.createTHead().insertRow();
        vars.forEach((v) => { const th = document.createElement("th"); th.scope = "col"; th.textContent = v; head.appendChild(th); });
        const tbody = tab.createTBody();
        rows.forEach((b) => { const tr = tbody.insertRow(); vars.forEach((v) => tr.insertCell().appendChild(cell(b[v]))); });
        table.appendChild(tab);
      }
    }
    results.scrollIntoView({ block: "start" });
  }

  const isGraph = (text) => GRAPH_FORMS.includes(formOf(text));
  function formOf(text) {
    const bare = text.replace(/#[^\n]*/g, "").replace(/^\s*(PREFIX|BASE)\b[^\n]*$/gim, "");
    const m = /\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b/i.exec(bare);
    return m ? m[1].toUpperCase() : "SELECT";
  }

  // -- the server ----------------------------------------------------------------------------
  async function fetchAnswer(url, graph) {
    const accept = graph ? "application/n-triples" : "application/sparql-results+json";
    let response;
    try { response = await fetch(url, { headers: { Accept: accept } }); }
    catch (err) { fail(String(err)); return; }
    const body = await response.text();
    if (!response.ok) { fail(body.trim()); return; }
    const note = response.headers.get("mou-graph-note");
    if (note) addNotes(decodeURIComponent(note).split("\n"));
    const formats = graph ? ["turtle", "nt", "jsonld", "rdfxml"] : ["json", "xml", "csv", "tsv"];
    offer(formats.map((f) => [f, url + (url.includes("?") ? "&" : "?") + "format=" + f, "results." + f]));
    render(body, graph);
  }

  // -- the page itself (static site) --------------------------------------------------------
  let engine = null;
  async function localStore() {
    if (!engine) {
      status.textContent = say("q_loading");
      engine = window.oxigraphReady.then((ox) => {
        const store = new ox.Store();
        store.load(window.MOU_GRAPH_QUERY.quads, { format: "application/n-quads" });
        return store;
      });
    }
    return engine;
  }

  const DIGITS = "๐๑๒๓๔๕๖๗๘๙";
  const LAO_DIGITS = "໐໑໒໓໔໕໖໗໘໙";
  const IRI_LIKE = /^[A-Za-z0-9_~:/#?&=%+.@-]+$/;
  const IRI_BAD = /[<>"{}|^`\\\u0000-\u0020]/;
  const fold = (s) => s.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  const literal = (s) => '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';

  function absolute(param, value) {
    const data = window.MOU_GRAPH_QUERY;
    let iri = value.startsWith("<") && value.endsWith(">") ? value.slice(1, -1) : value;
    if (iri.startsWith("id:")) iri = iri.slice(3);
    const colon = iri.indexOf(":");
    if (colon > 0 && data.prefixes[iri.slice(0, colon)] && !iri.slice(colon + 1).startsWith("//")) {
      iri = data.prefixes[iri.slice(0, colon)] + iri.slice(colon + 1);
    }
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(iri)) iri = data.base + iri;
    if (!iri || IRI_BAD.test(iri)) throw new Refused(say("q_not_iri", { param, given: value }));
    return iri;
  }

  // one value as an RDF term in SPARQL syntax, and a note when it was not taken as written
  function read(p, value, said) {
    const data = window.MOU_GRAPH_QUERY;
    if (p.values && p.values.length && !p.values.includes(value)) {
      throw new Refused(say("q_not_value", { param: p.name, given: value, values: p.values.join(", ") }));
    }
    if (p.type === "date") {
      const text = value.trim().replace(/[๐-๙]/g, (d) => String(DIGITS.indexOf(d))).replace(/[໐-໙]/g, (d) => String(LAO_DIGITS.indexOf(d)));
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m) throw new Refused(say("q_not_date", { param: p.name, given: value }));
      let year = Number(m[1]);
      const be = year >= data.be.from;
      if (be) year -= data.be.offset;
      const day = new Date(0);
      day.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));  // (Date.UTC reads a year below 100 as 19xx)
      if (day.getUTCFullYear() !== year || day.getUTCMonth() !== Number(m[2]) - 1 || day.getUTCDate() !== Number(m[3])) {
        throw new Refused(say("q_not_date", { param: p.name, given: value }));
      }
      const iso = String(year).padStart(4, "0") + "-" + m[2] + "-" + m[3];
      if (be) said.push(say("q_be_note", { param: p.name, given: value, be: m[1], ce: String(year).padStart(4, "0"), iso }));
      return literal(iso) + "^^<" + XSD + "date>";
    }
    if (p.type === "integer") {
      if (!/^[+-]?\d+$/.test(value.trim())) throw new Refused(say("q_not_integer", { param: p.name, given: value }));
      return literal(String(parseInt(value, 10))) + "^^<" + XSD + "integer>";
    }
    if (p.type === "iri") {
      value = value.trim();
      if (value.startsWith("<") && value.endsWith(">")) value = value.slice(1, -1).trim();  // <IRI>, as in SPARQL
      if (IRI_LIKE.test(value)) {
        const iri = absolute(p.name, value);
        // a path under the base that names nothing may be a label ("E-commerce"), as in the core
        if (iri !== data.base + value || knows(iri)) return "<" + iri + ">";
      }
      let found = (data.labels[fold(value)] || []).slice();
      if (found.length > 1 && p.example && IRI_LIKE.test(p.example)) {
        const kinds = data.types[absolute(p.name, p.example)] || [];
        const narrowed = found.filter((i) => (data.types[i] || []).some((t) => kinds.includes(t)));
        if (narrowed.length) found = narrowed;
      }
      if (!found.length) throw new Refused(say("q_no_label", { param: p.name, given: value }));
      if (found.length > 1) throw new Refused(say("q_many_labels", { param: p.name, given: value, iris: found.slice(0, 10).join(", ") }));
      said.push(say("q_label_note", { param: p.name, given: value, iri: found[0] }));
      return "<" + found[0] + ">";
    }
    return literal(value);
  }

  // typed or labelled in the graph (the core's Labels.knows)
  function knows(iri) {
    const rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", skos = "http://www.w3.org/2004/02/skos/core#";
    const text = "ASK { VALUES ?p { <" + rdf + "> <" + skos + "prefLabel> <http://www.w3.org/2000/01/rdf-schema#label> } <" + iri + "> ?p ?o }";
    return knownStore.query(text, { use_default_graph_as_union: true }) === true;
  }
  let knownStore = null;

  function bound(name, values, said) {
    const q = window.MOU_GRAPH_QUERY.questions[name];
    const vars = ["lang"], terms = [literal(lang)];
    q.fixed.forEach((f) => { vars.push(f.name); terms.push(read(f, f.value, [])); });
    q.params.forEach((p) => {
      const value = values.has(p.name) && values.get(p.name) !== "" ? values.get(p.name) : p.default;
      if (value === null || value === undefined) throw new Refused(say("q_missing", { param: p.name }));
      vars.push(p.name); terms.push(read(p, value, said));
    });
    const block = " VALUES (" + vars.map((v) => "?" + v).join(" ") + ") { (" + terms.join(" ") + ") }";
    return q.text.slice(0, q.where) + block + q.text.slice(q.where);
  }

  async function ask(text, graph) {
    const store = await localStore();
    const options = { results_format: graph ? "application/n-triples" : "application/sparql-results+json" };
    if (!/\bFROM\b/i.test(text.replace(/#[^\n]*/g, ""))) options.use_default_graph_as_union = true;
    let body;
    try { body = store.query(text, options); }
    catch (err) { fail(String(err && err.message ? err.message : err)); return; }
    const type = graph ? "application/n-triples" : "application/sparql-results+json";
    offer([[graph ? "nt" : "json", URL.createObjectURL(new Blob([body], { type })), graph ? "results.nt" : "results.json"]]);
    render(body, graph);
  }

  // the reading of one value, for the parity test with the core (tests/test_query_params.py)
  if (mode === "static") {
    window.mouGraphQuery = {
      ready: async () => { knownStore = await localStore(); },
      read: (p, value) => {
        const said = [];
        try { return { term: read(p, value, said), notes: said.length }; }
        catch (err) { if (err instanceof Refused) return { refused: err.message }; throw err; }
      },
    };
  }

  // -- the forms ------------------------------------------------------------------------------
  document.querySelectorAll("form.question").forEach((form) => {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const name = form.dataset.name;
      const graph = GRAPH_FORMS.includes(form.dataset.form);
      start(form);
      const values = new FormData(form);
      if (mode === "static") {
        const said = [];
        let text;
        knownStore = await localStore();
        try { text = bound(name, values, said); }
        catch (err) { if (err instanceof Refused) { fail(err.message); return; } throw err; }
        addNotes(said);
        await ask(text, graph);
        return;
      }
      const params = new URLSearchParams(values);
      params.set("lang", lang);
      await fetchAnswer("/api/queries/" + encodeURIComponent(name) + "?" + params.toString(), graph);
    });
    form.querySelector(".show").addEventListener("click", () => {
      const box = document.getElementById("sparql");
      box.value = form.querySelector(".source").value;
      box.scrollIntoView({ block: "center" });
      box.focus();
    });
  });
  document.getElementById("free").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.currentTarget;
    const query = document.getElementById("sparql").value;
    start(form);
    if (mode === "static") { await ask(query, isGraph(query)); return; }
    await fetchAnswer("/sparql?query=" + encodeURIComponent(query), isGraph(query));
  });
})();
