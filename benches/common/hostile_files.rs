//! The worst files the loaders meet (a circuit at the part limit, a circuit far beyond it, a scenario of 90,000
//! rule parameters), generated: shared by the memory test (tests/memory.rs) and the timing bench.

/// The bundled adult scenario's text, the base of the scenario cases.
pub const SCENARIO: &str = include_str!("../../scenarios/adult_cabg.ron");

/// A chain of `parts` straight connectors joined by tubes, padded with a comment to about `bytes`.
pub fn chain(parts: usize, bytes: usize) -> String {
    let mut text = String::from("Circuit(version: 1, parts: [\n");
    for id in 1..=parts {
        text.push_str(&format!("(id: {id}, part: \"connector_straight_3_8\", pos: (x: {id}.0, y: 0.0)),\n"));
    }
    text.push_str("], tubes: [\n");
    for id in 1..parts {
        text.push_str(&format!(
            "(id: {id}, from: (part: {id}, port: \"b\"), to: (part: {}, port: \"a\"), tubing: \"tubing_3_8\", \
             length_m: 0.1),\n",
            id + 1
        ));
    }
    text.push_str("])\n");
    let padding = bytes.saturating_sub(text.len());
    text + "// " + &"x".repeat(padding) + "\n"
}

/// The adult scenario with `count` unknown parameters on one rule (each refused, located).
pub fn many_parameters(count: usize) -> String {
    let params: String = (0..count).map(|k| format!("(\"p{k}\", 1.0),")).collect();
    let rules = format!("    rules: [(rule: \"sizing.line_bore\", params: [{params}])],\n    instructor_notes:");
    SCENARIO.replacen("    instructor_notes:", &rules, 1)
}
