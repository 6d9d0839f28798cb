//! The live simulation: the circuit and the patient as a lumped hydraulic network, advanced in fixed steps of
//! model time. Deterministic (no clock, no randomness): the same circuit, scenario and commands give the same
//! numbers, bit for bit.
//!
//! This is the hydraulic core: pressures, flows and volumes. Transport of saturation, temperature and air, gas
//! exchange, alarms and faults build on it. Depends on `circuit`, `scenario`, `catalog`, `units`.

mod alarms;
mod blood;
mod faults;
mod gas_exchange;
pub mod intervention;
mod law;
mod metabolism;
mod network;
mod servo;
mod solve;
mod transport;
mod trend;

pub use alarms::{Alarm, AlarmWatch, TransientAlarms};
pub use blood::{Blood, saturation};
pub use faults::{Fired, Place, Roles};
pub use intervention::{Drug, Fluid, Intervention};
pub use law::Law;
pub use metabolism::Metabolism;
pub use network::{ATMOSPHERE, Branch, FIELD, Network, Node, NodeKind, Origin, PATIENT_ARTERIAL, PATIENT_VENOUS};
pub use servo::{Cause, SafetyStop};
pub use solve::{Factors, NoConvergence};
pub use trend::{Column, TrendColumns, TrendKey};

use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::ids::{PartId, PortRef, TubeId};
use crate::scenario::Scenario;
use crate::units::{m3_s_to_l_min, m3_to_ml, mmhg_to_pa, pa_to_mmhg};

/// Why an intervention cannot be done now; nothing changed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refused {
    #[error("tube {} is not kinked", .0.0)]
    NotKinked(TubeId),
    #[error("tube {} has not come apart", .0.0)]
    NotDisconnected(TubeId),
    #[error("no air is entering at tube {}", .0.0)]
    NoAirEntry(TubeId),
    #[error("{0} is not on the circuit")]
    NoSuchPart(PartId),
    #[error(
        "only an oxygenator, an arterial filter, a pump head or a heater-cooler can be changed out during a run; {0} cannot"
    )]
    NotReplaceable(PartId),
    #[error("{0} is still in the vessel")]
    CannulaInPlace(PartId),
    #[error("{0} is not an oxygenator: the back-up gas goes to an oxygenator's gas inlet")]
    NotAnOxygenator(PartId),
    #[error(
        "isolate {0} first: stop the flow through it ({1:.2} L/min now) and clamp a tube before it and a tube after it"
    )]
    NotIsolated(PartId, f64),
    #[error("a dose of {0} µg is outside 0 to {max} µg", max = intervention::MAX_DOSE_UG)]
    Dose(f64),
    #[error("a volume of {0} mL is outside 0 to {max} mL", max = intervention::MAX_FLUID_ML)]
    Volume(f64),
}

/// Flow through a part below which its segment counts as isolated, L/min: what leaks past a clamp or an occluded
/// roller. A modelling choice.
const ISOLATED_FLOW_L_MIN: f64 = 0.01;
/// Temperature of fluid added from the shelf, °C. UNSOURCED: room temperature, as the prime.
const FLUID_TEMP_C: f64 = 20.0;

/// A change to the circuit during a run that adds or removes parts or tubes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the circuit's assembly changed during the run; only settings and clamps can change while it runs")]
pub struct StructureChanged;

/// Model time advanced by one step, s.
pub const STEP_S: f64 = 0.01;

/// Everything that changes with time; with the network it determines the future. Saved and restored whole.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub time_s: f64,
    pub steps: u64,
    /// Gauge pressure at each node, Pa (the atmosphere's stays 0).
    pub pressures_pa: Vec<f64>,
    /// The pressures one step earlier, Pa: the solve starts from their trend.
    pub previous_pressures_pa: Vec<f64>,
    /// The last factorisation of the network's Jacobian, reused while it fits.
    pub factors: Factors,
    /// Flow through each branch during the last step, m³/s, positive from `from` to `to`.
    pub flows_m3_s: Vec<f64>,
    /// Blood that has left through open ports, m³.
    pub leaked_m3: f64,
    /// What the blood carries, node by node and along each branch, and the body's temperature.
    pub contents: transport::Contents,
    /// Pumps a safety link has stopped, in pump order, with the sensor and the reading; they stay stopped until
    /// set again or restarted.
    pub safety_stops: Vec<servo::SafetyStop>,
    /// Each branch's blood viscosity relative to the reference, refreshed every `VISCOSITY_REFRESH_STEPS`; the
    /// systemic beds' also carries the vascular tone the drugs set.
    pub viscosity: Vec<f64>,
    /// The scenario's faults (by index) the perfusionist has put right: they no longer act.
    pub resolved_faults: Vec<usize>,
    /// The drugs given so far.
    pub doses: Vec<intervention::Dose>,
    /// Fluid added to the circuit so far, mL.
    pub added_ml: f64,
}

