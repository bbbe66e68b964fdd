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

async function invoke(command, args = {}) {
  const core = window.__TAURI__?.core;
  if (!core) {
    throw {
      kind: "no_backend",
      message: "This page is not running inside OktaDesk. Open it with the OktaDesk app.",
    };
  }
  try {
    return await core.invoke(command, args);
  } catch (error) {
    throw toAppError(error);
  }
}

/** @returns {Promise<{name: string, version: string, demo: null | {state: string, orgUrl?: string, message?: string}}>} */
export function appInfo() {
  return invoke("app_info");
}

/** Resolves to the org's origin (`https://acme.okta.com`), or rejects with why it can't be one. */
export function validateOrgUrl(url) {
  return invoke("validate_org_url", { url });
}
