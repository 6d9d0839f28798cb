//! The patient's metabolism: oxygen demand by age, anaesthetic state and temperature; the extraction limit past
//! which consumption follows delivery; the oxygen debt that unmet demand runs up, shown as lactate; and the carbon
//! dioxide the tissues make.

use crate::scenario::{Procedure, Scenario};

/// Oxygen consumption of an awake or sedated patient at 37 °C by age, mL/kg/min: neonates 6, children 4–5 (4.5
/// taken), adults 3 [ECMO-book] (reference §6.5).
pub fn awake_vo2_ml_kg_min(age_days: f64) -> f64 {
    if age_days < 30.0 {
        6.0
    } else if age_days < 18.0 * 365.25 {
        4.5
    } else {
        3.0
    }
}

/// Share of the awake demand left under anaesthesia on bypass: 56 mL/min/m² measured on CPB [Hendrix-2019] over the
/// awake adult's 132 mL/min/m² [alpf-normal] (reference §6.5). Applied at every age (UNSOURCED for children: the
/// reference has no paediatric on-bypass VO2) and taken as the 37 °C value (UNSOURCED: the reference does not give
/// the cohort's temperature).
pub const ANAESTHETISED_SHARE: f64 = 56.0 / 132.0;

/// Temperature sensitivity of oxygen consumption: halves per 10 °C [Kron-OCS] (reference §6.6, Q10 = 2).
pub const VO2_Q10: f64 = 2.0;

/// The largest share of the delivered oxygen the tissues can extract: below the critical delivery (demand / this
/// share) consumption becomes supply-dependent. 0.69 = VO2 3.17 / DO2crit 4.57 mL/kg/min at 33 °C [Sheep-VO2]
/// (reference §6.6), the nearest measurement to bypass temperatures.
pub const CRITICAL_EXTRACTION: f64 = 3.17 / 4.57;

/// Carbon dioxide produced per oxygen consumed (respiratory quotient). UNSOURCED: the reference gives no VCO2; 0.8
/// is the textbook value for a mixed diet.
pub const RESPIRATORY_QUOTIENT: f64 = 0.8;

/// Blood lactate at rest, mmol/L. UNSOURCED: the reference gives no lactate values; 1.0 is the textbook normal
/// (below 2).
pub const BASELINE_LACTATE_MMOL_L: f64 = 1.0;
/// Lactate made per millilitre of oxygen demand not met, mmol/mL: oxygen is 1/22.4 mmol per mL (PHYS, STP), each
/// mole of O2 yields about 5 ATP aerobically (P/O ratio 2.5, PHYS biochemistry) and each lactate 1 ATP
/// anaerobically, so the unmet energy is made up by five lactates per O2. UNSOURCED as a whole-body rate: it
/// assumes glycolysis makes up all of the shortfall.
pub const LACTATE_MMOL_PER_ML_O2: f64 = 5.0 / 22.4;
/// Volume lactate spreads over, L/kg: total body water. UNSOURCED textbook value (0.6 L/kg).
pub const LACTATE_SPACE_L_KG: f64 = 0.6;
/// Half-life of a raised lactate at 37 °C, min, slowed with cooling by the same Q10 as VO2. UNSOURCED: the
/// reference gives no clearance; 30 min is the order of the textbook normal hepatic clearance.
pub const LACTATE_HALF_LIFE_MIN: f64 = 30.0;

/// The patient's metabolism, fixed for a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metabolism {
    /// Oxygen demand at 37 °C, mL/min.
    pub vo2_37_ml_min: f64,
    /// Body mass for the heat balance and the lactate space, kg.
    pub weight_kg: f64,
}

impl Metabolism {
    /// The scenario's patient: its `physiology.vo2_ml_kg_min` if set, otherwise the awake value for the age
    /// [ECMO-book], reduced on bypass to the anaesthetised share [Hendrix-2019] (ECMO patients are taken as
    /// sedated, at the [ECMO-book] value).
    pub fn of(scenario: &Scenario) -> Self {
        let patient = &scenario.patient;
        let per_kg = scenario.physiology.vo2_ml_kg_min.unwrap_or_else(|| {
            let awake = awake_vo2_ml_kg_min(patient.age.in_days());
            match scenario.procedure {
                Procedure::Cpb => awake * ANAESTHETISED_SHARE,
                Procedure::VaEcmo | Procedure::VvEcmo => awake,
            }
        });
        Self { vo2_37_ml_min: per_kg * patient.weight_kg, weight_kg: patient.weight_kg }
    }

    /// Oxygen demand at a body temperature, mL/min (Q10 = 2, reference §6.6).
    pub fn vo2_ml_min(&self, body_temp_c: f64) -> f64 {
        self.vo2_37_ml_min * temperature_factor(body_temp_c)
    }

    /// Lactate after `dt_s` at `body_temp_c` with `unmet_ml` of oxygen demand not met in that time, mmol/L: made
    /// from the unmet demand, cleared toward the resting value.
    pub fn lactate_after(&self, lactate_mmol_l: f64, unmet_ml: f64, body_temp_c: f64, dt_s: f64) -> f64 {
        let space_l = (LACTATE_SPACE_L_KG * self.weight_kg).max(0.1);
        let made = unmet_ml.max(0.0) * LACTATE_MMOL_PER_ML_O2 / space_l;
        let rate_per_s = std::f64::consts::LN_2 / (LACTATE_HALF_LIFE_MIN * 60.0) * temperature_factor(body_temp_c);
        let excess = lactate_mmol_l + made - BASELINE_LACTATE_MMOL_L;
        BASELINE_LACTATE_MMOL_L + excess * (-rate_per_s * dt_s).exp()
    }
}

/// Q10^((T − 37)/10) (reference §6.6 model).
fn temperature_factor(body_temp_c: f64) -> f64 {
    VO2_Q10.powf((body_temp_c - 37.0) / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_halves_per_ten_degrees() {
        let m = Metabolism { vo2_37_ml_min: 100.0, weight_kg: 70.0 };
        assert!((m.vo2_ml_min(27.0) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn lactate_rises_with_unmet_demand_and_clears_back_to_rest() {
        let m = Metabolism { vo2_37_ml_min: 100.0, weight_kg: 80.0 };
        // 1000 mL of unmet oxygen over 48 L of body water: 223 mmol → +4.65 mmol/L.
        let raised = m.lactate_after(BASELINE_LACTATE_MMOL_L, 1000.0, 37.0, 0.0);
        assert!((raised - 5.65).abs() < 0.01, "{raised}");
        let half = m.lactate_after(raised, 0.0, 37.0, LACTATE_HALF_LIFE_MIN * 60.0);
        assert!((half - (1.0 + 4.65 / 2.0)).abs() < 0.01, "{half}");
    }
}
