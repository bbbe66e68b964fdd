//! HAL links: where Okta says each next step is.

use serde::{Deserialize, Deserializer};

use crate::secret::Secret;

/// A HAL link. `href` is absolute; `name` says what `next` does (`poll`, `activate`, ...).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// A [`Secret`], because some links carry a one-time token (the enrollment QR code's
    /// carries the activation token): `Debug` of a transaction must never print one.
    pub href: Secret,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub media_type: Option<String>,
    #[serde(default)]
    pub hints: Option<LinkHints>,
}

impl Link {
    pub fn is_named(&self, name: &str) -> bool {
        self.name.as_deref() == Some(name)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LinkHints {
    #[serde(default)]
    pub allow: Vec<String>,
}

pub(super) fn one_or_many<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Link>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(Link),
        Many(Vec<Link>),
        None(()),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(link) => vec![link],
        OneOrMany::Many(links) => links,
        OneOrMany::None(()) => Vec::new(),
    })
}
