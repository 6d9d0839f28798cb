//! The `perfusion-trainer` binary: with no subcommand it opens the app, otherwise it runs a CLI command.

use clap::Parser;
use perfusion_trainer::cli::{self, Args};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::parse();
    let catalog = args.catalog.as_deref();
    match args.command {
        None => perfusion_trainer::ui::run(catalog, None),
        Some(cli::Command::Open { scenario, circuit }) => {
            match cli::open_target(catalog, &scenario, circuit.as_deref()) {
                Ok(start) => perfusion_trainer::ui::run(catalog, Some(start)),
                Err(code) => code,
            }
        }
        Some(command) => cli::run(catalog, command),
    }
}
