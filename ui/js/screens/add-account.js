// "Add account": the org URL and username. The password is asked for on the next screen.
import { detectEngine, validateOrgUrl } from "../ipc.js";
import { el, setFieldError, setStatus } from "../dom.js";
import { mountTrust } from "../trust.js";

export function mount(root, { info, signInState, router, app, params }) {
  const form = root.querySelector("#add-account-form");
  const orgUrl = root.querySelector("#org-url");
  const username = root.querySelector("#username");
  const engineLine = root.querySelector("#org-engine");
  const status = root.querySelector("#add-account-status");
  const submit = root.querySelector("#add-account-continue");
  const back = root.querySelector("#add-account-back");

  // What was typed before (coming back from the password step) wins over defaults.
  const demo = info.demo?.state === "running" ? info.demo : null;
  orgUrl.value = signInState.draft.orgUrl || demo?.orgUrl || "";
  username.value = signInState.draft.username || "";
  back.hidden = !params.canGoBack;

  if (demo) {
    root.querySelector("#demo-users").hidden = false;
    root.querySelector("#demo-password").textContent = demo.password;
    const chips = demo.users.map((user) => {
      const chip = el("button", {
        className: "chip",
        text: user.login,
        // Named by the login; the title is its description, read after it.
        attrs: { type: "button", title: user.demonstrates },
      });
      chip.addEventListener("click", () => {
        username.value = user.login;
        setFieldError(username, "");
        if (!orgUrl.value.trim()) orgUrl.value = demo.orgUrl;
        submit.focus();
      });
      return el("li", {}, [chip]);
    });
    root.querySelector("#demo-user-list").replaceChildren(...chips);
  }

  // Which Okta engine the org runs, asked once per address while the person goes on typing;
  // the answer only informs (a Classic and an Identity Engine org sign in the same way today).
  let engineFor = null;
  function showEngine(origin) {
    if (origin === engineFor) return;
    engineFor = origin;
    signInState.draft.engine = null;
    engineLine.textContent = "Checking which Okta engine this organization runs…";
    detectEngine(origin).then(
      (view) => {
        if (engineFor !== origin) return;
        signInState.draft.engine = view.engine;
        engineLine.textContent = view.note ? `${view.summary}. ${view.note}` : view.summary;
      },
      () => {
        if (engineFor === origin) engineLine.textContent = "";
      },
    );
  }

  // Check the org as soon as the person leaves the field, but never nag while they type.
  async function checkOrgUrl() {
    try {
      const origin = await validateOrgUrl(orgUrl.value);
      setFieldError(orgUrl, "");
      showEngine(origin);
      return origin;
    } catch (error) {
      setFieldError(orgUrl, error.message);
      return null;
    }
  }

  function checkUsername() {
    const missing = username.value.trim() === "";
    setFieldError(username, missing ? "Enter your username, usually your work email address." : "");
    return missing ? null : username.value.trim();
  }

  const onOrgBlur = () => {
    if (orgUrl.value.trim() !== "") checkOrgUrl();
  };
  const onOrgInput = () => {
    setFieldError(orgUrl, "");
    engineFor = null;
    engineLine.textContent = "";
    signInState.draft.engine = null;
    signInState.draft.orgUrl = orgUrl.value;
  };
  const onUsernameInput = () => {
    setFieldError(username, "");
    signInState.draft.username = username.value;
  };

  const onSubmit = async (event) => {
    event.preventDefault();
    setStatus(status, "");
    submit.disabled = true;
    try {
      const origin = await checkOrgUrl();
      const user = checkUsername();
      if (!origin) {
        orgUrl.focus();
        return;
      }
      if (!user) {
        username.focus();
        return;
      }
      Object.assign(signInState.draft, { orgUrl: origin, username: user, fromAccount: null, autoPush: false });
      if (engineFor !== origin) signInState.draft.engine = null;
      router.show("password");
    } finally {
      submit.disabled = false;
    }
  };
  const onBack = () => app.home();

  orgUrl.addEventListener("blur", onOrgBlur);
  orgUrl.addEventListener("input", onOrgInput);
  username.addEventListener("input", onUsernameInput);
  form.addEventListener("submit", onSubmit);
  back.addEventListener("click", onBack);

  const unmountTrust = mountTrust(root.querySelector("#trust-panel"));
  // After a certificate problem, the trust setting is what the person came back for.
  if (params.showTrust) root.querySelector("#trust-panel").open = true;

  (orgUrl.value ? username : orgUrl).focus();

  return () => {
    unmountTrust();
    orgUrl.removeEventListener("blur", onOrgBlur);
    orgUrl.removeEventListener("input", onOrgInput);
    username.removeEventListener("input", onUsernameInput);
    form.removeEventListener("submit", onSubmit);
    back.removeEventListener("click", onBack);
  };
}
