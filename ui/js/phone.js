// The demo phone beside the app (only with --demo): it follows the demo user being signed
// in, scans the QR code on screen, answers pushes (the three numbers of a challenge, or
// Approve/Deny), shows the current code of an app or token (named by its issuer), and the
// latest codes the org sent by text, call and email.
import { demoPhoneAnswer, demoPhoneScan, demoPhoneView } from "./ipc.js";
import { el, setStatus } from "./dom.js";

const POLL_MS = 1000;
const CHANNELS = { sms: "Text message", call: "Voice call", email: "Email" };

export function createPhone({ info, signInState }) {
  const panel = document.getElementById("phone");
  const demo = info.demo?.state === "running" ? info.demo : null;
  if (!demo) {
    return { follow() {}, onStage() {} };
  }
  const logins = new Set(demo.users.map((user) => user.login));
  panel.hidden = false;
  document.getElementById("workspace").classList.add("with-phone");

  const who = document.getElementById("phone-login");
  const scanSection = document.getElementById("phone-scan-section");
  const scan = document.getElementById("phone-scan");
  const pushSection = document.getElementById("phone-push-section");
  const pushTitle = document.getElementById("phone-push-title");
  const numbers = document.getElementById("phone-numbers");
  const approve = document.getElementById("phone-approve");
  const deny = document.getElementById("phone-deny");
  const codeSection = document.getElementById("phone-code-section");
  const code = document.getElementById("phone-code");
  const codeLeft = document.getElementById("phone-code-left");
  const codeLabel = document.getElementById("phone-code-label");
  const idle = document.getElementById("phone-idle");
  const status = document.getElementById("phone-status");
  const inboxSection = document.getElementById("phone-inbox-section");
  const inbox = document.getElementById("phone-inbox");
  let drawnInbox = "";

  let login = null;
  /** The demo org the followed sign-in is against (`--demo` runs a Classic and an IDX one). */
  let org = null;
  let view = null;
  let polling = false;
  let drawnNumbers = "";

  function draw() {
    // The QR code stays on screen after a link is sent (still good to scan), and while an
    // app's first code is asked for.
    const qrShowing =
      ["enrollQr", "activationLinkSent"].includes(signInState.stage?.stage) ||
      (signInState.stage?.stage === "needsCode" && document.getElementById("app-qr") !== null);
    scanSection.hidden = !qrShowing || !login;
    const push = view?.pendingPush;
    pushSection.hidden = !push;
    if (push) {
      const key = push.numbers ? push.numbers.join(",") : "plain";
      if (key !== drawnNumbers) {
        // Said once when a request arrives: the phone's body is no live region, since its
        // code countdown changes every second.
        if (drawnNumbers === "") setStatus(status, "A sign-in request arrived.");
        drawnNumbers = key;
        if (push.numbers) {
          pushTitle.textContent = "Tap the number shown on your computer";
          approve.hidden = true;
          numbers.replaceChildren(
            ...push.numbers.map((n) => {
              const button = el("button", {
                className: "phone-number",
                text: String(n),
                attrs: { type: "button", id: `phone-number-${n}`, "aria-label": `Tap ${n}` },
              });
              button.addEventListener("click", () => answer(true, n));
              return button;
            }),
          );
        } else {
          pushTitle.textContent = "Are you trying to sign in?";
          approve.hidden = false;
          numbers.replaceChildren();
        }
      }
    } else {
      drawnNumbers = "";
    }
    const current = view?.codes?.[0];
    codeSection.hidden = !current;
    if (current) {
      // Named by the app that shows it, as the phone lists it: the org for Okta Verify, the
      // token's maker for a hardware token.
      codeLabel.textContent = `Code from ${current.issuer}`;
      code.textContent = `${current.code.slice(0, 3)} ${current.code.slice(3)}`;
      code.dataset.code = current.code;
      codeLeft.textContent = `New code in ${current.secondsRemaining} s`;
    }
    drawInbox(view?.inbox ?? []);
    idle.hidden = !scanSection.hidden || !pushSection.hidden || !codeSection.hidden || !inboxSection.hidden;
    idle.textContent = login
      ? "Nothing waiting on this phone right now."
      : "Nothing to do yet. Sign in as one of the demo users and this phone follows along.";
  }

  /** The latest text, call and email the org sent, each with its code, drawn only when new. */
  function drawInbox(messages) {
    const latest = new Map();
    for (const message of messages) latest.set(message.channel, message); // newest last
    const key = [...latest.values()].map((m) => `${m.channel}@${m.sentAt}`).join(",");
    inboxSection.hidden = latest.size === 0;
    if (key === drawnInbox) return;
    drawnInbox = key;
    inbox.replaceChildren(
      ...[...latest.values()].map((message) =>
        el("li", { className: "phone-message" }, [
          el("span", { className: "phone-hint", text: `${CHANNELS[message.channel] ?? message.channel} to ${message.to}` }),
          el("span", {
            className: "phone-message-code",
            text: message.code,
            attrs: { "data-channel": message.channel, "data-code": message.code },
          }),
        ]),
      ),
    );
  }

  async function poll() {
    if (polling || !login) return;
    polling = true;
    try {
      view = await demoPhoneView(login, org);
    } catch (error) {
      view = null;
      setStatus(status, error.message, "error");
    } finally {
      polling = false;
    }
    draw();
  }

  async function answer(yes, number = null) {
    setStatus(status, "");
    try {
      const result = await demoPhoneAnswer(login, yes, number, org);
      setStatus(status, result === "APPROVED" ? "Approved." : "Denied.");
    } catch (error) {
      setStatus(status, error.message, "error");
    }
    poll();
  }

  scan.addEventListener("click", async () => {
    scan.disabled = true;
    setStatus(status, "");
    try {
      await demoPhoneScan(signInState.flowId, login);
      setStatus(status, "Scanned. Okta Verify is set up on this phone.");
    } catch (error) {
      setStatus(status, error.message, "error");
    } finally {
      scan.disabled = false;
    }
    poll();
  });
  approve.addEventListener("click", () => answer(true));
  deny.addEventListener("click", () => answer(false));

  setInterval(poll, POLL_MS);
  draw();

  return {
    /** Shows the phone of `username` on the demo org at `orgUrl`, when it is a demo user there. */
    follow(username, orgUrl) {
      const same = (a, b) => String(a ?? "").replace(/\/+$/, "").toLowerCase() === String(b ?? "").replace(/\/+$/, "").toLowerCase();
      org = [demo.orgUrl, demo.identityEngineOrgUrl].find((url) => url && same(url, orgUrl)) ?? null;
      login = org && logins.has(username.toLowerCase()) ? username.toLowerCase() : null;
      who.textContent = login ?? "no demo user";
      view = null;
      drawnNumbers = "";
      drawnInbox = "";
      setStatus(status, "");
      poll();
    },
    onStage() {
      draw();
      poll();
    },
  };
}
