//! A trainee's attempt at a scenario: who, the scenario itself (a full copy and its hash, so the attempt opens even
//! if the scenario file moved or changed), a timestamped log of everything they did and everything that happened,
//! the circuit they ended with, sampled trends, the findings, the score, and the instructor's notes and grade.
//!
//! The log is the truth: replaying its edits from an empty circuit rebuilds the saved circuit exactly (checked when
//! a file loads). Times in the log count seconds from the start of the attempt, as the app measured them; the core
//! never reads a clock. Depends on `circuit`, `scenario`, `validate`, `sim`, `input`.

pub mod checklist;
mod file;
pub mod grade;
pub mod report;
mod response;
mod score;
mod v1;

pub use file::{ATTEMPT_FORMAT_VERSION, LoadedAttempt, from_source, from_source_once, load, read_file, save, to_ron};
pub use score::{Component, ComponentKind, Score, score};

use crate::catalog::Catalog;
use crate::circuit::{Circuit, Edit, PlacedPart, Tube};
use crate::ids::PartId;
use crate::rules::Severity;
use crate::session::Action;
use crate::sim::{Alarm, TrendKey};
use crate::validate::Finding;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The scenario as the trainee had it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCopy {
    /// The scenario id (its file stem).
    pub id: String,
    /// SHA-256 of `text`, hex: a copy edited by hand no longer matches and the file is refused as tampered.
    pub sha256: String,
    /// The scenario file's whole text.
    pub text: String,
}

impl ScenarioCopy {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        Self { id: id.into(), sha256: sha256_hex(&text), text }
    }
}

/// "mm:ss" of a time in seconds (the log's and the run's clock as the trainee sees it).
pub fn clock(seconds: f64) -> String {
    let whole = seconds.max(0.0) as u64;
    format!("{:02}:{:02}", whole / 60, whole % 60)
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Something that happened, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// A change to the circuit that took effect (an undo is logged as the edit it applied).
    Edit(Edit),
    /// The trainee asked for validation; the counts of findings by severity.
    Validated {
        critical: u32,
        warning: u32,
        advice: u32,
    },
    /// The run started (model time 0) on the circuit as it was.
    RunStarted,
    RunStopped,
    RunPaused,
    RunResumed,
    /// The run's speed was set, × real time.
    SpeedSet {
        times: f64,
    },
    /// An alarm began to sound.
    AlarmRaised {
        alarm: Alarm,
    },
    AlarmAcknowledged {
        alarm: Alarm,
    },
    AlarmCleared {
        alarm: Alarm,
    },
    /// A scenario fault fired: its description and its index among the scenario's faults (absent in files
    /// written before faults were answered).
    FaultFired {
        fault: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// The trainee intervened on the running circuit (put a fault right, gave a drug, added fluid).
    Intervened(crate::sim::Intervention),
    /// An intervention put one of the scenario's faults right (its index and description).
    FaultResolved {
        fault: String,
        index: usize,
    },
    /// A safety link stopped a pump: the sensor and what it read.
    SafetyStopped {
        pump: PartId,
        sensor: PartId,
        reading: String,
    },
    /// The trainee ran a stopped pump again.
    PumpRestarted {
        pump: PartId,
    },
}

impl Event {
    /// Whether the trainee did something to the circuit or the patient (an edit, an intervention, a pump run
    /// again): what can answer an alarm. Pausing, changing the speed or validating does not.
    pub fn acts_on_the_circuit(&self) -> bool {
        matches!(self, Event::Edit(_) | Event::Intervened(_) | Event::PumpRestarted { .. })
    }

    /// The event in words, for the review timeline and the debrief.
    pub fn describe(&self) -> String {
        self.describe_named(&std::collections::BTreeMap::new())
    }

    /// The event in words, naming parts by `labels` where it names parts ("Roller pump 1 stopped by its safety
    /// link: Pressure transducer 1 at 302 mmHg, above 300"); a part without a label is named by its id.
    pub fn describe_named(&self, labels: &std::collections::BTreeMap<PartId, String>) -> String {
        let name = |part: &PartId| labels.get(part).cloned().unwrap_or_else(|| part.to_string());
        match self {
            Event::Edit(edit) => format!("edit: {}", edit_name(edit)),
            Event::Validated { critical, warning, advice } => {
                format!("validated: {critical} critical, {warning} warning(s), {advice} advice")
            }
            Event::RunStarted => "run started".to_owned(),
            Event::RunStopped => "run stopped".to_owned(),
            Event::RunPaused => "run paused".to_owned(),
            Event::RunResumed => "run resumed".to_owned(),
            Event::SpeedSet { times } => format!("speed ×{times}"),
            Event::AlarmRaised { alarm } => format!("ALARM {}", alarm.label()),
            Event::AlarmAcknowledged { alarm } => format!("acknowledged {}", alarm.label()),
            Event::AlarmCleared { alarm } => format!("cleared {}", alarm.label()),
            Event::FaultFired { fault, .. } => format!("fault: {fault}"),
            Event::Intervened(intervention) => intervention.describe(),
            Event::FaultResolved { fault, .. } => format!("put right: {fault}"),
            Event::SafetyStopped { pump, sensor, reading } => {
                format!("{} stopped by its safety link: {} {reading}", name(pump), name(sensor))
            }
            Event::PumpRestarted { pump } => format!("{} restarted", name(pump)),
        }
    }

    /// Whether the trainee did this (as opposed to something the model or the program did): what a replay feeds.
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            Event::Edit(edit) => Action::Edit(edit.clone()),
            Event::Validated { .. } => Action::Validate,
            Event::RunStarted => Action::StartRun,
            Event::RunStopped => Action::StopRun,
            Event::RunPaused => Action::PauseRun,
            Event::RunResumed => Action::ResumeRun,
            Event::SpeedSet { times } => Action::SetSpeed(*times),
            Event::AlarmAcknowledged { alarm } => Action::Acknowledge(*alarm),
            Event::PumpRestarted { pump } => Action::RestartPump(*pump),
            Event::Intervened(intervention) => Action::Intervene(intervention.clone()),
            Event::AlarmRaised { .. }
            | Event::AlarmCleared { .. }
            | Event::FaultFired { .. }
            | Event::FaultResolved { .. }
            | Event::SafetyStopped { .. } => return None,
        })
    }
}

