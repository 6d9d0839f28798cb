//! Grading many attempts at once, in parallel: each file is loaded with every check and scored; a file that
//! cannot be is reported with its error, never skipped.

use super::{Score, from_source_once};
use crate::catalog::Catalog;
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
}

/// Grades `paths` in parallel; the rows come back in the order of `paths`.
pub fn grade_files(paths: &[PathBuf], catalog: &Catalog) -> Vec<GradeRow> {
    paths.par_iter().map(|path| GradeRow { path: path.clone(), result: grade_file(path, catalog) }).collect()
}

/// Loads (which replays the log through a session) and scores what the replay recorded.
fn grade_file(path: &Path, catalog: &Catalog) -> Result<Graded, String> {
    let source = super::file::read_file(path).map_err(|diagnostics| diagnostics.to_string())?;
    let loaded = from_source_once(&source, catalog).map_err(|diagnostics| diagnostics.to_string())?;
    let attempt = loaded.attempt;
    let score = attempt.score.clone().unwrap_or_else(|| super::score(&attempt, &loaded.scenario, catalog));
    Ok(Graded { trainee: attempt.trainee, scenario: loaded.scenario.id, score, grade: attempt.grade })
}

/// The files of a folder to grade: every `.ron` file, by name (one that is not an attempt gets its error row).
pub fn attempt_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    Ok(files)
}
