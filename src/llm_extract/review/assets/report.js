// llm-extract review page: verdict and article filters, row <-> highlight links.
// Reads data-* attributes only; the page carries no other data.
(function () {
  "use strict";
  var LABELS = ["unsupported", "unverifiable", "supported"];
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="verdict"]'));
  var picker = document.getElementById("article-filter");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }
  function parts(key) {
    return all('mark[data-m="' + key + '"]');
  }

  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    all("tr[data-verdict]").forEach(function (row) {
      row.hidden = !on[row.getAttribute("data-verdict")];
    });
    all("mark[data-labels]").forEach(function (mark) {
      var shown = mark.getAttribute("data-labels").split(" ").filter(function (l) {
        return on[l];
      });
      mark.classList.toggle("off", shown.length === 0);
      LABELS.forEach(function (l) { mark.classList.toggle("v-" + l, shown[0] === l); });
    });
    all("table.values tbody").forEach(function (body) {
      var visible = all("tr[data-verdict]", body).some(function (r) { return !r.hidden; });
      body.querySelector("tr.empty").hidden = visible;
    });
    var which = picker ? picker.value : "all";
    all("section.article").forEach(function (section) {
      section.hidden = which !== "all" && section.id !== which;
    });
  }

  function clear(name) {
    all("." + name).forEach(function (el) { el.classList.remove(name); });
  }

  function focusMark(key, scroll) {
    clear("focus");
    var found = parts(key);
    found.forEach(function (m) { m.classList.add("focus"); });
    all('tr[data-m="' + key + '"]').forEach(function (r) { r.classList.add("focus"); });
    if (scroll && found.length) found[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  document.addEventListener("click", function (event) {
    var row = event.target.closest("tr[data-m]");
    if (row) { focusMark(row.getAttribute("data-m"), true); return; }
    var mark = event.target.closest("mark[data-m]");
    if (mark) {
      var key = mark.getAttribute("data-m");
      focusMark(key, false);
      var first = document.querySelector('tr[data-m="' + key + '"]');
      if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  });
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("tr[data-m]");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      focusMark(row.getAttribute("data-m"), true);
    }
  });
  document.addEventListener("mouseover", function (event) {
    var row = event.target.closest("tr[data-m]");
    clear("hover");
    if (row) parts(row.getAttribute("data-m")).forEach(function (m) { m.classList.add("hover"); });
  });

  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  if (picker) picker.addEventListener("change", apply);
  apply();
})();
