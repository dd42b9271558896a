//! Giving freed memory back to the system.
//!
//! glibc's malloc keeps what a process freed in its arenas for reuse; after a reload
//! from 100,000 FAQs back to 20, or a burst of interactions, hundreds of MiB stayed
//! resident for good (it levelled off across reloads: retention, not a leak), and with
//! trims (below) still 94 MiB after such a reload: pages pinned by small blocks. A
//! container's memory limit counts that.
//!
//! So the binary allocates with jemalloc ([`JEMALLOC_CONF`]), which hands freed pages
//! back by itself within a tenth of a second, from a background thread. glibc's malloc
//! still serves the C code (SQLite), and the library's own users (its tests) keep
//! the system allocator: for those, `malloc_trim(0)` returns the free pages of every
//! glibc arena; it costs a walk over the free lists, milliseconds, so it runs on a
//! blocking thread, after a reload and from [`startup`](crate::startup) at the first
//! quiet moment after work that freed memory, and every few minutes. Measured
//! with the `discord_load` bench (README, "Abuse and load"), a burst of 2,000
//! interactions from 2,000 users, same session and build otherwise, peak RSS and RSS a
//! minute later: glibc with these trims, and one more once the idle reply connections
//! had closed, 29.3–42.6 and 21.0–21.6 MiB (3,500–5,100 interactions/s); jemalloc with
//! these settings 25.7–31.5 and 19.4–20.4 MiB (3,100–6,400/s). After a reload from
//! 100,000 FAQs back to 20 (`reload_load`): 93.7 MiB with glibc, 25.7 with jemalloc.
//! Tried on the way, preloaded: jemalloc with per-thread caches and two arenas, freed
//! pages kept 0–1 s (27.4–38.3 and 23.7–25.7 MiB: the caches keep freed blocks
//! resident); jemalloc purging at once, no caches (26.4–37.9 and 20.5–21.4 MiB, but
//! 2,100–3,400/s: every free paid for the purge); mimalloc 2.0 purging at once
//! (29.9–31.8 and 24.1–24.3 MiB). Before the interactions were held compactly
//! (`discord::handler::arrival`), jemalloc with a one-second decay had been measured
//! worse than glibc (peak 64.0 vs 56–59 MiB).

use std::sync::atomic::{AtomicBool, Ordering};

/// The binary's jemalloc settings (`main.rs`).
/// - one arena and no per-thread caches: what a thread frees is not kept aside for
///   that thread, and two cores gain little from more arenas;
/// - freed pages handed back after 100 ms (`dirty_decay_ms`), by jemalloc's
///   background thread rather than by the thread that frees, and at once rather than
///   kept as "muzzy" pages the kernel may take back later (`muzzy_decay_ms:0`).
pub const JEMALLOC_CONF: &std::ffi::CStr =
    c"narenas:1,tcache:false,dirty_decay_ms:100,muzzy_decay_ms:0,background_thread:true";

/// Memory was (or is about to be) freed and not yet handed back.
static PENDING: AtomicBool = AtomicBool::new(true);

/// Hands the heap's free pages back to the system, where the allocator supports it
/// (Linux with glibc); elsewhere nothing. Blocking for a few milliseconds: not on an
/// async worker.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks and trims the allocator's own free lists; it is
    // thread-safe (it takes each arena's lock) and has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps glibc's malloc arenas at one per core (its default is eight per core: every
/// thread that allocates while another holds an arena's lock gets a new arena, and
/// each keeps its own free memory). Only as many threads as cores run at the same
/// moment, so more arenas buy little but fragmentation: with two on the 2-core machine a 2,000-event
/// burst peaked at 54.1 MiB instead of 58.6 MiB, when all of it went through glibc (now
/// only the C code's allocations do). Call before any thread starts.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        // SAFETY: mallopt only sets a tunable of the allocator; M_ARENA_MAX takes any
        // positive count.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores.min(64) as libc::c_int);
        }
    }
}

/// Asks for [`release_freed`] at the next quiet moment: work under way will free
/// memory when it ends (events in flight, an old snapshot a question still holds).
pub fn release_soon() {
    PENDING.store(true, Ordering::Relaxed);
}

/// Whether a release was asked for since the last call (and clears the request).
pub fn take_release_request() -> bool {
    PENDING.swap(false, Ordering::Relaxed)
}
