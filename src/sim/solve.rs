//! One implicit step of the network: backward Euler for the node volumes, Newton on the node pressures with the
//! branch laws linearised at each iterate, and a dense LU solve (networks are tens of nodes).

use super::law::Law;
use super::network::{ATMOSPHERE, Branch, CLAMP_RESISTANCE, Network, Origin};

/// A closed one-way valve, Pa·s/m³: as a clamp.
const VALVE_CLOSED_RESISTANCE: f64 = CLAMP_RESISTANCE;

/// A step whose Newton iteration did not converge: reported with where it happened, never passed on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the network did not converge at step {step} (worst node {node}, residual {residual_m3_s:e} m³/s)")]
pub struct NoConvergence {
    pub step: u64,
    pub node: usize,
    pub residual_m3_s: f64,
}

/// Largest flow imbalance accepted at a node, m³/s (0.002 mL/min): far below anything a monitor shows, so volume
/// is conserved to well under 0.1 % over an hour.
const TOLERANCE_M3_S: f64 = 3.0e-11;
const MAX_ITERATIONS: usize = 40;
/// Largest change of a node's pressure over the last step that is extrapolated, Pa (0.01 mmHg).
const DRIFT_LIMIT_PA: f64 = 1.33;
/// A chord step must cut the worst imbalance at least this much, or the factorisation is renewed.
const CHORD_CONTRACTION: f64 = 0.1;
/// Most halvings of one Newton step.
const MAX_HALVINGS: usize = 12;

/// Flow through a branch with law `law` for a pressure difference, and its derivative. A one-way branch driven
/// backwards is shut: a valve as firmly as a clamp (a finite resistance, as it has always been), an open
/// reservoir's top or vent (`sealed`) completely, so no blood leaks from a reservoir that is neither empty nor full.
fn law_flow(law: &Law, one_way: bool, sealed: bool, dp_pa: f64) -> (f64, f64) {
    let x = dp_pa + law.head_pa;
    if !one_way {
        return law.flow(dp_pa);
    }
    if sealed {
        return if x < 0.0 { (0.0, 0.0) } else { law.flow(dp_pa) };
    }
    if x < 0.0 { (x / VALVE_CLOSED_RESISTANCE, 1.0 / VALVE_CLOSED_RESISTANCE) } else { law.flow(dp_pa) }
}

/// Flow, d(flow)/d(ΔP) and d(flow)/d(pressure of the choking node) for one branch at these pressures, its viscous
/// resistance scaled by `viscosity`.
fn flow_with_choke(branch: &Branch, viscosity: f64, head_share: f64, pressures_pa: &[f64]) -> (f64, f64, f64) {
    let mut law = if branch.viscous { Law { a: branch.law.a * viscosity, ..branch.law } } else { branch.law };
    law.head_pa -= branch.pump_head_pa * (1.0 - head_share);
    let dp = pressures_pa[branch.from] - pressures_pa[branch.to];
    // A choke acts on what is drawn out of its node: blood pushed into a collapsed vessel opens it again.
    let x = dp + law.head_pa;
    let draws_out = |node: usize| (node == branch.from && x > 0.0) || (node == branch.to && x < 0.0);
    let sealed = matches!(
        branch.origin,
        Origin::AirInlet(_) | Origin::Overflow(_) | Origin::FieldAirInlet | Origin::FieldOverflow
    );
    let (m, dm) = branch
        .choke
        .filter(|choke| draws_out(choke.node))
        .map_or((1.0, 0.0), |choke| choke.factor(pressures_pa[choke.node]));
    if m <= 1.0 {
        let (q, g) = law_flow(&law, branch.one_way, sealed, dp);
        return (q, g, 0.0);
    }
    // The losses scale by m: m·L(Q) = x with L(Q) = aQ + bQ|Q|. Differentiating, L + m·L'·dQ/dm = 0, so
    // dQ/dm = −(x/m)·g with g = dQ/dx = 1/(m·L') (implicit derivative).
    let scaled = Law { a: law.a * m, b: law.b * m, ..law };
    let (q, g) = law_flow(&scaled, branch.one_way, sealed, dp);
    (q, g, -(x / m) * g * dm)
}

