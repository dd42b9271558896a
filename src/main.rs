//! The `faqbot` binary: the terminal front end. Parses the command line, calls into the
//! library and turns what comes back into output and an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
