//! Ready to go on bypass: clamps, recirculation, occlusion, gas, heater-cooler.

use super::order::{first_of, is_oxygenator};
use super::{Context, Finding, Severity};
use crate::catalog::PartKind;
use crate::circuit::Controls;
use crate::ids::PortRef;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    reservoir_height(cx, out);
    if let Some(route) = &cx.main_line {
        for tube in route.tubes.iter().filter_map(|t| cx.circuit.tube(*t)).filter(|t| t.clamped) {
            out.push(Finding {
                rule: "readiness.clamp_on_main_line",
                severity: Severity::Critical,
                title: format!("A clamp is on the main line: {}", cx.circuit.tube_label(cx.catalog, tube)),
                why: format!(
                    "Going on bypass against a clamp gives no flow to the patient (who needs {:.2} L/min) and, with \
                     a roller pump, a line pressure that rises until something bursts.",
                    cx.target_flow_l_min()
                ),
                fix: "Remove the clamp before starting the pump (arterial line first, then venous).".to_owned(),
                parts: vec![tube.from.part, tube.to.part],
                tubes: vec![tube.id],
            });
        }
        if let Some((_, oxygenator)) = first_of(cx, route, is_oxygenator) {
            gas_and_water(cx, oxygenator, out);
        }
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

fn gas_and_water(cx: &Context, oxygenator: crate::ids::PartId, out: &mut Vec<Finding>) {
    let label = cx.label(oxygenator);
    let (most_asked, ratio) = (cx.param(&crate::rules::SWEEP_MIN), cx.param(&crate::rules::SWEEP_TO_BLOOD_MIN));
    let least_l_min = most_asked.min(ratio * cx.target_flow_l_min());
    if let Some(Controls::Gas { sweep_l_min, .. }) = cx.circuit.part(oxygenator).map(|p| p.controls)
        && sweep_l_min < least_l_min
    {
        out.push(Finding {
            rule: "readiness.sweep_gas",
            severity: Severity::Advice,
            title: format!("No sweep gas set on {label}"),
            why: format!(
                "Blood needs at least {least_l_min:.2} L/min of sweep gas here ({ratio} × the target blood flow, at \
                 most {most_asked}) as soon as it circulates, or it leaves the oxygenator unoxygenated."
            ),
            fix: "Set the sweep gas and FiO2 ready to open with the first flow.".to_owned(),
            parts: vec![oxygenator],
            tubes: Vec::new(),
        });
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
    for part in route.parts.iter().filter_map(|p| cx.circuit.part(*p)) {
        let hard_shell = matches!(
            cx.circuit.kind_of(cx.catalog, part.id),
            Some(PartKind::Reservoir { kind: crate::catalog::ReservoirType::HardShell, .. })
        );
        if !hard_shell || -part.height_cm >= least {
            continue;
        }
        out.push(Finding {
            rule: "readiness.reservoir_height",
            severity: Severity::Warning,
            title: format!("{} is {:.0} cm below the heart", cx.label(part.id), -part.height_cm),
            why: format!(
                "Gravity drains the patient only as far as the reservoir sits below the heart: {least:.0}–70 cm \
                 gives 31–54 mmHg of siphon; at {:.0} cm the venous return falls short of the {:.2} L/min needed.",
                -part.height_cm,
                cx.target_flow_l_min()
            ),
            fix: format!("Lower the reservoir to {least:.0}–70 cm below the heart (Height in the inspector)."),
            parts: vec![part.id],
            tubes: Vec::new(),
        });
    }
}
