/* Media library uploads with a progress bar per file.
 * Progressive enhancement: without this script the form posts all files at once and the page
 * lists what was refused and why. With it, each file goes in its own XMLHttpRequest (so one large
 * video never blocks the others), its progress is shown, and the grid is refreshed at the end. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (del) {
    del.addEventListener("submit", function (event) {
      if (!window.confirm(del.dataset.confirm)) { event.preventDefault(); }
    });
  });

  var form = document.getElementById("media-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var input = form.querySelector('input[type="file"]');
  var list = document.getElementById("upload-progress");
  var token = form.querySelector('input[name="csrf_token"]').value;

  function row(file) {
    var li = document.createElement("li");
    li.className = "upload-item";
    var name = document.createElement("span");
    name.className = "upload-name";
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var status = document.createElement("span");
    status.className = "upload-status";
    status.textContent = "0%";
    li.appendChild(name);
    li.appendChild(bar);
    li.appendChild(status);
    list.appendChild(li);
    return { li: li, bar: bar, status: status };
  }

  function finish(view, ok, text) {
    view.bar.value = 100;
    view.li.classList.add(ok ? "upload-ok" : "upload-refused");
    view.status.textContent = text;
  }

  function send(file, view) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var data = new FormData();
      data.append("csrf_token", token);
      data.append("files", file, file.name);
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          var percent = Math.round((event.loaded / event.total) * 100);
          view.bar.value = percent;
          view.status.textContent = percent + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (body && body.stored && body.stored.length) {
          finish(view, true, list.dataset.done);
        } else if (body && body.refused && body.refused.length) {
          finish(view, false, list.dataset.refused + ": " + body.refused[0].reason);
        } else if (body && body.error) {
          finish(view, false, body.error.message);
        } else {
          finish(view, false, list.dataset.failed);
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        finish(view, false, list.dataset.failed);
        resolve();
      });
      xhr.send(data);
    });
  }

  function refreshGrid() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["media-grid", "media-total-count"].forEach(function (id) {
          var fresh = doc.getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) { current.replaceWith(fresh); }
        });
      });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) { return; }
    event.preventDefault();
    list.textContent = "";
    var files = Array.prototype.slice.call(input.files);
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    var views = files.map(row);
    var next = 0;
    // At most three uploads at a time: progress stays readable and the server is not flooded.
    function worker() {
      if (next >= files.length) { return Promise.resolve(); }
      var i = next++;
      return send(files[i], views[i]).then(worker);
    }
    Promise.all([worker(), worker(), worker()])
      .then(refreshGrid)
      .then(function () {
        form.reset();
        button.disabled = false;
        form.classList.add("upload-finished");
      });
  });
})();
