//! Giving freed memory back to the system.
//!
//! glibc's malloc keeps what a process freed in its arenas for reuse; after a reload
//! from 100,000 FAQs back to 20, or a burst of interactions, hundreds of MiB stayed
//! resident for good (it levelled off across reloads: retention, not a leak). A
//! container's memory limit counts that. `malloc_trim(0)` returns the free pages of
//! every arena (not only the top of the heap); it costs a walk over the free lists,
//! milliseconds, so it runs after a reload (on the reload's blocking thread) and, from
//! [`startup`](crate::startup), every few minutes on the blocking pool. Keeping glibc's
//! malloc (rather than jemalloc or mimalloc) keeps the build lean and the allocator
//! the one everything was measured with.

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
