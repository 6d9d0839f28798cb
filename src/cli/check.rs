//! `perfusion-trainer check FILE...`: loads each file as what its header says it is and reports every problem.

use super::output;
use crate::catalog::Catalog;
use crate::circuit;
use crate::input::{Diagnostic, Diagnostics, Source};
use crate::scenario::Scenario;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(files: &[PathBuf], catalog: &Catalog) -> ExitCode {
    let mut all_valid = true;
    for path in files {
        match check_one(path, catalog) {
            Ok(summary) => output::text(&format!("ok: {} ({summary})\n", path.display())),
            Err(diagnostics) => {
                all_valid = false;
                output::diagnostics(&diagnostics);
            }
        }
    }
    if all_valid { ExitCode::SUCCESS } else { ExitCode::from(super::EXIT_INVALID) }
}

fn check_one(path: &std::path::Path, catalog: &Catalog) -> Result<String, Diagnostics> {
    let source = Source::read(path)?;
    match source.header() {
        Some("Scenario") => {
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let scenario = Scenario::from_source(&source, &id, catalog)?;
            for problem in crate::scenario::lint::unsolvable(&scenario, catalog) {
                output::error(&format!("warning: {}: {problem} (add one, or say in the briefing why)", path.display()));
            }
            Ok(format!("scenario \"{}\"", scenario.title))
        }
        Some("Circuit") => {
            let loaded = circuit::file::from_source(&source, catalog)?;
            let circuit = &loaded.circuit;
            Ok(format!("circuit, {} parts, {} tubes", circuit.parts().count(), circuit.tubes().count()))
        }
        Some("Catalog") => {
            let checked = Catalog::from_source(&source)?;
            Ok(format!("catalog, {} entries", checked.ids().count()))
        }
        other => Err(Diagnostic {
            file: source.name.clone(),
            line: 1,
            col: 1,
            field: String::new(),
            message: match other {
                Some(word) => format!("`{word}` is not a kind of file this program reads"),
                None if source.text.trim().is_empty() => "the file is empty".to_owned(),
                None => "the file does not start with a file kind".to_owned(),
            },
            hint: Some("scenario files start with `Scenario(`, circuits with `Circuit(`".to_owned()),
        }
        .into()),
    }
}
