//! Which way blood can go through an assembly: a directed graph over ports, with tubes passable both ways and
//! each part passable from its inlets to its outlets (a reversed pump from its outlet to its inlet).
//!
//! The main line of a circuit is the shortest directed route from a drainage cannula to a return cannula: the
//! validator reads the order of stages along it, the simulation places its monitors on it.

use crate::catalog::{CannulaRole, Catalog, PartKind, PortDir, port};
use crate::circuit::{Circuit, Controls, PumpDirection};
use crate::ids::{PartId, PortRef, TubeId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// How one port reaches the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Tube(TubeId),
    Through(PartId),
}

/// The directed port graph of a circuit.
pub struct FlowGraph {
    next: BTreeMap<PortRef, Vec<(PortRef, Step)>>,
}

/// A route along the flow: the parts in order and the tubes between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Route {
    pub parts: Vec<PartId>,
    pub tubes: Vec<TubeId>,
}

impl Route {
    pub fn position(&self, part: PartId) -> Option<usize> {
        self.parts.iter().position(|p| *p == part)
    }
}

/// How pumps turn when the graph is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// As set.
    AsSet,
    /// As set, but this pump the other way (to ask "would blood flow if this pump were reversed?").
    Flipped(PartId),
    /// Every pump forward: the circuit as built, whatever the rotation (where the sensors sit).
    AsBuilt,
}

/// Which way a part lets blood through a port, once its pump's rotation is taken into account.
fn effective_dir(circuit: &Circuit, catalog: &Catalog, port: &PortRef, rotation: Rotation) -> Option<PortDir> {
    let part = circuit.part(port.part)?;
    let spec = catalog.part(&part.catalog_id)?;
    let dir = spec.port(&port.port)?.dir;
    let set_reverse = matches!(part.controls, Controls::Pump { direction: PumpDirection::Reverse, .. });
    let reversed = match rotation {
        Rotation::AsSet => set_reverse,
        Rotation::Flipped(flipped) => set_reverse != (flipped == part.id),
        Rotation::AsBuilt => false,
    };
    Some(match (dir, reversed) {
        (PortDir::In, true) => PortDir::Out,
        (PortDir::Out, true) => PortDir::In,
        (dir, _) => dir,
    })
}

impl FlowGraph {
    pub fn new(circuit: &Circuit, catalog: &Catalog) -> Self {
        Self::with_rotation(circuit, catalog, Rotation::AsSet)
    }

    pub fn with_rotation(circuit: &Circuit, catalog: &Catalog, rotation: Rotation) -> Self {
        let mut next: BTreeMap<PortRef, Vec<(PortRef, Step)>> = BTreeMap::new();
        for tube in circuit.tubes() {
            next.entry(tube.from.clone()).or_default().push((tube.to.clone(), Step::Tube(tube.id)));
            next.entry(tube.to.clone()).or_default().push((tube.from.clone(), Step::Tube(tube.id)));
        }
        for part in circuit.parts() {
            let Some(spec) = catalog.part(&part.catalog_id) else { continue };
            let ports: Vec<(PortRef, PortDir)> = spec
                .ports
                .iter()
                .filter_map(|p| {
                    let at = PortRef::new(part.id, p.name.clone());
                    effective_dir(circuit, catalog, &at, rotation).map(|dir| (at, dir))
                })
                .collect();
            for (from, from_dir) in &ports {
                for (to, to_dir) in &ports {
                    let enters = matches!(from_dir, PortDir::In | PortDir::Either);
                    let leaves = matches!(to_dir, PortDir::Out | PortDir::Either);
                    if from != to && enters && leaves {
                        next.entry(from.clone()).or_default().push((to.clone(), Step::Through(part.id)));
                    }
                }
            }
        }
        Self { next }
    }

    /// The shortest directed route from any of `starts` to any of `ends` (ports), if one exists.
    pub fn route(&self, starts: &[PortRef], ends: &BTreeSet<PortRef>) -> Option<Route> {
        self.route_through(starts, ends, &|_| true)
    }

