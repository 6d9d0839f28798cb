//! The scenario's timed faults, applied to the network at their time so their consequences come out of the
//! physics: a failing oxygenator transfers less and resists more, a kinked line narrows, a power loss stops the
//! arterial pump, a disconnected venous line opens to the air, vasoconstriction raises the SVR.

use super::law::Law;
use super::network::{
    ATMOSPHERE, BLEEDING_REFERENCE_PA, Branch, CLAMP_RESISTANCE, Exchange, FIELD, Network, OPEN_PORT_RESISTANCE,
    Origin, ROLLER_LEAK_RESISTANCE,
};
use crate::catalog::{Catalog, PartKind};
use crate::circuit::Circuit;
use crate::circuit::flow::{Rotation, main_line};
use crate::ids::{PartId, TubeId};
use crate::scenario::{CannulaSite, DeviceRole, Fault, FaultKind, LineRole, Scenario};

/// The suction at which a venous air entry draws its scenario rate, Pa. UNSOURCED: 30 mmHg, a usual gravity-drained
/// venous line pressure (§6.10 gives 31–54 mmHg of siphon).
const AIR_ENTRY_REFERENCE_SUCTION_PA: f64 = 30.0 * crate::units::PA_PER_MMHG;

/// The pressure inside a leaking device at which it leaks its scenario rate, Pa. UNSOURCED: 100 mmHg, a usual
/// pressure on the arterial side of a running circuit (§6.8 gives the line limits, not a leak's).
const LEAK_REFERENCE_PA: f64 = 100.0 * crate::units::PA_PER_MMHG;

/// Discharge coefficient of a sharp-edged orifice (PHYS: the textbook 0.6), for the narrowing of a kink.
const ORIFICE_DISCHARGE_COEFFICIENT: f64 = 0.6;

/// The parts and lines faults act on and responses are judged by, found by their role in a circuit: what an
/// instructor names ("the arterial line", "the oxygenator") without knowing the trainee's part ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roles {
    arterial_pump: Option<PartId>,
    oxygenator: Option<PartId>,
    arterial_filter: Option<PartId>,
    /// The heater-cooler on the main oxygenator's water ports.
    heater_cooler: Option<PartId>,
    /// The cannulae where the main line starts (drainage) and ends (return).
    drainage_cannula: Option<PartId>,
    return_cannula: Option<PartId>,
    /// Main-line tubes from the drainage cannula to the first reservoir or pump.
    venous_tubes: Vec<TubeId>,
    /// Main-line tubes after the arterial pump.
    arterial_tubes: Vec<TubeId>,
}

