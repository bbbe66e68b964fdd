// "Your account is locked": what happened and what to do. When Okta lets the person unlock
// it themselves (`canUnlock`), that comes first.
export function mount(root, { params, app }) {
  const { message, canUnlock } = params.stage;
  root.querySelector("#locked-message").textContent = message;
  const back = root.querySelector("#locked-back");
  const details = root.querySelector("#locked-details");
  const unlock = root.querySelector("#locked-unlock");
  const status = root.querySelector("#locked-status");
  unlock.hidden = !canUnlock;
  root.querySelector("#locked-ask").hidden = Boolean(canUnlock);
  root.querySelector("#locked-self").hidden = !canUnlock;
  const onBack = () => app.home();
  const onDetails = () => app.showDetails();
  const onUnlock = async () => {
    unlock.disabled = true;
    status.textContent = app.activity("startingRecovery");
    status.dataset.tone = "info";
    try {
      await app.recover("unlockAccount");
    } catch (error) {
      unlock.disabled = false;
      status.textContent = error.message;
      status.dataset.tone = "error";
    }
  };
  back.addEventListener("click", onBack);
  details.addEventListener("click", onDetails);
  unlock.addEventListener("click", onUnlock);
  (canUnlock ? unlock : back).focus();
  return () => {
    back.removeEventListener("click", onBack);
    details.removeEventListener("click", onDetails);
    unlock.removeEventListener("click", onUnlock);
  };
}
