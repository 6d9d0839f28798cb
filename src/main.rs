//! The `perfusion-trainer` binary: with no subcommand it opens the app, otherwise it runs a CLI command.

use clap::Parser;
use perfusion_trainer::cli::{self, Args};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        None => perfusion_trainer::ui::run(args.catalog.as_deref(), None),
        Some(command) => cli::run(args.catalog.as_deref(), command),
    }
}
