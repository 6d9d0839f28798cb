//! Questions about a circuit: what is on a port, how parts connect, labels, priming volume.

use super::{Circuit, Tube};
use crate::catalog::{Catalog, PartKind};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use petgraph::graphmap::UnGraphMap;
use std::collections::{BTreeMap, BTreeSet};

/// Priming volume of one part, mL.
#[derive(Debug, Clone, PartialEq)]
pub struct PartPrime {
    pub part: PartId,
    pub label: String,
    pub prime_ml: f64,
    /// On a sucker or vent line, which stays dry until the surgeon uses it: not counted in the total.
    pub dry: bool,
}

/// Priming volume of one tube, mL.
#[derive(Debug, Clone, PartialEq)]
pub struct TubePrime {
    pub tube: TubeId,
    pub label: String,
    pub length_m: f64,
    pub prime_ml: f64,
    /// On a sucker or vent line: not counted in the total.
    pub dry: bool,
}

/// Priming volume of a circuit, part by part and tube by tube.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimeReport {
    pub parts: Vec<PartPrime>,
    pub tubes: Vec<TubePrime>,
    /// Everything that is primed: the parts and tubes not marked dry.
    pub total_ml: f64,
}

/// What a circuit takes from the shelf: parts by catalog id (with the caps on its ports and the clamps on its
/// tubes), and tubing length by size, m.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KitUsage {
    pub counts: BTreeMap<CatalogId, u32>,
    pub lengths_m: BTreeMap<CatalogId, f64>,
}

/// At most this many paths are listed between two parts; a circuit with more has loops a trainee should see
/// another way.
const MAX_PATHS: usize = 64;

impl Circuit {
    /// What the circuit takes from the shelf.
    pub fn usage(&self, catalog: &Catalog) -> KitUsage {
        let mut usage = KitUsage::default();
        let accessory = |kind: PartKind| catalog.parts().find(|p| p.kind == kind).map(|p| p.id.clone());
        let (clamp_id, cap_id) = (accessory(PartKind::TubingClamp), accessory(PartKind::Cap));
        for part in self.parts() {
            *usage.counts.entry(part.catalog_id.clone()).or_default() += 1;
            if let Some(cap) = &cap_id {
                *usage.counts.entry(cap.clone()).or_default() += u32::try_from(part.capped.len()).unwrap_or(u32::MAX);
            }
        }
        for tube in self.tubes() {
            *usage.lengths_m.entry(tube.tubing.clone()).or_default() += tube.length_m;
            if tube.clamped
                && let Some(clamp) = &clamp_id
            {
                *usage.counts.entry(clamp.clone()).or_default() += 1;
            }
        }
        usage.counts.retain(|_, used| *used > 0);
        usage
    }

    /// Edits that build this circuit from an empty one: parts without their links, then tubes, then the links
    /// (a link may name a part added later). Replaying them gives back this circuit.
    pub fn rebuild_edits(&self) -> Vec<super::Edit> {
        use super::Edit;
        let parts =
            self.parts().map(|p| Edit::AddPart(super::PlacedPart { mounted_on: None, servo_to: None, ..p.clone() }));
        let tubes = self.tubes().map(|t| Edit::Connect(t.clone()));
        let links = self.parts().flat_map(|p| {
            let mount = p.mounted_on.map(|on| Edit::SetMount { part: p.id, on: Some(on) });
            let servo = p.servo_to.map(|to| Edit::SetServo { part: p.id, to: Some(to) });
            mount.into_iter().chain(servo)
        });
        parts.chain(tubes).chain(links).collect()
    }

    /// The water temperature set on the heater-cooler mounted on `host` (an oxygenator's or a cardioplegia set's
    /// heat exchanger), °C, if one is.
    pub fn water_temp_on(&self, host: PartId) -> Option<f64> {
        self.parts().find_map(|p| match p.controls {
            super::Controls::Water { temp_c } if p.mounted_on == Some(host) => Some(temp_c),
            _ => None,
        })
    }

    /// The tube on a port, if any.
    pub fn tube_on(&self, port: &PortRef) -> Option<&Tube> {
        self.tubes().find(|tube| tube.ends().contains(&port))
    }

    /// The port at the other end of the tube on `port`.
    pub fn connected_to(&self, port: &PortRef) -> Option<&PortRef> {
        self.tube_on(port).and_then(|tube| tube.other_end(port))
    }

    /// Tubes with an end on `part`.
    pub fn tubes_of(&self, part: PartId) -> impl Iterator<Item = &Tube> {
        self.tubes().filter(move |tube| tube.ends().iter().any(|end| end.part == part))
    }

    /// The label a trainee sees: the catalog kind's noun and its ordinal among parts of that noun
    /// ("Roller pump 2"), by id order, so labels are stable while parts are added.
    pub fn label(&self, catalog: &Catalog, id: PartId) -> String {
        if let Some(label) = self.part(id).and_then(|p| p.label.clone()) {
            return label;
        }
        let Some(noun) = self.kind_of(catalog, id).map(|kind| kind.noun()) else {
            return format!("Part {}", id.0);
        };
        let ordinal = self
            .parts()
            .filter(|part| part.id <= id)
            .filter(|part| self.kind_of(catalog, part.id).is_some_and(|kind| kind.noun() == noun))
            .count();
        let mut label = capitalise(noun);
        label.push_str(&format!(" {ordinal}"));
        label
    }

