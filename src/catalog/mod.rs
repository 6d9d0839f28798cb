//! The component catalog: every part and tubing size a perfusionist can assemble, with its specification.
//!
//! The bundled catalog (assets/catalog.ron) is compiled into the binary so the app runs from any directory;
//! `--catalog FILE` loads another one with the same checks. Depends on `ids`, `units` and `input` only.

mod spec;

pub use spec::{
    Bore, CannulaRole, ConnectorType, FlowRange, OxygenatorClass, PartKind, PartSpec, PortDir, PortSpec, PressureDrop,
    ReservoirType, TubingSpec, port,
};

use crate::ids::CatalogId;
use crate::input::{Checker, Diagnostics, Source};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The catalog format version files carry.
pub const CATALOG_FORMAT_VERSION: u32 = 1;

const BUNDLED: &str = include_str!("../../assets/catalog.ron");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Catalog")]
struct RawCatalog {
    version: u32,
    tubing: Vec<TubingSpec>,
    parts: Vec<PartSpec>,
}

/// A checked catalog: ids unique, numbers finite and in range, ports unique within each part.
#[derive(Debug, Clone)]
pub struct Catalog {
    parts: BTreeMap<CatalogId, PartSpec>,
    tubing: BTreeMap<CatalogId, TubingSpec>,
    /// Part and tubing ids in file order, for palettes and listings.
    order: Vec<CatalogId>,
}

/// What a catalog id names.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    Part(&'a PartSpec),
    Tubing(&'a TubingSpec),
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn bundled() -> Result<Self, Diagnostics> {
        Self::from_source(&Source::new("assets/catalog.ron", BUNDLED))
    }

    /// The catalog in `path` when one is given (`--catalog FILE`), the bundled one otherwise.
    pub fn load_or_bundled(path: Option<&Path>) -> Result<Self, Diagnostics> {
        match path {
            Some(path) => Self::load(path),
            None => Self::bundled(),
        }
    }

    pub fn load(path: &Path) -> Result<Self, Diagnostics> {
        Self::from_source(&Source::read(path)?)
    }

    pub fn from_source(source: &Source) -> Result<Self, Diagnostics> {
        let raw: RawCatalog = source.parse()?;
        let mut check = Checker::new(source);
        check.version(raw.version, CATALOG_FORMAT_VERSION, "catalog");
        let mut catalog = Catalog { parts: BTreeMap::new(), tubing: BTreeMap::new(), order: Vec::new() };
        let mut seen = BTreeSet::new();
        for (i, tubing) in raw.tubing.into_iter().enumerate() {
            let at = format!("tubing[{i}]");
            check_tubing(&mut check, &at, &tubing);
            if !seen.insert(tubing.id.clone()) {
                check.error(&format!("{at}.id"), format!("id \"{}\" is used twice", tubing.id), None);
            }
            catalog.order.push(tubing.id.clone());
            catalog.tubing.insert(tubing.id.clone(), tubing);
        }
        for (i, part) in raw.parts.into_iter().enumerate() {
            let at = format!("parts[{i}]");
            check_part(&mut check, &at, &part);
            if !seen.insert(part.id.clone()) {
                check.error(&format!("{at}.id"), format!("id \"{}\" is used twice", part.id), None);
            }
            catalog.order.push(part.id.clone());
            catalog.parts.insert(part.id.clone(), part);
        }
        check.finish(catalog)
    }

    pub fn part(&self, id: &CatalogId) -> Option<&PartSpec> {
        self.parts.get(id)
    }

    pub fn tubing(&self, id: &CatalogId) -> Option<&TubingSpec> {
        self.tubing.get(id)
    }

    pub fn entry(&self, id: &CatalogId) -> Option<Entry<'_>> {
        self.part(id).map(Entry::Part).or_else(|| self.tubing(id).map(Entry::Tubing))
    }

    /// Every id, parts and tubing, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &CatalogId> + Clone {
        self.order.iter()
    }

    pub fn parts(&self) -> impl Iterator<Item = &PartSpec> {
        self.order.iter().filter_map(|id| self.parts.get(id))
    }

    pub fn tubings(&self) -> impl Iterator<Item = &TubingSpec> {
        self.order.iter().filter_map(|id| self.tubing.get(id))
    }

    /// The display name of an id, or the id itself when unknown.
    pub fn name_of(&self, id: &CatalogId) -> String {
        match self.entry(id) {
            Some(Entry::Part(part)) => part.name.clone(),
            Some(Entry::Tubing(tubing)) => tubing.name.clone(),
            None => id.to_string(),
        }
    }

    /// A "nearest: ..." hint for an unknown id.
    pub fn nearest_hint(&self, id: &str) -> String {
        if crate::input::nearest(id, self.ids().map(CatalogId::as_str)).is_empty() {
            "no similar id; assets/catalog.ron lists them all".to_owned()
        } else {
            crate::input::nearest_hint(id, self.ids().map(CatalogId::as_str))
        }
    }
}

