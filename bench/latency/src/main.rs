//! How soon the sign-in core notices what the phone did, and how hard it polls meanwhile.
//!
//! Runs the real core against the in-process demo org over loopback HTTP, with the client's
//! shipped settings. The virtual phone answers at a random moment after the push is sent (or
//! the QR code shown), uniformly within two poll intervals, so every phase of the poll cycle
//! is sampled. Prints `name value` lines for `cargo xtask bench`, e.g.
//! `approval.median_ms 512.3`.
//!
//! Usage: `oktadesk-bench-latency [RUNS]` (50 when omitted).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oktadesk_core::{
    ClientConfig, FactorKind, FlowHandle, FlowOptions, OktaClient, OrgUrl, Secret, SignIn,
    SignInRequest, Stage, Stages,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig};

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// One measured sign-in.
struct Sample {
    /// From the phone's answer to the stage that shows it.
    latency: Duration,
    /// Requests the client sent while waiting for the phone.
    polls: usize,
    /// How long it waited (from push sent or QR shown to the stage after the answer).
    waited: Duration,
}

struct Summary {
    runs: usize,
    median_ms: f64,
    p95_ms: f64,
    min_ms: f64,
    max_ms: f64,
    /// Requests per second while waiting, over all runs.
    polls_per_second: f64,
}

struct Report {
    poll_interval_ms: u128,
    approval: Summary,
    activation: Summary,
}

