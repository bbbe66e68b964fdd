// "Check your phone": the push, live while the core polls. A number challenge shows big;
// rejected and timed out offer a new push or a code instead.
import { formatDuration, setStatus } from "../dom.js";
import { createRememberDevice } from "../remember-device.js";

/** Offer "send again" only after a while: an impatient resend just races the first push. */
const RESEND_AFTER_SECONDS = 30;

export function mount(root, { params, signInState, app }) {
  const title = root.querySelector("#push-title");
  const lead = root.querySelector("#push-lead");
  const numberBox = root.querySelector("#push-number-box");
  const number = root.querySelector("#push-number");
  const wait = root.querySelector("#push-wait");
  const elapsed = root.querySelector("#push-elapsed");
  const status = root.querySelector("#push-status");
  const cancel = root.querySelector("#push-cancel");
  const resend = root.querySelector("#push-resend");
  const useCode = root.querySelector("#push-code");
  const remember = createRememberDevice(root, app);

  let started = Date.now();
  let waiting = true;
  let deviceName = null;
  const codeFactor =
    signInState.factors.find((factor) => factor.kind === "totp") ??
    signInState.factors.find((factor) => factor.kind === "google");

  const timer = setInterval(() => {
    if (!waiting) return;
    const seconds = (Date.now() - started) / 1000;
    elapsed.textContent = `Waiting for your answer · ${formatDuration(seconds)}`;
    if (seconds >= RESEND_AFTER_SECONDS) resend.hidden = false;
  }, 1000);

  function apply(stage) {
    setStatus(status, "");
    // A push that ended takes no remember-device choice: only a new one can.
    remember.apply(stage);
    deviceName = stage.deviceName ?? deviceName;
    const device = deviceName ?? "your phone";
    switch (stage.stage) {
      case "pushSent":
        if (!waiting) started = Date.now();
        waiting = true;
        title.textContent = "Check your phone";
        lead.textContent = `We sent a push to ${device}. Open the notification and approve it.`;
        numberBox.hidden = true;
        wait.hidden = false;
        resend.hidden = true;
        useCode.hidden = true;
        elapsed.textContent = "Waiting for your answer";
        break;
      case "numberChallenge":
        waiting = true;
        title.textContent = `Tap ${stage.number} in Okta Verify`;
        lead.textContent = `Okta Verify on ${device} shows three numbers. Tap this one to approve.`;
        number.textContent = String(stage.number);
        numberBox.hidden = false;
        wait.hidden = false;
        break;
      case "pushRejected":
      case "pushTimedOut":
        waiting = false;
        title.textContent = stage.stage === "pushRejected" ? "Push denied" : "Push timed out";
        lead.textContent = "";
        numberBox.hidden = true;
        wait.hidden = true;
        setStatus(status, stage.error.message, "error");
        resend.hidden = false;
        useCode.hidden = !codeFactor;
        resend.focus();
        break;
      default:
        break;
    }
  }

  const onCancel = () => app.cancel();
  const onResend = async () => {
    resend.disabled = true;
    try {
      await app.send({ command: "resendPush" });
      started = Date.now();
    } catch (error) {
      setStatus(status, error.message, "error");
    } finally {
      resend.disabled = false;
    }
  };
  const onUseCode = () =>
    app
      .send({ command: "chooseFactor", key: codeFactor.key })
      .catch((error) => setStatus(status, error.message, "error"));

  cancel.addEventListener("click", onCancel);
  resend.addEventListener("click", onResend);
  useCode.addEventListener("click", onUseCode);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) setStatus(status, commandFailed.error.message, "error");
    },
    destroy() {
      clearInterval(timer);
      remember.destroy();
      cancel.removeEventListener("click", onCancel);
      resend.removeEventListener("click", onResend);
      useCode.removeEventListener("click", onUseCode);
    },
  };
}
