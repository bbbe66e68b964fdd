// "Enter your code": from an app or a token the person holds, or one Okta sent (SMS, voice
// call, email), which can be sent again once Okta allows it (`resendInSeconds`, counted down
// here). The field's shape (digits and how many, or text) is the stage's; see code-field.js.
import { formatDuration, setStatus } from "../dom.js";
import { codeName, createCodeField } from "../code-field.js";
import { createRememberDevice } from "../remember-device.js";

const SENT_BY = { sms: "by text message", call: "by a voice call", email: "by email" };

export function mount(root, { params, app }) {
  const lead = root.querySelector("#code-lead");
  const sentTo = root.querySelector("#code-sent-to");
  const status = root.querySelector("#code-status");
  const cancel = root.querySelector("#code-cancel");
  const resendRow = root.querySelector("#code-resend-row");
  const resend = root.querySelector("#code-resend");
  const resendWait = root.querySelector("#code-resend-wait");
  const field = createCodeField({
    form: root.querySelector("#code-form"),
    input: root.querySelector("#code"),
    label: root.querySelector("#code-label"),
    submit: root.querySelector("#code-submit"),
    status,
    app,
  });

  const remember = createRememberDevice(root, app);
  let timer = null;
  let resending = false;

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  /** Counts down to when Okta sends a new code; `null`: no new code can be asked for. */
  function countdown(seconds) {
    stopTimer();
    resendRow.hidden = seconds === null || seconds === undefined;
    if (resendRow.hidden) return;
    const deadline = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left > 0) {
        resend.disabled = true;
        resendWait.textContent = `You can ask for a new code in ${formatDuration(left)}.`;
        return;
      }
      stopTimer();
      resend.disabled = resending;
      resendWait.textContent = "Didn't get it? You can ask for a new code.";
    };
    tick();
    if (seconds > 0) timer = setInterval(tick, 1000);
  }

  function apply(stage) {
    const { factor } = stage;
    const name = codeName(stage);
    const activating = stage.purpose === "activate";
    const sentBy = SENT_BY[factor.kind];
    root.querySelector("#code-title").textContent = activating ? "Confirm the new code" : "Enter your code";
    if (stage.purpose === "recover") {
      lead.textContent = sentBy
        ? `We sent a ${name} ${sentBy}. Type it to prove it's you.`
        : `Type the ${name} from ${factor.label} to prove it's you.`;
    } else if (sentBy) {
      lead.textContent = activating
        ? `We sent a ${name} ${sentBy}. Type it to finish setting up ${factor.label}.`
        : `We sent a ${name} ${sentBy}. Type it to verify it's you.`;
    } else if (activating) {
      lead.textContent = `Type the ${name} ${factor.label} now shows, to finish setting it up.`;
    } else if (factor.kind === "totp") {
      // Its label ("Okta Verify code") names the choice, not the app the code comes from.
      lead.textContent = `Type the ${name} Okta Verify shows.`;
    } else {
      lead.textContent = `Type the ${name} from ${factor.label}.`;
    }
    sentTo.hidden = !factor.sentTo;
    sentTo.textContent = factor.sentTo ? `Sent to ${factor.sentTo}` : "";
    resending = false;
    countdown(stage.resendInSeconds);
    remember.apply(stage);
    field.apply(stage);
  }

  const onResend = async () => {
    resending = true;
    resend.disabled = true;
    setStatus(status, app.activity("sendingCode"));
    try {
      await app.send({ command: "resendCode" });
    } catch (error) {
      resending = false;
      resend.disabled = false;
      setStatus(status, error.message, "error");
    }
  };
  const onCancel = () => app.cancel();

  resend.addEventListener("click", onResend);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) field.working(working);
      if (commandFailed && resending) {
        // Okta would not send a new code yet (say, too soon): the code screen stands.
        resending = false;
        resend.disabled = false;
        setStatus(status, commandFailed.error.message, "error");
      } else if (commandFailed) {
        field.failed(commandFailed.error.message);
      }
    },
    destroy() {
      stopTimer();
      remember.destroy();
      field.destroy();
      resend.removeEventListener("click", onResend);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
