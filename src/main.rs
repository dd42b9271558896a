//! The `faqbot` binary: the terminal front end. Parses the command line, calls into the
//! library and turns what comes back into output and an exit code.

mod cli;

/// jemalloc, set to give freed memory back within a tenth of a second: why, and the
/// figures, in `faqbot::ops::memory`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc reads its settings from this symbol (`const char *malloc_conf`, prefixed as
/// tikv-jemalloc-sys builds it) at its first allocation.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: CStrPtr = CStrPtr(faqbot::ops::memory::JEMALLOC_CONF.as_ptr());

/// A pointer to a C string, laid out as C's `const char *`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[repr(transparent)]
pub struct CStrPtr(*const std::ffi::c_char);

// SAFETY: it only ever points at a `'static` string that nothing writes to.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe impl Sync for CStrPtr {}

fn main() -> std::process::ExitCode {
    cli::main()
}
