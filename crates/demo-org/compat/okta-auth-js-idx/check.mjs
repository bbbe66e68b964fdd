// Runs Okta's own okta-auth-js `idx.authenticate` against the demo org in Identity Engine
// mode, unmodified: password only, Okta Verify push approved on the virtual phone, and Okta
// Verify chosen without a method (the org asks push or code; the code comes off the phone).
// Starts the demo org (cargo run --example identity_engine) unless DEMO_ORG_URL names one.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OktaAuth, IdxStatus } from '@okta/okta-auth-js';

const CLIENT_ID = '0oa1demoOktaDesk0g47';
const REDIRECT_URI = 'com.oktadesk.app:/callback';
const PASSWORD = 'Demo-Pa55word!';

async function startOrg() {
  if (process.env.DEMO_ORG_URL) return { url: process.env.DEMO_ORG_URL, stop() {} };
  const crate = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn('cargo', ['run', '-q', '-j', '1', '-p', 'oktadesk-demo-org', '--example', 'identity_engine'], {
    cwd: crate,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the demo org exited (${code}) before printing its URL`)));
  });
  return { url, stop: () => child.kill('SIGINT') };
}

function client(url) {
  return new OktaAuth({
    issuer: `${url}/oauth2/default`,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scopes: ['openid', 'profile', 'email'],
    // The demo org serves plain HTTP on loopback.
    testing: { disableHttpsCheck: true },
  });
}

function expect(condition, what) {
  if (!condition) throw new Error(`expected ${what}`);
  console.log(`ok - ${what}`);
}

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
  const approved = await fetch(`${url}/_demo/phone/push@demo.test/approve`, { method: 'POST' });
  expect(approved.ok, 'the virtual phone approves the push');
  tx = await auth.idx.poll();
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
  const phone = await (await fetch(`${url}/_demo/phone/multi@demo.test`)).json();
  const code = phone.codes[0]?.code;
  expect(/^[0-9]{6}$/.test(code ?? ''), 'the virtual phone shows an Okta Verify code');
  tx = await auth.idx.proceed({ verificationCode: code });
  expect(tx.status === IdxStatus.SUCCESS, `Okta Verify code sign-in succeeds (status ${tx.status})`);
}

const org = await startOrg();
try {
  await passwordOnly(org.url);
  await pushApproved(org.url);
  await oktaVerifyCode(org.url);
  console.log('okta-auth-js idx: all checks passed');
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  org.stop();
}
