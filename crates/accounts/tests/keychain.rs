//! The keychain store against a real Secret Service: gnome-keyring on a private D-Bus
//! session with throwaway XDG dirs (oktadesk-testenv), never the developer's keyring.
//!
//! libdbus reads `DBUS_SESSION_BUS_ADDRESS` from the process environment, and changing the
//! environment of a multi-threaded test process is unsound. So each scenario runs in a child
//! process (this test binary again, running only `child_scenario`) whose environment is set
//! at spawn. That also makes "a second process sees what the first saved" literal.

// A real Secret Service on a private D-Bus session (oktadesk-testenv) exists only on Linux;
// the macOS and Windows stores are covered by the unit tests of the record they hold.
#![cfg(target_os = "linux")]

use std::ffi::OsString;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oktadesk_accounts::{Account, AccountId, AccountStore, KeychainStore, LEGACY_SERVICE, SERVICE};
use oktadesk_core::FactorKind;
use oktadesk_testenv::{SecretService, SessionBus};
use time::macros::datetime;

const SCENARIO_VAR: &str = "OKTADESK_ACCOUNTS_SCENARIO";
const ACME: &str = "https://acme.okta.com";
const GLOBEX: &str = "https://globex.okta.com";

/// A hung keychain call must fail the test, not hang CI. Generous: not a speed check.
const CHILD_TIMEOUT: Duration = Duration::from_secs(120);

struct Keyring {
    secrets: SecretService,
    _bus: SessionBus,
}

fn keyring() -> Keyring {
    let bus = SessionBus::start().expect("private D-Bus session starts");
    let secrets = SecretService::start(&bus).expect("gnome-keyring starts");
    Keyring { secrets, _bus: bus }
}

/// Runs `scenario` in a child process with exactly `env` for D-Bus, and returns its output.
fn run_scenario(scenario: &str, env: &[(OsString, OsString)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "child_scenario",
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().cloned())
        .env(SCENARIO_VAR, scenario)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > CHILD_TIMEOUT {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "scenario {scenario} failed ({}):\n{text}",
        output.status
    );
    assert!(
        text.contains("1 passed"),
        "scenario {scenario} did not run:\n{text}"
    );
    text
}

fn oktadesk_items(secrets: &SecretService) -> Vec<oktadesk_testenv::StoredSecretItem> {
    secrets.search_items(&[("service", SERVICE)]).unwrap()
}

#[test]
fn saves_lists_renames_and_forgets_several_accounts() {
    let keyring = keyring();
    run_scenario("save_list_rename_forget", &keyring.secrets.env_vars());

    // What another program sees in the keychain: org and username, nothing secret.
    let items = oktadesk_items(&keyring.secrets);
    let mut ids: Vec<&str> = items
        .iter()
        .map(|item| item.attributes["username"].as_str())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            AccountId::for_account(ACME, "jane@acme.com").as_str(),
            AccountId::for_account(GLOBEX, "jane@globex.com").as_str(),
        ]
    );
    for item in &items {
        assert_eq!(item.attributes["service"], SERVICE);
        assert!(item.label.starts_with("OktaDesk account "), "{item:?}");
        let record: serde_json::Value = serde_json::from_str(&item.secret).unwrap();
        let org = record["org_url"].as_str().unwrap();
        let username = record["username"].as_str().unwrap();
        assert!([ACME, GLOBEX].contains(&org), "{item:?}");
        assert!(username.starts_with("jane@"), "{item:?}");
        let lower = item.secret.to_lowercase();
        for forbidden in ["password", "token", "hunter2", "secret"] {
            assert!(!lower.contains(forbidden), "{forbidden} in {item:?}");
        }
    }
}

#[test]
fn a_second_process_sees_what_the_first_saved() {
    let keyring = keyring();
    let env = keyring.secrets.env_vars();
    run_scenario("save_for_second_process", &env);
    run_scenario("read_from_first_process", &env);
}

#[test]
fn forget_all_removes_every_oktadesk_item_and_nothing_else() {
    let keyring = keyring();
    keyring
        .secrets
        .store_item("another app", &[("service", "another-app")], "theirs")
        .unwrap();
    run_scenario("forget_all", &keyring.secrets.env_vars());
    assert!(oktadesk_items(&keyring.secrets).is_empty());
    let others = keyring
        .secrets
        .search_items(&[("service", "another-app")])
        .unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].secret, "theirs");
}

/// An account record as OktaDesk 0.1 wrote it (and as this one still reads it).
fn record(username: &str, label: &str) -> String {
    let id = AccountId::for_account(ACME, username);
    format!(
        r#"{{"format":1,"id":"{id}","org_url":"{ACME}","username":"{username}","label":"{label}","preferred_factor":"okta_verify_push","auto_push":true,"last_success":null}}"#
    )
}

