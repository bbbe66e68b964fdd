// "Sign-in didn't work": the core's message (what happened, what to do) and a way back.
export function mount(root, { params, router, app }) {
  root.querySelector("#failed-message").textContent = params.stage.message;
  const retry = root.querySelector("#failed-retry");
  const details = root.querySelector("#failed-details");
  const onRetry = () => router.show("password");
  const onDetails = () => app.showDetails();
  retry.addEventListener("click", onRetry);
  details.addEventListener("click", onDetails);
  retry.focus();
  return () => {
    retry.removeEventListener("click", onRetry);
    details.removeEventListener("click", onDetails);
  };
}
