//! The pieces every Okta document is built from: timestamps as Okta writes them, and the
//! HAL `_links` (a link, its hints, one or many per relation).

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;
use time::macros::format_description;

/// A timestamp rendered the way Okta does: `2015-11-03T10:15:57.000Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timestamp(pub OffsetDateTime);

impl Timestamp {
    pub(crate) fn to_iso(self) -> String {
        let format = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        );
        self.0
            .to_offset(time::UtcOffset::UTC)
            .format(&format)
            .unwrap_or_default()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso())
    }
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Hints {
    pub allow: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Link {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub href: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub media_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hints: Option<Hints>,
}

impl Link {
    pub(crate) fn post(href: String) -> Self {
        Self {
            name: None,
            href,
            media_type: None,
            hints: Some(Hints {
                allow: vec!["POST"],
            }),
        }
    }

    pub(crate) fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    pub(crate) fn allowing(mut self, allow: Vec<&'static str>) -> Self {
        self.hints = Some(Hints { allow });
        self
    }
}

/// A `_links` entry: most relations hold one link, `send` and `resend` hold a list.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Relation {
    One(Link),
    Many(Vec<Link>),
}

pub(crate) type Links = BTreeMap<&'static str, Relation>;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_have_milliseconds_and_z() {
        let ts = Timestamp(datetime!(2015-11-03 10:15:57.5 UTC));
        assert_eq!(ts.to_iso(), "2015-11-03T10:15:57.500Z");
    }
}
