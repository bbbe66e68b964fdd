// The code field every code screen shares. Its shape comes from the stage, never from a
// number here: `codeFormat: "digits"` takes only digits, as many as `codeDigits`, and sends
// itself once all are typed; `codeFormat: "text"` (a hardware token's code, or a PIN and
// the token's code) takes letters and digits and is sent with the Verify button.
// A refused code stays in the field (selected) with the reason beside it.
import { setFieldError, setStatus } from "./dom.js";

const DIGIT_WORDS = { 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight" };
/** The core's bound on any code (`MAX_INPUT_CHARS`); it checks the rest. */
const MAX_TEXT_CHARS = 64;

/** How a stage's code reads: "six-digit code", or "code" for text. */
export function codeName(stage) {
  if (stage.codeFormat === "text" || !stage.codeDigits) return "code";
  return `${DIGIT_WORDS[stage.codeDigits] ?? stage.codeDigits}-digit code`;
}

/**
 * Wires `form` (with `input`, its `label`, a submit button and a `status` line) to send
 * `submitCode`. Returns `{ apply(stage), failed(message), working(message), destroy() }`.
 */
export function createCodeField({ form, input, label, submit, status, app }) {
  let stage = null;
  let sending = false;
  let lastSent = null;

  const isText = () => stage.codeFormat === "text" || !stage.codeDigits;

  function unlock() {
    sending = false;
    submit.disabled = false;
    input.readOnly = false;
  }

  function shape() {
    const name = codeName(stage);
    label.textContent = name.charAt(0).toUpperCase() + name.slice(1);
    if (isText()) {
      input.inputMode = "text";
      input.removeAttribute("pattern");
      input.maxLength = MAX_TEXT_CHARS;
      input.classList.remove("code-input");
      input.classList.add("code-input-text");
    } else {
      input.inputMode = "numeric";
      input.setAttribute("pattern", "[0-9]*");
      input.maxLength = stage.codeDigits;
      input.classList.add("code-input");
      input.classList.remove("code-input-text");
    }
  }

  async function send() {
    const code = isText() ? input.value.trim() : input.value;
    if (isText() ? code.length === 0 : code.length !== stage.codeDigits) {
      setFieldError(input, isText() ? "Type the code." : `Type all the digits of the ${codeName(stage)}.`);
      input.focus();
      return;
    }
    if (sending) return;
    sending = true;
    lastSent = code;
    submit.disabled = true;
    input.readOnly = true;
    setFieldError(input, "");
    setStatus(status, app.activity("verifyingCode"));
    try {
      await app.send({ command: "submitCode", code });
    } catch (error) {
      unlock();
      setStatus(status, "");
      setFieldError(input, error.message);
      input.focus();
    }
  }

  // Digits: keep digits only, whatever was typed or pasted ("123 456", "123-456").
  const onInput = () => {
    if (input.getAttribute("aria-invalid")) setFieldError(input, "");
    if (isText()) return;
    const digits = input.value.replace(/\D/g, "").slice(0, stage.codeDigits);
    if (digits !== input.value) input.value = digits;
    if (digits.length === stage.codeDigits && digits !== lastSent) send();
  };
  const onPaste = (event) => {
    if (isText()) return;
    const text = event.clipboardData?.getData("text") ?? "";
    const digits = text.replace(/\D/g, "");
    if (digits.length > 0) {
      event.preventDefault();
      input.value = digits.slice(0, stage.codeDigits);
      onInput();
    }
  };
  const onSubmit = (event) => {
    event.preventDefault();
    lastSent = null;
    send();
  };

  input.addEventListener("input", onInput);
  input.addEventListener("paste", onPaste);
  form.addEventListener("submit", onSubmit);

  return {
    /** Takes a (new) needsCode stage: its shape, and why the last code failed, if it did. */
    apply(next) {
      const again = stage !== null;
      stage = next;
      lastSent = again && next.lastError ? input.value : null;
      shape();
      unlock();
      setStatus(status, "");
      if (next.lastError) {
        setFieldError(input, next.lastError.message);
        input.focus();
        input.select();
      } else {
        setFieldError(input, "");
        input.focus();
      }
    },
    failed(message) {
      unlock();
      setStatus(status, "");
      setFieldError(input, message);
    },
    working(message) {
      setStatus(status, message);
    },
    destroy() {
      input.removeEventListener("input", onInput);
      input.removeEventListener("paste", onPaste);
      form.removeEventListener("submit", onSubmit);
    },
  };
}
