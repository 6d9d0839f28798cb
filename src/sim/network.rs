//! Lowering a circuit and a patient to a lumped hydraulic network: nodes that hold volume at a pressure, and
//! branches with a pressure–flow `Law` between them.
//!
//! Ports joined without resistance (connectors, clip-on sensors, the inside of a reservoir, one side of an
//! oxygenator) merge into one node; tubes and devices become branches; the patient adds an arterial and a venous
//! compartment joined by the systemic vascular resistance. An open port leaks to the atmosphere and a clamp is a
//! very large resistance, so every circuit, however wrong, lowers to a network with finite numbers.

use super::law::{Law, pa_s_m3_per_mmhg_l_min, pa_s2_m6_per_mmhg_l_min2};
use crate::catalog::{CannulaRole, Catalog, PartKind, PressureDrop, port};
use crate::circuit::{Circuit, Controls, PumpDirection};
use crate::hydraulics::{REFERENCE_VISCOSITY_PA_S, poiseuille_pa_s_m3, viscosity_factor};
use crate::ids::{PartId, PortRef, TubeId};
use crate::scenario::Scenario;
use crate::units::{BLOOD_DENSITY_KG_M3, GRAVITY_M_S2, PA_PER_MMHG, l_min_to_m3_s, mmhg_to_pa};
use std::collections::BTreeMap;

/// What a node stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// Fixed at 0 Pa gauge: where open ports leak to.
    Atmosphere,
    PatientArterial,
    PatientVenous,
    /// An open reservoir: its pressure is the hydrostatic head of its level.
    Reservoir {
        part: PartId,
        capacity_m3: f64,
        min_level_m3: f64,
    },
    /// Ports joined without resistance.
    Junction,
    /// The surgical field: shed blood pooling in the open chest, at atmospheric pressure above its level, which
    /// the suckers return.
    Field {
        capacity_m3: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Volume held per pascal, m³/Pa.
    pub compliance_m3_pa: f64,
    /// Height above the patient's heart, m (for gravity heads).
    pub height_m: f64,
    /// Blood the node holds for mixing, mL (a reservoir's follows its level instead).
    pub volume_ml: f64,
    /// Compliance below zero pressure, m³/Pa, where it differs: veins collapse when their pressure falls below the
    /// surroundings', so suction draws little more from them.
    pub collapsed_compliance_m3_pa: Option<f64>,
}

impl Node {
    /// Volume held above zero pressure at `pressure_pa` (negative below), m³.
    pub fn volume_m3(&self, pressure_pa: f64) -> f64 {
        match self.collapsed_compliance_m3_pa {
            Some(collapsed) if pressure_pa < 0.0 => collapsed * pressure_pa,
            _ => self.compliance_m3_pa * pressure_pa,
        }
    }

    /// The pressure at which the node holds `volume_m3` (the inverse of `volume_m3`), Pa.
    pub fn pressure_for(&self, volume_m3: f64) -> f64 {
        let compliance = match self.collapsed_compliance_m3_pa {
            Some(collapsed) if volume_m3 < 0.0 => collapsed,
            _ => self.compliance_m3_pa,
        };
        if compliance > 0.0 { volume_m3 / compliance } else { 0.0 }
    }

    /// d(volume)/d(pressure) at `pressure_pa`, m³/Pa.
    pub fn compliance_at(&self, pressure_pa: f64) -> f64 {
        match self.collapsed_compliance_m3_pa {
            Some(collapsed) if pressure_pa < 0.0 => collapsed,
            _ => self.compliance_m3_pa,
        }
    }
}

/// What a branch does to the blood passing through it, besides moving it.
#[derive(Debug, Clone, PartialEq)]
pub enum Exchange {
    None,
    /// Membrane gas exchange and the heat exchanger, at the settings the circuit had when the network was built.
    Oxygenator {
        transfer_ml_min: f64,
        fio2: f64,
        sweep_l_min: f64,
        /// The heat exchanger's performance factor at `heat_reference_l_min` (the catalog's, at mid rated flow).
        heat_factor: f64,
        heat_reference_l_min: f64,
        water_temp_c: Option<f64>,
        /// How readily the membrane clears CO2 (`gas_exchange::membrane_co2_clearance` for a sound one).
        co2_clearance: f64,
        /// How far the membrane brings the blood's PO2 toward the gas's, 0 to 1: 1 for a sound membrane, less for
        /// one that is failing (clot, plasma leak).
        membrane_efficiency: f64,
        /// Share of air an integrated arterial filter holds back (0 without one).
        air_trap: f64,
    },
    /// An arterial filter: holds back a share of the air that reaches it.
    AirTrap {
        share: f64,
    },
    /// A centrifugal head: air reaching it gathers at its centre, and its pressure head collapses as the air fills
    /// it (an air lock, reference §8 [reanimate-ECMO]).
    CentrifugalHead,
    /// The patient's tissues (the share of the body this systemic bed feeds): oxygen consumed, CO2 made, blood
    /// leaves at body temperature.
    Tissues {
        share: f64,
    },
    /// The native heart and lungs: `shunt` of the blood passes unventilated alveoli unchanged, the rest leaves at the
    /// alveolar gas's tensions; `ventilation_l_min` of alveolar ventilation carries the CO2 away.
    Lungs {
        shunt: f64,
        ventilation_l_min: f64,
    },
}

impl Exchange {
    /// Share of the air reaching this branch that a filter (alone or in an oxygenator) holds back and purges.
    pub fn air_trap_share(&self) -> f64 {
        match self {
            Exchange::AirTrap { share } | Exchange::Oxygenator { air_trap: share, .. } => *share,
            _ => 0.0,
        }
    }
}

/// A branch that chokes as the pressure at `node` falls below `onset_pa`: its losses are multiplied by
/// e^((onset − P) / scale), so the flow it draws falls away steeply and the pressure cannot run off below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choke {
    pub node: usize,
    pub onset_pa: f64,
    pub scale_pa: f64,
}

