//! `GET /.well-known/okta-organization`: the org's id, its engine (`pipeline`) and the
//! addresses it answers at. Public, unauthenticated, and the same on every Okta org.
//!
//! Shaped from Okta's Org API reference (`WellKnownOrgMetadata`): every field is optional
//! there, so a missing one is kept as `None` rather than failing the whole answer.

use serde::Deserialize;

/// The path of the well-known document, from the org's root.
pub const OKTA_ORGANIZATION_PATH: &str = "/.well-known/okta-organization";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OktaOrganization {
    /// The org's id (`00o…`).
    #[serde(default)]
    pub id: Option<String>,
    /// `v1` (Classic Engine) or `idx` (Identity Engine), kept as sent.
    #[serde(default)]
    pub pipeline: Option<String>,
    #[serde(default)]
    pub settings: OrganizationSettings,
    #[serde(default, rename = "_links")]
    pub links: OrganizationLinks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationSettings {
    #[serde(default)]
    pub analytics_collection_enabled: Option<bool>,
    #[serde(default)]
    pub bug_reporting_enabled: Option<bool>,
    /// Whether the legacy Okta Mobile app is enabled for the org.
    #[serde(default)]
    pub om_enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationLinks {
    /// The org's Okta domain (`https://acme.okta.com`).
    #[serde(default)]
    pub organization: Option<Href>,
    /// The org's custom domain, when it has one (`https://login.acme.com`).
    #[serde(default)]
    pub alternate: Option<Href>,
}

/// A plain link. Unlike a transaction's [`Link`](super::Link), these carry no token, so the
/// address may be shown.
#[derive(Debug, Clone, Deserialize)]
pub struct Href {
    pub href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape_and_tolerates_missing_fields() {
        let full: OktaOrganization = serde_json::from_str(
            r#"{"id":"00o1abcdEFGH2345ij67","pipeline":"idx",
                "_links":{"organization":{"href":"https://acme.okta.com"},
                          "alternate":{"href":"https://login.acme.com"}},
                "settings":{"analyticsCollectionEnabled":false,"bugReportingEnabled":true,"omEnabled":false},
                "somethingNew":{}}"#,
        )
        .unwrap();
        assert_eq!(full.pipeline.as_deref(), Some("idx"));
        assert_eq!(full.id.as_deref(), Some("00o1abcdEFGH2345ij67"));
        assert_eq!(
            full.links.organization.unwrap().href,
            "https://acme.okta.com"
        );
        assert_eq!(full.links.alternate.unwrap().href, "https://login.acme.com");
        assert_eq!(full.settings.bug_reporting_enabled, Some(true));

        let bare: OktaOrganization = serde_json::from_str("{}").unwrap();
        assert!(bare.pipeline.is_none() && bare.links.organization.is_none());
    }
}
