//! What every request handler shares: the org, the queue of injected faults, the rate
//! limiter, and the CA that `GET /_demo` shows. The server builds it; the routes read it.

use crate::faults::Faults;
use crate::rate_limit::RateLimiter;
use crate::state::Org;

pub(crate) struct App {
    pub org: Org,
    pub faults: Faults,
    pub limiter: RateLimiter,
    /// The CA to trust when serving HTTPS, shown by `GET /_demo`.
    pub ca_pem: Option<String>,
}

impl App {
    pub(crate) fn reset(&self) {
        self.org.reset();
        self.faults.clear();
        self.limiter.clear();
    }
}
