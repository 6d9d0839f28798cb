//! The `perfusion-trainer` binary: with no subcommand it opens the app, otherwise it runs a CLI command.

use clap::Parser;
use perfusion_trainer::cli::{self, Args};
use perfusion_trainer::ui::Start;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = Args::parse();
    let catalog = args.catalog.as_deref();
    match args.command {
        None => perfusion_trainer::ui::run(catalog, None, false),
        Some(cli::Command::Open { scenario, circuit, no_faults }) => {
            // The scenario (and circuit) are checked first, so a broken file says why on the terminal.
            match cli::open_target(catalog, &scenario, circuit.as_deref()) {
                // With a circuit, straight to the workbench; without, the briefing first.
                Ok((loaded, circuit_loaded)) => {
                    let start = match circuit {
                        Some(_) => Start::Workbench(Box::new((loaded, circuit_loaded))),
                        None => Start::Briefing(scenario),
                    };
                    perfusion_trainer::ui::run(catalog, Some(start), no_faults)
                }
                Err(code) => code,
            }
        }
        Some(command) => cli::run(catalog, command),
    }
}
