//! The checks that talk to the org through the sign-in's own client (`OktaClient`), so they
//! meet the same trust, proxy, redirect rule and user agent a sign-in does: the TLS handshake,
//! the Authentication API, and the engine the org runs.

use std::net::SocketAddr;

use oktadesk_core::{Engine, EngineReport, Error, OktaClient, OrgUrl, ProbeReport};

use crate::engine::IDENTITY_ENGINE_NOTE;

use super::certificates::{date, explain, summarise_chain};
use super::report::{Check, CheckName, Report, Status};

/// Renew-soon warning for the org's certificate.
const CERT_WARN_DAYS: i64 = 14;

/// Shakes hands with the org at `address` and reports the chain it showed.
pub(super) async fn tls_check(
    report: &mut Report,
    client: Result<&OktaClient, &Error>,
    org: &OrgUrl,
    address: SocketAddr,
) {
    let host = org.host().trim_start_matches('[').trim_end_matches(']');
    let inspection = match client {
        Ok(client) => client.inspect_tls(org, address).await,
        Err(error) => Err(error.clone()),
    };
    let inspection = match inspection {
        Ok(inspection) => inspection,
        Err(error) => {
            report.add(
                Check::new(CheckName::Tls, Status::Fail, cause(&error))
                    .advice("Check the --ca-file you gave, or try again."),
            );
            return;
        }
    };
    let summaries = summarise_chain(&inspection.chain);
    let chain = summaries
        .iter()
        .map(|c| format!("{} (issued by {})", c.subject, c.issuer))
        .collect::<Vec<_>>()
        .join(" ← ");
    if let Some(refusal) = &inspection.refusal {
        let problem = explain(refusal, host, &summaries);
        report.add(
            Check::new(CheckName::Tls, Status::Fail, format!("{problem}; chain: {}", if chain.is_empty() { "none received".into() } else { chain }))
                .advice("If your company inspects TLS traffic, pass its root certificate with --ca-file (PEM); otherwise the org URL may be wrong or someone is intercepting the connection."),
        );
        return;
    }
    let Some(leaf) = summaries.first() else {
        report.add(
            Check::new(CheckName::Tls, Status::Fail, "no certificate was received")
                .advice("Check the org URL."),
        );
        return;
    };
    let days_left = (leaf.not_after - time::OffsetDateTime::now_utc()).whole_days();
    let signer = summaries
        .last()
        .map(|c| c.issuer.clone())
        .unwrap_or_default();
    let detail = format!(
        "{} verified, signed by {signer}, valid until {} ({days_left} days){}",
        inspection.protocol.as_deref().unwrap_or("TLS"),
        date(leaf.not_after),
        if chain.is_empty() {
            String::new()
        } else {
            format!("; chain: {chain}")
        }
    );
    if days_left < CERT_WARN_DAYS {
        report.add(Check::new(CheckName::Tls, Status::Warn, detail).advice(
            "The certificate expires soon: sign-in stops working when it does. Tell your Okta administrator.",
        ));
    } else {
        report.add(Check::new(CheckName::Tls, Status::Pass, detail));
    }
}

/// The request a sign-in starts with, sent empty: does the org answer like Okta? Returns the
/// answer, if one came, for the clock check.
pub(super) async fn api_check(
    report: &mut Report,
    client: Result<&OktaClient, &Error>,
    org: &OrgUrl,
) -> Option<ProbeReport> {
    let client = match client {
        Ok(client) => client,
        Err(error) => {
            report.add(
                Check::new(CheckName::AuthnApi, Status::Fail, error.to_string())
                    .advice("Check the --ca-file and the proxy settings."),
            );
            return None;
        }
    };
    let answer = match client.probe(org).await {
        Ok(answer) => answer,
        Err(error) => {
            report.add(
                Check::new(CheckName::AuthnApi, Status::Fail, format!("no answer from {} ({})", org.host(), cause(&error)))
                    .advice("Check the network and proxy settings; the checks above say where the connection stops."),
            );
            return None;
        }
    };
    let request = ProbeReport::REQUEST;
    let status = answer.http_status;
    report.add(match &answer.okta_error_code {
        Some(code) if matches!(status, 400 | 401 | 403 | 429) => Check::new(
            CheckName::AuthnApi,
            Status::Pass,
            format!("{request} answered HTTP {status} {code}, as Okta does to an empty sign-in"),
        ),
        Some(code) => Check::new(CheckName::AuthnApi, Status::Fail, format!("{request} answered HTTP {status} {code}"))
            .advice("The org answers, but not as the Authentication API should. Check the org URL; if it is right, Okta may be having problems."),
        None => Check::new(
            CheckName::AuthnApi,
            Status::Fail,
            format!(
                "{request} answered HTTP {status} with {}, not an Okta answer",
                answer.content_type.as_deref().unwrap_or("no content type")
            ),
        )
        .advice("This address is not an Okta org (or a proxy answered instead). Use the address you sign in at, for example acme.okta.com."),
    });
    Some(answer)
}

/// Which engine the org runs (`GET /.well-known/okta-organization`). Never a failure: a
/// sign-in goes through `/api/v1/authn` on both engines. Identity Engine is a warning, since
/// there only the global session policy applies to that API.
pub(super) async fn engine_check(
    report: &mut Report,
    client: Result<&OktaClient, &Error>,
    org: &OrgUrl,
) {
    let Ok(client) = client else {
        report.add(Check::new(
            CheckName::Engine,
            Status::Skip,
            "skipped: no client to ask with",
        ));
        return;
    };
    let found = client.detect_engine(org).await;
    let request = EngineReport::REQUEST;
    let org_id = found
        .org_id
        .as_deref()
        .map(|id| format!(", org {id}"))
        .unwrap_or_default();
    report.add(match found.engine {
        Some(Engine::Classic) => Check::new(
            CheckName::Engine,
            Status::Pass,
            format!("{} (pipeline v1{org_id}), per {request}", Engine::Classic),
        ),
        Some(Engine::IdentityEngine) => Check::new(
            CheckName::Engine,
            Status::Warn,
            format!("{} (pipeline idx{org_id}), per {request}", Engine::IdentityEngine),
        )
        .advice(IDENTITY_ENGINE_NOTE),
        None => Check::new(
            CheckName::Engine,
            Status::Warn,
            format!(
                "could not tell: {}",
                found
                    .unknown_reason
                    .as_deref()
                    .unwrap_or("the org did not say")
            ),
        )
        .advice("Sign-in goes through /api/v1/authn either way; if the org is on Identity Engine, only its global session policy applies there."),
    });
}

/// Why a connection got no answer, in the words of the core's error, without the advice a
/// sign-in adds (the check gives its own).
fn cause(error: &Error) -> String {
    match error {
        Error::Network { detail, .. } => detail.clone(),
        Error::Tls { detail, .. } => format!("the certificate could not be verified: {detail}"),
        Error::Timeout { .. } => "it did not answer in time".to_owned(),
        other => other.to_string(),
    }
}
