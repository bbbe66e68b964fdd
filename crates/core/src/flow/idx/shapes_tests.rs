//! IDX answers shaped after Okta's recorded ones (okta-signin-widget's
//! `playground/mocks/data/idp/idx`, okta-auth-js's `test/support/idx`), written here with
//! OktaDesk's own values: every remediation kind read, authenticators named as Classic names
//! its factors, forms picked by name and filled with nested values.

use super::authenticators::{current_choice, picks};
use super::form::Inputs;
use super::wire::IdxResponse;
use crate::okta_errors::from_idx_message;
use crate::secret::Secret;
use crate::stage::{FactorKind, FactorPurpose};

pub(super) const STATE: &str = "02StateHandleSECRET";

/// `{"name":"stateHandle",...}` as every form carries it.
pub(super) fn state_field() -> String {
    format!(
        r#"{{"name":"stateHandle","required":true,"value":"{STATE}","visible":false,"mutable":false}}"#
    )
}

fn doc(json: &str) -> IdxResponse {
    serde_json::from_str(json).unwrap_or_else(|error| panic!("{error}: {json}"))
}

fn body(doc: &IdxResponse, form: &str, inputs: Inputs) -> serde_json::Value {
    let filled = doc.form(form).unwrap().fill(&inputs).unwrap();
    serde_json::to_value(&filled).unwrap()
}

/// select-authenticator-authenticate with Okta Verify (three methods), two phones, email,
/// a security question, Google Authenticator, WebAuthn and the password.
pub(super) fn select_authenticate(origin: &str) -> String {
    let state = state_field();
    format!(
        r#"{{"version":"1.0.0","stateHandle":"{STATE}","intent":"LOGIN",
        "remediation":{{"type":"array","value":[{{"rel":["create-form"],"name":"select-authenticator-authenticate",
          "href":"{origin}/idp/idx/challenge","method":"POST","accepts":"application/json; okta-version=1.0.0",
          "value":[{{"name":"authenticator","type":"object","options":[
            {{"label":"Okta Verify","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autOV1","mutable":false}},
              {{"name":"methodType","type":"string","required":false,"options":[{{"label":"Use Okta FastPass","value":"signed_nonce"}},{{"label":"Get a push notification","value":"push"}},{{"label":"Enter a code","value":"totp"}}]}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[0]"}},
            {{"label":"Phone","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autPH1","mutable":false}},
              {{"name":"methodType","type":"string","required":false,"options":[{{"label":"SMS","value":"sms"}},{{"label":"Voice call","value":"voice"}}]}},
              {{"name":"enrollmentId","required":true,"value":"paeA","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[1]"}},
            {{"label":"Email","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autEM1","mutable":false}},{{"name":"methodType","required":false,"value":"email","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[2]"}},
            {{"label":"Security Question","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autSQ1","mutable":false}},{{"name":"methodType","required":false,"value":"security_question","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[3]"}},
            {{"label":"Google Authenticator","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autGA1","mutable":false}},{{"name":"methodType","required":false,"value":"otp","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[4]"}},
            {{"label":"Security Key or Biometric","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autWA1","mutable":false}},{{"name":"methodType","required":false,"value":"webauthn","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[5]"}},
            {{"label":"Password","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autPW1","mutable":false}},{{"name":"methodType","required":false,"value":"password","mutable":false}}]}}}},"relatesTo":"$.authenticatorEnrollments.value[6]"}}
          ]}},{state}]}}]}},
        "authenticatorEnrollments":{{"type":"array","value":[
          {{"type":"app","key":"okta_verify","id":"pfdOV1","displayName":"Okta Verify","methods":[{{"type":"signed_nonce"}},{{"type":"push"}},{{"type":"totp"}}]}},
          {{"type":"phone","key":"phone_number","id":"paeA","displayName":"Phone","profile":{{"phoneNumber":"+1 XXX-XXX-5309"}},"methods":[{{"type":"sms"}},{{"type":"voice"}}]}},
          {{"type":"email","key":"okta_email","id":"eaeEM1","displayName":"Email","profile":{{"email":"a***a@acme.com"}},"methods":[{{"type":"email"}}]}},
          {{"type":"security_question","key":"security_question","id":"qaeSQ1","displayName":"Security Question","methods":[{{"type":"security_question"}}]}},
          {{"type":"app","key":"google_otp","id":"gaeGA1","displayName":"Google Authenticator","methods":[{{"type":"otp"}}]}},
          {{"type":"security_key","key":"webauthn","id":"fwfWA1","displayName":"Security Key or Biometric","methods":[{{"type":"webauthn"}}]}},
          {{"type":"password","key":"okta_password","id":"laePW1","displayName":"Password","methods":[{{"type":"password"}}]}}]}},
        "cancel":{{"rel":["create-form"],"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","accepts":"application/json; okta-version=1.0.0","value":[{state}]}}}}"#
    )
}

