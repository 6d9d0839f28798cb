//! Ready to go on bypass: clamps, recirculation, occlusion, gas, heater-cooler.

use super::order::{first_of, is_oxygenator};
use super::{Context, Finding, Severity};
use crate::catalog::PartKind;
use crate::circuit::Controls;
use crate::ids::PortRef;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    reservoir_height(cx, out);
    // A clamp on the main line, or on any line to a cannula (one limb of a bicaval pair, the distal perfusion line):
    // blood that should reach or leave the patient there does not.
    let on_cannula = |tube: &crate::circuit::Tube| {
        tube.ends().iter().any(|end| matches!(cx.circuit.kind_of(cx.catalog, end.part), Some(PartKind::Cannula { .. })))
    };
    let mut clamped: Vec<&crate::circuit::Tube> = cx
        .main_line
        .iter()
        .flat_map(|route| route.tubes.iter().filter_map(|t| cx.circuit.tube(*t)))
        .chain(cx.circuit.tubes().filter(|t| on_cannula(t)))
        .filter(|t| t.clamped)
        .collect();
    clamped.sort_by_key(|t| t.id);
    clamped.dedup_by_key(|t| t.id);
    let main_tubes: Vec<_> = cx.main_line.iter().flat_map(|route| route.tubes.iter().copied()).collect();
    // The pump that would push against it: the main line's, or any when there is no main line yet.
    let on_route = |id: &crate::ids::PartId| cx.main_line.as_ref().is_none_or(|route| route.parts.contains(id));
    let centrifugal = cx
        .circuit
        .parts()
        .filter(|p| on_route(&p.id))
        .any(|p| matches!(cx.circuit.kind_of(cx.catalog, p.id), Some(PartKind::CentrifugalPump { .. })));
    let against = if centrifugal {
        "a centrifugal head spinning against a closed line: no flow, and the blood in it heats and haemolyses"
    } else {
        "with a roller pump, a line pressure that rises until something bursts"
    };
    let order = if cx.scenario.procedure == crate::scenario::Procedure::Cpb {
        "the arterial line as the pump starts, then the venous line"
    } else {
        "with the pump at speed, the drainage line, then the return line"
    };
    for tube in clamped {
        let label = cx.circuit.tube_label(cx.catalog, tube);
        let flow = cx.target_flow_l_min();
        let (title, why) = if main_tubes.contains(&tube.id) {
            (
                format!("A clamp is on the main line: {label}"),
                format!("Blood cannot pass the clamp: the patient, who needs {flow:.2} L/min, gets none ({against})."),
            )
        } else {
            use crate::catalog::CannulaRole as R;
            let role = tube.ends().iter().find_map(|end| match cx.circuit.kind_of(cx.catalog, end.part) {
                Some(PartKind::Cannula { role, .. }) => Some(*role),
                _ => None,
            });
            let what = match role {
                Some(R::DistalPerfusion) => "the leg below the arterial cannula gets no blood and becomes ischaemic",
                Some(R::VenousSingleStage | R::VenousTwoStage | R::FemoralVenous) => {
                    "the vein this cannula drains is obstructed: its blood backs up (for the superior cava, into the \
                     head and brain) and the drainage falls"
                }
                _ => "the patient gets none of the flow meant to pass through this cannula",
            };
            (format!("A clamp is on a cannula's line: {label}"), format!("Blood cannot pass the clamp: {what}."))
        };
        out.push(Finding {
            rule: "readiness.clamp_on_main_line",
            severity: Severity::Critical,
            title,
            why,
            fix: format!("Take the clamp off as you go on: {order}."),
            parts: vec![tube.from.part, tube.to.part],
            tubes: vec![tube.id],
        });
    }
    if let Some(route) = &cx.main_line
        && let Some((_, oxygenator)) = first_of(cx, route, is_oxygenator)
    {
        gas_and_water(cx, oxygenator, out);
    }
    for part in cx.circuit.parts() {
        let kind = cx.circuit.kind_of(cx.catalog, part.id);
        // Lines that shunt blood away from the patient when open (reference §1.2 [Quadrox-FX05-shunt]).
        let shunt_port = match kind {
            Some(PartKind::Oxygenator { .. }) => Some("recirculation"),
            Some(PartKind::ArterialFilter { .. }) => Some("purge"),
            _ => None,
        };
        if let Some(port) = shunt_port
            && let Some(tube) = cx.circuit.tube_on(&PortRef::new(part.id, port))
            && !tube.clamped
        {
            out.push(Finding {
                rule: "readiness.recirculation_open",
                severity: Severity::Warning,
                title: format!("The {port} line of {} is open", cx.label(part.id)),
                why: "An open recirculation or purge line shunts oxygenated blood back to the reservoir instead of \
                      the patient (in one neonatal test a quarter of a 400 mL/min flow), so the patient gets less \
                      than the pump shows."
                    .to_owned(),
                fix: format!("Clamp the {port} line before going on bypass."),
                parts: vec![part.id],
                tubes: vec![tube.id],
            });
        }
        if matches!(kind, Some(PartKind::RollerPump { .. }))
            && matches!(part.controls, Controls::Pump { occlusion_set: false, .. })
        {
            out.push(Finding {
                rule: "readiness.occlusion_unset",
                severity: Severity::Warning,
                title: format!("The occlusion of {} has not been set", cx.label(part.id)),
                why: "Too loose, a roller pump leaks back and delivers less than it shows and damages blood; too \
                      tight, it wears the tubing and sheds spallation."
                    .to_owned(),
                fix: "Set the occlusion (for example the fall of a fluid column) before use.".to_owned(),
                parts: vec![part.id],
                tubes: Vec::new(),
            });
        }
    }
}

