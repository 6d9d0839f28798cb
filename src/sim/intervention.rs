//! What the perfusionist does to a running circuit besides settings and clamps: put a fault right (straighten a
//! kink, reconnect a line, seal an air entry, change out a failed part), give a drug, add volume. Each reaches the
//! simulation through `Simulation::intervene`, which does it or says why it cannot be done.

use crate::ids::{PartId, TubeId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Intervention {
    /// Straighten a kinked tube.
    Straighten(TubeId),
    /// Join a tube that has come apart again (its ends clamped first, the join de-aired).
    Reconnect(TubeId),
    /// Seal where air enters a tube: a purse-string tightened, a connector reseated, a port closed.
    SealAirEntry(TubeId),
    /// Change out a part for a new one of the same model, clear-primed and de-aired: an oxygenator, a filter or a
    /// pump head, whose segment must be isolated first (no flow through it and a clamped tube on each side,
    /// reference §8, oxygenator change-out), or a heater-cooler (its water side only).
    ReplacePart(PartId),
    /// A fresh cannula placed where one came out of the vessel (the surgeon's), and the line de-aired onto it.
    Recannulate(PartId),
    /// A cannula moved back into place (the surgeon's, under echo).
    Reposition(PartId),
    /// The oxygenator's gas taken from the back-up cylinder.
    BackupGas(PartId),
    /// The surgeon asked to find and control the bleeding.
    SurgicalHaemostasis,
    /// A bolus of a drug into the circuit, µg.
    GiveDrug { drug: Drug, dose_ug: f64 },
    /// Fluid added to the venous reservoir (to the patient's veins on a circuit without one), mL.
    AddFluid { fluid: Fluid, volume_ml: f64 },
}

/// Drugs a perfusionist gives into the circuit to set the systemic vascular resistance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Drug {
    /// An α-agonist vasopressor: raises the SVR.
    Phenylephrine,
    /// A nitrate vasodilator: lowers the SVR.
    GlycerylTrinitrate,
}

/// Fluids added to the circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fluid {
    /// Balanced crystalloid: volume without haemoglobin.
    Crystalloid,
    /// Albumin 5 %: volume without haemoglobin (it stays in the vessels longer; the model has no capillary leak).
    Albumin,
    /// Packed red cells at the scenario's `added_blood_hct`.
    PackedCells,
}

/// The largest bolus accepted, µg: ten times a usual adult bolus of either drug (phenylephrine 100 µg, GTN 50–100
/// µg). UNSOURCED: a bound against typing errors, not a clinical limit.
pub const MAX_DOSE_UG: f64 = 1000.0;
/// The most fluid added at once, mL. UNSOURCED: a bound against typing errors (two units of packed cells and more).
pub const MAX_FLUID_ML: f64 = 2000.0;

impl Drug {
    pub fn label(self) -> &'static str {
        match self {
            Drug::Phenylephrine => "phenylephrine",
            Drug::GlycerylTrinitrate => "glyceryl trinitrate",
        }
    }

    /// Whether it raises the SVR (a vasopressor) rather than lowering it.
    pub fn is_vasopressor(self) -> bool {
        matches!(self, Drug::Phenylephrine)
    }

    /// The SVR's relative change at the peak of a bolus of `dose_ug_kg` µg/kg (+0.5 = ×1.5).
    fn peak_change(self, dose_ug_kg: f64) -> f64 {
        match self {
            // Phenylephrine 2 µg/kg raised MAP by 34 ± 13 mmHg at 5 min, in step with the SVR for the first 150 s
            // [Kalmar-2018, PMC6209056]: about +50 % from a MAP near 65 mmHg, so +25 % per µg/kg.
            Drug::Phenylephrine => 0.25 * dose_ug_kg,
            // UNSOURCED magnitude: GTN 1–5 µg/kg/min on CPB dropped MAP to ≤ 40 mmHg in a fifth of patients
            // [Chen-2020 rewarming trial]; a bolus of 1 µg/kg is taken to lower the SVR by 30 %, no more than
            // 60 % whatever the dose.
            Drug::GlycerylTrinitrate => -(0.3 * dose_ug_kg).min(0.6),
        }
    }

    /// Time to the peak effect, s. Phenylephrine: MAP and SVR rise together for 150 s [Kalmar-2018]. GTN: onset 4–8
    /// min on CPB [Townsend-1983]; 5 min taken.
    fn onset_s(self) -> f64 {
        match self {
            Drug::Phenylephrine => 150.0,
            Drug::GlycerylTrinitrate => 300.0,
        }
    }

    /// Half-life of the effect after its peak, s. UNSOURCED: phenylephrine's effect is still present but smaller
    /// at 10 min [Kalmar-2018]; 10 min taken for both.
    fn half_life_s(self) -> f64 {
        600.0
    }

    /// The SVR's relative change `since_s` after a bolus of `dose_ug` µg in a patient of `weight_kg`: rising
    /// linearly to its peak at the onset, then decaying exponentially.
    pub fn change_after(self, dose_ug: f64, weight_kg: f64, since_s: f64) -> f64 {
        if since_s < 0.0 {
            return 0.0;
        }
        let peak = self.peak_change(dose_ug / weight_kg.max(0.5));
        let onset = self.onset_s();
        let profile =
            if since_s < onset { since_s / onset } else { 0.5f64.powf((since_s - onset) / self.half_life_s()) };
        peak * profile
    }
}

impl Fluid {
    pub fn label(self) -> &'static str {
        match self {
            Fluid::Crystalloid => "crystalloid",
            Fluid::Albumin => "albumin 5 %",
            Fluid::PackedCells => "packed red cells",
        }
    }
}

/// A drug given during the run: what, how much, when (model time, s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dose {
    pub drug: Drug,
    pub dose_ug: f64,
    pub at_s: f64,
}

/// The vascular tone the doses given so far set at `now_s`: the factor on the systemic resistance, kept within a
/// quarter and four times (UNSOURCED bounds: beyond them the drugs' effects saturate).
pub fn tone(doses: &[Dose], weight_kg: f64, now_s: f64) -> f64 {
    let change: f64 = doses.iter().map(|d| d.drug.change_after(d.dose_ug, weight_kg, now_s - d.at_s)).sum();
    (1.0 + change).clamp(0.25, 4.0)
}

impl Intervention {
    /// The intervention in words.
    pub fn describe(&self) -> String {
        match self {
            Intervention::Straighten(tube) => format!("straightened tube {}", tube.0),
            Intervention::Reconnect(tube) => format!("reconnected tube {}", tube.0),
            Intervention::SealAirEntry(tube) => format!("sealed the air entry on tube {}", tube.0),
            Intervention::ReplacePart(part) => format!("changed out {part}"),
            Intervention::Recannulate(part) => format!("recannulated with a fresh {part}"),
            Intervention::Reposition(part) => format!("repositioned {part}"),
            Intervention::BackupGas(part) => format!("{part} on the back-up gas supply"),
            Intervention::SurgicalHaemostasis => "asked the surgeon to control the bleeding".to_owned(),
            Intervention::GiveDrug { drug, dose_ug } => format!("gave {} {dose_ug:.0} µg", drug.label()),
            Intervention::AddFluid { fluid, volume_ml } => format!("added {volume_ml:.0} mL of {}", fluid.label()),
        }
    }
}
