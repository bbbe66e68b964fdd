// "Enter your password": the only secret OktaDesk asks for; it starts the sign-in.
import { setAutoPush } from "../ipc.js";
import { setFieldError, setStatus } from "../dom.js";

export function mount(root, { info, signInState, router, app, params }) {
  const form = root.querySelector("#password-form");
  const password = root.querySelector("#password");
  const remember = root.querySelector("#remember");
  const autoPush = root.querySelector("#auto-push");
  const status = root.querySelector("#password-status");
  const submit = root.querySelector("#sign-in");
  const back = root.querySelector("#password-back");
  const hint = root.querySelector("#password-hint");
  const forgot = root.querySelector("#forgot-password");
  const unlock = root.querySelector("#unlock-account");

  let host = signInState.draft.orgUrl;
  try {
    host = new URL(signInState.draft.orgUrl).host;
  } catch {
    // Shown as typed.
  }
  root.querySelector("#password-who").textContent = `${signInState.draft.username} at ${host}`;
  app.followPhone(signInState.draft.username);
  password.value = signInState.draft.password;
  remember.checked = signInState.draft.remember;
  autoPush.checked = signInState.draft.autoPush;
  if (info.demo?.state === "running" && signInState.draft.orgUrl === info.demo.orgUrl) {
    hint.hidden = false;
    hint.textContent = `Every demo user's password is ${info.demo.password}`;
  }
  if (params.error) {
    setFieldError(password, params.error);
    // Okta refused the password: the way back in for someone who forgot it is right here.
    setStatus(status, "Can't remember it? Choose Forgot password? to reset it.");
  }

  function setBusy(message) {
    submit.disabled = Boolean(message);
    forgot.disabled = Boolean(message);
    unlock.disabled = Boolean(message);
    password.readOnly = Boolean(message);
    form.setAttribute("aria-busy", message ? "true" : "false");
    setStatus(status, message ?? "");
  }

  const onInput = () => {
    signInState.draft.password = password.value;
    setFieldError(password, "");
  };
  const onRemember = () => {
    signInState.draft.remember = remember.checked;
  };
  // A remembered account keeps the choice in the keychain at once; a new one gets it with
  // the rest of the account when the sign-in succeeds.
  const onAutoPush = async () => {
    signInState.draft.autoPush = autoPush.checked;
    if (!signInState.draft.fromAccount) return;
    try {
      await setAutoPush(signInState.draft.fromAccount, autoPush.checked);
      setStatus(status, autoPush.checked ? "The push will go out as soon as your password is accepted." : "");
    } catch (error) {
      setStatus(status, `This choice applies to this sign-in only: ${error.message}`, "warning");
    }
  };
  const onSubmit = async (event) => {
    event.preventDefault();
    if (password.value === "") {
      setFieldError(password, "Enter your password.");
      password.focus();
      return;
    }
    signInState.draft.password = password.value;
    setFieldError(password, "");
    setBusy(app.activity("checkingPassword"));
    try {
      await app.signIn();
    } catch (error) {
      setBusy(null);
      setStatus(status, error.message, "error");
    }
  };
  // Self-service recovery for the account on this screen: no password goes, whatever the
  // field holds (it is cleared, so it does not outlive the attempt that failed).
  const recover = (recovery) => async () => {
    password.value = "";
    signInState.draft.password = "";
    setFieldError(password, "");
    setBusy(app.activity("startingRecovery"));
    try {
      await app.recover(recovery);
    } catch (error) {
      setBusy(null);
      setStatus(status, error.message, "error");
    }
  };
  const onForgot = recover("resetPassword");
  const onUnlock = recover("unlockAccount");
  const onBack = () => {
    if (signInState.draft.fromAccount) {
      app.home();
    } else {
      router.show("add-account", { canGoBack: true });
    }
  };

  password.addEventListener("input", onInput);
  remember.addEventListener("change", onRemember);
  autoPush.addEventListener("change", onAutoPush);
  form.addEventListener("submit", onSubmit);
  back.addEventListener("click", onBack);
  forgot.addEventListener("click", onForgot);
  unlock.addEventListener("click", onUnlock);
  password.focus();
  if (params.error) password.select();

  return {
    update({ working, commandFailed }) {
      if (working) setBusy(working);
      if (commandFailed) {
        setBusy(null);
        setStatus(status, commandFailed.error.message, "error");
      }
    },
    destroy() {
      password.removeEventListener("input", onInput);
      remember.removeEventListener("change", onRemember);
      autoPush.removeEventListener("change", onAutoPush);
      form.removeEventListener("submit", onSubmit);
      back.removeEventListener("click", onBack);
      forgot.removeEventListener("click", onForgot);
      unlock.removeEventListener("click", onUnlock);
    },
  };
}
