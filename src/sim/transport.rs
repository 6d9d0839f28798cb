//! Carrying blood along the network after each hydraulic step: every branch is a short train of well-mixed cells
//! (so a parcel takes about volume / flow to cross it), every node mixes what arrives into what it holds, and
//! the oxygenator, the patient's tissues and the native lungs change the blood that passes them.

use super::blood::{Blood, saturation};
use super::gas_exchange::{DRY_GAS_PRESSURE_MMHG, lungs, membrane_co2, membrane_o2_limit_ml_min};
use super::metabolism::{CRITICAL_EXTRACTION, Metabolism, RESPIRATORY_QUOTIENT};
use super::network::{
    ATMOSPHERE, Branch, Exchange, Network, NodeKind, Origin, PATIENT_ARTERIAL, PATIENT_VENOUS, PURGE_GAS_ML_MIN,
};
use crate::hydraulics::viscosity_factor;
use crate::patient::HB_G_DL_PER_HCT;
use crate::units::{m3_s_to_l_min, m3_to_ml};

/// Smallest volume worth moving in one step, mL.
const MIN_MOVED_ML: f64 = 1.0e-4;
/// Smallest relative change of viscosity passed on to the hydraulics (1 %: a line pressure of 300 mmHg moves by
/// 3 mmHg, within a transducer's reading error). A modelling choice.
const VISCOSITY_STEP: f64 = 0.01;
/// Most cells per branch: enough to keep a front sharp over a line, few enough to stay cheap.
const CELLS_PER_BRANCH: usize = 4;
/// Volume one cell stands for at least, mL: a cannula or a connector of a few mL is one well-mixed cell, a line
/// of 40 mL or more gets all four. A modelling choice (no clinical number behind it).
const MIN_CELL_ML: f64 = 10.0;

/// How many cells a branch holding `volume_ml` is cut into.
pub fn cells_for(volume_ml: f64) -> usize {
    if volume_ml <= 0.0 { 0 } else { ((volume_ml / MIN_CELL_ML).ceil() as usize).clamp(1, CELLS_PER_BRANCH) }
}
/// Specific heat of blood, J/(kg·K). UNSOURCED textbook value (3.6 kJ/kg/K).
const BLOOD_HEAT_J_KG_K: f64 = 3600.0;
/// Specific heat of the body, J/(kg·K). UNSOURCED textbook value (3.47 kJ/kg/K).
const BODY_HEAT_J_KG_K: f64 = 3470.0;

/// The blood in motion: one content per node, a train of cells per branch, and the body's temperature.
#[derive(Debug, Clone, PartialEq)]
pub struct Contents {
    pub nodes: Vec<Blood>,
    pub cells: Vec<Vec<Blood>>,
    pub body_temp_c: f64,
    /// Oxygen the tissues consumed during the last step, mL/min.
    pub vo2_ml_min: f64,
    /// Oxygen the tissues wanted and did not get since the run started, mL: the oxygen debt.
    pub oxygen_debt_ml: f64,
    /// Blood lactate, mmol/L: made from the oxygen debt as it runs up, cleared toward the resting value.
    pub lactate_mmol_l: f64,
    /// The blood a VV return cannula delivered at the last step: what recirculates into the drainage.
    pub returning: Option<Blood>,
    /// Air that has reached the patient's circulation, mL: emboli.
    pub air_to_patient_ml: f64,
    /// Blood (the liquid, not air) that has left the circuit and the patient to the room, mL.
    pub blood_lost_ml: f64,
    /// Air vented by open reservoirs, mL.
    pub air_vented_ml: f64,
    /// Gas drawn out of the blood by pumps cavitating under strong suction, mL.
    pub air_outgassed_ml: f64,
    /// Air drawn in from a low reservoir's or the field's surface beyond what their air inlets let in, mL.
    pub air_entrained_ml: f64,
    /// Air gathered in each branch that traps it (a centrifugal head), mL.
    pub trapped_air_ml: Vec<f64>,
    /// Volume each node must give up at the next hydraulic step, mL: the air vented or embolised there in this
    /// step, which is gas, not blood, and leaves the fluid the network holds; negative where a cavitating pump
    /// delivered gas that came out of the blood.
    pub sinks_ml: Vec<f64>,
    /// The tissues' last oxygen solve: (Hb, SaO2, PO2, mL/dL removed) → (SaO2, PO2). At a steady state the same
    /// question comes every step, and the answer is the costliest arithmetic of the step.
    tissue_memo: Option<([f64; 4], (f64, f64))>,
}

