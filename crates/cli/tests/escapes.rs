//! Canary runs of `doctor` and `signin` against a hostile org: a loopback server that puts
//! terminal escape sequences (OSC 52, which writes the clipboard; CSI, which redraws the
//! screen; BEL; the one-byte C1 CSI) in every field a server sends, code-like fields
//! included (`errorCode`, `status`, `factorType`, `provider`, the OAuth `error`, IDX form
//! names and message keys, the well-known `pipeline`). With colours forced on (so nothing
//! strips escapes on the way) no control character but the CLI's own colours and line
//! breaks may reach the terminal, the JSON lines or a saved transcript.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;

use common::spawn;

/// What a hostile server puts in every text it sends.
const ESCAPES: &str = "\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}[2J\u{1b}[1;1H\u{9b}32m\u{7f}\r";

/// Which sign-in the server plays.
#[derive(Clone, Copy)]
enum Script {
    /// Classic: the password refused with an Okta error.
    ClassicError,
    /// Classic: a transaction with a status nobody knows.
    ClassicStatus,
    /// Classic: MFA required, with factors of kinds nobody knows.
    ClassicFactors,
    /// Identity Engine: `interact` refused with an OAuth error.
    IdxOAuthError,
    /// Identity Engine: `introspect` answers a form nobody knows, with messages.
    IdxRemediation,
}

fn hostile(text: &str) -> String {
    format!("{text}{ESCAPES}")
}

fn answer(script: Script, method: &str, path: &str, body: &str) -> (u16, String) {
    let x = hostile;
    let idx = matches!(script, Script::IdxOAuthError | Script::IdxRemediation);
    let json = |value: serde_json::Value| value.to_string();
    match (method, path) {
        ("GET", "/.well-known/okta-organization") => (
            200,
            json(serde_json::json!({
                "id": x("00o1"),
                "pipeline": if idx { "idx".to_owned() } else { x("v1") },
                "_links": {
                    "organization": {"href": x("https://acme.okta.com")},
                    "alternate": {"href": x("https://login.acme.com")},
                },
            })),
        ),
        ("POST", "/api/v1/authn")
            if body.trim() == "{}" || matches!(script, Script::ClassicError) =>
        {
            (
                401,
                json(serde_json::json!({
                    "errorCode": x("E0000004"),
                    "errorSummary": x("Authentication failed"),
                    "errorLink": x("E0000004"),
                    "errorId": x("oae1"),
                    "errorCauses": [{"errorSummary": x("cause")}],
                })),
            )
        }
        ("POST", "/api/v1/authn") if matches!(script, Script::ClassicStatus) => (
            200,
            json(serde_json::json!({
                "stateToken": "00state",
                "status": x("SOMETHING_NEW"),
                "factorResult": x("PENDING"),
                "factorResultMessage": x("message"),
                "_embedded": {"user": {"id": x("00u1"), "profile": {"login": x("ada@acme.com"), "firstName": x("Ada")}}},
            })),
        ),
        ("POST", "/api/v1/authn") => (
            200,
            json(serde_json::json!({
                "stateToken": "00state",
                "status": "MFA_REQUIRED",
                "_embedded": {
                    "user": {"id": x("00u1"), "profile": {"login": x("ada@acme.com"), "firstName": x("Ada"), "lastName": x("L")}},
                    "factors": [
                        {"id": "f1", "factorType": x("push"), "provider": x("OKTA"), "vendorName": x("Okta"),
                         "profile": {"name": x("Pixel"), "deviceType": x("SmartPhone_Android"), "platform": x("ANDROID")}},
                        {"id": "f2", "factorType": x("token:software:totp"), "provider": x("GOOGLE"), "vendorName": x("Google")},
                    ],
                },
                "_links": {"cancel": {"href": "/api/v1/authn/cancel"}},
            })),
        ),
        ("POST", "/api/v1/authn/cancel") => (200, "{}".into()),
        ("POST", "/oauth2/default/v1/interact") if matches!(script, Script::IdxOAuthError) => (
            400,
            json(
                serde_json::json!({"error": x("invalid_client"), "error_description": x("No such app.")}),
            ),
        ),
        ("POST", "/oauth2/default/v1/interact") => (
            200,
            json(serde_json::json!({"interaction_handle": "handle1"})),
        ),
        ("POST", "/idp/idx/introspect") => (
            200,
            json(serde_json::json!({
                "version": "1.0.0",
                "stateHandle": "02state",
                "remediation": {"type": "array", "value": [{
                    "rel": ["create-form"], "name": x("unknown-step"), "href": "/idp/idx/unknown",
                    "method": "POST", "value": [{"name": "stateHandle", "required": true, "value": "02state"}],
                }]},
                "messages": {"type": "array", "value": [{
                    "message": x("Something happened"), "i18n": {"key": x("idx.something")}, "class": "ERROR",
                }]},
            })),
        ),
        _ => (
            404,
            json(serde_json::json!({"errorCode": x("E0000007"), "errorSummary": x("Not found")})),
        ),
    }
}

