/* The workbook's own script. Small, no dependencies, no network requests.
   Each part finds its elements by a data-wb-* attribute and does nothing on
   pages without them. */
(function () {
  "use strict";

  /* The menu button (overrides/partials/header.html): opens and closes
     Material's drawer from the keyboard, says whether it is open, and
     closes it again with Escape. */
  function menuButton(button) {
    var toggle = document.getElementById("__drawer");
    if (!toggle) return;
    function sync() {
      button.setAttribute("aria-expanded", String(toggle.checked));
    }
    button.addEventListener("click", function () {
      toggle.click(); // toggles the drawer and tells Material (change event)
      if (toggle.checked) {
        var first = document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary label[tabindex]");
        if (first) setTimeout(function () { first.focus(); }, 50);
      }
    });
    toggle.addEventListener("change", sync);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      }
    });
    sync();
  }

  document.querySelectorAll("[data-wb-drawer-button]").forEach(menuButton);
})();
