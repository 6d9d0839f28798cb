//! Alarms, computed from the simulated state against the scenario's limits, through the sensors the trainee
//! actually placed: no transducer after the pump, no line-pressure alarm; no level sensor, no level alarm.

use super::Simulation;
use super::network::{Network, Origin, PATIENT_ARTERIAL, PATIENT_VENOUS};
use crate::catalog::{Catalog, PartKind, port};
use crate::circuit::Circuit;
use crate::circuit::flow::{Rotation, Route, main_line};
use crate::ids::{PartId, PortRef};
use crate::scenario::Scenario;
use crate::scenario::temperature_scale;
use serde::{Deserialize, Serialize};

/// What a temperature probe resolves, °C (a monitor shows tenths). A display convention, not a clinical number.
const TEMP_PROBE_RESOLUTION_C: f64 = 0.1;

/// An alarm, by identity: attempt files store this, not the label, so renaming a label never changes a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Alarm {
    ArterialLinePressureHigh,
    VenousPressureLow,
    ReservoirLevelLow,
    FlowBelowTarget,
    Do2iLow,
    Svo2Low,
    MembranePressureDropHigh,
    ReversedArterialFlow,
    AirDetected,
    /// The oxygenator's arterial outlet is warmer than the limit (37 °C, [STS-temp]).
    OutletTemperatureHigh,
    /// The outlet and the venous inflow differ by more than the limit (10 °C; 4 °C once the outlet is ≥ 30 °C).
    TemperatureGradientHigh,
    /// A safety link stopped this pump; latched until acknowledged.
    SafetyStop(PartId),
    /// The patient's mean arterial pressure is above the scenario's window (on bypass).
    MapHigh,
    /// The patient's mean arterial pressure is below the scenario's window (on bypass).
    MapLow,
}

impl Alarm {
    /// The alarms attempt format 1 knew, by label.
    pub const ALL: [Alarm; 9] = [
        Alarm::ArterialLinePressureHigh,
        Alarm::VenousPressureLow,
        Alarm::ReservoirLevelLow,
        Alarm::FlowBelowTarget,
        Alarm::Do2iLow,
        Alarm::Svo2Low,
        Alarm::MembranePressureDropHigh,
        Alarm::ReversedArterialFlow,
        Alarm::AirDetected,
    ];

    /// The alarm a label names (attempt files of format version 1 stored labels).
    pub fn from_label(label: &str) -> Option<Alarm> {
        Self::ALL.into_iter().find(|alarm| alarm.label() == label)
    }

    /// Where the alarm stands when several sound, first first: what the machine or the circuit says (a pump
    /// stopped, air, flow reversed, a line pressure, the reservoir) before what the patient shows as its
    /// consequence (flow, pressure, delivery). A display order, UNSOURCED: the reference ranks no alarms.
    pub fn urgency(self) -> u8 {
        match self {
            Alarm::SafetyStop(_) | Alarm::AirDetected | Alarm::ReversedArterialFlow => 0,
            Alarm::ArterialLinePressureHigh | Alarm::VenousPressureLow | Alarm::ReservoirLevelLow => 1,
            Alarm::MembranePressureDropHigh | Alarm::OutletTemperatureHigh | Alarm::TemperatureGradientHigh => 2,
            Alarm::FlowBelowTarget | Alarm::MapHigh | Alarm::MapLow => 3,
            Alarm::Do2iLow | Alarm::Svo2Low => 4,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Alarm::ArterialLinePressureHigh => "Arterial line pressure high",
            Alarm::VenousPressureLow => "Venous line pressure too negative",
            Alarm::ReservoirLevelLow => "Reservoir level low",
            Alarm::FlowBelowTarget => "Flow below target",
            Alarm::Do2iLow => "DO2i low",
            Alarm::Svo2Low => "SvO2 low",
            Alarm::MembranePressureDropHigh => "Oxygenator pressure drop high",
            Alarm::ReversedArterialFlow => "Reversed arterial flow",
            Alarm::AirDetected => "Air at the bubble detector",
            Alarm::OutletTemperatureHigh => "Arterial outlet temperature high",
            Alarm::TemperatureGradientHigh => "Temperature gradient high",
            Alarm::SafetyStop(_) => "Pump stopped by its safety link",
            Alarm::MapHigh => "Mean arterial pressure high",
            Alarm::MapLow => "Mean arterial pressure low",
        }
    }
}

