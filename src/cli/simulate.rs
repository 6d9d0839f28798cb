//! `perfusion-trainer simulate SCENARIO CIRCUIT --minutes N [--commands FILE] [--csv OUT | --json]`: runs the
//! model headless through a session (the run starts at 0, then the file's actions at their times) and prints a
//! trend sampled every second of model time.

use super::output;
use crate::attempt::Event;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::scenario::Scenario;
use crate::session::script::{Player, TimedAction};
use crate::session::{Action, Session};
use crate::sim::Alarm;
use serde_json::json;
use std::path::Path;

/// A recorded run: the column headers and one row per second.
pub struct Trend {
    pub header: Vec<String>,
    /// Values in header order, and the alarms sounding or raised since the row before (joined with "; ").
    pub rows: Vec<(Vec<f64>, String)>,
}

/// Runs the model; returns the header and one row per second (the first at time 0), with the alarms sounding.
pub fn trend(
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    actions: &[TimedAction],
    minutes: f64,
) -> Result<Trend, String> {
    let controls_the_run = |action: &Action| {
        matches!(
            action,
            Action::StartRun | Action::StopRun | Action::PauseRun | Action::ResumeRun | Action::SetSpeed(_)
        )
    };
    if let Some((index, timed)) = actions.iter().enumerate().find(|(_, a)| controls_the_run(&a.action)) {
        return Err(format!(
            "action {index} ({:?}): simulate runs the model from 0 at ×1; use `run` for a script that starts, \
             stops, pauses or speeds the run",
            timed.action
        ));
    }
    let mut session = Session::with_circuit(scenario.clone(), catalog.clone(), "", "", circuit)
        .map_err(|refusal| format!("the circuit cannot be set up: {refusal}"))?;
    session.apply(Action::StartRun).map_err(|refusal| refusal.to_string())?;
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut player = Player::new(actions);
    let mut logged = 0;
    for second in 0..=(minutes * 60.0).round() as u64 {
        player.play_until(&mut session, second as f64).map_err(|error| error.to_string())?;
        // A row lists the alarms sounding now and those raised since the last row: a line pressure that crossed
        // its limit for a moment (a kink that stopped the pump) is in the row after.
        let log = &session.log().log;
        let mut alarms: Vec<Alarm> = log
            .get(logged..)
            .unwrap_or_default()
            .iter()
            .filter_map(|entry| match entry.event {
                Event::AlarmRaised { alarm } => Some(alarm),
                _ => None,
            })
            .collect();
        logged = log.len();
        let Some(run) = session.run() else { return Err(format!("the run was stopped at {second} s")) };
        if header.is_empty() {
            header = run.columns().columns().map(|c| c.heading()).collect();
            header.push("alarms (list)".to_owned());
        }
        alarms.extend(run.alarms().into_iter().map(|(alarm, _)| alarm));
        alarms.sort();
        alarms.dedup();
        let labels = session.circuit().labels(catalog);
        let alarms: Vec<String> = alarms.into_iter().map(|a| run.simulation().describe_alarm(a, &labels)).collect();
        rows.push((run.columns().sample(run.simulation()), alarms.join("; ")));
    }
    Ok(Trend { header, rows })
}

pub fn write(trend: &Trend, csv: Option<&Path>, as_json: bool) -> std::io::Result<()> {
    let (header, rows) = (&trend.header, &trend.rows);
    if as_json {
        let rows: Vec<_> = rows.iter().map(|(values, alarms)| json!({ "values": values, "alarms": alarms })).collect();
        output::json(&json!({ "columns": header, "rows": rows }));
        return Ok(());
    }
    let body = rows
        .iter()
        .map(|(values, alarms)| values.iter().map(|v| format!("{v:.3}")).chain([alarms.clone()]).collect::<Vec<_>>());
    let text = output::csv(std::iter::once(header.clone()).chain(body));
    output::to_file_or_stdout(&text, csv)
}
