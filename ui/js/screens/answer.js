// "Answer your security question": the question is the field's label; a wrong answer stays
// in the field with Okta's reason beside it.
import { mountCommandForm } from "../command-form.js";
import { setFieldError } from "../dom.js";
import { createRememberDevice } from "../remember-device.js";

export function mount(root, { params, app }) {
  const input = root.querySelector("#answer");
  const question = root.querySelector("#answer-question");
  const show = root.querySelector("#answer-show");
  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  const remember = createRememberDevice(root, app);
  const screen = mountCommandForm({
    app,
    form: root.querySelector("#answer-form"),
    field: input,
    submit: root.querySelector("#answer-submit"),
    status: root.querySelector("#answer-status"),
    cancel: root.querySelector("#answer-cancel"),
    activity: "verifyingAnswer",
    check() {
      if (input.value.trim() !== "") return true;
      setFieldError(input, "Type your answer.");
      input.focus();
      return false;
    },
    command: () => ({ command: "submitAnswer", answer: input.value }),
    apply(stage) {
      question.textContent = stage.question;
      remember.apply(stage);
      setFieldError(input, stage.lastError?.message ?? "");
      input.focus();
      if (stage.lastError) input.select();
    },
    listeners: [[show, "change", onShow]],
  });
  screen.show(params.stage);
  return {
    ...screen,
    destroy() {
      remember.destroy();
      screen.destroy();
    },
  };
}
