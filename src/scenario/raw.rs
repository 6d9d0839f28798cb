//! The scenario file as written: serde structs that mirror the RON text field for field.
//!
//! Nothing here is checked beyond its type; `check.rs` turns a `RawScenario` into a `Scenario` whose values are
//! in range and resolved against the catalog. Defaults for omitted fields live here, each with its source, and
//! docs/scenario-format.md documents them.

use crate::ids::CatalogId;
use crate::patient::{Age, BloodVolumeMethod, BsaFormula, Sex};
use serde::{Deserialize, Serialize};

/// The current scenario format version; files say `version: 1`.
pub const SCENARIO_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct RawScenario {
    pub version: u32,
    pub title: String,
    pub briefing: String,
    pub procedure: Procedure,
    pub patient: RawPatient,
    #[serde(default)]
    pub physiology: Physiology,
    pub kit: Vec<KitItem>,
    #[serde(default)]
    pub targets: Targets,
    /// Catalog ids of parts the circuit must contain (e.g. a cardioplegia set when the heart is arrested).
    #[serde(default)]
    pub required: Vec<CatalogId>,
    /// Catalog ids of parts the circuit must not contain.
    #[serde(default)]
    pub forbidden: Vec<CatalogId>,
    #[serde(default)]
    pub rules: Vec<RuleSetting>,
    #[serde(default)]
    pub faults: Vec<Fault>,
    #[serde(default)]
    pub scoring: ScoringWeights,
    #[serde(default)]
    pub instructor_notes: String,
}

/// The procedure decides which circuit topology is correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Procedure {
    /// Open cardiopulmonary bypass: venous reservoir, arterial pump, oxygenator, arterial filter.
    Cpb,
    /// Veno-arterial ECMO: closed circuit, supports heart and lungs.
    VaEcmo,
    /// Veno-venous ECMO: closed circuit, supports the lungs only.
    VvEcmo,
}

