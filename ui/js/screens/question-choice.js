// "Choose a security question" (enrollment): one of the org's questions and its answer, or,
// where the org allows it (the stage's `canWriteOwn`, Identity Engine), a question of one's
// own written in the text field the "Write my own question" choice shows.
import { mountCommandForm } from "../command-form.js";
import { el, setFieldError } from "../dom.js";

/** The select's value for "Write my own question" (never one of Okta's question keys). */
const OWN = "__own__";

export function mount(root, { params, app }) {
  const select = root.querySelector("#question-choice");
  const ownField = root.querySelector("#question-own-field");
  const own = root.querySelector("#question-own");
  const input = root.querySelector("#question-answer");
  const show = root.querySelector("#question-answer-show");
  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  const writingOwn = () => select.value === OWN;
  const onPick = () => {
    ownField.hidden = !writingOwn();
    if (writingOwn()) own.focus();
  };
  const screen = mountCommandForm({
    app,
    form: root.querySelector("#question-choice-form"),
    field: input,
    locked: [select, own],
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
      if (writingOwn() && own.value.trim() === "") {
        setFieldError(own, "Write your question.");
        own.focus();
        return false;
      }
      if (input.value.trim() === "") {
        setFieldError(input, "Type your answer.");
        input.focus();
        return false;
      }
      return true;
    },
    command: () =>
      writingOwn()
        ? { command: "enrollQuestion", question: "custom", customQuestion: own.value.trim(), answer: input.value }
        : { command: "enrollQuestion", question: select.value, answer: input.value },
    apply(stage) {
      const chosen = select.value;
      const options = stage.questions.map((q) => el("option", { text: q.questionText, attrs: { value: q.question } }));
      if (stage.canWriteOwn) options.push(el("option", { text: "Write my own question", attrs: { value: OWN } }));
      select.replaceChildren(...options);
      const kept = stage.questions.some((q) => q.question === chosen) || (chosen === OWN && stage.canWriteOwn);
      if (chosen && kept) select.value = chosen;
      ownField.hidden = !writingOwn();
      setFieldError(select, "");
      setFieldError(own, "");
      setFieldError(input, "");
      if (stage.lastError) {
        // Okta says which was wrong only in words: a refused question of one's own is shown
        // on it, anything else on the answer.
        const onOwn = writingOwn() && /question|HTML/i.test(stage.lastError.message) && !/answer/i.test(stage.lastError.message);
        const target = onOwn ? own : input;
        setFieldError(target, stage.lastError.message);
        target.focus();
        target.select();
      }
    },
    listeners: [
      [show, "change", onShow],
      [select, "change", onPick],
    ],
  });
  screen.show(params.stage);
  return screen;
}
