// "Choose a new password": after a password reset proved who the person is. The org's rules
// are listed before anything is typed and ticked off while typing; the password is typed
// twice; a password the org's policy refuses comes back with Okta's reason beside the field.
import { setFieldError, setStatus } from "../dom.js";
import { brokenRules, drawRules, rulesFor } from "../password-rules.js";

export function mount(root, { params, signInState, app }) {
  const form = root.querySelector("#new-password-form");
  const newPassword = root.querySelector("#reset-password");
  const confirm = root.querySelector("#reset-confirm");
  const show = root.querySelector("#reset-show");
  const rulesList = root.querySelector("#reset-rules");
  const rulesLead = root.querySelector("#reset-rules-lead");
  const status = root.querySelector("#new-password-status");
  const submit = root.querySelector("#new-password-submit");
  const cancel = root.querySelector("#new-password-cancel");
  let rules = [];
  let sending = false;

  function hold(held) {
    sending = held;
    submit.disabled = held;
    newPassword.readOnly = held;
    confirm.readOnly = held;
  }

  function apply(stage) {
    hold(false);
    rules = rulesFor(stage.complexity, signInState.draft.username);
    rulesLead.hidden = rules.length === 0;
    drawRules(rulesList, rules, newPassword.value);
    setStatus(status, "");
    if (stage.lastError) {
      // The org turned this one down (its history, a common word...): say why, and let it be
      // typed again from scratch.
      setFieldError(newPassword, stage.lastError.message);
      confirm.value = "";
      newPassword.focus();
      newPassword.select();
    } else {
      setFieldError(newPassword, "");
      newPassword.focus();
    }
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    if (sending) return;
    const newError = newPassword.value ? brokenRules(rules, newPassword.value) : "Enter a new password.";
    setFieldError(newPassword, newError);
    const mismatch =
      !newError && confirm.value !== newPassword.value ? "The two passwords are not the same. Type it again." : "";
    setFieldError(confirm, mismatch);
    if (newError || mismatch) {
      form.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    hold(true);
    setStatus(status, app.activity("resettingPassword"));
    try {
      await app.send({ command: "setNewPassword", newPassword: newPassword.value });
    } catch (error) {
      hold(false);
      setStatus(status, "");
      setFieldError(newPassword, error.message);
      newPassword.focus();
    }
  };
  const onInput = () => {
    drawRules(rulesList, rules, newPassword.value);
    setFieldError(newPassword, "");
  };
  const onConfirmInput = () => setFieldError(confirm, "");
  const onShow = () => {
    const type = show.checked ? "text" : "password";
    newPassword.type = type;
    confirm.type = type;
  };
  const onCancel = () => app.cancel();

  const listeners = [
    [form, "submit", onSubmit],
    [newPassword, "input", onInput],
    [confirm, "input", onConfirmInput],
    [show, "change", onShow],
    [cancel, "click", onCancel],
  ];
  for (const [target, type, handler] of listeners) target.addEventListener(type, handler);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) {
        hold(false);
        setStatus(status, "");
        setFieldError(newPassword, commandFailed.error.message);
        newPassword.focus();
      }
    },
    destroy() {
      for (const [target, type, handler] of listeners) target.removeEventListener(type, handler);
      // The fields go with the screen; nothing keeps what was typed.
      newPassword.value = "";
      confirm.value = "";
    },
  };
}
