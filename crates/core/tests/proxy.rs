//! Sign-in through a real HTTP proxy (Debian's tinyproxy) configured by `HTTPS_PROXY`, and
//! `NO_PROXY` honoured.
//!
//! The client never sends loopback orgs through a proxy, and org URLs need a dotted host name,
//! so the demo org is reached by a name that resolves to loopback: `oktadesk-proxy.test`, or
//! `OKTADESK_PROXY_TEST_HOST`. Both this process (for `NO_PROXY`) and tinyproxy (for the
//! tunnel) look the name up. When it does not resolve, the test runs itself again in a private
//! mount namespace (`unshare --mount`, or `--map-root-user --mount` without root) where a copy
//! of /etc/hosts with the name is bind-mounted over the real one: the machine's /etc/hosts is
//! never touched, and the name exists only for this test and the tinyproxy it starts.
//! One test in this binary: the proxy settings are process environment.

// tinyproxy (a Debian package) and `unshare` (a Linux mount namespace): Linux only.
#![cfg(target_os = "linux")]

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use oktadesk_core::{
    ClientConfig, FlowOptions, OktaClient, OrgUrl, Secret, SignIn, SignInRequest, Stage,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig, TlsOptions};

/// A guard against a hung flow or proxy, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// tinyproxy on a free loopback port with its own config and log, stopped on drop.
struct Tinyproxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: TempDir,
}

