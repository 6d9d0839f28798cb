//! Safety links: a sensor linked to a pump stops it — a line-pressure transducer above the scenario's limit (or
//! an inlet transducer below the venous limit), a level sensor below its reservoir's minimum operating level, a
//! bubble detector seeing air
//! (reference §1.3 C4, C5, C17 [Terumo-APS1]). The pump stays stopped until the perfusionist sets it again or
//! restarts it, and the stop is a latched alarm that names the pump, the sensor and what it read.

use super::alarms::AIR_DETECTION_SHARE;
use super::blood::Blood;
use super::network::{Network, NodeKind, Origin};
use crate::catalog::{Catalog, PartKind, port};
use crate::circuit::Circuit;
use crate::circuit::flow::{Rotation, main_line};
use crate::ids::{PartId, PortRef};
use crate::scenario::Scenario;
use crate::units::mmhg_to_pa;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Trip {
    /// Stop when the node's pressure rises above `max_pa` (a line after the pump) or falls below `min_pa` (the
    /// pump's inlet side), Pa.
    Pressure { node: usize, min_pa: f64, max_pa: f64 },
    /// Stop when the reservoir node holds less than this, m³.
    Level { node: usize, min_m3: f64 },
    /// Stop when air reaches the detector's node.
    Air { node: usize },
}

/// Why a safety link stopped its pump: what the sensor read against its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cause {
    PressureAbove { mmhg: f64, limit_mmhg: f64 },
    PressureBelow { mmhg: f64, limit_mmhg: f64 },
    LevelBelow { ml: f64, minimum_ml: f64 },
    Air,
}

impl Cause {
    /// The reading in words: "at 312 mmHg, above 300".
    pub fn describe(&self) -> String {
        match *self {
            Cause::PressureAbove { mmhg, limit_mmhg } => {
                let (reading, limit) = apart(mmhg, limit_mmhg, Past::Above);
                format!("at {reading} mmHg, above {limit}")
            }
            Cause::PressureBelow { mmhg, limit_mmhg } => {
                let (reading, limit) = apart(mmhg, limit_mmhg, Past::Below);
                format!("at {reading} mmHg, below {limit}")
            }
            Cause::LevelBelow { ml, minimum_ml } => {
                let (reading, limit) = apart(ml, minimum_ml, Past::Below);
                format!("at {reading} mL, below its minimum of {limit}")
            }
            Cause::Air => "saw air".to_owned(),
        }
    }
}

/// Which side of its limit a reading went.
#[derive(Clone, Copy)]
enum Past {
    Above,
    Below,
}

/// A reading and its limit printed with as few decimals (up to two) as tell them apart: "69.6, below 70.0"; a reading
/// that still looks like its limit at two decimals is rounded away from it: "300.01, above 300.00", "29.99, below
/// 30.00", never "30.00, below 30.00".
fn apart(reading: f64, limit: f64, past: Past) -> (String, String) {
    let shown = |d: usize, reading: f64| (format!("{reading:.d$}"), format!("{limit:.d$}"));
    (0..=2).map(|d| shown(d, reading)).find(|(r, l)| r != l).unwrap_or_else(|| {
        let outward = match past {
            Past::Above => (reading * 100.0).ceil() / 100.0,
            Past::Below => (reading * 100.0).floor() / 100.0,
        };
        shown(2, outward)
    })
}

/// A pump a safety link stopped: which, by which sensor, why, and whether its alarm still sounds (latched until
/// acknowledged).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SafetyStop {
    pub pump: PartId,
    pub sensor: PartId,
    pub cause: Cause,
    /// Model time of the stop, s.
    pub at_s: f64,
    pub latched: bool,
}

/// The circuit's safety links, resolved to network nodes.
#[derive(Debug, Clone, Default)]
pub struct ServoLinks {
    /// (what trips, the pump it stops, the sensor).
    links: Vec<(Trip, PartId, PartId)>,
}