#[test]
fn items_under_the_old_service_name_move_to_the_new_one() {
    let keyring = keyring();
    let secrets = &keyring.secrets;
    for (service, username, label) in [
        (LEGACY_SERVICE, "jane@acme.com", "Work"),
        (LEGACY_SERVICE, "joe@acme.com", "Old"),
        (SERVICE, "joe@acme.com", "Kept"),
    ] {
        let id = AccountId::for_account(ACME, username);
        secrets
            .store_item(
                &format!("OktaDesk account {id}"),
                &[("service", service), ("username", id.as_str())],
                &record(username, label),
            )
            .unwrap();
    }
    run_scenario("moved_from_legacy_service", &secrets.env_vars());

    assert!(
        secrets
            .search_items(&[("service", LEGACY_SERVICE)])
            .unwrap()
            .is_empty(),
        "items were left under the old service name"
    );
    let mut labels: Vec<String> = oktadesk_items(secrets)
        .iter()
        .map(|item| {
            serde_json::from_str::<serde_json::Value>(&item.secret).unwrap()["label"].to_string()
        })
        .collect();
    labels.sort();
    assert_eq!(labels, [r#""Kept""#, r#""Work""#]);
}

#[test]
fn corrupted_entry_is_reported_and_left_in_place() {
    let keyring = keyring();
    let id = AccountId::for_account(ACME, "jane@acme.com");
    keyring
        .secrets
        .store_item(
            "damaged",
            &[("service", SERVICE), ("username", id.as_str())],
            "{not json",
        )
        .unwrap();
    run_scenario("corrupted_entry", &keyring.secrets.env_vars());

    let items = oktadesk_items(&keyring.secrets);
    let damaged: Vec<_> = items
        .iter()
        .filter(|item| item.attributes["username"] == id.as_str())
        .collect();
    assert_eq!(damaged.len(), 1, "{items:?}");
    assert_eq!(damaged[0].secret, "{not json");
    assert_eq!(damaged[0].label, "damaged");
}

#[test]
fn no_secret_service_on_the_bus_is_a_clear_error() {
    let bus = SessionBus::start().unwrap();
    let output = run_scenario("expect_no_keychain", &bus.envs());
    println!("{output}");
}

#[test]
fn no_session_bus_at_all_is_a_clear_error() {
    let missing = std::env::temp_dir().join(format!("oktadesk-no-bus-{}", std::process::id()));
    let missing = format!("unix:path={}", missing.display());
    let output = run_scenario(
        "expect_no_keychain",
        &[("DBUS_SESSION_BUS_ADDRESS".into(), missing.into())],
    );
    println!("{output}");
    // And with no address and no display to autolaunch one.
    let output = run_scenario("expect_no_keychain", &[]);
    println!("{output}");
}

#[test]
fn locked_keychain_is_a_clear_error_and_does_not_hang() {
    let keyring = keyring();
    let env = keyring.secrets.env_vars();
    run_scenario("save_for_second_process", &env);
    keyring.secrets.lock_login_collection().unwrap();
    let output = run_scenario("expect_locked", &env);
    println!("{output}");
}

// ---- the child side ----

#[test]
#[ignore = "runs only inside a child process started by the other tests in this file"]
fn child_scenario() {
    let Ok(scenario) = std::env::var(SCENARIO_VAR) else {
        return;
    };
    match scenario.as_str() {
        "save_list_rename_forget" => save_list_rename_forget(),
        "save_for_second_process" => save_for_second_process(),
        "read_from_first_process" => read_from_first_process(),
        "forget_all" => forget_all(),
        "corrupted_entry" => corrupted_entry(),
        "moved_from_legacy_service" => moved_from_legacy_service(),
        "expect_no_keychain" => expect_no_keychain(),
        "expect_locked" => expect_locked(),
        other => panic!("unknown scenario {other}"),
    }
}

fn open() -> KeychainStore {
    KeychainStore::open().unwrap_or_else(|error| panic!("keychain opens: {error}"))
}

fn save_list_rename_forget() {
    let store = open();
    assert_eq!(store.list().unwrap().accounts, []);

    let jane_acme = store
        .remember_sign_in(
            Account::new(ACME, "jane@acme.com").unwrap(),
            datetime!(2026-11-01 10:00 UTC),
        )
        .unwrap();
    let joe_acme = store
        .remember_sign_in(
            Account::new(ACME, "joe@acme.com").unwrap(),
            datetime!(2026-11-02 10:00 UTC),
        )
        .unwrap();
    let jane_globex = store
        .remember_sign_in(
            Account::new(GLOBEX, "jane@globex.com").unwrap(),
            datetime!(2026-11-03 10:00 UTC),
        )
        .unwrap();

    let list = store.list().unwrap();
    assert_eq!(
        list.accounts,
        [jane_globex.clone(), joe_acme.clone(), jane_acme.clone()]
    );
    assert!(list.unreadable.is_empty());

    // Preferences and label survive the next sign-in; no duplicate item appears.
    let mut preferred = store.rename_label(jane_acme.id(), "Work").unwrap();
    preferred.preferred_factor = Some(FactorKind::Push);
    preferred.auto_push = true;
    store.save(&preferred).unwrap();
    let again = store
        .remember_sign_in(
            Account::new(ACME, "jane@acme.com").unwrap(),
            datetime!(2026-11-04 10:00 UTC),
        )
        .unwrap();
    assert_eq!(again.label, "Work");
    assert!(again.auto_push);
    assert_eq!(store.get(jane_acme.id()).unwrap(), Some(again.clone()));
    assert_eq!(store.list().unwrap().accounts.len(), 3);

    assert!(store.forget(joe_acme.id()).unwrap());
    assert!(!store.forget(joe_acme.id()).unwrap());
    assert_eq!(store.get(joe_acme.id()).unwrap(), None);
    assert_eq!(store.list().unwrap().accounts, [again, jane_globex]);
}

fn save_for_second_process() {
    let store = open();
    let mut account = Account::new(ACME, "jane@acme.com").unwrap();
    account.set_label("Work").unwrap();
    account.auto_push = true;
    account.preferred_factor = Some(FactorKind::Totp);
    account.last_success = Some(datetime!(2026-11-28 09:30 UTC));
    store.save(&account).unwrap();
}

fn read_from_first_process() {
    let store = open();
    let list = store.list().unwrap();
    assert_eq!(list.accounts.len(), 1, "{list:?}");
    let account = &list.accounts[0];
    assert_eq!(account.org().to_string(), ACME);
    assert_eq!(account.username(), "jane@acme.com");
    assert_eq!(account.label, "Work");
    assert!(account.auto_push);
    assert_eq!(account.preferred_factor, Some(FactorKind::Totp));
    assert_eq!(account.last_success, Some(datetime!(2026-11-28 09:30 UTC)));
}

fn forget_all() {
    let store = open();
    for (org, user) in [(ACME, "a"), (ACME, "b"), (GLOBEX, "a")] {
        store.save(&Account::new(org, user).unwrap()).unwrap();
    }
    assert_eq!(store.list().unwrap().accounts.len(), 3);
    assert_eq!(store.forget_all().unwrap(), 3);
    assert_eq!(store.list().unwrap(), Default::default());
    assert_eq!(store.forget_all().unwrap(), 0);
}

fn moved_from_legacy_service() {
    let store = open();
    let list = store.list().unwrap();
    assert!(list.unreadable.is_empty(), "{:?}", list.unreadable);
    let labels: Vec<(&str, &str)> = list
        .accounts
        .iter()
        .map(|account| (account.username().as_str(), account.label.as_str()))
        .collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels.contains(&("jane@acme.com", "Work")), "{labels:?}");
    // Saved under the new name already: that one wins over the old item.
    assert!(labels.contains(&("joe@acme.com", "Kept")), "{labels:?}");
    let jane = list
        .accounts
        .iter()
        .find(|account| account.username() == "jane@acme.com")
        .unwrap();
    assert!(jane.auto_push);
    assert_eq!(jane.preferred_factor, Some(FactorKind::Push));
}

fn corrupted_entry() {
    let store = open();
    let good = Account::new(GLOBEX, "ann").unwrap();
    store.save(&good).unwrap();
    let damaged_id = AccountId::for_account(ACME, "jane@acme.com");

    let list = store.list().unwrap();
    assert_eq!(list.accounts, [good]);
    assert_eq!(list.unreadable.len(), 1);
    assert_eq!(list.unreadable[0].entry, damaged_id.as_str());

    let error = store
        .remember_sign_in(
            Account::new(ACME, "jane@acme.com").unwrap(),
            datetime!(2026-11-28 09:30 UTC),
        )
        .unwrap_err();
    assert_eq!(error.kind(), "corrupted_entry");
    let message = error.to_string();
    assert!(message.contains(damaged_id.as_str()), "{message}");
    assert!(message.contains("left it untouched"), "{message}");
    assert_eq!(
        store.get(&damaged_id).unwrap_err().kind(),
        "corrupted_entry"
    );
    println!("corrupted entry message: {message}");
}

fn expect_no_keychain() {
    let error = KeychainStore::open().unwrap_err();
    let message = error.to_string();
    println!("kind: {} message: {message}", error.kind());
    assert_eq!(error.kind(), "no_keychain", "{message}");
    assert!(message.contains("can't remember this account"), "{message}");
    assert!(message.contains("sign-in still works"), "{message}");
}

fn expect_locked() {
    let store = open();
    let error = store.list().unwrap_err();
    let message = error.to_string();
    println!("kind: {} message: {message}", error.kind());
    assert_eq!(error.kind(), "keychain_locked", "{message}");
    assert!(message.contains("sign-in still works"), "{message}");
}
