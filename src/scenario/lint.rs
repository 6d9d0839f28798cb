//! Whether a scenario can be solved with its own kit: the parts a circuit for its patient cannot do without, each
//! rated for the target flow. A scenario that fails is still valid (an instructor may mean a kit without an answer),
//! so these are warnings `check` prints, not errors.

use super::{KitAmount, Procedure, Scenario};
use crate::catalog::{CannulaRole, Catalog, PartKind, PartSpec};

/// What the kit lacks for this patient, in words ("no oxygenator rated for 4.73 L/min").
pub fn unsolvable(scenario: &Scenario, catalog: &Catalog) -> Vec<String> {
    let flow = scenario.derived().target_flow_l_min;
    let kit: Vec<&PartSpec> = scenario
        .kit
        .iter()
        .filter(|(_, amount)| !matches!(amount, KitAmount::Count(0)))
        .filter_map(|(id, _)| catalog.part(id))
        .collect();
    // The most a part can carry: a roller by its stroke and top speed, anything else by its rating.
    let carries = |spec: &PartSpec| match spec.kind {
        PartKind::RollerPump { stroke_ml_per_rev, max_rpm } => stroke_ml_per_rev * max_rpm / 1000.0 >= flow,
        _ => spec.rated_flow.is_none_or(|r| r.max_l_min >= flow),
    };
    let any = |wanted: &dyn Fn(&PartKind) -> bool| kit.iter().any(|spec| wanted(&spec.kind) && carries(spec));
    let mut missing = Vec::new();
    let mut need = |found: bool, what: &str| {
        if !found {
            missing.push(format!("the kit has no {what} rated for the target flow of {flow:.2} L/min"));
        }
    };
    need(any(&|k| matches!(k, PartKind::Oxygenator { .. })), "oxygenator");
    need(any(&|k| matches!(k, PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })), "pump");
    let returns = |k: &PartKind| {
        matches!(
            k,
            PartKind::Cannula {
                role: CannulaRole::Arterial
                    | CannulaRole::FemoralArterial
                    | CannulaRole::VenousReturn
                    | CannulaRole::DualLumenVv,
                ..
            }
        )
    };
    need(any(&returns), "return cannula");
    if scenario.procedure == Procedure::Cpb {
        need(
            any(&|k| matches!(k, PartKind::ArterialFilter { .. }) || matches!(k, PartKind::Oxygenator { .. })),
            "arterial filter or oxygenator with one",
        );
        need(any(&|k| matches!(k, PartKind::Reservoir { .. })), "venous reservoir");
    }
    let tubing = scenario
        .kit
        .iter()
        .any(|(id, amount)| catalog.tubing(id).is_some() && matches!(amount, KitAmount::LengthM(m) if *m > 0.0));
    if !tubing {
        missing.push("the kit has no tubing".to_owned());
    }
    missing
}
