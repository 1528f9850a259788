// Moves focus to the error summary when a form comes back with errors, so screen-reader and
// keyboard users hear what to correct first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});

// The copy button beside a read-only address (the calendar feed): copies it and says so in the
// status line beside it, for screen readers too.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("data-copy-target"));
  var status = document.getElementById(field.id + "-status");
  function done() { if (status) { status.textContent = button.getAttribute("data-copied-text"); } }
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});
