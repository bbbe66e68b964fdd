// "Add account": the org URL and username. The password is asked for on the next screen.
import { validateOrgUrl } from "../ipc.js";
import { setFieldError, setStatus } from "../dom.js";

export function mount(root, { info }) {
  const form = root.querySelector("#add-account-form");
  const orgUrl = root.querySelector("#org-url");
  const username = root.querySelector("#username");
  const status = root.querySelector("#add-account-status");
  const submit = root.querySelector("#add-account-continue");

  if (info.demo?.state === "running") {
    orgUrl.value = info.demo.orgUrl;
  }

  // Check the org as soon as the person leaves the field, but never nag while they type.
  async function checkOrgUrl() {
    try {
      const origin = await validateOrgUrl(orgUrl.value);
      setFieldError(orgUrl, "");
      return origin;
    } catch (error) {
      setFieldError(orgUrl, error.message);
      return null;
    }
  }

  function checkUsername() {
    const missing = username.value.trim() === "";
    setFieldError(username, missing ? "Enter your username, usually your work email address." : "");
    return missing ? null : username.value.trim();
  }

  const onOrgBlur = () => {
    if (orgUrl.value.trim() !== "") checkOrgUrl();
  };
  const onOrgInput = () => setFieldError(orgUrl, "");
  const onUsernameInput = () => setFieldError(username, "");

  const onSubmit = async (event) => {
    event.preventDefault();
    setStatus(status, "");
    submit.disabled = true;
    try {
      const origin = await checkOrgUrl();
      const user = checkUsername();
      if (!origin) {
        orgUrl.focus();
        return;
      }
      if (!user) {
        username.focus();
        return;
      }
      orgUrl.value = origin;
      setStatus(
        status,
        `${user} at ${origin} looks right. Signing in with a password comes in the next version of OktaDesk.`,
      );
    } finally {
      submit.disabled = false;
    }
  };

  orgUrl.addEventListener("blur", onOrgBlur);
  orgUrl.addEventListener("input", onOrgInput);
  username.addEventListener("input", onUsernameInput);
  form.addEventListener("submit", onSubmit);

  (orgUrl.value ? username : orgUrl).focus();

  return () => {
    orgUrl.removeEventListener("blur", onOrgBlur);
    orgUrl.removeEventListener("input", onOrgInput);
    username.removeEventListener("input", onUsernameInput);
    form.removeEventListener("submit", onSubmit);
  };
}
