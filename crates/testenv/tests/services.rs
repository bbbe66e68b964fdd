//! The services start for real, are isolated, and are gone after drop.

use std::process::Command;
use std::time::Duration;

use oktadesk_testenv::{Environment, NotificationServer, SecretService, SessionBus};

fn gdbus(address: &str, args: &[&str]) -> std::process::Output {
    Command::new("gdbus")
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .output()
        .expect("gdbus runs")
}

fn name_has_owner(address: &str, name: &str) -> bool {
    let output = gdbus(
        address,
        &[
            "call",
            "--session",
            "--dest",
            "org.freedesktop.DBus",
            "--object-path",
            "/org/freedesktop/DBus",
            "--method",
            "org.freedesktop.DBus.NameHasOwner",
            name,
        ],
    );
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).contains("true")
}

#[test]
fn bus_is_private_and_stops_on_drop() {
    let bus = SessionBus::start().unwrap();
    let address = bus.address().to_owned();
    assert!(address.starts_with("unix:"), "{address}");
    assert_ne!(
        Some(address.as_str()),
        std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().as_deref()
    );
    // Nothing is auto-activated: the host's keyring must not appear on its own.
    assert!(!name_has_owner(&address, "org.freedesktop.secrets"));
    drop(bus);
    let after = gdbus(
        &address,
        &[
            "call",
            "--session",
            "--dest",
            "org.freedesktop.DBus",
            "--object-path",
            "/org/freedesktop/DBus",
            "--method",
            "org.freedesktop.DBus.GetId",
        ],
    );
    assert!(!after.status.success(), "bus still answers after drop");
}

#[test]
fn secret_service_stores_in_its_own_login_collection() {
    let bus = SessionBus::start().unwrap();
    let secrets = SecretService::start(&bus).unwrap();
    assert!(name_has_owner(bus.address(), "org.freedesktop.secrets"));

    let mut store = Command::new("secret-tool");
    store
        .args([
            "store",
            "--label=testenv item",
            "service",
            "oktadesk-testenv",
            "case",
            "store",
        ])
        .stdin(std::process::Stdio::piped());
    secrets.apply_to(&mut store);
    let mut child = store.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"stored value")
            .unwrap();
    }
    assert!(child.wait().unwrap().success());

    let items = secrets
        .search_items(&[("service", "oktadesk-testenv")])
        .unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0].label, "testenv item");
    assert_eq!(items[0].secret, "stored value");
    assert_eq!(items[0].attributes["case"], "store");

    // The keyring file lives in the temporary data home, not the user's.
    let data_home = secrets
        .env_vars()
        .into_iter()
        .find(|(name, _)| name == "XDG_DATA_HOME")
        .map(|(_, value)| std::path::PathBuf::from(value))
        .unwrap();
    assert!(data_home.join("keyrings/login.keyring").exists());
    assert!(data_home.starts_with(std::env::temp_dir()));
}

#[test]
fn two_environments_do_not_share_secrets() {
    let first = Environment::start().unwrap();
    let second = Environment::start().unwrap();
    let mut store = Command::new("secret-tool");
    store
        .args([
            "store",
            "--label=only in first",
            "service",
            "oktadesk-testenv-iso",
        ])
        .stdin(std::process::Stdio::null());
    first.apply_to(&mut store);
    assert!(store.status().unwrap().success());
    assert_eq!(
        first
            .secrets()
            .search_items(&[("service", "oktadesk-testenv-iso")])
            .unwrap()
            .len(),
        1
    );
    assert!(
        second
            .secrets()
            .search_items(&[("service", "oktadesk-testenv-iso")])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn notification_server_records_notify_calls() {
    let bus = SessionBus::start().unwrap();
    let server = NotificationServer::start(&bus).unwrap();
    assert!(server.notifications().unwrap().is_empty());

    let (dest, path) = server.destination();
    let sent = gdbus(
        bus.address(),
        &[
            "call",
            "--session",
            "--dest",
            dest,
            "--object-path",
            path,
            "--method",
            "org.freedesktop.Notifications.Notify",
            "OktaDesk",
            "0",
            "",
            "Push sent",
            "Tap 42 on your phone",
            "[]",
            "{}",
            "5000",
        ],
    );
    assert!(sent.status.success(), "{sent:?}");

    let received = server
        .wait_for(Duration::from_secs(60), |n| n.summary == "Push sent")
        .unwrap();
    assert_eq!(received.app_name, "OktaDesk");
    assert_eq!(received.body, "Tap 42 on your phone");

    server.clear().unwrap();
    assert!(server.notifications().unwrap().is_empty());
}

#[test]
fn environment_exports_what_a_child_needs() {
    let env = Environment::start().unwrap();
    let vars = env.env_vars();
    for name in [
        "DBUS_SESSION_BUS_ADDRESS",
        "HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_RUNTIME_DIR",
    ] {
        assert!(
            vars.iter().any(|(key, _)| key == name),
            "{name} missing from {vars:?}"
        );
    }
    let mut child = Command::new("sh");
    child.args(["-c", "echo \"$DBUS_SESSION_BUS_ADDRESS\""]);
    env.apply_to(&mut child);
    let output = child.output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        env.bus().address()
    );
}

#[test]
fn services_stop_when_a_test_panics() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let panicked = std::thread::spawn(move || {
        let env = Environment::start().unwrap();
        sender.send(env.bus().address().to_owned()).unwrap();
        panic!("simulated test failure");
    })
    .join();
    assert!(panicked.is_err());
    let address = receiver.recv().unwrap();
    let after = gdbus(
        &address,
        &[
            "call",
            "--session",
            "--dest",
            "org.freedesktop.DBus",
            "--object-path",
            "/org/freedesktop/DBus",
            "--method",
            "org.freedesktop.DBus.GetId",
        ],
    );
    assert!(!after.status.success(), "bus survived a panicking test");
}
