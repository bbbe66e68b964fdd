// "Sign-in didn't work": the core's message (what happened, what to do) and a way back.
export function mount(root, { params, router, app }) {
  root.querySelector("#failed-message").textContent = params.stage.message;
  const retry = root.querySelector("#failed-retry");
  const details = root.querySelector("#failed-details");
  const trust = root.querySelector("#failed-trust");
  // A certificate the computer does not trust is often a company network re-signing TLS:
  // the way out is trusting the company's root certificate.
  trust.hidden = params.stage.kind !== "tls";
  // The org keeps password resets and unlocks to its help desk: the message says so; the
  // title should not promise a retry will help.
  const selfService = params.stage.kind === "self_service_not_allowed";
  root.querySelector("#failed-title").textContent = selfService ? "Ask your help desk" : "Sign-in didn't work";
  root.querySelector("#failed-help-desk").hidden = !selfService;
  retry.textContent = selfService ? "Back to sign in" : "Try again";
  const onRetry = () => router.show("password");
  const onDetails = () => app.showDetails();
  const onTrust = () => router.show("add-account", { canGoBack: true, showTrust: true });
  retry.addEventListener("click", onRetry);
  details.addEventListener("click", onDetails);
  trust.addEventListener("click", onTrust);
  retry.focus();
  return () => {
    retry.removeEventListener("click", onRetry);
    details.removeEventListener("click", onDetails);
    trust.removeEventListener("click", onTrust);
  };
}
