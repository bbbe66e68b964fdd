//! Transactions shaped like the ones Okta's own clients record in their test suites (every
//! factor type in MFA_ENROLL and MFA_REQUIRED, a rejected push with `verification: null`):
//! each parses, and every factor in them is offered, named, or sent to the browser; none is
//! an unsupported step.

use super::factors::{enroll_choices, required_needing_browser, verify_choices};
use crate::stage::FactorKind;
use crate::wire::{FactorResult, Status, Transaction};

fn parse(json: &str) -> Transaction {
    serde_json::from_str(json).unwrap_or_else(|error| panic!("{error}: {json}"))
}

const ENROLL: &str =
    r#"{"href":"https://acme.okta.com/api/v1/authn/factors","hints":{"allow":["POST"]}}"#;

fn enroll_entry(factor_type: &str, provider: &str, extra: &str) -> String {
    // A security question's entry also links to the org's questions.
    let questions = if factor_type == "question" {
        r#""questions":{"href":"https://acme.okta.com/api/v1/users/00u1/factors/questions","hints":{"allow":["GET"]}},"#
    } else {
        ""
    };
    format!(
        r#"{{"enrollment":"OPTIONAL","status":"NOT_SETUP","factorType":"{factor_type}","provider":"{provider}","vendorName":"{provider}"{extra},"_links":{{{questions}"enroll":{ENROLL}}}}}"#
    )
}

#[test]
fn an_all_factors_enrollment_offers_every_type_and_names_each() {
    let entries = [
        enroll_entry("question", "OKTA", ""),
        enroll_entry("token:software:totp", "GOOGLE", ""),
        enroll_entry("token:software:totp", "OKTA", ""),
        enroll_entry("token", "RSA", r#","profile":{"credentialId":"ada"}"#),
        enroll_entry("token", "SYMANTEC", ""),
        enroll_entry("token:hardware", "YUBICO", ""),
        enroll_entry(
            "sms",
            "OKTA",
            r#","_embedded":{"phones":[{"id":"mbl1","profile":{"phoneNumber":"+1 XXX-XXX-0056"},"status":"ACTIVE"}]}"#,
        ),
        enroll_entry("call", "OKTA", ""),
        enroll_entry("email", "OKTA", ""),
        enroll_entry("push", "OKTA", ""),
        enroll_entry("web", "DUO", ""),
        enroll_entry("webauthn", "FIDO", ""),
        enroll_entry("u2f", "FIDO", ""),
        enroll_entry("assertion:saml2", "GENERIC_SAML", ""),
    ];
    let tx = parse(&format!(
        r#"{{"stateToken":"00abc","expiresAt":"2015-06-15T21:06:04.794Z","status":"MFA_ENROLL",
            "_embedded":{{"user":{{"id":"00u1","profile":{{"login":"ada@acme.com"}}}},"factors":[{}]}},
            "_links":{{"skip":{ENROLL},"cancel":{ENROLL}}}}}"#,
        entries.join(",")
    ));
    assert_eq!(tx.status, Status::MfaEnroll);
    let offered = enroll_choices(&tx);
    assert_eq!(offered.len(), entries.len(), "every type is offered");
    let by_browser: Vec<(&str, bool)> = offered
        .iter()
        .map(|(choice, _)| (choice.label.as_str(), choice.needs_browser))
        .collect();
    assert_eq!(
        by_browser,
        [
            ("Security question", false),
            ("Google Authenticator", false),
            ("Okta Verify code", false),
            ("RSA SecurID", false),
            ("Symantec VIP", true),
            ("YubiKey", false),
            ("SMS", false),
            ("Voice call", false),
            ("Email", false),
            ("Okta Verify push", false),
            ("Duo Security", true),
            ("Security key or biometric (WebAuthn)", true),
            ("Security key (U2F)", true),
            ("GENERIC_SAML", true),
        ]
    );
    assert!(offered[0].1.links.questions.is_some());
    let sms = &offered[6].1;
    assert_eq!(
        sms.embedded.phones[0].profile.phone_number.as_deref(),
        Some("+1 XXX-XXX-0056")
    );
    assert!(
        required_needing_browser(&offered).is_empty(),
        "all optional"
    );
}

