//! One implicit step of the network: backward Euler for the node volumes, Newton on the node pressures with the
//! branch laws linearised at each iterate, and a dense LU solve (networks are tens of nodes).

use super::law::Law;
use super::network::{ATMOSPHERE, Branch, Network, VALVE_CLOSED_RESISTANCE};

/// A step whose Newton iteration did not converge: reported with where it happened, never passed on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the network did not converge at step {step} (worst node {node}, residual {residual_m3_s:e} m³/s)")]
pub struct NoConvergence {
    pub step: u64,
    pub node: usize,
    pub residual_m3_s: f64,
}

/// Largest flow imbalance accepted at a node, m³/s (0.0006 mL/min): far below anything a monitor shows, so volume
/// is conserved to well under 0.1 % over an hour.
const TOLERANCE_M3_S: f64 = 1.0e-11;
const MAX_ITERATIONS: usize = 40;

/// Flow through a branch with law `law` for a pressure difference, and its derivative.
fn law_flow(law: &Law, one_way: bool, dp_pa: f64) -> (f64, f64) {
    if one_way && dp_pa + law.head_pa < 0.0 {
        let x = dp_pa + law.head_pa;
        return (x / VALVE_CLOSED_RESISTANCE, 1.0 / VALVE_CLOSED_RESISTANCE);
    }
    law.flow(dp_pa)
}

/// Pressure below zero at which a collapsing vein doubles the resistance of the cannula draining it, Pa.
/// UNSOURCED: the reference describes the collapse and the chatter it causes (§6.10 [BS-cannulation]) but gives no
/// number; 3 mmHg makes a line that drains too hard settle a few mmHg below zero rather than emptying the vein.
const CHOKE_PA: f64 = 3.0 * crate::units::PA_PER_MMHG;

/// The choke factor on a drainage branch at the drained node's pressure, and its derivative per Pa.
fn choke(pressure_pa: f64) -> (f64, f64) {
    if pressure_pa >= 0.0 {
        return (1.0, 0.0);
    }
    let ratio = pressure_pa / CHOKE_PA;
    (1.0 + ratio * ratio, 2.0 * ratio / CHOKE_PA)
}

/// Flow, d(flow)/d(ΔP) and d(flow)/d(pressure of the choking node) for one branch at these pressures, its viscous
/// resistance scaled by `viscosity`.
fn flow_with_choke(branch: &Branch, viscosity: f64, pressures_pa: &[f64]) -> (f64, f64, f64) {
    let law = if branch.viscous { Law { a: branch.law.a * viscosity, ..branch.law } } else { branch.law };
    let dp = pressures_pa[branch.from] - pressures_pa[branch.to];
    let (m, dm) = branch.chokes_on.map_or((1.0, 0.0), |node| choke(pressures_pa[node]));
    if dm == 0.0 {
        let (q, g) = law_flow(&law, branch.one_way, dp);
        return (q, g, 0.0);
    }
    // The losses scale by m: m·(aQ + bQ|Q|) = x. Then dQ/dm = −(x/m)·g/m with g = dQ/dx (implicit derivative).
    let scaled = Law { a: law.a * m, b: law.b * m, ..law };
    let (q, g) = law_flow(&scaled, branch.one_way, dp);
    let x = dp + law.head_pa;
    (q, g, -(x / m) * g / m * dm)
}

/// Scratch space reused from step to step.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    old: Vec<f64>,
    jacobian: Vec<f64>,
    residual: Vec<f64>,
    flows: Vec<f64>,
    slopes: Vec<f64>,
    /// d(flow)/d(pressure of the node that chokes the branch), per branch.
    choke_slopes: Vec<f64>,
    /// The pivot row's nonzero columns during elimination.
    nonzero: Vec<usize>,
}

