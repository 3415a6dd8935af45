// A library picture's page: a click (or the arrow keys) on the picture sets the focal point that the crops
// keep in frame, and the crop previews beside it follow at once (the crops themselves are made again when the
// page is saved). It only fills in the form's two number fields. The Copy button copies the picture's line
// for a story's text.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  function focalPicker() {
    var picker = document.querySelector(".focal-picker");
    var x = document.getElementById("id_focal_x"), y = document.getElementById("id_focal_y");
    if (!picker || !x || !y) return;
    var marker = picker.querySelector(".focal-marker");
    // The previews show the saved crops until the point moves; then the picture itself, framed as the crop
    // would be (object-position: x% y% frames a picture as the crops are cut).
    var previews = Array.prototype.slice.call(document.querySelectorAll(".crop-preview img"));
    function clamp(value) { return Math.min(1, Math.max(0, value)); }
    function value(input) {
      var number = parseFloat(input.value);
      return clamp(isNaN(number) ? 0.5 : number);
    }
    function show() {
      var fx = value(x) * 100, fy = value(y) * 100;
      marker.style.left = fx + "%";
      marker.style.top = fy + "%";
      previews.forEach(function (image) { image.style.objectPosition = fx + "% " + fy + "%"; });
    }
    function live() {
      previews.forEach(function (image) {
        var source = image.getAttribute("data-live");
        if (source && image.getAttribute("src") !== source) image.setAttribute("src", source);
      });
    }
    function set(fx, fy) {
      x.value = clamp(fx).toFixed(3);
      y.value = clamp(fy).toFixed(3);
      live();
      show();
    }
    picker.addEventListener("click", function (event) {
      var box = picker.querySelector("img").getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    picker.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.1 : 0.02;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      var move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      set(value(x) + move[0], value(y) + move[1]);
    });
    [x, y].forEach(function (input) { input.addEventListener("input", function () { live(); show(); }); });
    show();
  }
  function copyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var said = button.parentNode.querySelector("[role=status]");
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent).then(
          function () { if (said) said.textContent = "Copied: paste it into a story’s text."; },
          function () { if (said) said.textContent = "Not copied: select the line and copy it."; }
        );
      });
    });
  }
  ready(function () {
    focalPicker();
    copyButtons();
  });
})();
