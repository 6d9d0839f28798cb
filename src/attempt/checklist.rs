//! The debrief checklist: the actions every run of a scenario expects, each marked done, late, missed or wrong
//! with its time, read from the log and trends (docs/scoring.md, "Checklist"): the ones every perfusion exercise
//! expects, then the response to each fault (`response::judge`). An item whose time has not come is not due, never
//! missed.

use super::{Attempt, Event, clock};
use crate::catalog::Catalog;
use crate::rules::Severity;
use crate::scenario::Scenario;
use crate::sim::{Alarm, TrendKey};
use serde::Serialize;

/// Going on bypass later than this after starting the run counts as late, s. A teaching choice.
const TARGET_FLOW_LATE_S: f64 = 5.0 * 60.0;
/// An alarm answered later than this counts as late, s: the rubric's full-marks limit.
use super::score::ALARM_FULL_S as ALARM_LATE_S;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Done,
    Late,
    Missed,
    Wrong,
    /// Its time has not come yet: the run has not gone long enough for it to be missed.
    NotDue,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Late => "late",
            Status::Missed => "missed",
            Status::Wrong => "wrong",
            Status::NotDue => "not due yet",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckItem {
    pub action: String,
    pub status: Status,
    /// When it was done (or done wrong), s from the start.
    pub at_s: Option<f64>,
    /// The run's model time then, s, for an item done during a run.
    pub model_s: Option<f64>,
    /// It answers a fault no run has reached: it names a drill still to come, for the instructor's eyes only.
    pub unreached_fault: bool,
}

pub fn checklist(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog) -> Vec<CheckItem> {
    let mut items = Vec::new();
    let started = attempt.log.iter().find(|e| e.event == Event::RunStarted).map(|e| e.at_s);
    let validated = attempt.log.iter().find(|e| matches!(e.event, Event::Validated { .. })).map(|e| e.at_s);
    items.push(match (validated, started) {
        (Some(v), Some(s)) if v <= s => item("Validate the circuit before starting", Status::Done, Some(v)),
        (_, Some(s)) => item("Validate the circuit before starting", Status::Missed, Some(s)),
        // No run yet: validating can still come first.
        (v, None) => {
            item("Validate the circuit before starting", if v.is_some() { Status::Done } else { Status::NotDue }, v)
        }
    });
    if let Some(s) = started {
        let circuit = attempt.circuit_at(catalog, s);
        let critical =
            crate::validate::validate(scenario, &circuit, catalog).iter().any(|f| f.severity == Severity::Critical);
        let status = if critical { Status::Wrong } else { Status::Done };
        items.push(item("Go on bypass with no critical finding", status, Some(s)));
        items.push(target_flow(attempt, scenario));
    }
    let end_s = attempt.duration_s();
    for (entry, answer) in answers(attempt) {
        let Event::AlarmRaised { alarm } = &entry.event else { continue };
        let (status, at) = match answer {
            Answer::By(later) if later.at_s - entry.at_s <= ALARM_LATE_S => (Status::Done, Some(later)),
            Answer::By(later) => (Status::Late, Some(later)),
            Answer::Transient => continue,
            Answer::Unanswered if end_s - entry.at_s <= ALARM_LATE_S => (Status::NotDue, None),
            Answer::Unanswered => (Status::Missed, None),
        };
        let label = alarm.label();
        items.push(CheckItem {
            action: format!("Answer the alarm \"{label}\" ({})", clock(entry.at_s)),
            status,
            at_s: at.map(|a| a.at_s),
            model_s: at.and_then(|a| a.model_s),
            unreached_fault: false,
        });
    }
    items.extend(super::response::judge(attempt, scenario, catalog).into_iter().map(|judged| CheckItem {
        action: judged.action,
        status: judged.status,
        at_s: judged.at_s,
        model_s: judged.model_s,
        unreached_fault: !judged.reached,
    }));
    items
}

/// How an alarm raised at a log entry ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Answer<'a> {
    /// Acknowledged, or cleared after the trainee did something: the entry that answered it.
    By(&'a super::LogEntry),
    /// It stopped by itself within `ALARM_LATE_S` with nothing done: a swing no one could have answered.
    Transient,
    /// It stopped by itself later, or with the run, or sounds still.
    Unanswered,
}

/// Every alarm raised in the log, in order, with how it was answered (an alarm that stops by itself, or because
/// the run was stopped, was not answered by the trainee): one pass over the log, whatever its length.
pub fn answers(attempt: &Attempt) -> Vec<(&super::LogEntry, Answer<'_>)> {
    // The alarms sounding now: (where it was raised, whether the trainee did something since).
    let mut open: Vec<(Alarm, usize, bool)> = Vec::new();
    let mut answered: Vec<(usize, Answer<'_>)> = Vec::new();
    for (index, entry) in attempt.log.iter().enumerate() {
        match &entry.event {
            Event::AlarmRaised { alarm } => open.push((*alarm, index, false)),
            Event::AlarmAcknowledged { alarm } | Event::AlarmCleared { alarm } => {
                let Some(at) = open.iter().position(|(a, _, _)| a == alarm) else { continue };
                let (_, raised, acted) = open.remove(at);
                let acknowledged = matches!(entry.event, Event::AlarmAcknowledged { .. });
                let start_s = attempt.log.get(raised).map_or(entry.at_s, |e| e.at_s);
                let answer = if acknowledged || acted {
                    Answer::By(entry)
                } else if entry.at_s - start_s <= ALARM_LATE_S {
                    Answer::Transient
                } else {
                    Answer::Unanswered
                };
                answered.push((raised, answer));
            }
            Event::RunStopped => answered.extend(open.drain(..).map(|(_, raised, _)| (raised, Answer::Unanswered))),
            event if event.acts_on_the_circuit() => open.iter_mut().for_each(|(_, _, acted)| *acted = true),
            _ => {}
        }
    }
    answered.extend(open.into_iter().map(|(_, raised, _)| (raised, Answer::Unanswered)));
    answered.sort_by_key(|(raised, _)| *raised);
    answered.into_iter().filter_map(|(raised, answer)| Some((attempt.log.get(raised)?, answer))).collect()
}

/// Flow at target: the first trend sample on bypass without the "Flow below target" alarm, in any run.
fn target_flow(attempt: &Attempt, scenario: &Scenario) -> CheckItem {
    let running_l_min = super::score::ON_BYPASS_SHARE_OF_TARGET * scenario.derived().target_flow_l_min;
    let reached = attempt.trends.iter().find_map(|trend| {
        let time = trend.column(TrendKey::Time)?;
        let row = trend
            .rows
            .iter()
            .find(|row| trend.pumping(row, running_l_min) && !row.alarms.contains(&Alarm::FlowBelowTarget))?;
        Some((trend.started_at_s, *row.values.get(time)?))
    });
    let action = "Reach the target flow";
    match reached {
        Some((run_started_s, model_s)) => {
            let status = if model_s <= TARGET_FLOW_LATE_S { Status::Done } else { Status::Late };
            CheckItem {
                action: action.to_owned(),
                status,
                at_s: Some(attempt.clock_at_model(run_started_s, model_s)),
                model_s: Some(model_s),
                unreached_fault: false,
            }
        }
        // A run still going that has not run long enough to be late has not missed it yet.
        None if attempt.end.model_s.is_some_and(|m| m < TARGET_FLOW_LATE_S) => item(action, Status::NotDue, None),
        None => item(action, Status::Missed, None),
    }
}

fn item(action: &str, status: Status, at_s: Option<f64>) -> CheckItem {
    CheckItem { action: action.to_owned(), status, at_s, model_s: None, unreached_fault: false }
}
