//! Codes, phone numbers, security questions and factors only the browser can do.

use super::*;

#[test]
fn codes_are_checked_here_and_wrong_ones_refused_by_the_org() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("totp@demo.test", false);
    harness.wait_stage("needsCode");
    let command = |code: &str| {
        harness.invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "submitCode", "code": code } }),
        )
    };
    // The shape every code shares is checked here, before the engine...
    assert_eq!(command("").unwrap_err()["kind"], "invalid_input");
    assert_eq!(command("12 ab").unwrap_err()["kind"], "invalid_input");
    assert_eq!(command("12\u{1b}456").unwrap_err()["kind"], "invalid_input");
    assert_eq!(
        command(&"1".repeat(65)).unwrap_err()["kind"],
        "invalid_input"
    );
    // ...and the digits this factor wants by the flow, which says so without asking Okta.
    command("12ab56").unwrap();
    let refused = harness.wait_stage("needsCode");
    assert_eq!(refused["lastError"]["kind"], "invalid_code");

    command("000000").unwrap();
    let again = harness.wait_stage("needsCode");
    assert_eq!(again["lastError"]["kind"], "invalid_code");

    let phone = harness
        .invoke("demo_phone_view", json!({ "login": "totp@demo.test" }))
        .unwrap();
    let code = phone["codes"][0]["code"].as_str().unwrap().to_owned();
    command(&code).unwrap();
    harness.wait_stage("success");

    assert_eq!(
        harness
            .invoke(
                "flow_command",
                json!({ "flowId": flow_id + 1, "command": { "command": "cancel" } })
            )
            .unwrap_err()["kind"],
        "no_sign_in"
    );
}

/// The page's one way to read a phone number: the core's, answering with what to send.
#[test]
fn validate_phone_number_reads_the_number_as_typed_or_says_why_not() {
    let harness = Harness::new(false);
    let validate =
        |number: &str| harness.invoke("validate_phone_number", json!({ "number": number }));
    for typed in ["+14155550123", " +1 (415) 555-0123 ", "+1.415.555.0123"] {
        assert_eq!(validate(typed), Ok(json!("+14155550123")), "{typed:?}");
    }
    for typed in ["4157770123", "777", "", "+1 415 777 0123 ext 4"] {
        let refused = validate(typed).unwrap_err();
        assert_eq!(refused["kind"], "invalid_input", "{typed:?}");
        let message = refused["message"].as_str().unwrap();
        assert!(message.contains("country code"), "{message}");
        assert!(
            !message.contains("777"),
            "the message does not repeat the number: {message}"
        );
        assert_eq!(
            refused.as_object().unwrap().len(),
            2,
            "{{kind, message}}: {refused}"
        );
    }
    assert_eq!(
        validate(&"1".repeat(5000)).unwrap_err()["kind"],
        "invalid_input"
    );
}

#[test]
fn an_sms_number_without_its_country_code_is_refused_before_any_request() {
    let harness = Harness::new(false);
    let refused = harness
        .invoke(
            "flow_command",
            json!({ "flowId": 1, "command": {
                "command": "sendActivationLink",
                "link": { "channel": "sms", "phoneNumber": "4155550123" }
            } }),
        )
        .unwrap_err();
    assert_eq!(refused["kind"], "invalid_input");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("country code"),
        "{refused}"
    );
}

#[test]
fn a_required_factor_only_the_browser_can_do_opens_the_orgs_own_page() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("webauthn@demo.test", false);
    let browser = harness.wait_stage("continueInBrowser");
    assert_eq!(browser["canChooseAnother"], false, "{browser}");
    assert!(
        browser["message"].as_str().unwrap().contains("browser"),
        "{browser}"
    );
    // Nothing else goes on from here: the engine says so, the window offers only the browser.
    let refused = harness
        .invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "skip" } }),
        )
        .unwrap_err();
    assert!(refused["message"].as_str().is_some(), "{refused}");

    harness
        .invoke("open_in_browser", json!({ "flowId": flow_id }))
        .unwrap();
    let opened = harness.desktop.opened.lock().unwrap().clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    let org = url::Url::parse(&harness.org_url()).unwrap();
    let page = url::Url::parse(&opened[0]).unwrap();
    assert_eq!(page.origin(), org.origin(), "{opened:?}");
    // The page carries no secret, so it can be opened again.
    harness
        .invoke("open_in_browser", json!({ "flowId": flow_id }))
        .unwrap();
    assert_eq!(harness.desktop.opened.lock().unwrap().len(), 2);

    assert_eq!(
        harness
            .invoke("open_in_browser", json!({ "flowId": flow_id + 1 }))
            .unwrap_err()["kind"],
        "no_sign_in"
    );
}

#[test]
fn the_browser_opens_only_while_a_step_waits_on_it() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("push@demo.test", false);
    harness.wait_stage("pushSent");
    assert_eq!(
        harness
            .invoke("open_in_browser", json!({ "flowId": flow_id }))
            .unwrap_err()["kind"],
        "no_browser_step"
    );
    assert!(harness.desktop.opened.lock().unwrap().is_empty());
}

#[test]
fn a_security_question_is_answered_through_the_window_commands() {
    let harness = Harness::new(true);
    let flow_id = harness.sign_in("question@demo.test", false);
    let asked = harness.wait_stage("needsAnswer");
    assert!(!asked["question"].as_str().unwrap().is_empty(), "{asked}");
    let answer = |answer: &str| {
        harness.invoke(
            "flow_command",
            json!({ "flowId": flow_id, "command": { "command": "submitAnswer", "answer": answer } }),
        )
    };
    assert_eq!(answer("   ").unwrap_err()["kind"], "invalid_input");
    answer("not the answer").unwrap();
    let again = harness.wait_stage("needsAnswer");
    assert!(again["lastError"]["message"].is_string(), "{again}");
    answer(oktadesk_demo_org::DEMO_SECURITY_ANSWER).unwrap();
    harness.wait_stage("success");
}
