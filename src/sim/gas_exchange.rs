//! Gas exchange in the membrane oxygenator and the native lungs: oxygen to the gas's tension within the device's
//! capacity, carbon dioxide by sweep, blood flow and membrane size; the lungs by their shunt fraction and their
//! alveolar ventilation.

use super::blood::{Blood, CO2_ML_DL_PER_MMHG, saturation};
use super::metabolism::{Metabolism, RESPIRATORY_QUOTIENT, awake_vo2_ml_kg_min};
use crate::scenario::Scenario;

/// Water vapour and barometric pressure at sea level, mmHg (PHYS): an ideal membrane brings blood to the sweep
/// gas's oxygen tension, FiO2 × (760 − 47).
pub const DRY_GAS_PRESSURE_MMHG: f64 = 760.0 - 47.0;

/// How readily a membrane clears CO2: one pass removes the share 1 − exp(−k·(rated flow)^0.65·√(sweep / blood flow))
/// of the blood's PCO2 (flows in L/min). The square root of the gas:blood ratio follows [MSE-sweep] (reference §2.3:
/// PaCO2 ≈ 60 → 27 mmHg as sweep rises 2 → 10 L/min at 5 L/min blood flow, a ratio of 2.2 ≈ √5); a larger device
/// (rated flow, its membrane area) clears more at the same ratio (§7.3 [ECCO2R-sweep]: 0.8 m² removes more than
/// 0.4 m² at the same blood flow; the exponent 0.65 is calibrated with k). k is calibrated so that a gas:blood
/// ratio of 0.65, inside the 50–80 % of
/// [Searles-2020] (reference §6.7), holds the reference adult on bypass (VO2 on CPB [Hendrix-2019], respiratory
/// quotient 0.8, 7 L/min oxygenator, 37 °C) at PaCO2 40 mmHg, the middle of the 35–45 target; the neonate at the
/// paediatric 1:1 [Trilly-IFU] on a 1.5 L/min device then sits in the same target (docs/model-validation.md).
pub const MEMBRANE_CO2_CLEARANCE: f64 = 0.0288;
/// The power of rated flow in `MEMBRANE_CO2_CLEARANCE`'s law.
const RATED_FLOW_EXPONENT: f64 = 0.65;

/// Oxygen transfer per litre of rated blood flow, mL O2/L: the catalog's rated-flow definition (a venous blood at
/// 65 % raised to 100 %, reference §4.1 [Rated-flow]), so a device's rated flow is its transfer / 48.2.
pub const O2_TRANSFER_PER_RATED_L: f64 = 48.2;

/// The share of the oxygen the sweep gas brings that a membrane can take up. UNSOURCED (the reference gives no
/// exhaust-gas figure): the gas must leave with enough oxygen to keep its tension above the blood's along the whole
/// fibre, so it cannot give all it carries; a half is a modelling choice. It binds only when the sweep is far below
/// the blood flow (0.2 L/min of 60 % oxygen carries 120 mL/min, less than an adult's oxygen use), never at the
/// 0.5–1:1 gas:blood ratios of practice (§6.7 [Searles-2020]).
pub const SWEEP_O2_UPTAKE_SHARE: f64 = 0.5;

/// The most oxygen a membrane can add, mL/min: its rated transfer, or what the sweep brings, whichever is less.
pub fn membrane_o2_limit_ml_min(transfer_ml_min: f64, fio2: f64, sweep_l_min: f64) -> f64 {
    transfer_ml_min.min(SWEEP_O2_UPTAKE_SHARE * fio2 * sweep_l_min.max(0.0) * 1000.0)
}

/// The membrane's CO2 clearance for a device of `o2_transfer_ml_min` (its rated flow × 48.2).
pub fn membrane_co2_clearance(o2_transfer_ml_min: f64) -> f64 {
    MEMBRANE_CO2_CLEARANCE * (o2_transfer_ml_min / O2_TRANSFER_PER_RATED_L).max(0.0).powf(RATED_FLOW_EXPONENT)
}

/// Blood after one pass through a ventilated membrane: `clearance` (as `membrane_co2_clearance`, less for a failing
/// membrane) at `sweep_l_min` against `blood_l_min`.
pub fn membrane_co2(blood: Blood, clearance: f64, sweep_l_min: f64, blood_l_min: f64) -> Blood {
    let removed = (-clearance * (sweep_l_min.max(0.0) / blood_l_min.max(1e-6)).sqrt()).exp();
    Blood { pco2_mmhg: blood.pco2_mmhg * removed, ..blood }
}

