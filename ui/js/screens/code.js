// "Enter your code": paste-friendly, digits only, sent as soon as it has all its digits.
// How many digits is the core's rule, carried by the stage (`codeDigits`), never a number here.
// A refused code stays in the field (selected) with the reason beside it.
import { setFieldError, setStatus } from "../dom.js";

const DIGIT_WORDS = { 6: "six", 7: "seven", 8: "eight" };

export function mount(root, { params, app }) {
  const form = root.querySelector("#code-form");
  const input = root.querySelector("#code");
  const status = root.querySelector("#code-status");
  const submit = root.querySelector("#code-submit");
  const cancel = root.querySelector("#code-cancel");
  const lead = root.querySelector("#code-lead");

  let sending = false;
  let lastSent = null;
  let length = params.stage.codeDigits;
  let digitWord = DIGIT_WORDS[length] ?? String(length);

  function apply(stage) {
    length = stage.codeDigits;
    digitWord = DIGIT_WORDS[length] ?? String(length);
    input.maxLength = length;
    sending = false;
    submit.disabled = false;
    input.readOnly = false;
    setStatus(status, "");
    const activating = stage.purpose === "activate";
    root.querySelector("#code-title").textContent = activating ? "Confirm the new code" : "Enter your code";
    lead.textContent = activating
      ? `Type the ${digitWord}-digit code ${stage.factor.label} now shows, to finish setting it up.`
      : `Type the ${digitWord}-digit code from ${stage.factor.label}.`;
    if (stage.lastError) {
      setFieldError(input, stage.lastError.message);
      input.focus();
      input.select();
    } else {
      setFieldError(input, "");
      input.focus();
    }
  }

  async function send() {
    const code = input.value;
    if (code.length !== length) {
      setFieldError(input, `Type all ${digitWord} digits of the code.`);
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
      sending = false;
      submit.disabled = false;
      input.readOnly = false;
      setStatus(status, "");
      setFieldError(input, error.message);
      input.focus();
    }
  }

  // Keep digits only, whatever was typed or pasted ("123 456", "123-456").
  const onInput = () => {
    const digits = input.value.replace(/\D/g, "").slice(0, length);
    if (digits !== input.value) input.value = digits;
    if (input.getAttribute("aria-invalid")) setFieldError(input, "");
    if (digits.length === length && digits !== lastSent) send();
  };
  const onPaste = (event) => {
    const text = event.clipboardData?.getData("text") ?? "";
    const digits = text.replace(/\D/g, "");
    if (digits.length > 0) {
      event.preventDefault();
      input.value = digits.slice(0, length);
      onInput();
    }
  };
  const onSubmit = (event) => {
    event.preventDefault();
    lastSent = null;
    send();
  };
  const onCancel = () => app.cancel();

  input.addEventListener("input", onInput);
  input.addEventListener("paste", onPaste);
  form.addEventListener("submit", onSubmit);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) {
        lastSent = stage.lastError ? input.value : null;
        apply(stage);
      }
      if (working) setStatus(status, working);
      if (commandFailed) {
        sending = false;
        submit.disabled = false;
        input.readOnly = false;
        setStatus(status, "");
        setFieldError(input, commandFailed.error.message);
      }
    },
    destroy() {
      input.removeEventListener("input", onInput);
      input.removeEventListener("paste", onPaste);
      form.removeEventListener("submit", onSubmit);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
