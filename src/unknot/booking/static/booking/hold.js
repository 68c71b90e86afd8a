// Keeps "about N minutes left" on a held booking up to date while the person types.
// The page works without it; the server checks the hold again whatever this says.
(function () {
  "use strict";
  var node = document.querySelector("[data-hold-until]");
  if (!node) { return; }
  var until = Date.parse(node.getAttribute("data-hold-until"));
  if (isNaN(until)) { return; }
  function update() {
    var minutes = Math.round((until - Date.now()) / 60000);
    if (minutes <= 0) {
      node.textContent = "the hold may have run out; if so, we will ask you to choose a time again";
      return;
    }
    node.textContent = "about " + minutes + " minute" + (minutes === 1 ? "" : "s") + " left";
    window.setTimeout(update, 15000);
  }
  update();
}());