/// Advances `pressures_pa` (indexed by node; the atmosphere stays 0) by `dt_s`, given the pressures at the start
/// of the step; leaves the branch flows in `flows_m3_s`. `viscosity` holds each branch's blood viscosity relative
/// to the reference (read only for viscous branches; a missing entry counts as 1).
pub fn step(
    network: &Network,
    viscosity: &[f64],
    dt_s: f64,
    step_index: u64,
    pressures_pa: &mut [f64],
    flows_m3_s: &mut Vec<f64>,
    work: &mut Workspace,
) -> Result<(), NoConvergence> {
    let n = network.nodes.len();
    work.old.clear();
    work.old.extend_from_slice(pressures_pa);
    work.jacobian.resize(n * n, 0.0);
    work.residual.resize(n, 0.0);
    work.flows.resize(network.branches.len(), 0.0);
    work.slopes.resize(network.branches.len(), 0.0);
    work.choke_slopes.resize(network.branches.len(), 0.0);
    let mut worst = (0usize, f64::INFINITY);
    for _ in 0..MAX_ITERATIONS {
        for (b, branch) in network.branches.iter().enumerate() {
            let (q, g, c) = flow_with_choke(branch, viscosity.get(b).copied().unwrap_or(1.0), pressures_pa);
            work.flows[b] = q;
            work.slopes[b] = g;
            work.choke_slopes[b] = c;
        }
        // The residual first: at a steady state it is already within tolerance and no matrix is needed.
        for (k, node) in network.nodes.iter().enumerate().skip(1) {
            work.residual[k] = (node.volume_m3(pressures_pa[k]) - node.volume_m3(work.old[k])) / dt_s;
        }
        for (b, branch) in network.branches.iter().enumerate() {
            let q = work.flows[b];
            if branch.from != ATMOSPHERE {
                work.residual[branch.from] += q;
            }
            if branch.to != ATMOSPHERE {
                work.residual[branch.to] -= q;
            }
        }
        worst = (1..n).map(|k| (k, work.residual[k].abs())).fold((0, 0.0), |w, r| if r.1 > w.1 { r } else { w });
        if worst.1 < TOLERANCE_M3_S {
            flows_m3_s.clear();
            flows_m3_s.extend_from_slice(&work.flows);
            return Ok(());
        }
        work.jacobian.iter_mut().for_each(|x| *x = 0.0);
        for (k, node) in network.nodes.iter().enumerate().skip(1) {
            work.jacobian[k * n + k] = node.compliance_at(pressures_pa[k]) / dt_s;
        }
        for (b, branch) in network.branches.iter().enumerate() {
            let g = work.slopes[b];
            let (u, v) = (branch.from, branch.to);
            if let Some(c) = branch.chokes_on.filter(|c| *c != ATMOSPHERE) {
                let extra = work.choke_slopes[b];
                if u != ATMOSPHERE {
                    work.jacobian[u * n + c] += extra;
                }
                if v != ATMOSPHERE {
                    work.jacobian[v * n + c] -= extra;
                }
            }
            if u != ATMOSPHERE {
                work.jacobian[u * n + u] += g;
                if v != ATMOSPHERE {
                    work.jacobian[u * n + v] -= g;
                }
            }
            if v != ATMOSPHERE {
                work.jacobian[v * n + v] += g;
                if u != ATMOSPHERE {
                    work.jacobian[v * n + u] -= g;
                }
            }
        }
        // Solve J δ = −r on the nodes other than the atmosphere (row and column 0 are left out).
        for k in 1..n {
            work.residual[k] = -work.residual[k];
        }
        if !lu_solve(&mut work.jacobian, &mut work.residual, n, &mut work.nonzero) {
            break;
        }
        for (pressure, delta) in pressures_pa.iter_mut().zip(&work.residual).skip(1) {
            *pressure += delta;
        }
    }
    Err(NoConvergence { step: step_index, node: worst.0, residual_m3_s: worst.1 })
}

/// Gaussian elimination with partial pivoting on rows/columns 1..n of a row-major n×n matrix; the solution
/// replaces `rhs`. Returns false for a singular matrix.
fn lu_solve(a: &mut [f64], rhs: &mut [f64], n: usize, nonzero: &mut Vec<usize>) -> bool {
    for col in 1..n {
        let Some(pivot) = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs())) else {
            return false;
        };
        if a[pivot * n + col].abs() < f64::MIN_POSITIVE || !a[pivot * n + col].is_finite() {
            return false;
        }
        if pivot != col {
            for k in 1..n {
                a.swap(pivot * n + k, col * n + k);
            }
            rhs.swap(pivot, col);
        }
        let diagonal = a[col * n + col];
        // A circuit's nodes each touch a few others: eliminate with the pivot row's nonzero entries only. Column
        // `col` below the diagonal is not updated, as nothing reads it again.
        nonzero.clear();
        nonzero.extend((col + 1..n).filter(|&k| a[col * n + k] != 0.0));
        for row in col + 1..n {
            let factor = a[row * n + col] / diagonal;
            if factor == 0.0 {
                continue;
            }
            for &k in nonzero.iter() {
                a[row * n + k] -= factor * a[col * n + k];
            }
            rhs[row] -= factor * rhs[col];
        }
    }
    for row in (1..n).rev() {
        let mut sum = rhs[row];
        for k in row + 1..n {
            sum -= a[row * n + k] * rhs[k];
        }
        rhs[row] = sum / a[row * n + row];
    }
    true
}
