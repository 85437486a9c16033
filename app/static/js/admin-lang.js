/* The back office's <html lang> (Flask-Admin's base template has none), from this script tag's data-lang:
 * set before anything reads it (screen readers, the rich-text editor). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && script.dataset.lang) { document.documentElement.lang = script.dataset.lang; }
})();