impl Choke {
    /// A vessel (the patient's veins, atria, arteries) collapsing around a cannula or a sucker tip.
    pub fn vessel(node: usize) -> Self {
        Self {
            node,
            onset_pa: mmhg_to_pa(VESSEL_COLLAPSE_ONSET_MMHG),
            scale_pa: mmhg_to_pa(VESSEL_COLLAPSE_SCALE_MMHG),
        }
    }

    /// Blood cavitating at the inflow of a pump.
    pub fn cavitation(node: usize) -> Self {
        Self { node, onset_pa: mmhg_to_pa(CAVITATION_ONSET_MMHG), scale_pa: mmhg_to_pa(CAVITATION_SCALE_MMHG) }
    }

    /// The factor on the branch's losses at the node's pressure, and its derivative per Pa.
    pub fn factor(&self, pressure_pa: f64) -> (f64, f64) {
        let depth = (self.onset_pa - pressure_pa) / self.scale_pa;
        if depth <= 0.0 {
            return (1.0, 0.0);
        }
        if depth >= MAX_CHOKE_DEPTH {
            return (MAX_CHOKE_DEPTH.exp(), 0.0);
        }
        let factor = depth.exp();
        (factor, -factor / self.scale_pa)
    }
}

/// Vessels collapse as the pressure inside them falls to the surroundings': a cannula or sucker draining them chokes
/// from 1.5 mmHg, its resistance multiplied by e for each 0.1 mmHg further, so that even a strong siphon on a
/// cannula of low resistance draws next to nothing once the pressure is at zero. UNSOURCED numbers: the reference
/// describes the collapse (too much siphon collapses the atrium around the cannula and the line chatters, §6.10
/// [BS-cannulation]) and a drained patient's intravascular pressure settles at or just above zero; these make it so,
/// and leave a working CVP on bypass of a few mmHg (drainage depends on CVP [Corno-2007], §2).
pub const VESSEL_COLLAPSE_ONSET_MMHG: f64 = 1.5;
pub const VESSEL_COLLAPSE_SCALE_MMHG: f64 = 0.1;
/// Blood under strong suction outgasses and cavitates: a pump's inflow chokes from −440 mmHg gauge, its resistance
/// multiplied by e for each 8 mmHg further, shut as by a clamp at vacuum (−760 mmHg gauge, PHYS), which no line
/// can go below. UNSOURCED onset: the reference says roller pumps "create upstream cavitation if inflow is
/// restricted" [pac6-pumps] (§3.3) and gives no pressure; −440 mmHg lies far below any working inflow (VV drainage
/// is critical near −100 mmHg [Robak-suction], §6.10).
pub const CAVITATION_ONSET_MMHG: f64 = -440.0;
pub const CAVITATION_SCALE_MMHG: f64 = 8.0;
/// The deepest choke (e^40, reached by cavitation at vacuum): past it the branch is shut as firmly as a clamp, and
/// the exponential stays finite.
const MAX_CHOKE_DEPTH: f64 = 40.0;

/// What a branch stands for, so flows can be reported against the circuit.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Tube(TubeId),
    Part(PartId),
    Systemic,
    NativeHeart,
    /// The aorta between the arch (upper body) and the descending aorta (lower body), where native output and a
    /// femoral return meet.
    Aorta,
    /// The venae cavae's opening into the right atrium, where VV ECMO returns its blood.
    Caval,
    OpenPort(PortRef),
    /// Air let into an open reservoir as its outlet draws it below empty.
    AirInlet(PartId),
    /// A full reservoir spilling over through its vent.
    Overflow(PartId),
    /// The patient bleeding into the surgical field.
    Bleeding,
    /// Air drawn into the emptied surgical field (a sucker on a dry field), and blood spilling from a full one.
    FieldAirInlet,
    FieldOverflow,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub from: usize,
    pub to: usize,
    pub law: Law,
    /// Lets blood pass from `from` to `to` only (a one-way valve).
    pub one_way: bool,
    pub origin: Origin,
    /// Blood inside the branch, mL: what sets its transport delay (volume / flow).
    pub volume_ml: f64,
    pub exchange: Exchange,
    /// The share of `law.head_pa` a pump provides (the rest is gravity), Pa: what a power loss takes away.
    pub pump_head_pa: f64,
    /// A node whose low pressure chokes this branch: a vessel collapsing around its cannula, blood cavitating at a
    /// pump's inflow.
    pub choke: Option<Choke>,
    /// `law.a` is a laminar resistance at the reference viscosity (tubing, cannulae, oxygenator, filter): the run
    /// scales it by the viscosity of the blood inside (haematocrit and temperature, `hydraulics::viscosity_factor`).
    pub viscous: bool,
}

impl Branch {
    /// A branch that holds no blood and does nothing to it (an opening, a leak, a bleed, an air inlet): a law
    /// between two nodes.
    pub fn passage(from: usize, to: usize, law: Law, one_way: bool, origin: Origin) -> Self {
        Self {
            from,
            to,
            law,
            one_way,
            origin,
            volume_ml: 0.0,
            exchange: Exchange::None,
            pump_head_pa: 0.0,
            choke: None,
            viscous: false,
        }
    }
}

/// The network of one circuit revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub branches: Vec<Branch>,
    /// The node each port sits on.
    pub port_node: BTreeMap<PortRef, usize>,
    /// The circuit revision this network was built from.
    pub revision: u64,
    /// The compartment the native heart fills from: the right atrium where a VV return enters, else the veins.
    pub right_atrium: usize,
    /// The lower body's arterial compartment, fed by a femoral return; else the one arterial compartment.
    pub lower_body: usize,
    /// VV ECMO's return streaming straight back into its drainage.
    pub recirculation: Option<Recirculation>,
}

