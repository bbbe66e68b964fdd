//! Sign-in through a real HTTP proxy (Debian's tinyproxy) configured by `HTTPS_PROXY`, and
//! `NO_PROXY` honoured.
//!
//! The client never sends loopback orgs through a proxy, and org URLs need a dotted host name,
//! so the demo org is reached by a name that resolves to loopback: `oktadesk-proxy.test`, or
//! `OKTADESK_PROXY_TEST_HOST`. Hence ignored by default; run it with
//! `echo '127.0.0.1 oktadesk-proxy.test' >> /etc/hosts` and
//! `cargo test -p oktadesk-core --test proxy -- --ignored`.
//! One test in this binary: the proxy settings are process environment.

use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
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

/// The test's host name for the org and the loopback address it resolves to.
fn loopback_host_name() -> (String, IpAddr) {
    let name = std::env::var("OKTADESK_PROXY_TEST_HOST")
        .unwrap_or_else(|_| "oktadesk-proxy.test".to_owned());
    let address = (name.as_str(), 0)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.find(|a| a.ip().is_loopback()))
        .unwrap_or_else(|| {
            panic!(
                "the proxy test needs the host name {name:?} to resolve to a loopback address; \
                 add `127.0.0.1 {name}` to /etc/hosts"
            )
        });
    (name, address.ip())
}

async fn sign_in(client: &OktaClient, org: &DemoOrg) -> Stage {
    let (handle, mut stages) = SignIn::start(
        client,
        SignInRequest {
            org: OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid"),
            username: "nomfa@demo.test".into(),
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
#[ignore = "needs `127.0.0.1 oktadesk-proxy.test` in /etc/hosts (see the module docs)"]
fn sign_in_through_https_proxy_and_no_proxy_is_honoured() {
    let (host_name, address) = loopback_host_name();
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
    let proxied = unsafe {
        std::env::set_var("HTTPS_PROXY", proxy.url());
        std::env::set_var("HTTP_PROXY", proxy.url());
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        std::env::remove_var("https_proxy");
        std::env::remove_var("http_proxy");
        OktaClient::new(client_config.clone()).expect("client builds")
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
    });
    drop(proxy);
    runtime.block_on(org.shutdown());
}
