// "Verify it's you" / "Set up a factor": the factors the org offers, one button each, in
// Okta's order, named as Okta names them (with where codes go), and those only a browser can
// do marked as such up front.
import { el, setStatus } from "../dom.js";
import { createRememberDevice } from "../remember-device.js";

const TITLES = {
  enroll: "Set up a way to verify",
  verify: "Verify it's you",
  recover: "Reset your password",
  unlock: "Unlock your account",
};
const LEADS = {
  enroll: "Your organization asks you to set up one of these.",
  verify: "Choose how to verify this sign-in.",
  recover: "How should Okta verify it's you?",
  unlock: "How should Okta verify it's you?",
};

export function mount(root, { params, app }) {
  const stage = params.stage;
  const list = root.querySelector("#factor-list");
  const status = root.querySelector("#factors-status");
  const skip = root.querySelector("#factors-skip");
  const cancel = root.querySelector("#factors-cancel");
  const enrolling = stage.purpose === "enroll";
  const recovering = stage.purpose === "recover" || stage.purpose === "unlock";

  root.querySelector("#factors-title").textContent = TITLES[stage.purpose] ?? "Verify it's you";
  root.querySelector("#factors-lead").textContent = LEADS[stage.purpose] ?? "Choose how to verify this sign-in.";
  skip.hidden = !stage.canSkip;
  const remember = createRememberDevice(root, app);
  remember.apply(stage);

  const buttons = stage.factors.map((factor, index) => {
    // Named by the factor, described by the detail: read as one run-on sentence otherwise.
    const labelId = `factor-label-${index}`;
    const detailId = `factor-detail-${index}`;
    const parts = [
      el("span", { className: "choice-label", text: factor.label, attrs: { id: labelId } }),
      el("span", { className: "choice-detail", text: describe(factor, enrolling, recovering), attrs: { id: detailId } }),
    ];
    const badgeId = `factor-badge-${index}`;
    if (factor.needsBrowser) {
      parts.push(el("span", { className: "choice-badge", text: "Continues in your browser", attrs: { id: badgeId } }));
    }
    const button = el(
      "button",
      {
        className: "choice",
        attrs: {
          type: "button",
          "data-factor": factor.kind,
          "data-needs-browser": factor.needsBrowser ? "true" : null,
          "aria-labelledby": labelId,
          "aria-describedby": factor.needsBrowser ? `${detailId} ${badgeId}` : detailId,
        },
      },
      parts,
    );
    button.addEventListener("click", async () => {
      buttons.forEach((b) => (b.disabled = true));
      try {
        await app.send({ command: "chooseFactor", key: factor.key });
      } catch (error) {
        setStatus(status, error.message, "error");
        buttons.forEach((b) => (b.disabled = false));
      }
    });
    return button;
  });
  list.replaceChildren(...buttons.map((button) => el("li", {}, [button])));
  buttons[0]?.focus();
  // Why the last pick did not go on (Okta refused it, a rate limit, an enrollment turned down).
  if (stage.lastError) setStatus(status, stage.lastError.message, "error");

  const onSkip = () => app.send({ command: "skip" }).catch((error) => setStatus(status, error.message, "error"));
  const onCancel = () => app.cancel();
  skip.addEventListener("click", onSkip);
  cancel.addEventListener("click", onCancel);

  return {
    update({ working, commandFailed }) {
      if (working) setStatus(status, working);
      if (commandFailed) {
        setStatus(status, commandFailed.error.message, "error");
        buttons.forEach((b) => (b.disabled = false));
      }
    },
    destroy() {
      remember.destroy();
      skip.removeEventListener("click", onSkip);
      cancel.removeEventListener("click", onCancel);
    },
  };
}

/** What choosing `factor` leads to, in a line under its label. */
function describe(factor, enrolling, recovering) {
  if (factor.deviceName) return `On ${factor.deviceName}`;
  const to = factor.sentTo;
  // Recovery by email is a link on Classic and a code on Identity Engine: say what both are.
  if (recovering && factor.kind === "email") {
    return to ? `Email ${to} a link or code` : "Get an email with a link or code";
  }
  switch (factor.kind) {
    case "push":
      return "Approve a notification on your phone";
    case "totp":
      return "Type the six-digit code from Okta Verify";
    case "google":
      return enrolling ? "Add it to Google Authenticator or another app" : "Type the code from your authenticator app";
    case "sms":
      return to ? `Text a code to ${to}` : enrolling ? "Get codes by text message" : "Get a code by text message";
    case "call":
      return to ? `Call ${to} with a code` : enrolling ? "Get codes by voice call" : "Get a code by voice call";
    case "email":
      return to ? `Email a code to ${to}` : "Get a code by email";
    case "question":
      return enrolling ? "Choose a question and answer it" : "Answer your security question";
    case "token":
      return "Type the code your token shows";
    default:
      return "Your organization's sign-in page in the browser";
  }
}
