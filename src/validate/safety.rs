//! Safety equipment and accessory lines: bubble detector, level sensor, pressure servo, flow probe, vent valve,
//! sucker return, cardioplegia source, distal perfusion.

use super::order::{first_of, is_pump, is_reservoir};
use super::{Context, Finding, Severity};
use crate::catalog::{CannulaRole, PartKind, PortDir, port};
use crate::circuit::flow::Route;
use crate::ids::{PartId, PortRef};
use crate::scenario::Procedure;
use std::collections::BTreeSet;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    if let Some(route) = &cx.main_line
        && let Some((pump_at, pump)) = first_of(cx, route, is_pump)
    {
        let roller = matches!(cx.circuit.kind_of(cx.catalog, pump), Some(PartKind::RollerPump { .. }));
        if cx.scenario.procedure == Procedure::Cpb {
            bubble_detector(cx, route, pump_at, pump, out);
            if roller {
                level_sensor(cx, route, pump, out);
            }
        }
        if roller {
            pressure_servo(cx, route, pump_at, pump, out);
        } else {
            flow_probe(cx, route, pump, out);
        }
        if cx.scenario.procedure != Procedure::Cpb {
            membrane_pressures(cx, route, out);
        }
    }
    suction_lines(cx, out);
    cardioplegia_source(cx, out);
    distal_perfusion(cx, out);
}

fn parts_of(cx: &Context, kind: fn(&PartKind) -> bool) -> Vec<PartId> {
    cx.circuit.parts().filter(|p| cx.circuit.kind_of(cx.catalog, p.id).is_some_and(kind)).map(|p| p.id).collect()
}

fn servo_to(cx: &Context, sensor: PartId) -> Option<PartId> {
    cx.circuit.part(sensor).and_then(|p| p.servo_to)
}

fn bubble_detector(cx: &Context, route: &Route, pump_at: usize, pump: PartId, out: &mut Vec<Finding>) {
    let on_line: Vec<PartId> = route.parts[pump_at..]
        .iter()
        .copied()
        .filter(|p| matches!(cx.circuit.kind_of(cx.catalog, *p), Some(PartKind::BubbleDetector)))
        .collect();
    let pump_label = cx.label(pump);
    if on_line.is_empty() {
        out.push(Finding {
            rule: "safety.bubble_detector",
            severity: Severity::Critical,
            title: "No bubble detector on the arterial line".to_owned(),
            why: format!(
                "Nothing stops {pump_label} if air reaches the arterial line: it would be pumped into the aorta."
            ),
            fix: format!("Clip a bubble detector on the arterial line after the filter and link it to {pump_label}."),
            parts: vec![pump],
            tubes: Vec::new(),
        });
    } else if !on_line.iter().any(|d| servo_to(cx, *d) == Some(pump)) {
        out.push(Finding {
            rule: "safety.bubble_detector",
            severity: Severity::Critical,
            title: format!("{} is not linked to {pump_label}", cx.label(on_line[0])),
            why: "A detector that is not safety-connected to the arterial pump only sounds an alarm; the pump keeps \
                  driving the air into the patient."
                .to_owned(),
            fix: format!("Link {} to {pump_label}.", cx.label(on_line[0])),
            parts: vec![on_line[0], pump],
            tubes: Vec::new(),
        });
    }
}

fn level_sensor(cx: &Context, route: &Route, pump: PartId, out: &mut Vec<Finding>) {
    let Some((_, reservoir)) = first_of(cx, route, is_reservoir) else { return };
    let sensors: Vec<PartId> = parts_of(cx, |k| matches!(k, PartKind::LevelSensor))
        .into_iter()
        .filter(|s| cx.circuit.part(*s).and_then(|p| p.mounted_on) == Some(reservoir))
        .collect();
    let (reservoir_label, pump_label) = (cx.label(reservoir), cx.label(pump));
    let minimum = match cx.circuit.kind_of(cx.catalog, reservoir) {
        Some(PartKind::Reservoir { min_level_ml, .. }) => {
            format!(" (its minimum operating level is {min_level_ml:.0} mL)")
        }
        _ => String::new(),
    };
    let problem = if sensors.is_empty() {
        Some(format!("No level sensor on {reservoir_label}"))
    } else if !sensors.iter().any(|s| servo_to(cx, *s) == Some(pump)) {
        Some(format!("The level sensor on {reservoir_label} is not linked to {pump_label}"))
    } else {
        None
    };
    if let Some(title) = problem {
        out.push(Finding {
            rule: "safety.level_sensor",
            severity: Severity::Critical,
            title,
            why: format!(
                "A roller pump keeps pumping when the reservoir runs dry{minimum}: it pumps air, a massive air \
                 embolism."
            ),
            fix: format!("Mount a level sensor on {reservoir_label} and link it to {pump_label}."),
            parts: vec![reservoir, pump],
            tubes: Vec::new(),
        });
    }
}

