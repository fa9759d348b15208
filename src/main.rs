//! The `kaohe` binary: everything lives in the kaohe-cli crate.
fn main() -> std::process::ExitCode {
    kaohe_cli::main()
}