/// Which of the alarms a brief swing can set off sounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransientAlarms {
    pub arterial_line_high: bool,
    pub venous_line_low: bool,
    pub air: bool,
}

impl TransientAlarms {
    /// Both together: what sounded at either.
    pub fn or(self, other: TransientAlarms) -> TransientAlarms {
        TransientAlarms {
            arterial_line_high: self.arterial_line_high || other.arterial_line_high,
            venous_line_low: self.venous_line_low || other.venous_line_low,
            air: self.air || other.air,
        }
    }

    pub fn alarms(self) -> impl Iterator<Item = Alarm> {
        [
            (self.arterial_line_high, Alarm::ArterialLinePressureHigh),
            (self.venous_line_low, Alarm::VenousPressureLow),
            (self.air, Alarm::AirDetected),
        ]
        .into_iter()
        .filter_map(|(sounded, alarm)| sounded.then_some(alarm))
    }
}

/// A reservoir a level sensor watches: its node, its minimum operating level, mL, and the branches into it (+1) and
/// out of it (−1), so its level's rate needs no search of the network.
#[derive(Debug, Clone)]
struct SensedLevel {
    node: usize,
    min_ml: f64,
    branches: Vec<(usize, f64)>,
}

/// Where the sensors are, worked out once per circuit revision.
#[derive(Debug, Clone, Default)]
pub struct Monitors {
    /// Transducer nodes on the main line after the arterial pump, before the oxygenator where there is one.
    arterial_line: Vec<usize>,
    /// Transducer nodes on the main line before the arterial pump.
    venous_line: Vec<usize>,
    pre_membrane: Vec<usize>,
    post_membrane: Vec<usize>,
    /// Reservoirs with a level sensor.
    levels: Vec<SensedLevel>,
    /// Branches of the return cannulae (flow into the patient is positive).
    returns: Vec<usize>,
    /// Nodes where bubble detectors sit.
    bubbles: Vec<usize>,
    /// Whether any pump runs: alarms about flow and delivery sound only once blood is being moved.
    pump_running: bool,
    /// Whether the arterial pump is set turning backwards (the console knows its own direction).
    pump_reversed: bool,
    /// The main-line oxygenator's arterial outlet and venous inlet nodes (its outlet probe and the blood reaching
    /// it).
    temperatures: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct Limits {
    arterial_line_max_mmhg: f64,
    venous_line_min_mmhg: f64,
    target_flow_l_min: f64,
    do2i_min: f64,
    svo2_min: f64,
    membrane_dp_max_mmhg: f64,
    outlet_temp_max_c: f64,
    temp_gradient_max_c: f64,
    warm_temp_gradient_max_c: f64,
    /// The mean arterial pressure window on bypass, mmHg.
    map_mmhg: (f64, f64),
    /// The flow and DO2i targets' share by body temperature (`Targets::temperature_scaling`).
    temperature_scaling: Vec<(f64, f64)>,
}

/// Share of its limit a reading must pass for a patient alarm that is sounding to clear (hysteresis): DO2i at 271–273
/// against 272 raised and cleared the alarm every few seconds. UNSOURCED: monitors clear a little past the limit;
/// 2 % is about the reading's own noise.
pub const CLEAR_MARGIN: f64 = 0.02;

/// A level sensor sounds "Reservoir level low" before its safety link stops the pump at the minimum operating level
/// when the level is falling fast enough to reach that minimum within this time, s: the alert leaves time to add
/// volume or slow the pump (§8: a falling level is answered before the level detector stops the pump). UNSOURCED: a
/// minute, long enough to act; a level that drifts (the neonate's reservoir loses 0.01 mL/s near its minimum) does
/// not sound.
const LEVEL_WARNING_S: f64 = 60.0;

/// Below its minimum, or falling toward it fast enough to get there within `LEVEL_WARNING_S` from under twice the
/// minimum.
fn level_low(simulation: &Simulation, level: &SensedLevel) -> bool {
    let level_ml = simulation.node_volume_ml(level.node);
    if level_ml < level.min_ml {
        return true;
    }
    if level_ml >= 2.0 * level.min_ml {
        return false;
    }
    let flows = &simulation.state().flows_m3_s;
    let net_in_ml_s: f64 =
        level.branches.iter().map(|(branch, sign)| sign * flows.get(*branch).copied().unwrap_or(0.0) * 1e6).sum();
    net_in_ml_s < 0.0 && (level_ml - level.min_ml) / -net_in_ml_s < LEVEL_WARNING_S
}

/// From this outlet temperature the tighter gradient applies, °C [STS-temp] (reference §6.9).
const WARM_OUTLET_C: f64 = 30.0;

/// Share of the target flow below which "flow below target" sounds. UNSOURCED: a tenth under target, so the
/// alarm marks a real shortfall rather than rounding.
const FLOW_ALARM_FRACTION: f64 = 0.9;
/// Share of air in the blood a bubble detector reports. UNSOURCED: detectors are rated by bubble size, which the
/// model does not carry; one part in a thousand by volume is taken as a detectable bubble stream.
pub const AIR_DETECTION_SHARE: f64 = 0.001;
/// Backward flow through a return cannula that counts as reversed, L/min (beyond a roller's back-leak).
const REVERSED_FLOW_L_MIN: f64 = -0.05;

#[derive(Debug, Clone)]
pub struct AlarmWatch {
    monitors: Monitors,
    limits: Limits,
}

impl AlarmWatch {
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog, network: &Network) -> Self {
        let targets = &scenario.targets;
        let limits = Limits {
            arterial_line_max_mmhg: targets.arterial_line_max_mmhg,
            venous_line_min_mmhg: targets.venous_line_min_mmhg,
            target_flow_l_min: scenario.derived().target_flow_l_min,
            do2i_min: targets.do2i_min_ml_min_m2,
            svo2_min: targets.svo2_min,
            membrane_dp_max_mmhg: targets.membrane_dp_max_mmhg,
            outlet_temp_max_c: targets.outlet_temp_max_c,
            temp_gradient_max_c: targets.temp_gradient_max_c,
            warm_temp_gradient_max_c: targets.warm_temp_gradient_max_c,
            map_mmhg: (targets.map_min_mmhg, targets.map_max_mmhg),
            temperature_scaling: targets.temperature_scaling.clone(),
        };
        let mut monitors = main_line(circuit, catalog, Rotation::AsBuilt)
            .map(|route| monitors(&route, circuit, catalog, network))
            .unwrap_or_default();
        // The patient's alarms (flow, MAP, DO2i, SvO2) sound once any pump turns, main line or not: a pump on a
        // half-built circuit, or a sucker with the arterial pump stopped, moves the patient's blood as surely.
        monitors.pump_running = circuit.any_pump_turning();
        Self { monitors, limits }
    }

