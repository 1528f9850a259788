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

// A table wider than its column scrolls sideways in its own region: that region can then be reached
// and scrolled with the keyboard (a focusable, named region, WCAG 2.1.1), and a line above it says
// so. Checked again when the window changes size.
function markScrollingTables() {
  var hint = document.body.getAttribute("data-scroll-hint");
  document.querySelectorAll(".table-responsive").forEach(function (region) {
    var scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls === region.classList.contains("scrolls")) { return; }
    region.classList.toggle("scrolls", scrolls);
    var caption = region.querySelector("caption");
    var note = region.previousElementSibling;
    if (scrolls) {
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", (caption ? caption.textContent.trim() + " — " : "") + hint);
      if (!(note && note.classList.contains("scroll-hint"))) {
        note = document.createElement("p");
        note.className = "scroll-hint";
        note.setAttribute("aria-hidden", "true");
        note.textContent = "↔ " + hint;
        region.parentNode.insertBefore(note, region);
      }
    } else {
      region.removeAttribute("tabindex");
      region.removeAttribute("role");
      region.removeAttribute("aria-label");
      if (note && note.classList.contains("scroll-hint")) { note.remove(); }
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollingTables);
window.addEventListener("resize", markScrollingTables);

// A form whose work can take a while (an increase refreshes every member's pay) says so as soon as it
// is sent: its button is disabled against a second click and the status line names the work.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-busy-message");
  if (!message) { return; }
  var status = form.querySelector("[data-busy-status]");
  if (status) { status.textContent = message; status.hidden = false; }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    // Disabled after this event, so the button's own name and value are still sent.
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
});