/// A loopback HTTP/1.1 server answering `script` to every request, one per connection.
fn serve(script: Script) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || handle(stream, script));
        }
    });
    url
}

fn handle(stream: TcpStream, script: Script) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let path = path.split('?').next().unwrap_or_default().to_owned();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (status, body) = answer(script, &method, &path, &String::from_utf8_lossy(&body));
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = reader.get_mut().write_all(response.as_bytes());
}

/// `text` without the CLI's own colour sequences (`ESC [ digits/semicolons m`).
fn without_colours(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\u{1b}[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[end..].starts_with('m') {
            rest = &after[end + 1..];
        } else {
            // Not a colour: keep it, for the check to find.
            out.push_str(&rest[start..start + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn assert_terminal_safe(what: &str, text: &str) {
    let text = without_colours(text);
    if let Some(bad) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!("{what} holds control character {bad:?}:\n{text:?}");
    }
}

fn run(args: &[&str], transcript: Option<&Path>) {
    let mut running = spawn(args, &[]);
    running.write_line("not-the-password");
    let done = running.finish();
    assert_ne!(done.code(), 0, "a hostile org cannot sign anyone in");
    assert_terminal_safe(&format!("stderr of {args:?}"), &done.stderr);
    assert_terminal_safe(&format!("stdout of {args:?}"), &done.stdout);
    assert!(!done.stderr.is_empty() || !done.stdout.is_empty());
    if let Some(path) = transcript {
        let text = std::fs::read_to_string(path).expect("a transcript was saved");
        assert_terminal_safe(&format!("transcript of {args:?}"), &text);
        // Something of every step is there, so the check above looked at the hostile parts.
        assert!(
            text.contains("/api/v1/authn") || text.contains("/oauth2/"),
            "{text}"
        );
    }
}

#[test]
fn doctor_shows_no_servers_escape_sequences() {
    let org = serve(Script::ClassicError);
    for output in [&[][..], &["--json"][..]] {
        let mut args = vec!["--color", "always", "doctor", "--org", &org];
        args.extend_from_slice(output);
        let mut running = spawn(&args, &[]);
        running.close_stdin();
        let done = running.finish();
        assert_terminal_safe(&format!("stderr of {args:?}"), &done.stderr);
        assert_terminal_safe(&format!("stdout of {args:?}"), &done.stdout);
        let shown = format!("{}{}", done.stdout, done.stderr);
        assert!(
            shown.contains("E0000004") && shown.contains("v1?"),
            "the checks that read the hostile fields ran: {shown}"
        );
    }
}

#[test]
fn signin_shows_no_servers_escape_sequences_in_any_field() {
    let dir = tempfile::tempdir().unwrap();
    for (name, script, extra) in [
        ("error", Script::ClassicError, &[][..]),
        ("status", Script::ClassicStatus, &[][..]),
        ("factors", Script::ClassicFactors, &[][..]),
        (
            "oauth",
            Script::IdxOAuthError,
            &["--client-id", "0oaDesk"][..],
        ),
        (
            "remediation",
            Script::IdxRemediation,
            &["--client-id", "0oaDesk"][..],
        ),
    ] {
        let org = serve(script);
        let transcript = dir.path().join(format!("{name}.txt"));
        let transcript_arg = transcript.to_str().unwrap().to_owned();
        for output in [&[][..], &["--json"][..]] {
            let mut args = vec![
                "--color",
                "always",
                "signin",
                "--org",
                &org,
                "--user",
                "ada@acme.com",
                "--password-stdin",
                "--transcript",
                &transcript_arg,
            ];
            args.extend_from_slice(extra);
            args.extend_from_slice(output);
            run(&args, Some(&transcript));
        }
    }
}
