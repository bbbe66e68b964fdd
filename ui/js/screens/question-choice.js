// "Choose a security question" (enrollment): one of the org's questions and its answer.
import { mountCommandForm } from "../command-form.js";
import { el, setFieldError } from "../dom.js";

export function mount(root, { params, app }) {
  const select = root.querySelector("#question-choice");
  const input = root.querySelector("#question-answer");
  const show = root.querySelector("#question-answer-show");
  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  const screen = mountCommandForm({
    app,
    form: root.querySelector("#question-choice-form"),
    field: input,
    locked: [select],
    submit: root.querySelector("#question-choice-submit"),
    status: root.querySelector("#question-choice-status"),
    cancel: root.querySelector("#question-choice-cancel"),
    activity: "enrolling",
    check() {
      if (!select.value) {
        setFieldError(select, "Choose a question.");
        select.focus();
        return false;
      }
      if (input.value.trim() === "") {
        setFieldError(input, "Type your answer.");
        input.focus();
        return false;
      }
      return true;
    },
    command: () => ({ command: "enrollQuestion", question: select.value, answer: input.value }),
    apply(stage) {
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
    },
    listeners: [[show, "change", onShow]],
  });
  screen.show(params.stage);
  return screen;
}