/// Oxygen tension of blood leaving ventilated alveoli, mmHg (PHYS: the alveolar PO2 of air at sea level, about 100).
pub const END_CAPILLARY_PO2_MMHG: f64 = 100.0;
/// Arterial PCO2 the ventilator is set to hold, mmHg: the middle of 35–45 [Searles-2020] (reference §6.7).
pub const VENTILATED_PACO2_MMHG: f64 = 40.0;
/// The alveolar ventilation equation (PHYS): PACO2 = 0.863 × VCO2 (mL/min) / alveolar ventilation (L/min).
pub const ALVEOLAR_EQUATION_K: f64 = 0.863;
/// Mixed venous saturation assumed when the native heart gives no output to reckon it from, fraction: 75 %
/// [alpf-normal] (reference §6.5).
pub const NORMAL_SVO2: f64 = 0.75;

/// The native lungs as the scenario describes them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NativeLungs {
    /// Share of the pulmonary blood flow that meets no ventilated alveolus, fraction.
    pub shunt: f64,
    /// Alveolar ventilation, L/min.
    pub ventilation_l_min: f64,
}

impl NativeLungs {
    /// `native_lung_sao2` is the arterial saturation the patient has on the ventilator before support: with the
    /// mixed venous saturation the Fick principle gives (VO2 / native output, reference §6.5) the shunt equation
    /// (PHYS) gives the share of pulmonary flow that is shunted. The ventilator is set for normocapnia at the
    /// patient's own CO2 production (alveolar ventilation equation, PHYS), so healthy lungs hold PaCO2 at 40 mmHg
    /// and shunted lungs clear less; CO2 removal follows the lungs' function, with no threshold.
    pub fn of(scenario: &Scenario) -> Self {
        let physiology = &scenario.physiology;
        let patient = &scenario.patient;
        let vo2_ml_min = Metabolism::of(scenario).vo2_37_ml_min;
        let capacity_ml_dl = super::blood::O2_PER_G_HB_ML * patient.hb_g_dl;
        let sao2 = physiology.native_lung_sao2;
        let svo2 = if physiology.native_output_l_min > 0.0 && capacity_ml_dl > 0.0 {
            sao2 - vo2_ml_min / (physiology.native_output_l_min * 10.0 * capacity_ml_dl)
        } else {
            NORMAL_SVO2
        };
        let capillary = saturation(END_CAPILLARY_PO2_MMHG);
        let svo2 = svo2.clamp(0.2, (sao2 - 0.01).max(0.2));
        let shunt = if sao2 >= capillary { 0.0 } else { ((capillary - sao2) / (capillary - svo2)).clamp(0.0, 1.0) };
        let resting_vco2_ml_min = RESPIRATORY_QUOTIENT * awake_vo2_ml_kg_min(patient.age.in_days()) * patient.weight_kg;
        Self { shunt, ventilation_l_min: ALVEOLAR_EQUATION_K * resting_vco2_ml_min / VENTILATED_PACO2_MMHG }
    }
}

/// Blood after one pass through the native lungs at `flow_l_min`: the ventilated share leaves at the end-capillary
/// oxygen tension (or its own, if higher) and the alveolar PCO2; the shunted share leaves as it came. The alveolar
/// PCO2 is where the CO2 the blood gives up equals what the ventilation carries away.
pub fn lungs(blood: Blood, shunt: f64, ventilation_l_min: f64, flow_l_min: f64) -> Blood {
    if blood.hb_g_dl <= 0.0 || flow_l_min <= 0.0 {
        return blood;
    }
    let ventilated = 1.0 - shunt;
    let blood_side_ml_min_mmhg = ventilated * flow_l_min * 10.0 * CO2_ML_DL_PER_MMHG;
    let gas_side_ml_min_mmhg = ventilation_l_min / ALVEOLAR_EQUATION_K;
    let alveolar_pco2 = if blood_side_ml_min_mmhg + gas_side_ml_min_mmhg > 0.0 {
        blood_side_ml_min_mmhg * blood.pco2_mmhg / (blood_side_ml_min_mmhg + gas_side_ml_min_mmhg)
    } else {
        blood.pco2_mmhg
    };
    // Mixed blood's PO2 is only a volume average, so the capillary is judged by content: ventilated alveoli bring
    // blood to the end-capillary tension and take none from blood already richer.
    let capillary = Blood { sat: saturation(END_CAPILLARY_PO2_MMHG), po2_mmhg: END_CAPILLARY_PO2_MMHG, ..blood };
    let inflow_ml_dl = blood.o2_content_ml_dl();
    let content = ventilated * capillary.o2_content_ml_dl().max(inflow_ml_dl) + shunt * inflow_ml_dl;
    let mut out = blood.with_o2_content(content);
    out.pco2_mmhg = ventilated * alveolar_pco2 + shunt * blood.pco2_mmhg;
    out
}