impl Roles {
    /// The roles in `circuit`, along its main line as built (none that the circuit lacks).
    pub fn of(circuit: &Circuit, catalog: &Catalog) -> Self {
        let mut roles = Roles::default();
        let Some(route) = main_line(circuit, catalog, Rotation::AsBuilt) else { return roles };
        let is = |part: PartId, wanted: fn(&PartKind) -> bool| circuit.kind_of(catalog, part).is_some_and(wanted);
        let pump_at = route
            .parts
            .iter()
            .position(|p| is(*p, |k| matches!(k, PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })));
        roles.arterial_pump = pump_at.and_then(|i| route.parts.get(i).copied());
        roles.oxygenator = route.parts.iter().copied().find(|p| is(*p, |k| matches!(k, PartKind::Oxygenator { .. })));
        roles.arterial_filter =
            route.parts.iter().copied().find(|p| is(*p, |k| matches!(k, PartKind::ArterialFilter { .. })));
        roles.heater_cooler = circuit
            .parts()
            .find(|p| p.mounted_on.is_some() && p.mounted_on == roles.oxygenator)
            .filter(|p| is(p.id, |k| matches!(k, PartKind::HeaterCooler { .. })))
            .map(|p| p.id);
        let cannula =
            |part: Option<&PartId>| part.copied().filter(|p| is(*p, |k| matches!(k, PartKind::Cannula { .. })));
        roles.drainage_cannula = cannula(route.parts.first());
        roles.return_cannula = cannula(route.parts.last());
        let first_stage = route.parts.iter().position(|p| {
            is(*p, |k| {
                matches!(k, PartKind::Reservoir { .. } | PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })
            })
        });
        for tube in &route.tubes {
            let Some(t) = circuit.tube(*tube) else { continue };
            let at = route.position(t.from.part).max(route.position(t.to.part));
            match (at, first_stage, pump_at) {
                (Some(at), Some(stage), _) if at <= stage => roles.venous_tubes.push(*tube),
                (Some(at), _, Some(pump)) if at > pump => roles.arterial_tubes.push(*tube),
                _ => {}
            }
        }
        roles
    }

    /// The circuit's arterial pump, when it has one.
    pub fn arterial_pump(&self) -> Option<PartId> {
        self.arterial_pump
    }

    /// The oxygenator on the main line, when there is one.
    pub fn oxygenator(&self) -> Option<PartId> {
        self.oxygenator
    }

    /// The main line's device in `role`.
    pub fn device(&self, role: DeviceRole) -> Option<PartId> {
        match role {
            DeviceRole::Oxygenator => self.oxygenator,
            DeviceRole::ArterialFilter => self.arterial_filter,
            DeviceRole::ArterialPump => self.arterial_pump,
        }
    }

    /// The main line's cannula at `site`.
    pub fn cannula(&self, site: CannulaSite) -> Option<PartId> {
        match site {
            CannulaSite::Return => self.return_cannula,
            CannulaSite::Drainage => self.drainage_cannula,
        }
    }

    /// Whether `tube` is part of the line.
    pub fn in_line(&self, tube: TubeId, line: LineRole) -> bool {
        match line {
            LineRole::Venous => self.venous_tubes.contains(&tube),
            LineRole::Arterial => self.arterial_tubes.contains(&tube),
        }
    }

    /// The tube of a line where its faults act: the venous line where it starts at the cannula, the arterial line
    /// where it ends at it (the long line to the field).
    pub fn line_end(&self, line: LineRole) -> Option<TubeId> {
        match line {
            LineRole::Venous => self.venous_tubes.first().copied(),
            LineRole::Arterial => self.arterial_tubes.last().copied(),
        }
    }
}

/// Where a fault acts, in the trainee's circuit: what an intervention that puts it right must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Tube(TubeId),
    Part(PartId),
}

/// A fault that has fired: its index among the scenario's faults, what it is, and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Fired {
    pub index: usize,
    pub kind: FaultKind,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct FaultSchedule {
    /// The faults still to come, each with its index among the scenario's, in time order.
    pending: Vec<(usize, Fault)>,
    roles: Roles,
    /// The lumen of each line's end tube, m²: where a kink narrows it.
    lumens_m2: Vec<(TubeId, f64)>,
    /// Pump branches to restart when a power loss ends: (time, branch, head the pump provides).
    restore: Vec<(f64, usize, f64)>,
    /// Model time at which bypass started (the arterial pump running), when it has: the faults' clock.
    started_s: Option<f64>,
    /// The faults that have fired, in order.
    fired: Vec<Fired>,
    /// When (on the faults' clock) the perfusionist restarted the arterial pump: a power loss "until restarted"
    /// that began before then ends then (restart, hand crank: reference §8 [Southland] [Handcrank-1987]).
    power_restored_s: Option<f64>,
    /// A power loss until restarted is stopping the arterial pump now.
    power_off: bool,
}

