//! `perfusion-trainer prime SCENARIO CIRCUIT [--json]`: priming volume and haemodilution.

use super::output;
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::priming::PrimingPlan;
use crate::scenario::Scenario;
use serde_json::json;
use std::path::Path;

pub fn run(scenario: &Scenario, circuit: &Circuit, circuit_path: &Path, catalog: &Catalog, as_json: bool) {
    let plan = PrimingPlan::new(scenario, circuit, catalog);
    let targets = &scenario.targets;
    if as_json {
        let parts: Vec<_> = plan
            .prime
            .parts
            .iter()
            .map(|p| {
                let catalog_id = circuit.part(p.part).map(|placed| placed.catalog_id.to_string());
                json!({ "id": p.part.0, "label": p.label, "catalog_id": catalog_id, "prime_ml": p.prime_ml, "dry": p.dry })
            })
            .collect();
        let tubes: Vec<_> = plan
            .prime
            .tubes
            .iter()
            .map(|t| {
                let tubing = circuit.tube(t.tube).map(|tube| tube.tubing.to_string());
                json!({ "id": t.tube.0, "label": t.label, "tubing": tubing, "length_m": t.length_m, "prime_ml": t.prime_ml, "dry": t.dry })
            })
            .collect();
        output::json(&json!({
            "scenario": scenario.id,
            "circuit": circuit_path.display().to_string(),
            "parts": parts,
            "tubes": tubes,
            "total_prime_ml": plan.prime.total_ml,
            "max_prime_ml": targets.max_prime_ml,
            "blood_volume_ml": plan.blood_volume_ml,
            "hct_before": scenario.patient.hct,
            "predicted_hct": plan.predicted_hct,
            "min_hct": targets.min_hct,
            "added_blood_hct": targets.added_blood_hct,
            "blood_to_add_ml": plan.blood_to_add_ml,
            "hct_with_blood": plan.hct_with_blood,
            "target_flow_l_min": plan.target_flow_l_min,
            "do2i_at_target_ml_min_m2": plan.do2i_at_target_ml_min_m2,
        }));
        return;
    }
    let mut text = format!(
        "{} — {}\n\nPart                                      Prime (mL)\n",
        scenario.title,
        circuit_path.display()
    );
    for p in &plan.prime.parts {
        text.push_str(&format!("  {:<40}{:>8.1}{}\n", p.label, p.prime_ml, dry_mark(p.dry)));
    }
    text.push_str("\nTube                                                        Length (m)  Prime (mL)\n");
    for t in &plan.prime.tubes {
        text.push_str(&format!("  {:<58}{:>8.2}{:>12.1}{}\n", t.label, t.length_m, t.prime_ml, dry_mark(t.dry)));
    }
    if plan.prime.parts.iter().any(|p| p.dry) || plan.prime.tubes.iter().any(|t| t.dry) {
        text.push_str("\n(dry: on a sucker or vent line, not primed and not counted)\n");
    }
    let limit = targets.max_prime_ml.map_or_else(String::new, |ml| format!(" (limit {ml:.0} mL)"));
    text.push_str(&format!(
        "\nTotal prime        {:.0} mL{limit}\nBlood volume       {:.0} mL\nPredicted Hct      {:.1} % with a clear prime (minimum {:.0} %)\n",
        plan.prime.total_ml,
        plan.blood_volume_ml,
        plan.predicted_hct * 100.0,
        targets.min_hct * 100.0,
    ));
    if plan.blood_to_add_ml > 0.0 {
        text.push_str(&format!(
            "Blood to add       {:.0} mL of Hct {:.0} % blood in place of clear prime → Hct {:.1} %\n",
            plan.blood_to_add_ml,
            targets.added_blood_hct * 100.0,
            plan.hct_with_blood * 100.0
        ));
    } else {
        text.push_str("Blood to add       none\n");
    }
    text.push_str(&format!(
        "DO2i at target     {:.0} mL/min/m² at {:.2} L/min, fully saturated (minimum {:.0})\n",
        plan.do2i_at_target_ml_min_m2, plan.target_flow_l_min, targets.do2i_min_ml_min_m2
    ));
    output::text(&text);
}

fn dry_mark(dry: bool) -> &'static str {
    if dry { "  dry" } else { "" }
}