impl Procedure {
    /// The procedure in words, in a sentence ("this cardiopulmonary bypass", "this VA ECMO run").
    pub fn in_words(self) -> &'static str {
        match self {
            Procedure::Cpb => "cardiopulmonary bypass",
            Procedure::VaEcmo => "VA ECMO run",
            Procedure::VvEcmo => "VV ECMO run",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Procedure::Cpb => "Cardiopulmonary bypass",
            Procedure::VaEcmo => "VA ECMO",
            Procedure::VvEcmo => "VV ECMO",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatient {
    pub age: Age,
    pub sex: Sex,
    pub weight_kg: f64,
    pub height_cm: f64,
    /// Haematocrit as a fraction (0.40); give this or `hb_g_dl`, or both.
    #[serde(default)]
    pub hct: Option<f64>,
    #[serde(default)]
    pub hb_g_dl: Option<f64>,
    /// Planned lowest temperature on bypass, °C (37 = normothermic).
    pub target_temp_c: f64,
    #[serde(default)]
    pub bsa_formula: BsaFormula,
    #[serde(default)]
    pub blood_volume: BloodVolumeMethod,
    /// Crystalloid given by anaesthesia before bypass, mL (dilutes like prime; reference §6.4).
    #[serde(default)]
    pub pre_bypass_fluids_ml: f64,
}

/// Patient physiology the simulation uses. Defaults are normal adult values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Physiology {
    /// Systemic vascular resistance on bypass at 37 °C with the planned dilution, dyn·s·cm⁻⁵ (it follows the blood's
    /// viscosity from there: higher when cooled). `None`: 1000 (the middle of the normal 800–1200 [SVR-calc],
    /// reference §6.8) for an average man's 1.9 m² [BSA-bionity] (§6.1), scaled by 1.9 / BSA for other sizes (a
    /// constant SVR index, so a 3.5 kg neonate of 0.22 m² gets 8600).
    pub svr_dyn_s_cm5: Option<f64>,
    /// Central venous pressure, mmHg. `None`: 4, the middle of the normal 2–6 [SVR-Truman] (reference §6.8), at
    /// every age (UNSOURCED for children: the reference gives no paediatric CVP).
    pub cvp_mmhg: Option<f64>,
    /// The patient's own cardiac output, L/min (0 on full CPB; what the failing heart still gives on ECMO).
    pub native_output_l_min: f64,
    /// Arterial saturation the patient has on the ventilator before support (0.98 healthy; low in ARDS): it sets the
    /// lungs' shunt fraction (`sim::gas_exchange::NativeLungs`).
    pub native_lung_sao2: f64,
    /// Blood shed into the surgical field at a mean arterial pressure of 60 mmHg, mL/min (it follows the pressure);
    /// the cardiotomy suckers return it. `None`: 0.25 mL/kg/min on CPB (an open chest), 0 on ECMO (closed).
    /// UNSOURCED default: the reference gives no shed-blood rate; a small steady ooze the suckers can return.
    #[serde(default)]
    pub bleeding_ml_min: Option<f64>,
    /// Oxygen consumption at 37 °C, mL/kg/min. `None`: by age, 6 (neonates), 4.5 (children), 3 (adults)
    /// [ECMO-book]; an adult on CPB uses 56/132 of it, the anaesthetised share [Hendrix-2019] (reference §6.5).
    #[serde(default)]
    pub vo2_ml_kg_min: Option<f64>,
    /// VV ECMO only: the factor on the recirculation line of [Recirc-CFD] (7.7 % at 3 L/min, 33.6 % at 5 L/min,
    /// reference §2.3). `None`: 0.5 for a dual-lumen cannula, 1.5 for two femoral cannulae, 1 otherwise.
    #[serde(default)]
    pub recirculation_scale: Option<f64>,
}

impl Default for Physiology {
    fn default() -> Self {
        Self {
            svr_dyn_s_cm5: None,
            cvp_mmhg: None,
            native_output_l_min: 0.0,
            // UNSOURCED: the reference gives no normal arterial saturation; 0.98 is the usual textbook figure.
            native_lung_sao2: 0.98,
            bleeding_ml_min: None,
            vo2_ml_kg_min: None,
            recirculation_scale: None,
        }
    }
}

/// One line of the kit: parts by count, tubing by total length on the shelf.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KitItem {
    pub part: CatalogId,
    /// How many are on the shelf (parts). Defaults to 1.
    #[serde(default)]
    pub count: Option<u32>,
    /// Metres on the shelf (tubing only).
    #[serde(default)]
    pub length_m: Option<f64>,
}

