// "Answer your security question": the question is the field's label; a wrong answer stays
// in the field with Okta's reason beside it.
import { setFieldError, setStatus } from "../dom.js";

export function mount(root, { params, app }) {
  const form = root.querySelector("#answer-form");
  const input = root.querySelector("#answer");
  const question = root.querySelector("#answer-question");
  const show = root.querySelector("#answer-show");
  const status = root.querySelector("#answer-status");
  const submit = root.querySelector("#answer-submit");
  const cancel = root.querySelector("#answer-cancel");
  let sending = false;

  function unlock() {
    sending = false;
    submit.disabled = false;
    input.readOnly = false;
  }

  function apply(stage) {
    unlock();
    setStatus(status, "");
    question.textContent = stage.question;
    setFieldError(input, stage.lastError?.message ?? "");
    input.focus();
    if (stage.lastError) input.select();
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    if (sending) return;
    if (input.value.trim() === "") {
      setFieldError(input, "Type your answer.");
      input.focus();
      return;
    }
    sending = true;
    submit.disabled = true;
    input.readOnly = true;
    setFieldError(input, "");
    setStatus(status, app.activity("verifyingAnswer"));
    try {
      await app.send({ command: "submitAnswer", answer: input.value });
    } catch (error) {
      unlock();
      setStatus(status, "");
      setFieldError(input, error.message);
      input.focus();
    }
  };
  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  const onCancel = () => app.cancel();

  form.addEventListener("submit", onSubmit);
  show.addEventListener("change", onShow);
  cancel.addEventListener("click", onCancel);
  apply(params.stage);

  return {
    update({ stage, working, commandFailed }) {
      if (stage) apply(stage);
      if (working) setStatus(status, working);
      if (commandFailed) {
        unlock();
        setStatus(status, "");
        setFieldError(input, commandFailed.error.message);
      }
    },
    destroy() {
      form.removeEventListener("submit", onSubmit);
      show.removeEventListener("change", onShow);
      cancel.removeEventListener("click", onCancel);
    },
  };
}
