//! The scenario's timed faults, applied to the network at their time so their consequences come out of the
//! physics: a failing oxygenator transfers less and resists more, a kinked line narrows, a power loss stops the
//! arterial pump, a disconnected venous line opens to the air, vasoconstriction raises the SVR.

use super::law::Law;
use super::network::{
    ATMOSPHERE, Branch, CLAMP_RESISTANCE, Exchange, Network, OPEN_PORT_RESISTANCE, Origin, ROLLER_LEAK_RESISTANCE,
};
use crate::catalog::{Catalog, PartKind};
use crate::circuit::Circuit;
use crate::circuit::flow::{Rotation, main_line};
use crate::ids::{PartId, TubeId};
use crate::scenario::{Fault, FaultKind, LineRole, Scenario};

/// The suction at which a venous air entry draws its scenario rate, Pa. UNSOURCED: 30 mmHg, a usual gravity-drained
/// venous line pressure (§6.10 gives 31–54 mmHg of siphon).
const AIR_ENTRY_REFERENCE_SUCTION_PA: f64 = 30.0 * crate::units::PA_PER_MMHG;

/// The parts and lines the faults act on, found by their role in this circuit.
#[derive(Debug, Clone, Default)]
struct Roles {
    arterial_pump: Option<PartId>,
    oxygenator: Option<PartId>,
    /// Main-line tubes from the drainage cannula to the first reservoir or pump.
    venous_tubes: Vec<TubeId>,
    /// Main-line tubes after the arterial pump.
    arterial_tubes: Vec<TubeId>,
}

#[derive(Debug, Clone)]
pub struct FaultSchedule {
    pending: Vec<Fault>,
    roles: Roles,
    /// Pump branches to restart when a power loss ends: (time, branch, head the pump provides).
    restore: Vec<(f64, usize, f64)>,
    /// Model time at which bypass started (the arterial pump running), when it has: the faults' clock.
    started_s: Option<f64>,
    /// The faults that have fired, in words, in order.
    fired: Vec<String>,
    /// When (on the faults' clock) the perfusionist restarted the arterial pump: a power loss "until restarted"
    /// that began before then ends then (restart, hand crank: reference §8 [Southland] [Handcrank-1987]).
    power_restored_s: Option<f64>,
    /// A power loss until restarted is stopping the arterial pump now.
    power_off: bool,
}

