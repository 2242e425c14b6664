/* mou-graph browser 0.1.0: the agreements page of the static (offline) copy, filtered and sorted in
   the page. The server filters and sorts in Python (mou_graph/present/register.py); this file does
   the same over the rows' data attributes, which the server computed (a row's areas already include
   every broader area, so "narrower areas included" is decided in one place). Reads the form's values
   from the address (?partner=&area=&status=&year=&sort=), so the form works from file:// too. */
(function () {
  "use strict";
  var STATUS_ORDER = ["in-force", "in-extension", "not-yet-in-force", "unknown", "ended"];

  function matches(row, f) {
    var d = row.dataset;
    if (f.partner && d.partner.split(" ").indexOf(f.partner) < 0) { return false; }
    if (f.area && d.area.split(" ").indexOf(f.area) < 0) { return false; }
    if (f.status && !(d.status === f.status || (f.status === "in-force" && d.status === "in-extension"))) { return false; }
    if (f.year && d.year !== f.year) { return false; }
    return true;
  }

  function compare(sort) {
    function title(a, b) {
      var x = a.dataset.title.toLowerCase(), y = b.dataset.title.toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    return function (a, b) {
      var base = title(a, b);
      if (sort === "title") { return base; }
      if (sort === "status") {
        var i = STATUS_ORDER.indexOf(a.dataset.status), j = STATUS_ORDER.indexOf(b.dataset.status);
        return (i < 0 ? 99 : i) - (j < 0 ? 99 : j) || base;
      }
      var s = a.dataset.signed, t = b.dataset.signed;
      if (s === t) { return base; }
      var up = s < t ? -1 : 1;
      return sort === "signed-asc" ? up : -up;
    };
  }

  function apply() {
    var table = document.getElementById("agreements");
    if (!table) { return; }
    var params = new URLSearchParams(window.location.search);
    var f = {}, names = ["partner", "area", "status", "year", "sort"];
    names.forEach(function (name) {
      f[name] = params.get(name) || "";
      var field = document.getElementById("f-" + name);
      if (field && f[name]) { field.value = f[name]; }
    });
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(compare(f.sort || "signed"));
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row, f);
      row.hidden = !ok;
      if (ok) { shown += 1; }
      body.appendChild(row);
    });
    var count = document.getElementById("shown-count");
    if (count) { count.textContent = String(shown); }
    var none = document.querySelector(".no-rows");
    if (none) { none.hidden = shown > 0; }
  }

  document.addEventListener("DOMContentLoaded", apply);
})();
