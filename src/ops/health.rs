//! What `/healthz` reports, shared between the Discord front end and the HTTP listener.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default)]
pub struct Health {
    gateway_connected: AtomicBool,
}

impl Health {
    /// The one place the gateway's state is recorded (ready, resumed, stage changes,
    /// the client stopping).
    pub fn set_gateway_connected(&self, connected: bool) {
        self.gateway_connected.store(connected, Ordering::Relaxed);
    }

    pub fn gateway_connected(&self) -> bool {
        self.gateway_connected.load(Ordering::Relaxed)
    }
}