#[test]
fn an_all_factors_verification_offers_every_enrolled_factor() {
    let verify = |id: &str| {
        format!(
            r#""_links":{{"verify":{{"href":"https://acme.okta.com/api/v1/authn/factors/{id}/verify"}}}}"#
        )
    };
    let factors = [
        format!(
            r#"{{"id":"ufs1","factorType":"question","provider":"OKTA","profile":{{"question":"disliked_food","questionText":"What is the food you least liked as a child?"}},{}}}"#,
            verify("ufs1")
        ),
        format!(
            r#"{{"id":"uft1","factorType":"token:software:totp","provider":"GOOGLE","profile":{{"credentialId":"ada@acme.com"}},{}}}"#,
            verify("uft1")
        ),
        format!(
            r#"{{"id":"opf1","factorType":"push","provider":"OKTA","profile":{{"deviceType":"SmartPhone_IPhone","name":"Ada's iPhone","platform":"IOS","version":"17.2"}},{}}}"#,
            verify("opf1")
        ),
        format!(
            r#"{{"id":"sms1","factorType":"sms","provider":"OKTA","profile":{{"phoneNumber":"+1 XXX-XXX-6688"}},{}}}"#,
            verify("sms1")
        ),
        format!(
            r#"{{"id":"clf1","factorType":"call","provider":"OKTA","profile":{{"phoneNumber":"+1 XXX-XXX-1337"}},{}}}"#,
            verify("clf1")
        ),
        format!(
            r#"{{"id":"emf1","factorType":"email","provider":"OKTA","profile":{{"email":"a...a@acme.com"}},{}}}"#,
            verify("emf1")
        ),
        format!(
            r#"{{"id":"rsa1","factorType":"token","provider":"RSA","profile":{{"credentialId":"ada"}},{}}}"#,
            verify("rsa1")
        ),
        format!(
            r#"{{"id":"fwf1","factorType":"webauthn","provider":"FIDO","profile":{{"authenticatorName":"Touch ID"}},{}}}"#,
            verify("fwf1")
        ),
        format!(
            r#"{{"id":"dsf1","factorType":"web","provider":"DUO",{}}}"#,
            verify("dsf1")
        ),
    ];
    let tx = parse(&format!(
        r#"{{"stateToken":"00abc","status":"MFA_REQUIRED","_embedded":{{"factors":[{}],
            "policy":{{"allowRememberDevice":true,"rememberDeviceLifetimeInMinutes":1440,"rememberDeviceByDefault":false,
            "factorsPolicyInfo":{{"opf1":{{"autoPushEnabled":true}}}}}}}}}}"#,
        factors.join(",")
    ));
    let offered = verify_choices(&tx);
    let kinds: Vec<FactorKind> = offered.iter().map(|(choice, _)| choice.kind).collect();
    assert_eq!(
        kinds,
        [
            FactorKind::Question,
            FactorKind::Google,
            FactorKind::Push,
            FactorKind::Sms,
            FactorKind::Call,
            FactorKind::Email,
            FactorKind::Token,
            FactorKind::Browser,
            FactorKind::Browser,
        ]
    );
    let labels: Vec<&str> = offered.iter().map(|(c, _)| c.label.as_str()).collect();
    assert_eq!(labels[3], "SMS to +1 XXX-XXX-6688");
    assert_eq!(labels[4], "Voice call to +1 XXX-XXX-1337");
    assert_eq!(labels[5], "Email to a...a@acme.com");
    assert_eq!(offered[2].0.device_name.as_deref(), Some("Ada's iPhone"));
    let needs_browser: Vec<bool> = offered.iter().map(|(c, _)| c.needs_browser).collect();
    assert_eq!(
        needs_browser,
        [false, false, false, false, false, false, false, true, true]
    );
    let question = offered[0].1.profile.as_ref().unwrap();
    assert!(
        question
            .question_text
            .as_deref()
            .unwrap()
            .contains("least liked")
    );
}

#[test]
fn a_rejected_push_with_a_null_verification_parses() {
    let tx = parse(
        r#"{"stateToken":"00abc","status":"MFA_CHALLENGE","factorResult":"REJECTED",
            "_embedded":{"factor":{"id":"opf1","factorType":"push","provider":"OKTA",
              "profile":{"name":"Pixel"},"_embedded":{"verification":null}}},
            "_links":{"next":{"name":"verify","href":"https://acme.okta.com/api/v1/authn/factors/opf1/verify"},
                      "resend":[{"name":"push","href":"https://acme.okta.com/api/v1/authn/factors/opf1/verify/resend"}],
                      "prev":{"href":"https://acme.okta.com/api/v1/authn/previous"},
                      "cancel":{"href":"https://acme.okta.com/api/v1/authn/cancel"}}}"#,
    );
    assert_eq!(tx.factor_result, Some(FactorResult::Rejected));
    assert!(tx.links.resend[0].is_named("push"));
    assert!(tx.embedded.factor.unwrap().embedded.challenge.is_none());
}

#[test]
fn an_sms_challenge_names_where_the_code_went_and_how_to_resend() {
    let tx = parse(
        r#"{"stateToken":"00abc","status":"MFA_CHALLENGE",
            "_embedded":{"factor":{"id":"sms1","factorType":"sms","provider":"OKTA",
              "profile":{"phoneNumber":"+1 XXX-XXX-6688"},"_embedded":{"verification":null}}},
            "_links":{"next":{"name":"verify","href":"https://acme.okta.com/api/v1/authn/factors/sms1/verify"},
                      "resend":[{"name":"sms","href":"https://acme.okta.com/api/v1/authn/factors/sms1/verify/resend"}]}}"#,
    );
    let factor = tx.embedded.factor.as_ref().unwrap();
    let profile = factor.profile.as_ref().unwrap();
    assert_eq!(profile.phone_number.as_deref(), Some("+1 XXX-XXX-6688"));
    assert!(tx.links.resend[0].is_named("sms"));
}
