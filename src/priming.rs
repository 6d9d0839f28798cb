//! The priming plan for one patient and one circuit: prime volume, predicted haematocrit on bypass, the blood to
//! add to reach the scenario's minimum, and the oxygen delivery that haematocrit allows at target flow.

use crate::catalog::Catalog;
use crate::circuit::{Circuit, PrimeReport};
use crate::patient::{do2i_ml_min_m2, o2_content_ml_dl};
use crate::scenario::Scenario;

/// Arterial PO2 assumed on bypass for the delivery estimate, mmHg: the middle of the 150–300 mmHg survey range
/// [Searles-2020] (reference §6.7). Dissolved oxygen adds only 0.0031 mL/dL per mmHg, so the choice barely moves
/// the result.
pub const ASSUMED_PAO2_ON_BYPASS_MMHG: f64 = 225.0;

#[derive(Debug, Clone, PartialEq)]
pub struct PrimingPlan {
    pub prime: PrimeReport,
    pub blood_volume_ml: f64,
    /// Volume the patient's red cells spread over on bypass, mL.
    pub total_volume_ml: f64,
    /// With a clear prime (fraction).
    pub predicted_hct: f64,
    /// Blood to put in the prime to reach the scenario's minimum Hct, mL (0 when not needed).
    pub blood_to_add_ml: f64,
    /// Hct on bypass once that blood is added (fraction).
    pub hct_with_blood: f64,
    /// Haemoglobin on bypass once that blood is added, g/dL (scaled from the patient's Hb by the Hct ratio).
    pub hb_on_bypass_g_dl: f64,
    pub target_flow_l_min: f64,
    /// DO2i at target flow, fully saturated, with `hb_on_bypass_g_dl` (mL/min/m²).
    pub do2i_at_target_ml_min_m2: f64,
}

impl PrimingPlan {
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let prime = circuit.prime(catalog);
        let dilution = scenario.dilution(prime.total_ml);
        let patient = &scenario.patient;
        let predicted_hct = dilution.hct_on_bypass(patient.hct);
        let blood_to_add_ml =
            dilution.blood_to_add_ml(patient.hct, scenario.targets.min_hct, scenario.targets.added_blood_hct);
        let total_volume_ml = dilution.total_volume_ml();
        let hct_with_blood = if total_volume_ml > 0.0 {
            (patient.hct * dilution.blood_volume_ml + blood_to_add_ml * scenario.targets.added_blood_hct)
                / total_volume_ml
        } else {
            patient.hct
        };
        let hb_on_bypass_g_dl = patient.hb_g_dl * hct_with_blood / patient.hct;
        let target_flow_l_min = patient.target_flow_l_min(scenario.targets.cardiac_index_l_min_m2);
        let cao2 = o2_content_ml_dl(hb_on_bypass_g_dl, 1.0, ASSUMED_PAO2_ON_BYPASS_MMHG);
        Self {
            blood_volume_ml: dilution.blood_volume_ml,
            total_volume_ml,
            predicted_hct,
            blood_to_add_ml,
            hct_with_blood,
            hb_on_bypass_g_dl,
            target_flow_l_min,
            do2i_at_target_ml_min_m2: do2i_ml_min_m2(target_flow_l_min, patient.bsa_m2(), cao2),
            prime,
        }
    }
}