/// A reservoir starts drawing air into its outlet below a quarter of its minimum operating level, all air when
/// empty. UNSOURCED: the reference gives the minimum levels (§4.4) but not how air is entrained below them.
const ENTRAINMENT_SHARE_OF_MIN_LEVEL: f64 = 0.25;

/// A sucker draws more and more air as the field's pool falls below this, all air when it is dry, mL. UNSOURCED: a
/// sucker tip skims the last few millilitres with air.
const FIELD_ENTRAINMENT_ML: f64 = 20.0;

/// The tissues' oxygen demand for one step and what has been met so far.
struct Budget {
    demand_ml: f64,
    consumed_ml: f64,
    weight_kg: f64,
}

/// VV recirculation in one step: the share of the return the drainage takes back, and the volumes.
struct Recirculating<'a> {
    share: f64,
    recirculated_ml: f64,
    drained_ml: f64,
    returns: &'a [usize],
    drainages: &'a [usize],
}

impl<'a> Recirculating<'a> {
    fn this_step(network: &'a Network, flows_m3_s: &[f64], dt_s: f64) -> Option<Self> {
        let rc = network.recirculation.as_ref()?;
        let total = |branches: &[usize]| -> f64 {
            branches.iter().filter_map(|b| flows_m3_s.get(*b)).map(|q| q.max(0.0)).sum()
        };
        let (returned, drained) = (total(&rc.returns), total(&rc.drainages));
        let share = rc.share(m3_s_to_l_min(returned));
        Some(Self {
            share,
            recirculated_ml: m3_to_ml(share * returned.min(drained) * dt_s),
            drained_ml: m3_to_ml(drained * dt_s),
            returns: &rc.returns,
            drainages: &rc.drainages,
        })
    }
}

/// Scratch reused between steps: what arrives at each node.
#[derive(Debug, Clone, Default)]
pub struct Arrivals {
    per_node: Vec<(Blood, f64)>,
    /// Air let into each node by its air inlet this step, mL, not yet drawn out with what leaves it.
    inlet_air_ml: Vec<f64>,
}

fn advect(cells: &mut [Blood], inflow: Blood, moved_ml: f64, volume_ml: f64, reversed: bool) -> Blood {
    if cells.is_empty() || volume_ml <= 0.0 {
        return inflow;
    }
    if reversed {
        cells.reverse();
    }
    let cell_ml = volume_ml / cells.len() as f64;
    let chunks = (moved_ml / cell_ml).ceil().max(1.0) as usize;
    let chunk_ml = moved_ml / chunks as f64;
    let mut out: Option<(Blood, f64)> = None;
    for _ in 0..chunks {
        let leaving = *cells.last().unwrap_or(&inflow);
        out = Some(match out {
            None => (leaving, chunk_ml),
            Some((blood, ml)) => (blood.mix(ml, leaving, chunk_ml), ml + chunk_ml),
        });
        for i in (0..cells.len()).rev() {
            let upstream = if i == 0 { inflow } else { cells[i - 1] };
            cells[i] = cells[i].mix(cell_ml - chunk_ml.min(cell_ml), upstream, chunk_ml.min(cell_ml));
        }
    }
    if reversed {
        cells.reverse();
    }
    out.map_or(inflow, |(blood, _)| blood)
}

