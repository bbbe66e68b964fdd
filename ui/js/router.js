// A tiny screen router: one screen at a time inside `root`, each from a <template id="screen-NAME">.
//
// A screen module exports `mount(root, context)`, returning nothing, a cleanup function, or
// `{ update(params), destroy() }` when the screen can take new data in place (a refreshed QR
// code, a number challenge) without being drawn again.
//
// `screens` maps each name to its module, or to a function that imports it (`() =>
// import("./screens/x.js")`), so only the first screen's code loads before the first frame.
// A screen still loading is already the current one: updates sent meanwhile wait for it, and
// a later `show` replaces it, so callers see the same order as with every module at hand.

export function createRouter(root, screens, context) {
  const modules = new Map();
  let current = null;
  /** The screen asked for whose module is still loading: { name, updates: [{ params, orShow }] }. */
  let pending = null;
  let shown = Promise.resolve();

  function loaded(name) {
    const entry = screens[name];
    if (!entry || !document.getElementById(`screen-${name}`)) {
      throw new Error(`No screen named "${name}"`);
    }
    if (typeof entry !== "function") return entry;
    return modules.get(name) ?? null;
  }

  /** Imports a screen's module (once; `import()` keeps it) and resolves to it. */
  function load(name) {
    return screens[name]().then((module) => {
      modules.set(name, module);
      return module;
    });
  }

  function mount(name, screen, params) {
    current?.destroy?.();
    current = null;
    root.replaceChildren(document.getElementById(`screen-${name}`).content.cloneNode(true));
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
  }

  const router = {
    get current() {
      return pending?.name ?? current?.name ?? null;
    },

    /**
     * Replaces the current screen. `params` are passed to the screen's `mount`. Resolves once
     * the screen is drawn (at once when its module is loaded), or replaced by a later `show`.
     */
    show(name, params = {}) {
      const screen = loaded(name);
      if (screen) {
        pending = null;
        mount(name, screen, params);
        shown = Promise.resolve();
        return shown;
      }
      const wanted = { name, updates: [] };
      pending = wanted;
      shown = load(name).then(
        (module) => {
          if (pending !== wanted) return;
          pending = null;
          mount(name, module, params);
          for (const { params: next, orShow } of wanted.updates) {
            if (current?.update) {
              current.update(next);
            } else if (orShow) {
              mount(name, module, next);
            }
          }
        },
        (error) => {
          if (pending === wanted) pending = null;
          throw error;
        },
      );
      return shown;
    },

    /** Resolves once the last `show` has drawn its screen (a screen whose module was not
     *  loaded yet is drawn a moment later): what is said about the screen waits for it. */
    settled() {
      return shown.catch(() => {});
    },

    /** Hands `params` to the current screen, if it takes updates. */
    update(params) {
      if (pending) {
        pending.updates.push({ params, orShow: false });
      } else {
        current?.update?.(params);
      }
    },

    /** Shows `name`, or updates it in place when it is already showing and can update. */
    showOrUpdate(name, params = {}) {
      if (pending?.name === name) {
        pending.updates.push({ params, orShow: true });
      } else if (!pending && current?.name === name && current.update) {
        current.update(params);
      } else {
        router.show(name, params);
      }
    },

  };
  return router;
}
