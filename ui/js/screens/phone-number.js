// "Add your phone number" (SMS or voice call enrollment). The number's rule is the core's
// (`PhoneNumber::parse`): the hint repeats it, the Rust side decides, and its message (or
// Okta's) shows beside the field.
import { setFieldError, setStatus } from "../dom.js";

const HOW = { sms: "by text message", call: "by a voice call" };

export function mount(root, { params, app }) {
  const form = root.querySelector("#phone-number-form");
  const input = root.querySelector("#phone-number");
  const lead = root.querySelector("#phone-number-lead");
  const current = root.querySelector("#phone-number-current");
  const status = root.querySelector("#phone-number-status");
  const submit = root.querySelector("#phone-number-submit");
  const cancel = root.querySelector("#phone-number-cancel");
  let sending = false;

  function unlock() {
    sending = false;
    submit.disabled = false;
    input.readOnly = false;
  }

  function apply(stage) {
    unlock();
    setStatus(status, "");
    const how = HOW[stage.factor.kind] ?? "by text message";
    lead.textContent = `OktaDesk asks Okta to send a code to this number ${how}, to finish setting up ${stage.factor.label}.`;
    current.hidden = !stage.currentPhone;
    current.textContent = stage.currentPhone
      ? `Your account has ${stage.currentPhone} on file. A number entered here replaces it.`
      : "";
    setFieldError(input, stage.lastError?.message ?? "");
    input.focus();
    if (stage.lastError) input.select();
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    if (sending) return;
    // Spaces, dashes and brackets are how people write numbers, not part of them.
    const phoneNumber = input.value.replace(/[\s().-]/g, "");
    sending = true;
    submit.disabled = true;
    input.readOnly = true;
    setFieldError(input, "");
    setStatus(status, app.activity("sendingCode"));
    try {
      await app.send({ command: "submitPhoneNumber", phoneNumber });
    } catch (error) {
      unlock();
      setStatus(status, "");
      setFieldError(input, error.message);
      input.focus();
    }
  };
  const onInput = () => {
    if (input.getAttribute("aria-invalid")) setFieldError(input, "");
  };
  const onCancel = () => app.cancel();

  form.addEventListener("submit", onSubmit);
  input.addEventListener("input", onInput);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) {
        unlock();
        setStatus(status, "");
        setFieldError(input, commandFailed.error.message);
      }
    },
    destroy() {
      form.removeEventListener("submit", onSubmit);
      input.removeEventListener("input", onInput);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