// The ranges below are plausibility bounds that catch typos and unit slips in a catalog file (a prime in litres, a
// flow in mL/min); they are not device specifications.

fn check_tubing(check: &mut Checker, at: &str, tubing: &TubingSpec) {
    check_names(check, at, &tubing.id, &tubing.name);
    if matches!(tubing.bore, Bore::Any) {
        check.error(&format!("{at}.bore"), "tubing cannot have bore \"any\"", Some("give its real bore".into()));
    }
    check.range(&format!("{at}.inner_diameter_mm"), tubing.inner_diameter_mm, 0.5, 30.0, "mm");
    check.range(&format!("{at}.prime_ml_per_m"), tubing.prime_ml_per_m, 0.1, 1000.0, "mL/m");
}

fn check_names(check: &mut Checker, at: &str, id: &CatalogId, name: &str) {
    let well_formed = !id.as_str().is_empty()
        && id.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        check.error(
            &format!("{at}.id"),
            format!("\"{id}\" is not a valid id"),
            Some("use lower-case letters, digits and _".into()),
        );
    }
    if name.trim().is_empty() {
        check.error(&format!("{at}.name"), "the name is empty", Some("give the name a trainee sees".into()));
    }
}

fn check_part(check: &mut Checker, at: &str, part: &PartSpec) {
    check_names(check, at, &part.id, &part.name);
    check.range(&format!("{at}.prime_ml"), part.prime_ml, 0.0, 5000.0, "mL");
    if let Some(flow) = part.rated_flow {
        check.range(&format!("{at}.rated_flow.min_l_min"), flow.min_l_min, 0.0, 10.0, "L/min");
        check.range(&format!("{at}.rated_flow.max_l_min"), flow.max_l_min, 0.0, 15.0, "L/min");
        if flow.min_l_min > flow.max_l_min {
            check.error(&format!("{at}.rated_flow"), "min_l_min is above max_l_min", Some("swap them".into()));
        }
    }
    let law = format!("{at}.pressure_drop");
    match part.pressure_drop {
        PressureDrop::Negligible => {}
        PressureDrop::Linear { mmhg_per_l_min } => {
            check.range(&format!("{law}.mmhg_per_l_min"), mmhg_per_l_min, 0.0, 1000.0, "mmHg per L/min");
        }
        PressureDrop::Quadratic { a_mmhg_per_l_min, b_mmhg_per_l_min2 } => {
            check.range(&format!("{law}.a_mmhg_per_l_min"), a_mmhg_per_l_min, 0.0, 1000.0, "mmHg per L/min");
            check.range(&format!("{law}.b_mmhg_per_l_min2"), b_mmhg_per_l_min2, 0.0, 10000.0, "mmHg per (L/min)²");
        }
    }
    let mut names = BTreeSet::new();
    for (i, port) in part.ports.iter().enumerate() {
        if !names.insert(port.name.as_str()) {
            check.error(&format!("{at}.ports[{i}].name"), format!("port \"{}\" is listed twice", port.name), None);
        }
    }
    for needed in part.kind.required_ports() {
        if !names.contains(needed) {
            check.error(
                &format!("{at}.ports"),
                format!(
                    "a {} needs a port named \"{needed}\": the simulation finds its role by that name",
                    part.kind.noun()
                ),
                Some(format!("rename the port that plays that role to \"{needed}\"")),
            );
        }
    }
    if part.kind.is_accessory() && !part.ports.is_empty() {
        check.error(&format!("{at}.ports"), "caps and clamps have no ports", Some("remove the ports".into()));
    }
    check_kind(check, &format!("{at}.kind"), &part.kind);
}