    /// The alarms a brief swing can set off (line pressures, air at a detector), checked at every step: cheap,
    /// without allocating. The session adds those that sounded at any step to its next look.
    pub fn transient(&self, simulation: &Simulation) -> TransientAlarms {
        let m = &self.monitors;
        let l = &self.limits;
        let above = |nodes: &[usize], limit: f64| nodes.iter().any(|n| simulation.node_pressure_mmhg(*n) > limit);
        let below = |nodes: &[usize], limit: f64| nodes.iter().any(|n| simulation.node_pressure_mmhg(*n) < limit);
        TransientAlarms {
            arterial_line_high: above(&m.arterial_line, l.arterial_line_max_mmhg),
            venous_line_low: below(&m.venous_line, l.venous_line_min_mmhg),
            air: m.bubbles.iter().any(|n| simulation.node_blood(*n).is_some_and(|b| b.air > AIR_DETECTION_SHARE)),
        }
    }

    /// The alarms sounding now; those in `sounding` (on a moment ago) clear only `CLEAR_MARGIN` past their limit.
    pub fn active(&self, simulation: &Simulation, sounding: &[Alarm]) -> Vec<Alarm> {
        let m = &self.monitors;
        let l = &self.limits;
        // The share of a limit a reading must pass for an alarm already sounding to clear.
        let margin = |alarm: Alarm| if sounding.contains(&alarm) { CLEAR_MARGIN } else { 0.0 };
        let pressure = |nodes: &[usize]| nodes.iter().map(|n| simulation.node_pressure_mmhg(*n)).collect::<Vec<_>>();
        let mut alarms = Vec::new();
        if pressure(&m.arterial_line).iter().any(|p| *p > l.arterial_line_max_mmhg) {
            alarms.push(Alarm::ArterialLinePressureHigh);
        }
        if pressure(&m.venous_line).iter().any(|p| *p < l.venous_line_min_mmhg) {
            alarms.push(Alarm::VenousPressureLow);
        }
        if m.levels.iter().any(|level| level_low(simulation, level)) {
            alarms.push(Alarm::ReservoirLevelLow);
        }
        let (pre, post) = (pressure(&m.pre_membrane), pressure(&m.post_membrane));
        if let (Some(pre), Some(post)) = (pre.iter().copied().reduce(f64::max), post.iter().copied().reduce(f64::min))
            && pre - post > l.membrane_dp_max_mmhg
        {
            alarms.push(Alarm::MembranePressureDropHigh);
        }
        let return_flow: Option<f64> = (!m.returns.is_empty()).then(|| {
            m.returns
                .iter()
                .filter_map(|b| simulation.state().flows_m3_s.get(*b))
                .map(|q| crate::units::m3_s_to_l_min(*q))
                .sum()
        });
        if m.bubbles.iter().any(|n| simulation.node_blood(*n).is_some_and(|b| b.air > AIR_DETECTION_SHARE)) {
            alarms.push(Alarm::AirDetected);
        }
        // Backwards through the return, or the pump turning backwards on the arterial line (C3 [Mills-1980]) even
        // where a collapsing aorta lets little blood move.
        if m.pump_reversed || return_flow.is_some_and(|q| q < REVERSED_FLOW_L_MIN) {
            alarms.push(Alarm::ReversedArterialFlow);
        }
        if m.pump_running {
            // Targets follow the patient's temperature as the scenario states (reference §6.3, §6.6).
            let scale = temperature_scale(&l.temperature_scaling, simulation.body_temp_c());
            let flow_limit = FLOW_ALARM_FRACTION * l.target_flow_l_min * scale;
            if return_flow.is_some_and(|q| q < flow_limit * (1.0 + margin(Alarm::FlowBelowTarget))) {
                alarms.push(Alarm::FlowBelowTarget);
            }
            if simulation.do2i_ml_min_m2() < l.do2i_min * scale * (1.0 + margin(Alarm::Do2iLow)) {
                alarms.push(Alarm::Do2iLow);
            }
            let svo2_limit = l.svo2_min * (1.0 + margin(Alarm::Svo2Low));
            if simulation.node_blood(PATIENT_VENOUS).is_some_and(|b| b.sat < svo2_limit) {
                alarms.push(Alarm::Svo2Low);
            }
            let map = simulation.node_pressure_mmhg(PATIENT_ARTERIAL);
            if map > l.map_mmhg.1 * (1.0 - margin(Alarm::MapHigh)) {
                alarms.push(Alarm::MapHigh);
            } else if map < l.map_mmhg.0 * (1.0 + margin(Alarm::MapLow)) {
                alarms.push(Alarm::MapLow);
            }
            // The outlet probe reads the blood leaving the oxygenator, so only while blood flows through it.
            if let Some((outlet, inlet)) = m.temperatures
                && let (Some(out), Some(into)) = (simulation.node_blood(outlet), simulation.node_blood(inlet))
            {
                // The probe reads tenths of a degree: water at 37 °C holds the outlet at 37.0, which is not above
                // the 37 °C limit however the last digits of the model round.
                if out.temp_c > l.outlet_temp_max_c + TEMP_PROBE_RESOLUTION_C / 2.0 {
                    alarms.push(Alarm::OutletTemperatureHigh);
                }
                let limit =
                    if out.temp_c >= WARM_OUTLET_C { l.warm_temp_gradient_max_c } else { l.temp_gradient_max_c };
                if (out.temp_c - into.temp_c).abs() > limit {
                    alarms.push(Alarm::TemperatureGradientHigh);
                }
            }
        }
        alarms.extend(simulation.state().safety_stops.iter().filter(|s| s.latched).map(|s| Alarm::SafetyStop(s.pump)));
        alarms.sort();
        alarms.dedup();
        alarms
    }
}

