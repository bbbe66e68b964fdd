// A tiny screen router: one screen at a time inside `root`, each from a <template id="screen-NAME">.
//
// A screen module exports `mount(root, context)`, returning nothing, a cleanup function, or
// `{ update(params), destroy() }` when the screen can take new data in place (a refreshed QR
// code, a number challenge) without being drawn again.

export function createRouter(root, screens, context) {
  let current = null;

  const router = {
    get current() {
      return current?.name ?? null;
    },

    /** Replaces the current screen. `params` are passed to the screen's `mount`. */
    show(name, params = {}) {
      const screen = screens[name];
      const template = document.getElementById(`screen-${name}`);
      if (!screen || !template) {
        throw new Error(`No screen named "${name}"`);
      }
      current?.destroy?.();
      current = null;
      root.replaceChildren(template.content.cloneNode(true));
      root.dataset.screen = name;
      const mounted = screen.mount(root, { ...context, router, params });
      current =
        typeof mounted === "function"
          ? { name, destroy: mounted }
          : { name, destroy: mounted?.destroy, update: mounted?.update };
      // Move focus to the new screen's title so screen readers announce it, unless the
      // screen already put focus in a field.
      if (!root.contains(document.activeElement) || document.activeElement === root) {
        root.querySelector(".screen-title")?.focus();
      }
    },

    /** Hands `params` to the current screen, if it takes updates. */
    update(params) {
      current?.update?.(params);
    },

    /** Shows `name`, or updates it in place when it is already showing and can update. */
    showOrUpdate(name, params = {}) {
      if (current?.name === name && current.update) {
        current.update(params);
      } else {
        router.show(name, params);
      }
    },
  };
  return router;
}
