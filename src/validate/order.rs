//! The order of stages along the main line: drainage → (reservoir) → pump → oxygenator → (filter) → return.

use super::{Context, Finding, Severity};
use crate::catalog::PartKind;
use crate::circuit::flow::{FlowGraph, Rotation, Route, cannula_ports};
use crate::ids::PartId;
use crate::scenario::Procedure;

/// The stage a part plays on the main line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reservoir,
    Pump,
    Oxygenator { integrated_filter: bool },
    Filter,
}

pub fn stage_of(kind: &PartKind) -> Option<Stage> {
    match kind {
        PartKind::Reservoir { .. } => Some(Stage::Reservoir),
        PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => Some(Stage::Pump),
        PartKind::Oxygenator { integrated_filter, .. } => {
            Some(Stage::Oxygenator { integrated_filter: *integrated_filter })
        }
        PartKind::ArterialFilter { .. } => Some(Stage::Filter),
        _ => None,
    }
}

/// The first part of a stage along the route.
pub fn first_of(cx: &Context, route: &Route, wanted: fn(Stage) -> bool) -> Option<(usize, PartId)> {
    route.parts.iter().enumerate().find_map(|(i, part)| {
        let stage = cx.circuit.kind_of(cx.catalog, *part).and_then(stage_of)?;
        wanted(stage).then_some((i, *part))
    })
}

pub fn is_pump(stage: Stage) -> bool {
    stage == Stage::Pump
}

pub fn is_oxygenator(stage: Stage) -> bool {
    matches!(stage, Stage::Oxygenator { .. })
}

pub fn is_reservoir(stage: Stage) -> bool {
    stage == Stage::Reservoir
}

pub fn is_filter(stage: Stage) -> bool {
    stage == Stage::Filter
}

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    match &cx.main_line {
        None => no_main_line(cx, out),
        Some(route) => stages(cx, route, out),
    }
}

fn no_main_line(cx: &Context, out: &mut Vec<Finding>) {
    let (drainage, returns) = cannula_ports(cx.circuit, cx.catalog);
    let ends: Vec<PartId> = drainage.iter().chain(returns.iter()).map(|p| p.part).collect();
    if drainage.is_empty() || returns.is_empty() {
        let missing = if drainage.is_empty() { "a drainage (venous) cannula" } else { "a return (arterial) cannula" };
        out.push(Finding {
            rule: "order.missing_stage",
            severity: Severity::Critical,
            title: format!("The circuit has no {}", missing.trim_start_matches("a ")),
            why: format!(
                "Without {missing} the circuit cannot take blood from or give it back to the patient, who needs \
                 {:.2} L/min.",
                cx.target_flow_l_min()
            ),
            fix: format!("Place {missing} from the kit and connect it to the circuit."),
            parts: ends,
            tubes: Vec::new(),
        });
        return;
    }
    // A pump that, turned the other way, would let blood through is running (or loaded) backwards. Each
    // question is one graph search, so the diagnosis stays linear in the circuit's size.
    let reversed: Vec<PartId> = cx
        .circuit
        .parts()
        .filter(|p| matches!(cx.circuit.kind_of(cx.catalog, p.id).and_then(stage_of), Some(Stage::Pump)))
        .map(|p| p.id)
        .filter(|pump| {
            FlowGraph::with_rotation(cx.circuit, cx.catalog, Rotation::Flipped(*pump))
                .route(&drainage, &returns)
                .is_some()
        })
        .collect();
    if !reversed.is_empty() {
        for pump in reversed {
            out.push(Finding {
                rule: "order.reversed_pump",
                severity: Severity::Critical,
                title: format!("{} pumps backwards along the main line", cx.label(pump)),
                why: format!(
                    "A reversed pump draws blood out of the patient's arterial side and drives air from the \
                     reservoir end into the line: massive air embolism instead of {:.2} L/min of return.",
                    cx.target_flow_l_min()
                ),
                fix: "Check the rotation and which way the head is loaded: the inlet takes blood from the \
                      reservoir (or drainage cannula), the outlet feeds the oxygenator."
                    .to_owned(),
                parts: vec![pump],
                tubes: cx.circuit.tubes_of(pump).map(|t| t.id).collect(),
            });
        }
        return;
    }
    out.push(Finding {
        rule: "order.no_main_line",
        severity: Severity::Critical,
        title: "Blood cannot flow from the venous cannula to the arterial cannula".to_owned(),
        why: format!(
            "The main line is broken or faces the wrong way somewhere, so the patient would get none of the \
             {:.2} L/min they need.",
            cx.target_flow_l_min()
        ),
        fix: main_line_recipe(cx.scenario.procedure).to_owned(),
        parts: ends,
        tubes: Vec::new(),
    });
}

