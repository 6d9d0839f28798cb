//! Pressure–flow laws shared by the validator and the simulation.

use crate::units::{l_min_to_m3_s, pa_to_mmhg};

/// Viscosity of the blood surrogate the reference's tubing table uses, Pa·s: 3.1 mPa·s [Ganushchak-2019]
/// (reference §3.1, §7.2). Real blood varies with haematocrit and temperature (§7.2), but the reference gives only
/// the form of that law, not its coefficients, so both the validator and the simulation use this value.
pub const REFERENCE_VISCOSITY_PA_S: f64 = 3.1e-3;

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
    fn poiseuille_matches_the_reference_tubing_table() {
        // Reference §3.1: 3/16" 30.7, 1/4" 9.7, 3/8" 1.92, 1/2" 0.61 mmHg per (L/min) per metre at μ = 3.1 mPa·s.
        for (id_mm, table) in [(4.76, 30.7), (6.35, 9.7), (9.53, 1.92), (12.70, 0.61)] {
            let computed = poiseuille_mmhg_per_l_min_per_m(id_mm, REFERENCE_VISCOSITY_PA_S);
            assert!((computed - table).abs() / table < 0.02, "{id_mm} mm: {computed} vs {table}");
        }
    }
}
