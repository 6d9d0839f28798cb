//! The pressure–flow law of one branch of the network, in SI units, and its inverse.
//!
//! Every element the circuit lowers to (tube, cannula, oxygenator, filter, pump, clamp, the patient's vascular bed)
//! is written as ΔP_loss(Q) = a·Q + b·Q·|Q| against a driving pressure x = P_from − P_to + head, so a chain of
//! elements in series adds up to one law of the same form and the flow has a closed form: the network solve never
//! nests one Newton inside another. A roller pump is the same form with a very large `a` (its back-leak
//! resistance) and a head of Q_set·a, which gives Q = Q_set + ΔP/a: occlusive, almost independent of afterload
//! (reference §3.3, §7.1).

use crate::units::{l_min_to_m3_s, mmhg_to_pa};

/// Pa·s/m³ in one mmHg per (L/min).
pub fn pa_s_m3_per_mmhg_l_min() -> f64 {
    mmhg_to_pa(1.0) / l_min_to_m3_s(1.0)
}

/// Pa·s²/m⁶ in one mmHg per (L/min)².
pub fn pa_s2_m6_per_mmhg_l_min2() -> f64 {
    mmhg_to_pa(1.0) / (l_min_to_m3_s(1.0) * l_min_to_m3_s(1.0))
}

/// A branch law: loss a·Q + b·Q·|Q| (Pa), against a head (Pa) added to the pressure difference.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Law {
    /// Linear resistance, Pa·s/m³.
    pub a: f64,
    /// Quadratic resistance, Pa·s²/m⁶.
    pub b: f64,
    /// Pressure rise the branch itself provides (pumps, gravity), Pa.
    pub head_pa: f64,
}

impl Law {
    pub fn linear(a: f64) -> Self {
        Self { a, b: 0.0, head_pa: 0.0 }
    }

    /// The law of this branch followed by `other` in series: losses add, heads add.
    pub fn then(self, other: Law) -> Law {
        Law { a: self.a + other.a, b: self.b + other.b, head_pa: self.head_pa + other.head_pa }
    }

    /// Flow (m³/s) for a pressure difference P_from − P_to (Pa), and its derivative dQ/dΔP.
    pub fn flow(&self, dp_pa: f64) -> (f64, f64) {
        let x = dp_pa + self.head_pa;
        if self.b <= 0.0 {
            return (x / self.a, 1.0 / self.a);
        }
        // b·Q|Q| + a·Q = x  ⇒  |Q| = (−a + √(a² + 4b|x|)) / 2b, written to avoid cancellation when a² ≫ 4b|x|.
        let root = (self.a * self.a + 4.0 * self.b * x.abs()).sqrt();
        let magnitude = 2.0 * x.abs() / (self.a + root);
        let flow = magnitude.copysign(x);
        (flow, 1.0 / (self.a + 2.0 * self.b * magnitude))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_flow_is_pressure_over_resistance() {
        let law = Law::linear(2.0e8);
        let (q, dq) = law.flow(4.0e3);
        assert!((q - 2.0e-5).abs() < 1e-18);
        assert!((dq - 5.0e-9).abs() < 1e-21);
    }

    #[test]
    fn quadratic_flow_inverts_the_loss() {
        // a = 1e7, b = 1e12: at Q = 5e-5 m³/s the loss is 500 + 2500 = 3000 Pa.
        let law = Law { a: 1.0e7, b: 1.0e12, head_pa: 0.0 };
        let (q, _) = law.flow(3000.0);
        assert!((q - 5.0e-5).abs() < 1e-15, "{q}");
        let (back, _) = law.flow(-3000.0);
        assert!((back + 5.0e-5).abs() < 1e-15, "reverse flow is symmetric");
    }

    #[test]
    fn a_roller_gives_its_set_flow_almost_whatever_the_afterload() {
        // Back-leak resistance 1e12 Pa·s/m³; set flow 5 L/min = 8.333e-5 m³/s.
        let set = l_min_to_m3_s(5.0);
        let roller = Law { a: 1.0e12, b: 0.0, head_pa: set * 1.0e12 };
        // Against 300 mmHg (40 kPa) the flow falls by 40e3 / 1e12 = 4e-8 m³/s (0.0024 L/min).
        let (q, _) = roller.flow(-mmhg_to_pa(300.0));
        assert!((q - set).abs() < 5e-8 && q < set);
    }

    #[test]
    fn unit_factors() {
        // 1 mmHg / (1 L/min) = 133.322 Pa / 1.6667e-5 m³/s = 7.99932e6 Pa·s/m³.
        assert!((pa_s_m3_per_mmhg_l_min() - 7.99932e6).abs() < 10.0);
        assert!((pa_s2_m6_per_mmhg_l_min2() - 4.7996e11).abs() < 1e8);
    }
}
