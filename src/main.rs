//! The `faqbot` binary: the terminal front end. Parses the command line, calls into the
//! library and turns what comes back into output and an exit code.

mod cli;

/// jemalloc, set to give freed memory back within a tenth of a second: why, and the
/// figures, in `faqbot::ops::memory`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc reads its settings from this symbol at its first allocation (a C string).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &u8 = &faqbot::ops::memory::JEMALLOC_CONF[0];

fn main() -> std::process::ExitCode {
    cli::main()
}