#[test]
fn select_authenticator_options_are_named_like_classic_factors() {
    let doc = doc(&select_authenticate("https://acme.okta.com"));
    let form = doc.form("select-authenticator-authenticate").unwrap();
    let picks = picks(form, &doc, FactorPurpose::Verify);
    let named: Vec<(&str, &str, bool)> = picks
        .iter()
        .map(|p| {
            (
                p.choice.key.as_str(),
                p.choice.label.as_str(),
                p.choice.needs_browser,
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("autOV1:signed_nonce", "Okta FastPass", true),
            ("autOV1:push", "Okta Verify push", false),
            ("autOV1:totp", "Okta Verify code", false),
            ("paeA:sms", "SMS to +1 XXX-XXX-5309", false),
            ("paeA:voice", "Voice call to +1 XXX-XXX-5309", false),
            ("autEM1", "Email to a***a@acme.com", false),
            ("autSQ1", "Security question", false),
            ("autGA1", "Google Authenticator", false),
            ("autWA1", "Security key or biometric (WebAuthn)", true),
            ("autPW1", "Okta password", true),
        ]
    );
    assert!(picks[9].password && !picks[1].password);
    assert_eq!(picks[1].choice.kind, FactorKind::Push);
    assert_eq!(picks[3].choice.sent_to.as_deref(), Some("+1 XXX-XXX-5309"));
    // The method goes with the pick only where the option lets it be chosen.
    assert_eq!(picks[1].method.as_deref(), Some("push"));
    assert_eq!(picks[5].method, None);
}

#[test]
fn a_pick_fills_the_nested_authenticator_with_its_method_and_the_values_okta_set() {
    let doc = doc(&select_authenticate("https://acme.okta.com"));
    let sent = body(
        &doc,
        "select-authenticator-authenticate",
        Inputs::new()
            .choice("authenticator", 1)
            .text("authenticator.methodType", "voice"),
    );
    assert_eq!(
        sent,
        serde_json::json!({
            "authenticator": {"id": "autPH1", "methodType": "voice", "enrollmentId": "paeA"},
            "stateHandle": STATE
        })
    );
    let sent = body(
        &doc,
        "select-authenticator-authenticate",
        Inputs::new().choice("authenticator", 2),
    );
    assert_eq!(sent["authenticator"]["methodType"], "email");
    // Nothing picked: the required authenticator is named, not guessed.
    let form = doc.form("select-authenticator-authenticate").unwrap();
    assert!(form.fill(&Inputs::new()).is_ok_and(|b| {
        serde_json::to_value(&b)
            .unwrap()
            .get("authenticator")
            .is_none()
    }));
}

fn identify(with_password: bool) -> String {
    let credentials = if with_password {
        r#",{"name":"credentials","type":"object","form":{"value":[{"name":"passcode","label":"Password","secret":true}]},"required":true}"#
    } else {
        ""
    };
    let state = state_field();
    format!(
        r#"{{"version":"1.0.0","stateHandle":"{STATE}","remediation":{{"type":"array","value":[
          {{"name":"identify","href":"https://acme.okta.com/idp/idx/identify","method":"POST","accepts":"application/json; okta-version=1.0.0",
            "value":[{{"name":"identifier","label":"Username","required":true}}{credentials},{{"name":"rememberMe","type":"boolean","label":"Keep me signed in"}},{state}]}},
          {{"name":"select-enroll-profile","href":"https://acme.okta.com/idp/idx/enroll","method":"POST","value":[{state}]}},
          {{"name":"redirect-idp","type":"MICROSOFT","href":"https://acme.okta.com/oauth2/v1/authorize?idp=0oa1","method":"GET"}}]}}}}"#
    )
}

