//! Invariants of the code base, checked by reading the sources (rust-analyzer's "tidy" habit).

use super::support::repo_path;
use std::path::Path;

/// Modules allowed to name the UI and CLI crates.
const EDGES: [&str; 3] = ["src/ui/", "src/cli/", "src/main.rs"];
const EDGE_CRATES: [&str; 4] = ["egui", "eframe", "rfd", "clap"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_core_never_names_egui_eframe_rfd_or_clap() {
    let root = repo_path("");
    let mut files = Vec::new();
    rust_files(&repo_path("src"), &mut files);
    assert!(files.len() > 10, "the scan found the sources");
    let mut offences = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if EDGES.iter().any(|edge| relative.starts_with(edge)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for krate in EDGE_CRATES {
                if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
                    offences.push(format!("{relative}:{}: names `{krate}`", number + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "the core must not depend on the UI or CLI crates:\n{}", offences.join("\n"));
}

#[test]
fn the_scan_would_catch_an_offence() {
    // The check above must be able to fail: the UI itself names egui.
    let text = std::fs::read_to_string(repo_path("src/ui/app.rs")).unwrap();
    assert!(text.lines().any(|line| line.contains("egui::")));
}

/// Calls that change the circuit's undo history, the attempt's log or the running simulation: only the session
/// makes them (and the modules that define them).
const SESSION_ONLY: [(&str, &[&str]); 4] = [
    (".take_edit(", &["src/session/", "src/sim/mod.rs"]),
    ("history.record", &["src/session/", "src/circuit/history.rs"]),
    ("attempt.record(", &["src/session/", "src/attempt/mod.rs"]),
    ("History::new(", &["src/session/", "src/circuit/history.rs"]),
];

#[test]
fn only_the_session_changes_the_history_the_log_and_the_simulation() {
    let root = repo_path("");
    let mut files = Vec::new();
    rust_files(&repo_path("src"), &mut files);
    let mut offences = Vec::new();
    let mut seen = [false; SESSION_ONLY.len()];
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for (index, (call, allowed)) in SESSION_ONLY.iter().enumerate() {
                if code.contains(call) {
                    seen[index] = true;
                    if !allowed.iter().any(|prefix| relative.starts_with(prefix)) {
                        offences.push(format!("{relative}:{}: {call}", number + 1));
                    }
                }
            }
        }
    }
    assert!(seen.iter().all(|s| *s), "the scan finds each call where it is allowed: {seen:?}");
    assert!(offences.is_empty(), "only src/session may make these calls:\n{}", offences.join("\n"));
}