fn check_kind(check: &mut Checker, at: &str, kind: &PartKind) {
    let field = |name: &str| format!("{at}.{name}");
    match *kind {
        PartKind::Cannula { french, .. } => {
            // Two-stage venous cannulae reach 46–51 Fr at their atrial basket (reference §1.1: 36/46).
            check.range(&field("french"), french, 4.0, 60.0, "Fr");
        }
        PartKind::Reservoir { capacity_ml, min_level_ml, .. } => {
            check.range(&field("capacity_ml"), capacity_ml, 10.0, 10000.0, "mL");
            check.range(&field("min_level_ml"), min_level_ml, 0.0, capacity_ml.max(0.0), "mL");
        }
        PartKind::RollerPump { stroke_ml_per_rev, max_rpm } => {
            check.range(&field("stroke_ml_per_rev"), stroke_ml_per_rev, 0.1, 200.0, "mL/rev");
            check.range(&field("max_rpm"), max_rpm, 1.0, 500.0, "rpm");
        }
        PartKind::CentrifugalPump { max_rpm, shutoff_head_mmhg, reference_rpm, head_drop_mmhg_per_l_min } => {
            check.range(&field("max_rpm"), max_rpm, 100.0, 20000.0, "rpm");
            check.range(&field("shutoff_head_mmhg"), shutoff_head_mmhg, 1.0, 2000.0, "mmHg");
            check.range(&field("reference_rpm"), reference_rpm, 100.0, 20000.0, "rpm");
            check.range(&field("head_drop_mmhg_per_l_min"), head_drop_mmhg_per_l_min, 0.0, 1000.0, "mmHg per L/min");
        }
        PartKind::Oxygenator { o2_transfer_ml_min, heat_exchanger_factor, .. } => {
            check.range(&field("o2_transfer_ml_min"), o2_transfer_ml_min, 1.0, 2000.0, "mL/min");
            check.range(&field("heat_exchanger_factor"), heat_exchanger_factor, 0.0, 1.0, "");
        }
        PartKind::HeaterCooler { max_water_temp_c, min_water_temp_c } => {
            check.range(&field("max_water_temp_c"), max_water_temp_c, 0.0, 45.0, "°C");
            check.range(&field("min_water_temp_c"), min_water_temp_c, 0.0, max_water_temp_c.max(0.0), "°C");
        }
        PartKind::ArterialFilter { screen_um } => {
            check.range(&field("screen_um"), screen_um, 1.0, 500.0, "µm");
        }
        PartKind::OneWayValve { opening_mmhg } => {
            check.range(&field("opening_mmhg"), opening_mmhg, 0.0, 500.0, "mmHg");
        }
        PartKind::CardioplegiaSet { blood_to_crystalloid } => {
            check.range(&field("blood_to_crystalloid"), blood_to_crystalloid, 0.0, 100.0, "");
        }
        PartKind::Connector { .. }
        | PartKind::LuerPort
        | PartKind::Cap
        | PartKind::TubingClamp
        | PartKind::PressureTransducer
        | PartKind::BubbleDetector
        | PartKind::LevelSensor
        | PartKind::FlowProbe
        | PartKind::CardiotomySucker
        | PartKind::LvVent
        | PartKind::Haemoconcentrator => {}
    }
}
