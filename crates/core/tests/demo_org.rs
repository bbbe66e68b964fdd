//! The sign-in core against the demo org over real HTTP on loopback: every seeded user's path,
//! enrollment by QR, pushes, codes, passwords, cancel, rate limits and injected faults.

use std::time::Duration;

use oktadesk_core::{
    ActivationLink, ClientConfig, CodePurpose, ErrorKind, FactorKind, FactorPurpose, FlowHandle,
    FlowOptions, OktaClient, OrgUrl, QrUriKind, RetryPolicy, Secret, SignIn, SignInRequest, Stage,
    Stages,
};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrg, DemoOrgConfig, Fault, FaultRule};

/// Every token the demo org issues carries this, so leaks are easy to find.
const MARKER: &str = "LEAKCHECK";

/// A guard against a hung flow, not a speed requirement.
const HANG_GUARD: Duration = Duration::from_secs(60);

struct Harness {
    org: DemoOrg,
    client: OktaClient,
    org_url: OrgUrl,
    /// Everything the flows showed, to check that no secret got out.
    seen: Vec<String>,
}

impl Harness {
    async fn start() -> Self {
        Self::with(DemoOrgConfig::default(), ClientConfig::default()).await
    }

    async fn with(org_config: DemoOrgConfig, client_config: ClientConfig) -> Self {
        let org = DemoOrg::start(DemoOrgConfig {
            token_marker: MARKER.into(),
            ..org_config
        })
        .await
        .expect("demo org starts");
        let client = OktaClient::new(ClientConfig {
            poll_interval: Duration::from_millis(300),
            retry: RetryPolicy {
                attempts: 6,
                initial: Duration::from_millis(20),
                max: Duration::from_millis(100),
            },
            request_timeout: Duration::from_secs(20),
            ..client_config
        })
        .expect("client builds");
        let org_url = OrgUrl::parse(org.base_url().as_str()).expect("demo org URL is valid");
        Self {
            org,
            client,
            org_url,
            seen: Vec::new(),
        }
    }

    fn sign_in(&self, login: &str, options: FlowOptions) -> Flow {
        self.sign_in_with(login, DEMO_PASSWORD, options)
    }

    fn sign_in_with(&self, login: &str, password: &str, options: FlowOptions) -> Flow {
        let (handle, stages) = SignIn::start(
            &self.client,
            SignInRequest {
                org: self.org_url.clone(),
                username: login.parse().unwrap(),
                password: Secret::new(password),
                options,
            },
        );
        Flow {
            handle,
            stages,
            seen: Vec::new(),
        }
    }

    /// Checks that nothing the flow showed holds a token or the password, then stops the org.
    async fn finish(mut self, flows: impl IntoIterator<Item = Flow>) {
        for flow in flows {
            self.seen.extend(flow.seen);
            self.seen.push(flow.handle.transcript().to_string());
            self.seen
                .push(flow.handle.transcript().to_json().to_string());
            self.seen.push(format!("{:?}", flow.handle));
        }
        for text in &self.seen {
            assert!(!text.contains(MARKER), "a token leaked: {text}");
            assert!(!text.contains(DEMO_PASSWORD), "the password leaked: {text}");
        }
        self.org.shutdown().await;
    }
}

struct Flow {
    handle: FlowHandle,
    stages: Stages,
    seen: Vec<String>,
}

impl Flow {
    /// The next stage that is not a spinner.
    async fn next(&mut self) -> Stage {
        loop {
            let stage = tokio::time::timeout(HANG_GUARD, self.stages.next())
                .await
                .unwrap_or_else(|_| panic!("the flow hung:\n{}", self.handle.transcript()))
                .expect("the flow ended without a final stage");
            self.seen.push(format!("{stage:?}"));
            self.seen.push(serde_json::to_string(&stage).unwrap());
            if !matches!(stage, Stage::Working { .. }) {
                return stage;
            }
        }
    }

    async fn expect_failure(&mut self, kind: ErrorKind) -> String {
        match self.next().await {
            Stage::Failed {
                kind: actual,
                message,
            } => {
                assert_eq!(actual, kind, "failed with: {message}");
                message
            }
            other => panic!(
                "expected failure {kind}, got {other:?}\n{}",
                self.handle.transcript()
            ),
        }
    }

    async fn expect_success(&mut self, login: &str) -> oktadesk_core::SessionHandoff {
        match self.next().await {
            Stage::Success { user, session } => {
                assert_eq!(user.login, login);
                session
            }
            other => panic!("expected success, got {other:?}"),
        }
    }

