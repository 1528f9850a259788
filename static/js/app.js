// Moves focus to the error summary when a form comes back with errors, so screen-reader and
// keyboard users hear what to correct first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