#[test]
fn identify_takes_the_identifier_and_the_password_only_where_asked() {
    let plain = doc(&identify(false));
    let form = plain.form("identify").unwrap();
    assert!(!form.asks_for("credentials.passcode"));
    assert_eq!(
        body(
            &plain,
            "identify",
            Inputs::new().text("identifier", "ada@acme.com")
        ),
        serde_json::json!({"identifier": "ada@acme.com", "stateHandle": STATE})
    );
    assert_eq!(
        form.fill(&Inputs::new()).unwrap_err(),
        "identifier",
        "a required field nothing fills is named"
    );
    let both = doc(&identify(true));
    assert!(
        both.form("identify")
            .unwrap()
            .asks_for("credentials.passcode")
    );
    let sent = body(
        &both,
        "identify",
        Inputs::new()
            .text("identifier", "ada@acme.com")
            .text("credentials.passcode", Secret::new("pa55word")),
    );
    assert_eq!(sent["credentials"]["passcode"], "pa55word");
    assert_eq!(both.forms().len(), 3);
}

#[test]
fn a_number_challenge_arrives_as_a_string_and_a_wrong_code_on_its_field() {
    let state = state_field();
    let push = doc(&format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-poll","href":"https://acme.okta.com/idp/idx/authenticators/poll","method":"POST","refresh":4000,"value":[{state}]}}]}},
        "currentAuthenticator":{{"type":"object","value":{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}}],"contextualData":{{"correctAnswer":"42"}}}}}}}}"#
    ));
    let current = push.current().unwrap();
    assert_eq!(
        current.contextual_data.as_ref().unwrap().correct_answer,
        Some(42)
    );
    assert_eq!(push.form("challenge-poll").unwrap().refresh, Some(4000.0));
    let wrong = doc(&format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-authenticator","href":"https://acme.okta.com/idp/idx/challenge/answer","method":"POST",
          "value":[{{"name":"credentials","type":"object","form":{{"value":[{{"name":"passcode","label":"Enter code","messages":{{"type":"array","value":[{{"message":"Invalid code. Try again.","i18n":{{"key":"api.authn.error.PASSCODE_INVALID","params":[]}},"class":"ERROR"}}]}}}}]}},"required":true}},{state}]}}]}},
        "currentAuthenticatorEnrollment":{{"type":"object","value":{{"type":"app","key":"google_otp","id":"autGA1","displayName":"Google Authenticator","methods":[{{"type":"otp"}}]}}}}}}"#
    ));
    let errors = wrong.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        from_idx_message(errors[0].key()).map(|e| e.kind()),
        Some(crate::error::ErrorKind::InvalidCode)
    );
    let choice = current_choice(&wrong, None, FactorPurpose::Verify);
    assert_eq!(
        (choice.kind, choice.label.as_str()),
        (FactorKind::Google, "Google Authenticator")
    );
}

#[test]
fn messages_map_to_the_errors_every_driver_knows() {
    use crate::error::ErrorKind;
    let expired = doc(
        r#"{"version":"1.0.0","messages":{"type":"array","value":[{"message":"You have been logged out due to inactivity. Refresh or return to the sign in screen.","i18n":{"key":"idx.session.expired"},"class":"ERROR"}]}}"#,
    );
    assert!(expired.forms().is_empty());
    let kind = |key: &str| from_idx_message(key).map(|e| e.kind());
    assert_eq!(kind(expired.errors()[0].key()), Some(ErrorKind::Expired));
    assert_eq!(kind("incorrectPassword"), Some(ErrorKind::Credentials));
    assert_eq!(
        kind("api.authn.poll.error.push_rejected"),
        Some(ErrorKind::MfaRejected)
    );
    assert_eq!(kind("some.new.key"), None);
    // Information is not an error.
    let info = doc(
        r#"{"version":"1.0.0","messages":{"type":"array","value":[{"message":"When your password expires...","i18n":{"key":"idx.password.expiring.message"},"class":"INFO"}]}}"#,
    );
    assert!(info.errors().is_empty());
}