/// Steps between refreshes of the blood viscosity: haematocrit and temperature change over seconds to minutes, so
/// once a second of model time follows them closely at a hundredth of the cost.
const VISCOSITY_REFRESH_STEPS: u64 = 100;

#[derive(Debug, Clone)]
pub struct Simulation {
    /// The network as the circuit built it, before any fault: what a restored state starts again from.
    base_network: Network,
    base_faults: faults::FaultSchedule,
    network: Network,
    state: State,
    metabolism: Metabolism,
    bsa_m2: f64,
    /// The patient's compartments start at this pressure (the scenario's CVP), Pa.
    start_pressure_pa: f64,
    alarms: AlarmWatch,
    faults: faults::FaultSchedule,
    servo: servo::ServoLinks,
    work: solve::Workspace,
    arrivals: transport::Arrivals,
    /// Each branch's share of its pump head this step (scratch, from the trapped air).
    head_shares: Vec<f64>,
    /// The pressures at the start of the step being taken (scratch).
    starting_pa: Vec<f64>,
}

/// Arterial PCO2 before bypass, mmHg: the middle of the 35–45 mmHg target [Searles-2020] (reference §6.7).
const ARTERIAL_PCO2_MMHG: f64 = 40.0;
/// Mixed venous PCO2 before bypass, mmHg. UNSOURCED textbook value (6 mmHg above arterial).
const VENOUS_PCO2_MMHG: f64 = 46.0;
/// Body temperature before bypass, °C (PHYS: normothermia).
const BODY_TEMP_C: f64 = 37.0;
/// Temperature of a clear prime that no heater-cooler has warmed, °C. UNSOURCED: room temperature.
const PRIME_TEMP_C: f64 = 20.0;

/// The prime's temperature when the run starts: priming recirculates it through the oxygenator, so with a
/// heater-cooler mounted on the oxygenator's heat exchanger it has come to the water's temperature (the water set
/// warmest, if there are several); without one it is at room temperature.
fn prime_temp_c(circuit: &Circuit, catalog: &Catalog) -> f64 {
    circuit
        .parts()
        .filter(|p| matches!(circuit.kind_of(catalog, p.id), Some(crate::catalog::PartKind::Oxygenator { .. })))
        .filter_map(|oxygenator| circuit.water_temp_on(oxygenator.id))
        .reduce(f64::max)
        .unwrap_or(PRIME_TEMP_C)
}

