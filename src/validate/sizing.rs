//! Whether each part is big enough for this patient's flow.

use super::{Context, Finding, Severity};
use crate::catalog::{PartKind, PressureDrop};
use crate::circuit::flow::cannula_ports;
use crate::hydraulics::{REFERENCE_VISCOSITY_PA_S, poiseuille_mmhg_per_l_min_per_m};
use crate::ids::{PartId, PortRef};

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    rated_flow_on_main_line(cx, out);
    line_bores(cx, out);
    cannulae(cx, out);
    neonatal_cannulae(cx, out);
}

fn french(cx: &Context, part: PartId) -> Option<f64> {
    match cx.circuit.kind_of(cx.catalog, part)? {
        PartKind::Cannula { french, .. } => Some(*french),
        _ => None,
    }
}

fn neonatal_cannulae(cx: &Context, out: &mut Vec<Finding>) {
    if cx.scenario.procedure != crate::scenario::Procedure::VaEcmo
        || cx.scenario.patient.weight_kg >= cx.param(&crate::rules::NEONATAL_WEIGHT_MAX)
    {
        return;
    }
    let (drainage, returns) = cannula_ports(cx.circuit, cx.catalog);
    let largest = |ports: &mut dyn Iterator<Item = PortRef>| -> Option<(f64, PartId)> {
        ports
            .filter(|p| cx.circuit.tube_on(p).is_some())
            .filter_map(|p| french(cx, p.part).map(|fr| (fr, p.part)))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let (Some((drain_fr, drain)), Some((return_fr, ret))) =
        (largest(&mut drainage.into_iter()), largest(&mut returns.into_iter()))
    else {
        return;
    };
    if drain_fr < return_fr {
        out.push(Finding {
            rule: "sizing.neonatal_cannulae",
            severity: Severity::Warning,
            title: format!("Drainage cannula {drain_fr} Fr is smaller than return cannula {return_fr} Fr"),
            why: format!(
                "In a {} kg baby venous drainage limits the flow: it needs the larger cannula (for example 8–10 Fr \
                 drainage with 6–8 Fr return).",
                cx.scenario.patient.weight_kg
            ),
            fix: "Swap the sizes: the larger cannula drains.".to_owned(),
            parts: vec![drain, ret],
            tubes: Vec::new(),
        });
    }
}

fn line_bores(cx: &Context, out: &mut Vec<Finding>) {
    let Some(route) = &cx.main_line else { return };
    let limit = cx.param(&crate::rules::LINE_GRADIENT_MAX);
    let flow = cx.target_flow_l_min();
    for tube in route.tubes.iter().filter_map(|t| cx.circuit.tube(*t)) {
        let Some(tubing) = cx.catalog.tubing(&tube.tubing) else { continue };
        let per_m = poiseuille_mmhg_per_l_min_per_m(tubing.inner_diameter_mm, REFERENCE_VISCOSITY_PA_S) * flow;
        if per_m <= limit {
            continue;
        }
        // The flow this bore carries within the limit.
        let carries = limit / poiseuille_mmhg_per_l_min_per_m(tubing.inner_diameter_mm, REFERENCE_VISCOSITY_PA_S);
        out.push(Finding {
            rule: "sizing.line_bore",
            severity: Severity::Warning,
            title: format!("The {} line {} is too narrow", tubing.bore, cx.circuit.tube_label(cx.catalog, tube)),
            why: format!(
                "A {} line carries at most about {carries:.1} L/min; this patient needs {flow:.2}. Over its {:.2} m \
                 it would lose {:.0} mmHg even in laminar flow, with more shear and haemolysis.",
                tubing.bore,
                tube.length_m,
                per_m * tube.length_m
            ),
            fix: "Use the next tubing size up for this segment (with reducers at the connectors).".to_owned(),
            parts: vec![tube.from.part, tube.to.part],
            tubes: vec![tube.id],
        });
    }
}

/// Highest flow a part is rated for, L/min: a roller pump's stroke volume × its top speed, otherwise the
/// catalog's rated flow.
fn max_flow_l_min(cx: &Context, part: PartId) -> Option<f64> {
    let spec = cx.circuit.part(part).and_then(|p| cx.catalog.part(&p.catalog_id))?;
    match spec.kind {
        PartKind::RollerPump { stroke_ml_per_rev, max_rpm } => Some(stroke_ml_per_rev * max_rpm / 1000.0),
        _ => spec.rated_flow.map(|range| range.max_l_min),
    }
}

fn too_small(cx: &Context, part: PartId, flow_l_min: f64, share: &str, out: &mut Vec<Finding>) {
    let Some(max) = max_flow_l_min(cx, part) else { return };
    if max + 1e-9 >= flow_l_min {
        return;
    }
    let name = cx.name(part);
    out.push(Finding {
        rule: "sizing.rated_flow",
        severity: Severity::Critical,
        title: format!("{} is too small for this patient", cx.label(part)),
        why: format!(
            "The {name} is rated to {max:.2} L/min; this patient needs {flow_l_min:.2} L/min{share} (cardiac index \
             {} × BSA {:.2} m²).",
            cx.scenario.targets.cardiac_index_l_min_m2, cx.derived.bsa_m2
        ),
        fix: "Choose a larger size from the kit.".to_owned(),
        parts: vec![part],
        tubes: Vec::new(),
    });
}

/// A pump head, oxygenator or filter rated from more flow than this patient needs: below its range blood stagnates
/// in it and clots (§5.1 [Fraser-2010] for cannulae; the makers' ranges, catalog), a centrifugal head cannot hold a
/// steady low flow, and its prime dilutes a small patient.
fn below_range(cx: &Context, part: PartId, flow_l_min: f64, out: &mut Vec<Finding>) {
    let spec = cx.circuit.part(part).and_then(|p| cx.catalog.part(&p.catalog_id));
    let Some(range) = spec.and_then(|s| s.rated_flow) else { return };
    if flow_l_min + 1e-9 >= range.min_l_min {
        return;
    }
    out.push(Finding {
        rule: "sizing.device_too_large",
        severity: Severity::Critical,
        title: format!("{} is made for a bigger patient", cx.label(part)),
        why: format!(
            "The {} is rated for {:.2}–{:.2} L/min; this {} kg patient needs {flow_l_min:.2} L/min: below its range \
             blood stagnates in it and clots, and its prime of {:.0} mL dilutes the patient.",
            cx.name(part),
            range.min_l_min,
            range.max_l_min,
            cx.scenario.patient.weight_kg,
            spec.map_or(0.0, |s| s.prime_ml)
        ),
        fix: "Choose the size rated for this patient's flow from the kit.".to_owned(),
        parts: vec![part],
        tubes: Vec::new(),
    });
}

/// A cannula made for a bigger patient: its rated range starts above the flow this patient needs (it runs below
/// the flow that keeps it from clotting, §5.1 [Fraser-2010]), or it is rated for several times that flow (a return
/// cannula is rated from zero, so only its size tells). Either way it does not fit the vessel: the neonatal rule of
/// thumb is a cannula about 80 % of the vessel's diameter [ELSO-neo-resp], reference §5.2.
fn too_large(cx: &Context, part: PartId, flow_l_min: f64, share: &str, out: &mut Vec<Finding>) {
    let spec = cx.circuit.part(part).and_then(|p| cx.catalog.part(&p.catalog_id));
    let Some(range) = spec.and_then(|s| s.rated_flow) else { return };
    // Against the whole flow, not a bicaval cannula's share: each of a pair is sized to drain most of the return
    // on its own (the bundled bicaval pairs are rated 1.1–1.2 times the whole flow).
    let most = cx.param(&crate::rules::CANNULA_OVERSIZE) * cx.target_flow_l_min();
    let clots = flow_l_min + 1e-9 < range.min_l_min;
    if !clots && range.max_l_min <= most {
        return;
    }
    let name = cx.name(part);
    let weight = cx.scenario.patient.weight_kg;
    let why = if clots {
        format!(
            "The {name} is made for {:.2} L/min and more; this {weight} kg patient needs {flow_l_min:.2} L/min{share}: \
             it does not fit the vessel, and at a fraction of its flow it clots.",
            range.min_l_min
        )
    } else {
        format!(
            "The {name} is rated to {:.2} L/min, more than {} times the {:.2} L/min this {weight} kg patient needs: \
             a cannula that size does not fit the vessel (vessel injury, and below it an ischaemic limb).",
            range.max_l_min,
            cx.param(&crate::rules::CANNULA_OVERSIZE),
            cx.target_flow_l_min()
        )
    };
    out.push(Finding {
        rule: "sizing.cannula_too_large",
        severity: Severity::Critical,
        title: format!("{} is too large for this patient", cx.label(part)),
        why,
        fix: "Choose a cannula sized for this patient from the kit.".to_owned(),
        parts: vec![part],
        tubes: Vec::new(),
    });
}

fn rated_flow_on_main_line(cx: &Context, out: &mut Vec<Finding>) {
    let Some(route) = &cx.main_line else { return };
    let flow = cx.target_flow_l_min();
    for part in &route.parts {
        let sized = matches!(
            cx.circuit.kind_of(cx.catalog, *part),
            Some(
                PartKind::RollerPump { .. }
                    | PartKind::CentrifugalPump { .. }
                    | PartKind::Oxygenator { .. }
                    | PartKind::ArterialFilter { .. }
            )
        );
        if sized {
            too_small(cx, *part, flow, "", out);
            below_range(cx, *part, flow, out);
        }
    }
}

/// Drainage flow splits between the drainage cannulae in use (bicaval); return flow between the return cannulae.
fn cannulae(cx: &Context, out: &mut Vec<Finding>) {
    let (drainage, returns) = cannula_ports(cx.circuit, cx.catalog);
    let connected = |ports: Vec<PortRef>| -> Vec<PartId> {
        let mut parts: Vec<PartId> =
            ports.into_iter().filter(|p| cx.circuit.tube_on(p).is_some()).map(|p| p.part).collect();
        parts.dedup();
        parts
    };
    let limit = cx.param(&crate::rules::CANNULA_DROP_MAX);
    let drainage_effect = "the venous line runs too negative: poor drainage, chatter, haemolysis";
    let return_effect = "high arterial line pressure and a damaging jet at the cannula tip";
    for (group, effect) in
        [(connected(drainage), drainage_effect), (connected(returns.into_iter().collect()), return_effect)]
    {
        if group.is_empty() {
            continue;
        }
        let count = group.len() as f64;
        let flow = cx.target_flow_l_min() / count;
        let share = if group.len() > 1 { format!(" through each of {} cannulae", group.len()) } else { String::new() };
        for cannula in group {
            too_small(cx, cannula, flow, &share, out);
            too_large(cx, cannula, flow, &share, out);
            let Some(spec) = cx.circuit.part(cannula).and_then(|p| cx.catalog.part(&p.catalog_id)) else { continue };
            let PressureDrop::Quadratic { a_mmhg_per_l_min, b_mmhg_per_l_min2 } = spec.pressure_drop else { continue };
            let drop = a_mmhg_per_l_min * flow + b_mmhg_per_l_min2 * flow * flow;
            if drop > limit {
                out.push(Finding {
                    rule: "sizing.cannula_pressure_drop",
                    severity: Severity::Warning,
                    title: format!("{} drops {drop:.0} mmHg at target flow", cx.label(cannula)),
                    why: format!(
                        "At {flow:.2} L/min{share} the {} loses {drop:.0} mmHg (limit {limit:.0}): {effect}.",
                        spec.name
                    ),
                    fix: "Choose a larger French size, or add a second cannula.".to_owned(),
                    parts: vec![cannula],
                    tubes: Vec::new(),
                });
            }
        }
    }
}
