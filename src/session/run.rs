//! A pump run inside a session: the simulation, the monitor's trend (a row every second of model time, the last
//! hour kept), the attempt's trend (a row every 10 s), the alarms sounding and those acknowledged, the faults
//! already logged. Pacing to a wall clock is the front end's business.

use super::Refusal;
use crate::attempt::{Attempt, TrendRow};
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit};
use crate::scenario::Scenario;
use crate::sim::{Alarm, NoConvergence, SafetyStop, Simulation, TransientAlarms, TrendColumns};
use std::collections::{BTreeSet, VecDeque};

/// Steps between two rows of the monitor's trend: one second of model time.
const MONITOR_EVERY_STEPS: u64 = 100;
/// Steps between two rows of the attempt's trend: 10 s of model time, enough to score and chart an hour in a file
/// of modest size.
const TREND_EVERY_STEPS: u64 = 1000;
/// Steps between two checkpoints: 60 s of model time, so any moment is at most 6,000 steps (about 8 ms) away.
pub const CHECKPOINT_EVERY_STEPS: u64 = 6000;
/// Steps between two looks at the alarms and faults: a tenth of a second of model time, so alarms are logged
/// within 0.1 s at a small share of the step's cost.
const OBSERVE_EVERY_STEPS: u64 = 10;
/// Monitor rows kept: an hour of model time at one a second.
const KEPT_ROWS: usize = 3600;

