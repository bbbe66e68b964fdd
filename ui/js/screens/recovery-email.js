// "Check your email": Okta emailed a link to reset the password (or unlock the account).
// The person opens the email and pastes the link here (or only the code at its end); the
// org's other recovery factors, when it allows any, are offered below.
import { mountCommandForm } from "../command-form.js";
import { el, setFieldError, setStatus } from "../dom.js";

const WHAT_FOR = {
  resetPassword: "reset your password",
  unlockAccount: "unlock your account",
};

export function mount(root, { params, signInState, app }) {
  const input = root.querySelector("#recovery-token");
  const show = root.querySelector("#recovery-token-show");
  const others = root.querySelector("#recovery-others");
  const otherList = root.querySelector("#recovery-other-list");
  const status = root.querySelector("#recovery-email-status");
  const whatFor = WHAT_FOR[signInState.recovery] ?? WHAT_FOR.resetPassword;
  root.querySelector("#recovery-email-lead").textContent =
    `Okta sent an email with a link to ${whatFor}. Open the email, copy the link and paste it here to go on in OktaDesk.`;

  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  let buttons = [];

  function drawOthers(factors) {
    others.hidden = factors.length === 0;
    buttons = factors.map((factor) => {
      const button = el("button", {
        className: "button button-secondary",
        text: factor.label,
        attrs: { type: "button", "data-factor": factor.kind },
      });
      button.addEventListener("click", async () => {
        buttons.forEach((b) => (b.disabled = true));
        setStatus(status, app.activity("switchingFactor"));
        try {
          await app.send({ command: "chooseFactor", key: factor.key });
        } catch (error) {
          buttons.forEach((b) => (b.disabled = false));
          setStatus(status, error.message, "error");
        }
      });
      return button;
    });
    otherList.replaceChildren(...buttons.map((button) => el("li", {}, [button])));
  }

  const screen = mountCommandForm({
    app,
    form: root.querySelector("#recovery-email-form"),
    field: input,
    submit: root.querySelector("#recovery-email-submit"),
    status,
    cancel: root.querySelector("#recovery-email-cancel"),
    activity: "verifyingCode",
    check() {
      if (input.value.trim() !== "") return true;
      setFieldError(input, "Paste the link from the email, or the code at its end.");
      input.focus();
      return false;
    },
    command: () => ({ command: "submitRecoveryToken", token: input.value.trim() }),
    apply(stage) {
      drawOthers(stage.factors ?? []);
      setFieldError(input, stage.lastError?.message ?? "");
      input.focus();
      if (stage.lastError) input.select();
    },
    listeners: [[show, "change", onShow]],
  });
  screen.show(params.stage);
  return {
    ...screen,
    destroy() {
      screen.destroy();
      input.value = "";
    },
  };
}
