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
    step.close();
    step.showModal();
  });
})();
