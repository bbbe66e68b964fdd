//! Runs a demo org in Identity Engine mode on loopback and prints its URL, for checking
//! third-party IDX clients against it by hand (`compat/okta-auth-js/` starts its own through
//! `oktadesk-cli demo-org --engine idx`). Stops on Ctrl-C or SIGTERM.
//!
//! `cargo run -p oktadesk-demo-org --example identity_engine`

use oktadesk_demo_org::{DemoEngine, DemoOrg, DemoOrgConfig};

#[tokio::main]
async fn main() -> Result<(), oktadesk_demo_org::DemoOrgError> {
    let org = DemoOrg::start(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    })
    .await?;
    println!("{}", org.base_url().as_str().trim_end_matches('/'));
    let _ = tokio::signal::ctrl_c().await;
    org.shutdown().await;
    Ok(())
}
