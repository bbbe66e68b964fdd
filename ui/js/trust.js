// "Your company inspects secure connections?": trusting one extra root certificate, for
// networks that re-sign TLS traffic. It applies to every sign-in from then on.
import { forgetCertificate, trustCertificate, trustedCertificate } from "./ipc.js";
import { setFieldError, setStatus } from "./dom.js";

function describe(view) {
  if (!view.trusted) return "Only your computer's own trusted certificates are used.";
  const count = view.certificates === 1 ? "1 certificate" : `${view.certificates} certificates`;
  return `Trusted: ${count}, kept in ${view.path}.`;
}

export function mountTrust(panel) {
  const pem = panel.querySelector("#trust-pem");
  const status = panel.querySelector("#trust-status");
  const save = panel.querySelector("#trust-save");
  const forget = panel.querySelector("#trust-forget");

  function show(view, tone = "info") {
    forget.hidden = !view.trusted;
    setStatus(status, describe(view), tone);
  }

  async function run(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      setFieldError(pem, error.message);
    } finally {
      button.disabled = false;
    }
  }

  const onSave = () =>
    run(save, async () => {
      if (pem.value.trim() === "") {
        setFieldError(pem, "Paste the certificate first.");
        pem.focus();
        return;
      }
      setFieldError(pem, "");
      show(await trustCertificate(pem.value), "success");
      pem.value = "";
    });
  const onForget = () =>
    run(forget, async () => {
      setFieldError(pem, "");
      show(await forgetCertificate());
    });
  const onToggle = () => {
    if (panel.open) trustedCertificate().then(show, (error) => setStatus(status, error.message, "error"));
  };

  save.addEventListener("click", onSave);
  forget.addEventListener("click", onForget);
  panel.addEventListener("toggle", onToggle);
  return () => {
    save.removeEventListener("click", onSave);
    forget.removeEventListener("click", onForget);
    panel.removeEventListener("toggle", onToggle);
  };
}