#[test]
fn okta_verify_enrollment_sends_the_qrcode_channel_and_security_questions_their_option() {
    let state = state_field();
    let enroll = doc(&format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[
          {{"name":"select-authenticator-enroll","href":"https://acme.okta.com/idp/idx/credential/enroll","method":"POST","value":[{{"name":"authenticator","type":"object","required":true,"options":[
            {{"label":"Okta Verify","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autOV1"}},{{"name":"channel","required":false,"type":"string","options":[{{"value":"qrcode","label":"QRCODE"}},{{"value":"sms","label":"SMS"}},{{"value":"email","label":"EMAIL"}}]}}]}}}},"relatesTo":"$.authenticators.value[0]"}},
            {{"label":"Phone","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autPH1"}},{{"name":"methodType","required":false,"options":[{{"label":"SMS","value":"sms"}},{{"label":"Voice call","value":"voice"}}]}},{{"name":"phoneNumber","required":false}}]}}}},"relatesTo":"$.authenticators.value[1]"}},
            {{"label":"Security Question","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autSQ1"}}]}}}},"relatesTo":"$.authenticators.value[2]"}}]}},{state}]}},
          {{"name":"skip","href":"https://acme.okta.com/idp/idx/skip","method":"POST","value":[{state}]}}]}},
        "authenticators":{{"type":"array","value":[
          {{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}},{{"type":"totp"}}]}},
          {{"type":"phone","key":"phone_number","id":"autPH1","displayName":"Phone","methods":[{{"type":"sms"}},{{"type":"voice"}}]}},
          {{"type":"security_question","key":"security_question","id":"autSQ1","displayName":"Security Question","methods":[{{"type":"security_question"}}]}}]}}}}"#
    ));
    let form = enroll.form("select-authenticator-enroll").unwrap();
    let picks = picks(form, &enroll, FactorPurpose::Enroll);
    let labels: Vec<&str> = picks.iter().map(|p| p.choice.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Okta Verify push", "SMS", "Voice call", "Security question"]
    );
    assert!(picks[0].has_channel && !picks[1].has_channel);
    assert!(picks.iter().all(|p| !p.choice.needs_browser));
    let sent = body(
        &enroll,
        "select-authenticator-enroll",
        Inputs::new()
            .choice("authenticator", 0)
            .text("authenticator.channel", "qrcode"),
    );
    assert_eq!(
        sent["authenticator"],
        serde_json::json!({"id": "autOV1", "channel": "qrcode"})
    );

    let question = doc(&format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"enroll-authenticator","href":"https://acme.okta.com/idp/idx/challenge/answer","method":"POST","value":[
          {{"name":"credentials","type":"object","required":true,"options":[
            {{"label":"Choose a security question","value":{{"form":{{"value":[{{"name":"questionKey","type":"string","required":true,"options":[{{"label":"What is the food you least liked as a child?","value":"disliked_food"}}]}},{{"name":"answer","required":true,"secret":true}}]}}}}}},
            {{"label":"Create my own security question","value":{{"form":{{"value":[{{"name":"questionKey","required":true,"value":"custom"}},{{"name":"question","required":true}},{{"name":"answer","required":true,"secret":true}}]}}}}}}]}},{state}]}}]}},
        "currentAuthenticator":{{"type":"object","value":{{"type":"security_question","key":"security_question","id":"autSQ1","displayName":"Security Question",
          "contextualData":{{"questions":[{{"questionKey":"disliked_food","question":"What is the food you least liked as a child?"}}],"questionKeys":["disliked_food"]}}}}}}}}"#
    ));
    let sent = body(
        &question,
        "enroll-authenticator",
        Inputs::new()
            .choice("credentials", 0)
            .text("credentials.questionKey", "disliked_food")
            .text("credentials.answer", Secret::new("mayonnaise")),
    );
    assert_eq!(
        sent["credentials"],
        serde_json::json!({"questionKey": "disliked_food", "answer": "mayonnaise"})
    );
    let data = question
        .current()
        .unwrap()
        .contextual_data
        .as_ref()
        .unwrap();
    assert_eq!(data.questions[0].question_key, "disliked_food");
}

