// "Sign-in didn't work": the core's message (what happened, what to do) and a way back.
export function mount(root, { params, router, app }) {
  root.querySelector("#failed-message").textContent = params.stage.message;
  const retry = root.querySelector("#failed-retry");
  const details = root.querySelector("#failed-details");
  const trust = root.querySelector("#failed-trust");
  // A certificate the computer does not trust is often a company network re-signing TLS:
  // the way out is trusting the company's root certificate.
  trust.hidden = params.stage.kind !== "tls";
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
