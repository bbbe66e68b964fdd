// "Sign in": the remembered accounts from the keychain. One click asks only for the password.
import { forgetAccount, listAccounts } from "../ipc.js";
import { el, setStatus } from "../dom.js";

function orgHost(orgUrl) {
  try {
    return new URL(orgUrl).host;
  } catch {
    return orgUrl;
  }
}

export function mount(root, { params, session, app, router }) {
  const list = root.querySelector("#account-list");
  const status = root.querySelector("#accounts-status");
  const addAnother = root.querySelector("#add-another");

  function pick(account) {
    Object.assign(session.draft, {
      orgUrl: account.orgUrl,
      username: account.username,
      password: "",
      remember: true,
      autoPush: account.autoPush,
      fromAccount: account.id,
    });
    router.show("password");
  }

  async function forget(account) {
    try {
      await forgetAccount(account.id);
      const fresh = await listAccounts();
      if (fresh.accounts.length === 0 && fresh.unreadable.length === 0) {
        router.show("add-account", { canGoBack: false });
        return;
      }
      draw(fresh);
      setStatus(status, `${account.label} is forgotten on this computer.`);
      list.querySelector(".account-main")?.focus();
    } catch (error) {
      setStatus(status, error.message, "error");
    }
  }

  function draw({ accounts, unreadable = [] }) {
    const items = accounts.map((account) => {
      const main = el(
        "button",
        {
          className: "account-main",
          attrs: { type: "button", "aria-label": `Sign in as ${account.label} at ${orgHost(account.orgUrl)}` },
        },
        [
          el("span", { className: "avatar", text: account.label.slice(0, 1).toUpperCase(), attrs: { "aria-hidden": "true" } }),
          el("span", { className: "account-text" }, [
            el("span", { className: "account-label", text: account.label }),
            el("span", { className: "account-org", text: orgHost(account.orgUrl) }),
          ]),
        ],
      );
      main.addEventListener("click", () => pick(account));
      const forgetButton = el("button", {
        className: "link-button",
        text: "Forget",
        attrs: { type: "button", "aria-label": `Forget ${account.label}` },
      });
      forgetButton.addEventListener("click", () => forget(account));
      return el("li", { className: "account", attrs: { "data-account": account.id } }, [main, forgetButton]);
    });
    const broken = unreadable.map((entry) =>
      el("li", { className: "account account-broken" }, [
        el("span", { className: "account-text" }, [
          el("span", { className: "account-label", text: entry.entry }),
          el("span", { className: "account-org", text: `Can't be read: ${entry.reason}. Left untouched.` }),
        ]),
      ]),
    );
    list.replaceChildren(...items, ...broken);
  }

  draw(params.list ?? { accounts: [] });
  const onAdd = () => router.show("add-account", { canGoBack: true });
  addAnother.addEventListener("click", onAdd);
  list.querySelector(".account-main")?.focus();
  void app;
  return () => addAnother.removeEventListener("click", onAdd);
}
