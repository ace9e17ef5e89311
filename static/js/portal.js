// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("submit", (event) => {
  // Guard against double submits: disable the button once a form is on its way.
  const form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach((b) => b.setAttribute("aria-disabled", "true"));
});
document.addEventListener("change", (event) => {
  // Selects marked data-autosubmit (filters) submit their form at once.
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target.closest("form");
  if (!form) return;
  // The form stays on the page after an htmx answer: make it usable again.
  delete form.dataset.submitted;
  form.querySelectorAll("button[type=submit][aria-disabled]").forEach((b) => b.removeAttribute("aria-disabled"));
});
