/* What Flask-Admin's inline handlers did, from a file: the Content-Security-Policy (app/core/security.py) runs
 * no onclick="..." and no javascript: link. The templates in app/templates/admin/ carry data attributes instead:
 *   <button data-confirm="...">          asks before its form is submitted (deleting a row);
 *   <a data-model-action="name">         runs a bulk action on the ticked rows ("With selected");
 *   <a data-inline-add="field-id">       adds an inline sub-form.
 * Links to "javascript:void(0)" (tabs, dropdown toggles, pagination) are kept from navigating at all. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) { return; }
    var link = target.closest('a[href^="javascript:"]');
    if (link) { event.preventDefault(); }
    var action = target.closest("[data-model-action]");
    if (action && window.modelActions) {
      event.preventDefault();
      window.modelActions.execute(action.getAttribute("data-model-action"));
      return;
    }
    var inline = target.closest("[data-inline-add]");
    if (inline && window.faForm) {
      event.preventDefault();
      window.faForm.addInlineField(inline, inline.getAttribute("data-inline-add"));
    }
  }, true);

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
})();
