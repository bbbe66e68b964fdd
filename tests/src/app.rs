//! A running OktaDesk window under WebDriver.

use std::path::PathBuf;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use oktadesk_testenv::READY_TIMEOUT;

use crate::error::{HarnessError, Result};
use crate::screenshot::{self, ImageStats};

pub struct App {
    client: Client,
}

impl App {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// The raw WebDriver client, for what the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits for the element matching `css` to exist; screens render asynchronously.
    pub async fn find(&self, css: &str) -> Result<Element> {
        Ok(self
            .client
            .wait()
            .at_most(READY_TIMEOUT)
            .for_element(Locator::Css(css))
            .await?)
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// The current value of an input (what the person sees, not the HTML attribute).
    pub async fn value(&self, css: &str) -> Result<String> {
        Ok(self
            .find(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    pub async fn attribute(&self, css: &str, name: &str) -> Result<Option<String>> {
        Ok(self.find(css).await?.attr(name).await?)
    }

    /// Types `text` into the element, as keystrokes.
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        Ok(self.find(css).await?.send_keys(text).await?)
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        Ok(self.find(css).await?.click().await?)
    }

    /// Saves the window as `target/e2e-screenshots/<name>.png` and fails if it looks blank.
    pub async fn screenshot(&self, name: &str) -> Result<(PathBuf, ImageStats)> {
        let png = screenshot::capture(&self.client).await?;
        let path = screenshot::save(name, &png)?;
        let stats = screenshot::stats(&png)?;
        if let Err(reason) = stats.check_not_blank() {
            return Err(HarnessError::BlankScreenshot { path, reason });
        }
        Ok((path, stats))
    }

    /// Ends the WebDriver session, which closes the app.
    pub async fn close(self) -> Result<()> {
        Ok(self.client.close().await?)
    }
}
