// Entry point: loads what the app knows about itself, draws the chrome, opens the first screen.
import { appInfo } from "./js/ipc.js";
import { createRouter } from "./js/router.js";
import * as addAccount from "./js/screens/add-account.js";

// Every screen registers here by name; a screen is a module exporting `mount(root, context)`.
const screens = {
  "add-account": addAccount,
};

function showBanner(message, tone = "info") {
  const banner = document.getElementById("banner");
  banner.textContent = message;
  banner.dataset.tone = tone;
  banner.hidden = false;
}

function drawChrome(info) {
  document.getElementById("app-version").textContent = `${info.name} ${info.version}`;
  if (info.demo?.state === "running") {
    document.getElementById("demo-badge").hidden = false;
  } else if (info.demo?.state === "unavailable") {
    showBanner(info.demo.message, "warning");
  }
}

async function start() {
  let info;
  try {
    info = await appInfo();
  } catch (error) {
    info = { name: "OktaDesk", version: "", demo: null };
    showBanner(error.message, "warning");
  }
  drawChrome(info);
  const router = createRouter(document.getElementById("main"), screens, { info });
  router.show("add-account");
}

start();
