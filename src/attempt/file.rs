//! Attempt files: RON, versioned, written atomically. Loading checks, in order, that the file parses, that its
//! version is one this program reads, that the scenario copy matches its hash, that the copy is a valid scenario,
//! and that the log rebuilds the saved circuit; each failure names the file, line and field.

use super::{Attempt, CircuitCopy, sha256_hex};
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::input::{Checker, Diagnostics, Source};
use crate::scenario::Scenario;
use serde::Deserialize;
use std::path::Path;

/// The attempt format version files carry.
pub const ATTEMPT_FORMAT_VERSION: u32 = 1;

/// An attempt read from a file, with its scenario and circuit rebuilt.
#[derive(Debug, Clone)]
pub struct LoadedAttempt {
    pub attempt: Attempt,
    pub scenario: Scenario,
    pub circuit: Circuit,
}

/// Only the version, read first so that a file of another version is reported as such, not as a field mismatch.
#[derive(Deserialize)]
#[serde(rename = "Attempt")]
struct Header {
    version: u32,
}

pub fn load(path: &Path, catalog: &Catalog) -> Result<LoadedAttempt, Diagnostics> {
    from_source(&Source::read(path)?, catalog)
}

pub fn from_source(source: &Source, catalog: &Catalog) -> Result<LoadedAttempt, Diagnostics> {
    let header: Header = source.parse()?;
    let mut check = Checker::new(source);
    if !check.version(header.version, ATTEMPT_FORMAT_VERSION, "attempt") {
        return Err(Diagnostics(check.diagnostics));
    }
    let attempt: Attempt = source.parse()?;
    if sha256_hex(&attempt.scenario.text) != attempt.scenario.sha256 {
        check.error(
            "scenario.sha256",
            "the scenario copy does not match its hash: the file was changed outside the program",
            Some("open the trainee's original file; an attempt edited by hand cannot be trusted for grading".into()),
        );
        return Err(Diagnostics(check.diagnostics));
    }
    let copy = Source::new(format!("{} (its scenario)", source.name), attempt.scenario.text.clone());
    let scenario = match Scenario::from_source(&copy, &attempt.scenario.id, catalog) {
        Ok(scenario) => scenario,
        Err(inner) => {
            for diagnostic in &inner.0 {
                check.error("scenario.text", format!("the scenario copy is not valid: {diagnostic}"), None);
            }
            return Err(Diagnostics(check.diagnostics));
        }
    };
    let mut circuit = Circuit::new();
    for (index, entry) in attempt.log.iter().enumerate() {
        if let super::Event::Edit(edit) = &entry.event
            && let Err(error) = circuit.apply(catalog, edit.clone())
        {
            check.error(&format!("log[{index}].event"), format!("this edit cannot be replayed: {error}"), None);
        }
    }
    if check.diagnostics.is_empty() && CircuitCopy::from(&circuit) != attempt.circuit {
        check.error(
            "circuit",
            "the log does not rebuild the saved circuit",
            Some("the file was changed outside the program or written incompletely".into()),
        );
    }
    check.finish(LoadedAttempt { attempt, scenario, circuit })
}

/// The attempt as RON text.
pub fn to_ron(attempt: &Attempt) -> String {
    let config = ron::ser::PrettyConfig::new().struct_names(true).depth_limit(4);
    // Serialising plain data to a String cannot fail; an empty file would be refused on load, never mistaken.
    ron::ser::to_string_pretty(attempt, config).unwrap_or_default()
}

/// Saves atomically (temp file, fsync, rename): a crash mid-write leaves the previous file whole.
pub fn save(path: &Path, attempt: &Attempt) -> std::io::Result<()> {
    crate::atomic_write::write(path, to_ron(attempt).as_bytes())
}
