// The analysts' query page: runs catalogue questions (/api/queries/NAME) and free SPARQL (/sparql),
// shows SELECT results as a table and offers downloads. No external resources.
"use strict";
(function () {
  const lang = document.body.dataset.lang || "th";
  const words = {
    th: { running: "กำลังค้น…", rows: "แถว", yes: "จริง", no: "เท็จ", triples: "ทริเพิล", download: "ดาวน์โหลด" },
    en: { running: "Running…", rows: "rows", yes: "true", no: "false", triples: "triples", download: "Download" },
  };
  const t = (key) => (words[lang] || words.th)[key] || words.th[key];
  const status = document.getElementById("status");
  const table = document.getElementById("table");
  const downloads = document.getElementById("downloads");

  function cell(term) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = term.value; a.textContent = term.value; a.rel = "noopener";
      return a;
    }
    return document.createTextNode(term.value);
  }

  function links(base, graph) {
    downloads.textContent = t("download") + ": ";
    const formats = graph ? ["turtle", "nt", "jsonld", "rdfxml"] : ["json", "xml", "csv", "tsv"];
    formats.forEach((fmt, i) => {
      const a = document.createElement("a");
      a.href = base + (base.includes("?") ? "&" : "?") + "format=" + fmt;
      a.textContent = fmt; a.download = "results." + fmt;
      if (i) downloads.appendChild(document.createTextNode(" · "));
      downloads.appendChild(a);
    });
  }

  async function run(url, graph) {
    status.className = ""; status.textContent = t("running"); table.textContent = ""; downloads.textContent = "";
    const accept = graph ? "application/n-triples" : "application/sparql-results+json";
    let response;
    try { response = await fetch(url, { headers: { Accept: accept } }); }
    catch (err) { status.className = "error"; status.textContent = String(err); return; }
    const body = await response.text();
    if (!response.ok) { status.className = "error"; status.textContent = response.status + " " + body; return; }
    links(url, graph);
    if (graph) {
      const lines = body.split("\n").filter((l) => l.trim());
      status.textContent = lines.length + " " + t("triples");
      const pre = document.createElement("pre"); pre.textContent = body; table.appendChild(pre);
      return;
    }
    const doc = JSON.parse(body);
    if ("boolean" in doc) { status.textContent = doc.boolean ? t("yes") : t("no"); return; }
    const vars = doc.head.vars, rows = doc.results.bindings;
    status.textContent = rows.length + " " + t("rows");
    const tab = document.createElement("table"), head = tab.createTHead().insertRow();
    vars.forEach((v) => { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    const tbody = tab.createTBody();
    rows.forEach((b) => { const tr = tbody.insertRow(); vars.forEach((v) => tr.insertCell().appendChild(cell(b[v]))); });
    table.appendChild(tab);
  }

  document.querySelectorAll("form.question").forEach((form) => {
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const params = new URLSearchParams(new FormData(form));
      params.set("lang", lang);
      const source = form.querySelector(".source").value;
      const graph = /^\s*(CONSTRUCT|DESCRIBE)\b/im.test(source.replace(/^#.*$/gm, "").replace(/^PREFIX.*$/gim, ""));
      run("/api/queries/" + encodeURIComponent(form.dataset.name) + "?" + params.toString(), graph);
    });
    form.querySelector(".show").addEventListener("click", () => {
      document.getElementById("sparql").value = form.querySelector(".source").value;
      document.getElementById("sparql").focus();
    });
  });
  document.getElementById("free").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const query = document.getElementById("sparql").value;
    const graph = /^\s*(CONSTRUCT|DESCRIBE)\b/im.test(query.replace(/^#.*$/gm, "").replace(/^PREFIX.*$/gim, ""));
    run("/sparql?query=" + encodeURIComponent(query), graph);
  });
})();