impl Contents {
    /// The patient's compartments hold `patient` (arterial) and `venous` blood, the circuit `prime`, except the
    /// branches `dry` names (sucker and vent lines, which the priming plan leaves out and the blood added to the
    /// prime never reaches): they hold clear crystalloid.
    pub fn new(network: &Network, patient: Blood, venous: Blood, prime: Blood, dry: &dyn Fn(&Origin) -> bool) -> Self {
        let nodes: Vec<Blood> = network
            .nodes
            .iter()
            .map(|node| match node.kind {
                NodeKind::PatientArterial => patient,
                NodeKind::PatientVenous => venous,
                NodeKind::Atmosphere => Blood::air(prime.temp_c),
                _ => prime,
            })
            .collect();
        let cells = network
            .branches
            .iter()
            .map(|b| vec![if dry(&b.origin) { Blood::prime(prime.temp_c) } else { prime }; cells_for(b.volume_ml)])
            .collect();
        Self {
            sinks_ml: vec![0.0; nodes.len()],
            nodes,
            cells,
            body_temp_c: patient.temp_c,
            vo2_ml_min: 0.0,
            oxygen_debt_ml: 0.0,
            returning: None,
            lactate_mmol_l: super::metabolism::BASELINE_LACTATE_MMOL_L,
            air_to_patient_ml: 0.0,
            blood_lost_ml: 0.0,
            air_vented_ml: 0.0,
            air_outgassed_ml: 0.0,
            air_entrained_ml: 0.0,
            trapped_air_ml: vec![0.0; network.branches.len()],
            tissue_memo: None,
        }
    }

    /// The share of each branch's pump head that still acts: a centrifugal head loses it as air fills it (all of it
    /// once full); 1 for every other branch.
    pub fn head_shares(&self, network: &Network, shares: &mut Vec<f64>) {
        shares.clear();
        shares.extend(network.branches.iter().enumerate().map(|(b, branch)| {
            if branch.exchange != Exchange::CentrifugalHead || branch.volume_ml <= 0.0 {
                return 1.0;
            }
            let trapped = self.trapped_air_ml.get(b).copied().unwrap_or(0.0);
            (1.0 - trapped / branch.volume_ml).clamp(0.0, 1.0)
        }));
    }

    /// Each branch's blood viscosity relative to the reference, from the haematocrit and temperature of the blood
    /// inside it (or arriving at it, for a branch that holds none); 1 for branches whose law is not viscous. A
    /// factor moves only when the blood's has moved by more than `VISCOSITY_STEP`: every change of a law sets the
    /// network's compliances settling again, and a steady network costs least to solve.
    /// The systemic beds' factor is also multiplied by the vascular `tone` (1: as the scenario set it).
    pub fn refresh_viscosity(&self, network: &Network, factors: &mut Vec<f64>, tone: f64) {
        factors.resize(network.branches.len(), 1.0);
        for (b, branch) in network.branches.iter().enumerate() {
            let tone = if branch.origin == Origin::Systemic { tone } else { 1.0 };
            let now = self.viscosity_of(b, branch) * tone;
            if let Some(factor) = factors.get_mut(b)
                && (now / *factor - 1.0).abs() > VISCOSITY_STEP
            {
                *factor = now;
            }
        }
    }

    fn viscosity_of(&self, b: usize, branch: &Branch) -> f64 {
        if !branch.viscous {
            return 1.0;
        }
        let cells = self.cells.get(b).map_or(&[][..], Vec::as_slice);
        let (hb, temp) = if cells.is_empty() {
            self.nodes.get(branch.from).map_or((0.0, 37.0), |blood| (blood.hb_g_dl, blood.temp_c))
        } else {
            let n = cells.len() as f64;
            cells.iter().fold((0.0, 0.0), |(hb, t), c| (hb + c.hb_g_dl / n, t + c.temp_c / n))
        };
        viscosity_factor(hb / HB_G_DL_PER_HCT, temp)
    }

