//! `perfusion-trainer validate SCENARIO CIRCUIT [--json]`: findings grouped by severity.

use super::output;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::validate::{Finding, Severity, validate};
use serde_json::json;

/// Prints the findings; returns whether any is critical.
pub fn run(scenario: &crate::scenario::Scenario, circuit: &Circuit, catalog: &Catalog, as_json: bool) -> bool {
    let findings = validate(scenario, circuit, catalog);
    let critical = findings.iter().any(|f| f.severity == Severity::Critical);
    if as_json {
        let list: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({
                    "rule": f.rule,
                    "severity": f.severity.label(),
                    "title": f.title,
                    "why": f.why,
                    "fix": f.fix,
                    "parts": f.parts.iter().map(|p| json!({ "id": p.0, "label": circuit.label(catalog, *p) })).collect::<Vec<_>>(),
                    "tubes": f.tubes.iter().map(|t| t.0).collect::<Vec<_>>(),
                })
            })
            .collect();
        output::json(&json!({ "scenario": scenario.id, "critical": critical, "findings": list }));
        return critical;
    }
    if findings.is_empty() {
        output::text("No findings: the circuit is ready for this patient.\n");
        return false;
    }
    let mut text = String::new();
    for severity in [Severity::Critical, Severity::Warning, Severity::Advice] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        text.push_str(&format!("{} ({})\n", severity.label().to_uppercase(), group.len()));
        for finding in group {
            text.push_str(&format!(
                "  {}  [{}]\n    Why: {}\n    Fix: {}\n",
                finding.title, finding.rule, finding.why, finding.fix
            ));
        }
        text.push('\n');
    }
    output::text(&text);
    critical
}
