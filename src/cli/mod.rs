//! The command line: subcommands over the core. The only place that knows clap, JSON output and exit codes.
//!
//! Exit codes (docs/cli.md): 0 success; 1 the input was read and is invalid (`check`) or the circuit has a
//! critical finding (`validate`); 2 an input cannot be read or is invalid where it is needed, or the command
//! line is wrong.

mod catalog;
mod check;
mod grade;
mod output;
mod patient;
mod prime;
mod run;
mod simulate;
mod validate;

use crate::catalog::Catalog;
use crate::input::Diagnostics;
use crate::scenario::{self, Scenario};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "perfusion-trainer",
    version,
    about = "Perfusion Circuit Trainer: assemble, validate and run extracorporeal circuits on simulated patients.\n\nWith no command, opens the app on the bundled scenarios."
)]
pub struct Args {
    /// Use this component catalog instead of the bundled one.
    #[arg(long, global = true, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario, circuit and catalog files (told apart by their header); exit 1 if any is invalid.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Show the patient's derived values: BSA, blood volume, target flow, prime limits.
    Patient {
        /// A scenario file, or the id of a bundled scenario (adult_cabg, ...).
        scenario: String,
        #[arg(long)]
        json: bool,
    },
    /// Priming volume per part and in total, predicted haematocrit on bypass and blood to add.
    Prime {
        /// A scenario file, or the id of a bundled scenario.
        scenario: String,
        /// A circuit file.
        circuit: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Run the live model headless and print a trend sampled every second of model time (CSV with a header naming
    /// each column and its unit, or JSON): pressures, pump flows, reservoir volumes, saturations, DO2i and
    /// temperatures.
    Simulate {
        /// A scenario file, or the id of a bundled scenario.
        scenario: String,
        /// A circuit file (its pump speeds, clamps and settings are the run's).
        circuit: PathBuf,
        /// Minutes of model time to run.
        #[arg(long, value_parser = parse_minutes, allow_negative_numbers = true)]
        minutes: f64,
        /// A commands file (edits at model times: pump speed, clamps, gas, water, heights) or an actions file
        /// (docs/cli.md) to apply during the run.
        #[arg(long, value_name = "FILE")]
        commands: Option<PathBuf>,
        /// Write the CSV to this file instead of standard output.
        #[arg(long, value_name = "OUT", conflicts_with = "json")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Leave the scenario's faults out: rehearse the circuit as it should run.
        #[arg(long)]
        no_faults: bool,
    },
    /// Play a timed action script (docs/cli.md, "Actions files") as a trainee would, from a circuit file or an
    /// empty canvas, and write the attempt it makes: the app opens it, `grade` scores it, `report` renders it.
    Run {
        /// A scenario file, or the id of a bundled scenario.
        scenario: String,
        /// The circuit file the attempt starts from (an empty canvas when none is given: the script builds).
        circuit: Option<PathBuf>,
        /// The actions file (or a `simulate` commands file).
        #[arg(long, value_name = "FILE")]
        actions: PathBuf,
        /// The attempt file to write.
        #[arg(long, value_name = "ATTEMPT")]
        out: PathBuf,
        /// Minutes of the attempt's clock to go on for (default: until the last action).
        #[arg(long, value_parser = parse_minutes, allow_negative_numbers = true)]
        minutes: Option<f64>,
        /// The trainee's name written in the attempt.
        #[arg(long, default_value = "scripted")]
        trainee: String,
        /// Practice: the scenario's faults never fire; the attempt records it and `grade` remarks it.
        #[arg(long)]
        no_faults: bool,
    },
    /// Open the app on a scenario: its briefing first, or the workbench with a circuit file on the canvas if given.
    Open {
        /// A scenario file, or the id of a bundled scenario.
        scenario: String,
        /// A circuit file to start from.
        circuit: Option<PathBuf>,
        /// Practice: the scenario's faults never fire (the briefing's switch starts set); the attempt records it.
        #[arg(long)]
        no_faults: bool,
    },
    /// List every part and tubing size of the catalog: kind, ports (direction, bore), rated flow and prime
    /// (Markdown, as docs/catalog.md; or JSON).
    Catalog {
        #[arg(long)]
        json: bool,
    },
    /// Grade every attempt (.ron) in a folder, in parallel: one CSV row per file with the score and its
    /// components, or the file's error. Exit 1 if any file could not be graded.
    Grade {
        /// The folder of attempt files.
        dir: PathBuf,
        /// Write the CSV to this file instead of standard output.
        #[arg(long, value_name = "OUT")]
        csv: Option<PathBuf>,
        /// The instructor's scenarios, `<id>.ron` each: an attempt is graded against the one of its id (by default
        /// the bundled one) whatever copy it carries.
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
        /// Seconds one attempt may take to replay before it is reported as too long and left ungraded.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = parse_time_limit)]
        time_limit: f64,
    },
    /// Write an attempt's debrief report: one self-contained HTML file (circuit drawing, score, findings, trends
    /// and timeline, notes and grade), readable offline in any browser.
    Report {
        /// An attempt file.
        attempt: PathBuf,
        /// Write the HTML to this file instead of standard output.
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
    },
    /// Check a circuit for a scenario: every finding with why it matters and how to fix it. Exit 1 if any is
    /// critical.
    Validate {
        /// A scenario file, or the id of a bundled scenario.
        scenario: String,
        /// A circuit file.
        circuit: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// Exit code when the input was read and found invalid.
const EXIT_INVALID: u8 = 1;
/// Exit code when an input cannot be read or used.
const EXIT_UNREADABLE: u8 = 2;

pub fn run(catalog_path: Option<&Path>, command: Command) -> ExitCode {
    let catalog = match Catalog::load_or_bundled(catalog_path) {
        Ok(catalog) => catalog,
        Err(diagnostics) => {
            output::diagnostics(&diagnostics);
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let result = match command {
        Command::Check { files } => return check::run(&files, &catalog),
        Command::Catalog { json } => {
            catalog::run(&catalog, json);
            return ExitCode::SUCCESS;
        }
        Command::Grade { dir, csv, scenarios, time_limit } => {
            let limit = std::time::Duration::from_secs_f64(time_limit);
            return grade::run(&dir, csv.as_deref(), scenarios.as_deref(), limit, &catalog);
        }
        Command::Report { attempt, out } => crate::attempt::load(&attempt, &catalog).map(|loaded| {
            use crate::attempt::grade::{Instructor, against_instructor};
            let judged = match against_instructor(loaded, &catalog, Instructor::Bundled) {
                Ok(judged) => judged,
                Err(error) => {
                    output::error(&format!("perfusion-trainer: {}: {error}", attempt.display()));
                    return ExitCode::from(EXIT_INVALID);
                }
            };
            for remark in &judged.remarks {
                output::error(&format!("perfusion-trainer: {}: {remark}", attempt.display()));
            }
            let score = crate::attempt::score(&judged.attempt, &judged.scenario, &catalog);
            let html = crate::attempt::report::html(
                &judged.attempt,
                &judged.scenario,
                &judged.circuit,
                &catalog,
                &score,
                &judged.remarks,
            );
            match output::to_file_or_stdout(&html, out.as_deref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    output::error(&format!("perfusion-trainer: cannot write the report: {error}"));
                    ExitCode::from(EXIT_UNREADABLE)
                }
            }
        }),
        // The binary opens the app itself (`open_target`); the command line does not know the UI.
        Command::Open { .. } => return ExitCode::from(EXIT_UNREADABLE),
        Command::Patient { scenario, json } => load_scenario(&scenario, &catalog).map(|scenario| {
            patient::run(&scenario, json);
            ExitCode::SUCCESS
        }),
        Command::Prime { scenario, circuit, json } => load_scenario(&scenario, &catalog).and_then(|scenario| {
            let loaded = load_circuit_for(&circuit, &scenario, &catalog)?;
            prime::run(&scenario, &loaded.circuit, &circuit, &catalog, json);
            Ok(ExitCode::SUCCESS)
        }),
        Command::Simulate { scenario, circuit, minutes, commands, csv, json, no_faults } => {
            load_scenario(&scenario, &catalog).and_then(|mut scenario| {
                if no_faults {
                    scenario.faults.clear();
                }
                let loaded = load_circuit_for(&circuit, &scenario, &catalog)?;
                let commands = match commands {
                    Some(path) => crate::session::script::load(&path)?,
                    None => Vec::new(),
                };
                match simulate::trend(&scenario, &loaded.circuit, &catalog, &commands, minutes) {
                    Ok(trend) => match simulate::write(&trend, csv.as_deref(), json) {
                        Ok(()) => Ok(ExitCode::SUCCESS),
                        Err(error) => {
                            output::error(&format!("perfusion-trainer: cannot write the CSV: {error}"));
                            Ok(ExitCode::from(EXIT_UNREADABLE))
                        }
                    },
                    Err(error) => {
                        output::error(&format!("perfusion-trainer: {error}"));
                        Ok(ExitCode::from(EXIT_INVALID))
                    }
                }
            })
        }
        Command::Run { scenario, circuit, actions, out, minutes, trainee, no_faults } => {
            load_scenario(&scenario, &catalog).and_then(|scenario| {
                let circuit = match circuit {
                    Some(path) => load_circuit_for(&path, &scenario, &catalog)?.circuit,
                    None => crate::circuit::Circuit::new(),
                };
                let actions = crate::session::script::load(&actions)?;
                let practice = run::Practice { without_faults: no_faults };
                match run::attempt(&scenario, &circuit, &catalog, &actions, minutes, &trainee, practice) {
                    Ok(attempt) => match crate::attempt::save(&out, &attempt) {
                        Ok(()) => Ok(ExitCode::SUCCESS),
                        Err(error) => {
                            output::error(&format!("perfusion-trainer: cannot write {}: {error}", out.display()));
                            Ok(ExitCode::from(EXIT_UNREADABLE))
                        }
                    },
                    Err(error) => {
                        output::error(&format!("perfusion-trainer: {error}"));
                        Ok(ExitCode::from(EXIT_INVALID))
                    }
                }
            })
        }
        Command::Validate { scenario, circuit, json } => load_scenario(&scenario, &catalog).and_then(|scenario| {
            let loaded = load_circuit_for(&circuit, &scenario, &catalog)?;
            let critical = validate::run(&scenario, &loaded.circuit, &catalog, json);
            Ok(if critical { ExitCode::from(EXIT_INVALID) } else { ExitCode::SUCCESS })
        }),
    };
    match result {
        Ok(code) => code,
        Err(diagnostics) => {
            output::diagnostics(&diagnostics);
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

/// What `open` starts the app on: the scenario and the circuit to begin from (empty without a file), or the exit
/// code after the diagnostics are printed.
pub fn open_target(
    catalog_path: Option<&Path>,
    scenario: &str,
    circuit: Option<&Path>,
) -> Result<(Scenario, crate::circuit::Circuit), ExitCode> {
    let catalog = Catalog::load_or_bundled(catalog_path).map_err(|diagnostics| {
        output::diagnostics(&diagnostics);
        ExitCode::from(EXIT_UNREADABLE)
    })?;
    let opened = load_scenario(scenario, &catalog).and_then(|scenario| {
        let circuit = match circuit {
            Some(path) => load_circuit_for(path, &scenario, &catalog)?.circuit,
            None => crate::circuit::Circuit::new(),
        };
        Ok((scenario, circuit))
    });
    opened.map_err(|diagnostics| {
        output::diagnostics(&diagnostics);
        ExitCode::from(EXIT_UNREADABLE)
    })
}

/// A circuit file, with a note on standard error when it names another scenario than the one given.
fn load_circuit_for(
    path: &Path,
    scenario: &Scenario,
    catalog: &Catalog,
) -> Result<crate::circuit::file::LoadedCircuit, Diagnostics> {
    let loaded = crate::circuit::file::load(path, catalog)?;
    if let Some(built_for) = loaded.scenario.as_deref().filter(|id| *id != scenario.id) {
        output::error(&format!(
            "note: {} was built for scenario \"{built_for}\", not \"{}\"",
            path.display(),
            scenario.id
        ));
    }
    Ok(loaded)
}

/// A scenario from a file, or a bundled one by id when no such file exists.
fn load_scenario(name: &str, catalog: &Catalog) -> Result<Scenario, Diagnostics> {
    let path = Path::new(name);
    if !path.exists()
        && let Some(bundled) = scenario::bundled(name, catalog)
    {
        return bundled;
    }
    Scenario::load(path, catalog)
}

/// A grading time limit: 0.01 s to a day.
fn parse_time_limit(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.01..=86_400.0).contains(&seconds) => Ok(seconds),
        _ => Err("the time limit is a number of seconds from 0.01 to 86400".to_owned()),
    }
}

/// Longest headless run, minutes: a day of model time.
const MAX_MINUTES: f64 = 24.0 * 60.0;

fn parse_minutes(text: &str) -> Result<f64, String> {
    let minutes: f64 = text.parse().map_err(|_| format!("\"{text}\" is not a number of minutes"))?;
    if minutes.is_finite() && (0.0..=MAX_MINUTES).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(format!("minutes must be from 0 to {MAX_MINUTES}"))
    }
}
