//! Any bytes an org (or something pretending to be one) sends as a transaction: parsing must
//! fail cleanly, and a parsed transaction must print without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oktadesk_core::wire::Transaction;

fuzz_target!(|data: &[u8]| {
    if let Ok(transaction) = serde_json::from_slice::<Transaction>(data) {
        let _ = format!("{transaction:?}");
        let _ = transaction.embedded.factor_list();
    }
});
