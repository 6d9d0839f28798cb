//! The debrief checklist: the actions every run of a scenario expects, each marked done, late, missed or wrong
//! with its time, read from the log and trends (docs/scoring.md, "Checklist"). Scenarios do not list actions of
//! their own yet, so the list is the one that applies to every perfusion exercise.

use super::{Attempt, Event, clock};
use crate::catalog::Catalog;
use crate::rules::Severity;
use crate::scenario::Scenario;
use crate::sim::{Alarm, TrendKey};
use serde::Serialize;

/// Going on bypass later than this after starting the run counts as late, s. A teaching choice.
const TARGET_FLOW_LATE_S: f64 = 5.0 * 60.0;
/// An alarm answered later than this counts as late, s (the rubric's full-marks limit).
const ALARM_LATE_S: f64 = 10.0;
/// A pump moving more than this is running, L/min.
const RUNNING_FLOW_L_MIN: f64 = 0.1;
/// A fault is answered by a change of settings or clamps within this time, s. A teaching choice.
const FAULT_ANSWER_S: f64 = 120.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Done,
    Late,
    Missed,
    Wrong,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Late => "late",
            Status::Missed => "missed",
            Status::Wrong => "wrong",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckItem {
    pub action: String,
    pub status: Status,
    /// When it was done (or done wrong), s from the start.
    pub at_s: Option<f64>,
}

pub fn checklist(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog) -> Vec<CheckItem> {
    let mut items = Vec::new();
    let started = attempt.log.iter().find(|e| e.event == Event::RunStarted).map(|e| e.at_s);
    let validated = attempt.log.iter().find(|e| matches!(e.event, Event::Validated { .. })).map(|e| e.at_s);
    items.push(match (validated, started) {
        (Some(v), Some(s)) if v <= s => item("Validate the circuit before starting", Status::Done, Some(v)),
        (_, Some(s)) => item("Validate the circuit before starting", Status::Missed, Some(s)),
        (v, None) => {
            item("Validate the circuit before starting", if v.is_some() { Status::Done } else { Status::Missed }, v)
        }
    });
    if let Some(s) = started {
        let circuit = attempt.circuit_at(catalog, s);
        let critical =
            crate::validate::validate(scenario, &circuit, catalog).iter().any(|f| f.severity == Severity::Critical);
        let status = if critical { Status::Wrong } else { Status::Done };
        items.push(item("Go on bypass with no critical finding", status, Some(s)));
        items.push(target_flow(attempt));
    }
    for (index, entry) in attempt.log.iter().enumerate() {
        match &entry.event {
            Event::AlarmRaised { alarm } => {
                let answered = attempt.log[index + 1..].iter().find(|later| match &later.event {
                    Event::AlarmAcknowledged { alarm: a } | Event::AlarmCleared { alarm: a } => a == alarm,
                    _ => false,
                });
                let (status, at) = match answered {
                    Some(later) if later.at_s - entry.at_s <= ALARM_LATE_S => (Status::Done, Some(later.at_s)),
                    Some(later) => (Status::Late, Some(later.at_s)),
                    None => (Status::Missed, None),
                };
                let label = alarm.label();
                items.push(item(&format!("Answer the alarm \"{label}\" ({})", clock(entry.at_s)), status, at));
            }
            Event::FaultFired { fault } => {
                let answer = attempt.log[index + 1..]
                    .iter()
                    .take_while(|later| later.at_s - entry.at_s <= FAULT_ANSWER_S)
                    .find(|later| matches!(later.event, Event::Edit(_)));
                let (status, at) = answer.map_or((Status::Missed, None), |a| (Status::Done, Some(a.at_s)));
                items.push(item(&format!("Act on the fault: {fault} ({})", clock(entry.at_s)), status, at));
            }
            _ => {}
        }
    }
    items
}

/// Flow at target: the first trend sample on bypass without the "Flow below target" alarm, in any run.
fn target_flow(attempt: &Attempt) -> CheckItem {
    let reached = attempt.trends.iter().find_map(|trend| {
        let time = trend.column(TrendKey::Time)?;
        let row = trend
            .rows
            .iter()
            .find(|row| trend.pumping(row, RUNNING_FLOW_L_MIN) && !row.alarms.contains(&Alarm::FlowBelowTarget))?;
        Some((trend.started_at_s, *row.values.get(time)?))
    });
    let action = "Reach the target flow";
    match reached {
        Some((run_started_s, model_s)) => {
            let at = run_started_s + model_s;
            item(action, if model_s <= TARGET_FLOW_LATE_S { Status::Done } else { Status::Late }, Some(at))
        }
        None => item(action, Status::Missed, None),
    }
}

fn item(action: &str, status: Status, at_s: Option<f64>) -> CheckItem {
    CheckItem { action: action.to_owned(), status, at_s }
}
