//! The trainee's assembly: parts placed on the canvas, tubing segments between their ports, clamps, caps,
//! links between sensors and pumps, and the machine's settings.
//!
//! The circuit has no setters: every change is an `Edit` applied by `Circuit::apply`, which checks it against
//! the catalog, refuses an impossible one with a reason, and returns the edit that undoes it. Loading a file
//! goes through the same door. Depends on `catalog` and `ids`; knows nothing of scenarios or the UI.

mod edit;
pub mod file;
pub mod flow;
mod history;
mod pumps;
mod query;

pub use edit::{Edit, EditError};
pub use history::History;
pub use pumps::PumpJob;
pub use query::{KitUsage, PartPrime, PrimeReport, TubePrime};

use crate::catalog::{Catalog, PartKind};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A position on the canvas, in canvas units (the UI converts to screen points).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CanvasPos {
    pub x: f32,
    pub y: f32,
}

/// Which way a pump head turns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PumpDirection {
    /// Blood moves from the inlet port to the outlet port.
    #[default]
    Forward,
    /// Blood is driven from the outlet back to the inlet (a reversed head or rotation).
    Reverse,
}

/// The settings a part exposes; which variant a part takes follows from its catalog kind.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Controls {
    /// The part has nothing to set.
    #[default]
    None,
    /// Roller and centrifugal pumps. `occlusion_set` says the roller occlusion has been adjusted (reference
    /// §3.4); it does not apply to centrifugal heads.
    Pump { rpm: f64, direction: PumpDirection, occlusion_set: bool },
    /// Oxygenator gas: sweep flow and inspired oxygen fraction.
    Gas { sweep_l_min: f64, fio2: f64 },
    /// Heater-cooler water temperature.
    Water { temp_c: f64 },
}

/// Fraction of oxygen in air (PHYS): the lowest FiO2 a blender gives.
pub const FIO2_AIR: f64 = 0.21;
/// Normal body temperature, °C: a heater-cooler's neutral setting (PHYS).
pub const BODY_TEMP_C: f64 = 37.0;

impl Controls {
    /// The settings a freshly placed part starts with: pumps stopped and occlusion not yet set, gas off on room
    /// air, water at body temperature.
    pub fn default_for(kind: &PartKind) -> Controls {
        match kind {
            PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. } => {
                Controls::Pump { rpm: 0.0, direction: PumpDirection::Forward, occlusion_set: false }
            }
            PartKind::Oxygenator { .. } => Controls::Gas { sweep_l_min: 0.0, fio2: FIO2_AIR },
            PartKind::HeaterCooler { .. } => Controls::Water { temp_c: BODY_TEMP_C },
            _ => Controls::None,
        }
    }

    /// Whether this variant is the one `kind` takes.
    pub fn fits(&self, kind: &PartKind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(&Controls::default_for(kind))
    }
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn is_default_controls(controls: &Controls) -> bool {
    *controls == Controls::None
}

/// One part on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacedPart {
    pub id: PartId,
    #[serde(rename = "part")]
    pub catalog_id: CatalogId,
    #[serde(rename = "pos")]
    pub pos_in_canvas: CanvasPos,
    /// Height relative to the patient's heart, cm; negative is below (a reservoir 50 cm below drains by gravity).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub height_cm: f64,
    #[serde(default, skip_serializing_if = "is_default_controls")]
    pub controls: Controls,
    /// The device this one is fixed to: a level sensor on its reservoir, a heater-cooler on its oxygenator's
    /// water ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mounted_on: Option<PartId>,
    /// The pump this sensor stops or slows (safety link / servo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servo_to: Option<PartId>,
    /// Ports closed with a luer cap.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub capped: BTreeSet<String>,
    /// The name the team calls this part by ("P-inlet", "pre-membrane"), used wherever the part is named: the
    /// canvas, findings, trends, alarms and reports. `None`: the default, its kind and number ("Pressure transducer
    /// 2"). At most `MAX_LABEL_CHARS` characters, unique in the circuit (`Edit::SetLabel` says what is refused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Drawn mirrored left to right: blood comes in on the right and leaves on the left (so lines that run right to
    /// left do not cross the part). The drawing only; the circuit is the same.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flipped: bool,
    /// Drawn turned clockwise by this much (after any flip), so a part can sit in a vertical line. The drawing only.
    #[serde(default, skip_serializing_if = "QuarterTurns::is_upright")]
    pub rotation_deg: QuarterTurns,
}

/// A turn of a part's drawing, clockwise on the screen, in whole quarter turns: written and read as degrees (0, 90,
/// 180 or 270), so no other angle can be held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct QuarterTurns(u8);

impl QuarterTurns {
    pub const UPRIGHT: QuarterTurns = QuarterTurns(0);

    /// How many quarter turns clockwise, 0–3.
    pub fn count(self) -> u8 {
        self.0
    }

