// The publish step and the withdrawal's confirmation, rendered by the server at the top of the form, open as a
// dialog over the form; "Not yet" closes it (so does Escape) and leaves the form as it was, unsaved.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var step = document.getElementById("action-step");
    if (!step || typeof step.showModal !== "function") return;
    step.querySelectorAll(".step-close").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { step.close(); });
    });
    // Closed without confirming, its buttons leave the form: nothing in it may confirm the step any more.
    step.addEventListener("close", function () {
      if (step.open) return;  // the close below that turns the page's open box into a modal dialog
      step.querySelectorAll("button[type=submit], input").forEach(function (field) { field.disabled = true; });
    });
    step.close();
    step.showModal();
  });
})();
