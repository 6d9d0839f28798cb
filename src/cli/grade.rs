//! `grade DIR [--csv OUT] [--scenarios DIR]`: one CSV row per attempt with its score and components in points (they
//! add up to the total), the instructor's grade, what was set aside (a scenario copy unlike the instructor's), or
//! the error that kept the file from being graded.

use super::{EXIT_INVALID, EXIT_UNREADABLE, output};
use crate::attempt::ComponentKind;
use crate::attempt::grade::{Instructor, attempt_files, grade_files};
use crate::catalog::Catalog;
use std::path::Path;
use std::process::ExitCode;

const COMPONENTS: [ComponentKind; 6] = [
    ComponentKind::CriticalFindings,
    ComponentKind::AssemblyTime,
    ComponentKind::AlarmResponse,
    ComponentKind::TimeInTargets,
    ComponentKind::PrimeVolume,
    ComponentKind::FaultResponse,
];

pub fn run(dir: &Path, csv: Option<&Path>, scenarios: Option<&Path>, catalog: &Catalog) -> ExitCode {
    let files = match attempt_files(dir) {
        Ok(files) => files,
        Err(error) => {
            output::error(&format!("perfusion-trainer: cannot read the folder {}: {error}", dir.display()));
            return ExitCode::from(EXIT_UNREADABLE);
        }
    };
    let instructor = scenarios.map_or(Instructor::Bundled, Instructor::Folder);
    let rows = grade_files(&files, catalog, instructor);
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