impl Tinyproxy {
    fn start(org_port: u16) -> Self {
        let dir = TempDir::new("tinyproxy");
        // tinyproxy cannot be given port 0: take a free port from the OS and hand it over.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let log = dir.0.join("tinyproxy.log");
        let config = dir.0.join("tinyproxy.conf");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\nLogLevel Connect\n\
                 MaxClients 50\nAllow 127.0.0.1\nConnectPort {org_port}\n",
                log.display()
            ),
        )
        .expect("tinyproxy config is written");
        let child = Command::new("tinyproxy")
            .arg("-d")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tinyproxy runs (install the Debian package `tinyproxy`)");
        let proxy = Self {
            child,
            port,
            log,
            _dir: dir,
        };
        proxy.wait_until_listening();
        proxy
    }

    fn wait_until_listening(&self) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        for _ in 0..200 {
            if TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("tinyproxy did not start listening on {address}");
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many CONNECT tunnels tinyproxy opened to `host`.
    fn tunnels_to(&self, host: &str, port: u16) -> usize {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let wanted = format!("{host}:{port}");
        log.lines()
            .filter(|line| line.contains("CONNECT") && line.contains(&wanted))
            .count()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> Self {
        let path = std::env::temp_dir().join(format!("oktadesk-{what}-{}", std::process::id()));
        std::fs::create_dir_all(&path).expect("temporary directory");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Set in the copy of this test that runs inside the private mount namespace.
const INSIDE_NAMESPACE: &str = "OKTADESK_PROXY_TEST_IN_NAMESPACE";

const TEST_NAME: &str = "sign_in_through_https_proxy_and_no_proxy_is_honoured";

fn test_host_name() -> String {
    std::env::var("OKTADESK_PROXY_TEST_HOST").unwrap_or_else(|_| "oktadesk-proxy.test".to_owned())
}

/// The loopback address `name` resolves to, if any.
fn loopback_address_of(name: &str) -> Option<IpAddr> {
    (name, 0)
        .to_socket_addrs()
        .ok()?
        .map(|address| address.ip())
        .find(IpAddr::is_loopback)
}

/// The `unshare` arguments that give a private mount namespace here: plain as root, in a
/// user namespace otherwise. `None` when neither is allowed on this machine.
fn private_mount_namespace() -> Option<&'static [&'static str]> {
    const WAYS: [&[&str]; 2] = [&["--mount"], &["--map-root-user", "--mount"]];
    WAYS.into_iter().find(|way| {
        Command::new("unshare")
            .args(*way)
            .args(["--", "mount", "--make-rprivate", "/"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

/// Runs this test again where `name` resolves to 127.0.0.1, and fails if that copy fails.
fn rerun_with_private_hosts_entry(name: &str) {
    let unshare = private_mount_namespace().unwrap_or_else(|| {
        panic!(
            "the proxy test needs the host name {name:?} to resolve to loopback, and this \
             machine allows no private mount namespace to arrange it (`unshare --mount` and \
             `unshare --map-root-user --mount` both failed). Add `127.0.0.1 {name}` to \
             /etc/hosts, or set OKTADESK_PROXY_TEST_HOST to a name that resolves to loopback."
        )
    });
    let dir = TempDir::new("hosts");
    let hosts = dir.0.join("hosts");
    let original = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    std::fs::write(&hosts, format!("{original}\n127.0.0.1 {name}\n"))
        .expect("the private hosts file is written");
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new("unshare")
        .args(unshare)
        .args(["--", "sh", "-c"])
        // `unshare --mount` makes mounts private by default; `--make-rprivate` says so for
        // older util-linux too, so the bind mount never shows outside the namespace.
        .arg(r#"mount --make-rprivate / && mount --bind "$1" /etc/hosts && shift && exec "$@""#)
        .arg("sh")
        .arg(&hosts)
        .arg(std::env::current_exe().expect("the test binary's path"))
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(INSIDE_NAMESPACE, "1")
        .output()
        .expect("unshare runs");
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    assert!(
        status.success() && stdout.contains("1 passed"),
        "the proxy test failed in its private mount namespace ({status})"
    );
}

async fn sign_in(client: &OktaClient, org: &DemoOrg) -> Stage {
    let (handle, mut stages) = SignIn::start(
        client,
        SignInRequest {
            org: OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid"),
            username: "nomfa@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: FlowOptions::default(),
        },
    );
    loop {
        let stage = tokio::time::timeout(HANG_GUARD, stages.next())
            .await
            .unwrap_or_else(|_| panic!("the flow hung:\n{}", handle.transcript()))
            .expect("the flow ended without a final stage");
        if stage.is_final() {
            return stage;
        }
    }
}

fn assert_signed_in(stage: Stage, how: &str) {
    match stage {
        Stage::Success { user, .. } => assert_eq!(user.login, "nomfa@demo.test"),
        other => panic!("expected success {how}, got {other:?}"),
    }
}

#[test]
fn sign_in_through_https_proxy_and_no_proxy_is_honoured() {
    let host_name = test_host_name();
    let Some(address) = loopback_address_of(&host_name) else {
        assert!(
            std::env::var_os(INSIDE_NAMESPACE).is_none(),
            "{host_name} does not resolve even with the private hosts file (is /etc/hosts \
             consulted? see `hosts:` in /etc/nsswitch.conf)"
        );
        rerun_with_private_hosts_entry(&host_name);
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let org = runtime.block_on(async {
        DemoOrg::start(DemoOrgConfig {
            host: address,
            public_host: Some(host_name.clone()),
            tls: Some(TlsOptions::default()),
            ..DemoOrgConfig::default()
        })
        .await
        .expect("demo org starts")
    });
    let org_port = org.base_url().port().unwrap();
    assert_eq!(org.base_url().host_str(), Some(host_name.as_str()));
    let proxy = Tinyproxy::start(org_port);
    let client_config = ClientConfig {
        extra_ca_pem: Some(org.ca_pem().unwrap().as_bytes().to_vec()),
        ..ClientConfig::default()
    };

    // reqwest reads the proxy environment when a client is built, so each client is built
    // under its own settings. SAFETY: nothing else in this process runs yet: the runtime is
    // idle, this binary has no other test, and no request has been made.
    let (proxied, probing) = unsafe {
        std::env::set_var("HTTPS_PROXY", proxy.url());
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        std::env::remove_var("https_proxy");
        std::env::remove_var("http_proxy");
        (
            OktaClient::new(client_config.clone()).expect("client builds"),
            // A client of its own, so its probe cannot reuse the sign-in's tunnel.
            OktaClient::new(client_config.clone()).expect("client builds"),
        )
    };
    let bypassing = unsafe {
        std::env::set_var("NO_PROXY", &host_name);
        let client = OktaClient::new(client_config).expect("client builds");
        for name in ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY"] {
            std::env::remove_var(name);
        }
        client
    };

    runtime.block_on(async {
        assert_signed_in(sign_in(&proxied, &org).await, "through the proxy");
        let through_proxy = proxy.tunnels_to(&host_name, org_port);
        assert!(
            through_proxy > 0,
            "the sign-in did not go through tinyproxy:\n{}",
            std::fs::read_to_string(&proxy.log).unwrap_or_default()
        );

        assert_signed_in(sign_in(&bypassing, &org).await, "with NO_PROXY");
        assert_eq!(
            proxy.tunnels_to(&host_name, org_port),
            through_proxy,
            "NO_PROXY was ignored:\n{}",
            std::fs::read_to_string(&proxy.log).unwrap_or_default()
        );

        // `doctor`'s probe takes the way the sign-in takes: through the proxy, or not.
        let org_url = OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid");
        let bypassed = bypassing
            .probe(&org_url)
            .await
            .expect("the probe is answered");
        assert!(bypassed.okta_error_code.is_some(), "{bypassed:?}");
        assert_eq!(proxy.tunnels_to(&host_name, org_port), through_proxy);
        let proxied_probe = probing
            .probe(&org_url)
            .await
            .expect("the probe is answered");
        assert!(proxied_probe.okta_error_code.is_some(), "{proxied_probe:?}");
        assert!(
            proxy.tunnels_to(&host_name, org_port) > through_proxy,
            "the probe did not go through tinyproxy:\n{}",
            std::fs::read_to_string(&proxy.log).unwrap_or_default()
        );
    });
    drop(proxy);
    runtime.block_on(org.shutdown());
}