#[test]
fn forms_say_which_json_they_take_and_success_issues_a_form_encoded_token_request() {
    let state = state_field();
    let success = doc(&format!(
        r#"{{"version":"1.0.0","user":{{"type":"object","value":{{"id":"00u1","identifier":"ada@acme.com"}}}},
        "cancel":{{"name":"cancel","href":"https://acme.okta.com/idp/idx/cancel","method":"POST","accepts":"application\\/ion\\+json; okta-version=\\d+\\.\\d+\\.\\d+","value":[{state}]}},
        "successWithInteractionCode":{{"rel":["create-form"],"name":"issue","href":"https://acme.okta.com/oauth2/default/v1/token","method":"POST",
          "value":[{{"name":"grant_type","required":true,"value":"interaction_code"}},{{"name":"interaction_code","required":true,"value":"InteractionCodeSECRET"}},
                   {{"name":"client_id","required":true,"value":"0oaDesk"}},{{"name":"code_verifier","required":true}}],
          "accepts":"application/x-www-form-urlencoded"}}}}"#
    ));
    // A pattern where a type should be: IDX's own type is sent instead.
    assert_eq!(
        success.cancel.as_ref().unwrap().content_type(),
        crate::client::ION_JSON
    );
    let issue = success.success_with_interaction_code.as_ref().unwrap();
    assert!(
        issue.fill(&Inputs::new()).is_err(),
        "the verifier is required"
    );
    let pairs = issue
        .fill(&Inputs::new().text("code_verifier", Secret::new("VerifierSECRET")))
        .unwrap()
        .into_pairs();
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.expose()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("grant_type", "interaction_code"),
            ("interaction_code", "InteractionCodeSECRET"),
            ("client_id", "0oaDesk"),
            ("code_verifier", "VerifierSECRET"),
        ]
    );
    // Nothing a form carries prints.
    let debug = format!("{success:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
    let doc = self::doc(&select_authenticate("https://acme.okta.com"));
    assert_eq!(
        doc.forms()[0].content_type(),
        "application/json; okta-version=1.0.0"
    );
    assert!(!format!("{doc:?}").contains(STATE));
}

#[test]
fn related_authenticators_are_found_by_their_path() {
    let doc = doc(&select_authenticate("https://acme.okta.com"));
    assert_eq!(
        doc.related("$.authenticatorEnrollments.value[1]")
            .map(|a| a.key()),
        Some("phone_number")
    );
    for nowhere in [
        "$.authenticators.value[0]",
        "$.authenticatorEnrollments.value[99]",
        "authenticatorEnrollments.value[0]",
        "$.user.value[0]",
    ] {
        assert!(doc.related(nowhere).is_none(), "{nowhere}");
    }
}

#[test]
fn form_names_and_message_keys_keep_to_the_code_alphabet() {
    let doc: IdxResponse = serde_json::from_str(
        r#"{"version":"1.0.0",
            "remediation":{"type":"array","value":[{"name":"redirect-idp\u001b]52;c;aGk=\u0007","href":"x"}]},
            "messages":{"type":"array","value":[{"message":"Hi\u001b[2J","i18n":{"key":"idx.x\u009b31m"}}]}}"#,
    )
    .unwrap();
    assert_eq!(doc.forms()[0].name, "redirect-idp??52?c?aGk??");
    let message = &doc.messages.unwrap().value[0];
    assert_eq!(message.key(), "idx.x?31m");
    assert_eq!(message.message, "Hi[2J");
}

/// Okta's refusal of a question of one's own (`error-authenticator-enroll-security-question-
/// html-tags.json`) is on an input inside an option of `credentials`: it is the step's error.
#[test]
fn a_refusal_inside_an_option_of_a_field_is_read() {
    let doc: IdxResponse = serde_json::from_str(&format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"enroll-authenticator","href":"x","value":[
            {{"name":"credentials","type":"object","required":true,"options":[
              {{"label":"Choose","value":{{"form":{{"value":[{{"name":"questionKey","options":[{{"label":"Q","value":"disliked_food"}}]}},{{"name":"answer"}}]}}}}}},
              {{"label":"Own","value":{{"form":{{"value":[{{"name":"questionKey","value":"custom","mutable":false}},
                {{"name":"question","messages":{{"type":"array","value":[{{"message":"No HTML here","i18n":{{"key":"tagsNotAllowed"}},"class":"ERROR"}}]}}}},
                {{"name":"answer"}}]}}}}}}]}},
            {state}]}}]}}}}"#,
        state = state_field()
    ))
    .unwrap();
    let errors = doc.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].key(), "tagsNotAllowed");
    assert_eq!(errors[0].message, "No HTML here");
}

#[test]
fn a_stray_item_in_an_authenticator_list_keeps_the_others_in_place() {
    let doc: IdxResponse = serde_json::from_str(
        r#"{"version":"1.0.0",
            "authenticatorEnrollments":{"type":"array","value":["\u200b",{"key":"okta_email","id":"e1"}]}}"#,
    )
    .unwrap();
    let email = doc.related("$.authenticatorEnrollments.value[1]").unwrap();
    assert_eq!(email.key(), "okta_email");
    assert_eq!(
        doc.related("$.authenticatorEnrollments.value[0]")
            .unwrap()
            .key(),
        ""
    );
}