impl Simulation {
    /// Starts with the patient's compartments at the scenario's central venous pressure, the circuit's lines at
    /// zero and each reservoir at its minimum operating level (what priming leaves in it).
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let network = Network::build(scenario, circuit, catalog);
        let alarms = AlarmWatch::new(scenario, circuit, catalog, &network);
        let faults = faults::FaultSchedule::new(scenario, circuit, catalog);
        let servo = servo::ServoLinks::new(scenario, circuit, catalog, &network);
        let cvp_pa = mmhg_to_pa(scenario.cvp_mmhg());
        // The native heart pumps its output through the SVR: MAP = CVP + SVR × CO (reference §7.1).
        let map_pa = cvp_pa
            + scenario.svr_dyn_s_cm5()
                * network::PA_S_M3_PER_DYN_S_CM5
                * crate::units::l_min_to_m3_s(scenario.physiology.native_output_l_min);
        let pressures_pa = network
            .nodes
            .iter()
            .map(|node| match node.kind {
                NodeKind::PatientArterial => map_pa,
                NodeKind::PatientVenous => cvp_pa,
                NodeKind::Reservoir { min_level_m3, .. } => min_level_m3 / node.compliance_m3_pa,
                NodeKind::Atmosphere | NodeKind::Junction | NodeKind::Field { .. } => 0.0,
            })
            .collect();
        let flows_m3_s = vec![0.0; network.branches.len()];
        let patient = &scenario.patient;
        let lung_sat = scenario.physiology.native_lung_sao2;
        // The blood starts diluted by the fluids given before bypass and the cardioplegia crystalloid, and the prime
        // holds the blood the priming plan adds: mixed, they give the plan's haematocrit (reference §6.4).
        let plan = crate::priming::PrimingPlan::new(scenario, circuit, catalog);
        let dilution = scenario.dilution(0.0);
        let hb_per_hct =
            if patient.hct > 0.0 { patient.hb_g_dl / patient.hct } else { crate::patient::HB_G_DL_PER_HCT };
        let diluted_hb = patient.hb_g_dl * dilution.blood_volume_ml / dilution.total_volume_ml().max(1.0);
        let prime_hb = if plan.prime.total_ml > 0.0 {
            plan.blood_to_add_ml * scenario.targets.added_blood_hct * hb_per_hct / plan.prime.total_ml
        } else {
            0.0
        };
        let clear = Blood::prime(prime_temp_c(circuit, catalog));
        let prime = Blood { hb_g_dl: prime_hb, sat: blood::saturation(clear.po2_mmhg), ..clear };
        let arterial = Blood {
            hb_g_dl: diluted_hb,
            sat: lung_sat,
            po2_mmhg: blood::po2_for_saturation(lung_sat),
            pco2_mmhg: ARTERIAL_PCO2_MMHG,
            temp_c: BODY_TEMP_C,
            air: 0.0,
        };
        let venous = Blood {
            sat: gas_exchange::NORMAL_SVO2,
            po2_mmhg: blood::po2_for_saturation(gas_exchange::NORMAL_SVO2),
            pco2_mmhg: VENOUS_PCO2_MMHG,
            ..arterial
        };
        let dry = |origin: &Origin| match origin {
            Origin::Tube(tube) => plan.prime.tubes.iter().any(|t| t.tube == *tube && t.dry),
            Origin::Part(part) => plan.prime.parts.iter().any(|p| p.part == *part && p.dry),
            _ => false,
        };
        let contents = transport::Contents::new(&network, arterial, venous, prime, &dry);
        let mut state = State {
            time_s: 0.0,
            steps: 0,
            previous_pressures_pa: Vec::new(),
            factors: Factors::default(),
            pressures_pa,
            flows_m3_s,
            leaked_m3: 0.0,
            contents,
            safety_stops: Vec::new(),
            viscosity: Vec::new(),
            resolved_faults: Vec::new(),
            doses: Vec::new(),
            added_ml: 0.0,
        };
        state.contents.refresh_viscosity(&network, &mut state.viscosity, 1.0);
        let metabolism = Metabolism::of(scenario);
        Self {
            base_network: network.clone(),
            network,
            state,
            metabolism,
            bsa_m2: patient.bsa_m2(),
            start_pressure_pa: cvp_pa,
            alarms,
            base_faults: faults.clone(),
            faults,
            servo,
            work: solve::Workspace::default(),
            arrivals: transport::Arrivals::default(),
            head_shares: Vec::new(),
            starting_pa: Vec::new(),
        }
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Continues from a saved state (it must come from a simulation of the same circuit and scenario): the faults
    /// due by the state's time are applied again to the network as built.
    pub fn restore(&mut self, state: State) {
        self.state = state;
        self.reapply_faults();
    }

    /// The network as built, with the faults due by now acting on it (except those put right) and the pumps a
    /// safety link stopped still stopped.
    fn reapply_faults(&mut self) {
        self.network = self.base_network.clone();
        let mut faults = self.base_faults.clone();
        faults.apply_due(self.state.time_s, &mut self.network, &self.state.resolved_faults);
        self.faults = faults;
        for stop in &self.state.safety_stops {
            servo::stop(&mut self.network, stop.pump);
        }
        self.fit_state_to_network();
    }

    /// An alarm in words for the monitor, with the circuit's labels: a safety stop names its pump, its sensor and
    /// the reading ("Roller pump 1 stopped: Pressure transducer 1 at 312 mmHg, above 300").
    pub fn describe_alarm(&self, alarm: Alarm, labels: &std::collections::BTreeMap<PartId, String>) -> String {
        let name = |part: PartId| labels.get(&part).cloned().unwrap_or_else(|| part.to_string());
        match alarm {
            Alarm::SafetyStop(pump) => match self.safety_stop(pump) {
                Some(stop) => format!("{} stopped: {} {}", name(pump), name(stop.sensor), stop.cause.describe()),
                None => format!("{} stopped by its safety link", name(pump)),
            },
            _ => alarm.label().to_owned(),
        }
    }

    /// What one of `pump`'s safety links reads now, if it would stop the pump again.
    pub fn stop_cause_now(&self, pump: PartId) -> Option<Cause> {
        let state = &self.state;
        self.servo
            .tripped(&self.network, &state.pressures_pa, &state.contents.nodes)
            .into_iter()
            .find(|(p, _, _)| *p == pump)
            .map(|(_, _, cause)| cause)
    }

    /// The pumps a safety link has stopped.
    pub fn stopped_pumps(&self) -> Vec<PartId> {
        self.state.safety_stops.iter().map(|s| s.pump).collect()
    }

    /// The safety stop of `pump`, if a link stopped it.
    pub fn safety_stop(&self, pump: PartId) -> Option<&servo::SafetyStop> {
        self.state.safety_stops.iter().find(|s| s.pump == pump)
    }

    /// The alarm of `pump`'s safety stop is acknowledged: it stops sounding (the pump stays stopped).
    pub fn unlatch(&mut self, pump: PartId) {
        for stop in self.state.safety_stops.iter_mut().filter(|s| s.pump == pump) {
            stop.latched = false;
        }
    }