impl Report {
    fn print(&self) {
        println!("poll_interval_ms {}", self.poll_interval_ms);
        for (name, summary) in [
            ("approval", &self.approval),
            ("activation", &self.activation),
        ] {
            println!("{name}.runs {}", summary.runs);
            println!("{name}.median_ms {:.1}", summary.median_ms);
            println!("{name}.p95_ms {:.1}", summary.p95_ms);
            println!("{name}.min_ms {:.1}", summary.min_ms);
            println!("{name}.max_ms {:.1}", summary.max_ms);
            println!("{name}.polls_per_second {:.3}", summary.polls_per_second);
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let runs = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 50,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("usage: oktadesk-bench-latency [RUNS]  (RUNS is a positive number)");
            return ExitCode::FAILURE;
        }
    };
    match measure(runs).await {
        Ok(report) => {
            report.print();
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("latency bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn measure(runs: usize) -> Result<Report, String> {
    let org = Arc::new(
        DemoOrg::start(DemoOrgConfig::default())
            .await
            .map_err(|error| format!("the demo org did not start: {error}"))?,
    );
    let client = OktaClient::new(ClientConfig::default())
        .map_err(|error| format!("the Okta client did not build: {error}"))?;
    let org_url = OrgUrl::parse(org.base_url().as_str()).map_err(|error| error.to_string())?;
    let window = client.config().poll_interval * 2;

    let mut approvals = Vec::with_capacity(runs);
    let mut activations = Vec::with_capacity(runs);
    // Interleaved, so both see the same machine load.
    for _ in 0..runs {
        org.reset();
        approvals.push(approve_push(&org, &client, &org_url, window).await?);
        org.reset();
        activations.push(scan_qr(&org, &client, &org_url, window).await?);
    }
    Ok(Report {
        poll_interval_ms: client.config().poll_interval.as_millis(),
        approval: summarise(&approvals),
        activation: summarise(&activations),
    })
}

fn start(client: &OktaClient, org_url: &OrgUrl, login: &str) -> (FlowHandle, Stages) {
    SignIn::start(
        client,
        SignInRequest {
            org: org_url.clone(),
            username: login.parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: FlowOptions {
                auto_push: true,
                ..FlowOptions::default()
            },
        },
    )
}

/// The next stage that is not a spinner.
async fn next(stages: &mut Stages) -> Result<Stage, String> {
    loop {
        match tokio::time::timeout(HANG_GUARD, stages.next()).await {
            Err(_) => return Err("a sign-in hung for a minute".into()),
            Ok(None) => return Err("a sign-in ended without a final stage".into()),
            Ok(Some(Stage::Working { .. })) => continue,
            Ok(Some(stage)) => return Ok(stage),
        }
    }
}

fn random_moment(window: Duration) -> Duration {
    window.mul_f64(fastrand::f64())
}

/// push@demo.test: password, push sent, the phone approves; time to `Success`.
async fn approve_push(
    org: &Arc<DemoOrg>,
    client: &OktaClient,
    org_url: &OrgUrl,
    window: Duration,
) -> Result<Sample, String> {
    const LOGIN: &str = "push@demo.test";
    let (flow, mut stages) = start(client, org_url, LOGIN);
    loop {
        match next(&mut stages).await? {
            Stage::NeedsFactorChoice { factors, .. } => {
                let push = factors
                    .iter()
                    .find(|factor| factor.kind == FactorKind::Push)
                    .ok_or("push@demo.test was offered no push factor")?;
                flow.choose_factor(push.key.clone())
                    .await
                    .map_err(|error| error.to_string())?;
            }
            Stage::PushSent { .. } => break,
            other => return Err(format!("expected a push, got {}", other.name())),
        }
    }
    let sent = Instant::now();
    let requests_before = flow.transcript().len();
    let phone_org = org.clone();
    let delay = random_moment(window);
    let approved = tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let answered = Instant::now();
        phone_org
            .phone(LOGIN)
            .approve(None)
            .map(|_| answered)
            .map_err(|error| format!("the phone could not approve: {error}"))
    });
    let stage = next(&mut stages).await?;
    let seen = Instant::now();
    let answered = approved.await.map_err(|error| error.to_string())??;
    match stage {
        Stage::Success { .. } => Ok(Sample {
            latency: seen.saturating_duration_since(answered),
            polls: flow.transcript().len() - requests_before,
            waited: seen - sent,
        }),
        other => Err(format!("expected success, got {}", other.name())),
    }
}

/// enroll@demo.test: password, Okta Verify chosen, QR shown, the phone scans it; time to the
/// stage after activation.
async fn scan_qr(
    org: &Arc<DemoOrg>,
    client: &OktaClient,
    org_url: &OrgUrl,
    window: Duration,
) -> Result<Sample, String> {
    const LOGIN: &str = "enroll@demo.test";
    let (flow, mut stages) = start(client, org_url, LOGIN);
    let png = loop {
        match next(&mut stages).await? {
            Stage::NeedsFactorChoice { factors, .. } => {
                let push = factors
                    .iter()
                    .find(|factor| factor.kind == FactorKind::Push)
                    .ok_or("enroll@demo.test was offered no Okta Verify push to enroll")?;
                flow.choose_factor(push.key.clone())
                    .await
                    .map_err(|error| error.to_string())?;
            }
            Stage::EnrollQr(qr) => break qr.original_png.expose().to_vec(),
            other => return Err(format!("expected a QR code, got {}", other.name())),
        }
    };
    let shown = Instant::now();
    let requests_before = flow.transcript().len();
    let phone_org = org.clone();
    let delay = random_moment(window);
    let scanned = tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let answered = Instant::now();
        phone_org
            .phone(LOGIN)
            .scan(&png)
            .map(|_| answered)
            .map_err(|error| format!("the phone could not scan the QR code: {error}"))
    });
    let stage = next(&mut stages).await?;
    let seen = Instant::now();
    let answered = scanned.await.map_err(|error| error.to_string())??;
    if let Stage::Failed { message, .. } = &stage {
        return Err(format!("the enrollment failed: {message}"));
    }
    let sample = Sample {
        latency: seen.saturating_duration_since(answered),
        polls: flow.transcript().len() - requests_before,
        waited: seen - shown,
    };
    if !stage.is_final() {
        let _ = flow.cancel().await;
    }
    Ok(sample)
}

fn summarise(samples: &[Sample]) -> Summary {
    let mut millis: Vec<f64> = samples
        .iter()
        .map(|sample| sample.latency.as_secs_f64() * 1000.0)
        .collect();
    millis.sort_by(f64::total_cmp);
    // Nearest rank: the smallest value at or above the given share of the samples.
    let rank = |share: f64| {
        millis[((share * millis.len() as f64).ceil() as usize).clamp(1, millis.len()) - 1]
    };
    let polls: usize = samples.iter().map(|sample| sample.polls).sum();
    let waited: f64 = samples
        .iter()
        .map(|sample| sample.waited.as_secs_f64())
        .sum();
    Summary {
        runs: samples.len(),
        median_ms: rank(0.5),
        p95_ms: rank(0.95),
        min_ms: millis[0],
        max_ms: millis[millis.len() - 1],
        polls_per_second: polls as f64 / waited,
    }
}
