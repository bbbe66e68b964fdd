//! `oktadesk-cli demo-org` as scripts use it: the URL on the first line, serving until
//! SIGTERM.

// Stopped with SIGTERM through `kill`, as scripts stop it; Windows has no signals to send.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_oktadesk-cli"))
        .arg("demo-org")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts")
}

/// The first stdout line, waiting as long as the process takes to print it.
fn first_line(child: &mut Child) -> String {
    let stdout = child.stdout.take().expect("stdout piped");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the CLI printed its URL")
}

fn http_get(base: &str, path: &str) -> String {
    let authority = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).expect("the org accepts connections");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn prints_the_base_url_first_and_stops_on_sigterm() {
    let mut child = spawn(&["--host", "127.0.0.1", "--port", "0", "--auto-approve", "2s"]);
    let line = first_line(&mut child);
    let base = line.trim_end();
    assert!(base.starts_with("http://127.0.0.1:"), "{line:?}");
    assert!(!base.ends_with('/'));
    let response = http_get(base, "/_demo/stats");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("the CLI exits");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let child = spawn(&["--port", &port]);
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not listen on 127.0.0.1:"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_durations_are_rejected_by_the_parser() {
    let output = spawn(&["--auto-approve", "soon"])
        .wait_with_output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--auto-approve"));
}

/// The first `count` stdout lines, waiting as long as the process takes to print them.
fn first_lines(child: &mut Child, count: usize) -> Vec<String> {
    let stdout = child.stdout.take().expect("stdout piped");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let lines = BufReader::new(stdout)
            .lines()
            .take(count)
            .map_while(Result::ok)
            .collect::<Vec<_>>();
        let _ = sender.send(lines);
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .expect("the CLI printed its lines")
}

fn signin(base: &str, extra: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oktadesk-cli"))
        .args([
            "signin",
            "--org",
            base,
            "--user",
            "nomfa@demo.test",
            "--password-stdin",
            "--json",
        ])
        .args(extra)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    writeln!(
        child.stdin.take().unwrap(),
        "{}",
        oktadesk_demo_org::DEMO_PASSWORD
    )
    .unwrap();
    child.wait_with_output().unwrap()
}

fn result_of(output: &std::process::Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

#[test]
fn tls_serves_https_and_signin_trusts_it_only_with_ca_file() {
    let mut child = spawn(&["--tls"]);
    let lines = first_lines(&mut child, 2);
    let [base, ca_file] = lines.as_slice() else {
        panic!("expected the URL and the CA file: {lines:?}");
    };
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let pem = std::fs::read_to_string(ca_file).expect("the CA file is there");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");

    let refused = signin(base, &[]);
    assert_eq!(refused.status.code(), Some(5), "{refused:?}");
    let result = result_of(&refused);
    assert_eq!(result["kind"], "tls", "{result}");
    let message = result["message"].as_str().unwrap();
    assert!(
        message.contains("could not be verified") && message.contains("root certificate"),
        "the message names the problem and the fix: {message}"
    );

    let trusted = signin(base, &["--ca-file", ca_file]);
    assert_eq!(trusted.status.code(), Some(0), "{trusted:?}");
    assert_eq!(result_of(&trusted)["result"], "success");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    assert!(child.wait().expect("the CLI exits").success());
    assert!(
        !std::path::Path::new(ca_file).exists(),
        "the CA of a stopped org is removed"
    );
}