impl FaultSchedule {
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let roles = Roles::of(circuit, catalog);
        let lumens_m2 = [LineRole::Venous, LineRole::Arterial]
            .into_iter()
            .filter_map(|line| roles.line_end(line))
            .filter_map(|tube| {
                let tubing = catalog.tubing(&circuit.tube(tube)?.tubing)?;
                let radius_m = tubing.inner_diameter_mm / 2000.0;
                Some((tube, std::f64::consts::PI * radius_m * radius_m))
            })
            .collect();
        let mut pending: Vec<(usize, Fault)> = scenario.faults.iter().cloned().enumerate().collect();
        pending.sort_by(|a, b| a.1.at_s.total_cmp(&b.1.at_s));
        // Faults count from the start of bypass; without timed commands yet, bypass starts with the run when the
        // circuit's arterial pump is set running, and never otherwise.
        let running = roles
            .arterial_pump
            .and_then(|p| circuit.part(p))
            .is_some_and(|p| matches!(p.controls, crate::circuit::Controls::Pump { rpm, .. } if rpm > 0.0));
        Self {
            pending,
            roles,
            lumens_m2,
            restore: Vec::new(),
            started_s: running.then_some(0.0),
            fired: Vec::new(),
            power_restored_s: None,
            power_off: false,
        }
    }

    /// Starts the faults' clock at `now_s` if bypass has not started yet and the circuit's arterial pump now runs.
    pub fn start_if_running(&mut self, circuit: &Circuit, now_s: f64) {
        let running = self
            .roles
            .arterial_pump
            .and_then(|p| circuit.part(p))
            .is_some_and(|p| matches!(p.controls, crate::circuit::Controls::Pump { rpm, .. } if rpm > 0.0));
        if self.started_s.is_none() && running {
            self.started_s = Some(now_s);
        }
    }

    /// The circuit's arterial pump, when it has one.
    pub fn arterial_pump(&self) -> Option<PartId> {
        self.roles.arterial_pump
    }

    /// The faults that have fired so far, in order.
    pub fn fired(&self) -> &[Fired] {
        &self.fired
    }

    /// Where `kind` acts in this circuit: the tube or part an intervention must name to put it right (none for a
    /// fault no intervention undoes, such as a power loss or a change of resistance).
    pub fn place(&self, kind: &FaultKind) -> Option<Place> {
        match kind {
            FaultKind::OxygenatorFailure { .. } => self.roles.oxygenator.map(Place::Part),
            FaultKind::LineKink { line, .. } | FaultKind::AirEntry { line, .. } => {
                self.roles.line_end(*line).map(Place::Tube)
            }
            FaultKind::VenousDisconnection => self.roles.line_end(LineRole::Venous).map(Place::Tube),
            FaultKind::Disconnection { line } | FaultKind::PortOpen { line } => {
                self.roles.line_end(*line).map(Place::Tube)
            }
            FaultKind::Decannulation { cannula } => self.roles.cannula(*cannula).map(Place::Part),
            FaultKind::CannulaMalposition { .. } => self.roles.cannula(CannulaSite::Return).map(Place::Part),
            FaultKind::Leak { device, .. } | FaultKind::Clot { device, .. } => {
                self.roles.device(*device).map(Place::Part)
            }
            FaultKind::PumpSpeedSurge { .. } => self.roles.arterial_pump.map(Place::Part),
            FaultKind::HeaterCoolerFailure { .. } => self.roles.heater_cooler.map(Place::Part),
            FaultKind::GasSupplyFailure => self.roles.oxygenator.map(Place::Part),
            FaultKind::PumpPowerLoss { .. } | FaultKind::HighSvr { .. } | FaultKind::PatientBleeding { .. } => None,
        }
    }

    /// Whether `pump` is the arterial pump and a power loss is stopping it: one until restarted, or one whose
    /// power has not come back yet.
    pub fn power_lost(&self, pump: PartId) -> bool {
        self.roles.arterial_pump == Some(pump) && (self.power_off || !self.restore.is_empty())
    }

    /// The perfusionist restarts `pump` at model time `now_s` (battery, hand crank): a power loss ends.
    pub fn restore_power(&mut self, pump: PartId, now_s: f64) {
        if let (Some(started_s), true) = (self.started_s, self.roles.arterial_pump == Some(pump)) {
            self.power_restored_s = Some(now_s - started_s);
            self.power_off = false;
        }
    }

    /// Applies the faults due by `now_s` (those in `resolved`, put right since, fire without acting) and ends those
    /// whose time is over. Returns whether the network changed.
    pub fn apply_due(&mut self, now_s: f64, network: &mut Network, resolved: &[usize]) -> bool {
        let Some(started_s) = self.started_s else { return false };
        let time_s = now_s - started_s;
        let mut changed = false;
        while self.pending.first().is_some_and(|(_, f)| f.at_s <= time_s) {
            let (index, fault) = self.pending.remove(0);
            if !resolved.contains(&index) {
                self.apply(&fault, network);
            }
            self.fired.push(Fired { index, kind: fault.kind.clone(), description: fault.kind.describe() });
            changed = true;
        }
        let (due, kept): (Vec<_>, Vec<_>) = self.restore.drain(..).partition(|(at, _, _)| *at <= time_s);
        self.restore = kept;
        for (_, branch, head_pa) in due {
            if let Some(b) = network.branches.get_mut(branch) {
                b.law.head_pa += head_pa;
                b.pump_head_pa = head_pa;
                changed = true;
            }
        }
        changed
    }

    fn apply(&mut self, fault: &Fault, network: &mut Network) {
        let branches_of = |network: &Network, origin: &Origin| -> Vec<usize> {
            network.branches.iter().enumerate().filter(|(_, b)| b.origin == *origin).map(|(i, _)| i).collect()
        };
        match fault.kind {
            FaultKind::OxygenatorFailure { transfer_fraction, resistance_factor } => {
                let Some(oxygenator) = self.roles.oxygenator else { return };
                for i in branches_of(network, &Origin::Part(oxygenator)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        b.law.a *= resistance_factor;
                        b.law.b *= resistance_factor;
                        // A failing membrane passes both gases worse.
                        if let Exchange::Oxygenator { transfer_ml_min, co2_clearance, membrane_efficiency, .. } =
                            &mut b.exchange
                        {
                            *transfer_ml_min *= transfer_fraction;
                            *co2_clearance *= transfer_fraction;
                            *membrane_efficiency *= transfer_fraction;
                        }
                    }
                }
            }
            FaultKind::PumpPowerLoss { duration_s } => {
                let Some(pump) = self.roles.arterial_pump else { return };
                // The power comes back after `duration_s` (none: "until restarted"), or sooner when the perfusionist
                // restarted the pump after it went (battery, hand crank).
                let restarted = self.power_restored_s.filter(|t| *t >= fault.at_s);
                let back = (duration_s > 0.0).then_some(fault.at_s + duration_s);
                let back = match (back, restarted) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                self.power_off = back.is_none();
                for i in branches_of(network, &Origin::Part(pump)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        if let Some(at) = back {
                            self.restore.push((at, i, b.pump_head_pa));
                        }
                        // A stopped head keeps only the gravity share of the branch's head.
                        b.law.head_pa -= b.pump_head_pa;
                        b.pump_head_pa = 0.0;
                    }
                }
            }
            FaultKind::LineKink { line, open_fraction } => {
                let Some(tube) = self.roles.line_end(line) else { return };
                let lumen_m2 = self.lumens_m2.iter().find(|(t, _)| *t == tube).map(|(_, a)| *a);
                for i in branches_of(network, &Origin::Tube(tube)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        // Poiseuille: resistance grows as the square of the lost area (R ∝ 1/r⁴ ∝ 1/A²), PHYS.
                        b.law.a = if open_fraction > 0.0 {
                            b.law.a / (open_fraction * open_fraction)
                        } else {
                            CLAMP_RESISTANCE
                        };
                        b.law.a = b.law.a.min(CLAMP_RESISTANCE);
                        // And the kink itself is an orifice: Δp = ρQ²/(2(Cd·A)²) through what is left open (PHYS).
                        if let (Some(lumen_m2), true) = (lumen_m2, open_fraction > 0.0) {
                            let open_m2 = ORIFICE_DISCHARGE_COEFFICIENT * open_fraction * lumen_m2;
                            b.law.b += crate::units::BLOOD_DENSITY_KG_M3 / (2.0 * open_m2 * open_m2);
                        }
                    }
                }
            }
            FaultKind::VenousDisconnection => self.come_apart(LineRole::Venous, network),
            FaultKind::Disconnection { line } => self.come_apart(line, network),
            FaultKind::HighSvr { factor } => {
                for i in branches_of(network, &Origin::Systemic) {
                    if let Some(b) = network.branches.get_mut(i) {
                        b.law.a *= factor;
                    }
                }
            }
            FaultKind::AirEntry { line, ml_per_min } => {
                // Air enters the line where it starts (venous: at the cannula) or where it leaves the pump side
                // (arterial: the line to the patient).
                let Some(tube) = self.roles.line_end(line) else { return };
                let Some(node) = branches_of(network, &Origin::Tube(tube))
                    .first()
                    .and_then(|i| network.branches.get(*i))
                    .map(|b| b.from)
                else {
                    return;
                };
                let set = crate::units::l_min_to_m3_s(ml_per_min / 1000.0);
                let law = match line {
                    // The venous line draws air in through the opening only while its pressure is below the room's:
                    // `ml_per_min` at the usual drainage suction, none once drainage stops (an air-locked pump): air
                    // cannot enter against a positive pressure, where blood would leak out instead.
                    LineRole::Venous => Law::linear(AIR_ENTRY_REFERENCE_SUCTION_PA / set),
                    // Air can only be driven into the pressurised arterial line (an injection, a cracked connector
                    // under a pump): a steady source.
                    LineRole::Arterial => {
                        Law { a: ROLLER_LEAK_RESISTANCE, b: 0.0, head_pa: set * ROLLER_LEAK_RESISTANCE }
                    }
                };
                network.branches.push(Branch::passage(ATMOSPHERE, node, law, true, Origin::Tube(tube)));
            }
            FaultKind::PortOpen { line } => {
                // An open stopcock: the line's node and the room, through a port's bore.
                let Some(tube) = self.roles.line_end(line) else { return };
                let Some(node) = start_node(network, tube) else { return };
                network.branches.push(opening(node, Origin::Tube(tube)));
            }
            FaultKind::Leak { device, ml_per_min } => {
                let Some(part) = self.roles.device(device) else { return };
                let outlet = branches_of(network, &Origin::Part(part)).first().and_then(|i| network.branches.get(*i));
                let Some(node) = outlet.map(|b| b.to) else { return };
                let set = crate::units::l_min_to_m3_s(ml_per_min / 1000.0).max(1e-12);
                // Out only: blood leaves where the pressure inside is above the room's.
                let law = Law::linear(LEAK_REFERENCE_PA / set);
                network.branches.push(Branch { law, one_way: true, ..opening(node, Origin::Part(part)) });
            }
            FaultKind::PatientBleeding { ml_per_min } => {
                let set = crate::units::l_min_to_m3_s(ml_per_min / 1000.0);
                let law = Law::linear(BLEEDING_REFERENCE_PA / set.max(1e-12));
                network.branches.push(Branch::passage(
                    super::network::PATIENT_ARTERIAL,
                    FIELD,
                    law,
                    true,
                    Origin::Bleeding,
                ));
            }
            FaultKind::Decannulation { cannula } => {
                let Some(part) = self.roles.cannula(cannula) else { return };
                for i in branches_of(network, &Origin::Part(part)) {
                    let Some((from, to)) = network.branches.get(i).map(|b| (b.from, b.to)) else { continue };
                    let vessel = if network.is_patient(from) {
                        from
                    } else if network.is_patient(to) {
                        to
                    } else {
                        continue;
                    };
                    let Some(b) = network.branches.get_mut(i) else { continue };
                    // The circuit's end now opens to the room; the vessel it left bleeds through the hole.
                    if vessel == from {
                        b.from = ATMOSPHERE;
                    } else {
                        b.to = ATMOSPHERE;
                    }
                    let law = b.law;
                    network.branches.push(Branch { law, ..opening(vessel, Origin::Part(part)) });
                }
            }
            FaultKind::HeaterCoolerFailure { water_temp_c } => {
                let Some(oxygenator) = self.roles.oxygenator else { return };
                for i in branches_of(network, &Origin::Part(oxygenator)) {
                    if let Some(Branch { exchange: Exchange::Oxygenator { water_temp_c: water, .. }, .. }) =
                        network.branches.get_mut(i)
                    {
                        *water = water_temp_c;
                    }
                }
            }
            FaultKind::GasSupplyFailure => {
                let Some(oxygenator) = self.roles.oxygenator else { return };
                for i in branches_of(network, &Origin::Part(oxygenator)) {
                    if let Some(Branch { exchange: Exchange::Oxygenator { sweep_l_min, .. }, .. }) =
                        network.branches.get_mut(i)
                    {
                        *sweep_l_min = 0.0;
                    }
                }
            }
            FaultKind::Clot { device, resistance_factor } => {
                let Some(part) = self.roles.device(device) else { return };
                for i in branches_of(network, &Origin::Part(part)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        b.law.a *= resistance_factor;
                        b.law.b *= resistance_factor;
                        // Clot takes membrane out of use: gas crosses what is left.
                        if let Exchange::Oxygenator { transfer_ml_min, co2_clearance, membrane_efficiency, .. } =
                            &mut b.exchange
                        {
                            let left = 1.0 / resistance_factor;
                            *transfer_ml_min *= left;
                            *co2_clearance *= left;
                            *membrane_efficiency *= left;
                        }
                    }
                }
            }
            FaultKind::PumpSpeedSurge { factor } => {
                let Some(pump) = self.roles.arterial_pump else { return };
                for i in branches_of(network, &Origin::Part(pump)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        // A roller's head is its occlusion (flow by stroke); a centrifugal head's is its pressure:
                        // either way the pump drives `factor` times as hard.
                        let extra = b.pump_head_pa * (factor - 1.0);
                        b.law.head_pa += extra;
                        b.pump_head_pa += extra;
                    }
                }
            }
            FaultKind::CannulaMalposition { factor } => {
                if let Some(recirculation) = network.recirculation.as_mut() {
                    recirculation.scale *= factor;
                    return;
                }
                let Some(part) = self.roles.cannula(CannulaSite::Return) else { return };
                for i in branches_of(network, &Origin::Part(part)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        b.law.a *= factor;
                        b.law.b *= factor;
                    }
                }
            }
        }
    }
}

