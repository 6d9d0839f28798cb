//! The list of validation rules: id, severity, what each checks and its source. Scenario files name rules by
//! these ids (checked on load); `validate` runs them; docs/validation-rules.md documents the same list (a test keeps
//! the two in step). Depends on nothing, so both `scenario` and `validate` can use it.

use Severity::{Advice, Critical, Warning};
use serde::Serialize;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
pub enum Severity {
    /// Harms the patient: do not go on bypass.
    Critical,
    /// Unsafe or wasteful: fix before going on.
    Warning,
    /// Worth doing better.
    Advice,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub checks: &'static str,
    /// Where the rule comes from: a section and tag of ../shared/domain/perfusion-reference.md, or PHYS.
    pub source: &'static str,
}

/// A parameter a scenario may set on a rule: its name, the range it must lie in, the unit, the value it takes when
/// the scenario leaves it out, and what it means with its source (docs/validation-rules.md shows the same, checked
/// by a test).
#[derive(Debug, Clone, Copy)]
pub struct RuleParam {
    pub rule: &'static str,
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    pub default: ParamDefault,
    pub meaning: &'static str,
}

/// Where a parameter left out of the scenario comes from.
#[derive(Debug, Clone, Copy)]
pub enum ParamDefault {
    /// A fixed value, sourced in `RuleParam::meaning`.
    Fixed(f64),
    /// A field of the scenario's `targets` (named for the docs), read by the function.
    Target(&'static str, fn(&crate::scenario::Targets) -> f64),
}

/// Steepest laminar gradient along a main-line tube at target flow, mmHg/m: the reference packs' smallest lines
/// (3/16" neonatal, 1/4" infant and child, 3/8" adult) stay at or below about 21 mmHg/m at their flows (3/16" at
/// 0.67 L/min: 30.7 × 0.67 = 20.6), while a 1/4" line at adult flow (9.7 × 4.8 = 47) is far above it.
pub const LINE_GRADIENT_MAX: RuleParam = RuleParam {
    rule: "sizing.line_bore",
    name: "max_mmhg_per_m",
    min: 0.1,
    max: 1000.0,
    unit: "mmHg/m",
    default: ParamDefault::Fixed(25.0),
    meaning: "steepest laminar pressure gradient (Poiseuille, μ = 3.1 mPa·s) accepted along a main-line tube at \
              target flow; calibrated so the reference's smallest packs for each patient size pass (3/16\" arterial \
              at neonatal flow ≈ 21 mmHg/m) and a 1/4\" line at adult flow (≈ 47 mmHg/m) does not",
};

pub const CANNULA_DROP_MAX: RuleParam = RuleParam {
    rule: "sizing.cannula_pressure_drop",
    name: "max_mmhg",
    min: 1.0,
    max: 1000.0,
    unit: "mmHg",
    default: ParamDefault::Target("cannula_dp_max_mmhg", |targets| targets.cannula_dp_max_mmhg),
    meaning: "largest acceptable pressure drop across one cannula at its share of the target flow",
};

/// The transfusion trigger on CPB [ANH-2002] (reference §6.4).
pub const HAEMODILUTION_FLOOR: RuleParam = RuleParam {
    rule: "patient.haemodilution_critical",
    name: "min_hct",
    min: 0.05,
    max: 0.45,
    unit: "fraction",
    default: ParamDefault::Fixed(0.17),
    meaning: "predicted haematocrit on bypass below which the circuit cannot go on as built (a blood-prime case may \
              raise it); 0.17 is the transfusion trigger on CPB [ANH-2002] (§6.4)",
};

/// The top of the reference's 40–70 cm of siphon, cm (§6.10 [OpenAnes-venous] [Trilly-IFU]).
pub const DRAINAGE_DROP_MAX_CM: f64 = 70.0;

/// The reference's 40–70 cm of siphon (§6.10, 31–54 mmHg, [OpenAnes-venous] [Trilly-IFU]).
pub const DRAINAGE_DROP_MIN: RuleParam = RuleParam {
    rule: "readiness.reservoir_height",
    name: "min_drop_cm",
    min: 0.0,
    // The least drop cannot pass the top of the siphon range (`DRAINAGE_DROP_MAX_CM`).
    max: DRAINAGE_DROP_MAX_CM,
    unit: "cm",
    default: ParamDefault::Fixed(40.0),
    meaning: "least drop from the heart to a gravity-drained hard-shell reservoir; 40 is the low end of the \
              40–70 cm siphon (§6.10 [OpenAnes-venous] [Trilly-IFU])",
};

/// Half the lower survey gas:blood ratio, 50 % [Searles-2020] (§6.7): at 0.4 a simulated VV patient's PaCO2 was
/// already about 60 mmHg [MSE-sweep] (§2.3); a neonate's 1:1 [Trilly-IFU] and the adult reference's 0.42 pass.
pub const SWEEP_TO_BLOOD_MIN: RuleParam = RuleParam {
    rule: "readiness.sweep_low",
    name: "min_gas_to_blood",
    min: 0.05,
    max: 3.0,
    unit: "ratio",
    default: ParamDefault::Fixed(0.25),
    meaning: "least sweep gas as a share of the target blood flow; 0.25, half the survey's lower gas:blood ratio of \
              50 % [Searles-2020] (§6.7): at 0.4 a simulated patient's PaCO2 was already about 60 mmHg [MSE-sweep]",
};

/// Below this weight neonatal VA practice drains through the larger cannula: RIJ 8–10 Fr drainage with 6–8 Fr
/// carotid return, RA 12–14 Fr with 6–8 Fr aortic return [Ma-2019] (reference §2.2, §2.4 E3).
pub const NEONATAL_WEIGHT_MAX: RuleParam = RuleParam {
    rule: "sizing.neonatal_cannulae",
    name: "max_weight_kg",
    min: 1.0,
    max: 20.0,
    unit: "kg",
    default: ParamDefault::Fixed(5.0),
    meaning: "patients on VA ECMO below this weight are checked against neonatal cannulation (drainage cannula the \
              larger); 5 kg [Ma-2019] (§2.2, §2.4 E3)",
};

/// How many times the patient's flow a cannula may be rated for before it is too large for the vessel. UNSOURCED as
/// a ratio (the reference sizes cannulae by weight and flow, not by this quotient): calibrated on its sizing table
/// (§5.2: 12 Fr for 0.7–1.0 L/min in a 5 kg infant [Authorea-case], 6–8 Fr aortic below 5 kg [Ma-2019], 15–16 Fr
/// femoral above 30 kg [ELSO-peds-fem], ≥ 21 Fr with more limb ischaemia), which the bundled circuits keep within
/// 1.75 and an adult 24 Fr aortic cannula in a 28 kg child (2.5) does not.
pub const CANNULA_OVERSIZE: RuleParam = RuleParam {
    rule: "sizing.cannula_too_large",
    name: "max_rated_to_target",
    min: 1.0,
    max: 20.0,
    unit: "ratio",
    default: ParamDefault::Fixed(2.0),
    meaning: "largest ratio of a cannula's rated top flow to the patient's target flow; above it the cannula is too \
              large for the vessel (UNSOURCED ratio, calibrated on the §5.2 sizing table: the bundled circuits stay \
              below 1.75, an adult 24 Fr aortic cannula in a 28 kg child is 2.5)",
};

/// Every rule parameter a scenario may set (`rules: [(rule, params: [(name, value)])]`); a name not here is refused
/// when the scenario loads.
pub const RULE_PARAMS: &[RuleParam] = &[
    LINE_GRADIENT_MAX,
    CANNULA_DROP_MAX,
    HAEMODILUTION_FLOOR,
    DRAINAGE_DROP_MIN,
    SWEEP_TO_BLOOD_MIN,
    NEONATAL_WEIGHT_MAX,
    CANNULA_OVERSIZE,
];

/// The scenario fields a rule without parameters reads its limits from (docs/validation-rules.md lists the same).
const TARGETS_READ: &[(&str, &str)] = &[
    ("patient.prime_limit", "targets.max_prime_ml"),
    ("patient.haemodilution", "targets.min_hct and targets.added_blood_hct"),
    ("safety.pressure_servo", "targets.arterial_line_max_mmhg"),
];

/// The scenario fields `rule` reads its limits from, in words, when it reads any.
pub fn targets_read_by(rule: &str) -> Option<&'static str> {
    TARGETS_READ.iter().find(|(id, _)| *id == rule).map(|(_, fields)| *fields)
}

