//! Giving freed memory back to the system.
//!
//! glibc's malloc keeps what a process freed in its arenas for reuse; after a reload
//! from 100,000 FAQs back to 20, or a burst of interactions, hundreds of MiB stayed
//! resident for good (it levelled off across reloads: retention, not a leak). A
//! container's memory limit counts that. `malloc_trim(0)` returns the free pages of
//! every arena (not only the top of the heap); it costs a walk over the free lists,
//! milliseconds, so it runs on a blocking thread: after a reload, and from
//! [`startup`](crate::startup) at the first quiet moment after work that freed memory
//! (a burst of interactions, a reload, the start itself) and every few minutes.
//!
//! Why glibc's malloc and not jemalloc or mimalloc: measured with the `discord_load`
//! bench (README, "Abuse and load"), a 2,000-interaction burst with glibc trimmed at
//! the first quiet moment peaked at 56–59 MiB and was at 32–34 MiB a minute later;
//! jemalloc 5.3 (background purging, 1 s decay) 64.0 and 36.7 MiB; mimalloc 2.0 75.9
//! and 40.5 MiB.

use std::sync::atomic::{AtomicBool, Ordering};

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
/// each keeps its own free memory). Only as many threads as cores run at once, so more
/// arenas buy little but fragmentation: with two on the 2-core machine a 2,000-event
/// burst peaked at 54.1 MiB instead of 58.6 MiB. Call before any thread starts.
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
