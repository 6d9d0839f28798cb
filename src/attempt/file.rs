//! Attempt files: RON, versioned, written atomically. Loading checks, in order, that the file parses, that its
//! version is one this program reads (2, or 1 read through `v1`), that the scenario copy matches its hash, that
//! the copy is a valid scenario, that the log replays through a session (every action accepted at its time) and
//! that the replay ends with the saved circuit; each failure names the file, line and field. What the model did
//! (alarms, faults, trends) and the score come from the replay, never from the file.

use super::{Attempt, CircuitCopy, sha256_hex};
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::input::{Checker, Diagnostics, Source};
use crate::scenario::Scenario;
use crate::session::{Session, replay};
use serde::Deserialize;
use std::path::Path;

/// The attempt format version files carry.
pub const ATTEMPT_FORMAT_VERSION: u32 = 2;
/// The oldest version still read.
const OLDEST_READ_VERSION: u32 = 1;

/// An attempt read from a file and replayed: the attempt as the replay recorded it (with the file's notes and
/// grade, and its summary and score recomputed), its scenario, the circuit it ended with, and the session, which
/// can go on or show any moment.
#[derive(Debug, Clone)]
pub struct LoadedAttempt {
    pub attempt: Attempt,
    pub scenario: Scenario,
    pub circuit: Circuit,
    pub session: Session,
    /// What the file claimed that its replay does not give (trends, score), in words: set aside, never used.
    pub tampering: Vec<String>,
}

/// Only the version, read first so that a file of another version is reported as such, not as a field mismatch.
#[derive(Deserialize)]
#[serde(rename = "Attempt")]
struct Header {
    version: u32,
}

pub fn load(path: &Path, catalog: &Catalog) -> Result<LoadedAttempt, Diagnostics> {
    from_source(&read_file(path)?, catalog)
}

/// An attempt file's text (attempts may be larger than the files people write: `MAX_ATTEMPT_BYTES`).
pub fn read_file(path: &Path) -> Result<Source, Diagnostics> {
    Source::read_at_most(path, crate::input::MAX_ATTEMPT_BYTES)
}

pub fn from_source(source: &Source, catalog: &Catalog) -> Result<LoadedAttempt, Diagnostics> {
    read(source, catalog, true)
}

/// Like `from_source`, keeping no checkpoints in the replayed session (for reading many files once: grading).
pub fn from_source_once(source: &Source, catalog: &Catalog) -> Result<LoadedAttempt, Diagnostics> {
    read(source, catalog, false)
}

fn read(source: &Source, catalog: &Catalog, checkpoints: bool) -> Result<LoadedAttempt, Diagnostics> {
    let header: Header = source.parse()?;
    let mut check = Checker::new(source);
    let attempt = if header.version == OLDEST_READ_VERSION {
        let old: super::v1::AttemptV1 = source.parse()?;
        old.upgrade(&mut check)
    } else if check.version(header.version, ATTEMPT_FORMAT_VERSION, "attempt") {
        source.parse::<Attempt>()?
    } else {
        return Err(Diagnostics(check.diagnostics));
    };
    check_times(&mut check, &attempt);
    if !check.diagnostics.is_empty() {
        return Err(Diagnostics(check.diagnostics));
    }
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
        // Practice leaves the faults out of the replay, and so of everything read from it (trends, score, report).
        Ok(mut scenario) => {
            if attempt.without_faults {
                scenario.faults.clear();
            }
            scenario
        }
        Err(inner) => {
            for diagnostic in &inner.0 {
                check.error("scenario.text", format!("the scenario copy is not valid: {diagnostic}"), None);
            }
            return Err(Diagnostics(check.diagnostics));
        }
    };
    let session = match replay::replay(&attempt, scenario.clone(), catalog.clone(), checkpoints) {
        Ok(session) => session,
        Err(error) => {
            let field = if error.index == attempt.log.len() {
                format!("end.{}", error.field)
            } else {
                format!("log[{}].{}", error.index, error.field)
            };
            check.error(&field, error.problem, Some("the log was changed outside the program".into()));
            return Err(Diagnostics(check.diagnostics));
        }
    };
    if CircuitCopy::from(session.circuit()) != attempt.circuit {
        check.error(
            "circuit",
            "the log does not rebuild the saved circuit",
            Some("the file was changed outside the program or written incompletely".into()),
        );
        return Err(Diagnostics(check.diagnostics));
    }
    let replayed = session.attempt();
    let circuit = session.circuit().clone();
    let tampering = tampering(&attempt, &replayed);
    check.finish(LoadedAttempt { attempt: replayed, scenario, circuit, session, tampering })
}

/// Every time in the log and at the end: finite, from 0 to a day, and in order (the model's entries as much as the
/// trainee's, which the replay checks again), each failure at its entry.
fn check_times(check: &mut Checker, attempt: &Attempt) {
    let max = crate::session::MAX_ATTEMPT_S;
    let mut last = 0.0;
    let times = attempt.log.iter().enumerate().map(|(i, e)| (format!("log[{i}]"), e.at_s, e.model_s));
    for (at, at_s, model_s) in times.chain([("end".to_owned(), attempt.end.at_s, attempt.end.model_s)]) {
        if check.range(&format!("{at}.at_s"), at_s, 0.0, max, "s") {
            if at_s < last {
                check.error(
                    &format!("{at}.at_s"),
                    format!(
                        "{} s is before the entry above it ({} s)",
                        crate::input::short(at_s),
                        crate::input::short(last)
                    ),
                    Some("the log was changed outside the program".into()),
                );
            }
            last = at_s;
        }
        if let Some(model_s) = model_s {
            check.range(&format!("{at}.model_s"), model_s, 0.0, max, "s");
        }
    }
}

/// What the file claimed that its replay does not give: its trends or its score, edited or stale. Nothing of it is
/// used; the claims are reported.
fn tampering(file: &Attempt, replayed: &Attempt) -> Vec<String> {
    let mut found = Vec::new();
    if !file.trends.is_empty() && file.trends != replayed.trends {
        found.push("its trends are not what its log re-simulates (edited, or saved by an earlier version)".to_owned());
    }
    let differs = |a: &super::Score, b: &super::Score| {
        (a.total - b.total).abs() > 1e-6
            || a.components.len() != b.components.len()
            || a.components.iter().zip(&b.components).any(|(x, y)| {
                x.name != y.name || (x.fraction - y.fraction).abs() > 1e-6 || (x.weight - y.weight).abs() > 1e-6
            })
    };
    if let Some(score) = &file.score
        && replayed.score.as_ref().is_some_and(|s| differs(s, score))
    {
        found.push(format!(
            "its score ({:.1}) is not what its log re-simulates ({:.1}; edited, or saved by an earlier version)",
            score.total,
            replayed.score.as_ref().map_or(0.0, |s| s.total)
        ));
    }
    found
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
