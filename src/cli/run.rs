//! `perfusion-trainer run SCENARIO [CIRCUIT] --actions FILE --out ATTEMPT [--minutes N] [--trainee NAME]`: plays a
//! timed action script through a session, as a trainee at the app would, and writes the attempt it records (the
//! app opens it, `grade` scores it, `report` renders it).

use crate::attempt::Attempt;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::scenario::Scenario;
use crate::session::Session;
use crate::session::script::{Player, TimedAction};

/// How the attempt is run: as the scenario says, or as practice without its faults.
#[derive(Debug, Clone, Copy, Default)]
pub struct Practice {
    pub without_faults: bool,
}

/// The attempt the script makes: the circuit's building edits at 0, then every action at its time; it ends at
/// `minutes` of the clock (the last action's time when not given, and never before it).
pub fn attempt(
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    actions: &[TimedAction],
    minutes: Option<f64>,
    trainee: &str,
    practice: Practice,
) -> Result<Attempt, String> {
    let mut session = Session::with_circuit(scenario.clone(), catalog.clone(), trainee, "", circuit)
        .map_err(|refusal| format!("the circuit cannot be set up: {refusal}"))?
        .without_checkpoints();
    if practice.without_faults {
        session = session.without_faults();
    }
    let mut player = Player::new(actions);
    let until_s = minutes.map_or(player.last_s(), |m| (m * 60.0).max(player.last_s()));
    player.play_until(&mut session, until_s).map_err(|error| error.to_string())?;
    Ok(session.attempt())
}
