//! What blood carries along the circuit: haemoglobin, oxygen (saturation and dissolved), carbon dioxide,
//! temperature and air.
//! Crystalloid prime is "blood" with no haemoglobin, so haemodilution emerges from mixing.

/// Oxygen bound per gram of haemoglobin, mL O2/g (reference §6.5, [UpToDate-O2]).
pub const O2_PER_G_HB_ML: f64 = 1.34;
/// Dissolved oxygen per mmHg of PO2, mL O2/dL (reference §6.5, [UpToDate-O2]).
pub const DISSOLVED_O2_ML_DL_PER_MMHG: f64 = 0.0031;

/// Slope of the whole-blood CO2 dissociation curve over the clinical range, mL CO2/dL per mmHg. UNSOURCED: the
/// reference gives no CO2 content curve; 0.5 is the textbook slope between arterial (40 mmHg) and mixed venous
/// (46 mmHg) blood (about 48 → 51 mL/dL).
pub const CO2_ML_DL_PER_MMHG: f64 = 0.5;

/// One parcel's contents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blood {
    pub hb_g_dl: f64,
    /// Haemoglobin oxygen saturation, fraction.
    pub sat: f64,
    /// Oxygen tension, mmHg.
    pub po2_mmhg: f64,
    /// Carbon dioxide tension, mmHg. Mixed by volume: over the clinical range CO2 content is close to linear in
    /// PCO2 (see `CO2_ML_DL_PER_MMHG`).
    pub pco2_mmhg: f64,
    pub temp_c: f64,
    /// Share of the parcel's volume that is air, fraction.
    pub air: f64,
}

impl Blood {
    /// Room air drawn in through an opening: all gas, no haemoglobin.
    pub fn air(temp_c: f64) -> Self {
        Self { air: 1.0, ..Self::prime(temp_c) }
    }

    /// Clear crystalloid prime at `temp_c`: no haemoglobin, equilibrated with room air.
    pub fn prime(temp_c: f64) -> Self {
        // PO2 of fluid equilibrated with air at sea level, 0.21 × (760 − 47) = 150 mmHg (PHYS, alveolar gas
        // equation without CO2); air holds almost no CO2 (0.04 % × 713 = 0.3 mmHg, PHYS).
        Self { hb_g_dl: 0.0, sat: 0.0, po2_mmhg: 150.0, pco2_mmhg: 0.3, temp_c, air: 0.0 }
    }

    /// Oxygen content, mL O2/dL: 1.34 × Hb × SaO2 + 0.0031 × PO2 (reference §6.5).
    pub fn o2_content_ml_dl(&self) -> f64 {
        O2_PER_G_HB_ML * self.hb_g_dl * self.sat + DISSOLVED_O2_ML_DL_PER_MMHG * self.po2_mmhg
    }

    /// The volume-weighted mix of two parcels.
    pub fn mix(self, self_ml: f64, other: Blood, other_ml: f64) -> Blood {
        let total = self_ml + other_ml;
        if total <= 0.0 {
            return self;
        }
        let (a, b) = (self_ml / total, other_ml / total);
        let hb = a * self.hb_g_dl + b * other.hb_g_dl;
        // Saturation mixes by bound oxygen, not by volume: weight it by each parcel's haemoglobin.
        let bound = a * self.hb_g_dl * self.sat + b * other.hb_g_dl * other.sat;
        // Shares of parcels within [0, 1] mix to a share within it; the clamps only take off rounding.
        Blood {
            hb_g_dl: hb,
            sat: (if hb > 0.0 { bound / hb } else { a * self.sat + b * other.sat }).clamp(0.0, 1.0),
            po2_mmhg: a * self.po2_mmhg + b * other.po2_mmhg,
            pco2_mmhg: a * self.pco2_mmhg + b * other.pco2_mmhg,
            temp_c: a * self.temp_c + b * other.temp_c,
            air: (a * self.air + b * other.air).clamp(0.0, 1.0),
        }
    }

    /// This parcel after `o2_ml_per_dl` of oxygen is added (negative: removed), bound first to haemoglobin.
    pub fn with_o2_added(self, o2_ml_per_dl: f64) -> Blood {
        self.with_o2_content(self.o2_content_ml_dl() + o2_ml_per_dl)
    }

    /// This parcel holding `content_ml_dl` of oxygen; its own PO2 is where the search starts.
    pub fn with_o2_content(self, content_ml_dl: f64) -> Blood {
        let content = content_ml_dl.max(0.0);
        let capacity = O2_PER_G_HB_ML * self.hb_g_dl;
        if capacity <= 0.0 {
            return Blood { po2_mmhg: content / DISSOLVED_O2_ML_DL_PER_MMHG, ..self };
        }

        // The PO2 whose bound plus dissolved oxygen equals the content: the content rises monotonically with PO2,
        // so Newton from the parcel's own PO2 converges in a few steps; bisection catches the rare overshoot.
        let po2 = solve_po2(content, capacity, self.po2_mmhg);
        Blood { sat: saturation(po2), po2_mmhg: po2, ..self }
    }

    /// This parcel after `co2_ml_per_dl` of carbon dioxide is added (negative: removed).
    pub fn with_co2_added(self, co2_ml_per_dl: f64) -> Blood {
        Blood { pco2_mmhg: (self.pco2_mmhg + co2_ml_per_dl / CO2_ML_DL_PER_MMHG).max(0.0), ..self }
    }
}

