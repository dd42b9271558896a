//! What `/healthz` reports, shared between the Discord front end and the HTTP listener.

use std::sync::atomic::AtomicBool;

#[derive(Default)]
pub struct Health {
    pub gateway_connected: AtomicBool,
}
