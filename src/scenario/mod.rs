//! Scenarios: a patient, a procedure, the kit on the shelf, targets and limits, rule settings, timed faults and
//! scoring weights, read from RON files that instructors write.
//!
//! `raw.rs` mirrors the file; `check.rs` turns it into a `Scenario` whose every value is in range and resolved
//! against the catalog, or into diagnostics that say where and how to fix the file. Depends on `catalog`,
//! `patient` and `input`.

mod check;
pub mod lint;
mod raw;
mod response;

pub use raw::{
    CannulaSite, DeviceRole, Fault, FaultKind, KitItem, LineRole, Physiology, Procedure, RawPatient, RawScenario,
    RuleSetting, SCENARIO_FORMAT_VERSION, ScoringWeights, Targets, temperature_scale,
};
pub use response::{Expected, Response, remedy};

use crate::catalog::{Bore, Catalog};
use crate::ids::CatalogId;
use crate::input::{Diagnostics, Source};
use crate::patient::{Dilution, Patient};
use std::path::Path;

/// How much of one catalog item the kit holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KitAmount {
    Count(u32),
    LengthM(f64),
}

/// Shed blood on CPB when the scenario does not say, mL/kg/min (20 mL/min for an 80 kg adult). UNSOURCED: the
/// reference gives no rate; a small steady ooze into the open chest gives the suckers something to return.
const DEFAULT_CPB_BLEEDING_ML_KG_MIN: f64 = 0.25;

/// SVR when the scenario gives none, for an average man: the middle of the normal 800–1200 [SVR-calc] (reference
/// §6.8), dyn·s·cm⁻⁵; other sizes scale it by `REFERENCE_ADULT_BSA_M2` / BSA.
const DEFAULT_SVR_DYN_S_CM5: f64 = 1000.0;
/// An average man's body surface, m²: 1.9 [BSA-bionity] (reference §6.1).
const REFERENCE_ADULT_BSA_M2: f64 = 1.9;
/// CVP when the scenario gives none: the middle of the normal 2–6 mmHg [SVR-Truman] (reference §6.8).
const DEFAULT_CVP_MMHG: f64 = 4.0;

/// A checked scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The file stem ("adult_cabg"); circuits name their scenario by it.
    pub id: String,
    pub title: String,
    pub briefing: String,
    pub procedure: Procedure,
    pub patient: Patient,
    pub physiology: Physiology,
    /// What is on the shelf, in the order the file lists it.
    pub kit: Vec<(CatalogId, KitAmount)>,
    pub targets: Targets,
    pub required: Vec<CatalogId>,
    pub forbidden: Vec<CatalogId>,
    pub rules: Vec<RuleSetting>,
    pub faults: Vec<Fault>,
    pub scoring: ScoringWeights,
    pub instructor_notes: String,
    /// The file's text as it was read: an attempt keeps a copy, so it opens even if the file later changes.
    pub source_text: String,
}

/// The numbers a perfusionist works out from the patient and the scenario's targets before building.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DerivedTargets {
    pub bsa_m2: f64,
    pub blood_volume_ml: f64,
    pub target_flow_l_min: f64,
    pub max_prime_ml: Option<f64>,
    pub min_hct: f64,
    /// The largest clear prime that keeps the predicted Hct at `min_hct`, mL (0 when even an empty circuit
    /// would dilute below it).
    pub max_clear_prime_for_min_hct_ml: f64,
}

/// The bundled scenarios, compiled into the binary so the app works from any directory.
const BUNDLED: [(&str, &str); 12] = [
    ("adult_cabg", include_str!("../../scenarios/adult_cabg.ron")),
    ("small_adult_valve", include_str!("../../scenarios/small_adult_valve.ron")),
    ("child_cpb", include_str!("../../scenarios/child_cpb.ron")),
    ("neonate_arterial_switch", include_str!("../../scenarios/neonate_arterial_switch.ron")),
    ("adult_va_ecmo", include_str!("../../scenarios/adult_va_ecmo.ron")),
    ("adult_vv_ecmo", include_str!("../../scenarios/adult_vv_ecmo.ron")),
    // Fault drills on the patients and circuits above.
    ("drill_child_venous_kink", include_str!("../../scenarios/drill_child_venous_kink.ron")),
    ("drill_reservoir_low", include_str!("../../scenarios/drill_reservoir_low.ron")),
    ("drill_heater_overheat", include_str!("../../scenarios/drill_heater_overheat.ron")),
    ("drill_va_power_failure", include_str!("../../scenarios/drill_va_power_failure.ron")),
    ("drill_ecmo_decannulation", include_str!("../../scenarios/drill_ecmo_decannulation.ron")),
    ("drill_vv_recirculation", include_str!("../../scenarios/drill_vv_recirculation.ron")),
];

/// The ids of the bundled scenarios, in teaching order.
pub fn bundled_ids() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(id, _)| *id)
}

/// Loads one bundled scenario by id.
pub fn bundled(id: &str, catalog: &Catalog) -> Option<Result<Scenario, Diagnostics>> {
    let (id, text) = BUNDLED.iter().find(|(name, _)| *name == id)?;
    Some(Scenario::from_source(&Source::new(format!("scenarios/{id}.ron"), *text), id, catalog))
}

