// Reports the first interactive frame of the static first screen, as OktaDesk's ui/app.js
// does, with the same page marks (as ages: how many milliseconds before the report each step
// happened). A classic deferred script: no modules, and no IPC before the report.
(() => {
  const script = performance.now();
  requestAnimationFrame(() =>
    setTimeout(() => {
      const now = performance.now();
      const marks = { start: now, script: now - script, drawn: now - script };
      const navigation = performance.getEntriesByType?.("navigation")?.[0];
      if (navigation) marks["dom-interactive"] = now - navigation.domInteractive;
      window.__TAURI__.core.invoke("bench_ready", { marks });
    }, 0),
  );
})();
