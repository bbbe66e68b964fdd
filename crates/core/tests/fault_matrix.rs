//! The fault matrix: every fault of the hardening issue, injected into the demo org over real
//! HTTP, must end the sign-in in recovery or in its own typed error with a message that says
//! what to do, never in a hang, a panic or a leaked token; for the Classic driver
//! (`/api/v1/authn`, the cases here) and for the Identity Engine one (IDX, the cases in
//! `fault_matrix/idx.rs`, against the demo org in Identity Engine mode).
//!
//! The table in `docs/fault-matrix.md` is generated from these cases, so the documentation
//! cannot drift from what the code does: run
//! `OKTADESK_WRITE_DOCS=1 cargo test -p oktadesk-core --test fault_matrix` to rewrite it after
//! changing a case or a message; without that variable the test fails when the committed file
//! differs from the outcomes it observed.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use oktadesk_core::{
    ClientConfig, Engine, ErrorKind, FlowHandle, FlowOptions, OidcClient, OktaClient, OrgUrl,
    QrUriKind, RetryPolicy, Secret, SignIn, SignInRequest, Stage, Stages,
};
use oktadesk_demo_org::{
    DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD, DemoEngine, DemoOrg, DemoOrgConfig, Fault, FaultRule,
};

#[path = "fault_matrix/cases.rs"]
mod cases;
#[path = "fault_matrix/classic.rs"]
mod classic;
#[path = "fault_matrix/idx.rs"]
mod idx;

use cases::{Api, At, Case, Expect, RETRY_ATTEMPTS, Trigger};

/// Every token the demo org issues carries this, so a leak into a stage or the transcript
/// shows up.
const MARKER: &str = "FAULTMATRIX";

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// What one case did, as a row of the table.
struct Row {
    api: Api,
    name: &'static str,
    injected: &'static str,
    expect: Expect,
    outcome: String,
    kind: Option<ErrorKind>,
    message: String,
    /// Everything the flow showed, to check that no secret got out.
    seen: Vec<String>,
}

/// Runs one case against its own demo org.
async fn run(case: Case) -> Row {
    let org = DemoOrg::start(DemoOrgConfig {
        engine: match case.api {
            Api::Classic => DemoEngine::Classic,
            Api::Idx => DemoEngine::IdentityEngine,
        },
        token_marker: MARKER.into(),
        // Long pushes, so only the injected fault or the clock can end one.
        push_lifetime: Duration::from_secs(60 * 60),
        ..DemoOrgConfig::default()
    })
    .await
    .expect("demo org starts");
    let client = OktaClient::new(ClientConfig {
        poll_interval: Duration::from_millis(300),
        retry: RetryPolicy {
            attempts: RETRY_ATTEMPTS,
            initial: Duration::from_millis(20),
            max: Duration::from_millis(100),
        },
        request_timeout: case.request_timeout.unwrap_or(Duration::from_secs(20)),
        ..ClientConfig::default()
    })
    .expect("client builds");
    let org_url = OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid");
    // Ports change from run to run; the generated table must not.
    let origin = org.base_url().origin().ascii_serialization();
    let host = org_url.host().to_owned();

    if let Trigger::Fault { at, count, fault } = &case.trigger
        && !at.after_push()
    {
        org.inject_fault(rule(*at, *count, fault.clone()));
    }
    let (handle, stages) = SignIn::start(
        &client,
        SignInRequest {
            org: org_url,
            username: case.login.parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: match case.api {
                Api::Classic => FlowOptions::default(),
                Api::Idx => FlowOptions {
                    engine: Some(Engine::IdentityEngine),
                    oidc_client: Some(OidcClient::new(DEMO_OIDC_CLIENT_ID)),
                    ..FlowOptions::default()
                },
            },
        },
    );
    let mut driver = Driver {
        org: &org,
        case: &case,
        handle,
        stages,
        seen: Vec::new(),
        notes: Vec::new(),
    };
    let last = tokio::time::timeout(HANG_GUARD, driver.drive())
        .await
        .unwrap_or_else(|_| {
            panic!(
                "{}: the flow hung\n{}",
                case.name,
                driver.handle.transcript()
            )
        });
    let (outcome, kind, message) = match last {
        Some(Stage::Success { user, .. }) => {
            assert_eq!(
                user.login, case.login,
                "{}: signed in as someone else",
                case.name
            );
            let mut outcome = "recovered: signed in".to_owned();
            for note in &driver.notes {
                let _ = write!(outcome, "; {note}");
            }
            (outcome, None, String::new())
        }
        Some(Stage::Failed { kind, message }) => ("failed".to_owned(), Some(kind), message),
        Some(Stage::ContinueInBrowser { message, .. }) => {
            // The browser is the way on; this run ends here.
            let _ = driver.handle.cancel().await;
            ("sent to the browser".to_owned(), None, message)
        }
        Some(other) => (format!("stopped at {}", other.name()), None, String::new()),
        None => (
            "ended without a final stage (a panic?)".to_owned(),
            None,
            String::new(),
        ),
    };
    driver
        .seen
        .push(driver.handle.transcript().to_json().to_string());
    let seen = std::mem::take(&mut driver.seen);
    drop(driver);
    org.shutdown().await;
    Row {
        api: case.api,
        name: case.name,
        injected: case.injected,
        expect: case.expect,
        outcome,
        kind,
        message: message
            .replace(&origin, "<org URL>")
            .replace(&host, "<org host>"),
        seen,
    }
}

