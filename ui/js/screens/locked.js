// "Your account is locked": what happened and what to do.
export function mount(root, { params, app }) {
  root.querySelector("#locked-message").textContent = params.stage.message;
  const back = root.querySelector("#locked-back");
  const details = root.querySelector("#locked-details");
  const onBack = () => app.home();
  const onDetails = () => app.showDetails();
  back.addEventListener("click", onBack);
  details.addEventListener("click", onDetails);
  back.focus();
  return () => {
    back.removeEventListener("click", onBack);
    details.removeEventListener("click", onDetails);
  };
}
