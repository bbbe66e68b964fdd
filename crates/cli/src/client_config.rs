//! The sign-in's HTTP client configuration from the command line, for `signin` and `doctor`
//! alike, so both trust exactly the same certificates.

use std::path::Path;

use oktadesk_core::ClientConfig;

use crate::exit::CliError;

/// The default configuration plus the `--ca-file`, if any. What is in the file is for the
/// core to judge (it repairs pasted PEM and says what is wrong).
pub(crate) fn with_ca_file(ca_file: Option<&Path>) -> Result<ClientConfig, CliError> {
    let extra_ca_pem = ca_file
        .map(|path| {
            std::fs::read(path).map_err(|error| {
                CliError::usage(format!(
                    "The CA file {} could not be read ({error}). Give the path of a PEM file.",
                    path.display()
                ))
            })
        })
        .transpose()?;
    Ok(ClientConfig {
        extra_ca_pem,
        ..ClientConfig::default()
    })
}