    async fn expect_push_sent(&mut self) {
        match self.next().await {
            Stage::PushSent { device_name, .. } => assert!(device_name.is_some()),
            other => panic!("expected a push, got {other:?}"),
        }
    }

    async fn expect_qr(&mut self, kind: QrUriKind) -> Vec<u8> {
        match self.next().await {
            Stage::EnrollQr(qr) => {
                assert_eq!(qr.uri_kind, kind);
                assert!(qr.svg.as_deref().unwrap().contains("<svg"));
                assert!(qr.terminal.is_some());
                assert!(qr.png_data_url.is_none());
                if kind == QrUriKind::OktaVerify {
                    assert!(qr.expires_in_seconds.is_some());
                }
                qr.original_png.expose().to_vec()
            }
            other => panic!("expected a QR code, got {other:?}"),
        }
    }

    async fn expect_needs_code(&mut self, purpose: CodePurpose) -> Option<ErrorKind> {
        match self.next().await {
            Stage::NeedsCode {
                purpose: actual,
                last_error,
                factor,
                code_digits,
                code_format,
                resend_in_seconds,
                ..
            } => {
                assert_eq!(actual, purpose);
                assert_eq!(code_digits, oktadesk_core::CODE_DIGITS);
                assert_eq!(code_format, oktadesk_core::CodeFormat::Digits);
                assert_eq!(resend_in_seconds, None, "an app's code is not sent");
                assert_eq!(factor.kind, FactorKind::Totp);
                last_error.map(|error| error.kind)
            }
            other => panic!("expected a code prompt, got {other:?}"),
        }
    }
}

/// State tokens that outlive pushes and activations, so the clock can pass those alone.
fn long_state_tokens() -> DemoOrgConfig {
    DemoOrgConfig {
        state_token_lifetime: Duration::from_secs(24 * 60 * 60),
        ..DemoOrgConfig::default()
    }
}

fn options() -> FlowOptions {
    FlowOptions::default()
}

fn totp_code(org: &DemoOrg, login: &str) -> Secret {
    let view = org.phone(login).view().expect("phone view");
    Secret::new(
        view.codes
            .first()
            .expect("the phone shows a code")
            .code
            .clone(),
    )
}

#[tokio::test]
async fn no_mfa_user_signs_in_at_once_and_hands_the_session_to_the_browser() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("nomfa@demo.test", options());
    let session = flow.expect_success("nomfa@demo.test").await;
    let url = session.browser_url(None).unwrap();
    assert!(
        url.expose().contains(MARKER),
        "the URL carries the session token"
    );
    assert!(url.expose().starts_with(&format!(
        "{}/login/sessionCookieRedirect?token=",
        harness.org_url
    )));
    assert!(
        flow.stages.next().await.is_none(),
        "nothing after a final stage"
    );
    let transcript = flow.handle.transcript().entries();
    assert_eq!(transcript.len(), 1);
    assert_eq!(transcript[0].path, "/api/v1/authn");
    assert_eq!(transcript[0].http_status, Some(200));
    assert_eq!(transcript[0].okta_status.as_deref(), Some("SUCCESS"));
    harness.finish([flow]).await;
}

#[tokio::test]
async fn wrong_password_is_a_credentials_failure() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in_with("nomfa@demo.test", "wrong-password", options());
    let message = flow.expect_failure(ErrorKind::Credentials).await;
    assert!(message.contains("password"));
    let entry = &flow.handle.transcript().entries()[0];
    assert_eq!(entry.error_code.as_deref(), Some("E0000004"));
    harness.finish([flow]).await;
}

fn reveal_lockout() -> DemoOrgConfig {
    DemoOrgConfig {
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    }
}

