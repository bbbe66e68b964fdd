// Identity Engine flows through okta-auth-js `idx.authenticate`: password only (its ID token
// verified by okta-auth-js against the org's JWKS), an Okta Verify push approved on the
// virtual phone, and Okta Verify chosen without a method (the org asks push or code; the
// code comes off the phone).
import { IdxStatus } from '@okta/okta-auth-js';
import {
  PASSWORD, answerPush, authenticatorCode, client, expect, newestMessage, within,
} from './support.mjs';

const NEW_PASSWORD = 'Fresh-Start-Pa55';

async function passwordOnly(url) {
  const auth = client(url);
  const tx = await auth.idx.authenticate({ username: 'nomfa@demo.test', password: PASSWORD });
  expect(tx.status === IdxStatus.SUCCESS, `password sign-in succeeds (status ${tx.status})`);
  const claims = tx.tokens.idToken.claims;
  expect(claims.preferred_username === 'nomfa@demo.test', 'the verified ID token names the user');
}

async function pushApproved(url) {
  const auth = client(url);
  let tx = await auth.idx.authenticate({
    username: 'push@demo.test',
    password: PASSWORD,
    authenticator: 'okta_verify',
  });
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'challenge-poll',
    `push sent, polling (${tx.status} ${tx.nextStep?.name})`);
  await answerPush(url, 'push@demo.test', true);
  tx = await within(15_000, 'idx.poll', auth.idx.poll());
  expect(tx.status === IdxStatus.SUCCESS, `push sign-in succeeds (status ${tx.status})`);
}

async function oktaVerifyCode(url) {
  const auth = client(url);
  let tx = await auth.idx.authenticate({
    username: 'multi@demo.test',
    password: PASSWORD,
    authenticator: 'okta_verify',
  });
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'authenticator-verification-data',
    `the org asks which Okta Verify method (${tx.status} ${tx.nextStep?.name})`);
  tx = await auth.idx.proceed({ methodType: 'totp' });
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'challenge-authenticator',
    `code chosen, the org asks for it (${tx.status} ${tx.nextStep?.name})`);
  const code = await authenticatorCode(url, 'multi@demo.test');
  tx = await auth.idx.proceed({ verificationCode: code });
  expect(tx.status === IdxStatus.SUCCESS, `Okta Verify code sign-in succeeds (status ${tx.status})`);
}

// `idx.recoverPassword`: identify, the password's `recover`, an emailed code, the new
// password (refused once by the policy), then tokens.
async function recoverPassword(url) {
  const login = 'forgot@demo.test';
  const auth = client(url);
  let tx = await auth.idx.recoverPassword({ username: login });
  if (tx.nextStep?.name === 'select-authenticator-authenticate') {
    tx = await auth.idx.proceed({ authenticator: 'okta_email' });
  }
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'challenge-authenticator',
    `recovery by email code starts (${tx.status} ${tx.nextStep?.name})`);
  const { code } = await newestMessage(url, login);
  tx = await auth.idx.proceed({ verificationCode: code });
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'reset-authenticator',
    `the code is accepted and a new password is asked (${tx.status} ${tx.nextStep?.name})`);
  tx = await auth.idx.proceed({ password: 'short' });
  expect(tx.nextStep?.name === 'reset-authenticator'
    && (tx.messages ?? []).some((m) => m.i18n?.key === 'password.passwordRequirementsNotMet'),
  `a password the policy refuses is asked again, with why (${tx.status} ${tx.nextStep?.name})`);
  tx = await auth.idx.proceed({ password: NEW_PASSWORD });
  expect(tx.status === IdxStatus.SUCCESS && tx.tokens?.idToken,
    `the new password signs in (status ${tx.status})`);
}

// `idx.unlockAccount`: `unlock-account`, identifier and email in one form, the emailed
// code, the terminal "unlocked"; then the password signs in.
async function unlockAccount(url) {
  const login = 'locked@demo.test';
  const auth = client(url);
  let tx = await auth.idx.unlockAccount({ username: login, authenticators: ['okta_email'] });
  expect(tx.status === IdxStatus.PENDING && tx.nextStep?.name === 'challenge-authenticator',
    `unlock by email code starts (${tx.status} ${tx.nextStep?.name})`);
  const { code } = await newestMessage(url, login);
  tx = await auth.idx.proceed({ verificationCode: code });
  const keys = (tx.messages ?? []).map((m) => m.i18n?.key);
  expect(tx.status === IdxStatus.TERMINAL && keys.includes('oie.selfservice.unlock_user.success.message'),
    `the account is unlocked (${tx.status}: ${keys.join(', ')})`);
  tx = await client(url).idx.authenticate({ username: login, password: PASSWORD });
  expect(tx.status === IdxStatus.SUCCESS, `the password signs in again (status ${tx.status})`);
}

export const idxFlows = [
  ['password only (nomfa@demo.test)', passwordOnly],
  ['Okta Verify push approved (push@demo.test)', pushApproved],
  ['Okta Verify code, method chosen after the password (multi@demo.test)', oktaVerifyCode],
  ['recoverPassword by email code, policy refusal, new password (forgot@demo.test)', recoverPassword],
  ['unlockAccount by email code, then sign in (locked@demo.test)', unlockAccount],
];
