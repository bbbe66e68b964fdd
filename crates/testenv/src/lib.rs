//! Real desktop services for tests, isolated from the user session.
