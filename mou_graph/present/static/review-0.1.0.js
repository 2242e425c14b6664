// The review page of `mou-graph review`: highlight a proposal's words, record decisions, save them.
"use strict";
(function () {
  const list = document.getElementById("proposals");
  const status = document.getElementById("status");
  if (!list) return;
  function marksOf(path) {
    return Array.from(document.querySelectorAll("mark")).filter(
      (m) => m.dataset.claims.split(" ").indexOf(path) !== -1);
  }
  function activate(item) {
    document.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
    item.classList.add("active");
    const marks = marksOf(item.dataset.path);
    marks.forEach((m) => m.classList.add("active"));
    if (marks.length) marks[0].scrollIntoView({ block: "center" });
  }
  function setState(item, state) {
    item.dataset.review = state;
    item.classList.remove("state-proposed", "state-accepted", "state-rejected");
    item.classList.add("state-" + state);
    item.querySelector(".accept").setAttribute("aria-pressed", String(state === "accepted"));
    item.querySelector(".reject").setAttribute("aria-pressed", String(state === "rejected"));
    item.querySelector(".state").textContent = document.body.dataset[state];
    item.dataset.changed = "1";
  }
  list.addEventListener("click", (ev) => {
    const item = ev.target.closest(".proposal");
    if (!item) return;
    if (ev.target.classList.contains("accept")) setState(item, "accepted");
    else if (ev.target.classList.contains("reject")) setState(item, "rejected");
    else if (ev.target.classList.contains("undecide")) setState(item, "proposed");
    activate(item);
  });
  list.addEventListener("input", (ev) => {
    const item = ev.target.closest(".proposal");
    if (item) item.dataset.changed = "1";
  });
  document.getElementById("text").addEventListener("click", (ev) => {
    const mark = ev.target.closest("mark");
    if (!mark) return;
    const first = mark.dataset.claims.split(" ")[0];
    const item = Array.from(list.children).find((li) => li.dataset.path === first);
    if (item) { activate(item); item.scrollIntoView({ block: "nearest" }); }
  });
  document.getElementById("save").addEventListener("click", async () => {
    const decisions = [];
    list.querySelectorAll(".proposal").forEach((item) => {
      if (item.dataset.changed !== "1") return;
      const fields = {};
      item.querySelectorAll("input").forEach((input) => {
        if (input.value !== input.dataset.original) fields[input.name] = input.value;
      });
      decisions.push({ path: item.dataset.path, review: item.dataset.review, fields: fields });
    });
    const answer = await fetch("/save", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ decisions: decisions }) });
    const body = await answer.json();
    if (answer.ok) {
      status.textContent = document.body.dataset.saved + ": " + body.saved + " (" + body.review + ")";
      list.querySelectorAll(".proposal").forEach((item) => {
        item.dataset.changed = "";
        item.querySelectorAll("input").forEach((input) => { input.dataset.original = input.value; });
      });
    } else {
      status.textContent = body.error;
    }
  });
})();
