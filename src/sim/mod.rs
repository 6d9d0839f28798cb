//! The live simulation: the circuit and the patient as a lumped hydraulic network, advanced in fixed steps of
//! model time. Deterministic (no clock, no randomness): the same circuit, scenario and commands give the same
//! numbers, bit for bit.
//!
//! This is the hydraulic core: pressures, flows and volumes. Transport of saturation, temperature and air, gas
//! exchange, alarms and faults build on it. Depends on `circuit`, `scenario`, `catalog`, `units`.

mod law;
mod network;
mod solve;
mod trend;

pub use law::Law;
pub use network::{ATMOSPHERE, Branch, Network, Node, NodeKind, Origin, PATIENT_ARTERIAL, PATIENT_VENOUS};
pub use solve::NoConvergence;
pub use trend::{Column, TrendColumns};

use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::ids::{PartId, PortRef, TubeId};
use crate::scenario::Scenario;
use crate::units::{m3_s_to_l_min, m3_to_ml, mmhg_to_pa, pa_to_mmhg};

/// Model time advanced by one step, s.
pub const STEP_S: f64 = 0.01;

/// Everything that changes with time; with the network it determines the future. Saved and restored whole.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub time_s: f64,
    pub steps: u64,
    /// Gauge pressure at each node, Pa (the atmosphere's stays 0).
    pub pressures_pa: Vec<f64>,
    /// Flow through each branch during the last step, m³/s, positive from `from` to `to`.
    pub flows_m3_s: Vec<f64>,
    /// Blood that has left through open ports, m³.
    pub leaked_m3: f64,
}

pub struct Simulation {
    network: Network,
    state: State,
    work: solve::Workspace,
}

impl Simulation {
    /// Starts with the patient's compartments at the scenario's central venous pressure, the circuit's lines at
    /// zero and each reservoir at its minimum operating level (what priming leaves in it).
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let network = Network::build(scenario, circuit, catalog);
        let cvp_pa = mmhg_to_pa(scenario.physiology.cvp_mmhg);
        let pressures_pa = network
            .nodes
            .iter()
            .map(|node| match node.kind {
                NodeKind::PatientArterial | NodeKind::PatientVenous => cvp_pa,
                NodeKind::Reservoir { min_level_m3, .. } => min_level_m3 / node.compliance_m3_pa,
                NodeKind::Atmosphere | NodeKind::Junction => 0.0,
            })
            .collect();
        let flows_m3_s = vec![0.0; network.branches.len()];
        let state = State { time_s: 0.0, steps: 0, pressures_pa, flows_m3_s, leaked_m3: 0.0 };
        Self { network, state, work: solve::Workspace::default() }
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// Continues from a saved state (it must come from a simulation of the same network).
    pub fn restore(&mut self, state: State) {
        self.state = state;
    }

    /// Advances the model by one step.
    pub fn step(&mut self) -> Result<(), NoConvergence> {
        let state = &mut self.state;
        solve::step(
            &self.network,
            STEP_S,
            state.steps,
            &mut state.pressures_pa,
            &mut state.flows_m3_s,
            &mut self.work,
        )?;
        for (branch, flow) in self.network.branches.iter().zip(&state.flows_m3_s) {
            if branch.to == ATMOSPHERE {
                state.leaked_m3 += flow * STEP_S;
            } else if branch.from == ATMOSPHERE {
                state.leaked_m3 -= flow * STEP_S;
            }
        }
        state.steps += 1;
        state.time_s = state.steps as f64 * STEP_S;
        Ok(())
    }

    /// Pressure at a node, mmHg.
    pub fn node_pressure_mmhg(&self, node: usize) -> f64 {
        self.state.pressures_pa.get(node).map_or(0.0, |p| pa_to_mmhg(*p))
    }

    /// Pressure at a port (what a transducer on it reads), mmHg.
    pub fn port_pressure_mmhg(&self, port: &PortRef) -> Option<f64> {
        self.network.port_node.get(port).map(|node| self.node_pressure_mmhg(*node))
    }

    /// Flow through a tube, L/min, positive from its `from` end to its `to` end.
    pub fn tube_flow_l_min(&self, tube: TubeId) -> Option<f64> {
        self.flow_l_min(|origin| *origin == Origin::Tube(tube))
    }

    /// Flow through a part's internal branch (a pump, an oxygenator, a cannula), L/min.
    pub fn part_flow_l_min(&self, part: PartId) -> Option<f64> {
        self.flow_l_min(|origin| *origin == Origin::Part(part))
    }

    fn flow_l_min(&self, wanted: impl Fn(&Origin) -> bool) -> Option<f64> {
        let index = self.network.branches.iter().position(|b| wanted(&b.origin))?;
        self.state.flows_m3_s.get(index).map(|q| m3_s_to_l_min(*q))
    }

    /// Volume a node holds above zero pressure, mL (a reservoir's whole content).
    pub fn node_volume_ml(&self, node: usize) -> f64 {
        match (self.network.nodes.get(node), self.state.pressures_pa.get(node)) {
            (Some(n), Some(p)) if n.kind != NodeKind::Atmosphere => m3_to_ml(n.compliance_m3_pa * p),
            _ => 0.0,
        }
    }

    /// Blood held in every node plus what has leaked, mL: constant while the model runs (conservation).
    pub fn accounted_volume_ml(&self) -> f64 {
        (1..self.network.nodes.len()).map(|n| self.node_volume_ml(n)).sum::<f64>() + m3_to_ml(self.state.leaked_m3)
    }
}
