// "Set up Okta Verify": the enrollment QR code, large and crisp, with a countdown; a new code
// after it expires; the activation link by email or SMS instead. Moves on by itself once the
// phone has scanned (the next stage replaces this screen).
import { announce, el, formatDuration, setFieldError, setStatus, svgNode } from "../dom.js";
import { validatePhoneNumber } from "../ipc.js";

// What screen readers say for the QR code: what it is for, never what it holds (the
// activation link in it enrolls whoever opens it).
const QR_LABEL = "QR code to scan with Okta Verify on your phone";
const EXPIRED_QR_LABEL = "Expired QR code: get a new code to scan with Okta Verify";

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

  /** The QR box is one image to screen readers, or plain text when there is no image. */
  function setQrAlternative(label) {
    if (label) {
      qr.setAttribute("role", "img");
      qr.setAttribute("aria-label", label);
    } else {
      qr.removeAttribute("role");
      qr.removeAttribute("aria-label");
    }
  }

  function drawQr(stage) {
    const node = stage.svg ? svgNode(stage.svg) : null;
    setQrAlternative(node || stage.pngDataUrl ? QR_LABEL : null);
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
        linkSent.textContent = "";
        drawQr(stage);
        drawChannels(stage.linkChannels ?? []);
        startCountdown(stage.expiresInSeconds);
        break;
      case "activationLinkSent":
        linkSent.textContent =
          stage.channel === "sms"
            ? "We sent the activation link by SMS. Open it on your phone; this window moves on by itself."
            : "We sent the activation link by email. Open it on your phone; this window moves on by itself.";
        // Folding the options away must not drop keyboard focus to the top of the page.
        if (linkOptions.contains(document.activeElement)) {
          linkOptions.querySelector("summary").focus();
        }
        linkOptions.open = false;
        break;
      case "activationExpired":
        stopTimer();
        countdown.textContent = stage.error.message;
        qr.classList.add("is-dim");
        setQrAlternative(EXPIRED_QR_LABEL);
        expired.hidden = false;
        refresh.focus();
        // Focus on the button says only its name; the reason is said as well.
        announce(stage.error.message);
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
    // The core reads the number as typed (its one rule), before anything is sent.
    let number;
    try {
      number = await validatePhoneNumber(smsNumber.value);
    } catch (error) {
      setFieldError(smsNumber, error.message);
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
