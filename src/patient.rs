//! The patient and the numbers a perfusionist derives from them before bypass: body surface area, estimated
//! blood volume, target flow, haemodilution on bypass, blood to add to the prime, oxygen content and delivery.
//!
//! Pure functions of plain numbers; every formula cites ../shared/domain/perfusion-reference.md (§6).

use serde::{Deserialize, Serialize};

/// Age as a scenario writes it: `Days(6.0)`, `Months(4.0)` or `Years(65.0)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Age {
    Days(f64),
    Months(f64),
    Years(f64),
}

/// Days in a mean Gregorian year (PHYS); months are a twelfth of it.
const DAYS_PER_YEAR: f64 = 365.25;

impl Age {
    pub fn in_days(self) -> f64 {
        match self {
            Age::Days(days) => days,
            Age::Months(months) => months * DAYS_PER_YEAR / 12.0,
            Age::Years(years) => years * DAYS_PER_YEAR,
        }
    }

    pub fn in_years(self) -> f64 {
        self.in_days() / DAYS_PER_YEAR
    }
}

impl std::fmt::Display for Age {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Age::Days(d) => write!(f, "{d} days"),
            Age::Months(m) => write!(f, "{m} months"),
            Age::Years(y) => write!(f, "{y} years"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    Male,
    Female,
}

/// Body surface area formulas (reference §6.1, [BSA-globalrph] [BSA-harder]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum BsaFormula {
    /// Haycock under 18 years (validated from infants to adults and preferred for children [BSA-renal]),
    /// Mosteller from 18.
    #[default]
    Auto,
    Mosteller,
    DuBois,
    Haycock,
    GehanGeorge,
    Boyd,
}

/// How to estimate the blood volume (reference §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub enum BloodVolumeMethod {
    /// mL/kg by age band and sex (see `blood_volume_ml_per_kg`).
    #[default]
    AgeBand,
    /// mL/kg by the perfusion weight bands < 10 kg 85, 11–20 kg 80, 21–30 kg 75, 31–40 kg 70, > 40 kg 65 [BS-peds] (weak).
    WeightBand,
    /// An explicit mL/kg (for an individual estimate the instructor has).
    MlPerKg(f64),
}

/// A checked patient: every value is finite and in its documented range (see scenario/check.rs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub age: Age,
    pub sex: Sex,
    pub weight_kg: f64,
    pub height_cm: f64,
    /// Haematocrit, fraction.
    pub hct: f64,
    /// Haemoglobin, g/dL.
    pub hb_g_dl: f64,
    pub target_temp_c: f64,
    pub bsa_formula: BsaFormula,
    pub blood_volume: BloodVolumeMethod,
    pub pre_bypass_fluids_ml: f64,
}

/// Mean corpuscular haemoglobin concentration used to convert between Hb and Hct when the scenario gives only
/// one: Hct ≈ 3 × Hb (g/dL) / 100, i.e. MCHC ≈ 33.3 g/dL. UNSOURCED: the reference gives no conversion; this is
/// the usual clinical rule of thumb. Give both values in the scenario to avoid it.
pub const HB_G_DL_PER_HCT: f64 = 100.0 / 3.0;

impl Patient {
    /// The BSA formula in use (what `Auto` resolved to).
    pub fn bsa_formula_used(&self) -> BsaFormula {
        self.bsa_formula.resolved(self.age.in_years())
    }

    pub fn bsa_m2(&self) -> f64 {
        bsa_m2(self.bsa_formula, self.height_cm, self.weight_kg, self.age.in_years())
    }

    pub fn blood_volume_ml(&self) -> f64 {
        self.weight_kg * blood_volume_ml_per_kg(self.blood_volume, self.age, self.sex, self.weight_kg)
    }

    /// Target pump flow for a cardiac index, L/min (reference §6.3: flow = CI × BSA).
    pub fn target_flow_l_min(&self, cardiac_index_l_min_m2: f64) -> f64 {
        cardiac_index_l_min_m2 * self.bsa_m2()
    }
}

impl BsaFormula {
    /// The formula `Auto` stands for at this age; any other formula is itself.
    pub fn resolved(self, age_years: f64) -> BsaFormula {
        match self {
            BsaFormula::Auto if age_years < 18.0 => BsaFormula::Haycock,
            BsaFormula::Auto => BsaFormula::Mosteller,
            other => other,
        }
    }
}

