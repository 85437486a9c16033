/* Rich-text editing in the back office: every <textarea class="rich-text"> becomes a Quill editor.
 *
 * The textarea stays in the form (hidden) and always holds the editor's HTML, so the form posts
 * exactly what it would post without JavaScript; the server sanitises it (app.core.text.sanitize_html).
 * The image button picks a picture from the media library (GET /admin/media/browse.json?kind=image&q=).
 */
(function () {
  "use strict";

  var BROWSE_URL = "/admin/media/browse.json";
  var lang = (document.documentElement.getAttribute("lang") || document.body.getAttribute("data-lang") || "vi");
  var T = lang.indexOf("en") === 0
    ? {search: "Search the media library", insert: "Insert", close: "Close", none: "No image found.",
       error: "The media library could not be loaded.", title: "Choose an image", editor: "Rich-text editor"}
    : {search: "Tìm trong thư viện ảnh", insert: "Chèn", close: "Đóng", none: "Không tìm thấy ảnh.",
       error: "Không tải được thư viện ảnh.", title: "Chọn ảnh", editor: "Trình soạn thảo văn bản"};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function insertImage(quill, item) {
    var range = quill.getSelection(true) || {index: quill.getLength()};
    quill.insertEmbed(range.index, "image", item.url, "user");
    var leaf = quill.getLeaf(range.index + 1)[0];
    if (leaf && leaf.domNode && leaf.domNode.tagName === "IMG") {
      leaf.domNode.setAttribute("alt", item.alt || item.name || "");
    }
    quill.setSelection(range.index + 1, 0, "user");
  }

  function openPicker(quill) {
    var dialog = el("div", {"class": "media-picker", role: "dialog", "aria-modal": "true", "aria-label": T.title});
    dialog.style.cssText = "position:fixed;inset:10% 15%;background:#fff;border:1px solid #666;padding:1rem;" +
      "overflow:auto;z-index:2000;box-shadow:0 4px 24px rgba(0,0,0,.3)";
    var heading = el("h2", {"class": "h5"}, T.title);
    var label = el("label", {"for": "media-picker-q"}, T.search);
    var input = el("input", {id: "media-picker-q", type: "search", "class": "form-control"});
    var list = el("ul", {"class": "media-picker-items list-unstyled d-flex flex-wrap"});
    var status = el("p", {role: "status"});
    var close = el("button", {type: "button", "class": "btn btn-secondary"}, T.close);
    close.addEventListener("click", function () { dialog.remove(); quill.focus(); });
    dialog.addEventListener("keydown", function (e) { if (e.key === "Escape") { close.click(); } });
    [heading, label, input, status, list, close].forEach(function (n) { dialog.appendChild(n); });
    document.body.appendChild(dialog);
    input.focus();

    function load() {
      var url = BROWSE_URL + "?kind=image&q=" + encodeURIComponent(input.value || "");
      fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          list.innerHTML = "";
          var items = (data && data.items) || [];
          status.textContent = items.length ? "" : T.none;
          items.forEach(function (item) {
            var li = el("li", {"class": "m-1"});
            var button = el("button", {type: "button", "class": "btn btn-light media-picker-item",
                                        "data-url": item.url});
            var img = el("img", {src: item.thumb_url || item.url, alt: item.alt || item.name || "",
                                 width: "120", height: "90"});
            img.style.objectFit = "cover";
            button.appendChild(img);
            button.appendChild(el("span", {"class": "d-block small"}, item.name || ""));
            button.addEventListener("click", function () { insertImage(quill, item); dialog.remove(); });
            li.appendChild(button);
            list.appendChild(li);
          });
        })
        .catch(function () { status.textContent = T.error; });
    }
    var timer = null;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 250); });
    load();
  }

  function enhance(textarea) {
    if (textarea.dataset.richText === "on" || typeof window.Quill === "undefined") { return; }
    textarea.dataset.richText = "on";
    var holder = el("div", {"class": "rich-text-editor", "aria-label": T.editor});
    holder.style.minHeight = "16rem";
    holder.style.background = "#fff";
    textarea.parentNode.insertBefore(holder, textarea.nextSibling);
    textarea.style.display = "none";
    var quill = new window.Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: {
          container: [
            [{header: [2, 3, 4, false]}], ["bold", "italic", "underline"],
            [{list: "ordered"}, {list: "bullet"}], ["blockquote", "link", "image"], ["clean"]
          ],
          handlers: {image: function () { openPicker(quill); }}
        }
      }
    });
    if (textarea.value) {
      quill.clipboard.dangerouslyPasteHTML(textarea.value, "silent");
    }
    var sync = function () {
      var empty = !quill.getText().trim() && !quill.root.querySelector("img");
      // getSemanticHTML() (Quill 2.0) writes every space as &nbsp;: give the words their spaces back.
      textarea.value = empty ? "" : quill.getSemanticHTML().replace(/&nbsp;/g, " ");
    };
    quill.on("text-change", sync);
    if (textarea.form) { textarea.form.addEventListener("submit", sync); }
    if (textarea.id) {
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) { quill.root.setAttribute("aria-label", label.textContent.trim()); }
    }
    textarea.quill = quill;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea.rich-text"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.PortalEditor = {enhance: enhance, init: init};
})();
