/* mou-graph neighbourhood graph 0.1.0: draws an entity's links as SVG, with no library and no network.
   The links come ranked (most important first) from mou_graph/present/graph.py, as the JSON in
   #graph-data; this file never re-ranks. The page's table (#graph-list) holds the same links and is
   what a reader without JavaScript gets.

   - Placement never overlaps: every box is placed at the first free spot of a spiral around its
     preferred angle, checked against every box already placed (with a gap), so no two intersect.
   - Labels are cut only between grapheme clusters (Intl.Segmenter), at a word boundary where one
     is near, never after a Thai or Lao leading vowel; the full label is in the node's name.
   - A node is a button (role="button", in an SVG of role="group": nothing interactive is nested);
     Enter, Space or a click draws or hides that node's own links; the arrow keys move between nodes.
   - Built with DOM calls and textContent only (never innerHTML); styled by classes and attributes
     (a strict Content Security Policy holds). */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var MAX_LABEL = 190, MAX_CENTRE = 250;  // px: the widest label of a node, of the centre
  var PAD = 9, MARK = 9, GAP = 12, BATCH_WIDE = 24, BATCH_NARROW = 10;
  var LEADING = /[\u0e40-\u0e44\u0ec0-\u0ec4]$/;  // Thai and Lao vowels written before their consonant

  function svg(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function tag(name, attrs, text, parent) {
    var e = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? String(values[k]) : m; });
  }

  /* -- cutting labels ---------------------------------------------------------------------- */
  var segmenters = {};

  function cuts(text, lang, granularity) {
    /* the offsets (UTF-16) strictly inside text where it may be cut */
    var out = [];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      var key = lang + " " + granularity;
      if (!segmenters[key]) { segmenters[key] = new Intl.Segmenter(lang, { granularity: granularity }); }
      Array.from(segmenters[key].segment(text)).forEach(function (s) { if (s.index > 0) { out.push(s.index); } });
    } else if (granularity === "grapheme") {
      /* no segmenter: cut only before a character that is not a combining mark */
      var i = 0;
      Array.from(text).forEach(function (ch) {
        if (i > 0 && !/\p{M}/u.test(ch)) { out.push(i); }
        i += ch.length;
      });
    }
    return out;
  }

  function shorten(text, max, measure, lang) {
    /* text itself when it fits in max px, else a prefix ending between grapheme clusters, plus "…" */
    if (measure(text) <= max) { return text; }
    var ends = cuts(text, lang, "grapheme").filter(function (b) { return !LEADING.test(text.slice(0, b)); });
    var lo = 0, hi = ends.length - 1, best = ends.length ? ends[0] : text.length;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (measure(text.slice(0, ends[mid]).replace(/\s+$/, "") + "…") <= max) { best = ends[mid]; lo = mid + 1; }
      else { hi = mid - 1; }
    }
    var words = cuts(text, lang, "word").filter(function (b) {
      return b <= best && b >= best * 0.6 && !LEADING.test(text.slice(0, b));
    });
    if (words.length) { best = words[words.length - 1]; }
    return text.slice(0, best).replace(/\s+$/, "") + "…";
  }

  /* -- geometry ------------------------------------------------------------------------------ */
  function overlaps(a, b) {
    return a.x - a.w / 2 - GAP < b.x + b.w / 2 && b.x - b.w / 2 - GAP < a.x + a.w / 2 &&
      a.y - a.h / 2 - GAP < b.y + b.h / 2 && b.y - b.h / 2 - GAP < a.y + a.h / 2;
  }

  function place(node, around, angle, r0, aspect, placed) {
    /* the first free spot on a spiral round `around`, trying angles near `angle` first */
    for (var r = r0; ; r += 24) {
      var steps = Math.max(12, Math.ceil(2 * Math.PI * r / 36));
      for (var k = 0; k < steps; k += 1) {
        var off = (k % 2 ? 1 : -1) * Math.ceil(k / 2) * (2 * Math.PI / steps);
        node.x = around.x + r * aspect * Math.cos(angle + off);
        node.y = around.y + r * Math.sin(angle + off);
        if (!placed.some(function (p) { return overlaps(node, p); })) { return; }
      }
    }
  }

  function border(from, to) {
    /* where the segment from the centre of `from` to the centre of `to` leaves the box of `from` */
    var dx = to.x - from.x, dy = to.y - from.y;
    var t = Math.min(dx ? (from.w / 2 + 3) / Math.abs(dx) : Infinity, dy ? (from.h / 2 + 3) / Math.abs(dy) : Infinity);
    t = Math.min(t, 1);
    return { x: from.x + dx * t, y: from.y + dy * t };
  }

  /* -- the drawing ------------------------------------------------------------------------- */
  function Graph(view, data) {
    this.view = view;
    this.data = data;
    this.text = data.text;
    this.nodes = [];  // drawn, in the order the arrow keys follow
    this.byId = {};
    this.edges = {};  // "from>to" -> {from, to}
    this.focusId = null;
    this.build();
  }

  Graph.prototype.build = function () {
    var self = this, d = this.data, t = this.text;
    tag("p", { "class": "graph-help" }, t.help, this.view);
    var tiers = {};
    d.links.forEach(function (l) { tiers[d.rels[l[1]][1]] = true; });
    Object.keys(d.hops).forEach(function (k) { d.hops[k].links.forEach(function (l) { tiers[d.rels[l[1]][1]] = true; }); });
    var legend = tag("ul", { "class": "graph-legend" }, "", this.view);
    Object.keys(d.tiers).forEach(function (k) {
      if (!tiers[k]) { return; }
      var li = tag("li", { "class": "tier-" + k }, "", legend);
      tag("span", { "class": "swatch", "aria-hidden": "true" }, "", li);
      li.appendChild(document.createTextNode(d.tiers[k]));
    });
    this.canvas = tag("div", { "class": "graph-canvas" }, "", this.view);
    this.svg = svg("svg", { "class": "graph", role: "group", "aria-label": d.title }, this.canvas);
    this.status = tag("p", { "class": "graph-status" }, "", this.view);
    this.announce = tag("p", { "class": "graph-announce visually-hidden", "aria-live": "polite" }, "", this.view);
    this.panel = tag("div", { "class": "graph-selected", hidden: "" }, "", this.view);
    this.meter = svg("text", { "class": "label", x: "0", y: "0", visibility: "hidden" }, this.svg);
    this.meterRel = svg("text", { "class": "rel", x: "0", y: "0", visibility: "hidden" }, this.svg);
    this.meterCentre = svg("text", { "class": "label centre-label", x: "0", y: "0", visibility: "hidden" }, this.svg);
    this.svg.addEventListener("click", function (e) {
      var g = e.target.closest && e.target.closest("g.node[data-node]");
      if (g) { self.activate(+g.getAttribute("data-node")); }
    });
    this.svg.addEventListener("keydown", function (e) { self.key(e); });
    this.batch = this.canvas.clientWidth < 600 ? BATCH_NARROW : BATCH_WIDE;
    this.aspect = this.canvas.clientWidth < 600 ? 0.75 : 2.1;
    this.centreLinks = [];
    var seen = {};
    d.links.forEach(function (l) {
      if (!seen[l[0]] && l[0] !== 0) { seen[l[0]] = true; self.centreLinks.push(l); }
    });
    this.shownCentre = 0;
    var centre = this.makeNode(0, null, null);
    centre.x = 0; centre.y = 0;
    this.more(this.batch);
  };

  Graph.prototype.measure = function (el) {
    return function (s) { el.textContent = s; return el.getComputedTextLength(); };
  };

  Graph.prototype.makeNode = function (id, link, parent) {
    var d = this.data, rel = link ? d.rels[link[1]] : null;
    var node = { id: id, label: d.nodes[id][0], href: d.nodes[id][1], parent: parent, added: null,
                 rel: rel ? rel[0] : "", dir: link ? link[2] : "", tier: rel ? rel[1] : "centre" };
    if (id === 0) {
      node.shown = shorten(node.label, MAX_CENTRE, this.measure(this.meterCentre), d.lang);
      node.w = this.measure(this.meterCentre)(node.shown) + 2 * PAD + 6;
      node.h = 38;
    } else {
      node.shown = shorten(node.label, MAX_LABEL, this.measure(this.meter), d.lang);
      node.arrow = node.dir === "in" ? "← " : "→ ";
      var arrow = this.measure(this.meterRel)(node.arrow);
      node.relShown = shorten(node.rel, MAX_LABEL - arrow, this.measure(this.meterRel), d.lang);
      node.w = Math.max(this.measure(this.meter)(node.shown), arrow + this.measure(this.meterRel)(node.relShown)) + 2 * PAD;
      if (this.data.hops[id] && this.data.hops[id].links.length) { node.w += 2 * MARK; }  // room for the +/−
      node.h = 44;
    }
    this.nodes.push(node);
    this.byId[id] = node;
    return node;
  };

  Graph.prototype.edge = function (a, b, out) {
    var from = out ? a : b, to = out ? b : a, key = from.id + ">" + to.id;
    if (this.edges[key]) { return null; }
    this.edges[key] = { from: from, to: to };
    return key;
  };

  Graph.prototype.more = function (n) {
    var centre = this.byId[0];
    var upto = Math.min(this.centreLinks.length, this.shownCentre + n);
    var per = Math.max(1, Math.min(this.batch, this.centreLinks.length));  // one batch goes once round
    for (var i = this.shownCentre; i < upto; i += 1) {
      var l = this.centreLinks[i];
      var node = this.byId[l[0]];
      if (!node) {
        node = this.makeNode(l[0], l, centre);
        var turn = ((i % per) + 0.5 * Math.floor(i / per)) / per;
        place(node, centre, -Math.PI / 2 + 2 * Math.PI * turn, 70, this.aspect, this.placed(node));
      } else if (node.parent && node.parent !== centre && node.parent.added) {
        /* drawn by an expansion so far: it stays when that expansion is hidden */
        var added = node.parent.added, key = l[2] === "out" ? "0>" + node.id : node.id + ">0";
        added.nodes = added.nodes.filter(function (n) { return n !== node; });
        added.edges = added.edges.filter(function (k) { return k !== key; });
        node.parent = centre;
      }
      this.edge(centre, node, l[2] === "out");
    }
    this.shownCentre = upto;
    this.render();
  };

  Graph.prototype.placed = function (node) {
    return this.nodes.filter(function (p) { return p !== node; });
  };

  Graph.prototype.expandable = function (node) {
    var hop = this.data.hops[node.id];
    return node.id !== 0 && !!hop && hop.links.length > 0;
  };

  Graph.prototype.toggle = function (node) {
    var self = this, hop = this.data.hops[node.id], t = this.text;
    if (node.added) {
      this.collapse(node);
      this.say(node.label + ": " + t.collapse);
      return;
    }
    node.added = { nodes: [], edges: [] };
    var base = Math.atan2(node.y - node.parent.y, (node.x - node.parent.x) / this.aspect);
    var m = hop.links.length, spread = Math.min(Math.PI * 1.2, 0.45 * m);
    hop.links.forEach(function (l, j) {
      var other = self.byId[l[0]];
      if (!other) {
        other = self.makeNode(l[0], l, node);
        var angle = base + (m > 1 ? (j / (m - 1) - 0.5) * spread : 0);
        place(other, node, angle, 60, self.aspect, self.placed(other));
        node.added.nodes.push(other);
      }
      var key = self.edge(node, other, l[2] === "out");
      if (key) { node.added.edges.push(key); }
    });
    /* a thing the centre links to, drawn here first, gets its link to the centre too */
    this.centreLinks.forEach(function (l) {
      var other = self.byId[l[0]];
      if (other && node.added.nodes.indexOf(other) >= 0) {
        var key = self.edge(self.byId[0], other, l[2] === "out");
        if (key) { node.added.edges.push(key); }
      }
    });
    this.say(fill(t.its_links, { label: node.label, n: hop.total }));
  };

  Graph.prototype.collapse = function (node) {
    var self = this;
    node.added.nodes.forEach(function (n) { if (n.added) { self.collapse(n); } });
    node.added.edges.forEach(function (k) { delete self.edges[k]; });
    var gone = node.added.nodes;
    this.nodes = this.nodes.filter(function (n) { return gone.indexOf(n) < 0; });
    gone.forEach(function (n) { delete self.byId[n.id]; });
    Object.keys(this.edges).forEach(function (k) {
      var e = self.edges[k];
      if (gone.indexOf(e.from) >= 0 || gone.indexOf(e.to) >= 0) { delete self.edges[k]; }
    });
    node.added = null;
  };

  Graph.prototype.say = function (text) {
    this.announce.textContent = text;
  };

  Graph.prototype.activate = function (id) {
    var node = this.byId[id];
    if (!node) { return; }
    this.focusId = id;
    if (this.expandable(node)) { this.toggle(node); }
    this.render();
    this.select(node);
    var el = this.svg.querySelector('g.node[data-node="' + id + '"]');
    if (el) { el.focus(); }
  };

  Graph.prototype.select = function (node) {
    var d = this.data, t = this.text, p = this.panel;
    while (p.firstChild) { p.removeChild(p.firstChild); }
    p.removeAttribute("hidden");
    tag("h3", {}, node.label, p);
    if (node.href) {
      var para = tag("p", {}, "", p);
      tag("a", { href: node.href }, t.open + " " + node.label, para);
    }
    var hop = d.hops[node.id];
    if (!hop) { return; }
    tag("p", {}, fill(t.its_links, { label: node.label, n: hop.total }), p);
    var ul = tag("ul", {}, "", p);
    hop.links.forEach(function (l) {
      var li = tag("li", {}, "", ul), target = d.nodes[l[0]];
      if (target[1]) { tag("a", { href: target[1] }, target[0], li); } else { li.appendChild(document.createTextNode(target[0])); }
      li.appendChild(document.createTextNode(" (" + d.rels[l[1]][0] + ", " + (l[2] === "out" ? t.out : t["in"]) + ")"));
    });
    if (hop.total > hop.links.length) { tag("p", {}, fill(t.not_drawn, { n: hop.total - hop.links.length }), p); }
  };

  Graph.prototype.key = function (e) {
    var g = e.target.closest && e.target.closest("g.node[data-node]");
    if (!g) { return; }
    var order = this.nodes.filter(function (n) { return n.id !== 0; });
    var at = order.indexOf(this.byId[+g.getAttribute("data-node")]), next = null;
    if (e.key === "ArrowRight" || e.key === "ArrowDown") { next = order[(at + 1) % order.length]; }
    else if (e.key === "ArrowLeft" || e.key === "ArrowUp") { next = order[(at - 1 + order.length) % order.length]; }
    else if (e.key === "Home") { next = order[0]; }
    else if (e.key === "End") { next = order[order.length - 1]; }
    else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      this.activate(+g.getAttribute("data-node"));
      return;
    } else { return; }
    e.preventDefault();
    this.focusId = next.id;
    this.roving();
    this.svg.querySelector('g.node[data-node="' + next.id + '"]').focus();
  };

  Graph.prototype.roving = function () {
    var self = this, els = this.svg.querySelectorAll("g.node[data-node]");
    var any = Array.prototype.some.call(els, function (el) { return +el.getAttribute("data-node") === self.focusId; });
    Array.prototype.forEach.call(els, function (el, i) {
      var on = any ? +el.getAttribute("data-node") === self.focusId : i === 0;
      el.setAttribute("tabindex", on ? "0" : "-1");
    });
  };

  Graph.prototype.render = function () {
    var self = this, t = this.text, s = this.svg;
    Array.prototype.slice.call(s.querySelectorAll(".edges, .nodes, .words, defs")).forEach(function (e) { s.removeChild(e); });
    var defs = svg("defs", {}, s);
    var marker = svg("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7",
                                 markerHeight: "7", orient: "auto" }, defs);
    svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "arrow" }, marker);
    var edges = svg("g", { "class": "edges", "aria-hidden": "true" }, s);
    Object.keys(this.edges).forEach(function (k) {
      var e = self.edges[k], a = border(e.from, e.to), b = border(e.to, e.from);
      svg("line", { "class": "edge", x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
                    "marker-end": "url(#graph-arrow)" }, edges);
    });
    /* boxes (the buttons) below, their words above in a layer of their own: a button holds no text,
       so its name is its aria-label, which begins with the whole label (WCAG 2.5.3: the visible words,
       cut or not, start the name); the words let clicks through to the box (pointer-events: none) */
    var layer = svg("g", { "class": "nodes" }, s), words = svg("g", { "class": "words", "aria-hidden": "true" }, s);
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    this.nodes.forEach(function (n) {
      minX = Math.min(minX, n.x - n.w / 2); maxX = Math.max(maxX, n.x + n.w / 2);
      minY = Math.min(minY, n.y - n.h / 2); maxY = Math.max(maxY, n.y + n.h / 2);
      var g, id = String(n.id);
      if (n.id === 0) {
        g = svg("g", { "class": "node centre", "aria-hidden": "true" }, layer);
      } else {
        var name = n.label + " (" + n.rel + ")";
        g = svg("g", { "class": "node tier-" + n.tier, role: "button", tabindex: "-1", "data-node": id,
                       "aria-label": self.expandable(n) ? name + ": " + (n.added ? t.collapse : t.expand) : name }, layer);
        if (self.expandable(n)) { g.setAttribute("aria-expanded", n.added ? "true" : "false"); }
        g.setAttribute("data-rel", n.rel);
      }
      g.setAttribute("data-label", n.label);
      g.setAttribute("data-words", id);
      svg("rect", { x: (n.x - n.w / 2).toFixed(1), y: (n.y - n.h / 2).toFixed(1), width: n.w.toFixed(1),
                    height: n.h.toFixed(1), rx: "7" }, g);
      var text = svg("g", { "class": "node-words tier-" + n.tier, "data-for": id }, words);
      if (n.id === 0) {
        svg("text", { "class": "label centre-label", x: n.x.toFixed(1), y: (n.y + 5).toFixed(1), "text-anchor": "middle" },
            text).textContent = n.shown;
        return;
      }
      var rel = svg("text", { "class": "rel", x: n.x.toFixed(1), y: (n.y - 5).toFixed(1), "text-anchor": "middle" }, text);
      svg("tspan", {}, rel).textContent = n.arrow;
      rel.appendChild(document.createTextNode(n.relShown));
      svg("text", { "class": "label", x: n.x.toFixed(1), y: (n.y + 14).toFixed(1), "text-anchor": "middle" }, text)
        .textContent = n.shown;
      if (self.expandable(n)) {
        svg("text", { "class": "mark", x: (n.x + n.w / 2 - 8).toFixed(1), y: (n.y - n.h / 2 + 13).toFixed(1),
                      "text-anchor": "middle" }, text).textContent = n.added ? "−" : "+";
      }
    });
    var m = 12, w = maxX - minX + 2 * m, h = maxY - minY + 2 * m;
    s.setAttribute("viewBox", [minX - m, minY - m, w, h].map(function (v) { return v.toFixed(1); }).join(" "));
    var room = this.canvas.clientWidth || w, scale = Math.max(0.6, Math.min(1, room / w));
    s.setAttribute("width", (w * scale).toFixed(0));
    s.setAttribute("height", (h * scale).toFixed(0));
    this.roving();
    this.updateStatus();
  };

  Graph.prototype.updateStatus = function () {
    /* counted as the table counts: links (a thing linked twice is two links) */
    var self = this, t = this.text, st = this.status, total = this.data.links.length;
    var drawn = this.data.links.filter(function (l) { return l[0] !== 0 && self.byId[l[0]]; }).length;
    var left = total - drawn;
    while (st.firstChild) { st.removeChild(st.firstChild); }
    st.appendChild(document.createTextNode(fill(t.drawn, { drawn: drawn, total: total }) + ". "));
    if (left <= 0) { return; }
    var a = tag("a", { href: "#graph-list", "class": "graph-more" }, fill(t.more, { n: left }) + ": " + t.more_list, st);
    a.addEventListener("click", function () { document.getElementById("graph-list").open = true; });
    st.appendChild(document.createTextNode(" "));
    var b = tag("button", { type: "button", "class": "graph-draw-more" },
                fill(t.draw_more, { n: Math.min(this.centreLinks.length - this.shownCentre, self.batch) }), st);
    b.addEventListener("click", function () {
      self.more(self.batch);
      var again = self.status.querySelector(".graph-draw-more") || self.status.querySelector("a");
      if (again) { again.focus(); }
    });
  };

  function start() {
    var view = document.getElementById("graph-view"), source = document.getElementById("graph-data");
    if (!view || !source || !document.createElementNS) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.links.length) { return; }
    view.removeAttribute("hidden");
    var list = document.getElementById("graph-list");
    var graph = new Graph(view, data);
    if (list) { list.open = false; }
    window.MOU_GRAPH_VIEW = graph;  // for the tests and the console: the drawn state
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
