//! A run of the simulation in the app: paced to the wall clock at the chosen speed, sampled once a second of
//! model time for the monitor's trends, with the alarms the user has acknowledged. The pacing is the app's
//! business (the core never reads a clock); every number comes from the core.

use crate::catalog::{Catalog, PartKind};
use crate::circuit::{Circuit, Edit};
use crate::ids::{PartId, PortRef};
use crate::scenario::Scenario;
use crate::sim::{Alarm, STEP_S, Simulation, TrendColumns};
use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

/// Speeds the run offers, × real time.
pub const SPEEDS: [f32; 6] = [1.0, 2.0, 5.0, 10.0, 30.0, 60.0];
/// Trend rows kept: an hour of model time at one a second.
const KEPT_ROWS: usize = 3600;
/// The longest frame gap the run catches up on, s: after a stall (a dialog, a dragged window) the model does not
/// race to make up the lost time.
const MAX_FRAME_S: f32 = 0.1;
/// Wall-clock time a frame may spend stepping the model: beyond it the run falls behind and says so.
const STEP_BUDGET: Duration = Duration::from_millis(12);

pub struct Run {
    simulation: Simulation,
    columns: TrendColumns,
    rows: VecDeque<Vec<f64>>,
    pub paused: bool,
    pub speed: f32,
    /// Model time owed from the last frames, s (less than a step).
    owed_s: f64,
    /// The speed actually reached in the last frame, when the machine could not keep up with `speed`.
    pub behind: Option<f32>,
    acknowledged: BTreeSet<Alarm>,
    /// The model stopped: why (a solve that did not converge).
    pub failed: Option<String>,
}

impl Run {
    pub fn start(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Self {
        let simulation = Simulation::new(scenario, circuit, catalog);
        let columns = TrendColumns::new(&simulation, circuit, catalog);
        let mut run = Self {
            simulation,
            columns,
            rows: VecDeque::new(),
            paused: false,
            speed: 1.0,
            owed_s: 0.0,
            behind: None,
            acknowledged: BTreeSet::new(),
            failed: None,
        };
        run.sample();
        run
    }

    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    pub fn columns(&self) -> &TrendColumns {
        &self.columns
    }

    pub fn rows(&self) -> &VecDeque<Vec<f64>> {
        &self.rows
    }

    /// Advances the model for a frame of `frame_s` wall-clock seconds; returns the model time advanced, s.
    pub fn advance(&mut self, frame_s: f32) -> f64 {
        if self.paused || self.failed.is_some() {
            self.behind = None;
            return 0.0;
        }
        let frame_s = frame_s.clamp(0.0, MAX_FRAME_S);
        self.owed_s += f64::from(frame_s * self.speed);
        let wanted = (self.owed_s / STEP_S).floor() as u64;
        let started = Instant::now();
        let mut done = 0;
        while done < wanted {
            if let Err(error) = self.simulation.step() {
                self.failed = Some(error.to_string());
                break;
            }
            done += 1;
            let time = self.simulation.state().time_s;
            if (time - time.round()).abs() < STEP_S / 2.0 {
                self.sample();
            }
            if done % 25 == 0 && started.elapsed() > STEP_BUDGET {
                break;
            }
        }
        let advanced = done as f64 * STEP_S;
        if done < wanted {
            // Drop what could not be done rather than owe it: the run goes on at the speed reached, and says so.
            self.owed_s = 0.0;
            self.behind = Some(if frame_s > 0.0 { (advanced / f64::from(frame_s)) as f32 } else { 0.0 });
        } else {
            self.owed_s -= advanced;
            self.behind = None;
        }
        self.forget_cleared_acknowledgements();
        advanced
    }

    fn sample(&mut self) {
        if self.rows.len() == KEPT_ROWS {
            self.rows.pop_front();
        }
        self.rows.push_back(self.columns.sample(&self.simulation));
    }

    /// Takes a settings edit made while running (pump speed, gas, water, clamps, heights).
    pub fn take_edit(
        &mut self,
        edit: &Edit,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<(), crate::sim::StructureChanged> {
        self.simulation.take_edit(edit, scenario, circuit, catalog)
    }

    /// The alarms sounding, each with whether it has been acknowledged.
    pub fn alarms(&self) -> Vec<(Alarm, bool)> {
        self.simulation.alarms().into_iter().map(|a| (a, self.acknowledged.contains(&a))).collect()
    }

    pub fn acknowledge(&mut self, alarm: Alarm) {
        self.acknowledged.insert(alarm);
    }

    /// An alarm that stops and sounds again must be acknowledged again.
    fn forget_cleared_acknowledgements(&mut self) {
        let active = self.simulation.alarms();
        self.acknowledged.retain(|a| active.contains(a));
    }

    /// A reservoir's fill, 0..1, for its drawing.
    pub fn reservoir_fill(&self, circuit: &Circuit, catalog: &Catalog, part: PartId) -> Option<f32> {
        let Some(PartKind::Reservoir { capacity_ml, .. }) = circuit.kind_of(catalog, part) else { return None };
        let node = *self.simulation.network().port_node.get(&PortRef::new(part, "outlet"))?;
        Some((self.simulation.node_volume_ml(node) / capacity_ml.max(1.0)) as f32)
    }

    /// The figure shown over a part on the canvas: a transducer's pressure, a pump's flow, a reservoir's volume.
    pub fn reading_for(&self, circuit: &Circuit, catalog: &Catalog, part: PartId) -> Option<String> {
        match circuit.kind_of(catalog, part)? {
            PartKind::PressureTransducer => {
                let mmhg = self.simulation.port_pressure_mmhg(&PortRef::new(part, "line"))?;
                Some(format!("{:.0} mmHg", rounded(mmhg, 0)))
            }
            PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => {
                let flow = format!("{:.2} L/min", rounded(self.simulation.part_flow_l_min(part)?, 2));
                if self.simulation.state().servo_stopped.contains(&part) {
                    Some(format!("{flow}, stopped by sensor"))
                } else {
                    Some(flow)
                }
            }
            PartKind::Reservoir { .. } => {
                let node = *self.simulation.network().port_node.get(&PortRef::new(part, "outlet"))?;
                Some(format!("{:.0} mL", self.simulation.node_volume_ml(node)))
            }
            _ => None,
        }
    }
}

/// `value` rounded to `decimals`, without the "-0.00" a tiny negative leak would print.
pub fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    // Adding +0.0 turns a negative zero into a positive one.
    (value * scale).round() / scale + 0.0
}
