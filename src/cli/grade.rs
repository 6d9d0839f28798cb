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
    let mut text = String::from("file,trainee,scenario,total");
    for kind in COMPONENTS {
        text.push_str(&format!(",{}", kind.field()));
    }
    text.push_str(",grade,remarks,error\n");
    for row in &rows {
        let file = row.path.file_name().map_or_else(|| row.path.display().to_string(), |n| n.to_string_lossy().into());
        text.push_str(&output::csv_field(&file));
        match &row.result {
            Ok(graded) => {
                let weight: f64 = graded.score.components.iter().map(|c| c.weight).sum();
                text.push_str(&format!(
                    ",{},{},{:.1}",
                    output::csv_field(&graded.trainee),
                    output::csv_field(&graded.scenario),
                    graded.score.total
                ));
                for name in COMPONENTS {
                    let points = graded
                        .score
                        .components
                        .iter()
                        .find(|c| c.name == name)
                        .map_or(0.0, |c| if weight > 0.0 { 100.0 * c.weight * c.fraction / weight } else { 0.0 });
                    text.push_str(&format!(",{points:.1}"));
                }
                text.push_str(&format!(
                    ",{},{},\n",
                    output::csv_field(graded.grade.as_deref().unwrap_or("")),
                    output::csv_field(&graded.remarks.join("; "))
                ));
            }
            Err(error) => {
                // Empty trainee, scenario, total, components, grade and remarks; the error in the last column.
                text.push_str(&",".repeat(3 + COMPONENTS.len() + 3));
                text.push_str(&output::csv_field(error.trim()));
                text.push('\n');
            }
        }
    }
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
