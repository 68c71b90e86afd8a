// Autosave for the intake: each change of an answer is saved at once, so a half-done page
// is never lost (closing the tab, a dropped connection, a phone call). The page works the
// same without this file: "Save and continue" posts the whole page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;

  function say(text, problem) {
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("problem", Boolean(problem));
  }

  function showProgress(data) {
    var count = document.querySelector("[data-progress-count]");
    var bar = document.querySelector("[data-progress-bar]");
    if (count) { count.textContent = data.done_count + " of " + data.total; }
    if (bar) { bar.value = data.done_count; }
  }

  function firstError(errors) {
    var names = Object.keys(errors || {});
    return names.length ? errors[names[0]][0] : "";
  }

  function handle(response) {
    return response.json().then(function (data) {
      if (data.emergency_url) {
        window.location.assign(data.emergency_url);
        return;
      }
      if (data.saved) {
        say("Saved.", false);
        showProgress(data);
      } else if (data.closed) {
        say("Your answers are already with the clinic.", true);
      } else {
        say("Not saved yet: " + firstError(data.errors), true);
      }
    });
  }

  function save() {
    timer = null;
    var body = new FormData(form);
    say("Saving…", false);
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Intake-Autosave": "1" }
    }).then(handle).catch(function () {
      say("Could not save just now. Your answers are still on this page; try Save and continue.", true);
    });
  }

  function soon(delay) {
    if (timer) { window.clearTimeout(timer); }
    say("Changes not saved yet…", false);
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { soon(150); });
  form.addEventListener("input", function (event) {
    // Typing is saved after a short pause rather than on every key.
    if (event.target.type === "text" || event.target.tagName === "TEXTAREA") { soon(1200); }
  });
  form.addEventListener("submit", function () {
    if (timer) { window.clearTimeout(timer); timer = null; }
  });
}());
