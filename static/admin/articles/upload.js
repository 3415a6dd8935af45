// The library's "Upload pictures" page: files dropped anywhere on the form are chosen as if picked, and the
// upload shows its progress. The page goes on to the next one (describing the new pictures) when the server
// answers; when some file was refused, the page comes back with the reasons, as without this script.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var form = document.querySelector("form.upload-form");
    var input = form && form.querySelector("input[type=file]");
    if (!input || !window.FormData || !window.DataTransfer) return;
    var status = form.querySelector(".upload-status");
    var progress = form.querySelector(".upload-progress");
    var button = form.querySelector("input[type=submit]");
    form.classList.add("upload-drop");

    function chosen() {
      var count = input.files.length;
      status.textContent = count ? count + (count === 1 ? " picture chosen." : " pictures chosen.") : "";
    }
    input.addEventListener("change", chosen);
    form.addEventListener("dragover", function (event) {
      event.preventDefault();
      form.classList.add("upload-drop-over");
    });
    form.addEventListener("dragleave", function (event) {
      if (!form.contains(event.relatedTarget)) form.classList.remove("upload-drop-over");
    });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("upload-drop-over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      var list = new DataTransfer();
      Array.prototype.forEach.call(files, function (file) { list.items.add(file); });
      input.files = list.files;
      chosen();
    });

    form.addEventListener("submit", function (event) {
      if (!input.files.length) return;  // the server says what is missing
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", window.location.href);
      request.setRequestHeader("X-Upload-Progress", "1");
      button.disabled = true;
      progress.hidden = false;
      progress.value = 0;
      status.textContent = "Uploading…";
      request.upload.addEventListener("progress", function (update) {
        if (!update.lengthComputable) return;
        progress.value = Math.round(update.loaded / update.total * 100);
        status.textContent = progress.value < 100 ? "Uploading: " + progress.value + "%" :
          "Uploaded: the pictures are being cleaned and cropped…";
      });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
        if (request.status === 200 && answer && answer.location) {
          window.location.assign(answer.location);
          return;
        }
        // Some file was refused (the page with its reasons) or the server failed: show that page as it is.
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        progress.hidden = true;
        status.textContent = "Not uploaded: no connection. Try again.";
      });
      request.send(new FormData(form));
    });
  });
})();