#[tokio::test]
async fn a_locked_user_on_a_default_org_is_told_what_the_help_desk_can_check() {
    // Okta hides lockout by default: the answer is the wrong-password one, so the message
    // must not claim the password is wrong.
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("locked@demo.test", options());
    let message = flow.expect_failure(ErrorKind::Credentials).await;
    assert!(message.contains("locked"), "{message}");
    assert!(message.contains("help desk"), "{message}");
    assert!(!message.contains("password is wrong"), "{message}");
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_org_that_shows_lockout_says_the_account_is_locked_and_how_to_unlock() {
    let harness = Harness::with(reveal_lockout(), ClientConfig::default()).await;
    let mut flow = harness.sign_in("locked@demo.test", options());
    match flow.next().await {
        Stage::LockedOut {
            message,
            can_unlock,
        } => {
            assert!(message.contains("help desk"), "{message}");
            // Okta sent its `unlock` link: the org allows self-service unlock.
            assert!(can_unlock);
            assert!(message.contains("Unlock account"), "{message}");
        }
        other => panic!("expected lockout, got {other:?}"),
    }
    harness.finish([flow]).await;
}

#[tokio::test]
async fn three_wrong_passwords_lock_the_account() {
    for reveal in [false, true] {
        let config = DemoOrgConfig {
            reveal_lockout: reveal,
            ..DemoOrgConfig::default()
        };
        let harness = Harness::with(config, ClientConfig::default()).await;
        let mut flows = Vec::new();
        for _ in 0..3 {
            let mut flow = harness.sign_in_with("push@demo.test", "nope", options());
            flow.expect_failure(ErrorKind::Credentials).await;
            flows.push(flow);
        }
        let mut flow = harness.sign_in("push@demo.test", options());
        if reveal {
            assert!(matches!(flow.next().await, Stage::LockedOut { .. }));
        } else {
            flow.expect_failure(ErrorKind::Credentials).await;
        }
        flows.push(flow);
        harness.finish(flows).await;
    }
}

#[tokio::test]
async fn push_approved_on_the_phone_signs_in() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    harness.org.phone("push@demo.test").approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    let transcript = flow.handle.transcript().entries();
    assert!(
        transcript.iter().any(|e| e
            .path
            .contains("/verify?autoPush=false&rememberDevice=false")),
        "{transcript:?}"
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn rejected_push_can_be_sent_again() {
    let harness = Harness::start().await;
    let phone = harness.org.phone("push@demo.test");
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    phone.reject().unwrap();
    match flow.next().await {
        Stage::PushRejected { error } => assert_eq!(error.kind, ErrorKind::MfaRejected),
        other => panic!("expected a rejection, got {other:?}"),
    }
    // Nothing to poll now: a code is not what the flow waits for.
    let refused = flow.handle.submit_code(Secret::new("123456")).await;
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::InvalidCommand);
    flow.handle.resend_push().await.unwrap();
    flow.expect_push_sent().await;
    phone.approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn unanswered_push_times_out_and_can_be_resent() {
    let harness = Harness::with(long_state_tokens(), ClientConfig::default()).await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    harness.org.advance_clock(Duration::from_secs(5 * 60 + 1));
    match flow.next().await {
        Stage::PushTimedOut { error } => assert_eq!(error.kind, ErrorKind::MfaTimeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    flow.handle.resend_push().await.unwrap();
    flow.expect_push_sent().await;
    harness.org.phone("push@demo.test").approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    harness.finish([flow]).await;
}

async fn number_challenge(flow: &mut Flow) -> u32 {
    flow.expect_push_sent().await;
    match flow.next().await {
        Stage::NumberChallenge {
            number,
            device_name,
            ..
        } => {
            assert!(device_name.is_some());
            number
        }
        other => panic!("expected a number challenge, got {other:?}"),
    }
}

#[tokio::test]
async fn number_challenge_with_the_right_number_signs_in() {
    let harness = Harness::start().await;
    let phone = harness.org.phone("number@demo.test");
    let mut flow = harness.sign_in("number@demo.test", options());
    let number = number_challenge(&mut flow).await;
    let shown = phone.view().unwrap().pending_push.unwrap().numbers.unwrap();
    assert!(shown.contains(&(number as u8)), "{shown:?} lacks {number}");
    phone.approve(Some(number as u8)).unwrap();
    flow.expect_success("number@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn number_challenge_with_a_wrong_number_rejects_the_push() {
    let harness = Harness::start().await;
    let phone = harness.org.phone("number@demo.test");
    let mut flow = harness.sign_in("number@demo.test", options());
    let number = number_challenge(&mut flow).await;
    let shown = phone.view().unwrap().pending_push.unwrap().numbers.unwrap();
    let wrong = shown
        .iter()
        .copied()
        .find(|n| u32::from(*n) != number)
        .unwrap();
    phone.approve(Some(wrong)).unwrap();
    assert!(matches!(flow.next().await, Stage::PushRejected { .. }));
    flow.handle.cancel().await.unwrap();
    flow.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn totp_right_wrong_and_replayed() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("totp@demo.test", options());
    assert_eq!(flow.expect_needs_code(CodePurpose::Verify).await, None);
    let right = totp_code(&harness.org, "totp@demo.test");
    let wrong = Secret::new(format!(
        "{:06}",
        (right.expose().parse::<u32>().unwrap() + 1) % 1_000_000
    ));
    flow.handle.submit_code(wrong).await.unwrap();
    assert_eq!(
        flow.expect_needs_code(CodePurpose::Verify).await,
        Some(ErrorKind::InvalidCode)
    );
    flow.handle.submit_code(right.clone()).await.unwrap();
    flow.expect_success("totp@demo.test").await;

    // The same code again, in a new sign-in: Okta refuses a code used once.
    let mut again = harness.sign_in("totp@demo.test", options());
    again.expect_needs_code(CodePurpose::Verify).await;
    again.handle.submit_code(right).await.unwrap();
    assert_eq!(
        again.expect_needs_code(CodePurpose::Verify).await,
        Some(ErrorKind::CodeReused)
    );
    again.handle.cancel().await.unwrap();
    again.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn multi_factor_user_chooses_then_switches_from_push_to_code() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("multi@demo.test", options());
    let factors = match flow.next().await {
        Stage::NeedsFactorChoice {
            purpose,
            factors,
            can_skip,
            ..
        } => {
            assert_eq!(purpose, FactorPurpose::Verify);
            assert!(!can_skip);
            factors
        }
        other => panic!("expected a factor choice, got {other:?}"),
    };
    assert_eq!(factors.len(), 2);
    let push = factors.iter().find(|f| f.kind == FactorKind::Push).unwrap();
    let totp = factors.iter().find(|f| f.kind == FactorKind::Totp).unwrap();
    let unknown = flow.handle.choose_factor("nope").await.unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::InvalidCommand);
    flow.handle.choose_factor(&push.key).await.unwrap();
    flow.expect_push_sent().await;
    flow.handle.choose_factor(&totp.key).await.unwrap();
    flow.expect_needs_code(CodePurpose::Verify).await;
    flow.handle
        .submit_code(totp_code(&harness.org, "multi@demo.test"))
        .await
        .unwrap();
    flow.expect_success("multi@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn preferred_factor_and_auto_push_skip_the_choice() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in(
        "multi@demo.test",
        FlowOptions {
            auto_push: true,
            remember_device: true,
            ..options()
        },
    );
    flow.expect_push_sent().await;
    harness.org.phone("multi@demo.test").approve(None).unwrap();
    flow.expect_success("multi@demo.test").await;
    // multi@'s policy does not let devices be remembered, so the option is not passed on.
    assert!(
        flow.handle
            .transcript()
            .entries()
            .iter()
            .any(|e| e.path.ends_with("?autoPush=true&rememberDevice=false"))
    );

    let mut code = harness.sign_in(
        "multi@demo.test",
        FlowOptions {
            preferred_factor: Some(FactorKind::Totp),
            ..options()
        },
    );
    code.expect_needs_code(CodePurpose::Verify).await;
    code.handle.cancel().await.unwrap();
    code.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow, code]).await;
}

#[tokio::test]
async fn enrollment_by_qr_scanned_with_the_phone() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enroll@demo.test", options());
    let png = flow.expect_qr(QrUriKind::OktaVerify).await;
    harness.org.phone("enroll@demo.test").scan(&png).unwrap();
    flow.expect_success("enroll@demo.test").await;
    // The QR image is single use: it was fetched exactly once.
    let fetches = flow
        .handle
        .transcript()
        .entries()
        .into_iter()
        .filter(|e| e.path.contains("/qr/"))
        .collect::<Vec<_>>();
    assert_eq!(fetches.len(), 1, "{fetches:?}");
    assert!(fetches[0].path.ends_with("/qr/[redacted]"));

    // Enrolled now: the next sign-in is a push.
    let mut next = harness.sign_in("enroll@demo.test", options());
    next.expect_push_sent().await;
    next.handle.cancel().await.unwrap();
    next.expect_failure(ErrorKind::Cancelled).await;
    harness.finish([flow, next]).await;
}

#[tokio::test]
async fn expired_qr_is_refreshed_with_a_new_activation() {
    let harness = Harness::with(long_state_tokens(), ClientConfig::default()).await;
    let phone = harness.org.phone("enroll@demo.test");
    let mut flow = harness.sign_in("enroll@demo.test", options());
    let old = flow.expect_qr(QrUriKind::OktaVerify).await;
    harness.org.advance_clock(Duration::from_secs(10 * 60 + 1));
    match flow.next().await {
        Stage::ActivationExpired { error } => {
            assert_eq!(error.kind, ErrorKind::ActivationTimeout)
        }
        other => panic!("expected the QR to expire, got {other:?}"),
    }
    assert!(phone.scan(&old).is_err(), "the expired QR no longer works");
    flow.handle.refresh_qr().await.unwrap();
    let new = flow.expect_qr(QrUriKind::OktaVerify).await;
    assert_ne!(old, new);
    phone.scan(&new).unwrap();
    flow.expect_success("enroll@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_new_qr_on_request_while_the_first_is_still_valid() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enroll@demo.test", options());
    let old = flow.expect_qr(QrUriKind::OktaVerify).await;
    flow.handle.refresh_qr().await.unwrap();
    let new = flow.expect_qr(QrUriKind::OktaVerify).await;
    assert_ne!(old, new);
    harness.org.phone("enroll@demo.test").scan(&new).unwrap();
    flow.expect_success("enroll@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn activation_links_by_email_and_sms() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("enroll@demo.test", options());
    let png = match flow.next().await {
        Stage::EnrollQr(qr) => {
            assert_eq!(qr.link_channels.len(), 2);
            qr.original_png.expose().to_vec()
        }
        other => panic!("expected a QR code, got {other:?}"),
    };
    flow.handle
        .send_activation_link(ActivationLink::Email)
        .await
        .unwrap();
    assert!(matches!(
        flow.next().await,
        Stage::ActivationLinkSent { .. }
    ));
    flow.handle
        .send_activation_link(ActivationLink::Sms {
            phone_number: "+15555550100".into(),
        })
        .await
        .unwrap();
    assert!(matches!(
        flow.next().await,
        Stage::ActivationLinkSent { .. }
    ));
    harness.org.phone("enroll@demo.test").scan(&png).unwrap();
    flow.expect_success("enroll@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn optional_totp_enrollment_by_qr_and_code_then_the_required_push() {
    let harness = Harness::start().await;
    let phone = harness.org.phone("enroll@demo.test");
    let mut flow = harness.sign_in(
        "enroll@demo.test",
        FlowOptions {
            preferred_factor: Some(FactorKind::Totp),
            enroll_optional_factors: true,
            ..options()
        },
    );
    let png = flow.expect_qr(QrUriKind::Otpauth).await;
    assert_eq!(flow.expect_needs_code(CodePurpose::Activate).await, None);
    phone.scan(&png).unwrap();
    flow.handle
        .submit_code(Secret::new("000000"))
        .await
        .unwrap();
    // A wrong code is most likely refused; a lucky guess is not this test's business.
    let mut stage = flow.next().await;
    if let Stage::NeedsCode { last_error, .. } = &stage {
        assert_eq!(last_error.as_ref().unwrap().kind, ErrorKind::InvalidCode);
        flow.handle
            .submit_code(totp_code(&harness.org, "enroll@demo.test"))
            .await
            .unwrap();
        stage = flow.next().await;
    }
    let Stage::EnrollQr(qr) = stage else {
        panic!("expected the push QR next, got {stage:?}");
    };
    assert_eq!(qr.uri_kind, QrUriKind::OktaVerify);
    phone.scan(qr.original_png.expose()).unwrap();
    loop {
        match flow.next().await {
            Stage::NeedsFactorChoice { can_skip: true, .. } => flow.handle.skip().await.unwrap(),
            Stage::Success { .. } => break,
            other => panic!("expected success, got {other:?}"),
        }
    }
    harness.finish([flow]).await;
}

#[tokio::test]
async fn password_warning_can_be_skipped() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("warn@demo.test", options());
    match flow.next().await {
        Stage::PasswordWarn {
            expire_days,
            can_skip,
            last_error,
            ..
        } => {
            assert_eq!(expire_days, Some(4));
            assert!(can_skip);
            assert!(last_error.is_none());
        }
        other => panic!("expected a password warning, got {other:?}"),
    }
    flow.handle.skip().await.unwrap();
    flow.expect_success("warn@demo.test").await;

    let mut quiet = harness.sign_in(
        "warn@demo.test",
        FlowOptions {
            warn_before_password_expired: false,
            ..options()
        },
    );
    quiet.expect_success("warn@demo.test").await;
    harness.finish([flow, quiet]).await;
}

#[tokio::test]
async fn password_warning_then_change() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("warn@demo.test", options());
    assert!(matches!(flow.next().await, Stage::PasswordWarn { .. }));
    flow.handle
        .change_password(
            Secret::new(DEMO_PASSWORD),
            Secret::new("Brand-New-Pa55word!"),
        )
        .await
        .unwrap();
    flow.expect_success("warn@demo.test").await;
    let mut again = harness.sign_in_with("warn@demo.test", "Brand-New-Pa55word!", options());
    again.expect_success("warn@demo.test").await;
    harness.finish([flow, again]).await;
}

#[tokio::test]
async fn expired_password_must_change_and_a_wrong_old_one_is_explained() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("expired@demo.test", options());
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => assert!(last_error.is_none()),
        other => panic!("expected an expired password, got {other:?}"),
    }
    assert_eq!(
        flow.handle.skip().await.unwrap_err().kind(),
        ErrorKind::InvalidCommand
    );
    flow.handle
        .change_password(
            Secret::new("not-the-old-one"),
            Secret::new("Brand-New-Pa55word!"),
        )
        .await
        .unwrap();
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => {
            let error = last_error.expect("the refusal is explained");
            assert_eq!(error.kind, ErrorKind::OldPasswordIncorrect);
            assert!(
                error.message.contains("current password"),
                "{}",
                error.message
            );
        }
        other => panic!("expected the password prompt again, got {other:?}"),
    }
    // Some orgs refuse a wrong current password with a 400 and other words: the same error.
    harness.org.inject_fault(FaultRule {
        path: Some("/change_password".into()),
        method: Some("POST".into()),
        count: 1,
        fault: Fault::Status {
            status: 400,
            error_code: Some("E0000001".into()),
            error_summary: Some("Api validation failed: Old Password is not correct".into()),
        },
    });
    flow.handle
        .change_password(
            Secret::new("not-the-old-one"),
            Secret::new("Brand-New-Pa55word!"),
        )
        .await
        .unwrap();
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => {
            let error = last_error.expect("the refusal is explained");
            assert_eq!(error.kind, ErrorKind::OldPasswordIncorrect);
        }
        other => panic!("expected the password prompt again, got {other:?}"),
    }
    // A new password the policy refuses is a different message, with Okta's reason.
    flow.handle
        .change_password(Secret::new(DEMO_PASSWORD), Secret::new("short"))
        .await
        .unwrap();
    match flow.next().await {
        Stage::PasswordExpired { last_error, .. } => {
            let error = last_error.expect("the refusal is explained");
            assert_eq!(error.kind, ErrorKind::PasswordChangeRejected);
            assert!(error.message.contains("new password"), "{}", error.message);
        }
        other => panic!("expected the password prompt again, got {other:?}"),
    }
    flow.handle
        .change_password(
            Secret::new(DEMO_PASSWORD),
            Secret::new("Brand-New-Pa55word!"),
        )
        .await
        .unwrap();
    flow.expect_success("expired@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn cancel_ends_the_transaction_on_the_server() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    assert_eq!(harness.org.stats().transactions, 1);
    flow.handle.cancel().await.unwrap();
    flow.expect_failure(ErrorKind::Cancelled).await;
    assert_eq!(harness.org.stats().transactions, 0);
    assert!(
        flow.handle
            .transcript()
            .entries()
            .iter()
            .any(|e| e.path == "/api/v1/authn/cancel" && e.http_status == Some(200))
    );
    assert_eq!(
        flow.handle.resend_push().await.unwrap_err().kind(),
        ErrorKind::FlowEnded
    );
    harness.finish([flow]).await;
}

