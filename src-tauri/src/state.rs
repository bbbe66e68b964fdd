//! What the commands share for the life of the app.

use crate::demo::DemoOrg;

#[derive(Debug, Default)]
pub struct AppState {
    demo: Option<DemoOrg>,
}

impl AppState {
    pub fn new(demo: Option<DemoOrg>) -> Self {
        Self { demo }
    }

    pub fn demo(&self) -> Option<&DemoOrg> {
        self.demo.as_ref()
    }
}
