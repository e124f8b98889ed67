// The report's change page: Accept / Reject buttons submit to another address, so edits
// typed into the report's fields would be lost. Ask before that happens.
// Admin media load in the page's head, before the form exists: start once it does.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) { return; }
  function snapshot() {
    var data = new FormData(form), parts = [];
    data.forEach(function (value, name) {
      if (name !== "decision" && name !== "csrfmiddlewaretoken") { parts.push(name + "=" + value); }
    });
    return parts.join("&");
  }
  var saved = snapshot();
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-decision]");
    if (!button || snapshot() === saved) { return; }
    if (!window.confirm("You have changed this report without saving. Deciding now discards those changes. Decide anyway?")) {
      event.preventDefault();
    }
  });
});