#[tokio::test]
async fn dropping_the_flow_cancels_it_on_the_server() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    let Flow {
        handle, mut stages, ..
    } = flow;
    drop(handle);
    // The engine cancels, then closes the stream without another stage.
    let closed = tokio::time::timeout(HANG_GUARD, stages.next())
        .await
        .unwrap();
    assert!(closed.is_none(), "{closed:?}");
    assert_eq!(harness.org.stats().transactions, 0);
    harness.org.shutdown().await;
}

#[tokio::test]
async fn an_expired_state_token_ends_the_flow_clearly() {
    let harness = Harness::with(
        DemoOrgConfig {
            push_lifetime: Duration::from_secs(60 * 60),
            ..DemoOrgConfig::default()
        },
        ClientConfig::default(),
    )
    .await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    harness.org.advance_clock(Duration::from_secs(30 * 60));
    flow.expect_failure(ErrorKind::Expired).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn rate_limited_requests_wait_for_the_reset_and_go_through() {
    let harness = Harness::start().await;
    harness.org.inject_fault(FaultRule {
        path: Some("/api/v1/authn".into()),
        method: Some("POST".into()),
        count: 2,
        fault: Fault::RateLimitBurst,
    });
    let mut flow = harness.sign_in("nomfa@demo.test", options());
    flow.expect_success("nomfa@demo.test").await;
    let statuses: Vec<_> = flow
        .handle
        .transcript()
        .entries()
        .iter()
        .map(|e| e.http_status)
        .collect();
    assert_eq!(statuses, [Some(429), Some(429), Some(200)]);
    harness.finish([flow]).await;
}

#[tokio::test]
async fn polls_recover_from_server_errors_and_dropped_connections() {
    let harness = Harness::start().await;
    let phone = harness.org.phone("push@demo.test");
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    for fault in [
        Fault::Status {
            status: 503,
            error_code: Some("E0000009".into()),
            error_summary: None,
        },
        Fault::Drop,
    ] {
        harness.org.inject_fault(FaultRule {
            path: Some("/verify".into()),
            method: Some("POST".into()),
            count: 2,
            fault,
        });
    }
    // Let the faults be used up before the phone answers.
    while !harness_faults_used(&harness).await {}
    phone.approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    let notes = flow
        .handle
        .transcript()
        .entries()
        .iter()
        .filter(|e| e.note.as_deref().is_some_and(|n| n.contains("retrying")))
        .count();
    assert_eq!(notes, 4);
    harness.finish([flow]).await;
}

/// Waits (by polling the org's fault queue, not the clock) until injected faults are used.
async fn harness_faults_used(harness: &Harness) -> bool {
    let url = harness.org.base_url().join("/_demo/faults").unwrap();
    let body = raw_get(&url).await;
    if body.trim() == "[]" {
        true
    } else {
        tokio::time::sleep(Duration::from_millis(50)).await;
        false
    }
}

/// A minimal HTTP/1.1 GET over a loopback TCP stream, for the demo org's control API.
async fn raw_get(url: &url::Url) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        url.path(),
        url.host_str().unwrap()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default()
}