/// Sweep gas ready for the first flow: none at all (C11 asks for sweep whenever blood circulates [Capiox-FX25-IFU];
/// how much is judged against the blood flow, `readiness.sweep_low`, since a neonate's is a tenth of an adult's) is
/// critical on ECMO, where the patient depends on the membrane from the first second, and a
/// warning on CPB, where the lungs still ventilate until bypass is full; set but far below the blood flow it must
/// serve, a warning on both.
fn sweep(cx: &Context, oxygenator: crate::ids::PartId, label: &str, sweep_l_min: f64, out: &mut Vec<Finding>) {
    let flow = cx.target_flow_l_min();
    if sweep_l_min <= 0.0 {
        let ecmo = cx.scenario.procedure != crate::scenario::Procedure::Cpb;
        out.push(Finding {
            rule: "readiness.sweep_gas",
            severity: if ecmo { Severity::Critical } else { Severity::Warning },
            title: format!("No sweep gas set on {label}"),
            why: format!(
                "Blood through a membrane without gas leaves it as dark as it came: this patient's {flow:.2} L/min \
                 would return unoxygenated, with its CO2{}.",
                if ecmo { ", from the moment the pump turns" } else { " once bypass is full" }
            ),
            fix: "Set the sweep gas and FiO2 ready to open with the first flow (about 1:1 with the blood flow)."
                .to_owned(),
            parts: vec![oxygenator],
            tubes: Vec::new(),
        });
        return;
    }
    let ratio = cx.param(&crate::rules::SWEEP_TO_BLOOD_MIN);
    if sweep_l_min < ratio * flow {
        out.push(Finding {
            rule: "readiness.sweep_low",
            severity: Severity::Warning,
            title: format!("Sweep gas {sweep_l_min:.2} L/min is low for {flow:.2} L/min of blood on {label}"),
            why: format!(
                "A gas:blood ratio of {:.2} (least {ratio}; survey range 0.5–0.8) clears too little CO2: PaCO2 climbs \
                 and, at this sweep, oxygen delivery falls behind.",
                sweep_l_min / flow
            ),
            fix: format!("Set the sweep to at least {:.2} L/min (about 1:1 with the blood flow).", ratio * flow),
            parts: vec![oxygenator],
            tubes: Vec::new(),
        });
    }
}

fn gas_and_water(cx: &Context, oxygenator: crate::ids::PartId, out: &mut Vec<Finding>) {
    let label = cx.label(oxygenator);
    if let Some(Controls::Gas { sweep_l_min, .. }) = cx.circuit.part(oxygenator).map(|p| p.controls) {
        sweep(cx, oxygenator, &label, sweep_l_min, out);
    }
    let served = cx.circuit.parts().any(|p| {
        p.mounted_on == Some(oxygenator)
            && matches!(cx.circuit.kind_of(cx.catalog, p.id), Some(PartKind::HeaterCooler { .. }))
    });
    if !served {
        out.push(Finding {
            rule: "readiness.heater_cooler",
            severity: Severity::Warning,
            title: format!("No heater-cooler on {label}"),
            why: format!(
                "The plan takes the patient to {} °C; without water through the heat exchanger the patient cannot \
                 be cooled or rewarmed under control.",
                cx.scenario.patient.target_temp_c
            ),
            fix: format!("Mount the heater-cooler on {label}'s heat exchanger."),
            parts: vec![oxygenator],
            tubes: Vec::new(),
        });
    }
}

/// Gravity drainage needs the venous reservoir well below the heart: at heart level there is no siphon.
fn reservoir_height(cx: &Context, out: &mut Vec<Finding>) {
    let Some(route) = &cx.main_line else { return };
    let least = cx.param(&crate::rules::DRAINAGE_DROP_MIN);
    let most = crate::rules::DRAINAGE_DROP_MAX_CM;
    for part in route.parts.iter().filter_map(|p| cx.circuit.part(*p)) {
        let hard_shell = matches!(
            cx.circuit.kind_of(cx.catalog, part.id),
            Some(PartKind::Reservoir { kind: crate::catalog::ReservoirType::HardShell, .. })
        );
        if !hard_shell || -part.height_cm >= least {
            continue;
        }
        let drop_cm = -part.height_cm;
        let place = if drop_cm.abs() < 0.5 {
            "at heart level".to_owned()
        } else if drop_cm < 0.0 {
            format!("{:.0} cm above the heart", -drop_cm)
        } else {
            format!("only {drop_cm:.0} cm below the heart")
        };
        let siphon = |cm: f64| crate::units::blood_column_mmhg(cm.max(0.0));
        out.push(Finding {
            rule: "readiness.reservoir_height",
            severity: Severity::Warning,
            title: format!("{} is {place}", cx.label(part.id)),
            why: format!(
                "Gravity drains the patient only as far as the reservoir sits below the heart: {least:.0}–{most:.0} cm \
                 gives {:.0}–{:.0} mmHg of siphon, {place} {}. With less siphon the venous return may fall short of \
                 the {:.2} L/min needed and the reservoir level drops.",
                siphon(least),
                siphon(most),
                if drop_cm < 0.5 { "gives none".to_owned() } else { format!("gives {:.0} mmHg", siphon(drop_cm)) },
                cx.target_flow_l_min()
            ),
            fix: format!("Lower the reservoir to {least:.0}–{most:.0} cm below the heart (Height in the inspector)."),
            parts: vec![part.id],
            tubes: Vec::new(),
        });
    }
}
