//! The circuit against this patient: total prime and haemodilution.

use super::{Context, Finding, Severity};
use crate::priming::PrimingPlan;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let plan = PrimingPlan::new(cx.scenario, cx.circuit, cx.catalog);
    let targets = &cx.scenario.targets;
    if let Some(limit) = targets.max_prime_ml
        && plan.prime.total_ml > limit
    {
        let mut largest: Vec<_> = plan.prime.parts.iter().filter(|p| !p.dry && p.prime_ml > 0.0).collect();
        largest.sort_by(|a, b| b.prime_ml.total_cmp(&a.prime_ml));
        out.push(Finding {
            rule: "patient.prime_limit",
            severity: Severity::Warning,
            title: format!("Prime {:.0} mL is over the {limit:.0} mL limit", plan.prime.total_ml),
            why: format!(
                "Every millilitre of clear prime dilutes this patient's {:.0} mL of blood: with this prime the \
                 haematocrit falls from {:.0} % to {:.1} %.",
                plan.blood_volume_ml,
                cx.scenario.patient.hct * 100.0,
                plan.predicted_hct * 100.0
            ),
            fix: "Shorten the lines, use a smaller bore where the flow allows, or choose smaller devices.".to_owned(),
            parts: largest.iter().take(3).map(|p| p.part).collect(),
            tubes: Vec::new(),
        });
    }
    // Below the floor the circuit cannot go on as built: the transfusion trigger on CPB [ANH-2002] (reference §6.4),
    // or the scenario's setting.
    let floor = cx.param(&crate::rules::HAEMODILUTION_FLOOR);
    if plan.predicted_hct < floor {
        out.push(Finding {
            rule: "patient.haemodilution_critical",
            severity: Severity::Critical,
            title: format!(
                "Predicted haematocrit on bypass {:.1} % is below the {:.0} % floor",
                plan.predicted_hct * 100.0,
                floor * 100.0
            ),
            why: format!(
                "This {} kg patient's {:.0} mL of blood spread over {:.0} mL gives {:.1} %: below {:.0} % the blood \
                 cannot carry the oxygen the body needs, whatever the flow.",
                cx.scenario.patient.weight_kg,
                plan.blood_volume_ml,
                plan.total_volume_ml,
                plan.predicted_hct * 100.0,
                floor * 100.0
            ),
            fix: format!(
                "Add {:.0} mL of blood (Hct {:.0} %) to the prime, or use a circuit sized for this patient.",
                plan.blood_to_add_ml,
                targets.added_blood_hct * 100.0
            ),
            parts: Vec::new(),
            tubes: Vec::new(),
        });
    } else if plan.predicted_hct < targets.min_hct {
        out.push(Finding {
            rule: "patient.haemodilution",
            // Advice: a blood prime is the planned answer for small patients, not a fault of the circuit.
            severity: Severity::Advice,
            title: format!(
                "Predicted haematocrit on bypass {:.1} % is below {:.0} %",
                plan.predicted_hct * 100.0,
                targets.min_hct * 100.0
            ),
            why: format!(
                "{:.0} mL of blood at Hct {:.0} % spread over {:.0} mL (prime {:.0} mL, fluids and cardioplegia \
                 included) gives {:.1} %: too little oxygen-carrying capacity.",
                plan.blood_volume_ml,
                cx.scenario.patient.hct * 100.0,
                plan.total_volume_ml,
                plan.prime.total_ml,
                plan.predicted_hct * 100.0
            ),
            fix: format!(
                "Add {:.0} mL of blood (Hct {:.0} %) to the prime in place of crystalloid, or make the circuit \
                 smaller.",
                plan.blood_to_add_ml,
                targets.added_blood_hct * 100.0
            ),
            parts: Vec::new(),
            tubes: Vec::new(),
        });
    }
}