async fn fault_on_sign_in(fault: Fault, kind: ErrorKind) -> (Harness, Flow) {
    let harness = Harness::start().await;
    harness.org.inject_fault(FaultRule {
        path: Some("/api/v1/authn".into()),
        method: Some("POST".into()),
        count: 1,
        fault,
    });
    let mut flow = harness.sign_in("nomfa@demo.test", options());
    flow.expect_failure(kind).await;
    (harness, flow)
}

#[tokio::test]
async fn a_steps_server_error_is_not_retried_blindly() {
    let (harness, flow) = fault_on_sign_in(
        Fault::Status {
            status: 500,
            error_code: Some("E0000009".into()),
            error_summary: Some("Internal Server Error".into()),
        },
        ErrorKind::ServerError,
    )
    .await;
    assert_eq!(flow.handle.transcript().len(), 1);
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_dropped_connection_on_a_step_is_a_network_error_not_a_retry() {
    let (harness, flow) = fault_on_sign_in(Fault::Drop, ErrorKind::Network).await;
    assert_eq!(flow.handle.transcript().len(), 1);
    harness.finish([flow]).await;
}

#[tokio::test]
async fn an_org_that_is_not_running_is_explained_in_plain_words() {
    let mut harness = Harness::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port();
    harness.org_url = OrgUrl::parse(&format!("http://127.0.0.1:{closed}")).unwrap();
    let mut flow = harness.sign_in("nomfa@demo.test", options());
    let message = flow.expect_failure(ErrorKind::Network).await;
    assert!(
        message.contains("the connection was refused") && message.contains("127.0.0.1"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
    harness.finish([flow]).await;
}

#[tokio::test]
async fn html_instead_of_json_explains_captive_portals() {
    let (harness, mut flow) =
        fault_on_sign_in(Fault::Html { status: 200 }, ErrorKind::UnexpectedResponse).await;
    let _ = &mut flow;
    let message = flow.seen.iter().find(|s| s.contains("guest")).cloned();
    assert!(message.is_some(), "{:?}", flow.seen);
    harness.finish([flow]).await;
}

#[tokio::test]
async fn truncated_and_oversized_bodies_are_clear_errors() {
    let (harness, flow) =
        fault_on_sign_in(Fault::TruncatedJson, ErrorKind::UnexpectedResponse).await;
    harness.finish([flow]).await;
    let (harness, flow) = fault_on_sign_in(
        Fault::Oversized {
            bytes: 2 * 1024 * 1024,
        },
        ErrorKind::UnexpectedResponse,
    )
    .await;
    assert!(flow.seen.iter().any(|s| s.contains("1 MiB")));
    harness.finish([flow]).await;
}

#[tokio::test]
async fn redirects_and_links_to_another_origin_are_refused() {
    let (harness, flow) = fault_on_sign_in(
        Fault::Redirect {
            location: Some("https://evil.example/api/v1/authn".into()),
        },
        ErrorKind::ForeignOrigin,
    )
    .await;
    harness.finish([flow]).await;

    let (harness, flow) = fault_on_sign_in_user(
        "push@demo.test",
        Fault::ForeignLink {
            origin: Some("https://evil.example".into()),
        },
        ErrorKind::ForeignOrigin,
    )
    .await;
    // Nothing was sent to the foreign origin: every request went to the demo org.
    assert!(
        flow.handle
            .transcript()
            .entries()
            .iter()
            .all(|e| e.path.starts_with("/api/v1/authn"))
    );
    harness.finish([flow]).await;
}

async fn fault_on_sign_in_user(login: &str, fault: Fault, kind: ErrorKind) -> (Harness, Flow) {
    let harness = Harness::start().await;
    harness.org.inject_fault(FaultRule {
        path: Some("/api/v1/authn".into()),
        method: Some("POST".into()),
        count: 1,
        fault,
    });
    let mut flow = harness.sign_in(login, options());
    flow.expect_failure(kind).await;
    (harness, flow)
}

#[tokio::test]
async fn an_unknown_status_is_an_unsupported_step() {
    let (harness, flow) = fault_on_sign_in(
        Fault::UnknownStatus {
            status: Some("DEVICE_ASSURANCE".into()),
        },
        ErrorKind::UnsupportedStep,
    )
    .await;
    assert!(flow.seen.iter().any(|s| s.contains("DEVICE_ASSURANCE")));
    harness.finish([flow]).await;
}

/// A push result Okta may add one day, sent with the usual poll link, leaves the push in
/// play: the sign-in keeps waiting and the approval signs in.
#[tokio::test]
async fn an_unknown_push_result_with_a_poll_link_keeps_waiting() {
    let harness = Harness::start().await;
    let mut flow = harness.sign_in("push@demo.test", options());
    flow.expect_push_sent().await;
    harness.org.inject_fault(FaultRule {
        path: Some("/verify".into()),
        method: Some("POST".into()),
        count: 1,
        fault: Fault::UnknownFactorResult {
            factor_result: Some("PENDING_HUMAN".into()),
        },
    });
    // The phone answers once the altered poll answer has been read (and noted).
    let noted = async {
        while !flow
            .handle
            .transcript()
            .to_string()
            .contains("PENDING_HUMAN")
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), noted)
        .await
        .expect("the unknown result was never noted in the transcript");
    harness.org.phone("push@demo.test").approve(None).unwrap();
    flow.expect_success("push@demo.test").await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn a_slow_server_times_out_with_a_clear_error() {
    let harness = Harness::with(
        DemoOrgConfig::default(),
        ClientConfig {
            request_timeout: Duration::from_millis(300),
            ..ClientConfig::default()
        },
    )
    .await;
    // The harness keeps its own timeout unless told otherwise; build a stricter client.
    let client = OktaClient::new(ClientConfig {
        request_timeout: Duration::from_millis(300),
        ..ClientConfig::default()
    })
    .unwrap();
    harness.org.inject_fault(FaultRule {
        path: Some("/api/v1/authn".into()),
        method: Some("POST".into()),
        count: 1,
        fault: Fault::Delay { millis: 3_000 },
    });
    let (handle, stages) = SignIn::start(
        &client,
        SignInRequest {
            org: harness.org_url.clone(),
            username: "nomfa@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: options(),
        },
    );
    let mut flow = Flow {
        handle,
        stages,
        seen: Vec::new(),
    };
    flow.expect_failure(ErrorKind::Timeout).await;
    harness.finish([flow]).await;
}

#[tokio::test]
async fn tls_problems_are_reported_as_tls() {
    // Something that is not TLS on an https URL, as a broken intercepting proxy would be.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    let client = OktaClient::new(ClientConfig::default()).unwrap();
    let (handle, stages) = SignIn::start(
        &client,
        SignInRequest {
            org: OrgUrl::parse(&format!("https://127.0.0.1:{port}")).unwrap(),
            username: "nomfa@demo.test".parse().unwrap(),
            password: Secret::new(DEMO_PASSWORD),
            options: options(),
        },
    );
    let mut flow = Flow {
        handle,
        stages,
        seen: Vec::new(),
    };
    let message = flow.expect_failure(ErrorKind::Tls).await;
    assert!(message.contains("certificate"), "{message}");
}