/// Targets and alarm limits. Every default names its source; the scenario should set what its patient needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    /// Target pump flow = cardiac index × BSA; 2.4 L/min/m² is the survey median at normothermia [ANZ-survey].
    pub cardiac_index_l_min_m2: f64,
    /// Largest acceptable total priming volume of the circuit, mL; `None` = no limit.
    pub max_prime_ml: Option<f64>,
    /// Lowest acceptable predicted haematocrit on bypass (fraction). Default 0.21: the lower end of the usual
    /// adult on-pump range 21–30 % [PerfTools-Hct]; neonates need ≥ 0.24 [DeRita-2013].
    pub min_hct: f64,
    /// Haematocrit of the blood added to the prime (fraction). UNSOURCED: the reference gives no value for
    /// packed red cells; 0.60 is a common figure. Set it to what your blood bank supplies.
    pub added_blood_hct: f64,
    /// Crystalloid given with the cardioplegia, mL (dilutes like prime; reference §6.4).
    pub cardioplegia_crystalloid_ml: f64,
    /// Arterial line pressure alarm, mmHg. UNSOURCED: the common teaching figure of 300 mmHg (reference §6.8, §9.1).
    pub arterial_line_max_mmhg: f64,
    /// Most negative acceptable venous / pump-inlet pressure, mmHg: about −100 mmHg is critical for ECMO
    /// drainage [Robak-suction]; CPB with vacuum assist should stay above −50 [VAVD-quickref].
    pub venous_line_min_mmhg: f64,
    /// Mean arterial pressure window on bypass, mmHg: 50–80 [EACTS-2019].
    pub map_min_mmhg: f64,
    pub map_max_mmhg: f64,
    /// Lowest acceptable venous saturation (fraction): 65 % survey low limit [Searles-2020].
    pub svo2_min: f64,
    /// Lowest acceptable oxygen delivery index, mL/min/m²: 272 [Ranucci-2005].
    pub do2i_min_ml_min_m2: f64,
    /// Largest acceptable pressure drop across a cannula at target flow, mmHg. UNSOURCED rule of thumb (§9.4).
    pub cannula_dp_max_mmhg: f64,
    /// Largest acceptable membrane pressure drop, mmHg: < 50 [icuroom-dP] (weak).
    pub membrane_dp_max_mmhg: f64,
    /// Highest arterial outlet temperature, °C: < 37 [STS-temp] (reference §6.9).
    pub outlet_temp_max_c: f64,
    /// Largest arterial-outlet to venous-inflow temperature gradient while cooling or rewarming, °C: ≤ 10
    /// [STS-temp] (reference §6.9).
    pub temp_gradient_max_c: f64,
    /// The largest gradient once the outlet is at 30 °C or more, °C: ≤ 4 [STS-temp] (reference §6.9).
    pub warm_temp_gradient_max_c: f64,
    /// How the flow and DO2i targets follow the patient's temperature: `(temp_c, fraction)` points, the fraction of
    /// the normothermic target at that temperature, straight lines between them and level beyond the ends. Default
    /// `[(20.0, 0.5), (32.0, 0.75), (37.0, 1.0)]`: 1.8 of 2.4 L/min/m² in hypothermia (survey target 32 °C)
    /// [ANZ-survey] (reference §6.3, §6.9) and 1.2 at 20 °C [Kirklin-1982] (§6.3); consumption falls faster still
    /// (Q10 = 2, §6.6), so the delivery needed falls at least as fast.
    pub temperature_scaling: Vec<(f64, f64)>,
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            cardiac_index_l_min_m2: 2.4,
            max_prime_ml: None,
            min_hct: 0.21,
            added_blood_hct: 0.60,
            cardioplegia_crystalloid_ml: 0.0,
            arterial_line_max_mmhg: 300.0,
            venous_line_min_mmhg: -100.0,
            map_min_mmhg: 50.0,
            map_max_mmhg: 80.0,
            svo2_min: 0.65,
            do2i_min_ml_min_m2: 272.0,
            cannula_dp_max_mmhg: 100.0,
            membrane_dp_max_mmhg: 50.0,
            outlet_temp_max_c: 37.0,
            temp_gradient_max_c: 10.0,
            warm_temp_gradient_max_c: 4.0,
            temperature_scaling: vec![(20.0, 0.5), (32.0, 0.75), (37.0, 1.0)],
        }
    }
}

/// Switches a validation rule off, or sets one of its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    pub rule: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// `("name", value)` pairs.
    #[serde(default)]
    pub params: Vec<(String, f64)>,
    /// The severity this scenario gives the rule's findings instead of the rule's own (a blood-prime lesson may make
    /// haemodilution critical, a neonatal one soften a rule written for adults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<crate::rules::Severity>,
}

impl Targets {
    /// The share of the normothermic flow and DO2i targets that applies at `temp_c` (`temperature_scaling`, whose
    /// points a checked scenario lists from coldest to warmest).
    pub fn scale_at(&self, temp_c: f64) -> f64 {
        temperature_scale(&self.temperature_scaling, temp_c)
    }
}

/// The fraction at `temp_c` on `points` (sorted by temperature): straight lines between them, level beyond.
pub fn temperature_scale(points: &[(f64, f64)], temp_c: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first().copied(), points.last().copied()) else { return 1.0 };
    if temp_c <= first.0 {
        return first.1;
    }
    if temp_c >= last.0 {
        return last.1;
    }
    points.windows(2).find(|pair| temp_c <= pair[1].0).map_or(last.1, |pair| {
        let ((t0, f0), (t1, f1)) = (pair[0], pair[1]);
        if t1 > t0 { f0 + (f1 - f0) * (temp_c - t0) / (t1 - t0) } else { f1 }
    })
}

