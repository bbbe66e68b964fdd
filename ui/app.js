// Entry point: the chrome, the sign-in controller (stages in, screens out) and the demo phone.
import * as ipc from "./js/ipc.js";
import { createRouter } from "./js/router.js";
import { announce } from "./js/dom.js";
import * as accounts from "./js/screens/accounts.js";
import * as addAccount from "./js/screens/add-account.js";

/** When the page's steps happened (performance.now()), for `cargo xtask bench`. */
const marks = { script: performance.now() };

/**
 * The styles only later screens use (`factors.css`): loaded after the first frame, which then
 * has one stylesheet less to wait for and match; a later screen waits for them before it is
 * drawn. Resolves once they are in (or failed to load: the screen is still usable).
 */
let laterStyles = null;
function loadLaterStyles() {
  laterStyles ??= new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = "factors.css";
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
    document.head.append(link);
  });
  return laterStyles;
}

/** A later screen: its module, imported when first shown, once the later styles are in. */
const later = (load) => () => Promise.all([load(), loadLaterStyles()]).then(([module]) => module);

// Every screen registers here by name; a screen is a module exporting `mount(root, context)`.
// The two that can be the first screen come with this module; the others load when first
// shown (a few milliseconds from the app's own assets), so the first frame does not wait for
// them and a quick sign-in never parses the screens it does not reach.
const screens = {
  accounts,
  "add-account": addAccount,
  password: later(() => import("./js/screens/password.js")),
  factors: later(() => import("./js/screens/factors.js")),
  enroll: later(() => import("./js/screens/enroll.js")),
  push: later(() => import("./js/screens/push.js")),
  code: later(() => import("./js/screens/code.js")),
  "enroll-app": later(() => import("./js/screens/enroll-app.js")),
  "phone-number": later(() => import("./js/screens/phone-number.js")),
  answer: later(() => import("./js/screens/answer.js")),
  "question-choice": later(() => import("./js/screens/question-choice.js")),
  browser: later(() => import("./js/screens/browser.js")),
  "change-password": later(() => import("./js/screens/change-password.js")),
  "recovery-email": later(() => import("./js/screens/recovery-email.js")),
  "new-password": later(() => import("./js/screens/new-password.js")),
  unlocked: later(() => import("./js/screens/unlocked.js")),
  locked: later(() => import("./js/screens/locked.js")),
  failed: later(() => import("./js/screens/failed.js")),
  success: later(() => import("./js/screens/success.js")),
  details: later(() => import("./js/screens/details.js")),
};

/** What the spinner says while the core is busy. */
const ACTIVITIES = {
  checkingPassword: "Checking your password…",
  enrolling: "Setting it up…",
  sendingPush: "Sending a push to your phone…",
  verifyingCode: "Checking the code…",
  sendingCode: "Sending a code…",
  verifyingAnswer: "Checking your answer…",
  loadingQuestions: "Getting the security questions…",
  sendingActivationLink: "Sending the activation link…",
  refreshingQr: "Getting a new QR code…",
  changingPassword: "Changing your password…",
  startingRecovery: "Asking Okta to start…",
  resettingPassword: "Setting your new password…",
  skipping: "Moving on…",
  switchingFactor: "Switching…",
  cancelling: "Cancelling…",
};

function showBanner(message, tone = "info") {
  const banner = document.getElementById("banner");
  document.getElementById("banner-text").textContent = message;
  banner.dataset.tone = tone;
  banner.hidden = false;
}

function hideBanner() {
  document.getElementById("banner").hidden = true;
}

function drawChrome(info) {
  // The same font as `system-ui` where the app can name it, which WebKitGTK sets up faster.
  if (info.uiFont) {
    document.documentElement.style.setProperty("--font-ui", `"${info.uiFont}", sans-serif`);
  }
  document.getElementById("app-version").textContent = `${info.name} ${info.version}`;
  if (info.demo?.state === "running") {
    document.getElementById("demo-badge").hidden = false;
  } else if (info.demo?.state === "unavailable") {
    showBanner(info.demo.message, "warning");
  }
}

