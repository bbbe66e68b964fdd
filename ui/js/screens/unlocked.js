// "Your account is unlocked" (or, after a reset Okta ended there, "Your password is reset"):
// signing in is one step away, with the account already filled in.
export function mount(root, { params, signInState, router, app }) {
  const { username, message } = params.stage;
  if (params.title) root.querySelector("#unlocked-title").textContent = params.title;
  root.querySelector("#unlocked-message").textContent = message;
  const signIn = root.querySelector("#unlocked-sign-in");
  const back = root.querySelector("#unlocked-back");
  const onSignIn = () => {
    signInState.draft.username = username || signInState.draft.username;
    signInState.draft.password = "";
    router.show("password");
  };
  const onBack = () => app.home();
  signIn.addEventListener("click", onSignIn);
  back.addEventListener("click", onBack);
  signIn.focus();
  return () => {
    signIn.removeEventListener("click", onSignIn);
    back.removeEventListener("click", onBack);
  };
}
