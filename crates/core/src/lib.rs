//! Okta Authentication API client and the sign-in flow engine.
