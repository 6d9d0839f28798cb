//! Pacing the session's run to the wall clock at the chosen speed (the core never reads a clock), and the
//! figures the canvas shows over parts. Every number comes from the core.

use crate::attempt::Event;
use crate::catalog::{Catalog, PartKind, port};
use crate::circuit::Circuit;
use crate::ids::{PartId, PortRef};
use crate::session::{Action, Run, Session};
use crate::sim::Alarm;
use crate::sim::STEP_S;
use std::time::{Duration, Instant};

/// Speeds the run offers, × real time.
pub const SPEEDS: [f64; 6] = [1.0, 2.0, 5.0, 10.0, 30.0, 60.0];
/// The longest frame gap the run catches up on, s: a slow frame (a software renderer draws a large window in a few
/// hundred milliseconds) is made up in full, so model time follows the wall clock whatever the frame rate; after a
/// longer stall (a dialog, a dragged window) the model does not race to make up the lost time.
const MAX_FRAME_S: f32 = 1.0;
/// Wall-clock time a frame may spend stepping the model: beyond it the run falls behind and says so.
const STEP_BUDGET: Duration = Duration::from_millis(12);
/// Steps taken between looks at the budget.
const CHUNK_STEPS: u64 = 25;

#[derive(Debug, Default)]
pub struct Pacer {
    /// The attempt's clock at the last frame, s: the model keeps pace with the wall clock, not the frame rate.
    last_now_s: Option<f64>,
    /// Model time owed from the last frames, s (less than a step).
    owed_s: f64,
    /// The speed actually reached in the last frame, when the machine could not keep up.
    pub behind: Option<f32>,
    /// An alarm was raised while the run went faster than real time: the run was brought back to ×1 for it.
    pub slowed_for: Option<Alarm>,
}

impl Pacer {
    /// Moves the session's clock to `now_s` and its run forward by the wall-clock time since the last frame at the
    /// run's speed; returns the model time advanced, s, and why the model stopped if it did.
    pub fn advance(&mut self, session: &mut Session, now_s: f64) -> (f64, Option<String>) {
        let frame_s = (now_s - self.last_now_s.unwrap_or(now_s)).max(0.0) as f32;
        self.last_now_s = Some(now_s);
        let speed = match session.run() {
            Some(run) if !run.paused && run.failed().is_none() => run.speed,
            _ => {
                self.behind = None;
                // A move of the clock alone cannot fail.
                let _ = session.advance(now_s, 0.0);
                return (0.0, None);
            }
        };
        let frame_s = frame_s.clamp(0.0, MAX_FRAME_S);
        self.owed_s += f64::from(frame_s) * speed;
        let wanted = (self.owed_s / STEP_S).floor() as u64;
        let started = Instant::now();
        let mut done = 0;
        let mut failed = None;
        let logged = session.log().log.len();
        while done < wanted {
            let chunk = CHUNK_STEPS.min(wanted - done);
            if let Err(error) = session.advance(now_s, chunk as f64 * STEP_S) {
                failed = Some(error.to_string());
                break;
            }
            done += chunk;
            // At ×30 an alarm would be minutes old before it could be answered: the run comes back to real time.
            let raised =
                session.log().log.get(logged..).unwrap_or_default().iter().find_map(|entry| match entry.event {
                    Event::AlarmRaised { alarm } => Some(alarm),
                    _ => None,
                });
            if let Some(alarm) = raised.filter(|_| speed > 1.0) {
                self.slowed_for = Some(alarm);
                self.owed_s = 0.0;
                let _ = session.apply(Action::SetSpeed(1.0));
                return (done as f64 * STEP_S, failed);
            }
            if started.elapsed() > STEP_BUDGET {
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
        (advanced, failed)
    }
}

/// A reservoir's fill, 0..1, for its drawing.
pub fn reservoir_fill(run: &Run, circuit: &Circuit, catalog: &Catalog, part: PartId) -> Option<f32> {
    let Some(PartKind::Reservoir { capacity_ml, .. }) = circuit.kind_of(catalog, part) else { return None };
    let simulation = run.simulation();
    let node = *simulation.network().port_node.get(&PortRef::new(part, port::OUTLET))?;
    Some((simulation.node_volume_ml(node) / capacity_ml.max(1.0)) as f32)
}

/// The figure shown over a part on the canvas: a transducer's pressure, a pump's flow, a reservoir's volume.
pub fn reading_for(run: &Run, circuit: &Circuit, catalog: &Catalog, part: PartId) -> Option<String> {
    let simulation = run.simulation();
    match circuit.kind_of(catalog, part)? {
        PartKind::PressureTransducer => {
            let mmhg = simulation.port_pressure_mmhg(&PortRef::new(part, port::LINE))?;
            Some(format!("{:.0} mmHg", rounded(mmhg, 0)))
        }
        PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => {
            let flow = format!("{:.2} L/min", rounded(simulation.part_flow_l_min(part)?, 2));
            // Short on the canvas, where it sits among other parts' names; the alarm and the machine panel say why.
            if simulation.safety_stop(part).is_some() {
                Some("STOPPED".to_owned())
            } else if simulation.is_stopped(part) {
                Some("NO POWER".to_owned())
            } else {
                Some(flow)
            }
        }
        PartKind::Reservoir { .. } => {
            let node = *simulation.network().port_node.get(&PortRef::new(part, port::OUTLET))?;
            Some(format!("{:.0} mL", simulation.node_volume_ml(node)))
        }
        _ => None,
    }
}

/// `value` rounded to `decimals`, without the "-0.00" a tiny negative leak would print.
pub fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    // Adding +0.0 turns a negative zero into a positive one.
    (value * scale).round() / scale + 0.0
}
