//! Pressure–flow laws shared by the validator and the simulation.

use crate::units::{l_min_to_m3_s, pa_to_mmhg};

/// Viscosity of the blood surrogate the reference's tubing table uses, Pa·s: 3.1 mPa·s [Ganushchak-2019]
/// (reference §3.1, §7.2). The validator sizes lines with it; the simulation scales it by `viscosity_factor`.
pub const REFERENCE_VISCOSITY_PA_S: f64 = 3.1e-3;

/// The haematocrit and temperature the reference viscosity stands for: normal blood at body temperature.
/// UNSOURCED: [Ganushchak-2019] uses the surrogate to mimic blood without stating which.
const REFERENCE_HCT: f64 = 0.40;
const REFERENCE_TEMP_C: f64 = 37.0;
/// Relative rise of viscosity per °C of cooling: +50 % from 37 to 22 °C, the low end of the 50–300 % of
/// [Eckmann-2000] (reference §7.2); linear in temperature at a given Hct as in [Okahara-2020].
const RISE_PER_DEG_COOLING: f64 = 0.5 / 15.0;
/// Growth of viscosity with haematocrit, per unit Hct, in μ ∝ exp(k·Hct). Calibrated on [Viscosity-1992]
/// (reference §7.2): Hct 27 % at 25 °C flows like Hct 36.8 % at 37 °C, so exp(k·0.098) = 1 + 12 × RISE_PER_DEG,
/// k = ln(1.4) / 0.098 = 3.43. The exponential form is ours (the reference's linear-in-Hct form has no
/// coefficients and goes negative for clear prime); it gives 0.79 mPa·s for crystalloid at 37 °C, near water's.
const HCT_GROWTH: f64 = 3.43;

/// Blood viscosity relative to the reference, for a haematocrit (fraction) and temperature (°C). Temperatures
/// outside 10–40 °C are held at the nearer end, where the linear law stops being trustworthy [Virgilio-1964].
pub fn viscosity_factor(hct: f64, temp_c: f64) -> f64 {
    let cooling = REFERENCE_TEMP_C - temp_c.clamp(10.0, 40.0);
    (HCT_GROWTH * (hct.clamp(0.0, 0.8) - REFERENCE_HCT)).exp() * (1.0 + RISE_PER_DEG_COOLING * cooling)
}

/// Poiseuille resistance of laminar flow in a tube, Pa·s/m³: R = 8μL/(πr⁴) (reference §3.1, §7.1, PHYS).
pub fn poiseuille_pa_s_m3(inner_diameter_mm: f64, length_m: f64, viscosity_pa_s: f64) -> f64 {
    let radius_m = inner_diameter_mm / 2000.0;
    8.0 * viscosity_pa_s * length_m / (std::f64::consts::PI * radius_m.powi(4))
}

/// The same per metre in clinical units, mmHg per (L/min) per metre.
pub fn poiseuille_mmhg_per_l_min_per_m(inner_diameter_mm: f64, viscosity_pa_s: f64) -> f64 {
    pa_to_mmhg(poiseuille_pa_s_m3(inner_diameter_mm, 1.0, viscosity_pa_s) * l_min_to_m3_s(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viscosity_follows_the_reference_facts() {
        assert!((viscosity_factor(0.40, 37.0) - 1.0).abs() < 1e-12);
        // [Eckmann-2000] low end: cooling 37 → 22 °C raises viscosity by half at any Hct.
        let rise = viscosity_factor(0.30, 22.0) / viscosity_factor(0.30, 37.0);
        assert!((rise - 1.5).abs() < 1e-9, "{rise}");
        // [Viscosity-1992]: Hct 27 % at 25 °C ≈ Hct 36.8 % at 37 °C.
        let cold_diluted = viscosity_factor(0.27, 25.0);
        let warm_native = viscosity_factor(0.368, 37.0);
        assert!((cold_diluted / warm_native - 1.0).abs() < 0.01, "{cold_diluted} vs {warm_native}");
        // Clear prime at 37 °C: 3.1 × exp(−3.43 × 0.4) = 0.79 mPa·s.
        assert!((viscosity_factor(0.0, 37.0) * REFERENCE_VISCOSITY_PA_S - 0.79e-3).abs() < 0.01e-3);
    }

    #[test]
    fn poiseuille_matches_the_reference_tubing_table() {
        // Reference §3.1: 3/16" 30.7, 1/4" 9.7, 3/8" 1.92, 1/2" 0.61 mmHg per (L/min) per metre at μ = 3.1 mPa·s.
        for (id_mm, table) in [(4.76, 30.7), (6.35, 9.7), (9.53, 1.92), (12.70, 0.61)] {
            let computed = poiseuille_mmhg_per_l_min_per_m(id_mm, REFERENCE_VISCOSITY_PA_S);
            assert!((computed - table).abs() / table < 0.02, "{id_mm} mm: {computed} vs {table}");
        }
    }
}