/// The last LU factorisation of the network's Jacobian, kept from step to step: a network whose laws have not
/// changed much is solved with it (a chord step, a forward and back substitution) instead of a new factorisation.
/// Part of the simulation's state, so a restored state continues bit for bit. Held sparse: a circuit's nodes each
/// touch a few others, so most of the factors' entries are zero and a substitution visits only the others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Factors {
    /// L's multipliers below the diagonal, column by column: (row, multiplier).
    lower: Sparse,
    /// U above the diagonal, row by row: (column, entry).
    upper: Sparse,
    /// The reciprocals of U's diagonal, by row (a multiplication is several times quicker than a division).
    inverse_diagonal: Vec<f64>,
    /// The row swapped into place at each column.
    pivots: Vec<usize>,
    /// Whether the factors are of a network of this many nodes.
    nodes: usize,
}

/// The nonzero entries of a matrix's columns (or rows), one run of (index, value) for each.
#[derive(Debug, Clone, Default, PartialEq)]
struct Sparse {
    /// Where each column's run starts in `entries`, with one more at the end.
    starts: Vec<usize>,
    entries: Vec<(usize, f64)>,
}

impl Sparse {
    fn run(&self, column: usize) -> &[(usize, f64)] {
        match (self.starts.get(column), self.starts.get(column + 1)) {
            (Some(&start), Some(&end)) => self.entries.get(start..end).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl Factors {
    /// Keeps the nonzero entries of a factorisation `lu_factor` left in the row-major n×n `lu`.
    fn keep(&mut self, lu: &[f64], n: usize) {
        let (lower, upper) = (&mut self.lower, &mut self.upper);
        for sparse in [&mut *lower, &mut *upper] {
            sparse.starts.clear();
            sparse.entries.clear();
        }
        self.inverse_diagonal.clear();
        for i in 0..n {
            lower.starts.push(lower.entries.len());
            upper.starts.push(upper.entries.len());
            self.inverse_diagonal.push(1.0 / lu[i * n + i]);
            if i == 0 {
                continue;
            }
            lower.entries.extend((i + 1..n).map(|row| (row, lu[row * n + i])).filter(|(_, v)| *v != 0.0));
            upper.entries.extend((i + 1..n).map(|k| (k, lu[i * n + k])).filter(|(_, v)| *v != 0.0));
        }
        lower.starts.push(lower.entries.len());
        upper.starts.push(upper.entries.len());
        self.nodes = n;
    }

    /// Solves with the kept factorisation; the solution replaces `rhs` (row and column 0 are left out).
    fn apply(&self, rhs: &mut [f64]) {
        let n = self.nodes;
        for col in 1..n {
            let pivot = self.pivots[col];
            if pivot != col {
                rhs.swap(pivot, col);
            }
            let value = rhs[col];
            if value != 0.0 {
                for &(row, multiplier) in self.lower.run(col) {
                    rhs[row] -= multiplier * value;
                }
            }
        }
        for row in (1..n).rev() {
            let mut sum = rhs[row];
            for &(k, entry) in self.upper.run(row) {
                sum -= entry * rhs[k];
            }
            rhs[row] = sum * self.inverse_diagonal[row];
        }
    }
}

/// Scratch space reused from step to step.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    old_volumes_m3: Vec<f64>,
    jacobian: Vec<f64>,
    residual: Vec<f64>,
    flows: Vec<f64>,
    slopes: Vec<f64>,
    /// d(flow)/d(pressure of the node that chokes the branch), per branch.
    choke_slopes: Vec<f64>,
    /// The pivot row's nonzero columns during elimination.
    nonzero: Vec<usize>,
    /// The Newton step and the pressures it starts from, for backtracking.
    delta: Vec<f64>,
    start: Vec<f64>,
}

/// Advances `pressures_pa` (indexed by node; the atmosphere stays 0) by `dt_s`, given the pressures at the start
/// of the step (and `previous_pa`, those of the step before, to start the iteration from), with `sinks_ml` (by node) leaving the fluid during the step (vented gas) and each pump's head at its
/// `head_shares` (an air-locked centrifugal head gives less); leaves the branch flows in `flows_m3_s`. `viscosity` holds each branch's blood viscosity relative
/// to the reference (read only for viscous branches; a missing entry counts as 1).
#[allow(clippy::too_many_arguments)]
pub fn step(
    network: &Network,
    viscosity: &[f64],
    head_shares: &[f64],
    sinks_ml: &[f64],
    dt_s: f64,
    step_index: u64,
    previous_pa: &[f64],
    pressures_pa: &mut [f64],
    flows_m3_s: &mut Vec<f64>,
    factors: &mut Factors,
    work: &mut Workspace,
) -> Result<(), NoConvergence> {
    let n = network.nodes.len();
    // What each node held at the start of the step, less what leaves it as gas during the step, m³.
    work.old_volumes_m3.clear();
    work.old_volumes_m3.extend(
        network
            .nodes
            .iter()
            .zip(pressures_pa.iter())
            .enumerate()
            .map(|(k, (node, p))| node.volume_m3(*p) - sinks_ml.get(k).copied().unwrap_or(0.0) * 1e-6),
    );
    work.jacobian.resize(n * n, 0.0);
    work.residual.resize(n, 0.0);
    work.flows.resize(network.branches.len(), 0.0);
    work.slopes.resize(network.branches.len(), 0.0);
    work.choke_slopes.resize(network.branches.len(), 0.0);
    // Start from the pressures extrapolated from the last two steps: a network drifting steadily (a reservoir
    // slowly filling, a patient slowly bleeding) then needs no Newton iteration at all, and one at rest starts where
    // it is.
    // Only a slow drift is extrapolated: a pressure still settling fast would be thrown past where it goes.
    if previous_pa.len() == n {
        for (pressure, previous) in pressures_pa.iter_mut().zip(previous_pa).skip(1) {
            if (*pressure - previous).abs() < DRIFT_LIMIT_PA {
                *pressure = 2.0 * *pressure - previous;
            }
        }
    }
    let mut worst = (0usize, f64::INFINITY);
    // The last evaluation, when it was made at the pressures as they stand (the backtracking's last try): the
    // next iteration starts from it instead of evaluating the same pressures again.
    let mut evaluated = None;
    for _ in 0..MAX_ITERATIONS {
        worst = match evaluated.take() {
            Some(last) => last,
            None => evaluate(network, viscosity, head_shares, dt_s, pressures_pa, work),
        };
        if worst.1 < TOLERANCE_M3_S {
            flows_m3_s.clear();
            flows_m3_s.extend_from_slice(&work.flows);
            return Ok(());
        }
        // A chord step with the factorisation kept from before when there is one; a step that does not halve the
        // imbalance drops it, and the next iteration factorises the Jacobian here.
        let chord = factors.nodes == n;
        if !chord {
            assemble_jacobian(network, dt_s, pressures_pa, work);
            if !lu_factor(&mut work.jacobian, n, &mut factors.pivots, &mut work.nonzero) {
                factors.nodes = 0;
                break;
            }
            factors.keep(&work.jacobian, n);
        }
        // Solve J δ = −r on the nodes other than the atmosphere (row and column 0 are left out).
        for k in 1..n {
            work.residual[k] = -work.residual[k];
        }
        factors.apply(&mut work.residual);
        // Backtracking: a choke's exponential can make the full Newton step overshoot; halve it until the worst
        // imbalance falls (steps near a steady state take the full step at the first try).
        work.delta.clear();
        work.delta.extend_from_slice(&work.residual);
        work.start.clear();
        work.start.extend_from_slice(pressures_pa);
        let mut share = 1.0;
        let halves = if chord { 1 } else { MAX_HALVINGS };
        for _ in 0..halves {
            for ((pressure, start), delta) in pressures_pa.iter_mut().zip(&work.start).zip(&work.delta).skip(1) {
                *pressure = start + share * delta;
            }
            let last = evaluate(network, viscosity, head_shares, dt_s, pressures_pa, work);
            let reached = last.1;
            if chord && reached > CHORD_CONTRACTION * worst.1 {
                // The kept factorisation no longer fits: back to where the step began, and factorise afresh.
                pressures_pa.copy_from_slice(&work.start);
                factors.nodes = 0;
                evaluated = None;
                break;
            }
            evaluated = Some(last);
            if reached < worst.1 {
                break;
            }
            share *= 0.5;
        }
    }
    Err(NoConvergence { step: step_index, node: worst.0, residual_m3_s: worst.1 })
}

/// Branch flows and slopes and the node residuals at `pressures_pa`; returns the node with the worst imbalance and
/// its size, m³/s.
#[allow(clippy::too_many_arguments)]
fn evaluate(
    network: &Network,
    viscosity: &[f64],
    head_shares: &[f64],
    dt_s: f64,
    pressures_pa: &[f64],
    work: &mut Workspace,
) -> (usize, f64) {
    for (b, branch) in network.branches.iter().enumerate() {
        let share = head_shares.get(b).copied().unwrap_or(1.0);
        let (q, g, c) = flow_with_choke(branch, viscosity.get(b).copied().unwrap_or(1.0), share, pressures_pa);
        work.flows[b] = q;
        work.slopes[b] = g;
        work.choke_slopes[b] = c;
    }
    let per_s = 1.0 / dt_s;
    for (k, node) in network.nodes.iter().enumerate().skip(1) {
        work.residual[k] = (node.volume_m3(pressures_pa[k]) - work.old_volumes_m3[k]) * per_s;
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
    let residual = &work.residual;
    (1..network.nodes.len()).map(|k| (k, residual[k].abs())).fold((0, 0.0), |w, r| if r.1 > w.1 { r } else { w })
}

/// The Jacobian of the residuals with respect to the node pressures, from the slopes `evaluate` left.
fn assemble_jacobian(network: &Network, dt_s: f64, pressures_pa: &[f64], work: &mut Workspace) {
    let n = network.nodes.len();
    work.jacobian.iter_mut().for_each(|x| *x = 0.0);
    for (k, node) in network.nodes.iter().enumerate().skip(1) {
        work.jacobian[k * n + k] = node.compliance_at(pressures_pa[k]) / dt_s;
    }
    for (b, branch) in network.branches.iter().enumerate() {
        let g = work.slopes[b];
        let (u, v) = (branch.from, branch.to);
        if let Some(c) = branch.choke.map(|c| c.node).filter(|c| *c != ATMOSPHERE) {
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
}

/// LU factorisation with partial pivoting of rows/columns 1..n of a row-major n×n matrix, in place (U on and above
/// the diagonal, L's multipliers below), with the row swapped in at each column. Returns false for a singular matrix.
fn lu_factor(a: &mut [f64], n: usize, pivots: &mut Vec<usize>, nonzero: &mut Vec<usize>) -> bool {
    pivots.clear();
    pivots.resize(n, 0);
    for col in 1..n {
        let Some(pivot) = (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs())) else {
            return false;
        };
        if a[pivot * n + col].abs() < f64::MIN_POSITIVE || !a[pivot * n + col].is_finite() {
            return false;
        }
        pivots[col] = pivot;
        if pivot != col {
            for k in 1..n {
                a.swap(pivot * n + k, col * n + k);
            }
        }
        let diagonal = a[col * n + col];
        // A circuit's nodes each touch a few others: eliminate with the pivot row's nonzero entries only.
        nonzero.clear();
        nonzero.extend((col + 1..n).filter(|&k| a[col * n + k] != 0.0));
        for row in col + 1..n {
            let factor = a[row * n + col] / diagonal;
            if factor == 0.0 {
                continue;
            }
            a[row * n + col] = factor;
            for &k in nonzero.iter() {
                a[row * n + k] -= factor * a[col * n + k];
            }
        }
    }
    true
}
