// "Add account": the org URL and username. The password is asked for on the next screen.
import { detectEngine, validateOrgUrl } from "../ipc.js";
import { el, setFieldError, setStatus } from "../dom.js";
import { mountTrust } from "../trust.js";

export function mount(root, { info, signInState, router, app, params }) {
  const form = root.querySelector("#add-account-form");
  const orgUrl = root.querySelector("#org-url");
  const username = root.querySelector("#username");
  const engineLine = root.querySelector("#org-engine");
  const oidcApp = root.querySelector("#oidc-app");
  const clientId = root.querySelector("#client-id");
  const authorizationServer = root.querySelector("#authorization-server");
  const status = root.querySelector("#add-account-status");
  const submit = root.querySelector("#add-account-continue");
  const back = root.querySelector("#add-account-back");

  // What was typed before (coming back from the password step) wins over defaults.
  const demo = info.demo?.state === "running" ? info.demo : null;
  orgUrl.value = signInState.draft.orgUrl || demo?.orgUrl || "";
  username.value = signInState.draft.username || "";
  clientId.value = signInState.draft.clientId || "";
  authorizationServer.value = signInState.draft.authorizationServer ?? "default";
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
  // `--demo` runs a Classic and an Identity Engine demo org: one click picks either.
  const demoOrgButtons = demo?.identityEngineOrgUrl
    ? [
        [root.querySelector("#demo-org-classic"), demo.orgUrl],
        [root.querySelector("#demo-org-idx"), demo.identityEngineOrgUrl],
      ]
    : [];
  root.querySelector("#demo-orgs").hidden = demoOrgButtons.length === 0;
  const demoOrgHandlers = demoOrgButtons.map(([button, url]) => {
    const onPick = () => {
      orgUrl.value = url;
      onOrgInput();
      checkOrgUrl();
      username.focus();
    };
    button.addEventListener("click", onPick);
    return [button, onPick];
  });

  // Which Okta engine the org runs, asked once per address while the person goes on typing.
  // An Identity Engine org is signed in to through IDX when the person gives its OktaDesk
  // app's client ID (the demo org's is filled in); without one, through /api/v1/authn.
  let engineFor = null;
  /** The engine check of `engineFor`: resolves to its view, or null if it failed. */
  let engineCheck = Promise.resolve(null);
  function showOidcApp(view) {
    const idx = view?.engine === "identity_engine";
    oidcApp.hidden = !idx;
    if (!idx) return;
    root.querySelector("#client-id-hint").textContent = view.appHelp ?? "";
    const demoOrg = [demo?.orgUrl, demo?.identityEngineOrgUrl].includes(engineFor);
    if (!clientId.value && demo?.clientId && demoOrg) clientId.value = demo.clientId;
  }
  function showEngine(origin) {
    if (origin === engineFor) return;
    engineFor = origin;
    signInState.draft.engine = null;
    engineLine.textContent = "Checking which Okta engine this organization runs…";
    engineCheck = detectEngine(origin).then(
      (view) => {
        if (engineFor !== origin) return null;
        signInState.draft.engine = view.engine;
        engineLine.textContent = view.note ? `${view.summary}. ${view.note}` : view.summary;
        showOidcApp(view);
        return view;
      },
      () => {
        if (engineFor === origin) engineLine.textContent = "";
        return null;
      },
    );
  }

  /** The engine check's answer, waiting at most `ms` for a slow org (which then signs in as before). */
  const engineAnswer = (ms) => Promise.race([engineCheck, new Promise((done) => setTimeout(() => done(null), ms))]);

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
    showOidcApp(null);
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
      // An Identity Engine org found only now: show where its OktaDesk app goes before going on.
      const hiddenBefore = oidcApp.hidden;
      const view = await engineAnswer(3000);
      if (hiddenBefore && view?.engine === "identity_engine") {
        setStatus(status, "This organization runs Okta Identity Engine: add its OktaDesk app's client ID, or continue without it.");
        clientId.focus();
        return;
      }
      const idx = !oidcApp.hidden && clientId.value.trim() !== "";
      Object.assign(signInState.draft, {
        orgUrl: origin,
        username: user,
        fromAccount: null,
        autoPush: false,
        clientId: idx ? clientId.value.trim() : null,
        authorizationServer: idx ? authorizationServer.value.trim() : null,
      });
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

  // An address already there (the demo org's, or one typed before) is checked at once, so its
  // engine, and for Identity Engine the app's client ID, show before the person goes on.
  if (orgUrl.value.trim() !== "") checkOrgUrl();
  (orgUrl.value ? username : orgUrl).focus();

  return () => {
    unmountTrust();
    for (const [button, onPick] of demoOrgHandlers) button.removeEventListener("click", onPick);
    orgUrl.removeEventListener("blur", onOrgBlur);
    orgUrl.removeEventListener("input", onOrgInput);
    username.removeEventListener("input", onUsernameInput);
    form.removeEventListener("submit", onSubmit);
    back.removeEventListener("click", onBack);
  };
}
