// "Remember this device" on the verification screens, shown only when the org's policy
// allows it (the stage's `rememberDevice` offer, with how long Okta will remember this
// computer). The core keeps the choice: the next verify or poll asks Okta for it, and later
// stages carry it back as `checked`.

/** Wires the screen's `[data-remember-device]` box; `apply(stage)` shows or hides it. */
export function createRememberDevice(root, app) {
  const box = root.querySelector("[data-remember-device]");
  const input = box.querySelector("input");
  const text = box.querySelector("[data-remember-text]");

  const onChange = async () => {
    const wanted = input.checked;
    try {
      await app.rememberDevice(wanted);
    } catch {
      // The sign-in moved on or ended meanwhile; the box shows what still holds.
      input.checked = !wanted;
    }
  };
  input.addEventListener("change", onChange);

  return {
    apply(stage) {
      const offer = stage?.rememberDevice;
      box.hidden = !offer;
      if (!offer) return;
      input.checked = offer.checked;
      text.textContent = offer.lifetime ? `Remember this device ${offer.lifetime}` : "Remember this device";
    },
    destroy() {
      input.removeEventListener("change", onChange);
    },
  };
}
