// "Change your password": for an expired password (required) or one that expires soon
// (optional). The org's complexity rules show as a checklist while typing.
import { setFieldError, setStatus } from "../dom.js";
import { drawRules as drawRuleList, rulesFor } from "../password-rules.js";

export function mount(root, { params, signInState, app }) {
  const form = root.querySelector("#change-form");
  const oldPassword = root.querySelector("#old-password");
  const newPassword = root.querySelector("#new-password");
  const confirm = root.querySelector("#confirm-password");
  const rulesList = root.querySelector("#rules");
  const status = root.querySelector("#change-status");
  const submit = root.querySelector("#change-submit");
  const skip = root.querySelector("#change-skip");
  let rules = [];

  // The password just typed is the current one; nobody should have to type it twice.
  oldPassword.value = signInState.draft.password;
  // The field holds it now; the draft forgets it (see onStage in app.js).
  signInState.draft.password = "";

  function drawRules() {
    drawRuleList(rulesList, rules, newPassword.value);
  }

  function apply(stage) {
    submit.disabled = false;
    const expired = stage.stage === "passwordExpired";
    root.querySelector("#change-title").textContent = expired ? "Your password has expired" : "Your password expires soon";
    root.querySelector("#change-lead").textContent = expired
      ? "Choose a new password to continue signing in."
      : stage.expireDays != null
        ? `It expires in ${stage.expireDays} day${stage.expireDays === 1 ? "" : "s"}. Change it now, or later.`
        : "Change it now, or later.";
    skip.hidden = !(stage.canSkip ?? false);
    rules = rulesFor(stage.complexity, signInState.draft.username);
    drawRules();
    if (stage.lastError) {
      setStatus(status, stage.lastError.message, "error");
      newPassword.focus();
      newPassword.select();
    } else {
      (oldPassword.value ? newPassword : oldPassword).focus();
    }
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    setStatus(status, "");
    let bad = false;
    setFieldError(oldPassword, oldPassword.value ? "" : "Enter your current password.");
    bad ||= !oldPassword.value;
    const broken = rules.filter((rule) => !rule.ok(newPassword.value));
    const newError = !newPassword.value
      ? "Enter a new password."
      : broken.length > 0
        ? `The new password needs: ${broken.map((r) => r.text.toLowerCase()).join(", ")}.`
        : "";
    setFieldError(newPassword, newError);
    bad ||= Boolean(newError);
    const mismatch = confirm.value !== newPassword.value ? "The two new passwords are not the same. Type it again." : "";
    setFieldError(confirm, mismatch);
    bad ||= Boolean(mismatch);
    if (bad) {
      form.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    submit.disabled = true;
    try {
      await app.send({ command: "changePassword", oldPassword: oldPassword.value, newPassword: newPassword.value });
    } catch (error) {
      submit.disabled = false;
      setStatus(status, error.message, "error");
    }
  };
  const onSkip = () => app.send({ command: "skip" }).catch((error) => setStatus(status, error.message, "error"));
  const onNewInput = () => {
    drawRules();
    setFieldError(newPassword, "");
  };

  form.addEventListener("submit", onSubmit);
  skip.addEventListener("click", onSkip);
  newPassword.addEventListener("input", onNewInput);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) {
        submit.disabled = false;
        setStatus(status, commandFailed.error.message, "error");
      }
    },
    destroy() {
      form.removeEventListener("submit", onSubmit);
      skip.removeEventListener("click", onSkip);
      newPassword.removeEventListener("input", onNewInput);
    },
  };
}