fn pressure_servo(cx: &Context, route: &Route, pump_at: usize, pump: PartId, out: &mut Vec<Finding>) {
    let downstream: BTreeSet<PartId> = route.parts[pump_at + 1..].iter().copied().collect();
    let transducers = parts_of(cx, |k| matches!(k, PartKind::PressureTransducer));
    let measuring: Vec<PartId> = transducers
        .into_iter()
        .filter(|t| {
            cx.circuit.connected_to(&PortRef::new(*t, port::LINE)).is_some_and(|port| downstream.contains(&port.part))
        })
        .collect();
    let limit = cx.scenario.targets.arterial_line_max_mmhg;
    let pump_label = cx.label(pump);
    let title = if measuring.is_empty() {
        format!("No pressure transducer on the line after {pump_label}")
    } else if !measuring.iter().any(|t| servo_to(cx, *t) == Some(pump)) {
        format!("The arterial line pressure is not linked to {pump_label}")
    } else {
        return;
    };
    out.push(Finding {
        rule: "safety.pressure_servo",
        severity: Severity::Critical,
        title,
        why: format!(
            "A roller pump is occlusive: against a clamp or kink it keeps pumping until the line bursts. Nothing \
             would stop it at the {limit:.0} mmHg limit."
        ),
        fix: match measuring.first() {
            // A transducer already measures there: only its link is missing.
            Some(transducer) => {
                format!("Link {} to {pump_label} (Stops pump, in the inspector).", cx.label(*transducer))
            }
            None => format!(
                "Connect a pressure transducer to a luer port between {pump_label} and the arterial cannula (before \
                 the oxygenator or on the arterial line) and link it to {pump_label}."
            ),
        },
        parts: measuring.into_iter().chain([pump]).collect(),
        tubes: Vec::new(),
    });
}

/// Positions along the main line where a pressure transducer measures.
fn measured_positions(cx: &Context, route: &Route) -> Vec<usize> {
    parts_of(cx, |k| matches!(k, PartKind::PressureTransducer))
        .into_iter()
        .filter_map(|t| cx.circuit.connected_to(&PortRef::new(t, port::LINE)))
        .filter_map(|port| route.position(port.part))
        .collect()
}

fn membrane_pressures(cx: &Context, route: &Route, out: &mut Vec<Finding>) {
    let Some((oxy_at, oxygenator)) = super::order::first_of(cx, route, super::order::is_oxygenator) else { return };
    // Pre-membrane is between the arterial pump and the oxygenator (a pump-inlet transducer reads the venous side),
    // or the oxygenator's own venous sampling port; post-membrane is after it, or its arterial sampling port.
    let pump_at = super::order::first_of(cx, route, super::order::is_pump).map(|(at, _)| at);
    let on_own_port = |name: &str| {
        parts_of(cx, |k| matches!(k, PartKind::PressureTransducer)).into_iter().any(|t| {
            cx.circuit
                .connected_to(&PortRef::new(t, port::LINE))
                .is_some_and(|p| p.part == oxygenator && p.port == name)
        })
    };
    let measured = measured_positions(cx, route);
    let before = measured.iter().any(|at| *at < oxy_at && pump_at.is_none_or(|pump| *at > pump))
        || on_own_port("sampling_venous");
    let after = measured.iter().any(|at| *at > oxy_at) || on_own_port("sampling_arterial");
    if before && after {
        return;
    }
    let missing = match (before, after) {
        (false, false) => "before and after",
        (false, true) => "before",
        _ => "after",
    };
    out.push(Finding {
        rule: "safety.membrane_pressures",
        severity: Severity::Warning,
        title: format!("No pressure measured {missing} {}", cx.label(oxygenator)),
        why: format!(
            "The membrane pressure drop (pre − post) is how clot in the oxygenator shows itself; limit {:.0} mmHg.",
            cx.scenario.targets.membrane_dp_max_mmhg
        ),
        fix: "Put a luer port with a pressure transducer on the line before and after the oxygenator.".to_owned(),
        parts: vec![oxygenator],
        tubes: Vec::new(),
    });
}

fn flow_probe(cx: &Context, route: &Route, pump: PartId, out: &mut Vec<Finding>) {
    let has_probe = route.parts.iter().any(|p| matches!(cx.circuit.kind_of(cx.catalog, *p), Some(PartKind::FlowProbe)));
    if !has_probe {
        out.push(Finding {
            rule: "safety.flow_probe",
            severity: Severity::Critical,
            title: format!("No flow probe on the line after {}", cx.label(pump)),
            why: format!(
                "A centrifugal pump's flow depends on the pressures either side, not on its speed: without a flow \
                 probe nobody sees whether the patient gets {:.2} L/min, or flow running backwards.",
                cx.target_flow_l_min()
            ),
            fix: "Clip a flow probe on the line after the pump.".to_owned(),
            parts: vec![pump],
            tubes: Vec::new(),
        });
    }
}