fn main_line_recipe(procedure: Procedure) -> &'static str {
    match procedure {
        Procedure::Cpb => {
            "Connect, in this order: venous cannula → venous line → reservoir → arterial pump → oxygenator → \
             arterial filter → arterial line → arterial cannula."
        }
        Procedure::VaEcmo | Procedure::VvEcmo => {
            "Connect, in this order: drainage cannula → pump → oxygenator → return cannula, as a closed loop."
        }
    }
}

fn stages(cx: &Context, route: &Route, out: &mut Vec<Finding>) {
    let procedure = cx.scenario.procedure;
    let reservoir = first_of(cx, route, is_reservoir);
    let pump = first_of(cx, route, is_pump);
    let oxygenator = first_of(cx, route, is_oxygenator);
    let filter = first_of(cx, route, is_filter);
    let integrated = route.parts.iter().any(|p| {
        matches!(cx.circuit.kind_of(cx.catalog, *p), Some(PartKind::Oxygenator { integrated_filter: true, .. }))
    });
    let flow = cx.target_flow_l_min();
    let missing = |what: &str, why: String, out: &mut Vec<Finding>| {
        out.push(Finding {
            rule: "order.missing_stage",
            severity: Severity::Critical,
            title: format!("The main line has no {what}"),
            why,
            fix: main_line_recipe(procedure).to_owned(),
            parts: route.parts.clone(),
            tubes: route.tubes.clone(),
        });
    };
    if pump.is_none() {
        missing("pump", format!("Nothing drives the {flow:.2} L/min this patient needs."), out);
    }
    if oxygenator.is_none() {
        missing(
            "oxygenator",
            "Venous blood would return to the arterial side unoxygenated: profound hypoxaemia.".to_owned(),
            out,
        );
    }
    match procedure {
        Procedure::Cpb => {
            if reservoir.is_none() {
                missing(
                    "venous reservoir",
                    "Open bypass needs a reservoir to collect gravity drainage and suction and to buffer volume; \
                     without it the pump empties the venous line and entrains air."
                        .to_owned(),
                    out,
                );
            }
            if filter.is_none() && !integrated {
                missing(
                    "arterial filter",
                    "Arterial line filtration is a Class I recommendation: without it emboli reach the patient."
                        .to_owned(),
                    out,
                );
            }
        }
        Procedure::VaEcmo | Procedure::VvEcmo => {
            if let Some((_, part)) = reservoir {
                out.push(Finding {
                    rule: "order.reservoir_in_ecmo",
                    severity: Severity::Critical,
                    title: format!("{} sits in the ECMO loop", cx.label(part)),
                    why: "ECMO is a closed circuit with continuous flow; a reservoir in series adds an air–blood \
                          interface, stagnation and clot."
                        .to_owned(),
                    fix: "Take the reservoir out: drainage cannula → pump → oxygenator → return cannula.".to_owned(),
                    parts: vec![part],
                    tubes: Vec::new(),
                });
            }
        }
    }
    if let (Some((p, pump_id)), Some((o, oxy_id))) = (pump, oxygenator)
        && o < p
    {
        out.push(Finding {
            rule: "order.oxygenator_before_pump",
            severity: Severity::Critical,
            title: format!("{} is upstream of {}", cx.label(oxy_id), cx.label(pump_id)),
            why: "A membrane oxygenator must sit downstream of the pump; on the suction side its fibres see negative \
                  pressure and draw gas into the blood (the obsolete bubble-oxygenator layout)."
                .to_owned(),
            fix: "Put the pump first: reservoir → pump → oxygenator.".to_owned(),
            parts: vec![oxy_id, pump_id],
            tubes: Vec::new(),
        });
    }
    if let (Some((f, filter_id)), Some((o, oxy_id))) = (filter, oxygenator)
        && f < o
    {
        out.push(Finding {
            rule: "order.filter_position",
            severity: Severity::Critical,
            title: format!("{} is before {}", cx.label(filter_id), cx.label(oxy_id)),
            why: "The arterial filter is the last barrier before the patient: placed before the oxygenator it cannot \
                  catch emboli and bubbles that leave the oxygenator."
                .to_owned(),
            fix: "Move the filter after the oxygenator, just before the bubble detector and the arterial line."
                .to_owned(),
            parts: vec![filter_id, oxy_id],
            tubes: Vec::new(),
        });
    }
    if procedure == Procedure::Cpb
        && let (Some((r, reservoir_id)), Some((p, pump_id))) = (reservoir, pump)
        && r > p
    {
        out.push(Finding {
            rule: "order.reservoir_after_pump",
            severity: Severity::Critical,
            title: format!("{} is downstream of {}", cx.label(reservoir_id), cx.label(pump_id)),
            why: "The arterial pump must draw from the reservoir; a pump before it sucks directly on the venous \
                  cannula and the reservoir no longer buffers volume or removes air."
                .to_owned(),
            fix: "Venous line → reservoir → arterial pump.".to_owned(),
            parts: vec![reservoir_id, pump_id],
            tubes: Vec::new(),
        });
    }
}
