// The focal point picker on a library picture's page: a click (or the arrow keys) sets the point that the
// social card and the square crop keep in frame. It only fills in the form's two number fields.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var picker = document.querySelector(".focal-picker");
    var x = document.getElementById("id_focal_x"), y = document.getElementById("id_focal_y");
    if (!picker || !x || !y) return;
    var marker = picker.querySelector(".focal-marker");
    function clamp(value) { return Math.min(1, Math.max(0, value)); }
    function show() {
      marker.style.left = (clamp(parseFloat(x.value) || 0.5) * 100) + "%";
      marker.style.top = (clamp(parseFloat(y.value) || 0.5) * 100) + "%";
    }
    function set(fx, fy) {
      x.value = clamp(fx).toFixed(3);
      y.value = clamp(fy).toFixed(3);
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
      set((parseFloat(x.value) || 0.5) + move[0], (parseFloat(y.value) || 0.5) + move[1]);
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  });
})();
