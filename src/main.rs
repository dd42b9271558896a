fn main() -> std::process::ExitCode {
    faqbot::cli::main()
}