/// The parameters `rule` takes.
pub fn params_of(rule: &str) -> impl Iterator<Item = &'static RuleParam> {
    RULE_PARAMS.iter().filter(move |p| p.rule == rule)
}

const fn rule(id: &'static str, severity: Severity, checks: &'static str, source: &'static str) -> RuleInfo {
    RuleInfo { id, severity, checks, source }
}

pub const RULES: &[RuleInfo] = &[
    rule(
        "topology.open_port",
        Critical,
        "every blood port is connected or capped",
        "§1.3 C14 [BS-cannulation]; §2.1 [ELSO-circuit-2022]",
    ),
    rule(
        "topology.bore_mismatch",
        Warning,
        "each tube's bore matches the connectors it sits on",
        "§3.2 packs [BS-peds]; PHYS",
    ),
    rule("topology.flow_conflict", Critical, "no tube joins two outlets or two inlets", "PHYS"),
    rule(
        "order.no_main_line",
        Critical,
        "blood can flow from a drainage cannula to a return cannula",
        "§1.1 [Hessel-Gravlee] [EP1550473]; §2.1 [ELSO-circuit-2022]",
    ),
    rule(
        "order.missing_stage",
        Critical,
        "the main line has every stage the procedure needs",
        "§1.1 [EP1550473] [BPP-review]; §2.1 [mdnxs-ECMO]",
    ),
    rule(
        "order.oxygenator_before_pump",
        Critical,
        "the oxygenator is downstream of the arterial pump",
        "§1.3 C1 [Capiox-FX25-IFU] [Hessel-Gravlee]",
    ),
    rule(
        "order.filter_position",
        Critical,
        "the arterial filter is after the oxygenator, last before the cannula",
        "§1.3 C2 [EP1550473]",
    ),
    rule(
        "order.reservoir_after_pump",
        Critical,
        "on CPB the reservoir feeds the arterial pump",
        "§1.1 [Miller-fig] [EP1550473]",
    ),
    rule("order.reservoir_in_ecmo", Critical, "no reservoir in series in an ECMO loop", "§2.4 E1 [mdnxs-ECMO]"),
    rule(
        "order.reversed_pump",
        Critical,
        "no pump on the main line runs or is loaded backwards",
        "§1.3 C3 [Mills-1980] [Terumo-APS1-emerg]",
    ),
    rule(
        "safety.bubble_detector",
        Critical,
        "CPB: a bubble detector on the arterial line, linked to the arterial pump",
        "§1.1 #8, §1.3 C17 [Terumo-APS1]",
    ),
    rule(
        "safety.level_sensor",
        Critical,
        "CPB with a roller pump: a level sensor on the reservoir, linked to the pump",
        "§1.3 C4 [Mills-1980] [Practical-CA]",
    ),
    rule(
        "safety.pressure_servo",
        Critical,
        "roller arterial pump: line pressure measured after the pump and linked to it",
        "§1.3 C5 [pac6-pumps] [BS-pumps]",
    ),
    rule(
        "safety.flow_probe",
        Critical,
        "centrifugal arterial pump: a flow probe on the main line",
        "§1.3 C6, §2.4 E2 [resus-flowsensor]",
    ),
    rule(
        "safety.vent_valve",
        Critical,
        "the LV vent line has a one-way valve",
        "§1.2, §1.3 C7 [Lewis-1990] [Gavin-VRV]",
    ),
    rule(
        "safety.sucker_return",
        Warning,
        "each cardiotomy sucker returns to a reservoir cardiotomy inlet",
        "§1.2 [Miller-fig] [heartsurg-suction]",
    ),
    rule(
        "safety.cardioplegia_source",
        Critical,
        "cardioplegia draws oxygenated blood from the oxygenator's arterial side",
        "§1.2 [Apex-IFU]",
    ),
    rule(
        "safety.distal_perfusion",
        Warning,
        "peripheral VA ECMO has a distal perfusion catheter",
        "§2.4 E5 [VA-series] [VA-cannula-size]",
    ),
    rule(
        "safety.membrane_pressures",
        Warning,
        "ECMO: pressure measured before and after the oxygenator (membrane ΔP)",
        "§2.1 [EuroELSO-dP] [icuroom-dP]; §1.2 [Pressure-survey-2013]",
    ),
    rule(
        "sizing.neonatal_cannulae",
        Warning,
        "VA ECMO under 5 kg: the drainage cannula is not smaller than the return cannula",
        "§2.4 E3 [Ma-2019]",
    ),
    rule(
        "sizing.rated_flow",
        Critical,
        "every part on the main line is rated for the target flow",
        "§4.1 [K130520] [Capiox-RX-IFU]; §3.3 [BS-peds]; catalog",
    ),
    rule(
        "sizing.cannula_too_large",
        Critical,
        "no cannula is made for more flow than this patient needs (its rated range starts above the target flow)",
        "§5.1 [Fraser-2010]; §5.2 [ELSO-neo-resp]; catalog",
    ),
    rule(
        "sizing.device_too_large",
        Critical,
        "no pump head, oxygenator or filter on the main line is rated from more flow than this patient needs",
        "§5.1 [Fraser-2010]; catalog (makers' ranges)",
    ),
    rule(
        "sizing.line_bore",
        Warning,
        "each tube on the main line is wide enough for the target flow (param max_mmhg_per_m)",
        "§3.1 Poiseuille table (PHYS); limit calibrated on the packs of §3.2 [BS-peds]",
    ),
    rule(
        "sizing.cannula_pressure_drop",
        Warning,
        "each cannula's pressure drop at target flow is within the limit (param max_mmhg)",
        "§5.1 [Aortic-dP-2004]; limit UNSOURCED §9.4",
    ),
    rule(
        "readiness.reservoir_height",
        Warning,
        "a gravity-drained hard-shell reservoir sits at least min_drop_cm (40) below the heart",
        "§6.10 [OpenAnes-venous] [Trilly-IFU]",
    ),
    rule("readiness.clamp_on_main_line", Critical, "no clamp left on the main line", "§1.3 C15 [JECT-changeout]"),
    rule(
        "readiness.recirculation_open",
        Warning,
        "recirculation and purge lines are clamped before going on bypass",
        "§1.2, §1.3 C10 [Capiox-RX-IFU] [JECT-changeout]",
    ),
    rule(
        "readiness.occlusion_unset",
        Warning,
        "roller pump occlusion has been set",
        "§3.4 [Reddit-occlusion] [BS-pumps]",
    ),
    rule(
        "readiness.sweep_gas",
        Warning,
        "the oxygenator has sweep gas set for when blood flows (critical on ECMO)",
        "§1.1 #6, §1.3 C11 [Capiox-FX25-IFU]",
    ),
    rule(
        "readiness.sweep_low",
        Warning,
        "the sweep gas is at least min_gas_to_blood (0.25) times the target blood flow",
        "§6.7 [Searles-2020]; §2.3 [MSE-sweep]",
    ),
    rule(
        "readiness.heater_cooler",
        Warning,
        "a heater-cooler serves the oxygenator when the plan cools or rewarms",
        "§4.2, §6.9 [STS-temp]",
    ),
    rule(
        "patient.prime_limit",
        Warning,
        "the total prime is within the scenario's limit",
        "scenario; §3.2 [DeRita-2013]",
    ),
    rule(
        "patient.haemodilution_critical",
        Critical,
        "the predicted haematocrit on bypass is above the floor (param min_hct, default 17 %)",
        "§6.4 [ANH-2002]",
    ),
    rule(
        "patient.haemodilution",
        Advice,
        "the predicted haematocrit on bypass reaches the scenario's minimum",
        "§6.4 [Terumo-Hct]",
    ),
    rule("kit.required_missing", Critical, "every part the scenario requires is in the circuit", "scenario"),
    rule("kit.forbidden_present", Critical, "no part the scenario forbids is in the circuit", "scenario"),
    rule("kit.over_shelf", Warning, "nothing is used beyond what the kit holds", "scenario"),
];

/// Whether `id` names a rule.
pub fn is_rule(id: &str) -> bool {
    RULES.iter().any(|rule| rule.id == id)
}
