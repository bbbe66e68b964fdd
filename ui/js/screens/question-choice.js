// "Choose a security question" (enrollment): one of the org's questions and its answer.
import { el, setFieldError, setStatus } from "../dom.js";

export function mount(root, { params, app }) {
  const form = root.querySelector("#question-choice-form");
  const select = root.querySelector("#question-choice");
  const input = root.querySelector("#question-answer");
  const show = root.querySelector("#question-answer-show");
  const status = root.querySelector("#question-choice-status");
  const submit = root.querySelector("#question-choice-submit");
  const cancel = root.querySelector("#question-choice-cancel");
  let sending = false;

  function unlock() {
    sending = false;
    submit.disabled = false;
    input.readOnly = false;
    select.disabled = false;
  }

  function apply(stage) {
    unlock();
    setStatus(status, "");
    const chosen = select.value;
    select.replaceChildren(
      ...stage.questions.map((q) => el("option", { text: q.questionText, attrs: { value: q.question } })),
    );
    if (chosen && stage.questions.some((q) => q.question === chosen)) select.value = chosen;
    setFieldError(select, "");
    setFieldError(input, stage.lastError?.message ?? "");
    if (stage.lastError) {
      input.focus();
      input.select();
    }
  }

  const onSubmit = async (event) => {
    event.preventDefault();
    if (sending) return;
    if (!select.value) {
      setFieldError(select, "Choose a question.");
      select.focus();
      return;
    }
    if (input.value.trim() === "") {
      setFieldError(input, "Type your answer.");
      input.focus();
      return;
    }
    sending = true;
    submit.disabled = true;
    input.readOnly = true;
    select.disabled = true;
    setFieldError(input, "");
    setStatus(status, app.activity("enrolling"));
    try {
      await app.send({ command: "enrollQuestion", question: select.value, answer: input.value });
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
