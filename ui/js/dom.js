// Small helpers for accessible form feedback.

/** Shows (or clears, with an empty message) the inline error tied to `input` via aria-describedby. */
export function setFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  error.textContent = message ?? "";
  if (message) {
    input.setAttribute("aria-invalid", "true");
  } else {
    input.removeAttribute("aria-invalid");
  }
}

/** Writes a form-level status; tone "error" styles it as a failure. */
export function setStatus(element, message, tone = "info") {
  element.textContent = message ?? "";
  element.dataset.tone = tone;
}
