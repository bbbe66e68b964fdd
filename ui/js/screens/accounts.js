// "Sign in": the remembered accounts from the keychain. One click asks only for the password.
import { forgetAccount, forgetAllAccounts, listAccounts, renameAccount } from "../ipc.js";
import { el, setStatus } from "../dom.js";

function orgHost(orgUrl) {
  try {
    return new URL(orgUrl).host;
  } catch {
    return orgUrl;
  }
}

export function mount(root, { params, signInState, app, router }) {
  const list = root.querySelector("#account-list");
  const status = root.querySelector("#accounts-status");
  const addAnother = root.querySelector("#add-another");
  const forgetAll = root.querySelector("#forget-all");
  let confirmingForgetAll = false;

  function pick(account) {
    Object.assign(signInState.draft, {
      orgUrl: account.orgUrl,
      username: account.username,
      password: "",
      remember: true,
      autoPush: account.autoPush,
      fromAccount: account.id,
      // What the account was added with: its engine and, for Identity Engine, its OktaDesk app.
      engine: account.engine ?? null,
      clientId: account.oidcClient?.clientId ?? null,
      authorizationServer: account.oidcClient?.authorizationServer ?? null,
    });
    router.show("password");
  }

  /** Redraws from the keychain; with nothing left, adding an account is all there is to do. */
  async function refresh(message) {
    const fresh = await listAccounts();
    if (fresh.accounts.length === 0 && fresh.unreadable.length === 0) {
      router.show("add-account", { canGoBack: false });
      return;
    }
    draw(fresh);
    setStatus(status, message);
    list.querySelector(".account-main")?.focus();
  }

  async function forget(account) {
    try {
      await forgetAccount(account.id);
      await refresh(`${account.label} is forgotten on this computer.`);
    } catch (error) {
      setStatus(status, error.message, "error");
    }
  }

  // The label becomes a field in place: Enter saves, Escape or leaving it keeps the old one.
  function rename(account, item) {
    const field = el("input", {
      className: "account-rename",
      attrs: { type: "text", maxlength: "64", value: account.label, "aria-label": `New name for ${account.label}` },
    });
    const main = item.querySelector(".account-main");
    main.hidden = true;
    item.prepend(field);
    field.focus();
    field.select();
    let done = false;
    const finish = async (save) => {
      if (done) return;
      done = true;
      const label = field.value.trim();
      if (!save || label === "" || label === account.label) {
        field.remove();
        main.hidden = false;
        main.focus();
        return;
      }
      try {
        const renamed = await renameAccount(account.id, label);
        await refresh(`Renamed to ${renamed.label}.`);
      } catch (error) {
        field.remove();
        main.hidden = false;
        setStatus(status, error.message, "error");
      }
    };
    field.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== "Escape") return;
      // Otherwise the same key press would also activate the button focused next.
      event.preventDefault();
      finish(event.key === "Enter");
    });
    field.addEventListener("blur", () => finish(false));
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
            el("span", {
              className: "account-org",
              // A renamed account still says who signs in.
              text:
                account.label === account.username
                  ? orgHost(account.orgUrl)
                  : `${account.username} · ${orgHost(account.orgUrl)}`,
            }),
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
      const renameButton = el("button", {
        className: "link-button",
        text: "Rename",
        attrs: { type: "button", "aria-label": `Rename ${account.label}` },
      });
      const item = el("li", { className: "account", attrs: { "data-account": account.id } }, [
        main,
        renameButton,
        forgetButton,
      ]);
      renameButton.addEventListener("click", () => rename(account, item));
      return item;
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
  // A second click confirms: forgetting every account cannot be undone, and a dialog box
  // would be one more window to deal with.
  const onForgetAll = async () => {
    if (!confirmingForgetAll) {
      confirmingForgetAll = true;
      forgetAll.textContent = "Click again to forget every account";
      setStatus(status, "This removes every remembered account from this computer's keychain.", "warning");
      return;
    }
    forgetAll.disabled = true;
    try {
      const count = await forgetAllAccounts();
      await refresh(`${count} account${count === 1 ? "" : "s"} forgotten.`);
    } catch (error) {
      setStatus(status, error.message, "error");
    } finally {
      forgetAll.disabled = false;
    }
  };
  addAnother.addEventListener("click", onAdd);
  forgetAll.addEventListener("click", onForgetAll);
  list.querySelector(".account-main")?.focus();
  void app;
  return () => {
    addAnother.removeEventListener("click", onAdd);
    forgetAll.removeEventListener("click", onForgetAll);
  };
}
