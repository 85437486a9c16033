/* Rich-text editing in the back office: every <textarea class="rich-text"> becomes a Quill editor.
 *
 * The textarea stays in the form (hidden) and always holds the editor's HTML, so the form posts
 * exactly what it would post without JavaScript; the server sanitises it (app.core.text.sanitize_html).
 * The image button picks (or uploads) a picture through the one media picker (media-picker.js).
 */
(function () {
  "use strict";

  var lang = (document.documentElement.getAttribute("lang") || document.body.getAttribute("data-lang") || "vi");
  var T = lang.indexOf("en") === 0 ? {editor: "Rich-text editor"} : {editor: "Trình soạn thảo văn bản"};

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
    // The one media picker (media-picker.js): search, thumbnails and upload from inside it.
    window.MediaPicker.open({kinds: ["image"], multiple: false, returnFocus: quill.root,
                             onChoose: function (item) { insertImage(quill, item); }});
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