fn enabled_by_default() -> bool {
    true
}

/// Which line of the circuit a fault acts on. Faults name roles, not part ids, because every trainee builds a
/// different circuit; the simulation finds the line by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineRole {
    /// From the venous (drainage) cannula to the reservoir or pump inlet.
    Venous,
    /// From the arterial pump outlet to the arterial (return) cannula.
    Arterial,
}

/// Which cannula a fault acts on, by its place on the main line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CannulaSite {
    /// The arterial (return) cannula, where the main line ends.
    Return,
    /// The venous (drainage) cannula, where the main line starts.
    Drainage,
}

/// Which device of the main line a fault acts on, by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeviceRole {
    Oxygenator,
    ArterialFilter,
    /// The arterial (main) pump.
    ArterialPump,
}

/// A timed event the simulation injects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Simulation time at which the fault starts, seconds after the pump is first started.
    pub at_s: f64,
    pub kind: FaultKind,
    /// The response expected instead of the kind's own (`FaultKind::expected_response`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Vec<super::response::Expected>>,
    /// Actions expected besides the response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_expect: Vec<super::response::Expected>,
}

impl Fault {
    /// A fault at `at_s` with its kind's own expected response.
    pub fn new(at_s: f64, kind: FaultKind) -> Self {
        Self { at_s, kind, expect: None, also_expect: Vec::new() }
    }

