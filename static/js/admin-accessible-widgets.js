// Names and focus for the admin widgets that third-party scripts build without
// them (WCAG 4.1.2), in the admin's language: modeltranslation's language tabs
// and switch, and the rich-text editor's toolbar and editing area. Those widgets, and so these fixes, need JavaScript; the
// fields they replace are labelled in the HTML.
(function () {
  "use strict";

  var script = document.currentScript;
  var labels = document.getElementById("editor-labels");
  var editorLabels = labels ? JSON.parse(labels.textContent) : {};

  function labelFromField(editor) {
    var textarea = editor.closest(".prose-editor").querySelector("textarea[id]");
    var label = textarea && document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
    }
  }

  function fix(root) {
    // The switch that shows every field in one language sits in the page's <h1>.
    var switches = root.querySelectorAll("select.modeltranslation-switch:not([aria-label])");
    switches.forEach(function (select) {
      select.setAttribute("aria-label", script.dataset.languageSwitchLabel);
      // Its options say the languages' codes ("en"), and it shows the first
      // while the tabs open on the page's language: name them, and show that.
      var names = JSON.parse(script.dataset.languageNames || "{}");
      var lang = document.documentElement.lang.toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        var code = option.textContent.trim().toLowerCase();
        if (names[code]) {
          option.lang = code;
          option.textContent = names[code];
        }
        if (code === lang) {
          select.value = option.value;
        }
      });
    });
    // jQuery UI puts a link inside each tab (li role="tab"): a focusable control
    // inside another, which assistive technologies may not announce or may focus
    // instead of the tab (jquery/jquery-ui#2171). inert takes the link out of focus
    // and hit testing; the tab keeps its name (aria-labelledby) and its keys, and
    // clicks land on the tab (below).
    root.querySelectorAll(".ui-tabs-nav .ui-tabs-anchor:not([inert])").forEach(function (link) {
      var tab = link.closest('[role="tab"]');
      link.inert = true;
      // What hovering the link gave: a pointer, and the language's name.
      tab.style.cursor = "pointer";
      tab.title = link.title;
    });
    // A tab whose panel holds an error says so, in its name and at sight: the
    // error itself is out of sight while another language's tab shows.
    root.querySelectorAll(".ui-tabs-panel").forEach(function (panel) {
      var tab = tabOf(panel);
      if (!tab || tab.classList.contains("has-errors") || !panel.querySelector(".errorlist")) {
        return;
      }
      tab.classList.add("has-errors");
      var note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = " " + script.dataset.tabErrorLabel;
      tab.querySelector(".ui-tabs-anchor").appendChild(note);
    });
    // The editor's toolbar, named in English whatever the admin's language.
    root.querySelectorAll(".prose-menubar [title]").forEach(function (button) {
      var name = editorLabels[button.title.trim().toLowerCase()];
      if (name && button.title !== name) {
        button.title = name;
        button.setAttribute("aria-label", name);
      }
    });
    root.querySelectorAll(".prose-menubar__option > *").forEach(function (option) {
      var name = editorLabels[option.textContent.trim().toLowerCase()];
      if (name && option.textContent !== name) {
        option.textContent = name;
      }
    });
    // Tiptap's editing area (role="textbox") is named by the field's label.
    var editors = root.querySelectorAll(".prose-editor [contenteditable]:not([aria-labelledby])");
    editors.forEach(labelFromField);
  }

  function tabOf(panel) {
    return document.querySelector('.ui-tabs-nav [role="tab"][aria-controls="' + panel.id + '"]');
  }

  // A link of the error summary leads to its field, showing the field's tab
  // first and giving it the focus (the rich-text editor's, for a body).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    var panel = field.closest(".ui-tabs-panel");
    if (panel && panel.getAttribute("aria-hidden") === "true") {
      tabOf(panel).click();
    }
    var editor = field.closest(".prose-editor");
    var target = (editor && editor.querySelector("[contenteditable]")) || field;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus();
  });

  // jQuery UI listens for clicks on the link, which inert now keeps from the
  // pointer: hand a click on the tab to it.
  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest('.ui-tabs-nav [role="tab"]');
    var link = tab && tab.querySelector(".ui-tabs-anchor[inert]");
    if (link && !link.contains(event.target)) {
      link.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    }
  });

  // The widgets appear after this script runs (on DOMContentLoaded, when an
  // editor's modules load, when "Add another" adds a row): fix them as they come.
  new MutationObserver(function (records) {
    var outsideEditors = records.some(function (record) {
      return !(record.target.closest && record.target.closest("[contenteditable]"));
    });
    if (outsideEditors) {
      fix(document);
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    // The toolbar's block-type button is renamed as the cursor moves.
    attributeFilter: ["title"],
  });
  fix(document);
})();
