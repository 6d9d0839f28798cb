//! Grading many attempts at once, in parallel: each file is loaded with every check and scored; a file that
//! cannot be is reported with its error, never skipped. An attempt is graded against the instructor's copy of its
//! scenario (the bundled one of its id, or the file of that id in a folder the instructor names), not the copy it
//! carries: a copy that differs is reported and the log is replayed on the instructor's.

use super::{Score, from_source_once};
use crate::catalog::Catalog;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One attempt's grade, or why it has none.
#[derive(Debug, Clone)]
pub struct GradeRow {
    pub path: PathBuf,
    pub result: Result<Graded, String>,
}

#[derive(Debug, Clone)]
pub struct Graded {
    pub trainee: String,
    pub scenario: String,
    pub score: Score,
    /// The instructor's grade, when one is in the file.
    pub grade: Option<String>,
    /// What was found wrong with the file and set aside (a scenario copy unlike the instructor's).
    pub remarks: Vec<String>,
}

/// Where the instructor's scenarios come from: the bundled ones, or a folder of `<id>.ron` files.
#[derive(Debug, Clone, Copy)]
pub enum Instructor<'a> {
    Bundled,
    Folder(&'a Path),
}

impl Instructor<'_> {
    /// The instructor's copy of scenario `id`, if there is one (an error when the folder's file is not valid).
    fn scenario(&self, id: &str, catalog: &Catalog) -> Result<Option<Scenario>, String> {
        match self {
            Instructor::Bundled => crate::scenario::bundled(id, catalog).transpose().map_err(|d| d.to_string()),
            Instructor::Folder(dir) => {
                // An id is a file stem, never a path: anything else is not the instructor's.
                if id.is_empty() || id.contains(['/', '\\']) || id.starts_with('.') {
                    return Ok(None);
                }
                let path = dir.join(format!("{id}.ron"));
                if !path.exists() {
                    return Ok(None);
                }
                Scenario::load(&path, catalog).map(Some).map_err(|d| d.to_string())
            }
        }
    }
}

/// Grades `paths` in parallel against the instructor's scenarios; the rows come back in the order of `paths`.
pub fn grade_files(paths: &[PathBuf], catalog: &Catalog, instructor: Instructor) -> Vec<GradeRow> {
    paths
        .par_iter()
        .map(|path| GradeRow { path: path.clone(), result: grade_file(path, catalog, instructor) })
        .collect()
}

/// Loads (which replays the log through a session) and scores what the replay recorded, on the instructor's copy
/// of the scenario (`against_instructor`).
fn grade_file(path: &Path, catalog: &Catalog, instructor: Instructor) -> Result<Graded, String> {
    // Only the folder's own regular files are read: a link could lead anywhere (its target's first word would
    // reach the CSV), a FIFO would wait for ever.
    let metadata = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read the entry: {e}"))?;
    let kind = metadata.file_type();
    if kind.is_symlink() {
        return Err("a link: grade does not follow links (copy the attempt into the folder)".to_owned());
    }
    if kind.is_dir() {
        return Err("a folder, not an attempt file".to_owned());
    }
    if !kind.is_file() {
        return Err("not a regular file (a FIFO, a socket or a device)".to_owned());
    }
    let source = super::file::read_file(path).map_err(|diagnostics| diagnostics.to_string())?;
    let loaded = from_source_once(&source, catalog).map_err(|diagnostics| diagnostics.to_string())?;
    let judged = against_instructor(loaded, catalog, instructor)?;
    let (attempt, scenario) = (judged.attempt, judged.scenario);
    let score = attempt.score.clone().unwrap_or_else(|| super::score(&attempt, &scenario, catalog));
    Ok(Graded { trainee: attempt.trainee, scenario: scenario.id, score, grade: attempt.grade, remarks: judged.remarks })
}

/// An attempt as the instructor's scenario judges it.
#[derive(Debug, Clone)]
pub struct Judged {
    pub attempt: super::Attempt,
    pub scenario: Scenario,
    pub circuit: crate::circuit::Circuit,
    /// What was set aside: trends or a score the replay does not give, a scenario copy unlike the instructor's.
    pub remarks: Vec<String>,
}

/// The loaded attempt on the instructor's copy of its scenario: as loaded when its copy is the instructor's (or the
/// instructor has none of that id), else replayed again on the instructor's, with a remark saying where they differ.
pub fn against_instructor(
    loaded: super::LoadedAttempt,
    catalog: &Catalog,
    instructor: Instructor,
) -> Result<Judged, String> {
    let mut remarks = loaded.tampering.clone();
    let practice = loaded.attempt.without_faults;
    let mut judged = match instructor.scenario(&loaded.scenario.id, catalog)? {
        Some(own) if own.source_text != loaded.scenario.source_text => {
            // What the file claimed was made against a scenario that is not the instructor's: its difference is
            // the remark, and the replay on the instructor's copy is the grade.
            remarks.clear();
            let remark = format!(
                "its copy of scenario \"{}\" differs from the instructor's ({}): graded against the instructor's",
                own.id,
                first_difference(&loaded.scenario.source_text, &own.source_text)
            );
            let session = crate::session::replay::replay(&loaded.attempt, own.clone(), catalog.clone(), false)
                .map_err(|e| format!("its log cannot be replayed on the instructor's scenario: {e}"))?;
            let circuit = session.circuit().clone();
            remarks.push(remark);
            Judged { attempt: session.attempt(), scenario: session.scenario().clone(), circuit, remarks }
        }
        Some(_) => Judged { attempt: loaded.attempt, scenario: loaded.scenario, circuit: loaded.circuit, remarks },
        None => {
            remarks.push(format!(
                "no instructor's copy of scenario \"{}\" (bundled, or --scenarios DIR): graded against the copy the \
                 attempt carries, which its file could have changed",
                loaded.scenario.id
            ));
            Judged { attempt: loaded.attempt, scenario: loaded.scenario, circuit: loaded.circuit, remarks }
        }
    };
    if practice {
        judged.remarks.push(
            "practice without the scenario's faults: the score judges the build and the run, not a response to the \
             faults"
                .to_owned(),
        );
    }
    Ok(judged)
}

/// "line 12" of the first line where two texts differ.
fn first_difference(copy: &str, own: &str) -> String {
    let line = copy.lines().zip(own.lines()).position(|(a, b)| a != b);
    match line {
        Some(index) => format!("first at line {}", index + 1),
        None => "one is longer".to_owned(),
    }
}

/// The entries of a folder to grade: every one named `.ron`, whatever it is, by name (one that is not an attempt
/// file, or not a file, gets its error row: nothing is skipped without a word).
pub fn attempt_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    Ok(files)
}
