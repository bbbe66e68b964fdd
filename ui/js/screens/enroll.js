// "Set up Okta Verify": the enrollment QR code, large and crisp, with a countdown; a new code
// after it expires; the activation link by email or SMS instead. Moves on by itself once the
// phone has scanned (the next stage replaces this screen).
import { el, formatDuration, setFieldError, setStatus, svgNode } from "../dom.js";

export function mount(root, { params, app }) {
  const qr = root.querySelector("#qr");
  const expired = root.querySelector("#qr-expired");
  const refresh = root.querySelector("#qr-refresh");
  const countdown = root.querySelector("#qr-countdown");
  const status = root.querySelector("#enroll-status");
  const linkSent = root.querySelector("#link-sent");
  const linkOptions = root.querySelector("#link-options");
  const emailButton = root.querySelector("#link-email");
  const smsForm = root.querySelector("#sms-form");
  const smsNumber = root.querySelector("#sms-number");
  const cancel = root.querySelector("#enroll-cancel");

  let timer = null;
  let channels = [];

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function startCountdown(seconds) {
    stopTimer();
    if (typeof seconds !== "number") {
      countdown.textContent = "";
      return;
    }
    const deadline = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.round((deadline - Date.now()) / 1000);
      if (left > 0) {
        countdown.textContent = `This code works for ${formatDuration(left)} more.`;
      } else {
        countdown.textContent = "This code has expired. Checking with Okta…";
        stopTimer();
      }
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function drawQr(stage) {
    const node = stage.svg ? svgNode(stage.svg) : null;
    if (node) {
      node.removeAttribute("width");
      node.removeAttribute("height");
      node.setAttribute("aria-hidden", "true");
      node.setAttribute("focusable", "false");
      qr.replaceChildren(node);
    } else if (stage.pngDataUrl) {
      qr.replaceChildren(el("img", { attrs: { src: stage.pngDataUrl, alt: "" } }));
    } else {
      qr.replaceChildren(el("p", { text: "The QR code could not be shown. Send the link instead." }));
      linkOptions.open = true;
    }
  }

  function drawChannels(list) {
    channels = list ?? channels;
    emailButton.hidden = !channels.includes("email");
    smsForm.hidden = !channels.includes("sms");
    linkOptions.hidden = channels.length === 0;
  }

  function apply(stage) {
    setStatus(status, "");
    refresh.disabled = false;
    switch (stage.stage) {
      case "enrollQr":
        expired.hidden = true;
        qr.classList.remove("is-dim");
        linkSent.hidden = true;
        drawQr(stage);
        drawChannels(stage.linkChannels ?? []);
        startCountdown(stage.expiresInSeconds);
        break;
      case "activationLinkSent":
        linkSent.hidden = false;
        linkSent.textContent =
          stage.channel === "sms"
            ? "We sent the activation link by SMS. Open it on your phone; this window moves on by itself."
            : "We sent the activation link by email. Open it on your phone; this window moves on by itself.";
        linkOptions.open = false;
        break;
      case "activationExpired":
        stopTimer();
        countdown.textContent = stage.error.message;
        qr.classList.add("is-dim");
        expired.hidden = false;
        refresh.focus();
        break;
      default:
        break;
    }
  }

  const onRefresh = async () => {
    refresh.disabled = true;
    try {
      await app.send({ command: "refreshQr" });
    } catch (error) {
      refresh.disabled = false;
      setStatus(status, error.message, "error");
    }
  };
  const onEmail = () =>
    app
      .send({ command: "sendActivationLink", link: { channel: "email" } })
      .catch((error) => setStatus(status, error.message, "error"));
  const onSms = async (event) => {
    event.preventDefault();
    const number = smsNumber.value.replace(/[\s()-]/g, "");
    if (!/^\+[0-9]{8,15}$/.test(number)) {
      setFieldError(smsNumber, "Type the number with its country code, for example +14155550123.");
      smsNumber.focus();
      return;
    }
    setFieldError(smsNumber, "");
    try {
      await app.send({ command: "sendActivationLink", link: { channel: "sms", phoneNumber: number } });
    } catch (error) {
      setFieldError(smsNumber, error.message);
    }
  };
  const onCancel = () => app.cancel();

  refresh.addEventListener("click", onRefresh);
  emailButton.addEventListener("click", onEmail);
  smsForm.addEventListener("submit", onSms);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) {
        refresh.disabled = false;
        setStatus(status, commandFailed.error.message, "error");
      }
    },
    destroy() {
      stopTimer();
      refresh.removeEventListener("click", onRefresh);
      emailButton.removeEventListener("click", onEmail);
      smsForm.removeEventListener("submit", onSms);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
