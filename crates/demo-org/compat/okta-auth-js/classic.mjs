// Classic Engine flows through okta-auth-js's authn API (docs/authn.md in okta-auth-js):
// `signInWithCredentials`, the transaction's `factors` and their `verify`, `poll` on an
// MFA_CHALLENGE, and `cancel`, all against the demo org's /api/v1/authn.
import {
  PASSWORD, answerPush, authenticatorCode, client, expect, newestMessage, nextSecond, within,
} from './support.mjs';

// What the recovery flows set; it meets the demo org's password policy.
const NEW_PASSWORD = 'Fresh-Start-Pa55';
// The answer to every seeded recovery question.
const SECURITY_ANSWER = 'blue cheese';

// Signs `login` in with the password and expects MFA_REQUIRED with the OKTA `factorType`
// factor offered; returns the transaction and that factor.
async function untilFactor(auth, login, factorType) {
  const tx = await auth.signInWithCredentials({ username: login, password: PASSWORD });
  expect(tx.status === 'MFA_REQUIRED', `the password is accepted and MFA is required (status ${tx.status})`);
  const offered = (tx.factors ?? []).map((factor) => `${factor.provider}:${factor.factorType}`);
  const factor = tx.factors?.find((f) => f.provider === 'OKTA' && f.factorType === factorType);
  expect(typeof factor?.verify === 'function',
    `transaction.factors offers OKTA ${factorType} with verify() (offered: ${offered.join(', ')})`);
  return { tx, factor };
}

function expectSuccess(tx, login) {
  expect(tx.status === 'SUCCESS', `the sign-in succeeds (status ${tx.status}, factorResult ${tx.factorResult})`);
  expect(typeof tx.sessionToken === 'string' && tx.sessionToken.length > 0,
    'SUCCESS carries a session token');
  expect(tx.user?.profile?.login === login, `the transaction names the user (${tx.user?.profile?.login})`);
}

async function passwordOnly(url) {
  const auth = client(url);
  const tx = await auth.signInWithCredentials({ username: 'nomfa@demo.test', password: PASSWORD });
  expectSuccess(tx, 'nomfa@demo.test');
  expect(!auth.tx.exists(), 'okta-auth-js keeps no transaction after SUCCESS');
}

// Verifies the push factor, then polls with `transaction.poll()` while the virtual phone
// answers: polling is what a real client does while the user looks at their phone.
async function pushAnswered(url, approve) {
  const login = 'push@demo.test';
  const auth = client(url);
  const { factor } = await untilFactor(auth, login, 'push');
  const challenge = await factor.verify();
  expect(challenge.status === 'MFA_CHALLENGE' && challenge.factorResult === 'WAITING',
    `verify() sends the push (status ${challenge.status}, factorResult ${challenge.factorResult})`);
  expect(typeof challenge.poll === 'function', 'the MFA_CHALLENGE transaction has poll()');
  const polling = within(15_000, 'transaction.poll()', challenge.poll());
  const [, tx] = await Promise.all([answerPush(url, login, approve), polling]);
  return { tx, login };
}

async function pushApproved(url) {
  const { tx, login } = await pushAnswered(url, true);
  expectSuccess(tx, login);
}

async function pushRejected(url) {
  // The approved push just spent this user's authn requests for the second (Okta's per-user
  // limit of 4, which the demo org enforces too): wait for the next second's allowance.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const { tx } = await pushAnswered(url, false);
  expect(tx.status === 'MFA_CHALLENGE' && tx.factorResult === 'REJECTED',
    `poll() ends with the push rejected (status ${tx.status}, factorResult ${tx.factorResult})`);
  expect(typeof tx.verify === 'function', 'the rejected challenge can be retried with verify()');
}

async function oktaVerifyCode(url) {
  const login = 'totp@demo.test';
  const auth = client(url);
  const { factor } = await untilFactor(auth, login, 'token:software:totp');
  const code = await authenticatorCode(url, login);
  const tx = await factor.verify({ passCode: code });
  expectSuccess(tx, login);
}

async function cancelled(url) {
  const auth = client(url);
  const { tx } = await untilFactor(auth, 'multi@demo.test', 'push');
  const stateToken = tx.data.stateToken;
  expect(auth.tx.exists(), 'okta-auth-js saved the transaction to resume');
  await tx.cancel();
  expect(!auth.tx.exists(), 'after cancel() okta-auth-js has no transaction to resume');
  const resumed = await auth.tx.resume({ stateToken }).then(
    (again) => `a transaction (status ${again.status})`,
    (error) => error.errorCode ?? error.message,
  );
  expect(resumed === 'E0000011', `the org refuses the cancelled state token with E0000011 (got ${resumed})`);
}

