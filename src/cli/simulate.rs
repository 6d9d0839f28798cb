//! `perfusion-trainer simulate SCENARIO CIRCUIT --minutes N [--csv OUT | --json]`: runs the model headless and
//! prints a trend sampled every second of model time.

use super::output;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::scenario::Scenario;
use crate::sim::{NoConvergence, STEP_S, Simulation, TrendColumns};
use serde_json::json;
use std::path::Path;

/// Steps per second of model time.
fn steps_per_second() -> u64 {
    (1.0 / STEP_S).round() as u64
}

/// Runs the model; returns the header and one row per second (the first at time 0).
pub fn trend(
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    minutes: f64,
) -> Result<(Vec<String>, Vec<Vec<f64>>), NoConvergence> {
    let mut simulation = Simulation::new(scenario, circuit, catalog);
    let columns = TrendColumns::new(&simulation, circuit, catalog);
    let header = columns.columns().map(|c| format!("{} ({})", c.name, c.unit)).collect();
    let seconds = (minutes * 60.0).round() as u64;
    let mut rows = vec![columns.sample(&simulation)];
    for _ in 0..seconds {
        for _ in 0..steps_per_second() {
            simulation.step()?;
        }
        rows.push(columns.sample(&simulation));
    }
    Ok((header, rows))
}

pub fn write(header: &[String], rows: &[Vec<f64>], csv: Option<&Path>, as_json: bool) -> std::io::Result<()> {
    if as_json {
        output::json(&json!({ "columns": header, "rows": rows }));
        return Ok(());
    }
    let mut text = header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",");
    text.push('\n');
    for row in rows {
        text.push_str(&row.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(","));
        text.push('\n');
    }
    match csv {
        Some(path) => crate::atomic_write::write(path, text.as_bytes()),
        None => {
            output::text(&text);
            Ok(())
        }
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}