/// VV recirculation: the share of the returned blood the drainage takes back before it reaches the right heart,
/// R = scale × (0.077 + 0.1295 × (Q − 3 L/min)), clamped to 0–0.9: the line through 7.7 % at 3 L/min and 33.6 % at
/// 5 L/min of [Recirc-CFD] (reference §2.3), rising with ECMO flow as in [Recirc-porcine].
#[derive(Debug, Clone, PartialEq)]
pub struct Recirculation {
    /// Branches returning ECMO blood into the right atrium.
    pub returns: Vec<usize>,
    /// Branches draining the veins into the circuit.
    pub drainages: Vec<usize>,
    /// The cannulation's factor on the CFD line (1 for a dual-lumen cannula).
    pub scale: f64,
}

impl Recirculation {
    /// The share of `return_l_min` taken back by the drainage.
    pub fn share(&self, return_l_min: f64) -> f64 {
        if return_l_min <= 0.0 {
            return 0.0;
        }
        (self.scale * (RECIRCULATION_AT_3_L_MIN + RECIRCULATION_PER_L_MIN * (return_l_min - 3.0))).clamp(0.0, 0.9)
    }
}

/// [Recirc-CFD] (reference §2.3): 7.7 % at 3 L/min, 33.6 % at 5 L/min.
pub const RECIRCULATION_AT_3_L_MIN: f64 = 0.077;
pub const RECIRCULATION_PER_L_MIN: f64 = (0.336 - 0.077) / 2.0;
/// The recirculation line's factor by cannulation: a dual-lumen cannula returning toward the tricuspid valve takes
/// the CFD line itself (low); two sites, jugular return and femoral drainage, half as much again (moderate); two
/// femoral cannulae close together twice (high). UNSOURCED factors: the reference ranks the cannulations (§2.3
/// [Recirc-porcine]: a shorter distance between the cannulae, more recirculation) without numbers for each.
pub const DUAL_LUMEN_RECIRCULATION_SCALE: f64 = 1.0;
pub const TWO_SITE_RECIRCULATION_SCALE: f64 = 1.5;
pub const FEMORO_FEMORAL_RECIRCULATION_SCALE: f64 = 2.0;
/// Share of the systemic flow that feeds the upper body (head, arms, coronaries) from the aortic arch. UNSOURCED:
/// the reference gives no regional split; about two fifths is the textbook brain, coronary and upper-limb share.
pub const UPPER_BODY_SHARE: f64 = 0.4;
/// Resistance of the aorta between arch and descending aorta, mmHg per L/min. UNSOURCED: small against the SVR (a
/// healthy aorta loses a few mmHg at a cardiac output).
pub const AORTIC_RESISTANCE_MMHG_PER_L_MIN: f64 = 0.5;
/// Resistance of the venae cavae into the right atrium, mmHg per L/min. UNSOURCED: the order of the textbook
/// resistance to venous return's last segment.
pub const CAVAL_RESISTANCE_MMHG_PER_L_MIN: f64 = 0.5;
/// Share of the venous compliance and volume in the right atrium when it is a compartment of its own. UNSOURCED:
/// the atrium holds about a twentieth of the venous blood.
pub const RIGHT_ATRIAL_SHARE: f64 = 0.05;

pub const ATMOSPHERE: usize = 0;
pub const PATIENT_ARTERIAL: usize = 1;
pub const PATIENT_VENOUS: usize = 2;
pub const FIELD: usize = 3;

/// Blood the surgical field holds before it spills over the drapes, m³. UNSOURCED: the pericardial well and chest
/// hold a few hundred millilitres; 0.5 L.
pub const FIELD_CAPACITY_M3: f64 = 0.5e-3;
/// The field's surface, m². UNSOURCED: an opened chest of about 15 × 20 cm; it turns the pooled volume into a level.
pub const FIELD_AREA_M2: f64 = 0.03;
/// The arterial pressure at which the scenario's bleeding rate is given, Pa (60 mmHg: the middle of the 50–80 mmHg
/// MAP window on bypass [EACTS-2019]); the bleeding follows the pressure.
pub const BLEEDING_REFERENCE_PA: f64 = 60.0 * PA_PER_MMHG;