    /// Moves the blood of one step of `dt_s` with the step's branch flows and node pressures; `node_ml` gives the
    /// blood each node holds now (a reservoir's follows its level).
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &mut self,
        network: &Network,
        flows_m3_s: &[f64],
        pressures_pa: &[f64],
        node_ml: &dyn Fn(usize) -> f64,
        metabolism: &Metabolism,
        dt_s: f64,
        arrivals: &mut Arrivals,
    ) {
        self.sinks_ml.clear();
        self.sinks_ml.resize(network.nodes.len(), 0.0);
        arrivals.per_node.clear();
        arrivals.per_node.resize(network.nodes.len(), (Blood::prime(0.0), 0.0));
        arrivals.inlet_air_ml.clear();
        arrivals.inlet_air_ml.resize(network.nodes.len(), 0.0);
        for (branch, flow) in network.branches.iter().zip(flows_m3_s) {
            if matches!(branch.origin, Origin::AirInlet(_) | Origin::FieldAirInlet)
                && *flow > 0.0
                && let Some(air) = arrivals.inlet_air_ml.get_mut(branch.to)
            {
                *air += m3_to_ml(flow * dt_s);
            }
        }
        let mut consumed_ml = 0.0;
        let demand_ml = metabolism.vo2_ml_min(self.body_temp_c) * dt_s / 60.0;
        let recirculation = Recirculating::this_step(network, flows_m3_s, dt_s);
        for (index, branch) in network.branches.iter().enumerate() {
            let flow = flows_m3_s.get(index).copied().unwrap_or(0.0);
            let (from, to) = if flow >= 0.0 { (branch.from, branch.to) } else { (branch.to, branch.from) };
            let moved_ml = m3_to_ml(flow.abs() * dt_s);
            // A pump drawing against strong suction cavitates: it displaces its stroke, but only 1/m of it is blood
            // that reached it (m, the choke's factor); the rest is gas out of solution, delivered downstream.
            if let (Origin::Part(_), Some(choke)) = (&branch.origin, branch.choke)
                && choke.node == from
                && choke.onset_pa < 0.0
            {
                let (m, _) = choke.factor(pressures_pa.get(from).copied().unwrap_or(0.0));
                let gas_ml = moved_ml * (m - 1.0);
                if gas_ml > MIN_MOVED_ML
                    && let (Some(slot), Some(source)) = (arrivals.per_node.get_mut(to), self.sinks_ml.get_mut(to))
                {
                    let gas = Blood::air(self.nodes.get(from).map_or(20.0, |b| b.temp_c));
                    *slot =
                        if slot.1 > 0.0 { (slot.0.mix(slot.1, gas, gas_ml), slot.1 + gas_ml) } else { (gas, gas_ml) };
                    *source -= gas_ml;
                    self.air_outgassed_ml += gas_ml;
                }
            }
            // Leaks past a clamp or an occluded roller move nothing worth carrying (less than 0.0001 mL a step).
            if moved_ml < MIN_MOVED_ML {
                continue;
            }
            let mut inflow = self.nodes.get(from).copied().unwrap_or(Blood::prime(20.0));
            // VV drainage takes back part of what the return gave a moment ago (recirculation, reference §2.3).
            if let (Some(r), Some(returned)) = (&recirculation, self.returning)
                && r.drainages.contains(&index)
                && flow > 0.0
            {
                let back_ml = (r.recirculated_ml * moved_ml / r.drained_ml.max(1e-12)).min(moved_ml);
                inflow = inflow.mix(moved_ml - back_ml, returned, back_ml);
            }
            let entrainment_ml = match network.nodes.get(from).map(|n| &n.kind) {
                Some(NodeKind::Reservoir { min_level_m3, .. }) => {
                    Some(m3_to_ml(*min_level_m3) * ENTRAINMENT_SHARE_OF_MIN_LEVEL)
                }
                Some(NodeKind::Field { .. }) => Some(FIELD_ENTRAINMENT_ML),
                _ => None,
            };
            if let Some(threshold_ml) = entrainment_ml {
                let entrained = (1.0 - node_ml(from) / threshold_ml.max(1e-9)).clamp(0.0, 1.0);
                // The air drawn in takes the place of liquid: the parcel carries that much less haemoglobin.
                if entrained > inflow.air {
                    // It is the air the node's inlet let in, and beyond that air from its surface: volume the
                    // node gains (it is not liquid the node lost), so blood never turns into air.
                    let gas_ml = (entrained - inflow.air) * moved_ml;
                    let from_inlet = arrivals.inlet_air_ml.get(from).copied().unwrap_or(0.0).min(gas_ml);
                    if let Some(air) = arrivals.inlet_air_ml.get_mut(from) {
                        *air -= from_inlet;
                    }
                    if let Some(sink) = self.sinks_ml.get_mut(from) {
                        *sink -= gas_ml - from_inlet;
                    }
                    self.air_entrained_ml += gas_ml - from_inlet;
                    inflow.hb_g_dl *= (1.0 - entrained) / (1.0 - inflow.air).max(1e-12);
                    inflow.air = entrained;
                }
            }
            // A centrifugal head keeps the air that reaches it, until it is full of air.
            if branch.exchange == Exchange::CentrifugalHead
                && let Some(trapped) = self.trapped_air_ml.get_mut(index)
            {
                let air_ml = inflow.air * moved_ml;
                let kept = air_ml.min((branch.volume_ml - *trapped).max(0.0));
                if kept > 0.0 {
                    *trapped += kept;
                    // The air kept displaces as much of the blood the head held, which goes on in its place.
                    let rest_ml = moved_ml - kept;
                    let rest = Blood {
                        hb_g_dl: inflow.hb_g_dl * moved_ml / rest_ml.max(1e-12),
                        air: (air_ml - kept) / rest_ml.max(1e-12),
                        ..inflow
                    };
                    let held = self.cells.get(index).and_then(|c| c.first()).copied().unwrap_or(rest);
                    inflow = rest.mix(rest_ml, Blood { air: 0.0, ..held }, kept);
                }
            }
            let cells = self.cells.get_mut(index).map_or(&mut [][..], |c| c.as_mut_slice());
            let mut out = advect(cells, inflow, moved_ml, branch.volume_ml, flow < 0.0);
            // A filter holds back most of the air that reaches it, as much as its purge line vents: gas that leaves
            // the fluid here, so the parcel goes on smaller, its liquid unchanged (the air never turns into blood).
            let trapped_ml =
                (branch.exchange.air_trap_share() * out.air * moved_ml).min(PURGE_GAS_ML_MIN * dt_s / 60.0);
            let trapped_ml = if to != ATMOSPHERE && trapped_ml > MIN_MOVED_ML {
                let rest_ml = moved_ml - trapped_ml;
                out = Blood {
                    hb_g_dl: out.hb_g_dl * moved_ml / rest_ml,
                    air: ((out.air * moved_ml - trapped_ml) / rest_ml).clamp(0.0, 1.0),
                    ..out
                };
                if let Some(sink) = self.sinks_ml.get_mut(to) {
                    *sink += trapped_ml;
                }
                self.air_vented_ml += trapped_ml;
                trapped_ml
            } else {
                0.0
            };
            let mut budget = Budget { demand_ml, consumed_ml, weight_kg: metabolism.weight_kg };
            out = self.exchange(branch, out, flow, moved_ml, &mut budget);
            consumed_ml = budget.consumed_ml;
            if to == ATMOSPHERE {
                self.blood_lost_ml += moved_ml * (1.0 - out.air);
            }
            // Air let into an emptied reservoir or field is what its outlet draws (entrainment, above), not an arrival.
            if matches!(branch.origin, Origin::AirInlet(_) | Origin::FieldAirInlet) {
                continue;
            }
            let arriving_ml = match &recirculation {
                Some(r) if r.returns.contains(&index) && flow > 0.0 => {
                    self.returning = Some(out);
                    (moved_ml - trapped_ml) * (1.0 - r.share)
                }
                _ => moved_ml - trapped_ml,
            };
            if to != ATMOSPHERE
                && let Some(slot) = arrivals.per_node.get_mut(to)
            {
                *slot = if slot.1 > 0.0 {
                    (slot.0.mix(slot.1, out, arriving_ml), slot.1 + arriving_ml)
                } else {
                    (out, arriving_ml)
                };
            }
        }
        for (n, (arrived, ml)) in arrivals.per_node.iter().enumerate() {
            let kind = network.nodes.get(n).map(|node| &node.kind);
            let (Some(blood), true) = (self.nodes.get_mut(n), *ml > 0.0) else { continue };
            match kind {
                // An open reservoir vents the air that reaches it (defoamer, open top), and air reaching the
                // patient is an embolism: either way the gas leaves the fluid, and only the liquid mixes in.
                Some(
                    NodeKind::Reservoir { .. }
                    | NodeKind::Field { .. }
                    | NodeKind::PatientArterial
                    | NodeKind::PatientVenous,
                ) => {
                    let gas_ml = arrived.air.clamp(0.0, 1.0) * ml;
                    let liquid_ml = ml - gas_ml;
                    if liquid_ml > 0.0 {
                        let liquid = Blood { hb_g_dl: arrived.hb_g_dl * ml / liquid_ml, air: 0.0, ..*arrived };
                        *blood = blood.mix(node_ml(n).max(0.5), liquid, liquid_ml);
                    }
                    blood.air = 0.0;
                    if let Some(sink) = self.sinks_ml.get_mut(n) {
                        *sink += gas_ml;
                    }
                    if matches!(kind, Some(NodeKind::Reservoir { .. } | NodeKind::Field { .. })) {
                        self.air_vented_ml += gas_ml;
                    } else {
                        self.air_to_patient_ml += gas_ml;
                    }
                }
                _ => *blood = blood.mix(node_ml(n).max(0.5), *arrived, *ml),
            }
        }
        // Tissues consume oxygen with or without flow: what the perfusion did not supply they take from the blood
        // standing in them (the venous pool), but no further than the extraction limit allows; what is still
        // missing is an oxygen debt, paid in lactate.
        let shortfall_ml = (demand_ml - consumed_ml).max(0.0);
        if shortfall_ml > 0.0
            && let (Some(arterial), Some(venous)) =
                (self.nodes.get(PATIENT_ARTERIAL).copied(), self.nodes.get_mut(PATIENT_VENOUS))
        {
            let pool_dl = node_ml(PATIENT_VENOUS).max(1.0) / 100.0;
            let floor_ml_dl = (1.0 - CRITICAL_EXTRACTION) * arterial.o2_content_ml_dl();
            let taken_ml = shortfall_ml.min((venous.o2_content_ml_dl() - floor_ml_dl).max(0.0) * pool_dl);
            if taken_ml > 0.0 {
                *venous =
                    venous.with_o2_added(-taken_ml / pool_dl).with_co2_added(RESPIRATORY_QUOTIENT * taken_ml / pool_dl);
            }
            consumed_ml += taken_ml;
        }
        let unmet_ml = (demand_ml - consumed_ml).max(0.0);
        self.oxygen_debt_ml += unmet_ml;
        self.lactate_mmol_l = metabolism.lactate_after(self.lactate_mmol_l, unmet_ml, self.body_temp_c, dt_s);
        self.vo2_ml_min = consumed_ml * 60.0 / dt_s;
    }

    fn exchange(&mut self, branch: &Branch, blood: Blood, flow_m3_s: f64, moved_ml: f64, budget: &mut Budget) -> Blood {
        match branch.exchange {
            Exchange::None | Exchange::CentrifugalHead => blood,
            Exchange::AirTrap { .. } => blood,
            Exchange::Oxygenator {
                transfer_ml_min,
                fio2,
                sweep_l_min,
                heat_factor,
                heat_reference_l_min,
                water_temp_c,
                co2_clearance,
                membrane_efficiency,
                air_trap: _,
            } => {
                let mut out = blood;
                if let Some(water) = water_temp_c {
                    let effectiveness =
                        heat_effectiveness(heat_factor, heat_reference_l_min, m3_s_to_l_min(flow_m3_s.abs()));
                    out.temp_c += effectiveness * (water - out.temp_c);
                }
                if sweep_l_min > 0.0 && flow_m3_s > 0.0 {
                    // A sound membrane brings the blood to the gas's tension; a failing one only part of the way.
                    let gas_po2 = fio2 * DRY_GAS_PRESSURE_MMHG;
                    let target_po2 = out.po2_mmhg + membrane_efficiency * (gas_po2 - out.po2_mmhg);
                    let target = Blood { sat: saturation(target_po2), po2_mmhg: target_po2, ..out };
                    let needed = target.o2_content_ml_dl() - out.o2_content_ml_dl();
                    let flow_dl_min = m3_s_to_l_min(flow_m3_s) * 10.0;
                    let limit_ml_min = membrane_o2_limit_ml_min(transfer_ml_min, fio2, sweep_l_min);
                    let capacity = limit_ml_min / flow_dl_min.max(1e-9);
                    // Within its capacity the membrane brings the blood to the gas's tension; only a membrane at
                    // its limit leaves it short, and then the oxygen it did add sets the tension.
                    out = if needed <= capacity {
                        if needed > 0.0 { target } else { out }
                    } else {
                        out.with_o2_added(capacity)
                    };
                    out = membrane_co2(out, co2_clearance, sweep_l_min, flow_dl_min / 10.0);
                }
                out
            }
            Exchange::Tissues { share } => {
                if flow_m3_s <= 0.0 {
                    return blood;
                }
                let available_ml = blood.o2_content_ml_dl() * moved_ml / 100.0 * CRITICAL_EXTRACTION;
                let taken_ml = (budget.demand_ml * share).min(available_ml);
                budget.consumed_ml += taken_ml;
                let removed = taken_ml / (moved_ml / 100.0);
                let key = [blood.hb_g_dl, blood.sat, blood.po2_mmhg, removed];
                let (sat, po2_mmhg) = match self.tissue_memo {
                    // Exactly the same question (bit for bit), so the same answer: no tolerance to blur determinism.
                    Some((last, answer)) if last.map(f64::to_bits) == key.map(f64::to_bits) => answer,
                    // Venous blood changes little from one step to the next: the last answer is the best start.
                    last => {
                        let guess = last.map_or(blood.po2_mmhg, |(_, (_, po2))| po2);
                        let solved =
                            Blood { po2_mmhg: guess, ..blood }.with_o2_content(blood.o2_content_ml_dl() - removed);
                        self.tissue_memo = Some((key, (solved.sat, solved.po2_mmhg)));
                        (solved.sat, solved.po2_mmhg)
                    }
                };
                let mut out = Blood { sat, po2_mmhg, ..blood }.with_co2_added(RESPIRATORY_QUOTIENT * removed);
                // Heat: the blood gives its warmth to (or takes it from) the body and leaves at body temperature.
                let blood_kg = moved_ml * 1e-6 * crate::units::BLOOD_DENSITY_KG_M3;
                let heat_j = blood_kg * BLOOD_HEAT_J_KG_K * (blood.temp_c - self.body_temp_c);
                self.body_temp_c += heat_j / (budget.weight_kg.max(0.5) * BODY_HEAT_J_KG_K);
                out.temp_c = self.body_temp_c;
                out
            }
            Exchange::Lungs { shunt, ventilation_l_min } => {
                if flow_m3_s <= 0.0 {
                    return blood;
                }
                lungs(blood, shunt, ventilation_l_min, m3_s_to_l_min(flow_m3_s))
            }
        }
    }
}