    /// What the trainee is expected to do in `procedure`: the scenario's own response or the kind's, with its
    /// additions.
    pub fn expected(&self, procedure: Procedure) -> Vec<super::response::Expected> {
        let mut expected = self.expect.clone().unwrap_or_else(|| self.kind.expected_response(procedure));
        expected.extend(self.also_expect.iter().copied());
        expected
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum FaultKind {
    /// Gas transfer falls to `transfer_fraction` of normal and the blood-side resistance rises by `resistance_factor`.
    OxygenatorFailure { transfer_fraction: f64, resistance_factor: f64 },
    /// The arterial pump loses power for `duration_s` seconds (0 = until the trainee restarts it).
    PumpPowerLoss { duration_s: f64 },
    /// Air enters the given line at `ml_per_min`.
    AirEntry { line: LineRole, ml_per_min: f64 },
    /// The line kinks, leaving `open_fraction` of its lumen.
    LineKink { line: LineRole, open_fraction: f64 },
    /// The venous line comes apart from the cannula.
    VenousDisconnection,
    /// Systemic vascular resistance multiplies by `factor`.
    HighSvr { factor: f64 },
    /// The line comes apart where its faults act (the venous line at the cannula, the arterial line at the
    /// cannula): both ends open to the air.
    Disconnection { line: LineRole },
    /// A cannula comes out of the vessel: the circuit's end opens to the room and the vessel bleeds.
    Decannulation { cannula: CannulaSite },
    /// Blood leaks from a device (a crack, a raceway or membrane rupture): `ml_per_min` at 100 mmHg inside it.
    Leak { device: DeviceRole, ml_per_min: f64 },
    /// The patient bleeds `ml_per_min` more into the surgical field (at a MAP of 60 mmHg), where the suckers can
    /// return it.
    PatientBleeding { ml_per_min: f64 },
    /// The heater-cooler stops (`water_temp_c` none) or runs its water at `water_temp_c` whatever it is set to.
    HeaterCoolerFailure { water_temp_c: Option<f64> },
    /// The oxygenator's gas supply fails: no sweep, whatever the blender is set to.
    GasSupplyFailure,
    /// A port or stopcock on the line is opened to the air.
    PortOpen { line: LineRole },
    /// Clot in a device: its resistance multiplies by `resistance_factor`; a clotted oxygenator also transfers
    /// gas over a membrane that much smaller.
    Clot { device: DeviceRole, resistance_factor: f64 },
    /// The arterial pump's speed surges: its head multiplies by `factor`.
    PumpSpeedSurge { factor: f64 },
    /// The return cannula slips out of place: on VV ECMO the recirculation multiplies by `factor`, otherwise the
    /// cannula's resistance does (its tip against a vessel wall).
    CannulaMalposition { factor: f64 },
}

impl FaultKind {
    /// The fault in words, for the log and the debrief.
    pub fn describe(&self) -> String {
        let line = |line: &LineRole| match line {
            LineRole::Venous => "venous",
            LineRole::Arterial => "arterial",
        };
        let site = |site: CannulaSite| match site {
            CannulaSite::Return => "return",
            CannulaSite::Drainage => "drainage",
        };
        let device = |device: DeviceRole| match device {
            DeviceRole::Oxygenator => "oxygenator",
            DeviceRole::ArterialFilter => "arterial filter",
            DeviceRole::ArterialPump => "arterial pump",
        };
        match self {
            FaultKind::OxygenatorFailure { transfer_fraction, resistance_factor } => format!(
                "oxygenator failure (gas transfer {:.0} % of normal, resistance ×{resistance_factor:.1})",
                transfer_fraction * 100.0
            ),
            FaultKind::PumpPowerLoss { duration_s } if *duration_s > 0.0 => {
                format!("arterial pump power loss for {duration_s:.0} s")
            }
            FaultKind::PumpPowerLoss { .. } => "arterial pump power loss until restarted".to_owned(),
            FaultKind::AirEntry { line: l, ml_per_min } => {
                format!("air entering the {} line at {ml_per_min} mL/min", line(l))
            }
            FaultKind::LineKink { line: l, open_fraction } => {
                format!("{} line kinked ({:.0} % open)", line(l), open_fraction * 100.0)
            }
            FaultKind::VenousDisconnection => "venous line disconnected from the cannula".to_owned(),
            FaultKind::HighSvr { factor } => format!("systemic vascular resistance ×{factor:.1}"),
            FaultKind::Disconnection { line: l } => format!("{} line come apart at the cannula", line(l)),
            FaultKind::Decannulation { cannula } => format!("{} cannula out of the vessel", site(*cannula)),
            FaultKind::Leak { device: d, ml_per_min } => format!("{} leaking {ml_per_min:.0} mL/min", device(*d)),
            FaultKind::PatientBleeding { ml_per_min } => format!("surgical bleeding {ml_per_min:.0} mL/min"),
            FaultKind::HeaterCoolerFailure { water_temp_c: None } => "heater-cooler stopped".to_owned(),
            FaultKind::HeaterCoolerFailure { water_temp_c: Some(t) } => {
                format!("heater-cooler running its water at {t:.0} °C")
            }
            FaultKind::GasSupplyFailure => "oxygenator gas supply failed".to_owned(),
            FaultKind::PortOpen { line: l } => format!("port on the {} line open to air", line(l)),
            FaultKind::Clot { device: d, resistance_factor } => {
                format!("clot in the {} (resistance ×{resistance_factor:.1})", device(*d))
            }
            FaultKind::PumpSpeedSurge { factor } => format!("arterial pump speed surge (head ×{factor:.1})"),
            FaultKind::CannulaMalposition { factor } => format!("return cannula malpositioned (×{factor:.1})"),
        }
    }
}

/// Relative weights of the score components; they need not sum to 100. A teaching choice, not a clinical number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringWeights {
    pub critical_findings: f64,
    pub assembly_time: f64,
    pub alarm_response: f64,
    pub time_in_targets: f64,
    pub prime_volume: f64,
    /// The response to the scenario's faults (counted only in a scenario that has faults).
    pub fault_response: f64,
}

impl Default for ScoringWeights {
    fn default() -> Self {
        Self {
            critical_findings: 30.0,
            assembly_time: 15.0,
            alarm_response: 20.0,
            time_in_targets: 25.0,
            prime_volume: 10.0,
            fault_response: 160.0,
        }
    }
}