/// Inlet ports of reservoirs: where suckers and vents must empty.
fn reservoir_inlets(cx: &Context) -> BTreeSet<PortRef> {
    let mut inlets = BTreeSet::new();
    for part in parts_of(cx, |k| matches!(k, PartKind::Reservoir { .. })) {
        let Some(spec) = cx.circuit.part(part).and_then(|p| cx.catalog.part(&p.catalog_id)) else { continue };
        for port in spec.ports.iter().filter(|p| p.dir == PortDir::In) {
            inlets.insert(PortRef::new(part, port.name.clone()));
        }
    }
    inlets
}

fn suction_lines(cx: &Context, out: &mut Vec<Finding>) {
    let inlets = reservoir_inlets(cx);
    let suckers = parts_of(cx, |k| matches!(k, PartKind::CardiotomySucker));
    let vents = parts_of(cx, |k| matches!(k, PartKind::LvVent));
    for (part, is_vent) in suckers.into_iter().map(|p| (p, false)).chain(vents.into_iter().map(|p| (p, true))) {
        let label = cx.label(part);
        match cx.flow.reaches(&PortRef::new(part, port::OUTLET), &inlets) {
            None => out.push(Finding {
                rule: "safety.sucker_return",
                severity: Severity::Warning,
                title: format!("{label} does not return to the reservoir"),
                why: "Suction and vent blood must go through a pump, running the right way, into a cardiotomy inlet \
                      of the reservoir, where it is filtered and defoamed; otherwise it is lost or pumped back \
                      toward the heart."
                    .to_owned(),
                fix: format!("{label} → its roller pump (inlet side) → a cardiotomy inlet of the reservoir."),
                parts: vec![part],
                tubes: cx.circuit.tubes_of(part).map(|t| t.id).collect(),
            }),
            Some(route) if is_vent => {
                let valve = route
                    .parts
                    .iter()
                    .any(|p| matches!(cx.circuit.kind_of(cx.catalog, *p), Some(PartKind::OneWayValve { .. })));
                if !valve {
                    out.push(Finding {
                        rule: "safety.vent_valve",
                        severity: Severity::Critical,
                        title: format!("The vent line from {label} has no one-way valve"),
                        why: "If the vent pump is reversed or stops, air is drawn or pumped back into the left \
                              heart: a systemic air embolism."
                            .to_owned(),
                        fix: format!("Put a one-way valve in the vent line between {label} and its pump."),
                        parts: route.parts.clone(),
                        tubes: route.tubes.clone(),
                    });
                }
            }
            Some(_) => {}
        }
    }
}

fn cardioplegia_source(cx: &Context, out: &mut Vec<Finding>) {
    let oxygenated: Vec<PortRef> = parts_of(cx, |k| matches!(k, PartKind::Oxygenator { .. }))
        .into_iter()
        .flat_map(|o| [PortRef::new(o, port::ARTERIAL_OUTLET), PortRef::new(o, port::CARDIOPLEGIA_OUTLET)])
        .collect();
    for set in parts_of(cx, |k| matches!(k, PartKind::CardioplegiaSet { .. })) {
        let inlet: BTreeSet<PortRef> = [PortRef::new(set, port::BLOOD_INLET)].into();
        let fed = cx.flow.route(&oxygenated, &inlet).is_some_and(|route| {
            !route.parts.iter().any(|p| matches!(cx.circuit.kind_of(cx.catalog, *p), Some(PartKind::Reservoir { .. })))
        });
        if !fed {
            out.push(Finding {
                rule: "safety.cardioplegia_source",
                severity: Severity::Critical,
                title: format!("{} is not fed with oxygenated blood", cx.label(set)),
                why: "Blood cardioplegia must be drawn from the oxygenator's arterial side; venous or reservoir \
                      blood, or no blood at all, leaves the arrested heart without oxygen."
                    .to_owned(),
                fix: format!(
                    "Oxygenator cardioplegia outlet → the cardioplegia roller pump → {} blood inlet.",
                    cx.label(set)
                ),
                parts: vec![set],
                tubes: cx.circuit.tubes_of(set).map(|t| t.id).collect(),
            });
        }
    }
}

fn distal_perfusion(cx: &Context, out: &mut Vec<Finding>) {
    if cx.scenario.procedure != Procedure::VaEcmo {
        return;
    }
    let femoral = parts_of(cx, |k| matches!(k, PartKind::Cannula { role: CannulaRole::FemoralArterial, .. }));
    let Some(&cannula) = femoral.first() else { return };
    let perfused = parts_of(cx, |k| matches!(k, PartKind::Cannula { role: CannulaRole::DistalPerfusion, .. }))
        .into_iter()
        .any(|d| cx.circuit.tube_on(&PortRef::new(d, port::CONNECTOR)).is_some());
    if !perfused {
        out.push(Finding {
            rule: "safety.distal_perfusion",
            severity: Severity::Warning,
            title: format!("No distal perfusion catheter below {}", cx.label(cannula)),
            why: "A femoral arterial cannula obstructs the artery; without a distal perfusion catheter the leg \
                  below it becomes ischaemic (15 % limb ischaemia with larger cannulae)."
                .to_owned(),
            fix: "Feed a distal perfusion catheter from a luer port on the arterial line.".to_owned(),
            parts: vec![cannula],
            tubes: Vec::new(),
        });
    }
}