/// Resistance of a closed tubing clamp, Pa·s/m³. UNSOURCED: a clamp occludes; the finite value (300 mmHg pushes
/// 0.0024 L/min past it) keeps every network solvable.
pub const CLAMP_RESISTANCE: f64 = 1.0e13;
/// Back-leak resistance of a set occlusive roller pump, Pa·s/m³ (same reasoning as the clamp): flow falls by
/// 0.0024 L/min per 300 mmHg of afterload, "afterload independent" (reference §3.3).
pub const ROLLER_LEAK_RESISTANCE: f64 = 1.0e13;
/// An unset occlusion leaks back a thousand times more. UNSOURCED; the reference only says a loose roller leaks
/// back (§3.3 [Vieira-2009]).
pub const ROLLER_LOOSE_RESISTANCE: f64 = 1.0e10;
/// An open luer port, Pa·s/m³. UNSOURCED: bleeds about 0.8 L/min at 100 mmHg.
pub const OPEN_PORT_RESISTANCE: f64 = 1.0e9;
/// Internal resistance of a centrifugal head besides its head curve, and of devices with a negligible drop, so
/// no branch has zero resistance, Pa·s/m³. UNSOURCED: 0.05 mmHg per L/min.
pub const MIN_RESISTANCE: f64 = 4.0e5;
/// Resistance of a sucker or vent tip drawing from the field, Pa·s/m³. UNSOURCED: 20 mmHg per L/min.
pub const SUCTION_TIP_RESISTANCE: f64 = 1.6e8;
/// Compliance of PVC tubing per metre, m³/Pa. UNSOURCED: 0.01 mL/mmHg per metre.
pub const TUBING_COMPLIANCE_M3_PA_PER_M: f64 = 0.01e-6 / PA_PER_MMHG;
/// Smallest compliance any node has, m³/Pa. UNSOURCED: 0.005 mL/mmHg (a connector's worth).
pub const MIN_COMPLIANCE_M3_PA: f64 = 0.005e-6 / PA_PER_MMHG;
/// Patient arterial compliance per kg, m³/Pa. UNSOURCED: 0.02 mL/mmHg/kg (1.6 mL/mmHg for 80 kg), the order of
/// textbook systemic arterial compliance; the reference gives none.
pub const ARTERIAL_COMPLIANCE_PER_KG: f64 = 0.02e-6 / PA_PER_MMHG;
/// Patient venous compliance per kg, m³/Pa. UNSOURCED: 2.0 mL/mmHg/kg, inside the textbook 1.5–2.5 mL/mmHg/kg of
/// the systemic veins; with collapse at zero it sets how much blood a patient gives to the reservoir when drained
/// (a neonatal circuit at its minimum level needs the ten or so millilitres its lines take as they pressurise).
pub const VENOUS_COMPLIANCE_PER_KG: f64 = 2.0e-6 / PA_PER_MMHG;
/// Share of the venous compliance left once the veins collapse (pressure below zero). UNSOURCED: the reference
/// describes the consequence (too much siphon collapses the atrium around the cannula and the line chatters,
/// §6.10 [BS-cannulation]) but gives no number; a tenth keeps suction from emptying the veins.
pub const COLLAPSED_VENOUS_SHARE: f64 = 0.1;
/// Resistance of a hard-shell reservoir's open top and vent to air going in or blood spilling out, Pa·s/m³.
/// UNSOURCED: small enough (6 L/min through a tenth of a pascal) that an emptied reservoir stays at empty and a
/// full one at full within a fraction of a millilitre.
pub const RESERVOIR_OPENING_RESISTANCE: f64 = 1.0e3;
/// Share of a soft bag's compliance left once it is empty and collapses. UNSOURCED: a collapsed bag holds nothing
/// more; a thousandth keeps the network solvable while its volume stays within a fraction of a millilitre of zero.
pub const COLLAPSED_BAG_SHARE: f64 = 1.0e-3;
/// Height of a reservoir's blood column at full capacity, m. UNSOURCED: hard-shell reservoirs stand about 30 cm;
/// with the capacity it gives the cross-section that turns volume into level.
pub const RESERVOIR_HEIGHT_M: f64 = 0.3;
/// Share of the blood volume in the arterial compartment. UNSOURCED: the textbook split is about a fifth
/// arterial, four fifths venous; the reference gives none.
pub const ARTERIAL_BLOOD_FRACTION: f64 = 0.2;
/// Share of arriving air an arterial filter holds back: integrated-filter oxygenators removed 86–97 % of gaseous
/// microemboli in neonatal tests [Stehouwer-2014] (reference §4.3); 90 % is taken for every filter.
pub const FILTER_AIR_TRAP: f64 = 0.9;
/// Flow at which an oxygenator without a rated range is taken to have its heat exchanger factor, L/min. UNSOURCED:
/// every bundled oxygenator has a rated range; 3 L/min is where [NX19-study] measured (reference §4.2).
const HEAT_REFERENCE_FALLBACK_L_MIN: f64 = 3.0;
/// Most gas a filter's purge line carries back to the reservoir, mL/min: a purge line takes at most 500 mL/min
/// with the arterial and venous lines clamped [Apex-IFU] (reference §3, recirculation and purge lines). Air beyond
/// it passes the filter: gross air overwhelms a filter, which is why the bubble detector stops the pump.
pub const PURGE_GAS_ML_MIN: f64 = 500.0;
/// Least mixing volume of a junction, mL (a connector's bore), so no node is empty.
pub const MIN_NODE_VOLUME_ML: f64 = 0.5;
/// Systemic vascular resistance units: 1 dyn·s·cm⁻⁵ = 10⁵ Pa·s/m³ (PHYS).
pub const PA_S_M3_PER_DYN_S_CM5: f64 = 1.0e5;

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

fn law_of(drop: PressureDrop) -> Law {
    match drop {
        PressureDrop::Negligible => Law::linear(MIN_RESISTANCE),
        PressureDrop::Linear { mmhg_per_l_min } => {
            Law::linear((mmhg_per_l_min * pa_s_m3_per_mmhg_l_min()).max(MIN_RESISTANCE))
        }
        PressureDrop::Quadratic { a_mmhg_per_l_min, b_mmhg_per_l_min2 } => Law {
            a: (a_mmhg_per_l_min * pa_s_m3_per_mmhg_l_min()).max(MIN_RESISTANCE),
            b: b_mmhg_per_l_min2 * pa_s2_m6_per_mmhg_l_min2(),
            head_pa: 0.0,
        },
    }
}

/// The law of a pump at its current settings.
fn pump_law(kind: &PartKind, controls: Controls) -> Law {
    let Controls::Pump { rpm, direction, occlusion_set } = controls else { return Law::linear(MIN_RESISTANCE) };
    let sign = match direction {
        PumpDirection::Forward => 1.0,
        PumpDirection::Reverse => -1.0,
    };
    match *kind {
        PartKind::RollerPump { stroke_ml_per_rev, .. } => {
            let leak = if occlusion_set { ROLLER_LEAK_RESISTANCE } else { ROLLER_LOOSE_RESISTANCE };
            // Q = rpm × stroke volume (reference §3.3), less the back-leak through the occlusion.
            let set_m3_s = sign * l_min_to_m3_s(rpm * stroke_ml_per_rev / 1000.0);
            Law { a: leak, b: 0.0, head_pa: set_m3_s * leak }
        }
        PartKind::CentrifugalPump { shutoff_head_mmhg, reference_rpm, head_drop_mmhg_per_l_min, .. } => {
            // Affinity laws: head ∝ rpm² (reference §7.1); below enough rpm the outlet pressure wins and flow
            // reverses. Turning a centrifugal head backwards still pushes outwards, at a fraction of the head
            // (UNSOURCED: taken as a third).
            let scale = (rpm / reference_rpm).powi(2) * if sign > 0.0 { 1.0 } else { 1.0 / 3.0 };
            Law {
                a: (head_drop_mmhg_per_l_min * pa_s_m3_per_mmhg_l_min()).max(MIN_RESISTANCE),
                b: 0.0,
                head_pa: mmhg_to_pa(shutoff_head_mmhg) * scale,
            }
        }
        _ => Law::linear(MIN_RESISTANCE),
    }
}