impl FaultSchedule {
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let mut roles = Roles::default();
        if let Some(route) = main_line(circuit, catalog, Rotation::AsBuilt) {
            let is = |part: PartId, wanted: fn(&PartKind) -> bool| circuit.kind_of(catalog, part).is_some_and(wanted);
            let pump_at = route
                .parts
                .iter()
                .position(|p| is(*p, |k| matches!(k, PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. })));
            roles.arterial_pump = pump_at.and_then(|i| route.parts.get(i).copied());
            roles.oxygenator =
                route.parts.iter().copied().find(|p| is(*p, |k| matches!(k, PartKind::Oxygenator { .. })));
            let first_stage = route.parts.iter().position(|p| {
                is(*p, |k| {
                    matches!(
                        k,
                        PartKind::Reservoir { .. } | PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }
                    )
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
        }
        let mut pending = scenario.faults.clone();
        pending.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        // Faults count from the start of bypass; without timed commands yet, bypass starts with the run when the
        // circuit's arterial pump is set running, and never otherwise.
        let running = roles
            .arterial_pump
            .and_then(|p| circuit.part(p))
            .is_some_and(|p| matches!(p.controls, crate::circuit::Controls::Pump { rpm, .. } if rpm > 0.0));
        Self {
            pending,
            roles,
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

    /// The faults that have fired so far, in words.
    pub fn fired(&self) -> &[String] {
        &self.fired
    }

    /// Whether `pump` is the arterial pump and a power loss until restarted is stopping it.
    pub fn power_lost_until_restart(&self, pump: PartId) -> bool {
        self.power_off && self.roles.arterial_pump == Some(pump)
    }

    /// The perfusionist restarts `pump` at model time `now_s`: a power loss until restarted ends.
    pub fn restore_power(&mut self, pump: PartId, now_s: f64) {
        if let (Some(started_s), true) = (self.started_s, self.roles.arterial_pump == Some(pump)) {
            self.power_restored_s = Some(now_s - started_s);
            self.power_off = false;
        }
    }

    /// Applies the faults due by `time_s` and ends those whose time is over. Returns whether the network changed.
    pub fn apply_due(&mut self, now_s: f64, network: &mut Network) -> bool {
        let Some(started_s) = self.started_s else { return false };
        let time_s = now_s - started_s;
        let mut changed = false;
        while self.pending.first().is_some_and(|f| f.at_s <= time_s) {
            let fault = self.pending.remove(0);
            self.apply(&fault, network);
            self.fired.push(fault.kind.describe());
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
                        if let Exchange::Oxygenator { transfer_ml_min, co2_clearance, .. } = &mut b.exchange {
                            *transfer_ml_min *= transfer_fraction;
                            *co2_clearance *= transfer_fraction;
                        }
                    }
                }
            }
            FaultKind::PumpPowerLoss { duration_s } => {
                let Some(pump) = self.roles.arterial_pump else { return };
                // "Until restarted" (duration 0) ends when the perfusionist restarted the pump after it began.
                let restarted = self.power_restored_s.filter(|t| *t >= fault.at_s);
                self.power_off = duration_s <= 0.0 && restarted.is_none();
                for i in branches_of(network, &Origin::Part(pump)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        if duration_s > 0.0 {
                            self.restore.push((fault.at_s + duration_s, i, b.pump_head_pa));
                        } else if let Some(at) = restarted {
                            self.restore.push((at, i, b.pump_head_pa));
                        }
                        // A stopped head keeps only the gravity share of the branch's head.
                        b.law.head_pa -= b.pump_head_pa;
                        b.pump_head_pa = 0.0;
                    }
                }
            }
            FaultKind::LineKink { line, open_fraction } => {
                // The venous line starts at the cannula; the arterial line ends at it (the long line to the field).
                let tube = match line {
                    LineRole::Venous => self.roles.venous_tubes.first(),
                    LineRole::Arterial => self.roles.arterial_tubes.last(),
                };
                let Some(tube) = tube else { return };
                for i in branches_of(network, &Origin::Tube(*tube)) {
                    if let Some(b) = network.branches.get_mut(i) {
                        // Poiseuille: resistance grows as the square of the lost area (R ∝ 1/r⁴ ∝ 1/A²), PHYS.
                        b.law.a = if open_fraction > 0.0 {
                            b.law.a / (open_fraction * open_fraction)
                        } else {
                            CLAMP_RESISTANCE
                        };
                        b.law.a = b.law.a.min(CLAMP_RESISTANCE);
                    }
                }
            }
            FaultKind::VenousDisconnection => {
                let Some(tube) = self.roles.venous_tubes.first().copied() else { return };
                for i in branches_of(network, &Origin::Tube(tube)) {
                    let Some(b) = network.branches.get_mut(i) else { continue };
                    b.law = Law::linear(CLAMP_RESISTANCE);
                    b.viscous = false;
                    let (from, to) = (b.from, b.to);
                    // Both ends open: the cannula side bleeds, the line side draws air.
                    for end in [from, to] {
                        network.branches.push(Branch {
                            from: end,
                            to: ATMOSPHERE,
                            law: Law::linear(OPEN_PORT_RESISTANCE),
                            one_way: false,
                            origin: Origin::Tube(tube),
                            volume_ml: 0.0,
                            exchange: Exchange::None,
                            pump_head_pa: 0.0,
                            choke: None,
                            viscous: false,
                        });
                    }
                }
            }
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
                let tube = match line {
                    LineRole::Venous => self.roles.venous_tubes.first(),
                    LineRole::Arterial => self.roles.arterial_tubes.last(),
                };
                let Some(tube) = tube else { return };
                let Some(node) = branches_of(network, &Origin::Tube(*tube))
                    .first()
                    .and_then(|i| network.branches.get(*i))
                    .map(|b| b.from)
                else {
                    return;
                };
                let set = crate::units::l_min_to_m3_s(ml_per_min / 1000.0);
                let law = match line {
                    // The venous line draws air in through the opening only while its pressure is below the room's:
                    // `ml_per_min` at the usual drainage suction, none once drainage stops (an air-locked pump).
                    LineRole::Venous => Law::linear(AIR_ENTRY_REFERENCE_SUCTION_PA / set),
                    // Air can only be driven into the pressurised arterial line (an injection, a cracked connector
                    // under a pump): a steady source.
                    LineRole::Arterial => {
                        Law { a: ROLLER_LEAK_RESISTANCE, b: 0.0, head_pa: set * ROLLER_LEAK_RESISTANCE }
                    }
                };
                network.branches.push(Branch {
                    from: ATMOSPHERE,
                    to: node,
                    law,
                    one_way: true,
                    origin: Origin::Tube(*tube),
                    volume_ml: 0.0,
                    exchange: Exchange::None,
                    pump_head_pa: 0.0,
                    choke: None,
                    viscous: false,
                });
            }
        }
    }
}