    /// Every part's label at once, in one pass (`label` for many parts would be quadratic).
    pub fn labels(&self, catalog: &Catalog) -> BTreeMap<PartId, String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        self.parts()
            .map(|part| {
                // A named part keeps its place in its kind's numbering, so naming one does not renumber the rest.
                let default = match self.kind_of(catalog, part.id).map(|kind| kind.noun()) {
                    Some(noun) => {
                        let ordinal = counts.entry(noun).or_default();
                        *ordinal += 1;
                        format!("{} {ordinal}", capitalise(noun))
                    }
                    None => format!("Part {}", part.id.0),
                };
                let label = part.label.clone().unwrap_or(default);
                (part.id, label)
            })
            .collect()
    }

    /// "Roller pump 1 outlet → Oxygenator 1 venous_inlet".
    pub fn tube_label(&self, catalog: &Catalog, tube: &Tube) -> String {
        let (from, to) = (self.label(catalog, tube.from.part), self.label(catalog, tube.to.part));
        format!("{from} {} → {to} {}", tube.from.port, tube.to.port)
    }

    /// Every simple path of parts from `from` to `to` along tubes (clamped or not), shortest first; at most
    /// `MAX_PATHS`.
    pub fn paths_between(&self, from: PartId, to: PartId) -> Vec<Vec<PartId>> {
        let mut graph = UnGraphMap::<PartId, ()>::new();
        for part in self.parts() {
            graph.add_node(part.id);
        }
        for tube in self.tubes() {
            graph.add_edge(tube.from.part, tube.to.part, ());
        }
        if !graph.contains_node(from) || !graph.contains_node(to) {
            return Vec::new();
        }
        if from == to {
            return vec![vec![from]];
        }
        let mut paths: Vec<Vec<PartId>> =
            petgraph::algo::all_simple_paths::<Vec<_>, _, std::collections::hash_map::RandomState>(
                &graph, from, to, 0, None,
            )
            .take(MAX_PATHS)
            .collect();
        paths.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        paths
    }

    /// Priming volume of every part and tube, and the total that is primed (catalog prime volumes; tube
    /// length × mL/m). Sucker and vent lines run dry until used (reference §1.2: suckers and vents return
    /// field blood to the cardiotomy reservoir), so they are listed but not counted.
    pub fn prime(&self, catalog: &Catalog) -> PrimeReport {
        let (dry_parts, dry_tubes) = self.suction_lines(catalog);
        let labels = self.labels(catalog);
        let label = |id: PartId| labels.get(&id).cloned().unwrap_or_default();
        let parts: Vec<PartPrime> = self
            .parts()
            .map(|part| PartPrime {
                part: part.id,
                label: label(part.id),
                prime_ml: catalog.part(&part.catalog_id).map_or(0.0, |spec| spec.prime_ml),
                dry: dry_parts.contains(&part.id),
            })
            .collect();
        let tubes: Vec<TubePrime> = self
            .tubes()
            .map(|tube| TubePrime {
                tube: tube.id,
                label: format!(
                    "{} {} → {} {}",
                    label(tube.from.part),
                    tube.from.port,
                    label(tube.to.part),
                    tube.to.port
                ),
                length_m: tube.length_m,
                prime_ml: catalog.tubing(&tube.tubing).map_or(0.0, |spec| spec.prime_ml_per_m * tube.length_m),
                dry: dry_tubes.contains(&tube.id),
            })
            .collect();
        let total_ml = parts.iter().filter(|p| !p.dry).map(|p| p.prime_ml).sum::<f64>()
            + tubes.iter().filter(|t| !t.dry).map(|t| t.prime_ml).sum::<f64>();
        PrimeReport { parts, tubes, total_ml }
    }

    /// The parts and tubes of the sucker and vent lines: everything reachable from a sucker or an LV vent
    /// through pumps, valves, connectors and sensors, up to (not into) the device the line empties into.
    fn suction_lines(&self, catalog: &Catalog) -> (BTreeSet<PartId>, BTreeSet<TubeId>) {
        let line_piece = |id: PartId| {
            matches!(
                self.kind_of(catalog, id),
                Some(
                    PartKind::CardiotomySucker
                        | PartKind::LvVent
                        | PartKind::RollerPump { .. }
                        | PartKind::OneWayValve { .. }
                        | PartKind::Connector { .. }
                        | PartKind::LuerPort
                        | PartKind::PressureTransducer
                        | PartKind::BubbleDetector
                        | PartKind::FlowProbe
                )
            )
        };
        let mut parts = BTreeSet::new();
        let mut tubes = BTreeSet::new();
        let mut queue: Vec<PartId> = self
            .parts()
            .filter(|p| matches!(self.kind_of(catalog, p.id), Some(PartKind::CardiotomySucker | PartKind::LvVent)))
            .map(|p| p.id)
            .collect();
        while let Some(id) = queue.pop() {
            if !parts.insert(id) {
                continue;
            }
            for tube in self.tubes_of(id) {
                tubes.insert(tube.id);
                for end in tube.ends() {
                    if end.part != id && line_piece(end.part) && !parts.contains(&end.part) {
                        queue.push(end.part);
                    }
                }
            }
        }
        (parts, tubes)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
