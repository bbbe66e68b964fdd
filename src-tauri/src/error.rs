//! The app's one error type, as the UI receives it: `{ "kind": "...", "message": "..." }`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::models::OrgUrlError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    InvalidOrgUrl(#[from] OrgUrlError),
}

impl Error {
    /// A stable, machine-readable name the UI can branch on; the message is for people.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidOrgUrl(_) => "invalid_org_url",
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut error = serializer.serialize_struct("Error", 2)?;
        error.serialize_field("kind", self.kind())?;
        error.serialize_field("message", &self.to_string())?;
        error.end()
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_message() {
        let error = Error::from(OrgUrlError::Empty);
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(json["kind"], "invalid_org_url");
        assert_eq!(json["message"], OrgUrlError::Empty.to_string());
        assert_eq!(json.as_object().unwrap().len(), 2);
    }
}
