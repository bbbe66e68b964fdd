// Identity Engine flows through okta-auth-js `idx.authenticate`: password only (its ID token
// verified by okta-auth-js against the org's JWKS), an Okta Verify push approved on the
// virtual phone, and Okta Verify chosen without a method (the org asks push or code; the
// code comes off the phone).
import { IdxStatus } from '@okta/okta-auth-js';
import { PASSWORD, answerPush, authenticatorCode, client, expect, within } from './support.mjs';

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

export const idxFlows = [
  ['password only (nomfa@demo.test)', passwordOnly],
  ['Okta Verify push approved (push@demo.test)', pushApproved],
  ['Okta Verify code, method chosen after the password (multi@demo.test)', oktaVerifyCode],
];