    /// `route` along the steps `allowed` lets through only.
    fn route_through(
        &self,
        starts: &[PortRef],
        ends: &BTreeSet<PortRef>,
        allowed: &dyn Fn(&Step) -> bool,
    ) -> Option<Route> {
        let mut came_from: BTreeMap<PortRef, Option<(PortRef, Step)>> = BTreeMap::new();
        let mut queue = VecDeque::new();
        for start in starts {
            if came_from.insert(start.clone(), None).is_none() {
                queue.push_back(start.clone());
            }
        }
        while let Some(port) = queue.pop_front() {
            if ends.contains(&port) {
                return Some(self.unwind(&came_from, port));
            }
            for (to, step) in self.next.get(&port).into_iter().flatten() {
                if !came_from.contains_key(to) && allowed(step) {
                    came_from.insert(to.clone(), Some((port.clone(), *step)));
                    queue.push_back(to.clone());
                }
            }
        }
        None
    }

    /// The main line from the drainage to the return: the path blood takes. A clamped line (a bridge between the
    /// venous and arterial lines, kept clamped on bypass) is not it while an open path exists; with every path
    /// clamped, the shortest clamped one is (and its clamp a finding).
    pub fn main_route(&self, circuit: &Circuit, drainage: &[PortRef], returns: &BTreeSet<PortRef>) -> Option<Route> {
        let open = |step: &Step| match step {
            Step::Tube(tube) => circuit.tube(*tube).is_none_or(|t| !t.clamped),
            Step::Through(_) => true,
        };
        self.route_through(drainage, returns, &open).or_else(|| self.route(drainage, returns))
    }

    /// Whether blood can flow from `from` to `to` along directed steps.
    pub fn reaches(&self, from: &PortRef, to: &BTreeSet<PortRef>) -> Option<Route> {
        self.route(std::slice::from_ref(from), to)
    }

    fn unwind(&self, came_from: &BTreeMap<PortRef, Option<(PortRef, Step)>>, end: PortRef) -> Route {
        let mut parts = vec![end.part];
        let mut tubes = Vec::new();
        let mut at = end;
        while let Some(Some((previous, step))) = came_from.get(&at) {
            if let Step::Tube(tube) = step {
                tubes.push(*tube);
            }
            if parts.last() != Some(&previous.part) {
                parts.push(previous.part);
            }
            at = previous.clone();
        }
        parts.reverse();
        tubes.reverse();
        Route { parts, tubes }
    }
}

/// Drainage (venous side) and return (arterial side) cannula ports of a circuit.
pub fn cannula_ports(circuit: &Circuit, catalog: &Catalog) -> (Vec<PortRef>, BTreeSet<PortRef>) {
    let mut drainage = Vec::new();
    let mut returns = BTreeSet::new();
    for part in circuit.parts() {
        let Some(PartKind::Cannula { role, .. }) = circuit.kind_of(catalog, part.id) else { continue };
        match role {
            CannulaRole::VenousSingleStage | CannulaRole::VenousTwoStage | CannulaRole::FemoralVenous => {
                drainage.push(PortRef::new(part.id, port::CONNECTOR));
            }
            CannulaRole::Arterial | CannulaRole::FemoralArterial | CannulaRole::VenousReturn => {
                returns.insert(PortRef::new(part.id, port::CONNECTOR));
            }
            CannulaRole::DualLumenVv => {
                drainage.push(PortRef::new(part.id, port::DRAINAGE));
                returns.insert(PortRef::new(part.id, port::RETURN));
            }
            // A distal perfusion catheter is fed from the arterial line; it is not the main return.
            CannulaRole::DistalPerfusion => {}
        }
    }
    (drainage, returns)
}

/// The main line: the shortest directed route from a drainage cannula to a return cannula, if blood can take one
/// with the pumps turning as `rotation` says.
pub fn main_line(circuit: &Circuit, catalog: &Catalog, rotation: Rotation) -> Option<Route> {
    let (drainage, returns) = cannula_ports(circuit, catalog);
    FlowGraph::with_rotation(circuit, catalog, rotation).main_route(circuit, &drainage, &returns)
}
