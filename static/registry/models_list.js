// Model list: "/" jumps to the search field, unless the user is already typing somewhere.
(function () {
  "use strict";
  var search = document.querySelector("[data-search-shortcut]");
  if (!search) return;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (typing) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
})();
