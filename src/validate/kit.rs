//! The circuit against the scenario's kit: required and forbidden parts, nothing beyond the shelf.

use super::{Context, Finding, Severity};
use crate::ids::PartId;
use crate::scenario::KitAmount;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let scenario = cx.scenario;
    for required in &scenario.required {
        if !cx.circuit.parts().any(|p| &p.catalog_id == required) {
            out.push(Finding {
                rule: "kit.required_missing",
                severity: Severity::Critical,
                title: format!("The circuit has no {}", cx.catalog.name_of(required)),
                why: format!(
                    "The scenario requires it for this {}: the kit provides it because the procedure depends on it.",
                    scenario.procedure.in_words()
                ),
                fix: format!("Add the {} from the kit and connect it.", cx.catalog.name_of(required)),
                parts: Vec::new(),
                tubes: Vec::new(),
            });
        }
    }
    for forbidden in &scenario.forbidden {
        let present: Vec<PartId> = cx.circuit.parts().filter(|p| &p.catalog_id == forbidden).map(|p| p.id).collect();
        if !present.is_empty() {
            out.push(Finding {
                rule: "kit.forbidden_present",
                severity: Severity::Critical,
                title: format!("The {} does not belong in this circuit", cx.catalog.name_of(forbidden)),
                why: format!("The scenario rules it out for a {} circuit.", scenario.procedure.label()),
                fix: "Remove it.".to_owned(),
                parts: present,
                tubes: Vec::new(),
            });
        }
    }
    over_shelf(cx, out);
}

fn over_shelf(cx: &Context, out: &mut Vec<Finding>) {
    let usage = cx.circuit.usage(cx.catalog);
    let counts = usage.counts.into_iter().map(|(id, used)| {
        let parts: Vec<PartId> = cx.circuit.parts().filter(|p| p.catalog_id == id).map(|p| p.id).collect();
        (id, (used, parts))
    });
    let lengths = usage.lengths_m;
    for (id, (used, parts)) in counts {
        let on_shelf = match cx.scenario.kit_amount(&id) {
            Some(KitAmount::Count(count)) => count,
            _ => 0,
        };
        if used > on_shelf {
            out.push(Finding {
                rule: "kit.over_shelf",
                severity: Severity::Warning,
                title: format!("{used} × {} used, {on_shelf} on the shelf", cx.catalog.name_of(&id)),
                why: "The exercise is to build from the kit this theatre has; anything beyond it is not available."
                    .to_owned(),
                fix: "Use what the kit holds, or choose another part.".to_owned(),
                parts,
                tubes: Vec::new(),
            });
        }
    }
    for (id, used) in lengths {
        let on_shelf = match cx.scenario.kit_amount(&id) {
            Some(KitAmount::LengthM(length)) => length,
            _ => 0.0,
        };
        if used > on_shelf + 1e-9 {
            out.push(Finding {
                rule: "kit.over_shelf",
                severity: Severity::Warning,
                title: format!("{used:.2} m of {} used, {on_shelf:.2} m on the shelf", cx.catalog.name_of(&id)),
                why: "The exercise is to build from the kit this theatre has.".to_owned(),
                fix: "Shorten the lines or use another size.".to_owned(),
                parts: Vec::new(),
                tubes: cx.circuit.tubes().filter(|t| t.tubing == id).map(|t| t.id).collect(),
            });
        }
    }
}
