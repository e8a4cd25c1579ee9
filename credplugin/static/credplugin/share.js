/* Copy buttons of a badge's share box. Without script the link and the snippet stay in
   read-only fields the visitor can select by hand. */
(function () {
  "use strict";
  function announce(box, key) {
    var status = box.querySelector("[role=status]");
    if (status) { status.textContent = ""; status.textContent = status.getAttribute(key); }
  }
  function selectField(field) {
    if (field) { field.focus(); field.select(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-credplugin-copy],[data-credplugin-copy-from]");
    if (!button) { return; }
    var box = button.closest(".credplugin-share");
    var field = button.hasAttribute("data-credplugin-copy-from")
      ? document.getElementById(button.getAttribute("data-credplugin-copy-from"))
      : box.querySelector(".credplugin-share__url");
    var text = button.getAttribute("data-credplugin-copy") || (field && field.value) || "";
    if (!navigator.clipboard) {
      selectField(field);
      announce(box, "data-credplugin-copy-failed");
      return;
    }
    navigator.clipboard.writeText(text).then(
      function () { announce(box, "data-credplugin-copied"); },
      function () { selectField(field); announce(box, "data-credplugin-copy-failed"); }
    );
  });
})();
