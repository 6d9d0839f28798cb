//! Timed commands for a headless run (`simulate --commands FILE`): the perfusionist's actions at given model
//! times — pump speed, clamps, gas, water temperature, heights — as circuit edits.

use super::{NoConvergence, STEP_S, Simulation, StructureChanged};
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit, EditError};
use crate::input::{Checker, Diagnostics, Source};
use crate::scenario::Scenario;
use serde::Deserialize;
use std::path::Path;

/// The commands file format version.
pub const COMMANDS_FORMAT_VERSION: u32 = 1;
/// Latest time a command may be given, s: a day of model time.
const MAX_COMMAND_TIME_S: f64 = 86_400.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Commands")]
struct CommandsFile {
    version: u32,
    commands: Vec<TimedEdit>,
}

/// One command: an edit applied at a model time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedEdit {
    pub at_s: f64,
    pub edit: Edit,
}

/// Reads a commands file; only settings, clamps and heights may change during a run.
pub fn load(path: &Path) -> Result<Vec<TimedEdit>, Diagnostics> {
    let source = Source::read(path)?;
    let file: CommandsFile = source.parse()?;
    let mut check = Checker::new(&source);
    check.version(file.version, COMMANDS_FORMAT_VERSION, "commands");
    for (i, command) in file.commands.iter().enumerate() {
        check.range(&format!("commands[{i}].at_s"), command.at_s, 0.0, MAX_COMMAND_TIME_S, "s");
        let allowed = matches!(command.edit, Edit::SetControls { .. } | Edit::SetClamp { .. } | Edit::SetHeight { .. });
        if !allowed {
            check.error(
                &format!("commands[{i}].edit"),
                "only SetControls, SetClamp and SetHeight can be given during a run",
                Some("change the circuit file for anything else".into()),
            );
        }
    }
    let mut commands = check.finish(file.commands)?;
    commands.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    Ok(commands)
}

/// Why a headless run stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    NoConvergence(#[from] NoConvergence),
    #[error("command {index} at {at_s} s was refused: {error}")]
    Refused { index: usize, at_s: f64, error: EditError },
    #[error(transparent)]
    StructureChanged(#[from] StructureChanged),
}

/// Runs `seconds` of model time, applying `commands` at their times, and calls `each_second` at time 0 and after
/// every whole second.
pub fn run(
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    commands: &[TimedEdit],
    seconds: u64,
    mut each_second: impl FnMut(&Simulation),
) -> Result<(), RunError> {
    let mut circuit = circuit.clone();
    let mut simulation = Simulation::new(scenario, &circuit, catalog);
    let steps_per_second = (1.0 / STEP_S).round() as u64;
    let mut next = 0;
    each_second(&simulation);
    for _ in 0..seconds {
        for _ in 0..steps_per_second {
            while let Some(command) = commands.get(next).filter(|c| c.at_s <= simulation.state().time_s + 1e-9) {
                circuit.apply(catalog, command.edit.clone()).map_err(|error| RunError::Refused {
                    index: next,
                    at_s: command.at_s,
                    error,
                })?;
                simulation.take_edit(&command.edit, scenario, &circuit, catalog)?;
                next += 1;
            }
            simulation.step()?;
        }
        each_second(&simulation);
    }
    Ok(())
}
