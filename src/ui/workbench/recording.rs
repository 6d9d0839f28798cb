//! The attempt being recorded while the trainee works: every edit that took effect, each validation, the run, its
//! alarms and their acknowledgements, and the monitor sampled every 10 s of model time. The app supplies the clock
//! (seconds since the attempt began); the attempt itself is core data, saved on demand and autosaved.

use super::run::Run;
use crate::attempt::{Attempt, CircuitCopy, Event, FindingRecord, ScenarioCopy, TrendRow, score};
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit};
use crate::rules::Severity;
use crate::scenario::Scenario;
use crate::sim::Alarm;
use crate::validate::Finding;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Model time between two trend samples kept in the attempt, s.
const SAMPLE_EVERY_S: f64 = 10.0;
/// Work is autosaved at least this often.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(30);

pub struct Recording {
    pub attempt: Attempt,
    /// When the attempt (or its resumption) began, shifted so that `now_s` continues the log.
    clock: Instant,
    sounding: Vec<Alarm>,
    /// Faults of the run already logged.
    faults_logged: usize,
    next_sample_s: f64,
    /// Where Save writes; `None` until the first Save As.
    pub path: Option<PathBuf>,
    /// Something was recorded since the last explicit save.
    pub unsaved: bool,
    /// Something was recorded since the last autosave.
    autosave_pending: bool,
    last_autosave: Instant,
}

impl Recording {
    pub fn new(trainee: &str, scenario: &Scenario) -> Self {
        let started = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
        let copy = ScenarioCopy::new(scenario.id.clone(), scenario.source_text.clone());
        Self::resume(Attempt::new(trainee, started, copy), None)
    }

    /// Goes on with an attempt read from a file: its log continues from where it ended.
    pub fn resume(attempt: Attempt, path: Option<PathBuf>) -> Self {
        let elapsed = Duration::from_secs_f64(attempt.duration_s().max(0.0));
        let now = Instant::now();
        Self {
            attempt,
            clock: now.checked_sub(elapsed).unwrap_or(now),
            sounding: Vec::new(),
            faults_logged: 0,
            next_sample_s: 0.0,
            path,
            unsaved: false,
            autosave_pending: false,
            last_autosave: now,
        }
    }

    fn now_s(&self) -> f64 {
        self.clock.elapsed().as_secs_f64()
    }

    fn record(&mut self, model_s: Option<f64>, event: Event) {
        let at_s = self.now_s().max(self.attempt.duration_s());
        self.attempt.record(at_s, model_s, event);
        self.unsaved = true;
        self.autosave_pending = true;
    }

    pub fn edit(&mut self, edit: &Edit, run: Option<&Run>) {
        self.record(run.map(model_time), Event::Edit(edit.clone()));
    }

    pub fn validated(&mut self, findings: &[Finding]) {
        let count = |severity| u32::try_from(findings.iter().filter(|f| f.severity == severity).count()).unwrap_or(0);
        let event = Event::Validated {
            critical: count(Severity::Critical),
            warning: count(Severity::Warning),
            advice: count(Severity::Advice),
        };
        self.record(None, event);
    }

    pub fn run_started(&mut self) {
        self.sounding.clear();
        self.faults_logged = 0;
        self.next_sample_s = 0.0;
        self.record(Some(0.0), Event::RunStarted);
    }

    pub fn run_stopped(&mut self, run: &Run) {
        for alarm in std::mem::take(&mut self.sounding) {
            self.record(Some(model_time(run)), Event::AlarmCleared { alarm: alarm.label().to_owned() });
        }
        self.record(Some(model_time(run)), Event::RunStopped);
    }

    /// An instructor's note at a moment of the attempt (not an event of the attempt itself).
    pub fn add_note(&mut self, at_s: f64, text: String) {
        self.attempt.notes.push(crate::attempt::Note { at_s, text });
        self.attempt.notes.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        self.unsaved = true;
        self.autosave_pending = true;
    }