    pub fn is_upright(&self) -> bool {
        self.0 == 0
    }

    /// A further quarter turn clockwise (270° comes back to 0°).
    pub fn clockwise(self) -> QuarterTurns {
        QuarterTurns((self.0 + 1) % 4)
    }

    /// A quarter turn anticlockwise.
    pub fn anticlockwise(self) -> QuarterTurns {
        QuarterTurns((self.0 + 3) % 4)
    }

    pub fn degrees(self) -> u16 {
        u16::from(self.0) * 90
    }
}

impl TryFrom<u16> for QuarterTurns {
    type Error = String;
    fn try_from(degrees: u16) -> Result<Self, Self::Error> {
        match degrees {
            0 | 90 | 180 | 270 => Ok(QuarterTurns((degrees / 90) as u8)),
            other => {
                Err(format!("a part turns in quarter turns: write 0, 90, 180 or 270 (degrees clockwise), not {other}"))
            }
        }
    }
}

impl From<QuarterTurns> for u16 {
    fn from(turns: QuarterTurns) -> u16 {
        turns.degrees()
    }
}

/// The longest part label, in characters: long enough for "pre-membrane (post-pump)", short enough for a trend
/// column and a canvas caption. A layout choice.
pub const MAX_LABEL_CHARS: usize = 24;

impl PlacedPart {
    /// A part as it is first dropped on the canvas; `AddPart` fills in the controls its kind takes.
    pub fn new(id: PartId, catalog_id: CatalogId, pos_in_canvas: CanvasPos) -> Self {
        Self {
            id,
            catalog_id,
            pos_in_canvas,
            height_cm: 0.0,
            controls: Controls::None,
            mounted_on: None,
            servo_to: None,
            capped: BTreeSet::new(),
            label: None,
            flipped: false,
            rotation_deg: QuarterTurns::UPRIGHT,
        }
    }
}

/// A length of tubing from one port to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tube {
    pub id: TubeId,
    pub from: PortRef,
    pub to: PortRef,
    /// The tubing size (a tubing id of the catalog).
    pub tubing: CatalogId,
    pub length_m: f64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clamped: bool,
}

impl Tube {
    pub fn ends(&self) -> [&PortRef; 2] {
        [&self.from, &self.to]
    }

    /// The end that is not `port`, when `port` is one of this tube's ends.
    pub fn other_end(&self, port: &PortRef) -> Option<&PortRef> {
        if &self.from == port {
            Some(&self.to)
        } else if &self.to == port {
            Some(&self.from)
        } else {
            None
        }
    }
}

/// Shortest and longest tube a trainee may lay, m. The upper bound is generous: real lines are a few metres.
pub const TUBE_LENGTH_RANGE_M: (f64, f64) = (0.01, 10.0);
/// Heights a part may sit at relative to the heart, cm: a theatre is about three metres floor to ceiling.
pub const HEIGHT_RANGE_CM: (f64, f64) = (-300.0, 300.0);

/// The most parts a circuit holds: over three times the largest real one (about 60 parts, the adult CPB reference
/// 24), so the work on any circuit the program accepts stays small (the network solve grows with the cube of its
/// size at worst). A modelling choice.
pub const MAX_PARTS: usize = 200;
/// The most tubes a circuit holds (the references hold 12–28).
pub const MAX_TUBES: usize = 300;

/// The assembly. Fields are private: read through the getters, change through `apply`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Circuit {
    parts: BTreeMap<PartId, PlacedPart>,
    tubes: BTreeMap<TubeId, Tube>,
    /// Bumped by every applied edit, so derived data (a network, findings) can tell it is stale.
    revision: u64,
}

impl Circuit {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn part(&self, id: PartId) -> Option<&PlacedPart> {
        self.parts.get(&id)
    }

    pub fn tube(&self, id: TubeId) -> Option<&Tube> {
        self.tubes.get(&id)
    }

    /// Parts in id order.
    pub fn parts(&self) -> impl Iterator<Item = &PlacedPart> {
        self.parts.values()
    }

    /// Tubes in id order.
    pub fn tubes(&self) -> impl Iterator<Item = &Tube> {
        self.tubes.values()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// An id no part has used, for the next `AddPart`.
    pub fn next_part_id(&self) -> PartId {
        PartId(self.parts.keys().next_back().map_or(1, |id| id.0.saturating_add(1)))
    }

    /// An id no tube has used, for the next `Connect`.
    pub fn next_tube_id(&self) -> TubeId {
        TubeId(self.tubes.keys().next_back().map_or(1, |id| id.0.saturating_add(1)))
    }

    /// The catalog kind of a placed part.
    pub fn kind_of<'c>(&self, catalog: &'c Catalog, id: PartId) -> Option<&'c PartKind> {
        self.part(id).and_then(|part| catalog.part(&part.catalog_id)).map(|spec| &spec.kind)
    }
}
