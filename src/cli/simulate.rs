//! `perfusion-trainer simulate SCENARIO CIRCUIT --minutes N [--csv OUT | --json]`: runs the model headless and
//! prints a trend sampled every second of model time.

use super::output;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::scenario::Scenario;
use crate::sim::command::{self, RunError, TimedEdit};
use crate::sim::{Simulation, TrendColumns};
use serde_json::json;
use std::path::Path;

/// A recorded run: the column headers and one row per second.
pub struct Trend {
    pub header: Vec<String>,
    /// Values in header order, and the alarms sounding (joined with "; ").
    pub rows: Vec<(Vec<f64>, String)>,
}

/// Runs the model; returns the header and one row per second (the first at time 0), with the alarms sounding.
pub fn trend(
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    commands: &[TimedEdit],
    minutes: f64,
) -> Result<Trend, RunError> {
    let columns = TrendColumns::new(&Simulation::new(scenario, circuit, catalog), circuit, catalog);
    let mut header: Vec<String> = columns.columns().map(|c| format!("{} ({})", c.name, c.unit)).collect();
    header.push("alarms (list)".to_owned());
    let seconds = (minutes * 60.0).round() as u64;
    let mut rows = Vec::new();
    command::run(scenario, circuit, catalog, commands, seconds, |simulation| {
        let alarms: Vec<&str> = simulation.alarms().into_iter().map(|a| a.label()).collect();
        rows.push((columns.sample(simulation), alarms.join("; ")));
    })?;
    Ok(Trend { header, rows })
}

pub fn write(trend: &Trend, csv: Option<&Path>, as_json: bool) -> std::io::Result<()> {
    let (header, rows) = (&trend.header, &trend.rows);
    if as_json {
        let rows: Vec<_> = rows.iter().map(|(values, alarms)| json!({ "values": values, "alarms": alarms })).collect();
        output::json(&json!({ "columns": header, "rows": rows }));
        return Ok(());
    }
    let mut text = header.iter().map(|h| output::csv_field(h)).collect::<Vec<_>>().join(",");
    text.push('\n');
    for (values, alarms) in rows {
        text.push_str(&values.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(","));
        text.push(',');
        text.push_str(&output::csv_field(alarms));
        text.push('\n');
    }
    output::to_file_or_stdout(&text, csv)
}