    pub fn set_grade(&mut self, grade: String) {
        self.attempt.grade = Some(grade);
        self.unsaved = true;
        self.autosave_pending = true;
    }

    pub fn acknowledged(&mut self, alarm: Alarm, run: &Run) {
        self.record(Some(model_time(run)), Event::AlarmAcknowledged { alarm: alarm.label().to_owned() });
    }

    /// Notes the alarms that began or stopped and the faults that fired, and samples the monitor when its time has come.
    pub fn observe(&mut self, run: &Run) {
        let model_s = model_time(run);
        let now: Vec<Alarm> = run.alarms().into_iter().map(|(alarm, _)| alarm).collect();
        let raised: Vec<Alarm> = now.iter().filter(|a| !self.sounding.contains(a)).copied().collect();
        let cleared: Vec<Alarm> = self.sounding.iter().filter(|a| !now.contains(a)).copied().collect();
        for alarm in raised {
            self.record(Some(model_s), Event::AlarmRaised { alarm: alarm.label().to_owned() });
        }
        for alarm in cleared {
            self.record(Some(model_s), Event::AlarmCleared { alarm: alarm.label().to_owned() });
        }
        self.sounding = now;
        let fired: Vec<String> = run.simulation().faults_fired().iter().skip(self.faults_logged).cloned().collect();
        for fault in fired {
            self.faults_logged += 1;
            self.record(Some(model_s), Event::FaultFired { fault });
        }
        if model_s >= self.next_sample_s
            && let Some(values) = run.rows().back()
        {
            if self.attempt.trends.columns.is_empty() {
                self.attempt.trends.columns =
                    run.columns().columns().map(|c| format!("{} ({})", c.name, c.unit)).collect();
            }
            let alarms = self.sounding.iter().map(|a| a.label().to_owned()).collect();
            self.attempt.trends.rows.push(TrendRow { values: values.clone(), alarms });
            self.next_sample_s = model_s + SAMPLE_EVERY_S;
            self.autosave_pending = true;
        }
    }

    /// Brings the attempt's summary up to date: the circuit, its findings and the score.
    fn finish(&mut self, scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) {
        self.attempt.circuit = CircuitCopy::from(circuit);
        self.attempt.findings =
            crate::validate::validate(scenario, circuit, catalog).iter().map(FindingRecord::from).collect();
        self.attempt.score = Some(score(&self.attempt, scenario, catalog));
    }

    /// The attempt brought up to date and written to `path` (atomically).
    fn write(&mut self, path: &Path, scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> std::io::Result<()> {
        self.finish(scenario, circuit, catalog);
        crate::attempt::save(path, &self.attempt)
    }

    /// Saves to `path` and remembers it for the next Save.
    pub fn save(
        &mut self,
        path: &Path,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> std::io::Result<()> {
        self.write(path, scenario, circuit, catalog)?;
        self.path = Some(path.to_path_buf());
        self.unsaved = false;
        Ok(())
    }

    /// Whether an autosave is due: something new, and the interval has passed (or `now` is forced).
    pub fn autosave_due(&self, force: bool) -> bool {
        self.autosave_pending && (force || self.last_autosave.elapsed() >= AUTOSAVE_EVERY)
    }

    /// How long until the pending autosave is due (`None`: nothing to save): the app wakes itself then, since an
    /// idle window draws no frames.
    pub fn autosave_in(&self) -> Option<Duration> {
        self.autosave_pending.then(|| AUTOSAVE_EVERY.saturating_sub(self.last_autosave.elapsed()))
    }

    pub fn autosave(
        &mut self,
        path: &Path,
        scenario: &Scenario,
        circuit: &Circuit,
        catalog: &Catalog,
    ) -> std::io::Result<()> {
        self.write(path, scenario, circuit, catalog)?;
        self.autosave_pending = false;
        self.last_autosave = Instant::now();
        Ok(())
    }
}

fn model_time(run: &Run) -> f64 {
    run.simulation().state().time_s
}
