// "Add your phone number" (SMS or voice call enrollment). The number's rule is the core's
// (`PhoneNumber::read`, through `validate_phone_number`): the hint repeats it, the Rust side
// reads the number as typed and decides, and its message (or Okta's) shows beside the field.
import { mountCommandForm } from "../command-form.js";
import { setFieldError } from "../dom.js";
import { validatePhoneNumber } from "../ipc.js";

const HOW = { sms: "by text message", call: "by a voice call" };

export function mount(root, { params, app }) {
  const input = root.querySelector("#phone-number");
  const lead = root.querySelector("#phone-number-lead");
  const current = root.querySelector("#phone-number-current");
  const onInput = () => {
    if (input.getAttribute("aria-invalid")) setFieldError(input, "");
  };
  const screen = mountCommandForm({
    app,
    form: root.querySelector("#phone-number-form"),
    field: input,
    submit: root.querySelector("#phone-number-submit"),
    status: root.querySelector("#phone-number-status"),
    cancel: root.querySelector("#phone-number-cancel"),
    activity: "sendingCode",
    check: () => true,
    command: async () => ({ command: "submitPhoneNumber", phoneNumber: await validatePhoneNumber(input.value) }),
    apply(stage) {
      const how = HOW[stage.factor.kind] ?? "by text message";
      lead.textContent = `OktaDesk asks Okta to send a code to this number ${how}, to finish setting up ${stage.factor.label}.`;
      current.hidden = !stage.currentPhone;
      current.textContent = stage.currentPhone
        ? `Your account has ${stage.currentPhone} on file. A number entered here replaces it.`
        : "";
      setFieldError(input, stage.lastError?.message ?? "");
      input.focus();
      if (stage.lastError) input.select();
    },
    listeners: [[input, "input", onInput]],
  });
  screen.show(params.stage);
  return screen;
}
