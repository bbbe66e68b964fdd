// Small helpers for accessible form feedback and safe DOM building.

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

/** Creates an element with text content (never HTML) and attributes. */
export function el(tag, { text, className, attrs = {} } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** Says `message` to screen readers without moving focus. */
export function announce(message) {
  const announcer = document.getElementById("announcer");
  announcer.textContent = "";
  // A fresh text node in a later frame makes repeated messages be read again.
  requestAnimationFrame(() => {
    announcer.textContent = message;
  });
}

/** "1:05" from 65 seconds. */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Parses SVG markup from the Rust side (the core draws the QR) into a node, without scripts. */
export function svgNode(markup) {
  const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg" || doc.querySelector("parsererror, script, foreignObject")) {
    return null;
  }
  return document.importNode(svg, true);
}