/// An edit in a few words.
fn edit_name(edit: &Edit) -> String {
    match edit {
        Edit::AddPart(part) => format!("placed {}", part.catalog_id),
        Edit::RemovePart { part } => format!("removed {part}"),
        Edit::MovePart { part, .. } => format!("moved {part}"),
        Edit::SetHeight { part, height_cm } => format!("{part} height {height_cm:.0} cm"),
        Edit::Connect(tube) => format!("tube {} laid", tube.id.0),
        Edit::Disconnect { tube } => format!("tube {} removed", tube.0),
        Edit::SetTubing { tube, tubing } => format!("tube {} to {tubing}", tube.0),
        Edit::SetLength { tube, length_m } => format!("tube {} length {length_m:.2} m", tube.0),
        Edit::SetClamp { tube, clamped } => {
            format!("tube {} {}", tube.0, if *clamped { "clamped" } else { "unclamped" })
        }
        Edit::SetCap { port, capped } => format!("{} {port}", if *capped { "capped" } else { "uncapped" }),
        Edit::SetControls { part, .. } => format!("{part} settings"),
        Edit::SetMount { part, .. } => format!("{part} mounted"),
        Edit::SetServo { part, .. } => format!("{part} safety link"),
        Edit::SetFlipped { part, flipped } => format!("{part} {}", if *flipped { "flipped" } else { "unflipped" }),
        Edit::SetRotation { part, rotation_deg } => format!("{part} turned to {}°", rotation_deg.degrees()),
        Edit::SetLabel { part, label: Some(label) } => format!("{part} named \"{label}\""),
        Edit::SetLabel { part, label: None } => format!("{part} given its default name"),
        Edit::Batch(edits) => format!("{} changes at once", edits.len()),
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Seconds since the attempt began.
    pub at_s: f64,
    /// Model time of the run when it happened, s, if a run was going.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_s: Option<f64>,
    pub event: Event,
}

/// The trend of one run, sampled every 10 s of model time from its start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunTrend {
    /// When the run started, s since the attempt began.
    pub started_at_s: f64,
    pub columns: Vec<TrendColumn>,
    pub rows: Vec<TrendRow>,
}

impl RunTrend {
    /// The index of the column that measures `key`.
    pub fn column(&self, key: TrendKey) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Whether any pump moved more than `l_min` forward in this row: blood drifting through a stopped centrifugal
    /// head (forward or back) is not bypass.
    pub fn pumping(&self, row: &TrendRow, l_min: f64) -> bool {
        self.columns
            .iter()
            .zip(&row.values)
            .any(|(column, q)| matches!(column.key, TrendKey::PumpFlow(_)) && *q > l_min)
    }

    /// The points (model time s, value) of the column that measures `key`; empty when the run had no such column.
    pub fn series(&self, key: TrendKey) -> Vec<(f64, f64)> {
        let Some(column) = self.column(key) else { return Vec::new() };
        let time = self.column(TrendKey::Time).unwrap_or(0);
        self.rows.iter().filter_map(|r| Some((*r.values.get(time)?, *r.values.get(column)?))).collect()
    }
}

/// A trend column: what it measures, and its heading as the trainee saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendColumn {
    pub key: TrendKey,
    /// "Pressure transducer 1 (mmHg)".
    pub heading: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendRow {
    pub values: Vec<f64>,
    /// The alarms sounding at that moment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
}

