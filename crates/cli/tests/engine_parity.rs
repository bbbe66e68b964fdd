//! `oktadesk-cli signin` reaches the same screens and exits on an Identity Engine org (through
//! IDX) as on Classic: an expiring password skipped with a notice, an expired one ending with
//! `password_expired`, and a security question of one's own where the org allows it.

mod common;

use common::{Org, signin};
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DemoEngine, DemoOrgConfig, IdxOptions};

/// The org, and the flags that sign in through its engine's protocol.
fn org_of(engine: DemoEngine, idx: IdxOptions) -> (Org, Vec<&'static str>) {
    let flags = match engine {
        DemoEngine::IdentityEngine => vec!["--json", "--client-id", DEMO_OIDC_CLIENT_ID],
        _ => vec!["--json"],
    };
    let org = Org::start_with(DemoOrgConfig {
        engine,
        idx,
        ..DemoOrgConfig::default()
    });
    (org, flags)
}

const ENGINES: [DemoEngine; 2] = [DemoEngine::Classic, DemoEngine::IdentityEngine];

#[test]
fn an_expiring_password_is_skipped_with_a_notice_on_both_engines() {
    for engine in ENGINES {
        let (org, flags) = org_of(engine, IdxOptions::default());
        let mut cli = signin(&org, "warn@demo.test", &flags);
        let warn = cli.wait_for_stage("passwordWarn");
        assert_eq!(warn["canSkip"], true, "{engine:?}: {warn}");
        assert_eq!(warn["expireDays"], 4, "{engine:?}: {warn}");
        let done = cli.finish();
        assert_eq!(
            done.code(),
            0,
            "{engine:?}: {}\n{}",
            done.stdout,
            done.stderr
        );
        assert_eq!(done.result()["user"]["login"], "warn@demo.test");
        done.assert_no_secrets();
    }
}

#[test]
fn an_expired_password_ends_with_password_expired_on_both_engines() {
    for engine in ENGINES {
        let (org, flags) = org_of(engine, IdxOptions::default());
        let mut cli = signin(&org, "expired@demo.test", &flags);
        cli.wait_for_stage("passwordExpired");
        let done = cli.finish();
        assert_eq!(
            done.code(),
            3,
            "{engine:?}: {}\n{}",
            done.stdout,
            done.stderr
        );
        assert_eq!(done.result()["kind"], "password_expired", "{engine:?}");
        done.assert_no_secrets();
    }
}

#[test]
fn a_question_of_ones_own_is_written_from_stdin_through_idx() {
    let (org, mut flags) = org_of(
        DemoEngine::IdentityEngine,
        IdxOptions {
            custom_security_questions: true,
            ..IdxOptions::default()
        },
    );
    flags.extend(["--code-stdin", "--factor", "question"]);
    let mut cli = signin(&org, "enrollall@demo.test", &flags);
    let needs = cli.wait_for_stage("needsQuestionChoice");
    assert_eq!(needs["canWriteOwn"], true, "{needs}");
    cli.write_line("custom");
    cli.write_line("Who was my first teacher?");
    cli.write_line("Mrs Hudson");
    // Set up: Okta goes on to the optional authenticators left, which a script does not
    // pick (on Classic, the demo org asks for none after the first).
    let next = cli.wait_for_stage("needsFactorChoice");
    assert_eq!(next["purpose"], "enroll", "{next}");
    assert_eq!(next["canSkip"], true, "{next}");
    let done = cli.finish();
    assert_eq!(
        done.stdout
            .matches("\"stage\":\"needsQuestionChoice\"")
            .count(),
        1,
        "asked once, taken: {}",
        done.stdout
    );
    assert!(!done.stdout.contains("Mrs Hudson"), "the answer was echoed");
    done.assert_no_secrets();
}
