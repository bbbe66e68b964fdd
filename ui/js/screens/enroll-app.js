// "Set up an authenticator app" (Google Authenticator or any other, or Okta Verify's codes):
// the QR code, and under it the key for typing in (in groups of four, with a Copy button);
// the app's first code confirms it. The code field appears when the flow asks for the code
// (a `needsCode` stage, which comes at once) and the QR stays on screen meanwhile.
import { el, formatDuration, setStatus, svgNode } from "../dom.js";
import { createCodeField } from "../code-field.js";

/** "JBSW Y3DP EHPK 3PXP": what people copy by eye, four characters at a time. */
export function groupKey(key) {
  return key.replace(/\s+/g, "").match(/.{1,4}/g)?.join(" ") ?? "";
}

export function mount(root, { params, app }) {
  const title = root.querySelector("#enroll-app-title");
  const qr = root.querySelector("#app-qr");
  const openStep = root.querySelector("#app-step-open");
  const countdown = root.querySelector("#app-qr-countdown");
  const secretBox = root.querySelector("#app-secret-box");
  const secret = root.querySelector("#app-secret");
  const copy = root.querySelector("#app-secret-copy");
  const form = root.querySelector("#app-code-form");
  const status = root.querySelector("#enroll-app-status");
  const cancel = root.querySelector("#enroll-app-cancel");
  const submit = root.querySelector("#app-code-submit");
  const field = createCodeField({
    form,
    input: root.querySelector("#app-code"),
    label: root.querySelector("#app-code-label"),
    submit,
    status,
    app,
  });

  let timer = null;
  let key = "";

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
      countdown.textContent =
        left > 0 ? `This code works for ${formatDuration(left)} more.` : "This code has expired.";
      if (left <= 0) stopTimer();
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
      qr.replaceChildren(el("p", { text: "The QR code could not be shown. Type the key instead." }));
    }
  }

  function showQr(stage) {
    const okta = stage.factor === "totp";
    title.textContent = okta ? "Set up Okta Verify codes" : "Set up an authenticator app";
    openStep.replaceChildren(
      "Open ",
      el("strong", { text: okta ? "Okta Verify" : "Google Authenticator" }),
      okta ? "." : " or another authenticator app.",
    );
    drawQr(stage);
    startCountdown(stage.expiresInSeconds);
    key = stage.sharedSecret ?? "";
    secretBox.hidden = !key;
    secret.textContent = groupKey(key);
  }

  function askForCode(asking) {
    form.hidden = !asking;
    submit.hidden = !asking;
  }

  function apply(stage) {
    switch (stage.stage) {
      case "enrollQr":
        askForCode(false);
        showQr(stage);
        break;
      case "needsCode":
        askForCode(true);
        stopTimer();
        countdown.textContent = "";
        field.apply(stage);
        break;
      case "activationExpired":
        stopTimer();
        askForCode(false);
        countdown.textContent = stage.error.message;
        qr.classList.add("is-dim");
        break;
      default:
        break;
    }
  }

  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(key);
      setStatus(status, "Key copied. Paste it into the app.");
    } catch {
      // No clipboard access here: select the key so Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(secret);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      setStatus(status, "The key is selected: press Ctrl+C to copy it.");
    }
  };
  const onCancel = () => app.cancel();

  copy.addEventListener("click", onCopy);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) field.working(working);
      if (commandFailed) field.failed(commandFailed.error.message);
    },
    destroy() {
      stopTimer();
      field.destroy();
      copy.removeEventListener("click", onCopy);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