fn rule(at: At, count: u32, fault: Fault) -> FaultRule {
    let path = match at {
        At::SignIn => "/api/v1/authn",
        At::PushPoll => "/verify",
        At::QrImage => "/qr/",
        At::Introspect => "/idp/idx/introspect",
        At::Identify => "/idp/idx/identify",
        At::IdxPushPoll => "/idp/idx/authenticators/poll",
        At::Token => "/v1/token",
    };
    FaultRule {
        path: Some(path.into()),
        method: Some(
            if matches!(at, At::QrImage) {
                "GET"
            } else {
                "POST"
            }
            .into(),
        ),
        count,
        fault,
    }
}

/// Plays the user and the phone until the flow ends.
struct Driver<'a> {
    org: &'a DemoOrg,
    case: &'a Case,
    handle: FlowHandle,
    stages: Stages,
    seen: Vec<String>,
    /// How the flow recovered, when it did in more than one step.
    notes: Vec<String>,
}

impl Driver<'_> {
    /// The final stage, or the first stage this driver has no answer for.
    async fn drive(&mut self) -> Option<Stage> {
        let mut pushes = 0;
        loop {
            let stage = self.stages.next().await?;
            self.seen.push(format!("{stage:?}"));
            self.seen
                .push(serde_json::to_string(&stage).expect("stages serialise"));
            match &stage {
                Stage::Working { .. } => {}
                Stage::PushSent { .. } if pushes == 0 => {
                    pushes += 1;
                    self.on_push_sent().await;
                }
                Stage::EnrollQr(qr) if qr.uri_kind == QrUriKind::Undecoded => {
                    assert!(
                        qr.png_data_url
                            .as_deref()
                            .is_some_and(|url| url.starts_with("data:image/png;base64,")),
                        "an undecodable QR must still be shown as the original image"
                    );
                    self.notes
                        .push("the original image was shown, then a new QR fetched".into());
                    self.handle
                        .refresh_qr()
                        .await
                        .expect("refresh_qr is accepted");
                }
                Stage::EnrollQr(qr) => {
                    let png = qr.original_png.expose().to_vec();
                    self.org
                        .phone(self.case.login)
                        .scan(&png)
                        .expect("the phone scans the QR");
                }
                _ => return Some(stage),
            }
        }
    }

    async fn on_push_sent(&mut self) {
        let phone = self.org.phone(self.case.login);
        match &self.case.trigger {
            Trigger::ExpireStateToken => {
                self.org.advance_clock(Duration::from_secs(30 * 60));
            }
            Trigger::Fault { at, count, fault } if at.after_push() => {
                self.org.inject_fault(rule(*at, *count, fault.clone()));
                // Approve only once every fault has been served, so each one is seen by a
                // poll; the queue is in-process state, not a clock.
                while !self.org.pending_faults().is_empty() {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                // The flow may already have given up; then there is nothing to approve.
                let _ = phone.approve(None);
            }
            Trigger::Fault { .. } => {
                let _ = phone.approve(None);
            }
        }
    }
}

