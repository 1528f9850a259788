// Generates the batch's KBs one request at a time so the page can show progress; the zip is then
// downloaded. Without JavaScript the form posts and the server returns the zip in one go.
(function () {
  "use strict";
  var form = document.getElementById("kb-batch");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var items = form.dataset.items.trim().split(" ").filter(Boolean);
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var box = document.getElementById("kb-batch-progress");
    var bar = document.getElementById("kb-progress");
    var text = document.getElementById("kb-progress-text");
    var ids = [];
    box.hidden = false;
    form.querySelector("button").disabled = true;
    function next(index) {
      if (index >= items.length) {
        text.textContent = ids.length + " / " + items.length + " ✓";
        window.location.href = form.dataset.zip + "?" + ids.map(function (id) { return "kb=" + id; }).join("&");
        return;
      }
      // The same form fields as without JavaScript (the amount check among them).
      fetch(items[index], { method: "POST", body: new FormData(form), headers: { "X-CSRFToken": token }, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) { throw new Error(data.error || response.status); }
            return data;
          });
        })
        .then(function (data) {
          ids.push(data.id);
          bar.value = index + 1;
          text.textContent = (index + 1) + " / " + items.length + ": " + data.filename;
          next(index + 1);
        })
        .catch(function (error) {
          text.textContent = "Fout bij KB " + (index + 1) + ": " + error.message;
          form.querySelector("button").disabled = false;
        });
    }
    next(0);
  });
}());