impl ServoLinks {
    pub fn new(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog, network: &Network) -> Self {
        let targets = &scenario.targets;
        let route = main_line(circuit, catalog, Rotation::AsBuilt);
        // A transducer before its pump on the main line guards the inlet (too negative); any other guards the line
        // after the pump (too high).
        let on_inlet_side = |sensor: PartId, pump: PartId| {
            let Some(route) = &route else { return false };
            let sensed =
                circuit.connected_to(&PortRef::new(sensor, port::LINE)).and_then(|port| route.position(port.part));
            matches!((sensed, route.position(pump)), (Some(at), Some(pump_at)) if at < pump_at)
        };
        let mut links = Vec::new();
        for sensor in circuit.parts() {
            let Some(pump) = sensor.servo_to else { continue };
            let trip = match circuit.kind_of(catalog, sensor.id) {
                Some(PartKind::PressureTransducer) => {
                    network.port_node.get(&PortRef::new(sensor.id, port::LINE)).map(|node| {
                        if on_inlet_side(sensor.id, pump) {
                            Trip::Pressure {
                                node: *node,
                                min_pa: mmhg_to_pa(targets.venous_line_min_mmhg),
                                max_pa: f64::INFINITY,
                            }
                        } else {
                            Trip::Pressure {
                                node: *node,
                                min_pa: f64::NEG_INFINITY,
                                max_pa: mmhg_to_pa(targets.arterial_line_max_mmhg),
                            }
                        }
                    })
                }
                Some(PartKind::LevelSensor) => sensor.mounted_on.and_then(|reservoir| {
                    network.nodes.iter().enumerate().find_map(|(index, node)| match node.kind {
                        NodeKind::Reservoir { part, min_level_m3, .. } if part == reservoir => {
                            Some(Trip::Level { node: index, min_m3: min_level_m3 })
                        }
                        _ => None,
                    })
                }),
                Some(PartKind::BubbleDetector) => {
                    network.port_node.get(&PortRef::new(sensor.id, port::SIDE_A)).map(|node| Trip::Air { node: *node })
                }
                _ => None,
            };
            if let Some(trip) = trip {
                links.push((trip, pump, sensor.id));
            }
        }
        Self { links }
    }

    /// Pumps whose sensors trip at these pressures, each with the first sensor that tripped and why.
    pub fn tripped(&self, network: &Network, pressures_pa: &[f64], contents: &[Blood]) -> Vec<(PartId, PartId, Cause)> {
        let mut trips: Vec<(PartId, PartId, Cause)> = Vec::new();
        for (trip, pump, sensor) in &self.links {
            let cause = match *trip {
                Trip::Pressure { node, min_pa, max_pa } => pressures_pa.get(node).and_then(|p| {
                    let mmhg = crate::units::pa_to_mmhg(*p);
                    if *p > max_pa {
                        Some(Cause::PressureAbove { mmhg, limit_mmhg: crate::units::pa_to_mmhg(max_pa) })
                    } else if *p < min_pa {
                        Some(Cause::PressureBelow { mmhg, limit_mmhg: crate::units::pa_to_mmhg(min_pa) })
                    } else {
                        None
                    }
                }),
                Trip::Level { node, min_m3 } => {
                    let volume = |p: f64| network.nodes.get(node).map_or(0.0, |n| n.volume_m3(p));
                    pressures_pa
                        .get(node)
                        .map(|p| volume(*p))
                        .filter(|v| *v < min_m3)
                        .map(|v| Cause::LevelBelow { ml: v * 1e6, minimum_ml: min_m3 * 1e6 })
                }
                Trip::Air { node } => {
                    contents.get(node).is_some_and(|b| b.air > AIR_DETECTION_SHARE).then_some(Cause::Air)
                }
            };
            if let Some(cause) = cause
                && !trips.iter().any(|(p, _, _)| p == pump)
            {
                trips.push((*pump, *sensor, cause));
            }
        }
        trips
    }
}

/// Stops `pump` in `network`: its branch keeps only the gravity share of its head.
pub fn stop(network: &mut Network, pump: PartId) {
    for branch in network.branches.iter_mut().filter(|b| b.origin == Origin::Part(pump)) {
        branch.law.head_pa -= branch.pump_head_pa;
        branch.pump_head_pa = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::Cause;

    #[test]
    fn a_reading_just_past_its_limit_is_told_apart_from_it() {
        assert_eq!(
            Cause::LevelBelow { ml: 69.6, minimum_ml: 70.0 }.describe(),
            "at 69.6 mL, below its minimum of 70.0"
        );
        assert_eq!(Cause::LevelBelow { ml: 41.0, minimum_ml: 70.0 }.describe(), "at 41 mL, below its minimum of 70");
        assert_eq!(
            Cause::LevelBelow { ml: 29.996, minimum_ml: 30.0 }.describe(),
            "at 29.99 mL, below its minimum of 30.00"
        );
        assert_eq!(
            Cause::PressureAbove { mmhg: 300.004, limit_mmhg: 300.0 }.describe(),
            "at 300.01 mmHg, above 300.00"
        );
    }
}