/// A moment of an attempt: seconds since it began and, while a run went, the run's model time.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    pub at_s: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_s: Option<f64>,
}

/// A finding as it was recorded (the rule's words for this patient).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
}

impl From<&Finding> for FindingRecord {
    fn from(finding: &Finding) -> Self {
        Self { rule: finding.rule.to_owned(), severity: finding.severity, title: finding.title.clone() }
    }
}

/// An instructor's note at a moment of the attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub at_s: f64,
    pub text: String,
}

/// The circuit at the end of the attempt, in the circuit file's terms.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CircuitCopy {
    #[serde(default)]
    pub parts: Vec<PlacedPart>,
    #[serde(default)]
    pub tubes: Vec<Tube>,
}

impl From<&Circuit> for CircuitCopy {
    fn from(circuit: &Circuit) -> Self {
        Self { parts: circuit.parts().cloned().collect(), tubes: circuit.tubes().cloned().collect() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Attempt")]
pub struct Attempt {
    pub version: u32,
    pub trainee: String,
    /// When the attempt began, as the app wrote it (local date and time); for the record only.
    #[serde(default)]
    pub started: String,
    pub scenario: ScenarioCopy,
    #[serde(default)]
    pub log: Vec<LogEntry>,
    #[serde(default)]
    pub circuit: CircuitCopy,
    /// One per run, in order; regenerated by re-simulating the log when the file is read.
    #[serde(default)]
    pub trends: Vec<RunTrend>,
    /// How far the attempt went: the clock, and the model time when a run was still going.
    #[serde(default)]
    pub end: Moment,
    #[serde(default)]
    pub findings: Vec<FindingRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Practice: the scenario was run without its timed faults (`--no-faults`, or the briefing's switch). The
    /// replay leaves them out too, and `grade` says so in its remarks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_faults: bool,
}

impl Attempt {
    pub fn new(trainee: impl Into<String>, started: impl Into<String>, scenario: ScenarioCopy) -> Self {
        Self {
            version: ATTEMPT_FORMAT_VERSION,
            trainee: trainee.into(),
            started: started.into(),
            scenario,
            log: Vec::new(),
            circuit: CircuitCopy::default(),
            trends: Vec::new(),
            end: Moment::default(),
            findings: Vec::new(),
            score: None,
            notes: Vec::new(),
            grade: None,
            without_faults: false,
        }
    }

    pub fn record(&mut self, at_s: f64, model_s: Option<f64>, event: Event) {
        self.log.push(LogEntry { at_s, model_s, event });
    }

    /// The circuit as it was at `at_s` (seconds since the start): the log's edits up to then, applied to an empty
    /// circuit. The one place the circuit of a moment is rebuilt (score, checklist, review). An edit that cannot
    /// apply is skipped: a log recorded or loaded through a session replays whole.
    pub fn circuit_at(&self, catalog: &Catalog, at_s: f64) -> Circuit {
        let mut circuit = Circuit::new();
        for entry in self.log.iter().take_while(|e| e.at_s <= at_s) {
            if let Event::Edit(edit) = &entry.event {
                let _ = circuit.apply(catalog, edit.clone());
            }
        }
        circuit
    }

    /// Seconds from the start to the end of the attempt (its last entry, or further when the run went on).
    pub fn duration_s(&self) -> f64 {
        self.log.last().map_or(0.0, |e| e.at_s).max(self.end.at_s)
    }

    /// The attempt's clock, s, when the run that started at `run_started_s` reached `model_s` of model time: read
    /// between the two entries of that run that bracket it (each entry has both times; the run's speed may have
    /// changed between them), the run's start before the first, the attempt's end after the last, ×1 beyond.
    pub fn clock_at_model(&self, run_started_s: f64, model_s: f64) -> f64 {
        // From this run's own start (a run stopped in the same clock second is not this one).
        let start = self
            .log
            .iter()
            .position(|e| e.event == Event::RunStarted && e.at_s >= run_started_s)
            .unwrap_or(self.log.len());
        let mut run = Vec::new();
        for entry in self.log.iter().skip(start) {
            if let Some(m) = entry.model_s {
                run.push((m, entry.at_s));
            }
            if entry.event == Event::RunStopped {
                break;
            }
        }
        if !run.iter().any(|(_, at)| *at >= self.end.at_s)
            && let Some(m) = self.end.model_s
        {
            run.push((m, self.end.at_s));
        }
        let mut before = (0.0, run_started_s);
        for (m, at) in run {
            if m >= model_s {
                let (m0, at0) = before;
                return if m > m0 { at0 + (at - at0) * (model_s - m0) / (m - m0) } else { at };
            }
            before = (m, at);
        }
        before.1 + (model_s - before.0)
    }
}