    /// Whether `pump` is stopped, by a safety link or by a power loss that lasts until someone acts.
    pub fn is_stopped(&self, pump: PartId) -> bool {
        self.safety_stop(pump).is_some() || self.faults.power_lost(pump)
    }

    /// The perfusionist restarts `pump` (sets it again, presses Restart, turns the hand crank): it is released from
    /// a safety stop and from a power loss that lasts until someone acts, and the network is retuned.
    pub fn restart(
        &mut self,
        pump: PartId,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<(), StructureChanged> {
        self.state.safety_stops.retain(|s| s.pump != pump);
        let now_s = self.state.time_s;
        if self.faults.power_lost(pump) {
            // The power loss is over: put right by the restart (battery, hand crank).
            let lost: Vec<usize> = self
                .faults_acting()
                .into_iter()
                .filter(|(f, _)| matches!(f.kind, crate::scenario::FaultKind::PumpPowerLoss { .. }))
                .map(|(f, _)| f.index)
                .collect();
            self.state.resolved_faults.extend(lost);
        }
        self.faults.restore_power(pump, now_s);
        self.base_faults.restore_power(pump, now_s);
        self.retune(scenario, circuit, catalog)
    }

    /// Takes an edit just applied to `circuit` during the run: the network is retuned, and a pump set again is
    /// restarted (the perfusionist has answered the stop).
    pub fn take_edit(
        &mut self,
        edit: &crate::circuit::Edit,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<(), StructureChanged> {
        if let crate::circuit::Edit::SetControls { part, .. } = edit
            && matches!(circuit.part(*part).map(|p| p.controls), Some(crate::circuit::Controls::Pump { .. }))
        {
            return self.restart(*part, scenario, circuit, catalog);
        }
        self.retune(scenario, circuit, catalog)
    }

    /// Takes a change of settings (pump speed, clamps, gas, water, heights) made to the circuit during the run:
    /// the network is rebuilt with the new laws and the state carries on. A change that alters the assembly itself
    /// (parts or tubes added or removed) is refused: the running state would no longer fit it.
    pub fn retune(
        &mut self,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<(), StructureChanged> {
        let rebuilt = Network::build(scenario, circuit, catalog);
        let same_shape = rebuilt.nodes.len() == self.base_network.nodes.len()
            && rebuilt.branches.len() == self.base_network.branches.len()
            && rebuilt.port_node == self.base_network.port_node;
        if !same_shape {
            return Err(StructureChanged);
        }
        let now_s = self.state.time_s;
        self.faults.start_if_running(circuit, now_s);
        self.base_faults.start_if_running(circuit, now_s);
        self.alarms = AlarmWatch::new(scenario, circuit, catalog, &rebuilt);
        self.servo = servo::ServoLinks::new(scenario, circuit, catalog, &rebuilt);
        self.base_network = rebuilt;
        // The faults already under way act on the new laws too.
        self.reapply_faults();
        self.forget_trend();
        Ok(())
    }

    /// New laws: the pressures' trend so far says nothing of where they go next, nor the old Jacobian.
    fn forget_trend(&mut self) {
        self.state.previous_pressures_pa.clear();
        self.state.factors = Factors::default();
    }

    /// Does what the perfusionist does to the running circuit (`intervention`), or refuses and changes nothing.
    /// Returns the scenario's faults (by index) it put right. `circuit` is the circuit as it stands.
    pub fn intervene(
        &mut self,
        intervention: &Intervention,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<Vec<usize>, Refused> {
        use crate::scenario::FaultKind;
        let acting_at = |place: Place, wanted: fn(&FaultKind) -> bool| -> Vec<usize> {
            self.faults
                .fired()
                .iter()
                .filter(|f| !self.state.resolved_faults.contains(&f.index) && wanted(&f.kind))
                .filter(|f| self.faults.place(&f.kind) == Some(place))
                .map(|f| f.index)
                .collect()
        };
        // A tube's fault is put right only where it acts: straightening a tube that is not kinked says so.
        let at_tube = |tube: TubeId, wanted: fn(&FaultKind) -> bool, refusal: fn(TubeId) -> Refused| {
            let found = acting_at(Place::Tube(tube), wanted);
            if found.is_empty() { Err(refusal(tube)) } else { Ok(found) }
        };
        let resolved = match *intervention {
            Intervention::Straighten(tube) => {
                at_tube(tube, |k| matches!(k, FaultKind::LineKink { .. }), Refused::NotKinked)?
            }
            Intervention::Reconnect(tube) => at_tube(
                tube,
                |k| matches!(k, FaultKind::VenousDisconnection | FaultKind::Disconnection { .. }),
                Refused::NotDisconnected,
            )?,
            Intervention::SealAirEntry(tube) => at_tube(
                tube,
                |k| matches!(k, FaultKind::AirEntry { .. } | FaultKind::PortOpen { .. }),
                Refused::NoAirEntry,
            )?,
            Intervention::Recannulate(part) => {
                let found = acting_at(Place::Part(part), |k| matches!(k, FaultKind::Decannulation { .. }));
                if found.is_empty() {
                    return Err(Refused::CannulaInPlace(part));
                }
                found
            }
            Intervention::Reposition(part) => {
                // Moving a cannula that sits well changes nothing, but it is the surgeon's to try.
                acting_at(Place::Part(part), |k| matches!(k, FaultKind::CannulaMalposition { .. }))
            }
            Intervention::BackupGas(part) => {
                if !matches!(circuit.kind_of(catalog, part), Some(crate::catalog::PartKind::Oxygenator { .. })) {
                    return Err(Refused::NotAnOxygenator(part));
                }
                acting_at(Place::Part(part), |k| matches!(k, FaultKind::GasSupplyFailure))
            }
            Intervention::SurgicalHaemostasis => self
                .faults
                .fired()
                .iter()
                .filter(|f| !self.state.resolved_faults.contains(&f.index))
                .filter(|f| matches!(f.kind, FaultKind::PatientBleeding { .. }))
                .map(|f| f.index)
                .collect(),
            Intervention::ReplacePart(part) => {
                self.check_isolated(part, circuit, catalog)?;
                let found = acting_at(Place::Part(part), |k| {
                    matches!(
                        k,
                        FaultKind::OxygenatorFailure { .. }
                            | FaultKind::Leak { .. }
                            | FaultKind::Clot { .. }
                            | FaultKind::HeaterCoolerFailure { .. }
                            | FaultKind::PumpSpeedSurge { .. }
                    )
                });
                // The new device comes clear-primed and de-aired: its volume of crystalloid joins the circulation.
                for (index, branch) in self.network.branches.iter().enumerate() {
                    if branch.origin == Origin::Part(part) {
                        if let Some(cells) = self.state.contents.cells.get_mut(index) {
                            cells.iter_mut().for_each(|cell| *cell = Blood::prime(PRIME_TEMP_C));
                        }
                        if let Some(trapped) = self.state.contents.trapped_air_ml.get_mut(index) {
                            *trapped = 0.0;
                        }
                    }
                }
                found
            }
            Intervention::GiveDrug { drug, dose_ug } => {
                if !(dose_ug > 0.0 && dose_ug <= intervention::MAX_DOSE_UG) {
                    return Err(Refused::Dose(dose_ug));
                }
                self.state.doses.push(intervention::Dose { drug, dose_ug, at_s: self.state.time_s });
                Vec::new()
            }
            Intervention::AddFluid { fluid, volume_ml } => {
                if !(volume_ml > 0.0 && volume_ml <= intervention::MAX_FLUID_ML) {
                    return Err(Refused::Volume(volume_ml));
                }
                self.add_fluid(fluid, volume_ml, scenario);
                Vec::new()
            }
        };
        if !resolved.is_empty() {
            self.state.resolved_faults.extend(&resolved);
            self.reapply_faults();
            self.forget_trend();
        }
        Ok(resolved)
    }

    /// Refuses to change out `part` unless it can be: an oxygenator, a filter or a pump head with no flow through
    /// it and a clamped tube on the main line before it and after it, or a heater-cooler.
    fn check_isolated(&self, part: PartId, circuit: &Circuit, catalog: &Catalog) -> Result<(), Refused> {
        use crate::catalog::PartKind;
        use crate::circuit::flow::{Rotation, main_line};
        let kind = circuit.kind_of(catalog, part).ok_or(Refused::NoSuchPart(part))?;
        match kind {
            // The water side only: no blood to isolate.
            PartKind::HeaterCooler { .. } => return Ok(()),
            PartKind::Oxygenator { .. }
            | PartKind::ArterialFilter { .. }
            | PartKind::RollerPump { .. }
            | PartKind::CentrifugalPump { .. } => {}
            _ => return Err(Refused::NotReplaceable(part)),
        }
        let flow = self.part_flow_l_min(part).unwrap_or(0.0);
        let clamped_sides = main_line(circuit, catalog, Rotation::AsBuilt).and_then(|route| {
            let at = route.position(part)?;
            let (mut before, mut after) = (false, false);
            for tube in route.tubes.iter().filter_map(|t| circuit.tube(*t)).filter(|t| t.clamped) {
                let ends = [route.position(tube.from.part), route.position(tube.to.part)];
                before |= ends.iter().flatten().all(|p| *p <= at);
                after |= ends.iter().flatten().all(|p| *p >= at);
            }
            Some(before && after)
        });
        if flow.abs() >= ISOLATED_FLOW_L_MIN || clamped_sides != Some(true) {
            return Err(Refused::NotIsolated(part, flow));
        }
        Ok(())
    }

    /// Pours `volume_ml` of `fluid` into the first venous reservoir (into the patient's veins on a circuit
    /// without one): its level rises and the blood in it mixes with the fluid.
    fn add_fluid(&mut self, fluid: Fluid, volume_ml: f64, scenario: &Scenario) {
        let node = self
            .network
            .nodes
            .iter()
            .position(|n| matches!(n.kind, NodeKind::Reservoir { .. }))
            .unwrap_or(PATIENT_VENOUS);
        // The blood the node holds: a reservoir its level; a patient compartment its whole volume as it started
        // plus what it has gained (its pressure's volume alone is only the stretched part).
        let held_ml = match self.network.nodes.get(node) {
            Some(n) if matches!(n.kind, NodeKind::PatientArterial | NodeKind::PatientVenous) => {
                let pressure = self.state.pressures_pa.get(node).copied().unwrap_or(0.0);
                n.volume_ml + m3_to_ml(n.volume_m3(pressure) - n.volume_m3(self.start_pressure_pa))
            }
            _ => self.node_volume_ml(node),
        };
        let clear = Blood::prime(FLUID_TEMP_C);
        let added = match fluid {
            Fluid::Crystalloid | Fluid::Albumin => clear,
            // Packed cells carry haemoglobin at the scenario's added-blood haematocrit; stored blood's oxygen is
            // taken as the prime's (UNSOURCED: its saturation varies with storage).
            Fluid::PackedCells => Blood {
                hb_g_dl: scenario.targets.added_blood_hct * crate::patient::HB_G_DL_PER_HCT,
                sat: blood::saturation(clear.po2_mmhg),
                ..clear
            },
        };
        if let (Some(n), Some(pressure), Some(blood)) = (
            self.network.nodes.get(node),
            self.state.pressures_pa.get_mut(node),
            self.state.contents.nodes.get_mut(node),
        ) {
            *pressure = n.pressure_for(n.volume_m3(*pressure) + crate::units::ml_to_m3(volume_ml));
            *blood = blood.mix(held_ml.max(0.0), added, volume_ml);
        }
        self.state.added_ml += volume_ml;
        self.state.previous_pressures_pa.clear();
    }

    fn fit_state_to_network(&mut self) {
        // A fault may open the circuit (new leak branches): give them flows and (empty) transport cells.
        let count = self.network.branches.len();
        self.state.flows_m3_s.resize(count, 0.0);
        self.state.contents.cells.resize(count, Vec::new());
        self.state.contents.trapped_air_ml.resize(count, 0.0);
        self.state.viscosity.resize(count, 1.0);
    }

    /// Advances the model by one step.
    pub fn step(&mut self) -> Result<(), NoConvergence> {
        if self.faults.apply_due(self.state.time_s, &mut self.network, &self.state.resolved_faults) {
            self.state.factors = Factors::default();
            self.fit_state_to_network();
        }
        let state = &mut self.state;
        if state.steps.is_multiple_of(VISCOSITY_REFRESH_STEPS) {
            let tone = intervention::tone(&state.doses, self.metabolism.weight_kg, state.time_s);
            state.contents.refresh_viscosity(&self.network, &mut state.viscosity, tone);
        }
        state.contents.head_shares(&self.network, &mut self.head_shares);
        self.starting_pa.clone_from(&state.pressures_pa);
        solve::step(
            &self.network,
            &state.viscosity,
            &self.head_shares,
            &state.contents.sinks_ml,
            STEP_S,
            state.steps,
            &state.previous_pressures_pa,
            &mut state.pressures_pa,
            &mut state.flows_m3_s,
            &mut state.factors,
            &mut self.work,
        )?;
        std::mem::swap(&mut state.previous_pressures_pa, &mut self.starting_pa);
        for (branch, flow) in self.network.branches.iter().zip(&state.flows_m3_s) {
            if branch.to == ATMOSPHERE {
                state.leaked_m3 += flow * STEP_S;
            } else if branch.from == ATMOSPHERE {
                state.leaked_m3 -= flow * STEP_S;
            }
        }
        let network = &self.network;
        let pressures = &state.pressures_pa;
        let start_pa = self.start_pressure_pa;
        // Blood each node holds now: a reservoir its level; the patient's compartments what they started with
        // plus what they have gained or lost (so blood drained into the reservoir leaves the patient).
        let node_ml = |n: usize| {
            let pressure = pressures.get(n).copied().unwrap_or(0.0);
            match network.nodes.get(n) {
                Some(node) => match node.kind {
                    NodeKind::Reservoir { .. } | NodeKind::Field { .. } => m3_to_ml(node.volume_m3(pressure)),
                    NodeKind::PatientArterial | NodeKind::PatientVenous => {
                        node.volume_ml + m3_to_ml(node.volume_m3(pressure) - node.volume_m3(start_pa))
                    }
                    _ => node.volume_ml,
                },
                None => 0.0,
            }
        };
        state.contents.step(
            network,
            &state.flows_m3_s,
            pressures,
            &node_ml,
            &self.metabolism,
            STEP_S,
            &mut self.arrivals,
        );
        state.steps += 1;
        state.time_s = state.steps as f64 * STEP_S;
        for (pump, sensor, cause) in
            self.servo.tripped(&self.network, &self.state.pressures_pa, &self.state.contents.nodes)
        {
            if self.safety_stop(pump).is_none() {
                let at_s = self.state.time_s;
                self.state.safety_stops.push(servo::SafetyStop { pump, sensor, cause, at_s, latched: true });
                self.state.safety_stops.sort_by_key(|s| s.pump);
                servo::stop(&mut self.network, pump);
            }
        }
        Ok(())
    }

    /// The scenario's faults that have fired so far, in order.
    pub fn faults_fired(&self) -> &[Fired] {
        self.faults.fired()
    }

    /// Whether the scenario's fault `index` has been put right.
    pub fn is_resolved(&self, index: usize) -> bool {
        self.state.resolved_faults.contains(&index)
    }

    /// The scenario's faults that fired and act now, each with where it acts (the instructor's view and the
    /// canvas's signs: a kink drawn, a joint apart, froth at an air entry).
    pub fn faults_acting(&self) -> Vec<(&Fired, Option<Place>)> {
        let power_lost = self.faults.arterial_pump().is_some_and(|p| self.faults.power_lost(p));
        self.faults
            .fired()
            .iter()
            .filter(|f| !self.is_resolved(f.index))
            // A timed power loss is over once the power is back.
            .filter(|f| power_lost || !matches!(f.kind, crate::scenario::FaultKind::PumpPowerLoss { .. }))
            .map(|f| (f, self.faults.place(&f.kind)))
            .collect()
    }

    /// The factor on the systemic resistance the drugs given set now (1 without any).
    pub fn vascular_tone(&self) -> f64 {
        intervention::tone(&self.state.doses, self.metabolism.weight_kg, self.state.time_s)
    }

    /// The alarms a brief swing can set off that are sounding at this step (cheap: checked every step).
    pub fn transient_alarms(&self) -> TransientAlarms {
        self.alarms.transient(self)
    }

    /// Whether the patient's own heart pumps in this model (a native output on ECMO; none on full bypass).
    pub fn has_native_heart(&self) -> bool {
        self.network.branches.iter().any(|b| b.origin == Origin::NativeHeart)
    }

    /// The alarms sounding now, in a fixed order, each judged against its limit alone.
    pub fn alarms(&self) -> Vec<Alarm> {
        self.alarms.active(self, &[])
    }

    /// The alarms sounding now when `sounding` were sounding a moment ago: a patient alarm already on clears only
    /// a margin past its limit (`alarms::CLEAR_MARGIN`), so a reading that sits on its limit does not chatter.
    pub fn alarms_after(&self, sounding: &[Alarm]) -> Vec<Alarm> {
        self.alarms.active(self, sounding)
    }

    /// The blood at a node now.
    pub fn node_blood(&self, node: usize) -> Option<Blood> {
        self.state.contents.nodes.get(node).copied()
    }

    /// The blood at a port now (what a sensor on it sees).
    pub fn port_blood(&self, port: &PortRef) -> Option<Blood> {
        self.network.port_node.get(port).and_then(|n| self.node_blood(*n))
    }

    /// The patient's body temperature, °C.
    pub fn body_temp_c(&self) -> f64 {
        self.state.contents.body_temp_c
    }

    /// Air that has reached the patient so far, mL.
    pub fn air_to_patient_ml(&self) -> f64 {
        self.state.contents.air_to_patient_ml
    }

    /// Oxygen the tissues consumed during the last step, mL/min.
    pub fn vo2_ml_min(&self) -> f64 {
        self.state.contents.vo2_ml_min
    }

    /// Systemic (tissue) blood flow, L/min: through every systemic bed.
    pub fn systemic_flow_l_min(&self) -> f64 {
        self.systemic_beds().map(|(_, q)| q).sum()
    }

    /// Each systemic bed's arterial node and its flow, L/min.
    fn systemic_beds(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.network
            .branches
            .iter()
            .zip(&self.state.flows_m3_s)
            .filter(|(b, _)| b.origin == Origin::Systemic)
            .map(|(b, q)| (b.from, m3_s_to_l_min(*q)))
    }

    /// Oxygen delivery index, mL/min/m²: 10 × systemic flow index × arterial O2 content (reference §6.5), summed
    /// over the beds where upper and lower body are fed apart.
    pub fn do2i_ml_min_m2(&self) -> f64 {
        let delivered_ml_min: f64 = self
            .systemic_beds()
            .map(|(node, q)| q.max(0.0) * 10.0 * self.node_blood(node).map_or(0.0, |b| b.o2_content_ml_dl()))
            .sum();
        delivered_ml_min / self.bsa_m2.max(1e-9)
    }

    /// Blood lactate, mmol/L.
    pub fn lactate_mmol_l(&self) -> f64 {
        self.state.contents.lactate_mmol_l
    }

    /// Oxygen demand not met since the start, mL.
    pub fn oxygen_debt_ml(&self) -> f64 {
        self.state.contents.oxygen_debt_ml
    }

    /// The patient's haemoglobin, g/dL, and haematocrit, fraction (Hct ≈ 3 × Hb, `patient::HB_G_DL_PER_HCT`), in
    /// the arterial blood.
    pub fn hb_g_dl(&self) -> f64 {
        self.node_blood(PATIENT_ARTERIAL).map_or(0.0, |b| b.hb_g_dl)
    }

    pub fn hct(&self) -> f64 {
        self.hb_g_dl() / crate::patient::HB_G_DL_PER_HCT
    }

    /// Pressure at a node, mmHg.
    pub fn node_pressure_mmhg(&self, node: usize) -> f64 {
        self.state.pressures_pa.get(node).map_or(0.0, |p| pa_to_mmhg(*p))
    }

    /// Pressure at a port (what a transducer on it reads), mmHg.
    pub fn port_pressure_mmhg(&self, port: &PortRef) -> Option<f64> {
        self.network.port_node.get(port).map(|node| self.node_pressure_mmhg(*node))
    }

    /// Flow through a tube, L/min, positive from its `from` end to its `to` end.
    pub fn tube_flow_l_min(&self, tube: TubeId) -> Option<f64> {
        self.flow_l_min(|origin| *origin == Origin::Tube(tube))
    }

    /// Flow through a part's internal branch (a pump, an oxygenator, a cannula), L/min.
    pub fn part_flow_l_min(&self, part: PartId) -> Option<f64> {
        self.flow_l_min(|origin| *origin == Origin::Part(part))
    }

    /// The blood inside a tube now, mixed over its length (what its colour shows).
    pub fn tube_blood(&self, tube: TubeId) -> Option<Blood> {
        let index = self.network.branches.iter().position(|b| b.origin == Origin::Tube(tube))?;
        let cells = self.state.contents.cells.get(index)?;
        let mut cells = cells.iter();
        let first = *cells.next()?;
        Some(cells.enumerate().fold(first, |mixed, (n, cell)| mixed.mix((n + 1) as f64, *cell, 1.0)))
    }

    /// How many times a second the blood in a tube is replaced (flow / volume, 1/s; negative when it runs from
    /// the tube's `to` end to its `from` end): the blood's true speed as a share of the tube's length per second.
    pub fn tube_turnover_per_s(&self, tube: TubeId) -> Option<f64> {
        let index = self.network.branches.iter().position(|b| b.origin == Origin::Tube(tube))?;
        let branch = self.network.branches.get(index)?;
        let flow_m3_s = *self.state.flows_m3_s.get(index)?;
        (branch.volume_ml > 0.0).then(|| m3_to_ml(flow_m3_s) / branch.volume_ml)
    }

    fn flow_l_min(&self, wanted: impl Fn(&Origin) -> bool) -> Option<f64> {
        let index = self.network.branches.iter().position(|b| wanted(&b.origin))?;
        self.state.flows_m3_s.get(index).map(|q| m3_s_to_l_min(*q))
    }

    /// Volume a node holds above zero pressure, mL (a reservoir's whole content).
    pub fn node_volume_ml(&self, node: usize) -> f64 {
        match (self.network.nodes.get(node), self.state.pressures_pa.get(node)) {
            (Some(n), Some(p)) if n.kind != NodeKind::Atmosphere => m3_to_ml(n.volume_m3(*p)),
            _ => 0.0,
        }
    }

    /// Fluid held in every node plus what has left it (leaked to the room, air vented or embolised) less the gas
    /// cavitation brought out of the blood, mL: constant while the model runs (conservation).
    pub fn accounted_volume_ml(&self) -> f64 {
        let contents = &self.state.contents;
        let pending: f64 = contents.sinks_ml.iter().sum();
        (1..self.network.nodes.len()).map(|n| self.node_volume_ml(n)).sum::<f64>()
            + m3_to_ml(self.state.leaked_m3)
            + contents.air_vented_ml
            + contents.air_to_patient_ml
            - contents.air_outgassed_ml
            - contents.air_entrained_ml
            - pending
            - self.state.added_ml
    }

    /// Blood (not air) lost to the room so far through open ports, disconnections and overflow, mL.
    pub fn blood_lost_ml(&self) -> f64 {
        self.state.contents.blood_lost_ml
    }
}