// `forgotPassword` by SMS: the texted code (`verify`), the recovery question (`answer`), the
// new password (`resetPassword`), then the sign-in goes on to SUCCESS.
async function forgotPasswordBySms(url) {
  const login = 'recover@demo.test';
  const auth = client(url);
  let tx = await auth.forgotPassword({ username: login, factorType: 'SMS' });
  expect(tx.status === 'RECOVERY_CHALLENGE' && typeof tx.verify === 'function',
    `forgotPassword() texts a code (status ${tx.status}, factorType ${tx.factorType})`);
  const { code } = await newestMessage(url, login);
  tx = await tx.verify({ passCode: code });
  expect(tx.status === 'RECOVERY' && typeof tx.answer === 'function',
    `verify() takes the code and asks the recovery question (status ${tx.status})`);
  expect(typeof tx.user?.recovery_question?.question === 'string',
    `the RECOVERY transaction shows the question (${tx.user?.recovery_question?.question})`);
  await nextSecond();
  tx = await tx.answer({ answer: SECURITY_ANSWER });
  expect(tx.status === 'PASSWORD_RESET' && typeof tx.resetPassword === 'function',
    `answer() is accepted and a new password is asked (status ${tx.status})`);
  expect(tx.policy?.complexity?.minLength === 8, 'PASSWORD_RESET carries the password policy');
  const refused = await tx.resetPassword({ newPassword: 'short' }).then(
    (done) => `a transaction (status ${done.status})`,
    (error) => error.errorCode ?? error.message,
  );
  expect(refused === 'E0000080', `a password the policy refuses gets E0000080 (got ${refused})`);
  await nextSecond();
  tx = await tx.resetPassword({ newPassword: NEW_PASSWORD });
  expectSuccess(tx, login);
}

// `forgotPassword` by email: the link's recovery token (`verifyRecoveryToken`), then
// `resetPassword`; the new password signs in afterwards.
async function forgotPasswordByEmail(url) {
  const login = 'forgot@demo.test';
  const auth = client(url);
  let tx = await auth.forgotPassword({ username: login, factorType: 'EMAIL' });
  expect(tx.status === 'RECOVERY_CHALLENGE' && tx.factorResult === 'WAITING',
    `forgotPassword() emails a link (status ${tx.status}, factorResult ${tx.factorResult})`);
  const { code: recoveryToken, link } = await newestMessage(url, login);
  expect(link?.includes(`/signin/reset-password/${recoveryToken}`), `the email links to the reset page (${link})`);
  tx = await auth.verifyRecoveryToken({ recoveryToken });
  expect(tx.status === 'PASSWORD_RESET', `verifyRecoveryToken() opens the reset (status ${tx.status})`);
  tx = await tx.resetPassword({ newPassword: NEW_PASSWORD });
  expect(tx.status === 'SUCCESS' && typeof tx.sessionToken === 'string',
    `resetPassword() signs in (status ${tx.status})`);
  await nextSecond();
  tx = await client(url).signInWithCredentials({ username: login, password: NEW_PASSWORD });
  expect(tx.status === 'MFA_REQUIRED', `the new password is the password now (status ${tx.status})`);
}

// `unlockAccount` by email: the link's token unlocks; the old password signs in again.
async function unlockByEmail(url) {
  const login = 'locked@demo.test';
  const auth = client(url);
  let tx = await auth.unlockAccount({ username: login, factorType: 'EMAIL' });
  expect(tx.status === 'RECOVERY_CHALLENGE' && tx.recoveryType === 'UNLOCK',
    `unlockAccount() emails a link (status ${tx.status}, recoveryType ${tx.recoveryType})`);
  const { code: recoveryToken } = await newestMessage(url, login);
  tx = await auth.verifyRecoveryToken({ recoveryToken });
  expect(tx.status === 'SUCCESS' && tx.recoveryType === 'UNLOCK',
    `verifyRecoveryToken() unlocks (status ${tx.status}, recoveryType ${tx.recoveryType})`);
  tx = await client(url).signInWithCredentials({ username: login, password: PASSWORD });
  expectSuccess(tx, login);
}

export const classicFlows = [
  ['password only (nomfa@demo.test)', passwordOnly],
  ['Okta Verify push approved, polled (push@demo.test)', pushApproved],
  ['Okta Verify code (totp@demo.test)', oktaVerifyCode],
  ['Okta Verify push rejected, reported as rejected (push@demo.test)', pushRejected],
  ['cancel at MFA_REQUIRED (multi@demo.test)', cancelled],
  ['forgotPassword by SMS, verify, answer, resetPassword (recover@demo.test)', forgotPasswordBySms],
  ['forgotPassword by email, verifyRecoveryToken, resetPassword (forgot@demo.test)', forgotPasswordByEmail],
  ['unlockAccount by email, verifyRecoveryToken, then sign in (locked@demo.test)', unlockByEmail],
];
