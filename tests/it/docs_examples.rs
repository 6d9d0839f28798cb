//! The complete examples in docs/ load: an instructor copying one gets a file that works the first time.

use super::support::{catalog, repo_path};
use perfusion_trainer::circuit::file;
use perfusion_trainer::input::Source;
use perfusion_trainer::scenario::Scenario;

/// The complete ```ron blocks of a document whose first word (after comments) is `header`; outlines that elide
/// fields with `...` are not meant to load.
fn examples(doc: &str, header: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo_path(doc)).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```ron") => current = Some(String::new()),
            (Some(block), "```") => {
                let source = Source::new(doc, block.clone());
                if source.header() == Some(header) && !block.contains("...") {
                    blocks.push(block.clone());
                }
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_complete_scenario_examples_load() {
    let catalog = catalog();
    let blocks = examples("docs/scenario-format.md", "Scenario");
    assert!(!blocks.is_empty(), "the scenario format page has a complete example");
    for block in blocks {
        let source = Source::new("docs/scenario-format.md example", block.clone());
        if let Err(diagnostics) = Scenario::from_source(&source, "example", &catalog) {
            panic!("{diagnostics}\n{block}");
        }
    }
}

#[test]
fn the_complete_circuit_examples_load() {
    let catalog = catalog();
    let blocks = examples("docs/circuit-format.md", "Circuit");
    assert!(!blocks.is_empty(), "the circuit format page has a complete example");
    for block in blocks {
        let source = Source::new("docs/circuit-format.md example", block.clone());
        if let Err(diagnostics) = file::from_source(&source, &catalog) {
            panic!("{diagnostics}\n{block}");
        }
    }
}
