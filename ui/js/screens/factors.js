// "Verify it's you" / "Set up a factor": the factors the org offers, one button each.
import { el, setStatus } from "../dom.js";

export function mount(root, { params, app }) {
  const stage = params.stage;
  const list = root.querySelector("#factor-list");
  const status = root.querySelector("#factors-status");
  const skip = root.querySelector("#factors-skip");
  const cancel = root.querySelector("#factors-cancel");
  const enrolling = stage.purpose === "enroll";

  root.querySelector("#factors-title").textContent = enrolling ? "Set up a way to verify" : "Verify it's you";
  root.querySelector("#factors-lead").textContent = enrolling
    ? "Your organization asks you to set up one of these."
    : "Choose how to verify this sign-in.";
  skip.hidden = !stage.canSkip;

  const buttons = stage.factors.map((factor, index) => {
    const detail = factor.deviceName
      ? `On ${factor.deviceName}`
      : factor.kind === "push"
        ? "Approve a notification on your phone"
        : "Type the six-digit code from the app";
    // Named by the factor, described by the detail: read as one run-on sentence otherwise.
    const labelId = `factor-label-${index}`;
    const detailId = `factor-detail-${index}`;
    const button = el(
      "button",
      {
        className: "choice",
        attrs: { type: "button", "data-factor": factor.kind, "aria-labelledby": labelId, "aria-describedby": detailId },
      },
      [
        el("span", { className: "choice-label", text: factor.label, attrs: { id: labelId } }),
        el("span", { className: "choice-detail", text: detail, attrs: { id: detailId } }),
      ],
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
      skip.removeEventListener("click", onSkip);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