impl Network {
    /// Whether `node` is one of the patient's compartments.
    pub fn is_patient(&self, node: usize) -> bool {
        matches!(self.nodes.get(node).map(|n| &n.kind), Some(NodeKind::PatientArterial | NodeKind::PatientVenous))
    }

    /// Lowers `circuit` for `scenario`'s patient.
    pub fn build(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Network {
        let weight_kg = scenario.patient.weight_kg;
        // The patient's circulating volume: the blood and the crystalloid given before and during bypass, which
        // dilute it as the priming plan counts them (reference §6.4 [Terumo-Hct]).
        let blood_volume_ml = scenario.dilution(0.0).total_volume_ml();
        let roles: Vec<CannulaRole> = circuit
            .parts()
            .filter_map(|p| match circuit.kind_of(catalog, p.id) {
                Some(PartKind::Cannula { role, .. }) => Some(*role),
                _ => None,
            })
            .collect();
        let vv = scenario.procedure == crate::scenario::Procedure::VvEcmo;
        let femoral_return = !vv && roles.contains(&CannulaRole::FemoralArterial);
        let upper_share = if femoral_return { UPPER_BODY_SHARE } else { 1.0 };
        let atrial_share = if vv { RIGHT_ATRIAL_SHARE } else { 0.0 };
        let patient_node = |kind: NodeKind, compliance_m3_pa: f64, volume_ml: f64, collapsible: bool| Node {
            kind,
            compliance_m3_pa,
            height_m: 0.0,
            volume_ml,
            collapsed_compliance_m3_pa: collapsible.then_some(compliance_m3_pa * COLLAPSED_VENOUS_SHARE),
        };
        let arterial_c = ARTERIAL_COMPLIANCE_PER_KG * weight_kg;
        let arterial_ml = ARTERIAL_BLOOD_FRACTION * blood_volume_ml;
        let venous_c = VENOUS_COMPLIANCE_PER_KG * weight_kg;
        let venous_ml = (1.0 - ARTERIAL_BLOOD_FRACTION) * blood_volume_ml;
        let mut nodes = vec![
            Node {
                kind: NodeKind::Atmosphere,
                compliance_m3_pa: f64::INFINITY,
                height_m: 0.0,
                volume_ml: 0.0,
                collapsed_compliance_m3_pa: None,
            },
            patient_node(NodeKind::PatientArterial, arterial_c * upper_share, arterial_ml * upper_share, false),
            patient_node(
                NodeKind::PatientVenous,
                venous_c * (1.0 - atrial_share),
                venous_ml * (1.0 - atrial_share),
                true,
            ),
            // Open basin: P = ρ g V / A (PHYS), so C = A / (ρ g).
            Node {
                kind: NodeKind::Field { capacity_m3: FIELD_CAPACITY_M3 },
                compliance_m3_pa: FIELD_AREA_M2 / (BLOOD_DENSITY_KG_M3 * GRAVITY_M_S2),
                height_m: 0.0,
                volume_ml: 0.0,
                collapsed_compliance_m3_pa: None,
            },
        ];
        let right_atrium = if vv {
            nodes.push(patient_node(NodeKind::PatientVenous, venous_c * atrial_share, venous_ml * atrial_share, true));
            nodes.len() - 1
        } else {
            PATIENT_VENOUS
        };
        let lower_body = if femoral_return {
            let lower = 1.0 - upper_share;
            nodes.push(patient_node(NodeKind::PatientArterial, arterial_c * lower, arterial_ml * lower, false));
            nodes.len() - 1
        } else {
            PATIENT_ARTERIAL
        };
        let mut branches = Vec::new();

        // Every port gets an index; ports joined without resistance are united.
        let mut ports: Vec<PortRef> = Vec::new();
        for part in circuit.parts() {
            if let Some(spec) = catalog.part(&part.catalog_id) {
                ports.extend(spec.ports.iter().map(|p| PortRef::new(part.id, p.name.clone())));
            }
        }
        let index: BTreeMap<&PortRef, usize> = ports.iter().enumerate().map(|(i, p)| (p, i)).collect();
        let mut sets = UnionFind((0..ports.len()).collect());
        let unite = |sets: &mut UnionFind, part: PartId, names: &[&str]| {
            let found: Vec<usize> = names.iter().filter_map(|n| index.get(&PortRef::new(part, *n)).copied()).collect();
            for pair in found.windows(2) {
                sets.union(pair[0], pair[1]);
            }
        };
        for part in circuit.parts() {
            let Some(spec) = catalog.part(&part.catalog_id) else { continue };
            let all: Vec<&str> = spec.ports.iter().map(|p| p.name.as_str()).collect();
            match spec.kind {
                PartKind::Connector { .. }
                | PartKind::LuerPort
                | PartKind::BubbleDetector
                | PartKind::FlowProbe
                | PartKind::Reservoir { .. } => unite(&mut sets, part.id, &all),
                PartKind::Oxygenator { .. } => {
                    unite(
                        &mut sets,
                        part.id,
                        &[
                            port::ARTERIAL_OUTLET,
                            port::RECIRCULATION,
                            port::CARDIOPLEGIA_OUTLET,
                            port::SAMPLING_ARTERIAL,
                        ],
                    );
                    unite(&mut sets, part.id, &[port::VENOUS_INLET, port::SAMPLING_VENOUS]);
                }
                PartKind::ArterialFilter { .. } => unite(&mut sets, part.id, &[port::INLET, port::PURGE]),
                PartKind::CardioplegiaSet { .. } => unite(&mut sets, part.id, &[port::BLOOD_INLET, port::PRESSURE]),
                _ => {}
            }
        }

        // One node per set; reservoirs give theirs its kind.
        let mut node_of_set: BTreeMap<usize, usize> = BTreeMap::new();
        let mut port_node = BTreeMap::new();
        for (i, port) in ports.iter().enumerate() {
            let set = sets.find(i);
            let node = *node_of_set.entry(set).or_insert_with(|| {
                let height_m = circuit.part(port.part).map_or(0.0, |p| p.height_cm / 100.0);
                nodes.push(Node {
                    kind: NodeKind::Junction,
                    compliance_m3_pa: MIN_COMPLIANCE_M3_PA,
                    height_m,
                    volume_ml: MIN_NODE_VOLUME_ML,
                    collapsed_compliance_m3_pa: None,
                });
                nodes.len() - 1
            });
            port_node.insert(port.clone(), node);
            if let Some(PartKind::Reservoir { capacity_ml, min_level_ml, .. }) = circuit.kind_of(catalog, port.part)
                && let Some(n) = nodes.get_mut(node)
            {
                let capacity_m3 = capacity_ml * 1e-6;
                let area_m2 = capacity_m3 / RESERVOIR_HEIGHT_M;
                n.kind = NodeKind::Reservoir { part: port.part, capacity_m3, min_level_m3: min_level_ml * 1e-6 };
                // Open chamber: P = ρ g level = ρ g V / A  ⇒  C = A / (ρ g) (PHYS).
                n.compliance_m3_pa = area_m2 / (BLOOD_DENSITY_KG_M3 * GRAVITY_M_S2);
            }
        }
        let node = |port: &PortRef| port_node.get(port).copied();
        // Parts that are all junction (connectors, clip-on sensors) hold their prime in their node.
        for part in circuit.parts() {
            let Some(spec) = catalog.part(&part.catalog_id) else { continue };
            let merged = matches!(
                spec.kind,
                PartKind::Connector { .. } | PartKind::LuerPort | PartKind::BubbleDetector | PartKind::FlowProbe
            );
            let first = spec.ports.first().and_then(|p| node(&PortRef::new(part.id, p.name.clone())));
            if merged && let Some(n) = first.and_then(|i| nodes.get_mut(i)) {
                n.volume_ml += spec.prime_ml;
            }
        }

        let patient_nodes = [PATIENT_ARTERIAL, PATIENT_VENOUS, right_atrium, lower_body];

        // Tubes.
        let viscosity = REFERENCE_VISCOSITY_PA_S;
        for tube in circuit.tubes() {
            let (Some(from), Some(to)) = (node(&tube.from), node(&tube.to)) else { continue };
            let Some(tubing) = catalog.tubing(&tube.tubing) else { continue };
            for end in [from, to] {
                if let Some(n) = nodes.get_mut(end)
                    && n.kind == NodeKind::Junction
                {
                    n.compliance_m3_pa += TUBING_COMPLIANCE_M3_PA_PER_M * tube.length_m / 2.0;
                }
            }
            if from == to {
                continue;
            }
            let mut resistance =
                poiseuille_pa_s_m3(tubing.inner_diameter_mm, tube.length_m, viscosity).max(MIN_RESISTANCE);
            if tube.clamped {
                resistance += CLAMP_RESISTANCE;
            }
            let law = Law::linear(resistance);
            let volume_ml = tubing.prime_ml_per_m * tube.length_m;
            branches.push(Branch {
                from,
                to,
                law,
                one_way: false,
                origin: Origin::Tube(tube.id),
                volume_ml,
                exchange: Exchange::None,
                pump_head_pa: 0.0,
                choke: None,
                viscous: !tube.clamped,
            });
        }

        // Devices.
        for part in circuit.parts() {
            let Some(spec) = catalog.part(&part.catalog_id) else { continue };
            let at = |name: &str| node(&PortRef::new(part.id, name));
            let exchange = match spec.kind {
                PartKind::Oxygenator { o2_transfer_ml_min, heat_exchanger_factor, integrated_filter, .. } => {
                    let (sweep_l_min, fio2) = match part.controls {
                        Controls::Gas { sweep_l_min, fio2 } => (sweep_l_min, fio2),
                        _ => (0.0, crate::circuit::FIO2_AIR),
                    };
                    let water_temp_c = circuit.water_temp_on(part.id);
                    Exchange::Oxygenator {
                        transfer_ml_min: o2_transfer_ml_min,
                        fio2,
                        sweep_l_min,
                        heat_factor: heat_exchanger_factor,
                        heat_reference_l_min: spec
                            .rated_flow
                            .map_or(HEAT_REFERENCE_FALLBACK_L_MIN, |r| (r.min_l_min + r.max_l_min) / 2.0),
                        water_temp_c,
                        co2_clearance: super::gas_exchange::membrane_co2_clearance(o2_transfer_ml_min),
                        membrane_efficiency: 1.0,
                        air_trap: if integrated_filter { FILTER_AIR_TRAP } else { 0.0 },
                    }
                }
                PartKind::ArterialFilter { .. } => Exchange::AirTrap { share: FILTER_AIR_TRAP },
                PartKind::CentrifugalPump { .. } => Exchange::CentrifugalHead,
                _ => Exchange::None,
            };
            let volume_ml = spec.prime_ml;
            // A pump's inflow cavitates under strong suction: on the side it draws from as it turns.
            let pump_inflow = match (&spec.kind, part.controls) {
                (PartKind::RollerPump { .. }, Controls::Pump { direction: PumpDirection::Reverse, .. }) => {
                    at(port::OUTLET)
                }
                (PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }, _) => at(port::INLET),
                _ => None,
            };
            // Pumps and suction tips have laws of their own; every other measured drop is viscous.
            let laminar = spec.pressure_drop != PressureDrop::Negligible
                && !matches!(
                    spec.kind,
                    PartKind::RollerPump { .. }
                        | PartKind::CentrifugalPump { .. }
                        | PartKind::CardiotomySucker
                        | PartKind::LvVent
                );
            let mut add = |from: Option<usize>, to: Option<usize>, law: Law, one_way: bool| {
                if let (Some(from), Some(to)) = (from, to)
                    && from != to
                {
                    let exchange = exchange.clone();
                    // Whatever drains or fills the patient's vessels chokes as they collapse.
                    let vessel = [from, to].into_iter().find(|n| patient_nodes.contains(n));
                    let choke = vessel.map(Choke::vessel).or(pump_inflow.map(Choke::cavitation));
                    branches.push(Branch {
                        from,
                        to,
                        law,
                        one_way,
                        origin: Origin::Part(part.id),
                        volume_ml,
                        exchange,
                        // Only pumps have a head of their own at this point; gravity is added below.
                        pump_head_pa: law.head_pa,
                        choke,
                        viscous: laminar,
                    });
                }
            };
            let law = law_of(spec.pressure_drop);
            match spec.kind {
                PartKind::Oxygenator { .. } => add(at(port::VENOUS_INLET), at(port::ARTERIAL_OUTLET), law, false),
                PartKind::ArterialFilter { .. } | PartKind::Haemoconcentrator => {
                    add(at(port::INLET), at(port::OUTLET), law, false)
                }
                PartKind::OneWayValve { .. } => add(at(port::INLET), at(port::OUTLET), law, true),
                PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => {
                    add(at(port::INLET), at(port::OUTLET), pump_law(&spec.kind, part.controls), false);
                }
                // On VV ECMO a return cannula sits in a vein, its tip toward the right atrium.
                PartKind::Cannula { role, .. } => match role {
                    CannulaRole::VenousSingleStage | CannulaRole::VenousTwoStage | CannulaRole::FemoralVenous => {
                        add(Some(PATIENT_VENOUS), at(port::CONNECTOR), law, false);
                    }
                    CannulaRole::Arterial | CannulaRole::FemoralArterial | CannulaRole::VenousReturn if vv => {
                        add(at(port::CONNECTOR), Some(right_atrium), law, false);
                    }
                    // Anywhere else a venous return gives the blood back to the veins, whatever the circuit needed.
                    CannulaRole::VenousReturn => add(at(port::CONNECTOR), Some(PATIENT_VENOUS), law, false),
                    CannulaRole::Arterial => add(at(port::CONNECTOR), Some(PATIENT_ARTERIAL), law, false),
                    CannulaRole::FemoralArterial | CannulaRole::DistalPerfusion => {
                        add(at(port::CONNECTOR), Some(lower_body), law, false);
                    }
                    CannulaRole::DualLumenVv => {
                        add(Some(PATIENT_VENOUS), at(port::DRAINAGE), law, false);
                        add(at(port::RETURN), Some(right_atrium), law, false);
                    }
                },
                // Coronary delivery: the set's line and the coronary bed into the aortic root.
                PartKind::CardioplegiaSet { .. } => add(at(port::BLOOD_INLET), Some(PATIENT_ARTERIAL), law, false),
                // A sucker returns what pools in the field; a vent drains the heart.
                PartKind::CardiotomySucker => {
                    add(Some(FIELD), at(port::OUTLET), Law::linear(SUCTION_TIP_RESISTANCE), false);
                }
                PartKind::LvVent => {
                    add(Some(PATIENT_VENOUS), at(port::OUTLET), Law::linear(SUCTION_TIP_RESISTANCE), false);
                }
                _ => {}
            }
            // Open ports leak (not a vented reservoir's spare inlet); a transducer's own port is its sensing dome,
            // closed by design.
            if spec.kind != PartKind::PressureTransducer {
                for port in &spec.ports {
                    let here = PortRef::new(part.id, port.name.clone());
                    if circuit.tube_on(&here).is_none()
                        && !part.capped.contains(&port.name)
                        && !spec.kind.port_vents_harmlessly(port.dir)
                        && let Some(from) = node(&here)
                    {
                        let law = Law::linear(OPEN_PORT_RESISTANCE);
                        branches.push(Branch::passage(from, ATMOSPHERE, law, false, Origin::OpenPort(here)));
                    }
                }
            }
        }

        // The patient: systemic vascular resistance (split between the upper and lower body where a femoral return
        // feeds the lower), and what the native heart still pumps through the lungs.
        let physiology = &scenario.physiology;
        let svr_pa_s_m3 = scenario.svr_dyn_s_cm5() * PA_S_M3_PER_DYN_S_CM5;
        // The scenario's SVR is the patient's on bypass at 37 °C with the blood diluted as planned; the vessels'
        // resistance then follows the blood's viscosity, so it rises with cooling (reference §7.1 [Nishida-1998]).
        let planned_viscosity = viscosity_factor(scenario.planned_hct(circuit, catalog), 37.0);
        let patient_branch = |from, to, law, origin, exchange, choke| Branch {
            from,
            to,
            law,
            one_way: false,
            origin,
            volume_ml: 0.0,
            exchange,
            pump_head_pa: 0.0,
            choke,
            viscous: false,
        };
        let beds = [(PATIENT_ARTERIAL, upper_share), (lower_body, 1.0 - upper_share)];
        for (from, share) in beds.into_iter().filter(|(_, share)| *share > 0.0) {
            let law = Law::linear(svr_pa_s_m3 / share / planned_viscosity);
            let bed = patient_branch(from, PATIENT_VENOUS, law, Origin::Systemic, Exchange::Tissues { share }, None);
            branches.push(Branch { viscous: true, ..bed });
        }
        if lower_body != PATIENT_ARTERIAL {
            let law = Law::linear(AORTIC_RESISTANCE_MMHG_PER_L_MIN * pa_s_m3_per_mmhg_l_min());
            branches.push(patient_branch(PATIENT_ARTERIAL, lower_body, law, Origin::Aorta, Exchange::None, None));
        }
        if right_atrium != PATIENT_VENOUS {
            let law = Law::linear(CAVAL_RESISTANCE_MMHG_PER_L_MIN * pa_s_m3_per_mmhg_l_min());
            branches.push(patient_branch(PATIENT_VENOUS, right_atrium, law, Origin::Caval, Exchange::None, None));
        }
        let bleeding_ml_min = scenario.bleeding_ml_min();
        if bleeding_ml_min > 0.0 {
            let law = Law::linear(BLEEDING_REFERENCE_PA / l_min_to_m3_s(bleeding_ml_min / 1000.0));
            branches.push(Branch {
                choke: Some(Choke::vessel(PATIENT_ARTERIAL)),
                ..Branch::passage(PATIENT_ARTERIAL, FIELD, law, true, Origin::Bleeding)
            });
        }
        if physiology.native_output_l_min > 0.0 {
            let set = l_min_to_m3_s(physiology.native_output_l_min);
            let lungs = super::gas_exchange::NativeLungs::of(scenario);
            branches.push(patient_branch(
                right_atrium,
                PATIENT_ARTERIAL,
                Law { a: ROLLER_LEAK_RESISTANCE, b: 0.0, head_pa: set * ROLLER_LEAK_RESISTANCE },
                Origin::NativeHeart,
                Exchange::Lungs { shunt: lungs.shunt, ventilation_l_min: lungs.ventilation_l_min },
                // A heart cannot fill from collapsed veins.
                Some(Choke::vessel(right_atrium)),
            ));
        }

        // Gravity: a branch from a higher node to a lower one gains ρ g Δh (reference §6.10, PHYS).
        for branch in &mut branches {
            let (Some(from), Some(to)) = (nodes.get(branch.from), nodes.get(branch.to)) else { continue };
            branch.law.head_pa += BLOOD_DENSITY_KG_M3 * GRAVITY_M_S2 * (from.height_m - to.height_m);
        }

        // An open reservoir holds between empty and full: drawn below empty its outlet takes air from the room
        // (through its open top), filled past its capacity it spills through its vent (PHYS). A soft bag instead
        // collapses when empty (its small collapsed compliance) and has no vent.
        for (index, node) in nodes.iter().enumerate() {
            let (capacity_m3, inlet, overflow) = match node.kind {
                NodeKind::Reservoir { part, capacity_m3, .. } => {
                    let soft = matches!(
                        circuit.kind_of(catalog, part),
                        Some(PartKind::Reservoir { kind: crate::catalog::ReservoirType::SoftBag, .. })
                    );
                    if soft {
                        continue;
                    }
                    (capacity_m3, Origin::AirInlet(part), Origin::Overflow(part))
                }
                // The field is open the same way: a sucker on a dry field draws air, a full field spills.
                NodeKind::Field { capacity_m3 } => (capacity_m3, Origin::FieldAirInlet, Origin::FieldOverflow),
                _ => continue,
            };
            let open = |from, to, law, origin| Branch::passage(from, to, law, true, origin);
            branches.push(open(ATMOSPHERE, index, Law::linear(RESERVOIR_OPENING_RESISTANCE), inlet));
            let full_pa = capacity_m3 / node.compliance_m3_pa;
            let spill = Law { a: RESERVOIR_OPENING_RESISTANCE, b: 0.0, head_pa: -full_pa };
            branches.push(open(index, ATMOSPHERE, spill, overflow));
        }
        for node in &mut nodes {
            if let NodeKind::Reservoir { part, .. } = node.kind
                && matches!(
                    circuit.kind_of(catalog, part),
                    Some(PartKind::Reservoir { kind: crate::catalog::ReservoirType::SoftBag, .. })
                )
            {
                node.collapsed_compliance_m3_pa = Some(node.compliance_m3_pa * COLLAPSED_BAG_SHARE);
            }
        }
        let recirculation = vv.then(|| {
            let cannula_branches = |wanted: &dyn Fn(&Branch) -> bool| -> Vec<usize> {
                let is_cannula = |b: &Branch| {
                    matches!(b.origin, Origin::Part(p) if matches!(circuit.kind_of(catalog, p), Some(PartKind::Cannula { .. })))
                };
                branches.iter().enumerate().filter(|(_, b)| is_cannula(b) && wanted(b)).map(|(i, _)| i).collect()
            };
            let scale = physiology.recirculation_scale.unwrap_or(if roles.contains(&CannulaRole::DualLumenVv) {
                DUAL_LUMEN_RECIRCULATION_SCALE
            } else if roles.iter().filter(|r| matches!(r, CannulaRole::FemoralVenous | CannulaRole::FemoralArterial)).count() >= 2 {
                FEMORO_FEMORAL_RECIRCULATION_SCALE
            } else {
                TWO_SITE_RECIRCULATION_SCALE
            });
            Recirculation {
                returns: cannula_branches(&|b| b.to == right_atrium),
                drainages: cannula_branches(&|b| b.from == PATIENT_VENOUS),
                scale,
            }
        });
        Network { nodes, branches, port_node, revision: circuit.revision(), right_atrium, lower_body, recirculation }
    }
}