/** The sign-in in progress: what was typed (kept so no step loses it) and where the flow is. */
function createSignInState() {
  return {
    draft: {
      orgUrl: "",
      username: "",
      password: "",
      remember: true,
      autoPush: false,
      fromAccount: null,
      engine: null,
      clientId: null,
      authorizationServer: null,
    },
    flowId: null,
    /** "resetPassword" or "unlockAccount" while a recovery runs; null for a sign-in. */
    recovery: null,
    /** Counts sign-ins, so events of one the person has left are told apart and ignored. */
    attempt: 0,
    stage: null,
    factors: [],
    /** The last factor list, to choose again from a step that allows it. */
    factorChoice: null,
    remembered: null,
    dashboardOpened: false,
    /** The screen (and its params) to return to from Details. */
    beforeDetails: null,
  };
}

/**
 * The demo phone beside the app, whose module only loads when the demo org runs (`--demo`):
 * one module less before everyone else's first screen. Without it, a phone that does nothing.
 */
async function demoPhone(info, signInState) {
  if (info.demo?.state !== "running") {
    return { follow() {}, onStage() {} };
  }
  const { createPhone } = await import("./js/phone.js");
  return createPhone({ info, signInState });
}

/** What to show for a keychain answer: Accounts if any are remembered, else Add account. */
function homeScreen(list) {
  if (list.accounts.length > 0 || list.unreadable?.length > 0) {
    return ["accounts", { list }];
  }
  return ["add-account", { canGoBack: false }];
}

const listAccounts = () => ipc.listAccounts().catch((error) => ({ accounts: [], problem: error }));