/// Body surface area in m² (reference §6.1; H in cm, W in kg).
pub fn bsa_m2(formula: BsaFormula, height_cm: f64, weight_kg: f64, age_years: f64) -> f64 {
    let (h, w) = (height_cm, weight_kg);
    match formula.resolved(age_years) {
        // `resolved` never gives Auto; it shares Mosteller's arm only to keep the match total.
        BsaFormula::Auto | BsaFormula::Mosteller => (h * w / 3600.0).sqrt(),
        BsaFormula::DuBois => 0.007184 * h.powf(0.725) * w.powf(0.425),
        BsaFormula::Haycock => 0.024265 * h.powf(0.3964) * w.powf(0.5378),
        BsaFormula::GehanGeorge => 0.0235 * h.powf(0.42246) * w.powf(0.51456),
        BsaFormula::Boyd => {
            let w_g = w * 1000.0;
            0.0003207 * h.powf(0.3) * w_g.powf(0.7285 - 0.0188 * w_g.log10())
        }
    }
}

/// Estimated blood volume per kg (reference §6.2).
pub fn blood_volume_ml_per_kg(method: BloodVolumeMethod, age: Age, sex: Sex, weight_kg: f64) -> f64 {
    match method {
        BloodVolumeMethod::MlPerKg(ml_per_kg) => ml_per_kg,
        BloodVolumeMethod::WeightBand => match weight_kg {
            // [BS-peds] (weak): < 10 kg 85; 11–20 kg 80; 21–30 kg 75; 31–40 kg 70; > 40 kg 65. The source leaves
            // the gaps between bands (10–11 kg ...) open; each band here runs up to the next one's start.
            w if w < 11.0 => 85.0,
            w if w < 21.0 => 80.0,
            w if w < 31.0 => 75.0,
            w if w <= 40.0 => 70.0,
            _ => 65.0,
        },
        BloodVolumeMethod::AgeBand => {
            let days = age.in_days();
            let years = age.in_years();
            if days < 30.0 {
                // Term neonate 80–90 [Iowa-EBV], 85–90 [Nadler-mdapp]; measured 0–30 d 82–84 [Linderkamp].
                85.0
            } else if years < 1.0 {
                // Infant 70–80 [Iowa-EBV], 75–80 [Nadler-mdapp]; measured 1–12 mo 76.6–82.4 [Linderkamp].
                80.0
            } else if years < 12.0 {
                // Child 70–75 [Iowa-EBV] [Nadler-mdapp].
                75.0
            } else {
                // Adolescent male / female 70 / 65 [Nadler-mdapp]; adult 65–70 [Iowa-EBV], 70 "conventional"
                // and 75 M / 65 F by ideal weight [TBV-IBW]. The same 70 / 65 split is used for adults.
                match sex {
                    Sex::Male => 70.0,
                    Sex::Female => 65.0,
                }
            }
        }
    }
}

/// The volumes that dilute the patient's blood when bypass starts (reference §6.4, [Terumo-Hct]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dilution {
    pub blood_volume_ml: f64,
    pub pre_bypass_fluids_ml: f64,
    pub circuit_prime_ml: f64,
    pub cardioplegia_crystalloid_ml: f64,
}

impl Dilution {
    /// Total volume the patient's red cells are spread over once on bypass, mL.
    pub fn total_volume_ml(&self) -> f64 {
        self.blood_volume_ml + self.pre_bypass_fluids_ml + self.circuit_prime_ml + self.cardioplegia_crystalloid_ml
    }

    /// Predicted haematocrit on bypass with a clear (crystalloid) prime:
    /// Hct_CPB = Hct_pre × BV / (BV + fluids + prime + CP crystalloid) (reference §6.4, [Terumo-Hct]).
    pub fn hct_on_bypass(&self, hct_pre: f64) -> f64 {
        let total = self.total_volume_ml();
        if total <= 0.0 { hct_pre } else { hct_pre * self.blood_volume_ml / total }
    }

    /// Volume of blood (haematocrit `hct_added`) that must replace clear prime for the haematocrit on bypass to
    /// reach `hct_target`, mL; 0 when the clear prime already reaches it. Red-cell conservation (reference §6.4,
    /// PHYS): V = [Hct_target × V_total − Hct_pt × BV] / Hct_added, with the total volume unchanged because
    /// blood replaces crystalloid.
    pub fn blood_to_add_ml(&self, hct_pre: f64, hct_target: f64, hct_added: f64) -> f64 {
        if hct_added <= 0.0 {
            return 0.0;
        }
        let needed = (hct_target * self.total_volume_ml() - hct_pre * self.blood_volume_ml) / hct_added;
        needed.max(0.0)
    }
}

