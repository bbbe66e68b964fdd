// A tiny screen router: one screen at a time inside `root`, each from a <template id="screen-NAME">.

export function createRouter(root, screens, context) {
  let cleanup = null;

  const router = {
    /** Replaces the current screen. `params` are passed to the screen's `mount`. */
    show(name, params = {}) {
      const screen = screens[name];
      const template = document.getElementById(`screen-${name}`);
      if (!screen || !template) {
        throw new Error(`No screen named "${name}"`);
      }
      cleanup?.();
      cleanup = null;
      root.replaceChildren(template.content.cloneNode(true));
      root.dataset.screen = name;
      cleanup = screen.mount(root, { ...context, router, params }) ?? null;
    },
  };
  return router;
}