fn monitors(route: &Route, circuit: &Circuit, catalog: &Catalog, network: &Network) -> Monitors {
    let position_of = |wanted: fn(&PartKind) -> bool| {
        route.parts.iter().position(|p| circuit.kind_of(catalog, *p).is_some_and(wanted))
    };
    let pump_at = position_of(|k| matches!(k, PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }));
    let oxygenator_at = position_of(|k| matches!(k, PartKind::Oxygenator { .. }));
    let pump: Option<PartId> = pump_at.and_then(|i| route.parts.get(i).copied());
    let pump_reversed = pump.and_then(|p| circuit.part(p)).is_some_and(|p| {
        matches!(
            p.controls,
            crate::circuit::Controls::Pump { rpm, direction: crate::circuit::PumpDirection::Reverse, .. } if rpm > 0.0
        )
    });
    let mut m = Monitors { pump_reversed, ..Monitors::default() };
    for transducer in
        circuit.parts().filter(|p| matches!(circuit.kind_of(catalog, p.id), Some(PartKind::PressureTransducer)))
    {
        let Some(node) = network.port_node.get(&PortRef::new(transducer.id, port::LINE)).copied() else { continue };
        let Some(sensed) = circuit.connected_to(&PortRef::new(transducer.id, port::LINE)) else { continue };
        // On the oxygenator's own sampling ports: before the membrane (venous side) or after it.
        if Some(sensed.part) == oxygenator_at.and_then(|o| route.parts.get(o).copied()) {
            if sensed.port == port::SAMPLING_VENOUS {
                m.arterial_line.push(node);
                m.pre_membrane.push(node);
            } else if sensed.port == port::SAMPLING_ARTERIAL {
                m.post_membrane.push(node);
                m.arterial_line.push(node);
            }
            continue;
        }
        let Some(at) = route.position(sensed.part) else { continue };
        match (pump_at, oxygenator_at) {
            (Some(p), _) if at < p => m.venous_line.push(node),
            (Some(p), Some(o)) if at > p && at < o => {
                m.arterial_line.push(node);
                m.pre_membrane.push(node);
            }
            (Some(p), Some(o)) if at > o && at > p => {
                m.post_membrane.push(node);
                // Without a pre-membrane transducer, the post-membrane one watches the line pressure.
                m.arterial_line.push(node);
            }
            (Some(p), None) if at > p => m.arterial_line.push(node),
            _ => {}
        }
    }
    for (index, node) in network.nodes.iter().enumerate() {
        if let super::network::NodeKind::Reservoir { part, min_level_m3, .. } = node.kind {
            let sensed = circuit.parts().any(|p| {
                p.mounted_on == Some(part) && matches!(circuit.kind_of(catalog, p.id), Some(PartKind::LevelSensor))
            });
            if sensed && route.parts.contains(&part) {
                let branches = network
                    .branches
                    .iter()
                    .enumerate()
                    .filter_map(|(b, branch)| match (branch.to == index, branch.from == index) {
                        (true, false) => Some((b, 1.0)),
                        (false, true) => Some((b, -1.0)),
                        _ => None,
                    })
                    .collect();
                m.levels.push(SensedLevel { node: index, min_ml: min_level_m3 * 1e6, branches });
            }
        }
    }
    m.bubbles = circuit
        .parts()
        .filter(|p| matches!(circuit.kind_of(catalog, p.id), Some(PartKind::BubbleDetector)))
        .filter_map(|p| network.port_node.get(&PortRef::new(p.id, port::SIDE_A)).copied())
        .collect();
    let oxygenator = oxygenator_at.and_then(|o| route.parts.get(o).copied());
    m.temperatures = oxygenator.and_then(|o| {
        let node = |name: &str| network.port_node.get(&PortRef::new(o, name)).copied();
        Some((node(port::ARTERIAL_OUTLET)?, node(port::VENOUS_INLET)?))
    });
    // What the pump returns reaches the patient through every cannula that enters a vessel: the return cannula and
    // a distal perfusion cannula fed from it.
    m.returns = network
        .branches
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            matches!(b.origin, Origin::Part(p) if matches!(circuit.kind_of(catalog, p), Some(PartKind::Cannula { .. })))
        })
        .filter(|(_, b)| network.is_patient(b.to))
        .map(|(i, _)| i)
        .collect();
    m
}