fn render(rows: &[Row]) -> String {
    let mut doc = String::from(
        "# Fault matrix\n\n\
         <!-- Generated by crates/core/tests/fault_matrix.rs: do not edit by hand. Rewrite with\n\
         OKTADESK_WRITE_DOCS=1 cargo test -p oktadesk-core --test fault_matrix -->\n\n\
         Each fault is injected into the embedded demo org (`POST /_demo/faults`, or its clock) \
         while the sign-in core runs against it over real HTTP. Every case ends in recovery or \
         in a typed error (`kind`, the stable string the UI and `--json` scripts branch on) \
         with the message the user sees; none hangs or panics, and no token, state or \
         interaction handle or password appears in any stage or transcript. Retries in these \
         runs: polls up to 6 attempts with back-off; steps that change something are not sent \
         twice.\n\n\
         ## Classic Engine (`/api/v1/authn`)\n\n",
    );
    write_table(&mut doc, rows.iter().filter(|row| row.api == Api::Classic));
    doc.push_str(
        "\n## Identity Engine (IDX)\n\n\
         The org in Identity Engine mode, the sign-in through IDX's Interaction Code flow \
         (`/oauth2/default/v1/interact`, `/idp/idx/introspect`, each remediation's form, \
         `/oauth2/default/v1/token`). `introspect` and the push poll (`challenge-poll`, \
         `POST /idp/idx/authenticators/poll`, sent each `refresh` Okta asks for) change nothing \
         and are retried like Classic's polls; `identify` and the token exchange are not.\n\n",
    );
    write_table(&mut doc, rows.iter().filter(|row| row.api == Api::Idx));
    doc
}

fn write_table<'a>(doc: &mut String, rows: impl Iterator<Item = &'a Row>) {
    doc.push_str(
        "| Case | Injected fault | Outcome | Error kind | Message |\n\
         |---|---|---|---|---|\n",
    );
    for row in rows {
        let kind = row.kind.map_or("—".to_owned(), |kind| format!("`{kind}`"));
        let message = if row.message.is_empty() {
            "—".to_owned()
        } else {
            row.message.replace('|', "\\|")
        };
        let _ = writeln!(
            doc,
            "| {} | {} | {} | {} | {} |",
            row.name, row.injected, row.outcome, kind, message
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_ends_in_recovery_or_its_typed_error() {
    let mut tasks = tokio::task::JoinSet::new();
    let mut cases = classic::cases();
    cases.extend(idx::cases());
    let names: Vec<&str> = cases.iter().map(|case| case.name).collect();
    for (index, case) in cases.into_iter().enumerate() {
        tasks.spawn(async move { (index, run(case).await) });
    }
    let mut rows: Vec<Option<Row>> = names.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (index, row) = joined.expect("a case panicked");
        rows[index] = Some(row);
    }
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|row| row.expect("every case ran"))
        .collect();

    let mut wrong = Vec::new();
    for row in &rows {
        for text in &row.seen {
            assert!(
                !text.contains(MARKER),
                "{}: a token leaked: {text}",
                row.name
            );
            assert!(
                !text.contains(DEMO_PASSWORD),
                "{}: the password leaked: {text}",
                row.name
            );
        }
        let actual = match row.kind {
            Some(kind) => Expect::Fails(kind),
            None if row.outcome.starts_with("recovered") => Expect::Recovers,
            None if row.outcome == "sent to the browser" => Expect::Browser,
            None => {
                wrong.push(format!("{}: {}", row.name, row.outcome));
                continue;
            }
        };
        if actual != row.expect {
            wrong.push(format!(
                "{}: expected {:?}, got {} {:?} {}",
                row.name, row.expect, row.outcome, row.kind, row.message
            ));
        }
        if row.kind.is_some() || row.expect == Expect::Browser {
            assert!(
                row.message.len() > 20 && row.message.ends_with('.'),
                "{}: the message must say what happened and what to do: {:?}",
                row.name,
                row.message
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "cases with the wrong outcome:\n{}",
        wrong.join("\n")
    );

    let doc = render(&rows);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/fault-matrix.md");
    if std::env::var_os("OKTADESK_WRITE_DOCS").is_some_and(|value| value == "1") {
        std::fs::write(&path, &doc).expect("docs/fault-matrix.md is writable");
    } else {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == doc,
            "docs/fault-matrix.md is out of date; rewrite it with \
             OKTADESK_WRITE_DOCS=1 cargo test -p oktadesk-core --test fault_matrix\n\n{doc}"
        );
    }
}
