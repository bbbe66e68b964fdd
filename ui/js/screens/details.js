// "Sign-in details": the transcript for help-desk staff (step, HTTP, Okta status, ms), with
// copy and save. The core records no secrets in it.
import { exportTranscript, flowTranscript } from "../ipc.js";
import { el, setStatus } from "../dom.js";

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // WebKitGTK may refuse the async clipboard; the selection-based copy still works.
    const area = el("textarea", { attrs: { readonly: "true", "aria-hidden": "true" } });
    area.className = "visually-hidden";
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

export function mount(root, { app }) {
  const rows = root.querySelector("#transcript-rows");
  const status = root.querySelector("#details-status");
  const copy = root.querySelector("#details-copy");
  const save = root.querySelector("#details-export");
  const back = root.querySelector("#details-back");
  let text = "";

  async function load() {
    try {
      const transcript = await flowTranscript();
      text = `OktaDesk sign-in of ${transcript.username} at ${transcript.orgUrl}\n${transcript.text}`;
      root.querySelector("#details-lead").textContent =
        `${transcript.username} at ${transcript.orgUrl}: every request OktaDesk made. No passwords or tokens are included.`;
      rows.replaceChildren(
        ...transcript.entries.map((entry) => {
          const okta = [entry.oktaStatus, entry.factorResult, entry.errorCode].filter(Boolean).join(" · ");
          return el("tr", {}, [
            el("td", {}, [el("code", { text: `${entry.method} ${entry.path}` })]),
            el("td", { text: entry.httpStatus ?? "no answer", className: entry.httpStatus >= 400 || !entry.httpStatus ? "bad" : "" }),
            el("td", { text: okta + (entry.note ? ` (${entry.note})` : "") }),
            el("td", { className: "num", text: String(entry.elapsedMs) }),
          ]);
        }),
      );
      if (transcript.entries.length === 0) {
        rows.replaceChildren(el("tr", {}, [el("td", { attrs: { colspan: "4" }, text: "No request was made yet." })]));
      }
    } catch (error) {
      setStatus(status, error.message, "error");
    }
  }

  const onCopy = async () => {
    const ok = await copyText(text);
    setStatus(status, ok ? "Copied. Paste it into your help-desk ticket." : "Could not copy. Save it to a file instead.", ok ? "success" : "error");
  };
  const onSave = async () => {
    save.disabled = true;
    try {
      const path = await exportTranscript();
      setStatus(status, `Saved to ${path}`, "success");
    } catch (error) {
      setStatus(status, error.message, "error");
    } finally {
      save.disabled = false;
    }
  };
  const onBack = () => app.leaveDetails();

  copy.addEventListener("click", onCopy);
  save.addEventListener("click", onSave);
  back.addEventListener("click", onBack);
  load();
  back.focus();

  return {
    update() {
      load();
    },
    destroy() {
      copy.removeEventListener("click", onCopy);
      save.removeEventListener("click", onSave);
      back.removeEventListener("click", onBack);
    },
  };
}
