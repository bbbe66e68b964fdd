// Runs Okta's own okta-auth-js, unmodified, against the demo org in both engines: the
// Classic authn flows against /api/v1/authn, the Identity Engine flows through IDX.
//
//   node check.mjs [classic] [idx]      (both when none is named)
//
// Starts one demo org per engine (`oktadesk-cli demo-org --engine <engine>`: the binary
// named by OKTADESK_CLI, else through `cargo run`) unless DEMO_ORG_URL (Classic) or
// DEMO_ORG_URL_IDX (Identity Engine) names a running one. Prints one line per flow,
// `ok - <engine>: <flow>` or `not ok - <engine>: <flow>: <why>`, with its steps indented
// above it; every flow runs even after one fails, and the exit status is 1 if any failed.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { classicFlows } from './classic.mjs';
import { idxFlows } from './idx.mjs';

const ENGINES = {
  classic: { flows: classicFlows, urlVariable: 'DEMO_ORG_URL' },
  idx: { flows: idxFlows, urlVariable: 'DEMO_ORG_URL_IDX' },
};

const running = new Set();
process.on('exit', () => running.forEach((child) => child.kill('SIGTERM')));

// The program, its arguments and the folder to start it in.
function demoOrgCommand(engine) {
  const args = ['demo-org', '--engine', engine, '--port', '0'];
  if (process.env.OKTADESK_CLI) return [process.env.OKTADESK_CLI, args, undefined];
  const workspace = fileURLToPath(new URL('../../../..', import.meta.url));
  return ['cargo', ['run', '-q', '-j', '1', '-p', 'oktadesk-cli', '--', ...args], workspace];
}

async function startOrg(engine) {
  const given = process.env[ENGINES[engine].urlVariable];
  if (given) return { url: given.replace(/\/+$/, ''), stop() {} };
  const [program, args, cwd] = demoOrgCommand(engine);
  const child = spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  // The first stdout line is the org's base URL (see `oktadesk-cli demo-org --help`).
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('error', (error) => reject(new Error(`could not start ${program}: ${error.message}`)));
    child.once('exit', (code) =>
      reject(new Error(`the ${engine} demo org exited (${code}) before printing its URL`)));
  });
  return {
    url,
    stop() {
      running.delete(child);
      child.kill('SIGTERM');
    },
  };
}

// okta-auth-js's API errors carry Okta's errorCode; fetch's name their cause apart.
function describe(error) {
  if (error.errorCode) return `${error.errorCode} ${error.errorSummary ?? error.message}`;
  const cause = error.cause?.code ?? error.cause?.message;
  return cause ? `${error.message} (${cause})` : error.message;
}

async function runEngine(engine) {
  const results = [];
  let org;
  try {
    org = await startOrg(engine);
  } catch (error) {
    const line = `not ok - ${engine}: demo org: ${error.message}`;
    console.log(line);
    return [line];
  }
  console.log(`# ${engine}: demo org at ${org.url}`);
  try {
    for (const [name, flow] of ENGINES[engine].flows) {
      console.log(`# ${engine}: ${name}`);
      let line;
      try {
        await flow(org.url);
        line = `ok - ${engine}: ${name}`;
      } catch (error) {
        const why = describe(error);
        line = `not ok - ${engine}: ${name}: ${why}`;
        if (!error.expectation && error.stack) console.log(error.stack.replace(/^/gm, '    '));
      }
      console.log(line);
      results.push(line);
    }
  } finally {
    org.stop();
  }
  return results;
}

const requested = process.argv.slice(2);
const unknown = requested.filter((engine) => !(engine in ENGINES));
if (unknown.length > 0) {
  console.error(`unknown engine ${unknown.join(', ')}: name classic, idx or neither (both)`);
  process.exit(2);
}
const lines = [];
for (const engine of requested.length > 0 ? requested : Object.keys(ENGINES)) {
  lines.push(...(await runEngine(engine)));
}
const failed = lines.filter((line) => line.startsWith('not ok'));
console.log(`# okta-auth-js: ${lines.length - failed.length} of ${lines.length} flows passed`);
// Exit now: a poll that timed out may still be waiting on a timer.
process.exit(failed.length === 0 ? 0 : 1);
