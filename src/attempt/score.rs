//! The score of an attempt, component by component, from its log, trends and circuit (docs/scoring.md). Each
//! component is a fraction from 0 to 1 with the facts behind it; the total is their average weighted by the
//! scenario's `scoring`, out of 100. The thresholds are teaching choices, not clinical numbers, and are named here.

use super::checklist::Answer;
use super::{Attempt, Event};
use crate::catalog::Catalog;
use crate::rules::Severity;
use crate::scenario::Scenario;
use crate::sim::{Alarm, TrendKey};
use serde::{Deserialize, Serialize};

/// Assembly time that earns the full component, and the time from which it earns nothing, s.
const ASSEMBLY_FULL_S: f64 = 20.0 * 60.0;
const ASSEMBLY_NONE_S: f64 = 60.0 * 60.0;
/// Alarm answered (acknowledged or put right) within this time: full marks; after the second: none, s.
pub(super) const ALARM_FULL_S: f64 = 10.0;
const ALARM_NONE_S: f64 = 60.0;
/// Prime at or under this share of the reference volume earns the full component; at or over the second, none.
const PRIME_FULL_SHARE: f64 = 0.8;
const PRIME_NONE_SHARE: f64 = 1.2;
/// A pump moving more than this share of the target flow is running: samples from then on count for time in
/// targets. A teaching choice: a tenth of the target is more than blood drifting through a stopped head.
pub(super) const ON_BYPASS_SHARE_OF_TARGET: f64 = 0.1;
/// Alarms that mean a target is missed (the alarm logic compares with the scenario's limits).
const TARGET_ALARMS: [Alarm; 3] = [Alarm::FlowBelowTarget, Alarm::Do2iLow, Alarm::ArterialLinePressureHigh];

/// A component of the score, named as the scenario's `scoring` field that weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    CriticalFindings,
    AssemblyTime,
    AlarmResponse,
    TimeInTargets,
    PrimeVolume,
    FaultResponse,
}

