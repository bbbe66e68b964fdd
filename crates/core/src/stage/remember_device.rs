//! "Remember this device", as a verification stage offers it.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The org's MFA policy lets this device be remembered: after this verification, sign-ins
/// from this computer skip MFA for `lifetime_minutes` (Okta's `allowRememberDevice` and
/// `rememberDeviceLifetimeInMinutes`). `checked` is what the flow will ask Okta for now:
/// the person's choice ([`FlowHandle::remember_device`](crate::FlowHandle::remember_device)),
/// or the policy's default until they make one.
///
/// On Identity Engine the offer is Okta's "Keep me signed in", whose lifetime Okta does not
/// say: `lifetime_minutes` is `None` there.
///
/// Serialised as `{lifetimeMinutes, checked, lifetime}`, `lifetime` being
/// [`lifetime_words`](Self::lifetime_words), so every face words it the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RememberDeviceOffer {
    pub lifetime_minutes: Option<u64>,
    pub checked: bool,
}

impl RememberDeviceOffer {
    /// "for 1 day", "for 12 hours", "for 30 minutes": how long, in words, or `None` when
    /// Okta did not say.
    pub fn lifetime_words(&self) -> Option<String> {
        let minutes = self.lifetime_minutes.filter(|m| *m > 0)?;
        let (count, unit) = if minutes % (24 * 60) == 0 {
            (minutes / (24 * 60), "day")
        } else if minutes % 60 == 0 {
            (minutes / 60, "hour")
        } else {
            (minutes, "minute")
        };
        let plural = if count == 1 { "" } else { "s" };
        Some(format!("for {count} {unit}{plural}"))
    }
}

impl Serialize for RememberDeviceOffer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut offer = serializer.serialize_struct("RememberDeviceOffer", 3)?;
        offer.serialize_field("lifetimeMinutes", &self.lifetime_minutes)?;
        offer.serialize_field("checked", &self.checked)?;
        offer.serialize_field("lifetime", &self.lifetime_words())?;
        offer.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(minutes: Option<u64>) -> Option<String> {
        RememberDeviceOffer {
            lifetime_minutes: minutes,
            checked: false,
        }
        .lifetime_words()
    }

    #[test]
    fn the_offer_serialises_with_its_lifetime_in_words() {
        let offer = RememberDeviceOffer {
            lifetime_minutes: Some(1440),
            checked: true,
        };
        assert_eq!(
            serde_json::to_string(&offer).unwrap(),
            r#"{"lifetimeMinutes":1440,"checked":true,"lifetime":"for 1 day"}"#
        );
    }

    #[test]
    fn the_lifetime_reads_in_the_largest_whole_unit() {
        assert_eq!(words(Some(1440)).as_deref(), Some("for 1 day"));
        assert_eq!(words(Some(43200)).as_deref(), Some("for 30 days"));
        assert_eq!(words(Some(720)).as_deref(), Some("for 12 hours"));
        assert_eq!(words(Some(90)).as_deref(), Some("for 90 minutes"));
        assert_eq!(words(Some(0)), None);
        assert_eq!(words(None), None);
    }
}
