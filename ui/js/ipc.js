// The only module that talks to the Rust side. Errors always arrive as { kind, message }.

function toAppError(error) {
  if (error && typeof error === "object" && "message" in error) {
    return { kind: error.kind ?? "unknown", message: String(error.message) };
  }
  return {
    kind: "unknown",
    message: `${String(error)}. Try again; if it keeps happening, restart OktaDesk.`,
  };
}

function tauri() {
  const api = window.__TAURI__;
  if (!api?.core) {
    throw {
      kind: "no_backend",
      message: "This page is not running inside OktaDesk. Open it with the OktaDesk app.",
    };
  }
  return api;
}

async function invoke(command, args = {}) {
  const api = tauri();
  try {
    return await api.core.invoke(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

/** @returns {Promise<{name: string, version: string, demo: null | {state: string, orgUrl?: string, password?: string, users?: Array, message?: string}}>} */
export const appInfo = () => invoke("app_info");

/** Resolves to the org's origin (`https://acme.okta.com`), or rejects with why it can't be one. */
export const validateOrgUrl = (url) => invoke("validate_org_url", { url });
export const detectEngine = (url) => invoke("detect_engine", { url });
/**
 * Resolves to the number in the form Okta takes (`+14155550123`) from one typed as people
 * write it (spaces, dashes, dots, brackets), or rejects with why it can't be one: the core's
 * one phone-number rule, so no screen keeps its own.
 */
export const validatePhoneNumber = (number) => invoke("validate_phone_number", { number });

/** { accounts: [...], unreadable: [...], problem: null | {kind, message} }; never rejects for keychain trouble. */
export const listAccounts = () => invoke("list_accounts");
export const forgetAccount = (id) => invoke("forget_account", { id });
export const forgetAllAccounts = () => invoke("forget_all_accounts");
export const renameAccount = (id, label) => invoke("rename_account", { id, label });
export const setAutoPush = (id, enabled) => invoke("set_auto_push", { id, enabled });

/**
 * Starts a sign-in; resolves to { flowId }. `onEvent` gets everything that follows, in order,
 * on a channel made for this sign-in alone (so none is missed, even before this resolves):
 * each stage ({ event: "stage", stage: "pushSent", ... }), then, after success when asked to
 * remember, { event: "remembered", account, problem }.
 */
export async function startSignIn(request, onEvent) {
  const events = new (tauri().core.Channel)();
  events.onmessage = onEvent;
  return invoke("start_sign_in", { request, events });
}

/**
 * Starts a password reset (`recovery: "resetPassword"`) or an unlock (`"unlockAccount"`) for
 * { orgUrl, username, engine, clientId, authorizationServer, remember }; resolves to { flowId }.
 * It runs as a sign-in: its stages come to `onEvent`, and `flowCommand` answers them.
 */
export async function startRecovery(request, onEvent) {
  const events = new (tauri().core.Channel)();
  events.onmessage = onEvent;
  return invoke("start_recovery", { request, events });
}

/** Sends a command (e.g. { command: "submitCode", code }) to the running sign-in. */
export const flowCommand = (flowId, command) => invoke("flow_command", { flowId, command });
export const rememberAccount = (flowId) => invoke("remember_account", { flowId });
/** Whether the running sign-in asks Okta to remember this device (when the org allows it). */
export const rememberDevice = (flowId, remember) => invoke("remember_device", { flowId, remember });
export const openDashboard = (flowId) => invoke("open_dashboard", { flowId });
/** Opens the org's own sign-in page, for a step only the browser can do. */
export const openInBrowser = (flowId) => invoke("open_in_browser", { flowId });
export const flowTranscript = () => invoke("flow_transcript");
export const exportTranscript = () => invoke("export_transcript");

/** The extra root certificate trusted for TLS: { trusted, certificates, path }. */
export const trustedCertificate = () => invoke("trusted_certificate");
export const trustCertificate = (pem) => invoke("trust_certificate", { pem });
export const forgetCertificate = () => invoke("forget_certificate");

/** `org`: which demo org's phone (the Classic or the Identity Engine one); null for the first. */
export const demoPhoneView = (login, org = null) => invoke("demo_phone_view", { login, org });
export const demoPhoneScan = (flowId, login) => invoke("demo_phone_scan", { flowId, login });
export const demoPhoneAnswer = (login, approve, number = null, org = null) =>
  invoke("demo_phone_answer", { login, approve, number, org });

/**
 * Tells `cargo xtask bench` the first screen is interactive; does nothing outside bench mode.
 * `marks` are the page's startup steps, each as how many milliseconds ago it happened.
 */
export const benchReady = (marks = {}) => invoke("bench_ready", { marks }).catch(() => {});
