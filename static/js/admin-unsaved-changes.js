// A change form with edits not yet saved warns before anything leaves it: a
// link to publish, review, discard or preview acts on the saved version, so
// the edits would be lost without a word. Without JavaScript the pages those
// links open say that they act on what is saved.
(function () {
  "use strict";

  var script = document.currentScript;
  var message = script.dataset.unsavedMessage;

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("#content-main form[method=post]");
    if (!form || !document.querySelector(".publishing-buttons")) {
      return;
    }
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });

    document.querySelectorAll(".object-tools a, .draft-actions a").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (dirty && !window.confirm(message)) {
          event.preventDefault();
        }
      });
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
