//! SI ↔ clinical unit conversions and the physical constants they need.
//!
//! The physics works in SI (Pa, m³/s, m, kg); files, the CLI and the UI speak clinical units (mmHg, L/min, mL,
//! cm, °C). Every conversion lives here so no other module multiplies by a bare constant.
//! Source for every constant: ../shared/domain/perfusion-reference.md §0 ("Units and conversions"), PHYS.

/// Pascals in one millimetre of mercury (reference §0, PHYS).
pub const PA_PER_MMHG: f64 = 133.322;
/// Metres in one inch (reference §0, PHYS).
pub const M_PER_INCH: f64 = 0.0254;
/// Density of blood, kg/m³: a textbook value the reference treats as an assumption (§0, §6.10).
pub const BLOOD_DENSITY_KG_M3: f64 = 1050.0;
/// Standard gravity, m/s² (PHYS).
pub const GRAVITY_M_S2: f64 = 9.806_65;

pub fn mmhg_to_pa(pressure_mmhg: f64) -> f64 {
    pressure_mmhg * PA_PER_MMHG
}

pub fn pa_to_mmhg(pressure_pa: f64) -> f64 {
    pressure_pa / PA_PER_MMHG
}

pub fn l_min_to_m3_s(flow_l_min: f64) -> f64 {
    flow_l_min / 1000.0 / 60.0
}

pub fn m3_s_to_l_min(flow_m3_s: f64) -> f64 {
    flow_m3_s * 1000.0 * 60.0
}

pub fn ml_to_m3(volume_ml: f64) -> f64 {
    volume_ml * 1e-6
}

pub fn m3_to_ml(volume_m3: f64) -> f64 {
    volume_m3 * 1e6
}

pub fn inch_to_m(length_in: f64) -> f64 {
    length_in * M_PER_INCH
}

/// Outer diameter of a cannula from its French size: OD (mm) = Fr / 3 (reference §0, [French-scale]).
pub fn french_to_outer_diameter_mm(french: f64) -> f64 {
    french / 3.0
}

/// Hydrostatic pressure of a column of blood `height_cm` tall, in mmHg: ΔP = ρ·g·h (reference §6.10, PHYS).
/// 1 cm of blood ≈ 0.77 mmHg (reference §0).
pub fn blood_column_mmhg(height_cm: f64) -> f64 {
    pa_to_mmhg(BLOOD_DENSITY_KG_M3 * GRAVITY_M_S2 * height_cm / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cm_of_blood_is_about_0_77_mmhg() {
        // Reference §0: "1 cm column of blood (ρ ≈ 1050 kg/m³) ≈ 0.77 mmHg".
        // 1050 × 9.80665 × 0.01 = 102.97 Pa; / 133.322 = 0.7723 mmHg.
        assert!((blood_column_mmhg(1.0) - 0.7723).abs() < 1e-3);
        // Reference §6.10: 40–70 cm of blood ≈ 31–54 mmHg.
        assert!((blood_column_mmhg(40.0) - 30.9).abs() < 0.1);
        assert!((blood_column_mmhg(70.0) - 54.1).abs() < 0.1);
    }

    #[test]
    fn conversions_round_trip() {
        assert!((pa_to_mmhg(mmhg_to_pa(123.0)) - 123.0).abs() < 1e-12);
        assert!((m3_s_to_l_min(l_min_to_m3_s(4.8)) - 4.8).abs() < 1e-12);
        // 5 L/min = 5e-3 m³ / 60 s = 8.333e-5 m³/s.
        assert!((l_min_to_m3_s(5.0) - 8.333_333e-5).abs() < 1e-10);
        assert!((m3_to_ml(ml_to_m3(1500.0)) - 1500.0).abs() < 1e-9);
        assert!((inch_to_m(0.375) - 0.009_525).abs() < 1e-12);
        assert!((french_to_outer_diameter_mm(24.0) - 8.0).abs() < 1e-12);
    }
}
