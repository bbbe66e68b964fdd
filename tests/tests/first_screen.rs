//! The real window opens on the Add account screen, and it takes typing.

use std::time::{Duration, Instant};

use oktadesk_e2e::{Desktop, HarnessError, app_binary};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_account_screen_opens_and_takes_input() -> Result<(), HarnessError> {
    let desktop = Desktop::start()?;
    let app = desktop.launch(&[]).await?;

    assert_eq!(app.text("h1").await?, "Add account");
    assert_eq!(app.text("label[for=org-url]").await?, "Organization URL");
    assert_eq!(app.text("label[for=username]").await?, "Username");
    assert_eq!(app.value("#org-url").await?, "");
    assert_eq!(app.value("#username").await?, "");

    // The page names the desktop's UI font rather than asking WebKitGTK for `system-ui`,
    // which costs the first frame more (bench/NOTES.md).
    let font = app
        .client()
        .execute(
            "return [document.documentElement.style.getPropertyValue('--font-ui'), \
             getComputedStyle(document.body).fontFamily].join(' | ');",
            vec![],
        )
        .await?;
    let font = font.as_str().unwrap_or_default();
    assert!(
        font.starts_with('"') && !font.contains("system-ui"),
        "the page kept system-ui: {font}"
    );
    println!("UI font: {font}");

    app.type_into("#org-url", "acme.okta.com").await?;
    app.type_into("#username", "ada@acme.example").await?;
    assert_eq!(app.value("#org-url").await?, "acme.okta.com");
    assert_eq!(app.value("#username").await?, "ada@acme.example");

    // Leaving the org field asks the Rust side to check it; a good address shows no error.
    assert_eq!(app.text("#org-url-error").await?, "");
    assert_eq!(app.attribute("#org-url", "aria-invalid").await?, None);

    let (path, stats) = app.screenshot("add-account").await?;
    println!("saved {} ({stats:?})", path.display());

    app.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_org_url_is_explained_inline() -> Result<(), HarnessError> {
    let desktop = Desktop::start()?;
    let app = desktop.launch(&[]).await?;

    app.type_into("#org-url", "http://acme.okta.com").await?;
    app.type_into("#username", "ada@acme.example").await?;
    app.click("#add-account-continue").await?;

    let error = app
        .client()
        .wait()
        .for_element(oktadesk_e2e::Locator::Css("#org-url[aria-invalid=true]"))
        .await?;
    assert_eq!(error.attr("id").await?.as_deref(), Some("org-url"));
    let message = app.text("#org-url-error").await?;
    assert!(
        message.contains("https://"),
        "unexpected message: {message}"
    );
    // What was typed is still there.
    assert_eq!(app.value("#org-url").await?, "http://acme.okta.com");
    assert_eq!(app.value("#username").await?, "ada@acme.example");
    app.screenshot("add-account-invalid-org-url").await?;

    app.close().await?;
    Ok(())
}

/// The window stays on the app's own pages: script asking it to go elsewhere (as injected
/// script would) is refused, and the app keeps working.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_refuses_to_leave_the_app() -> Result<(), Box<dyn std::error::Error>> {
    // A page that would load if the window went there.
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = elsewhere.local_addr()?;
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        let page = "<h1>Elsewhere</h1>";
        for mut stream in elsewhere.incoming().take(8).flatten() {
            let _ = stream.read(&mut [0; 2048]);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    let desktop = Desktop::start()?;
    let app = desktop.launch(&[]).await?;
    assert_eq!(app.text("h1").await?, "Add account");
    let home = app.client().current_url().await?;

    app.client()
        .execute(
            &format!("window.location.href = 'http://{address}/'; return true;"),
            vec![],
        )
        .await?;
    // Proving that something does not happen takes a bounded wait: a navigation that was
    // let through starts within milliseconds.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(app.client().current_url().await?, home);
    assert_eq!(app.text("h1").await?, "Add account");
    app.type_into("#username", "ada@acme.example").await?;
    assert_eq!(app.value("#username").await?, "ada@acme.example");

    app.close().await?;
    Ok(())
}

/// Double-clicking the app while it runs brings the open window forward instead of starting
/// a second copy: the second launch hands over and exits, and one window remains.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_the_app_again_keeps_one_window() -> Result<(), HarnessError> {
    let desktop = Desktop::start()?;
    let app = desktop.launch(&[]).await?;
    assert_eq!(app.text("h1").await?, "Add account");
    app.type_into("#username", "ada@acme.example").await?;
    assert_eq!(desktop.windows_titled("OktaDesk")?.len(), 1);

    let mut second = std::process::Command::new(app_binary()?)
        .envs(desktop.env_vars().iter().cloned())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|source| HarnessError::Spawn {
            program: "oktadesk".into(),
            hint: "build it with `cargo xtask test`",
            source,
        })?;
    // A hang guard, not a speed expectation: the second copy exits once the first has its
    // arguments.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = second.try_wait().expect("the second copy can be waited on") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second copy kept running beside the first");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "the second copy failed: {status}");

    assert_eq!(desktop.windows_titled("OktaDesk")?.len(), 1);
    assert_eq!(
        app.value("#username").await?,
        "ada@acme.example",
        "the first window kept what was typed"
    );
    app.close().await?;
    Ok(())
}
