// "Copy" buttons of the agreement and source pages (copy an IRI, a reference, CSL-JSON); they stay hidden
// without JavaScript, where the text they copy is on the page to select.
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-done") || label;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback(text, button) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) { copied(button); } } finally { document.body.removeChild(area); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.copy[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { fallback(text, button); });
        } else {
          fallback(text, button);
        }
      });
    });
  });
})();
