//! What each pump of a circuit is for, and whether any turns: read from how it is built, so the monitor can name a
//! pump by its job and the alarms know when blood is being moved.

use super::flow::{Rotation, main_line};
use super::{Circuit, Controls};
use crate::catalog::{Catalog, PartKind};
use crate::ids::PartId;
use std::collections::BTreeMap;

/// A pump's job in the circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PumpJob {
    /// The pump on the main line: the patient's circulation.
    Arterial,
    Cardioplegia,
    Sucker,
    Vent,
}

impl PumpJob {
    pub fn word(self) -> &'static str {
        match self {
            PumpJob::Arterial => "arterial",
            PumpJob::Cardioplegia => "cardioplegia",
            PumpJob::Sucker => "sucker",
            PumpJob::Vent => "vent",
        }
    }
}

/// How many tubes from a pump its job is looked for, through connectors, valves and ports (a vent's line runs
/// through a one-way valve; none of the bundled circuits needs more than two).
const JOB_SEARCH_DEPTH: usize = 4;

impl Circuit {
    /// The job of every pump that has one: the main line's pump is the arterial one; another is a sucker's, the
    /// vent's or the cardioplegia pump by the part its lines reach first. A pump whose job cannot be read (a
    /// half-built circuit) is left out.
    pub fn pump_jobs(&self, catalog: &Catalog) -> BTreeMap<PartId, PumpJob> {
        let is_pump = |id: PartId| {
            matches!(self.kind_of(catalog, id), Some(PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }))
        };
        let arterial =
            main_line(self, catalog, Rotation::AsBuilt).and_then(|route| route.parts.into_iter().find(|p| is_pump(*p)));
        self.parts()
            .filter(|p| is_pump(p.id))
            .filter_map(|p| {
                let job =
                    if Some(p.id) == arterial { Some(PumpJob::Arterial) } else { self.accessory_job(catalog, p.id) };
                job.map(|job| (p.id, job))
            })
            .collect()
    }

    /// Whether any pump is set turning (rpm above 0), main line or not.
    pub fn any_pump_turning(&self) -> bool {
        self.parts().any(|p| matches!(p.controls, Controls::Pump { rpm, .. } if rpm > 0.0))
    }

    /// The job of a pump off the main line: the first sucker, vent or cardioplegia set its lines reach.
    fn accessory_job(&self, catalog: &Catalog, pump: PartId) -> Option<PumpJob> {
        let mut seen = vec![pump];
        let mut frontier = vec![pump];
        for _ in 0..JOB_SEARCH_DEPTH {
            let mut next = Vec::new();
            for part in frontier {
                for tube in self.tubes_of(part) {
                    let Some(other) = tube.ends().into_iter().map(|end| end.part).find(|p| *p != part) else {
                        continue;
                    };
                    if seen.contains(&other) {
                        continue;
                    }
                    seen.push(other);
                    match self.kind_of(catalog, other) {
                        Some(PartKind::CardiotomySucker) => return Some(PumpJob::Sucker),
                        Some(PartKind::LvVent) => return Some(PumpJob::Vent),
                        Some(PartKind::CardioplegiaSet { .. }) => return Some(PumpJob::Cardioplegia),
                        Some(PartKind::Connector { .. } | PartKind::OneWayValve { .. } | PartKind::LuerPort) => {
                            next.push(other);
                        }
                        _ => {}
                    }
                }
            }
            frontier = next;
        }
        None
    }
}