impl Scenario {
    pub fn load(path: &Path, catalog: &Catalog) -> Result<Self, Diagnostics> {
        let id = path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
        Self::from_source(&Source::read(path)?, &id, catalog)
    }

    pub fn from_source(source: &Source, id: &str, catalog: &Catalog) -> Result<Self, Diagnostics> {
        let raw: RawScenario = source.parse()?;
        check::check(source, id, raw, catalog).map(|scenario| Scenario { source_text: source.text.clone(), ..scenario })
    }

    pub fn derived(&self) -> DerivedTargets {
        let blood_volume_ml = self.patient.blood_volume_ml();
        let min_hct = self.targets.min_hct;
        // Hct_pre × BV / (BV + fluids + prime + CP) = min_hct  ⇒  prime = Hct_pre × BV / min_hct − BV − fluids − CP.
        let max_clear_prime_for_min_hct_ml = (self.patient.hct * blood_volume_ml / min_hct
            - blood_volume_ml
            - self.patient.pre_bypass_fluids_ml
            - self.targets.cardioplegia_crystalloid_ml)
            .max(0.0);
        DerivedTargets {
            bsa_m2: self.patient.bsa_m2(),
            blood_volume_ml,
            target_flow_l_min: self.patient.target_flow_l_min(self.targets.cardiac_index_l_min_m2),
            max_prime_ml: self.targets.max_prime_ml,
            min_hct,
            max_clear_prime_for_min_hct_ml,
        }
    }

    /// The dilution this patient undergoes with a circuit of `circuit_prime_ml`.
    pub fn dilution(&self, circuit_prime_ml: f64) -> Dilution {
        Dilution {
            blood_volume_ml: self.patient.blood_volume_ml(),
            pre_bypass_fluids_ml: self.patient.pre_bypass_fluids_ml,
            circuit_prime_ml,
            cardioplegia_crystalloid_ml: self.targets.cardioplegia_crystalloid_ml,
        }
    }

    /// The kit's tubing for a line between ports of these bores: one both accept, else one either accepts (a
    /// mismatch the validator will explain), else the first on the shelf; `None` when the kit has no tubing.
    pub fn kit_tubing_for(&self, catalog: &Catalog, a: Bore, b: Bore) -> Option<CatalogId> {
        let on_shelf: Vec<(&CatalogId, Bore)> =
            self.kit.iter().filter_map(|(id, _)| catalog.tubing(id).map(|t| (id, t.bore))).collect();
        let pick = |accepts: &dyn Fn(Bore) -> bool| on_shelf.iter().find(|(_, bore)| accepts(*bore));
        pick(&|bore| a.accepts(bore) && b.accepts(bore))
            .or_else(|| pick(&|bore| a.accepts(bore) || b.accepts(bore)))
            .or(on_shelf.first())
            .map(|(id, _)| (*id).clone())
    }

    /// Blood shed into the surgical field at a MAP of 60 mmHg, mL/min: the scenario's, or 0.25 mL/kg/min on CPB
    /// and none on ECMO (`Physiology::bleeding_ml_min`).
    pub fn bleeding_ml_min(&self) -> f64 {
        self.physiology.bleeding_ml_min.unwrap_or(match self.procedure {
            Procedure::Cpb => DEFAULT_CPB_BLEEDING_ML_KG_MIN * self.patient.weight_kg,
            Procedure::VaEcmo | Procedure::VvEcmo => 0.0,
        })
    }

    /// Systemic vascular resistance, dyn·s·cm⁻⁵: the scenario's, or 1000 × 1.9 m² / BSA (`Physiology`).
    pub fn svr_dyn_s_cm5(&self) -> f64 {
        self.physiology
            .svr_dyn_s_cm5
            .unwrap_or_else(|| DEFAULT_SVR_DYN_S_CM5 * REFERENCE_ADULT_BSA_M2 / self.patient.bsa_m2().max(0.05))
    }

    /// Central venous pressure, mmHg: the scenario's, or 4 (`Physiology`).
    pub fn cvp_mmhg(&self) -> f64 {
        self.physiology.cvp_mmhg.unwrap_or(DEFAULT_CVP_MMHG)
    }

    /// The haematocrit on bypass the priming plan predicts for `circuit`, with the blood it adds (fraction).
    pub fn planned_hct(&self, circuit: &crate::circuit::Circuit, catalog: &Catalog) -> f64 {
        crate::priming::PrimingPlan::new(self, circuit, catalog).hct_with_blood
    }

    /// How much of `id` the kit holds, if any.
    pub fn kit_amount(&self, id: &CatalogId) -> Option<KitAmount> {
        self.kit.iter().find(|(kit_id, _)| kit_id == id).map(|(_, amount)| *amount)
    }

    /// "65 years, male, 80 kg, 175 cm, Hct 40 %".
    pub fn patient_summary(&self) -> String {
        let p = &self.patient;
        let sex = match p.sex {
            crate::patient::Sex::Male => "male",
            crate::patient::Sex::Female => "female",
        };
        format!("{}, {sex}, {} kg, {} cm, Hct {:.0} %", p.age, p.weight_kg, p.height_cm, p.hct * 100.0)
    }
}