/// Arterial oxygen content, mL O2/dL: CaO2 = 1.34 × Hb × SaO2 + 0.0031 × PaO2 (reference §6.5, [UpToDate-O2]).
pub fn o2_content_ml_dl(hb_g_dl: f64, sat_fraction: f64, po2_mmhg: f64) -> f64 {
    1.34 * hb_g_dl * sat_fraction + 0.0031 * po2_mmhg
}

/// Oxygen delivery index, mL/min/m²: DO2i = 10 × flow index × CaO2 (reference §6.5, [Mukaida-DO2]).
pub fn do2i_ml_min_m2(flow_l_min: f64, bsa_m2: f64, cao2_ml_dl: f64) -> f64 {
    if bsa_m2 <= 0.0 { 0.0 } else { 10.0 * (flow_l_min / bsa_m2) * cao2_ml_dl }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!((actual - expected).abs() <= tolerance, "{actual} is not within {tolerance} of {expected}");
    }

    #[test]
    fn bsa_formulas_match_hand_calculation_for_an_adult() {
        // 175 cm, 80 kg.
        // Mosteller: √(175 × 80 / 3600) = √3.8889 = 1.9720.
        close(bsa_m2(BsaFormula::Mosteller, 175.0, 80.0, 65.0), 1.9720, 1e-4);
        // DuBois: 0.007184 × 175^0.725 × 80^0.425 = 0.007184 × 42.2866 × 6.4389 = 1.9561.
        close(bsa_m2(BsaFormula::DuBois, 175.0, 80.0, 65.0), 1.9561, 1e-3);
        // Haycock: 0.024265 × 175^0.3964 × 80^0.5378 = 0.024265 × 7.7471 × 10.5556 = 1.9843.
        close(bsa_m2(BsaFormula::Haycock, 175.0, 80.0, 65.0), 1.9843, 1e-3);
        // Gehan & George: 0.0235 × 175^0.42246 × 80^0.51456 = 0.0235 × 8.8633 × 9.5335 = 1.9857.
        close(bsa_m2(BsaFormula::GehanGeorge, 175.0, 80.0, 65.0), 1.9857, 1e-3);
        // Auto picks Mosteller for an adult.
        close(bsa_m2(BsaFormula::Auto, 175.0, 80.0, 65.0), 1.9720, 1e-4);
    }

    #[test]
    fn bsa_of_a_neonate_uses_haycock_and_matches_the_reference_average() {
        // 3.5 kg, 50 cm: Haycock 0.024265 × 50^0.3964 × 3.5^0.5378 = 0.024265 × 4.7149 × 1.9616 = 0.2244 m².
        close(bsa_m2(BsaFormula::Auto, 50.0, 3.5, 0.01), 0.2244, 1e-3);
        // The reference's average neonate is 0.25 m² [BSA-bionity]; the formula lands within 15 %.
        assert!((bsa_m2(BsaFormula::Auto, 50.0, 3.5, 0.01) - 0.25).abs() < 0.04);
        // Boyd with W in grams: 0.0003207 × 50^0.3 × 3500^(0.7285 − 0.0188 × log10 3500)
        // = 0.0003207 × 3.2336 × 3500^0.66187 = 0.0003207 × 3.2336 × 221.68 = 0.2299.
        close(bsa_m2(BsaFormula::Boyd, 50.0, 3.5, 0.01), 0.2299, 2e-3);
    }

    #[test]
    fn blood_volume_by_band() {
        // Term neonate, 3.5 kg: 85 mL/kg × 3.5 = 297.5 mL.
        let neonate = BloodVolumeMethod::AgeBand;
        close(3.5 * blood_volume_ml_per_kg(neonate, Age::Days(5.0), Sex::Male, 3.5), 297.5, 1e-9);
        // Child of 4 years: 75 mL/kg.
        close(blood_volume_ml_per_kg(neonate, Age::Years(4.0), Sex::Female, 15.0), 75.0, 1e-9);
        // Adult woman 65, man 70 mL/kg.
        close(blood_volume_ml_per_kg(neonate, Age::Years(60.0), Sex::Female, 55.0), 65.0, 1e-9);
        close(blood_volume_ml_per_kg(neonate, Age::Years(60.0), Sex::Male, 80.0), 70.0, 1e-9);
        // Weight bands: 15 kg → 80; 45 kg → 65.
        close(blood_volume_ml_per_kg(BloodVolumeMethod::WeightBand, Age::Years(4.0), Sex::Male, 15.0), 80.0, 1e-9);
        close(blood_volume_ml_per_kg(BloodVolumeMethod::WeightBand, Age::Years(14.0), Sex::Male, 45.0), 65.0, 1e-9);
        close(blood_volume_ml_per_kg(BloodVolumeMethod::MlPerKg(77.0), Age::Years(4.0), Sex::Male, 15.0), 77.0, 1e-9);
    }

    #[test]
    fn haemodilution_matches_the_reference_example() {
        // Reference §6.4 illustration: BV 4550 mL, Hct 40 %, prime 1500 mL → 4550 × 0.40 / 6050 = 0.3008.
        let dilution = Dilution {
            blood_volume_ml: 4550.0,
            pre_bypass_fluids_ml: 0.0,
            circuit_prime_ml: 1500.0,
            cardioplegia_crystalloid_ml: 0.0,
        };
        close(dilution.hct_on_bypass(0.40), 0.3008, 1e-4);
        // Already above a 0.25 target: no blood to add.
        close(dilution.blood_to_add_ml(0.40, 0.25, 0.60), 0.0, 1e-12);
    }

    #[test]
    fn neonate_needs_blood_in_the_prime() {
        // 3.5 kg neonate, BV 297.5 mL, Hct 0.45, prime 350 mL, 50 mL pre-bypass fluids.
        // Total = 297.5 + 50 + 350 = 697.5 mL; Hct_CPB = 0.45 × 297.5 / 697.5 = 0.1919.
        let dilution = Dilution {
            blood_volume_ml: 297.5,
            pre_bypass_fluids_ml: 50.0,
            circuit_prime_ml: 350.0,
            cardioplegia_crystalloid_ml: 0.0,
        };
        close(dilution.hct_on_bypass(0.45), 0.1919, 1e-4);
        // To reach 0.28 with blood of Hct 0.60: (0.28 × 697.5 − 0.45 × 297.5) / 0.60 = (195.3 − 133.875) / 0.60
        // = 102.375 mL.
        close(dilution.blood_to_add_ml(0.45, 0.28, 0.60), 102.375, 1e-6);
        // Check by mass balance: red cells 133.875 + 102.375 × 0.60 = 195.3 mL in 697.5 mL → 0.28.
        close((133.875 + 102.375 * 0.60) / 697.5, 0.28, 1e-12);
    }

    #[test]
    fn oxygen_content_and_delivery_match_the_reference_example() {
        // Reference §6.5 illustration: Hb 8, SaO2 100 %, PaO2 200 → 1.34 × 8 + 0.0031 × 200 = 10.72 + 0.62 = 11.34.
        // (The reference prints 11.48 with 1.36 × 8 + 0.003 × 200 = 10.88 + 0.60; we use 1.34 and 0.0031.)
        close(o2_content_ml_dl(8.0, 1.0, 200.0), 11.34, 1e-9);
        // CI 2.4 on BSA 2.0 → flow 4.8 L/min; DO2i = 10 × 2.4 × 11.34 = 272.16.
        close(do2i_ml_min_m2(4.8, 2.0, 11.34), 272.16, 1e-9);
        // Normal CaO2 ≈ 20 mL/dL [UpToDate-O2]: Hb 15, SaO2 0.98, PaO2 95 → 19.698 + 0.2945 = 19.99.
        close(o2_content_ml_dl(15.0, 0.98, 95.0), 19.99, 0.01);
    }

    #[test]
    fn target_flow_is_index_times_bsa() {
        let patient = Patient {
            age: Age::Years(65.0),
            sex: Sex::Male,
            weight_kg: 80.0,
            height_cm: 175.0,
            hct: 0.40,
            hb_g_dl: 13.3,
            target_temp_c: 32.0,
            bsa_formula: BsaFormula::Mosteller,
            blood_volume: BloodVolumeMethod::AgeBand,
            pre_bypass_fluids_ml: 0.0,
        };
        // 2.4 × 1.9720 = 4.7329 L/min.
        close(patient.target_flow_l_min(2.4), 4.7329, 1e-3);
        // 80 kg × 70 mL/kg = 5600 mL.
        close(patient.blood_volume_ml(), 5600.0, 1e-9);
    }
}
