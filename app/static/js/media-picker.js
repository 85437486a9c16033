/* The one media picker of the back office: cover images, galleries, attachments, form files and the
 * rich-text editor's pictures all choose from the site's media library here.
 *
 * Without JavaScript a media field is a plain <select> of the site's files and still works. With it, every
 * <select data-media-picker="single|multiple" data-media-kinds="image,..."> gets a "Choose from the library"
 * button: a dialog that searches the library (GET /admin/media/browse.json?kind=&q=), shows thumbnails and
 * uploads new files from inside it (POST /admin/media/upload, answered in JSON). The server checks every
 * chosen id again (another site's file is refused).
 */
(function () {
  "use strict";

  var BROWSE_URL = "/admin/media/browse.json";
  var UPLOAD_URL = "/admin/media/upload";
  var lang = (document.documentElement.getAttribute("lang") || "vi");
  var T = lang.indexOf("en") === 0
    ? {search: "Search the media library", choose: "Choose from the library", close: "Close", none: "No file found.",
       error: "The media library could not be loaded.", title: "Media library", upload: "Upload new files",
       uploading: "Uploading…", refused: "Not accepted", remove: "Remove", selected: "Chosen"}
    : {search: "Tìm trong thư viện", choose: "Chọn từ thư viện", close: "Đóng", none: "Không tìm thấy tệp.",
       error: "Không tải được thư viện tệp.", title: "Thư viện tệp", upload: "Tải tệp mới lên",
       uploading: "Đang tải lên…", refused: "Không được chấp nhận", remove: "Bỏ", selected: "Đã chọn"};
  var counter = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  /* Open the dialog. options: {kinds: ["image"], multiple: bool, onChoose: function(item), returnFocus: node} */
  function open(options) {
    var kinds = options.kinds && options.kinds.length ? options.kinds : [""];
    var id = "media-picker-" + (++counter);
    var dialog = el("div", {"class": "media-picker", role: "dialog", "aria-modal": "true", "aria-labelledby": id + "-title"});
    dialog.style.cssText = "position:fixed;inset:8% 12%;background:#fff;border:1px solid #666;padding:1rem;" +
      "overflow:auto;z-index:2000;box-shadow:0 4px 24px rgba(0,0,0,.3)";
    var heading = el("h2", {"class": "h5", id: id + "-title"}, T.title);
    var label = el("label", {"for": id + "-q"}, T.search);
    var input = el("input", {id: id + "-q", type: "search", "class": "form-control mb-2"});
    var uploadLabel = el("label", {"for": id + "-upload", "class": "d-block mt-2"}, T.upload);
    var upload = el("input", {id: id + "-upload", type: "file", multiple: "multiple", "class": "form-control-file mb-2"});
    if (kinds[0] === "image") { upload.setAttribute("accept", "image/*"); }
    var status = el("p", {role: "status", "aria-live": "polite"});
    var list = el("ul", {"class": "media-picker-items list-unstyled d-flex flex-wrap"});
    var close = el("button", {type: "button", "class": "btn btn-secondary"}, T.close);
    function done() { dialog.remove(); if (options.returnFocus) { options.returnFocus.focus(); } }
    close.addEventListener("click", done);
    dialog.addEventListener("keydown", function (e) { if (e.key === "Escape") { done(); } });
    [heading, label, input, uploadLabel, upload, status, list, close].forEach(function (n) { dialog.appendChild(n); });
    document.body.appendChild(dialog);
    input.focus();

    function choose(item) {
      options.onChoose(item);
      if (!options.multiple) { done(); } else { status.textContent = T.selected + ": " + (item.name || item.id); }
    }

    function show(items) {
      list.innerHTML = "";
      status.textContent = items.length ? "" : T.none;
      items.forEach(function (item) {
        var li = el("li", {"class": "m-1"});
        var button = el("button", {type: "button", "class": "btn btn-light media-picker-item", "data-id": String(item.id)});
        if (item.kind === "image") {
          var img = el("img", {src: item.thumb_url || item.url, alt: "", width: "120", height: "90"});
          img.style.objectFit = "cover";
          button.appendChild(img);
        }
        button.appendChild(el("span", {"class": "d-block small"}, (item.name || "") + (item.kind !== "image" ? " (" + item.kind + ")" : "")));
        button.addEventListener("click", function () { choose(item); });
        li.appendChild(button);
        list.appendChild(li);
      });
    }

    function load() {
      var q = encodeURIComponent(input.value || "");
      Promise.all(kinds.map(function (kind) {
        return fetch(BROWSE_URL + "?kind=" + encodeURIComponent(kind) + "&q=" + q,
                     {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
          .then(function (data) { return (data && data.items) || []; });
      })).then(function (lists) { show([].concat.apply([], lists)); })
        .catch(function () { status.textContent = T.error; });
    }

    upload.addEventListener("change", function () {
      if (!upload.files.length) { return; }
      var body = new FormData();
      Array.prototype.forEach.call(upload.files, function (file) { body.append("files", file); });
      body.append("csrf_token", csrfToken());
      status.textContent = T.uploading;
      fetch(UPLOAD_URL, {method: "POST", body: body, credentials: "same-origin",
                         headers: {Accept: "application/json", "X-CSRFToken": csrfToken()}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var stored = (data && data.stored) || [];
          var refused = (data && data.refused) || [];
          stored.filter(function (item) { return kinds[0] === "" || kinds.indexOf(item.kind) >= 0; }).forEach(choose);
          status.textContent = refused.map(function (r) { return r.name + ": " + (r.reason || T.refused); }).join("; ");
          upload.value = "";
          if (dialog.isConnected) { load(); }
        })
        .catch(function () { status.textContent = T.error; });
    });
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    load();
  }

  function enhance(select) {
    if (select.dataset.mediaPickerOn === "on") { return; }
    select.dataset.mediaPickerOn = "on";
    var multiple = select.dataset.mediaPicker === "multiple";
    var kinds = (select.dataset.mediaKinds || "").split(",").filter(Boolean);
    var button = el("button", {type: "button", "class": "btn btn-outline-primary btn-sm mt-1"}, T.choose);
    select.parentNode.insertBefore(button, select.nextSibling);
    button.addEventListener("click", function () {
      open({kinds: kinds, multiple: multiple, returnFocus: button, onChoose: function (item) {
        var value = String(item.id);
        var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
        if (!option) {
          option = el("option", {value: value}, "#" + value + " · " + (item.name || ""));
          select.appendChild(option);
        }
        if (!multiple) { select.value = value; } else { option.selected = true; }
        select.dispatchEvent(new Event("change", {bubbles: true}));
      }});
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-media-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.MediaPicker = {open: open, enhance: enhance, init: init};
})();