#[derive(Debug, Clone)]
pub struct Run {
    simulation: Simulation,
    columns: TrendColumns,
    rows: VecDeque<Vec<f64>>,
    pub paused: bool,
    /// × real time, for a front end that paces the run.
    pub speed: f64,
    acknowledged: BTreeSet<Alarm>,
    /// The alarms sounding when the session last looked.
    sounding: Vec<Alarm>,
    /// Faults already logged.
    faults_logged: usize,
    /// Safety stops already logged: (pump, model time of the stop).
    stops_logged: Vec<(crate::ids::PartId, f64)>,
    /// Alarms that sounded at a look since the last trend row: the row shows them even if they have stopped.
    sounded_since_row: Vec<Alarm>,
    /// Line-pressure and air alarms that sounded at any step since the last look.
    transient_since_look: TransientAlarms,
    /// The model stopped: why (a solve that did not converge).
    failed: Option<NoConvergence>,
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
            acknowledged: BTreeSet::new(),
            sounding: Vec::new(),
            faults_logged: 0,
            stops_logged: Vec::new(),
            sounded_since_row: Vec::new(),
            transient_since_look: TransientAlarms::default(),
            failed: None,
        };
        run.rows.push_back(run.columns.sample(&run.simulation));
        run
    }

    pub fn simulation(&self) -> &Simulation {
        &self.simulation
    }

    pub fn columns(&self) -> &TrendColumns {
        &self.columns
    }

    /// The monitor's trend: a row a second, the last hour.
    pub fn rows(&self) -> &VecDeque<Vec<f64>> {
        &self.rows
    }

    pub fn model_s(&self) -> f64 {
        self.simulation.state().time_s
    }

    /// Why the model stopped, if it did.
    pub fn failed(&self) -> Option<&NoConvergence> {
        self.failed.as_ref()
    }

    /// The alarms sounding, each with whether it has been acknowledged.
    pub fn alarms(&self) -> Vec<(Alarm, bool)> {
        self.sounding.iter().map(|a| (*a, self.acknowledged.contains(a))).collect()
    }

    pub(super) fn sounding(&self) -> &[Alarm] {
        &self.sounding
    }

    pub(super) fn acknowledge(&mut self, alarm: Alarm) -> Result<(), Refusal> {
        if !self.sounding.contains(&alarm) {
            return Err(Refusal::NotSounding(alarm));
        }
        if !self.acknowledged.insert(alarm) {
            return Err(Refusal::AlreadyAcknowledged(alarm));
        }
        // A safety stop's alarm is latched until acknowledged: acknowledging it ends it (the pump stays stopped).
        if let Alarm::SafetyStop(pump) = alarm {
            self.simulation.unlatch(pump);
        }
        Ok(())
    }

    /// The attempt's trend row now: every column, and the alarms sounding now or at any look since the last row.
    pub(super) fn trend_row(&mut self) -> TrendRow {
        let mut alarms = std::mem::take(&mut self.sounded_since_row);
        alarms.extend(self.simulation.alarms_after(&self.sounding));
        alarms.sort();
        alarms.dedup();
        TrendRow { values: self.columns.sample(&self.simulation), alarms }
    }

    /// The simulation as it would be with `edit` (already applied to `circuit`) taken: checked before anything
    /// is committed.
    pub(super) fn with_edit(
        &self,
        edit: &Edit,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> Result<Simulation, Refusal> {
        if let Some(error) = &self.failed {
            return Err(Refusal::ModelStopped(error.clone()));
        }
        let mut simulation = self.simulation.clone();
        simulation.take_edit(edit, scenario, circuit, catalog)?;
        Ok(simulation)
    }

    pub(super) fn replace_simulation(&mut self, simulation: Simulation) {
        self.simulation = simulation;
    }

    /// One step of the model, sampling the trends when their time comes; returns what else is due.
    pub(super) fn step(&mut self, attempt: &mut Attempt) -> Result<Due, NoConvergence> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if let Err(error) = self.simulation.step() {
            self.failed = Some(error.clone());
            return Err(error);
        }
        // Alarm conditions a swing can cross between two looks are checked at every step.
        self.transient_since_look = self.transient_since_look.or(self.simulation.transient_alarms());
        let steps = self.simulation.state().steps;
        if steps.is_multiple_of(MONITOR_EVERY_STEPS) {
            if self.rows.len() == KEPT_ROWS {
                self.rows.pop_front();
            }
            self.rows.push_back(self.columns.sample(&self.simulation));
        }
        if steps.is_multiple_of(TREND_EVERY_STEPS)
            && let Some(trend) = attempt.trends.last_mut()
        {
            let row = self.trend_row();
            trend.rows.push(row);
        }
        Ok(Due {
            checkpoint: steps.is_multiple_of(CHECKPOINT_EVERY_STEPS),
            observe: steps.is_multiple_of(OBSERVE_EVERY_STEPS),
        })
    }

    /// What changed since the last look: alarms raised, alarms cleared, faults fired, pumps stopped by a safety
    /// link. An alarm that clears loses its acknowledgement, so it sounds again if it returns.
    pub(super) fn observe(&mut self) -> Observed {
        let mut now = self.simulation.alarms_after(&self.sounding);
        now.extend(std::mem::take(&mut self.transient_since_look).alarms());
        now.sort();
        now.dedup();
        for alarm in &now {
            if !self.sounded_since_row.contains(alarm) {
                self.sounded_since_row.push(*alarm);
            }
        }
        let raised: Vec<Alarm> = now.iter().filter(|a| !self.sounding.contains(a)).copied().collect();
        let cleared: Vec<Alarm> = self.sounding.iter().filter(|a| !now.contains(a)).copied().collect();
        self.acknowledged.retain(|a| now.contains(a));
        self.sounding = now;
        let fired: Vec<crate::sim::Fired> =
            self.simulation.faults_fired().iter().skip(self.faults_logged).cloned().collect();
        self.faults_logged += fired.len();
        let stops: Vec<SafetyStop> = self
            .simulation
            .state()
            .safety_stops
            .iter()
            .filter(|s| !self.stops_logged.contains(&(s.pump, s.at_s)))
            .copied()
            .collect();
        self.stops_logged.extend(stops.iter().map(|s| (s.pump, s.at_s)));
        Observed { raised, cleared, fired, stops }
    }
}

/// What the model did since the session last looked.
pub(super) struct Observed {
    pub raised: Vec<Alarm>,
    pub cleared: Vec<Alarm>,
    pub fired: Vec<crate::sim::Fired>,
    pub stops: Vec<SafetyStop>,
}

/// What falls due after a step.
pub(super) struct Due {
    pub checkpoint: bool,
    pub observe: bool,
}
