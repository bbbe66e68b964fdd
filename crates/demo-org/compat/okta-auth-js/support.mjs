// What every flow shares: the demo org's seeded app and password, an okta-auth-js client set
// up for a plain-HTTP loopback org, the virtual phone, and checks that say what they expected.
import { OktaAuth } from '@okta/okta-auth-js';

// The OktaDesk app the demo org seeds, and the password every seeded user has.
export const CLIENT_ID = '0oa1demoOktaDesk0g47';
export const REDIRECT_URI = 'com.oktadesk.app:/callback';
export const PASSWORD = 'Demo-Pa55word!';

// A fresh client per flow, so no flow sees another's saved transaction or tokens.
export function client(url) {
  return new OktaAuth({
    issuer: `${url}/oauth2/default`,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    scopes: ['openid', 'profile', 'email'],
    // The demo org serves plain HTTP on loopback; okta-auth-js refuses a non-HTTPS issuer
    // otherwise. Nothing else is changed: Node's default (memory) storage is used.
    testing: { disableHttpsCheck: true },
    // okta-auth-js's own memory storage in Node, under its own default key names: naming
    // them changes nothing but the warning, on every use, that memory storage suits a single
    // user (each flow has a client of its own).
    storageManager: {
      token: { storageKey: 'okta-token-storage' },
      transaction: { storageKey: 'okta-transaction-storage' },
      'shared-transaction': { storageKey: 'okta-shared-transaction-storage' },
      'original-uri': { storageKey: 'okta-original-uri-storage' },
    },
  });
}

// Throws `expected <what>` unless `condition` holds; logs the step when it does.
export function expect(condition, what) {
  if (!condition) {
    const error = new Error(`expected ${what}`);
    error.expectation = true; // says all there is to say: no stack trace
    throw error;
  }
  console.log(`    ok: ${what}`);
}

// What the virtual phone shows for `login`: pending push, authenticator codes, inbox.
export async function phone(url, login) {
  const response = await fetch(`${url}/_demo/phone/${login}`);
  if (!response.ok) throw new Error(`the virtual phone of ${login} answered ${response.status}`);
  return response.json();
}

// Approves or rejects the pending push on the virtual phone of `login`.
export async function answerPush(url, login, approve) {
  const action = approve ? 'approve' : 'reject';
  const response = await fetch(`${url}/_demo/phone/${login}/${action}`, { method: 'POST' });
  expect(response.ok, `the virtual phone can ${action} the push (HTTP ${response.status})`);
}

// The first Okta Verify code the virtual phone of `login` shows.
export async function authenticatorCode(url, login) {
  const code = (await phone(url, login)).codes[0]?.code;
  expect(/^[0-9]{6}$/.test(code ?? ''), `the virtual phone of ${login} shows a six-digit code`);
  return code;
}

// Rejects with a message naming `what` if `promise` has not settled within `ms`, so a poll
// that never ends fails its flow instead of hanging the run.
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The newest message the org sent `login` (texts, calls, emails): its `code` is the one-time
// code, or an emailed recovery link's token.
export async function newestMessage(url, login) {
  const response = await fetch(`${url}/_demo/inbox/${login}`);
  if (!response.ok) throw new Error(`the inbox of ${login} answered ${response.status}`);
  const inbox = await response.json();
  const message = inbox[inbox.length - 1];
  expect(typeof message?.code === 'string', `the demo inbox of ${login} holds a message with a code`);
  return message;
}

// Waits out the org's per-user authn allowance (Okta's 4 requests a second) between flows.
export function nextSecond() {
  return new Promise((resolve) => setTimeout(resolve, 1_100));
}
