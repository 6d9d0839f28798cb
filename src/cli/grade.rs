//! `grade DIR [--csv OUT] [--scenarios DIR]`: one CSV row per attempt with its score and components in points (they
//! add up to the total), the instructor's grade, what was set aside (a scenario copy unlike the instructor's), or
//! the error that kept the file from being graded.

use super::{EXIT_INVALID, EXIT_UNREADABLE, output};
use crate::attempt::ComponentKind;
use crate::attempt::grade::{GradeRow, Instructor, attempt_files, grade_files};
use crate::catalog::Catalog;
use rayon::prelude::*;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

const COMPONENTS: [ComponentKind; 6] = [
    ComponentKind::CriticalFindings,
    ComponentKind::AssemblyTime,
    ComponentKind::AlarmResponse,
    ComponentKind::TimeInTargets,
    ComponentKind::PrimeVolume,
    ComponentKind::FaultResponse,
];

pub fn run(dir: &Path, csv: Option<&Path>, scenarios: Option<&Path>, limit: Duration, catalog: &Catalog) -> ExitCode {
    let files = match attempt_files(dir) {
        Ok(files) => files,
        Err(error) => {
            output::error(&format!("perfusion-trainer: cannot read the folder {}: {error}", dir.display()));
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let rows = grade_within(&files, catalog, scenarios, limit);
    let header = ["file", "trainee", "scenario", "total"]
        .into_iter()
        .map(str::to_owned)
        .chain(COMPONENTS.iter().map(|kind| kind.field().to_owned()))
        .chain(["grade", "remarks", "error"].map(str::to_owned));
    let records = rows.iter().map(|row| {
        let file = row.path.file_name().map_or_else(|| row.path.display().to_string(), |n| n.to_string_lossy().into());
        match &row.result {
            Ok(graded) => {
                let weight: f64 = graded.score.components.iter().map(|c| c.weight).sum();
                let points =
                    COMPONENTS.iter().map(|name| {
                        let points =
                            graded.score.components.iter().find(|c| c.name == *name).map_or(0.0, |c| {
                                if weight > 0.0 { 100.0 * c.weight * c.fraction / weight } else { 0.0 }
                            });
                        format!("{points:.1}")
                    });
                [file, graded.trainee.clone(), graded.scenario.clone(), format!("{:.1}", graded.score.total)]
                    .into_iter()
                    .chain(points)
                    .chain([graded.grade.clone().unwrap_or_default(), graded.remarks.join("; "), String::new()])
                    .collect::<Vec<_>>()
            }
            // Empty trainee, scenario, total, components, grade and remarks; the error in the last column.
            Err(error) => std::iter::once(file)
                .chain(std::iter::repeat_n(String::new(), 3 + COMPONENTS.len() + 2))
                .chain([error.trim().to_owned()])
                .collect(),
        }
    });
    let text = output::csv(std::iter::once(header.collect()).chain(records));
    if let Err(error) = output::to_file_or_stdout(&text, csv) {
        output::error(&format!("perfusion-trainer: cannot write the CSV: {error}"));
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let failed = rows.iter().filter(|r| r.result.is_err()).count();
    if failed > 0 {
        output::error(&format!("perfusion-trainer: {failed} of {} file(s) could not be graded", rows.len()));
        return ExitCode::from(EXIT_INVALID);
    }
    ExitCode::SUCCESS
}

/// Grades each file on a thread of its own, in parallel, waiting at most `limit` for each: a file whose replay takes
/// longer (a day-long run) gets a row saying so, and the others are not held up by it.
fn grade_within(
    files: &[std::path::PathBuf],
    catalog: &Catalog,
    scenarios: Option<&Path>,
    limit: Duration,
) -> Vec<GradeRow> {
    let catalog = Arc::new(catalog.clone());
    let scenarios = scenarios.map(Path::to_path_buf);
    files
        .par_iter()
        .map(|path| {
            let (sender, receiver) = std::sync::mpsc::channel();
            let (catalog, file, scenarios) = (Arc::clone(&catalog), path.clone(), scenarios.clone());
            std::thread::spawn(move || {
                let instructor = scenarios.as_deref().map_or(Instructor::Bundled, Instructor::Folder);
                let _ = sender.send(grade_files(std::slice::from_ref(&file), &catalog, instructor));
            });
            match receiver.recv_timeout(limit) {
                Ok(mut rows) if !rows.is_empty() => rows.remove(0),
                _ => GradeRow {
                    path: path.clone(),
                    result: Err(format!(
                        "not graded: its replay took longer than {} s (a very long run?); grade it alone with a larger \
                         --time-limit",
                        limit.as_secs_f64()
                    )),
                },
            }
        })
        .collect()
}
