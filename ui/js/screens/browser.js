// "Continue in your browser": a step only a browser can do (a security key, Duo, FastPass,
// or an enrollment the org requires that OktaDesk cannot set up). The button asks the Rust
// side to open the org's own sign-in page (`open_in_browser`); it opens nothing else.
import { openInBrowser } from "../ipc.js";
import { setStatus } from "../dom.js";

export function mount(root, { params, router, signInState, app }) {
  const message = root.querySelector("#browser-message");
  const status = root.querySelector("#browser-status");
  const open = root.querySelector("#browser-open");
  const another = root.querySelector("#browser-another");
  const cancel = root.querySelector("#browser-cancel");

  function apply(stage) {
    message.textContent = stage.message;
    // The factor list this step came from, to choose again (the engine waits for a choice).
    another.hidden = !(stage.canChooseAnother && signInState.factorChoice);
  }

  const onOpen = async () => {
    open.disabled = true;
    setStatus(status, "");
    try {
      await openInBrowser(signInState.flowId);
      setStatus(status, "Opened in your browser. Finish signing in there.");
      open.textContent = "Open it again";
    } catch (error) {
      setStatus(status, error.message, "error");
    } finally {
      open.disabled = false;
    }
  };
  const onAnother = () => router.show("factors", { stage: signInState.factorChoice });
  const onCancel = () => app.cancel();

  open.addEventListener("click", onOpen);
  another.addEventListener("click", onAnother);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) setStatus(status, commandFailed.error.message, "error");
    },
    destroy() {
      open.removeEventListener("click", onOpen);
      another.removeEventListener("click", onAnother);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
