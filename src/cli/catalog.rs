//! `catalog [--json]`: every part and tubing size of the catalog with what an instructor needs to write a scenario:
//! its kind, ports (name, direction, bore), rated flow range and prime volume. The Markdown form is
//! docs/catalog.md, checked by a test so the two never drift.

use super::output;
use crate::catalog::{Catalog, PortDir};
use serde_json::json;

pub fn run(catalog: &Catalog, as_json: bool) {
    if as_json {
        let parts: Vec<_> = catalog
            .parts()
            .map(|p| {
                json!({
                    "id": p.id.to_string(),
                    "name": p.name,
                    "kind": p.kind.noun(),
                    "ports": p.ports.iter().map(|port| json!({
                        "name": port.name, "dir": direction(port.dir), "bore": port.bore.to_string(),
                    })).collect::<Vec<_>>(),
                    "rated_flow_l_min": p.rated_flow.map(|r| json!({ "min": r.min_l_min, "max": r.max_l_min })),
                    "prime_ml": p.prime_ml,
                })
            })
            .collect();
        let tubing: Vec<_> = catalog
            .tubings()
            .map(|t| {
                json!({
                    "id": t.id.to_string(), "name": t.name, "bore": t.bore.to_string(),
                    "inner_diameter_mm": t.inner_diameter_mm, "prime_ml_per_m": t.prime_ml_per_m,
                })
            })
            .collect();
        output::json(&json!({ "parts": parts, "tubing": tubing }));
    } else {
        output::text(&markdown(catalog));
    }
}

fn direction(dir: PortDir) -> &'static str {
    match dir {
        PortDir::In => "in",
        PortDir::Out => "out",
        PortDir::Either => "either",
    }
}

/// The catalog as the Markdown of docs/catalog.md.
pub fn markdown(catalog: &Catalog) -> String {
    let mut text = String::from(
        "# The catalog\n\nEvery part and tubing size of the bundled catalog (`assets/catalog.ron`, where each number \
         carries its source), as `perfusion-trainer catalog` prints it (`--json` for the same as JSON). Generated: a \
         test checks this file against the program.\n\n## Parts\n\n| id | name | kind | ports (direction, bore) | \
         rated flow (L/min) | prime (mL) |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for part in catalog.parts() {
        let ports: Vec<String> =
            part.ports.iter().map(|p| format!("`{}` ({}, {})", p.name, direction(p.dir), p.bore)).collect();
        let ports = if ports.is_empty() { "—".to_owned() } else { ports.join(", ") };
        let rated = part.rated_flow.map_or("—".to_owned(), |r| format!("{}–{}", r.min_l_min, r.max_l_min));
        text.push_str(&format!(
            "| `{}` | {} | {} | {ports} | {rated} | {} |\n",
            part.id,
            part.name.replace('|', "/"),
            part.kind.noun(),
            part.prime_ml
        ));
    }
    text.push_str(
        "\n## Tubing\n\n| id | name | bore | inner diameter (mm) | prime (mL/m) |\n| --- | --- | --- | --- | --- |\n",
    );
    for tubing in catalog.tubings() {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            tubing.id,
            tubing.name.replace('|', "/"),
            tubing.bore,
            tubing.inner_diameter_mm,
            tubing.prime_ml_per_m
        ));
    }
    text
}