impl ComponentKind {
    /// The scenario's `scoring` field name ("critical_findings").
    pub fn field(self) -> &'static str {
        match self {
            ComponentKind::CriticalFindings => "critical_findings",
            ComponentKind::AssemblyTime => "assembly_time",
            ComponentKind::AlarmResponse => "alarm_response",
            ComponentKind::TimeInTargets => "time_in_targets",
            ComponentKind::PrimeVolume => "prime_volume",
            ComponentKind::FaultResponse => "fault_response",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub name: ComponentKind,
    pub weight: f64,
    /// 0 (nothing earned) to 1 (all earned).
    pub fraction: f64,
    /// What it rests on, in words ("2 critical findings when the pump started").
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    pub components: Vec<Component>,
    /// Weighted average of the fractions, out of 100.
    pub total: f64,
}

/// 1 at or below `full`, 0 at or above `none`, linear between.
fn falling(value: f64, full: f64, none: f64) -> f64 {
    if value <= full {
        1.0
    } else if value >= none {
        0.0
    } else {
        (none - value) / (none - full)
    }
}

pub fn score(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog) -> Score {
    let weights = &scenario.scoring;
    let components = vec![
        critical_findings(attempt, scenario, catalog, weights.critical_findings),
        assembly_time(attempt, weights.assembly_time),
        alarm_response(attempt, scenario, weights.alarm_response),
        time_in_targets(attempt, scenario, weights.time_in_targets),
        prime_volume(attempt, scenario, catalog, weights.prime_volume),
    ];
    let components = match fault_response(attempt, scenario, catalog, weights.fault_response) {
        Some(component) => components.into_iter().chain([component]).collect(),
        None => components,
    };
    let weight: f64 = components.iter().map(|c| c.weight).sum();
    let earned: f64 = components.iter().map(|c| c.weight * c.fraction).sum();
    Score { total: if weight > 0.0 { 100.0 * earned / weight } else { 0.0 }, components }
}

fn critical_findings(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog, weight: f64) -> Component {
    let started = attempt.log.iter().find(|e| e.event == Event::RunStarted).map(|e| e.at_s);
    let circuit = attempt.circuit_at(catalog, started.unwrap_or(f64::INFINITY));
    let critical = crate::validate::validate(scenario, &circuit, catalog)
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    let when = if started.is_some() { "when the pump started" } else { "at the end (the circuit never ran)" };
    Component {
        name: ComponentKind::CriticalFindings,
        weight,
        fraction: if critical == 0 { 1.0 } else { 0.0 },
        detail: format!("{critical} critical finding(s) {when}"),
    }
}

fn assembly_time(attempt: &Attempt, weight: f64) -> Component {
    let correct = attempt.log.iter().find(|e| matches!(e.event, Event::Validated { critical: 0, .. }));
    let (fraction, detail) = match correct {
        Some(entry) => (
            falling(entry.at_s, ASSEMBLY_FULL_S, ASSEMBLY_NONE_S),
            format!("validated without a critical finding after {:.1} min", entry.at_s / 60.0),
        ),
        None => (0.0, "never validated without a critical finding".to_owned()),
    };
    Component { name: ComponentKind::AssemblyTime, weight, fraction, detail }
}

fn alarm_response(attempt: &Attempt, scenario: &Scenario, weight: f64) -> Component {
    let name = ComponentKind::AlarmResponse;
    // Silence earns nothing where nothing could sound: a run never put on bypass tested no alarm.
    if bypass_run_started_s(attempt, scenario).is_none() {
        return Component { name, weight, fraction: 0.0, detail: "never on bypass, so no alarm was answered".into() };
    }
    let end_s = attempt.duration_s();
    let mut responses = Vec::new();
    for (entry, answer) in super::checklist::answers(attempt) {
        match answer {
            Answer::By(later) => responses.push(Some(later.at_s - entry.at_s)),
            // A brief swing that stopped by itself, or raised too late to have been answered yet: not counted.
            Answer::Transient => {}
            Answer::Unanswered if end_s - entry.at_s <= ALARM_FULL_S => {}
            Answer::Unanswered => responses.push(None),
        }
    }
    if responses.is_empty() {
        let raised = attempt.log.iter().any(|e| matches!(e.event, Event::AlarmRaised { .. }));
        let detail = if raised {
            format!(
                "no alarm to judge yet (one raised in the last {ALARM_FULL_S:.0} s, or one that stopped by itself \
                 within {ALARM_FULL_S:.0} s)"
            )
        } else {
            "no alarm sounded".to_owned()
        };
        return Component { name, weight, fraction: 1.0, detail };
    }
    let fraction = responses.iter().map(|r| r.map_or(0.0, |s| falling(s, ALARM_FULL_S, ALARM_NONE_S))).sum::<f64>()
        / responses.len() as f64;
    let answered: Vec<f64> = responses.iter().flatten().copied().collect();
    let detail = if answered.is_empty() {
        format!("{} alarm(s), none answered", responses.len())
    } else {
        format!(
            "{} alarm(s), {} answered, mean {:.0} s",
            responses.len(),
            answered.len(),
            answered.iter().sum::<f64>() / answered.len() as f64
        )
    };
    Component { name, weight, fraction, detail }
}

/// The response to the scenario's faults: each expected action done in time earns 1, late a half, missed or an
/// action that made the fault worse nothing; actions not due yet are not counted (with none due, the component
/// weighs nothing). None for a scenario without faults.
fn fault_response(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog, weight: f64) -> Option<Component> {
    use super::checklist::Status;
    if scenario.faults.is_empty() {
        return None;
    }
    let judged = super::response::judge(attempt, scenario, catalog);
    let counted: Vec<f64> = judged
        .iter()
        .filter_map(|j| match j.status {
            Status::Done => Some(1.0),
            Status::Late => Some(0.5),
            Status::Missed | Status::Wrong => Some(0.0),
            // A fault the run never reached earns nothing: an attempt saved before it is no answer to it.
            Status::NotDue if !j.reached => Some(0.0),
            Status::NotDue => None,
        })
        .collect();
    let count = |status| judged.iter().filter(|j| j.status == status).count();
    if counted.is_empty() {
        // Nothing could have been done yet (the faults are still to come in a run that goes on): not counted.
        let detail = "no response due yet (not counted)".to_owned();
        return Some(Component { name: ComponentKind::FaultResponse, weight: 0.0, fraction: 0.0, detail });
    }
    let (fraction, detail) = {
        (
            counted.iter().sum::<f64>() / counted.len() as f64,
            format!(
                "{} expected action(s): {} in time, {} late, {} missed, {} harmful",
                count(Status::Done) + count(Status::Late) + count(Status::Missed),
                count(Status::Done),
                count(Status::Late),
                count(Status::Missed),
                count(Status::Wrong)
            ),
        )
    };
    Some(Component { name: ComponentKind::FaultResponse, weight, fraction, detail })
}

fn time_in_targets(attempt: &Attempt, scenario: &Scenario, weight: f64) -> Component {
    let targets = &scenario.targets;
    let (mut samples, mut within) = (0usize, 0usize);
    for trend in &attempt.trends {
        let map = trend.column(TrendKey::PatientArterialPressure);
        let running_l_min = ON_BYPASS_SHARE_OF_TARGET * scenario.derived().target_flow_l_min;
        let on_bypass = trend.rows.iter().skip_while(|row| !trend.pumping(row, running_l_min));
        for row in on_bypass {
            samples += 1;
            let alarmed = row.alarms.iter().any(|a| TARGET_ALARMS.contains(a));
            let map_ok = map
                .and_then(|i| row.values.get(i))
                .is_none_or(|p| (targets.map_min_mmhg..=targets.map_max_mmhg).contains(p));
            if !alarmed && map_ok {
                within += 1;
            }
        }
    }
    let (fraction, detail) = if samples == 0 {
        (0.0, "never on bypass".to_owned())
    } else {
        (
            within as f64 / samples as f64,
            format!("{within} of {samples} samples on bypass within flow, DO2i, line pressure and MAP targets"),
        )
    };
    Component { name: ComponentKind::TimeInTargets, weight, fraction, detail }
}

/// When the first run that went on bypass (pumped at least the on-bypass share of the target flow) started, s on
/// the attempt's clock; `None` when none did.
fn bypass_run_started_s(attempt: &Attempt, scenario: &Scenario) -> Option<f64> {
    let running_l_min = ON_BYPASS_SHARE_OF_TARGET * scenario.derived().target_flow_l_min;
    attempt.trends.iter().find(|t| t.rows.iter().any(|row| t.pumping(row, running_l_min))).map(|t| t.started_at_s)
}

/// The prime of the circuit the first run on bypass started with (a dry start stopped and rebuilt does not count).
/// A circuit never on bypass earns nothing: an unfinished one (an empty canvas primes 0 mL) would otherwise score
/// best.
fn prime_volume(attempt: &Attempt, scenario: &Scenario, catalog: &Catalog, weight: f64) -> Component {
    let name = ComponentKind::PrimeVolume;
    let Some(started) = bypass_run_started_s(attempt, scenario) else {
        return Component { name, weight, fraction: 0.0, detail: "never on bypass, so no prime was scored".into() };
    };
    let circuit = attempt.circuit_at(catalog, started);
    let prime_ml = circuit.prime(catalog).total_ml;
    let derived = scenario.derived();
    let reference = derived
        .max_prime_ml
        .or((derived.max_clear_prime_for_min_hct_ml > 0.0).then_some(derived.max_clear_prime_for_min_hct_ml));
    let (fraction, detail) = match reference {
        Some(limit) if limit > 0.0 => (
            falling(prime_ml / limit, PRIME_FULL_SHARE, PRIME_NONE_SHARE),
            format!("prime {prime_ml:.0} mL against {limit:.0} mL"),
        ),
        _ => (1.0, format!("prime {prime_ml:.0} mL; the scenario sets no limit")),
    };
    Component { name, weight, fraction, detail }
}

#[cfg(test)]
mod tests {
    use super::falling;

    #[test]
    fn falling_is_full_then_linear_then_none() {
        assert!((falling(10.0, 20.0, 60.0) - 1.0).abs() < 1e-12);
        assert!((falling(40.0, 20.0, 60.0) - 0.5).abs() < 1e-12);
        assert!(falling(90.0, 20.0, 60.0).abs() < 1e-12);
    }
}