/// The share of the way to the water's temperature blood gets through the heat exchanger at `flow_l_min`: the
/// maker's factor at its reference flow carried to other flows by ε-NTU with the water side much the larger
/// (ε = 1 − e^(−NTU), NTU ∝ 1/Q), reference §4.2 (PHYS): 0.80 at 3 L/min gives 0.55 at 6 L/min, against 0.58
/// measured [NX19-study].
fn heat_effectiveness(factor_at_reference: f64, reference_l_min: f64, flow_l_min: f64) -> f64 {
    if flow_l_min <= 0.0 || reference_l_min <= 0.0 {
        return factor_at_reference;
    }
    let left = (1.0 - factor_at_reference).clamp(0.0, 1.0);
    1.0 - left.powf(reference_l_min / flow_l_min)
}

#[cfg(test)]
mod tests {
    use super::heat_effectiveness;

    /// ε-NTU from the NX19's 0.80 at 3 L/min: 0.55 at 6 L/min against 0.58 measured [NX19-study] (within 10 %);
    /// the reference flow gives the factor back; slower flow warms or cools the blood further.
    #[test]
    fn the_heat_exchanger_does_less_as_the_flow_rises() {
        assert!((heat_effectiveness(0.80, 3.0, 3.0) - 0.80).abs() < 1e-12);
        let at_6 = heat_effectiveness(0.80, 3.0, 6.0);
        assert!((at_6 - 0.58).abs() / 0.58 < 0.10, "{at_6}");
        assert!(heat_effectiveness(0.80, 3.0, 1.5) > 0.95);
    }
}