impl FaultSchedule {
    /// The line comes apart at its faults' tube: the tube no longer joins its ends, and both open to the air (the
    /// cannula side bleeds or draws air, the circuit side draws air or spills).
    fn come_apart(&self, line: LineRole, network: &mut Network) {
        let Some(tube) = self.roles.line_end(line) else { return };
        let indices: Vec<usize> = network
            .branches
            .iter()
            .enumerate()
            .filter(|(_, b)| b.origin == Origin::Tube(tube))
            .map(|(i, _)| i)
            .collect();
        for i in indices {
            let Some(b) = network.branches.get_mut(i) else { continue };
            b.law = Law::linear(CLAMP_RESISTANCE);
            b.viscous = false;
            let (from, to) = (b.from, b.to);
            for end in [from, to] {
                network.branches.push(opening(end, Origin::Tube(tube)));
            }
        }
    }
}

/// The node where `tube` starts in the network.
fn start_node(network: &Network, tube: TubeId) -> Option<usize> {
    network.branches.iter().find(|b| b.origin == Origin::Tube(tube)).map(|b| b.from)
}

/// An opening from `node` to the room through a port's bore, either way: blood out under pressure, air in under
/// suction.
fn opening(node: usize, origin: Origin) -> Branch {
    Branch::passage(node, ATMOSPHERE, Law::linear(OPEN_PORT_RESISTANCE), false, origin)
}
