// "Report a problem on this page", improved when scripts run: a live count of
// the characters left, and sending in place. Without scripts the form is a
// plain POST that comes back to the page.
(function () {
  "use strict";

  var plural = new Intl.PluralRules(document.documentElement.lang || "en");

  function showCharactersLeft(textarea) {
    var output = textarea.form && textarea.form.querySelector("[data-char-count]");
    if (!output) {
      return;
    }
    var left = Math.max(0, textarea.maxLength - textarea.value.length);
    var template = plural.select(left) === "one" ? output.dataset.one : output.dataset.other;
    output.textContent = template.replace("{n}", left);
  }

  function enhance(root) {
    root.querySelectorAll("[data-report-problem] textarea[maxlength]").forEach(showCharactersLeft);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-report-problem] textarea[maxlength]")) {
      showCharactersLeft(event.target);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-report-problem]") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var template = document.createElement("template");
        template.innerHTML = data.html.trim();
        var section = template.content.firstElementChild;
        form.closest("#report-problem").replaceWith(section);
        enhance(section);
        var message = section.querySelector("[data-focus]");
        if (message) {
          message.focus();
        }
      })
      .catch(function () {
        // The server could not be reached in place: send the plain way.
        button.disabled = false;
        form.submit();
      });
  });

  enhance(document);
})();
