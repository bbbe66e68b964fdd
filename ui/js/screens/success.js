// "You're signed in": who and where, the browser hand-off, and remembering the account.
import { openDashboard, rememberAccount } from "../ipc.js";
import { setStatus } from "../dom.js";

function displayName(user) {
  const name = [user.firstName, user.lastName].filter((part) => part && part.trim()).join(" ");
  return name || user.login;
}

export function mount(root, { params, signInState, app }) {
  const stage = params.stage;
  const open = root.querySelector("#open-dashboard");
  const rememberNow = root.querySelector("#remember-now");
  const remembered = root.querySelector("#success-remembered");
  const done = root.querySelector("#success-done");
  let host = stage.session.org;
  try {
    host = new URL(stage.session.org).host;
  } catch {
    // Shown as is.
  }
  root.querySelector("#success-who").textContent = `Signed in as ${displayName(stage.user)} at ${host}.`;
  // Okta ignores the hand-off when the browser already has a session with the org, whoever's
  // it is; an Identity Engine sign-in has no session to hand over at all.
  const browserSession = stage.session.browserSession !== false;
  open.hidden = !browserSession;
  root.querySelector("#success-handoff-note").textContent = browserSession
    ? `If your browser is already signed in to ${host} as someone else, it stays signed in as them.`
    : `Identity Engine gives OktaDesk no browser session to hand over: to use your apps, sign in to ${host} in your browser.`;

  function showRemembered(event) {
    if (!event) {
      rememberNow.hidden = signInState.draft.remember;
      setStatus(remembered, signInState.draft.remember ? "Remembering this account…" : "");
      return;
    }
    if (event.account) {
      rememberNow.hidden = true;
      setStatus(remembered, `Remembered: next time, choose ${event.account.label} and type only your password.`, "success");
    } else if (event.problem) {
      rememberNow.hidden = true;
      setStatus(remembered, `Not remembered: ${event.problem.message}`, "warning");
    }
  }

  const onOpen = async () => {
    open.disabled = true;
    try {
      await openDashboard(signInState.flowId);
      signInState.dashboardOpened = true;
      open.textContent = "Opened in your browser";
    } catch (error) {
      open.disabled = error.kind === "no_session";
      app.showBanner(error.message, "warning");
    }
  };
  const onRemember = async () => {
    rememberNow.disabled = true;
    try {
      const account = await rememberAccount(signInState.flowId);
      signInState.remembered = { account, problem: null };
    } catch (error) {
      signInState.remembered = { account: null, problem: error };
    }
    rememberNow.disabled = false;
    showRemembered(signInState.remembered);
  };
  const onDone = () => app.home();

  if (signInState.dashboardOpened) {
    open.disabled = true;
    open.textContent = "Opened in your browser";
  }
  showRemembered(signInState.remembered);
  open.addEventListener("click", onOpen);
  rememberNow.addEventListener("click", onRemember);
  done.addEventListener("click", onDone);
  (browserSession ? open : done).focus();

  return {
    update({ remembered: event }) {
      if (event) showRemembered(event);
    },
    destroy() {
      open.removeEventListener("click", onOpen);
      rememberNow.removeEventListener("click", onRemember);
      done.removeEventListener("click", onDone);
    },
  };
}