async function start() {
  // Both questions go out at once: the keychain's answer takes D-Bus round trips, and the
  // first screen does not wait for it (see `firstScreen`).
  const accountsAtStart = listAccounts();
  let accountsKnown = null;
  accountsAtStart.then((list) => {
    accountsKnown = list;
    marks.accounts ??= performance.now();
  });
  let info;
  try {
    info = await ipc.appInfo();
  } catch (error) {
    info = { name: "OktaDesk", version: "", demo: null };
    showBanner(error.message, "warning");
  }
  marks["app-info"] = performance.now();
  drawChrome(info);

  const signInState = createSignInState();
  const main = document.getElementById("main");
  const app = {};
  const router = createRouter(main, screens, { info, signInState, app });
  const phone = await demoPhone(info, signInState);

  Object.assign(app, {
    showBanner,
    hideBanner,
    activity: (name) => ACTIVITIES[name] ?? "Working…",
    /** Points the demo phone at `username` before the sign-in starts. */
    followPhone: (username) => phone.follow(username, signInState.draft.orgUrl),

    /** Accounts if any are remembered, else straight to Add account. */
    async home() {
      showHome(await listAccounts());
    },

    /** Starts the sign-in with what the draft holds; stages take it from here. */
    signIn() {
      const { orgUrl, username, password: secret, remember, autoPush, engine, clientId, authorizationServer } =
        signInState.draft;
      return begin(null, (onEvent) =>
        ipc.startSignIn(
          { orgUrl, username, password: secret, remember, autoPush, engine, clientId, authorizationServer },
          onEvent,
        ),
      );
    },

    /**
     * "Forgot password?" (`"resetPassword"`) or "Unlock account" (`"unlockAccount"`) for the
     * draft's account, as a sign-in of its own: same stages, same commands. No password goes.
     */
    recover(recovery) {
      const { orgUrl, username, remember, engine, clientId, authorizationServer } = signInState.draft;
      signInState.draft.password = "";
      router.update({ working: app.activity("startingRecovery") });
      return begin(recovery, (onEvent) =>
        ipc.startRecovery({ orgUrl, username, recovery, remember, engine, clientId, authorizationServer }, onEvent),
      );
    },

    /** Sends a command to the running sign-in; rejects with { kind, message }. */
    send(command) {
      return ipc.flowCommand(signInState.flowId, command);
    },

    cancel() {
      return app.send({ command: "cancel" }).catch(() => app.home());
    },

    /** Whether Okta should remember this device at this sign-in's verification. */
    rememberDevice(remember) {
      return ipc.rememberDevice(signInState.flowId, remember);
    },

    showDetails() {
      if (router.current !== "details") {
        signInState.beforeDetails = router.current;
      }
      router.show("details");
    },

    leaveDetails() {
      const back = signInState.beforeDetails;
      if (back && back !== "details" && signInState.stage) {
        routeStage(signInState.stage);
      } else {
        app.home();
      }
    },
  });

  /** Starts a flow with `start(onEvent)` after forgetting the last one's state. */
  async function begin(recovery, start) {
    signInState.stage = null;
    signInState.factors = [];
    signInState.factorChoice = null;
    signInState.remembered = null;
    signInState.dashboardOpened = false;
    signInState.flowId = null;
    signInState.recovery = recovery;
    const attempt = ++signInState.attempt;
    const onEvent = (event) => {
      if (attempt !== signInState.attempt) return;
      if (event.event === "stage") onStage(event);
      else if (event.event === "remembered") onRemembered(event);
      else if (event.event === "engineChanged") showBanner(event.message, "warning");
    };
    const started = await start(onEvent);
    signInState.flowId = started.flowId;
    document.getElementById("open-details").hidden = false;
    phone.follow(signInState.draft.username, signInState.draft.orgUrl);
    return started;
  }

  function showHome(list) {
    if (list.problem) {
      showBanner(list.problem.message, "warning");
    }
    router.show(...homeScreen(list));
  }

  function routeStage(event) {
    switch (event.stage) {
      case "working":
        router.update({ working: app.activity(event.activity) });
        break;
      case "needsFactorChoice":
        signInState.factors = event.factors;
        signInState.factorChoice = event;
        router.show("factors", { stage: event });
        break;
      case "enrollQr":
        // Okta Verify push has its own screen; an app that shows codes gets the key too.
        router.showOrUpdate(event.factor === "push" ? "enroll" : "enroll-app", { stage: event });
        break;
      case "activationExpired":
        router.showOrUpdate(router.current === "enroll-app" ? "enroll-app" : "enroll", { stage: event });
        break;
      case "activationLinkSent":
        router.showOrUpdate("enroll", { stage: event });
        break;
      case "pushSent":
      case "numberChallenge":
      case "pushRejected":
      case "pushTimedOut":
        router.showOrUpdate("push", { stage: event });
        break;
      case "needsCode":
        // An app's first code is typed under its QR code, which stays on screen.
        if (router.current === "enroll-app" && event.purpose === "activate") {
          router.showOrUpdate("enroll-app", { stage: event });
        } else {
          router.showOrUpdate("code", { stage: event });
        }
        break;
      case "needsPhoneNumber":
        router.showOrUpdate("phone-number", { stage: event });
        break;
      case "needsAnswer":
        router.showOrUpdate("answer", { stage: event });
        break;
      case "needsQuestionChoice":
        router.showOrUpdate("question-choice", { stage: event });
        break;
      case "continueInBrowser":
        router.showOrUpdate("browser", { stage: event });
        break;
      case "passwordWarn":
      case "passwordExpired":
        router.showOrUpdate("change-password", { stage: event });
        break;
      case "commandFailed":
        router.update({ commandFailed: event });
        break;
      case "recoveryEmailSent":
        router.showOrUpdate("recovery-email", { stage: event });
        break;
      case "needsNewPassword":
        router.showOrUpdate("new-password", { stage: event });
        break;
      case "accountUnlocked":
        router.show("unlocked", { stage: event });
        break;
      case "passwordReset":
        router.show("unlocked", { stage: event, title: "Your password is reset" });
        break;
      case "lockedOut":
        router.show("locked", { stage: event });
        break;
      case "success":
        router.show("success", { stage: event });
        break;
      case "failed":
        if (event.kind === "credentials" || event.kind === "cancelled") {
          router.show("password", { error: event.kind === "credentials" ? event.message : "" });
        } else {
          router.show("failed", { stage: event });
        }
        break;
      default:
        break;
    }
  }

  /**
   * Stages after which the typed password may still be wanted: before Okta has answered it
   * (a wrong password or a dropped connection asks for it again), and the password-change
   * screens, which take it as the current password and then forget it themselves.
   */
  const PASSWORD_STILL_WANTED = new Set([
    "working", "commandFailed", "failed", "lockedOut", "passwordWarn", "passwordExpired",
  ]);

  function onStage(event) {
    // Any other stage means Okta accepted the password: forget it, so it does not outlive
    // its use (nor refill the field after a rejected push or a cancel).
    if (!PASSWORD_STILL_WANTED.has(event.stage)) {
      signInState.draft.password = "";
    }
    if (event.stage !== "working" && event.stage !== "commandFailed") {
      signInState.stage = event;
    }
    phone.onStage(event);
    if (router.current === "details" && event.stage === "working") return;
    routeStage(event);
    if (["numberChallenge", "pushRejected", "pushTimedOut", "success", "lockedOut", "continueInBrowser", "accountUnlocked", "passwordReset"].includes(event.stage)) {
      // The screen's module may still be loading: say its title once it is drawn.
      router.settled().then(() => announce(document.querySelector(".screen-title")?.textContent ?? ""));
    }
  }

  function onRemembered(event) {
    signInState.remembered = event;
    if (event.problem) {
      showBanner(event.problem.message, "warning");
    }
    router.update({ remembered: event });
  }

  document.getElementById("banner-dismiss").addEventListener("click", hideBanner);
  document.getElementById("open-details").addEventListener("click", () => app.showDetails());

  firstScreen();
  // `cargo xtask bench` times startup to here: the first screen painted and taking input
  // (a timeout queued from an animation frame runs after that frame is drawn).
  requestAnimationFrame(() =>
    setTimeout(() => {
      reportReady();
      loadLaterStyles();
    }, 0),
  );

  /**
   * Home, without waiting on the keychain: when its answer is not in yet, Add account is
   * drawn at once and gives way to Accounts when remembered accounts arrive, unless the
   * person has started on the form by then.
   */
  function firstScreen() {
    if (accountsKnown) {
      showHome(accountsKnown);
      marks.drawn = performance.now();
      return;
    }
    router.show("add-account", { canGoBack: false });
    marks.drawn = performance.now();
    let started = false;
    const onStarted = () => {
      started = true;
    };
    for (const type of ["input", "keydown", "pointerdown"]) {
      main.addEventListener(type, onStarted, { capture: true, once: true });
    }
    accountsAtStart.then((list) => {
      if (list.problem) {
        showBanner(list.problem.message, "warning");
      }
      const [name, params] = homeScreen(list);
      if (name !== "add-account" && !started && router.current === "add-account") {
        router.show(name, params);
      }
    });
  }
}

/** Sends the page's marks as ages, since its clock and the app's start at different times. */
function reportReady() {
  const now = performance.now();
  const steps = { start: 0, ...marks };
  const navigation = performance.getEntriesByType?.("navigation")?.[0];
  if (navigation) {
    steps["dom-interactive"] = navigation.domInteractive;
  }
  const ages = {};
  for (const [name, at] of Object.entries(steps)) {
    if (Number.isFinite(at) && at <= now) ages[name] = now - at;
  }
  ipc.benchReady(ages);
}

start();
