//! Hostile and broken scenario files: every bundled scenario, corrupted ten ways, must be refused by
//! `perfusion-trainer check` with exit code 1 and a message naming the line and the field, within a second.

use super::support::{bin, repo_path};
use perfusion_trainer::scenario::bundled_ids;
use std::time::{Duration, Instant};

/// Line (1-based) of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|line| line.contains(needle)).map(|i| i + 1).unwrap_or_else(|| panic!("{needle} not found"))
}

/// The `weight_kg: 80.0` value as written.
fn weight_assignment(text: &str) -> String {
    let line = text.lines().find(|line| line.contains("weight_kg:")).unwrap();
    let start = line.find("weight_kg:").unwrap();
    let rest = &line[start..];
    let end = rest.find([',', ')', '/']).unwrap_or(rest.len());
    rest[..end].trim_end().to_owned()
}

/// The first catalog id in the kit.
fn first_kit_id(text: &str) -> String {
    let kit = &text[text.find("kit:").unwrap()..];
    let start = kit.find("part: \"").unwrap() + "part: \"".len();
    let end = kit[start..].find('"').unwrap();
    kit[start..start + end].to_owned()
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    /// Text the message must contain (the field, a line:col prefix, the reason).
    expect: Vec<String>,
}

fn cases(id: &str, text: &str) -> Vec<Case> {
    let file = format!("{id}.ron");
    let weight = weight_assignment(text);
    let weight_line = line_of(text, "weight_kg:");
    let at_weight = format!("{file}:{weight_line}:");
    let kit_id = first_kit_id(text);
    let kit_line = line_of(text, &format!("\"{kit_id}\""));
    let briefing_line = line_of(text, "briefing:");
    let mut non_utf8 = text.as_bytes().to_vec();
    let briefing_at = text.find("briefing:").unwrap() + "briefing: \"".len();
    non_utf8.insert(briefing_at, 0xFF);
    let half = text.len() / 2;
    let truncated = text.char_indices().map(|(i, _)| i).take_while(|&i| i <= half).last().unwrap();
    let mut huge = text.as_bytes().to_vec();
    huge.resize(64 * 1024 * 1024, b' ');
    vec![
        Case { name: "truncated", bytes: text[..truncated].into(), expect: vec!["ends before".into()] },
        Case { name: "empty", bytes: Vec::new(), expect: vec![format!("{file}:1:1:"), "empty".into()] },
        Case {
            name: "unknown field",
            bytes: text.replacen("weight_kg:", "wieght_kg:", 1).into(),
            expect: vec![
                at_weight.clone(),
                "patient".into(),
                "unknown field `wieght_kg`".into(),
                "\"weight_kg\"".into(),
            ],
        },
        Case {
            name: "wrong type",
            bytes: text.replacen(&weight, "weight_kg: \"heavy\"", 1).into(),
            expect: vec![at_weight.clone(), "patient.weight_kg".into(), "number".into()],
        },
        Case {
            name: "NaN",
            bytes: text.replacen(&weight, "weight_kg: NaN", 1).into(),
            expect: vec![at_weight.clone(), "patient.weight_kg".into(), "NaN".into(), "0.5".into()],
        },
        Case {
            name: "absurd value",
            bytes: text.replacen(&weight, "weight_kg: 700.0", 1).into(),
            expect: vec![at_weight.clone(), "patient.weight_kg".into(), "700 is outside".into()],
        },
        Case {
            name: "unknown catalog id",
            bytes: text.replacen(&format!("\"{kit_id}\""), &format!("\"{kit_id}x\""), 1).into(),
            expect: vec![format!("{file}:{kit_line}:"), "kit[0].part".into(), format!("nearest: \"{kit_id}\"")],
        },
        Case { name: "64 MiB", bytes: huge, expect: vec![format!("{file}:1:1:"), "larger than".into()] },
        Case {
            name: "100,000-deep nesting",
            bytes: text.replacen(&weight, &format!("weight_kg: {}", "[".repeat(100_000)), 1).into(),
            expect: vec![at_weight, "patient.weight_kg".into()],
        },
        Case { name: "non-UTF-8", bytes: non_utf8, expect: vec![format!("{file}:{briefing_line}:"), "UTF-8".into()] },
    ]
}

#[test]
fn corrupted_bundled_scenarios_are_refused_with_line_and_field_quickly() {
    let dir = tempfile::tempdir().unwrap();
    for id in bundled_ids() {
        let text = std::fs::read_to_string(repo_path(&format!("scenarios/{id}.ron"))).unwrap();
        for case in cases(id, &text) {
            let path = dir.path().join(format!("{id}.ron"));
            std::fs::write(&path, &case.bytes).unwrap();
            let started = Instant::now();
            let output = bin().current_dir(dir.path()).arg("check").arg(format!("{id}.ron")).output().unwrap();
            let elapsed = started.elapsed();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{id} {}: exit code; stderr:\n{stderr}", case.name);
            for expected in &case.expect {
                assert!(stderr.contains(expected.as_str()), "{id} {}: expected {expected:?} in:\n{stderr}", case.name);
            }
            assert!(!stderr.contains("panicked"), "{id} {}: {stderr}", case.name);
            // Generous for a debug build on a loaded machine; a hang or a quadratic blow-up takes far longer.
            assert!(elapsed < Duration::from_secs(1), "{id} {}: took {elapsed:?}", case.name);
        }
    }
}

#[test]
fn a_catalog_part_without_a_port_its_kind_needs_is_refused_with_where_and_why() {
    let text = std::fs::read_to_string(super::support::repo_path("assets/catalog.ron")).unwrap();
    let renamed = text.replacen(
        r#"ports: [(name: "inlet", dir: In, bore: "3/16"), (name: "outlet", dir: Out, bore: "3/16")],"#,
        r#"ports: [(name: "in", dir: In, bore: "3/16"), (name: "outlet", dir: Out, bore: "3/16")],"#,
        1,
    );
    assert_ne!(renamed, text, "the first roller pump's ports were found");
    let source = perfusion_trainer::input::Source::new("my_catalog.ron", renamed.clone());
    let error = perfusion_trainer::catalog::Catalog::from_source(&source).unwrap_err().to_string();
    let line = line_of(&renamed, r#"(name: "in", dir: In"#);
    assert!(error.contains(&format!("my_catalog.ron:{line}:")), "{error}");
    assert!(error.contains(".ports") && error.contains("needs a port named \"inlet\""), "{error}");
}
