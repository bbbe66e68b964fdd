//! The Identity Engine answers added for parity with Classic, by shape: a hardware token's
//! enrollment, and a security question's with "Create my own security question" and its
//! refusal on the field.

use oktadesk_demo_org::IdxOptions;
use serde_json::json;

use super::idx_client::names;
use super::{ENROLLMENTS, assert_shape, start, start_with};

/// Beside the step checked here: the demo org's `select-authenticator-enroll` lists every
/// authenticator enrollall@ may still add (checked against its own recording in
/// `okta_verify_enrollment_by_qr_and_by_email`), where these recordings list others; these
/// widget recordings carry no `produces`, and name the app and the user differently.
const BESIDE_THE_STEP: &[&str] = &[
    "$.authenticators",
    ENROLLMENTS,
    "$.remediation.value[name=select-authenticator-enroll]",
    "$.remediation.value[*].produces",
    "$.cancel",
    "$.app",
    "$.user",
];

/// Okta's recordings of the security question differ on `secret` on the answer; its
/// catalogue entry of the authenticator carries `methods` in some recordings only.
const QUESTION_VARIANTS: &[&str] = &[
    "$.remediation.value[*].value[name=credentials].options[*].value.form.value[name=answer].secret",
    "$.currentAuthenticator.value.methods",
];

/// The recorded refusal says two things at once (HTML in the question, and an answer too
/// short on both options); the demo org says the first it finds. Its messages always carry
/// `i18n.params`, and it names no `enrollmentAuthenticator`.
const ONE_REFUSAL_AT_A_TIME: &[&str] = &[
    "$.remediation.value[*].value[name=credentials].options[*].value.form.value[name=answer].messages",
    "$.remediation.value[*].value[name=credentials].options[*].value.form.value[*].messages.value[*].i18n.params",
    "$.enrollmentAuthenticator",
];

fn known(lists: &[&[&'static str]]) -> Vec<&'static str> {
    lists.iter().flat_map(|list| list.iter().copied()).collect()
}

#[tokio::test]
async fn a_token_is_enrolled_with_its_user_name_and_code() {
    let org = start().await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "rsa_token", None)
        .await
        .json;
    assert_eq!(names(&enrolling)[0], "enroll-authenticator");
    assert_shape("token-enroll", &enrolling, BESIDE_THE_STEP);
    org.shutdown().await;
}

#[tokio::test]
async fn a_question_of_ones_own_is_offered_and_refused_on_the_field() {
    let org = start_with(IdxOptions {
        custom_security_questions: true,
        ..IdxOptions::default()
    })
    .await;
    let select = org.idx_sign_in("enrollall@demo.test").await;
    let enrolling = org
        .choose(
            &select,
            "select-authenticator-enroll",
            "security_question",
            None,
        )
        .await
        .json;
    assert_shape(
        "security-question-enroll-own",
        &enrolling,
        &known(&[BESIDE_THE_STEP, QUESTION_VARIANTS]),
    );
    let refused = org
        .remediate(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "questionKey": "custom", "question": "<i>Who?</i>", "answer": "someone" } }),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 400, "{}", refused.json);
    assert_shape(
        "security-question-enroll-own-html-refused",
        &refused.json,
        &known(&[BESIDE_THE_STEP, QUESTION_VARIANTS, ONE_REFUSAL_AT_A_TIME]),
    );
    org.shutdown().await;
}