/// The PO2 at which `capacity × S(PO2) + 0.0031 × PO2` equals `content` (mL/dL), starting from `guess`:
/// Newton steps kept inside a shrinking bracket, bisecting whenever a step would leave it (safeguarded Newton), so
/// a flat stretch of the curve cannot throw it off.
fn solve_po2(content: f64, capacity: f64, guess: f64) -> f64 {
    let content_at = |p: f64| capacity * saturation(p) + DISSOLVED_O2_ML_DL_PER_MMHG * p;
    let (mut low, mut high) = (0.0, (content / DISSOLVED_O2_ML_DL_PER_MMHG).max(1.0));
    let mut p = guess.clamp(low, high);
    for _ in 0..50 {
        let error = content_at(p) - content;
        // 1e-7 mL/dL: a thousand times finer than any figure the monitor shows.
        if error.abs() < 1e-7 {
            break;
        }
        if error < 0.0 {
            low = p
        } else {
            high = p
        }
        let slope = capacity * saturation_slope(p) + DISSOLVED_O2_ML_DL_PER_MMHG;
        let newton = p - error / slope;
        p = if newton > low && newton < high { newton } else { 0.5 * (low + high) };
    }
    p
}

/// dS/dPO2 of the Severinghaus fit, per mmHg.
fn saturation_slope(po2_mmhg: f64) -> f64 {
    let p = po2_mmhg.max(1e-9);
    let cubic = p * p * p + 150.0 * p;
    let ratio = 23400.0 / cubic;
    ratio / cubic * (3.0 * p * p + 150.0) / ((ratio + 1.0) * (ratio + 1.0))
}

/// The PO2 at which haemoglobin is `sat` saturated (the inverse of `saturation`), mmHg.
pub fn po2_for_saturation(sat: f64) -> f64 {
    // With a capacity of 1 and no dissolved term this is the same solve.
    let sat = sat.clamp(0.0, 0.999_999);
    let mut p: f64 = 40.0;
    for _ in 0..30 {
        let error = saturation(p) - sat;
        if error.abs() < 1e-12 {
            break;
        }
        p = (p - error / saturation_slope(p)).clamp(1e-6, 5000.0);
    }
    p
}

/// Haemoglobin saturation at a PO2 (mmHg): Severinghaus' fit of the oxygen dissociation curve (J Appl Physiol
/// 1979;46:599; not in the reference, which gives no dissociation curve), S = 1 / (23400 / (P³ + 150 P) + 1).
pub fn saturation(po2_mmhg: f64) -> f64 {
    let p = po2_mmhg.max(0.0);
    let cubic = p * p * p + 150.0 * p;
    if cubic <= 0.0 { 0.0 } else { 1.0 / (23400.0 / cubic + 1.0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dissociation_curve_points() {
        // Severinghaus: P50 ≈ 26.8 mmHg; 40 mmHg ≈ 75 %; 100 mmHg ≈ 97.7 %.
        assert!((saturation(26.86) - 0.5).abs() < 0.01);
        assert!((saturation(40.0) - 0.75).abs() < 0.01);
        assert!((saturation(100.0) - 0.977).abs() < 0.002);
    }

    #[test]
    fn the_inverse_curve_round_trips() {
        for sat in [0.3, 0.5, 0.75, 0.9, 0.98, 0.999] {
            assert!((saturation(po2_for_saturation(sat)) - sat).abs() < 1e-9, "{sat}");
        }
    }

    #[test]
    fn content_matches_the_reference_formula() {
        // Hb 8, SaO2 100 %, PaO2 200: 1.34 × 8 + 0.0031 × 200 = 11.34 mL/dL (reference §6.5, constants 1.34/0.0031).
        let blood = Blood { hb_g_dl: 8.0, sat: 1.0, po2_mmhg: 200.0, pco2_mmhg: 40.0, temp_c: 37.0, air: 0.0 };
        assert!((blood.o2_content_ml_dl() - 11.34).abs() < 1e-9);
    }

    #[test]
    fn removing_oxygen_lowers_saturation_consistently() {
        let arterial =
            Blood { hb_g_dl: 10.0, sat: saturation(200.0), po2_mmhg: 200.0, pco2_mmhg: 40.0, temp_c: 37.0, air: 0.0 };
        let venous = arterial.with_o2_added(-4.0);
        assert!((arterial.o2_content_ml_dl() - venous.o2_content_ml_dl() - 4.0).abs() < 1e-6);
        assert!(venous.sat < arterial.sat && venous.po2_mmhg < 60.0);
    }

    #[test]
    fn mixing_blood_with_prime_dilutes_haemoglobin_by_volume() {
        // 1000 mL of Hb 12 with 500 mL of clear prime: 12 × 1000 / 1500 = 8 g/dL.
        let blood = Blood { hb_g_dl: 12.0, sat: 0.75, po2_mmhg: 40.0, pco2_mmhg: 46.0, temp_c: 37.0, air: 0.0 };
        let mixed = blood.mix(1000.0, Blood::prime(20.0), 500.0);
        assert!((mixed.hb_g_dl - 8.0).abs() < 1e-12);
        assert!((mixed.sat - 0.75).abs() < 1e-12, "prime carries no bound oxygen");
        // (37 × 1000 + 20 × 500) / 1500 = 31.333 °C.
        assert!((mixed.temp_c - 94.0 / 3.0).abs() < 1e-12);
    }
}
