// A screen whose form sends the sign-in one command (a phone number, an answer, a chosen
// question): the form locks while the command is on its way and the flow works on it, and a
// refusal, the command's own or a later `commandFailed`, goes back beside the field to be
// corrected.
import { setFieldError, setStatus } from "./dom.js";

/**
 * `field` shows refusals; `locked` are the other controls held while sending. `check()` marks
 * what is missing and says whether to send; `command()` is what to send (or a promise of it,
 * whose refusal goes beside the field like the command's own); `activity` names what
 * the status line says meanwhile; `apply(stage)` is the screen's own part of each new stage.
 * `listeners` are the screen's other `[target, type, handler]`s, removed with the form's.
 * Returns the router's `{ update, destroy }`, plus `show(stage)` for the first stage.
 */
export function mountCommandForm({ app, form, field, locked = [], submit, status, cancel, activity, check, command, apply, listeners = [] }) {
  let sending = false;
  const controls = [field, ...locked];

  function hold(held) {
    sending = held;
    submit.disabled = held;
    for (const control of controls) {
      if (control.tagName === "SELECT") control.disabled = held;
      else control.readOnly = held;
    }
  }

  function refused(message) {
    hold(false);
    setStatus(status, "");
    setFieldError(field, message);
  }

  function show(stage) {
    hold(false);
    setStatus(status, "");
    apply(stage);
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    if (sending || !check()) return;
    hold(true);
    setFieldError(field, "");
    setStatus(status, app.activity(activity));
    try {
      await app.send(await command());
    } catch (error) {
      refused(error.message);
      field.focus();
    }
  };
  const onCancel = () => app.cancel();
  const all = [[form, "submit", onSubmit], [cancel, "click", onCancel], ...listeners];
  for (const [target, type, handler] of all) target.addEventListener(type, handler);

  return {
    show,
    update({ stage, working, commandFailed }) {
      if (stage) show(stage);
      if (working) setStatus(status, working);
      if (commandFailed) refused(commandFailed.error.message);
    },
    destroy() {
      for (const [target, type, handler] of all) target.removeEventListener(type, handler);
    },
  };
}
