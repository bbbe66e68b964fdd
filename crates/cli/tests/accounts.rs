//! `signin --remember`, `signin --account` and `accounts list|forget` against a real Secret
//! Service (gnome-keyring on a private bus with throwaway XDG dirs, never the user's).

// The Linux desktop session these tests start (oktadesk-testenv: D-Bus, gnome-keyring, a
// notification server) exists only there; docs/platforms.md says what runs where.
#![cfg(target_os = "linux")]

mod common;

use std::ffi::OsString;

use common::{Org, signin_env, spawn};
use oktadesk_testenv::Environment;
use serde_json::Value;

fn accounts(env: &[(OsString, OsString)], args: &[&str]) -> (i32, Value) {
    let mut all = vec!["accounts"];
    all.extend_from_slice(args);
    all.push("--json");
    let done = spawn(&all, env).finish();
    let value = done.events.last().cloned().unwrap_or(Value::Null);
    (done.code(), value)
}

#[test]
fn remember_then_sign_in_by_label_then_forget() {
    let keyring = Environment::start().expect("private keyring starts");
    let env = keyring.env_vars();
    let org = Org::start();

    let (code, listed) = accounts(&env, &["list"]);
    assert_eq!(code, 0, "{listed}");
    assert_eq!(listed["accounts"], serde_json::json!([]));

    // A failed sign-in is never remembered.
    let mut wrong = spawn(
        &[
            "signin",
            "--org",
            &org.url,
            "--user",
            "nomfa@demo.test",
            "--password-stdin",
            "--remember",
            "--json",
        ],
        &env,
    );
    wrong.write_line("wrong password");
    assert_eq!(wrong.finish().code(), 3);
    assert_eq!(
        accounts(&env, &["list"]).1["accounts"],
        serde_json::json!([])
    );

    let done = signin_env(&org, "nomfa@demo.test", &["--remember", "--json"], &env).finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    assert_eq!(done.result()["remembered"], true, "{}", done.result());

    let (_, listed) = accounts(&env, &["list"]);
    let remembered = &listed["accounts"][0];
    assert_eq!(remembered["org"], org.url);
    assert_eq!(remembered["username"], "nomfa@demo.test");
    assert!(remembered["lastSuccess"].is_string());

    // The keychain item holds org and username, and no password or token.
    let items = keyring
        .secrets()
        .search_items(&[("service", oktadesk_accounts::SERVICE)])
        .unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0].secret.contains("nomfa@demo.test"));
    assert!(!items[0].secret.contains(common::DEMO_PASSWORD));
    // Okta's device cookie is the one token the record keeps (carrying the org's marker).
    let (record, device_cookies) = oktadesk_testenv::without_device_cookies(&items[0].secret);
    assert_eq!(device_cookies, 1, "{record}");
    assert!(!record.contains(common::TOKEN_MARKER), "{record}");

    let mut again = spawn(
        &[
            "signin",
            "--account",
            "nomfa@demo.test",
            "--password-stdin",
            "--json",
        ],
        &env,
    );
    again.write_line(common::DEMO_PASSWORD);
    let again = again.finish();
    assert_eq!(again.code(), 0, "{}", again.stdout);
    assert_eq!(again.result()["org"], org.url);

    let (code, forgotten) = accounts(&env, &["forget", "nomfa@demo.test"]);
    assert_eq!(code, 0, "{forgotten}");
    assert_eq!(
        accounts(&env, &["list"]).1["accounts"],
        serde_json::json!([])
    );

    let (code, missing) = accounts(&env, &["forget", "nomfa@demo.test"]);
    assert_eq!(code, 2, "{missing}");
    assert_eq!(missing["kind"], "account_not_found");
}

#[test]
fn without_a_keychain_sign_in_still_works_and_says_why_nothing_was_remembered() {
    let org = Org::start();
    let done = signin_env(&org, "nomfa@demo.test", &["--remember", "--json"], &[]).finish();
    assert_eq!(done.code(), 0, "{}", done.stdout);
    let result = done.result();
    assert_eq!(result["remembered"], false);
    assert_eq!(result["rememberError"]["kind"], "no_keychain", "{result}");

    let (code, error) = accounts(&[], &["list"]);
    assert_eq!(code, 1);
    assert_eq!(error["kind"], "no_keychain");
}
