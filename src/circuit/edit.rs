//! `Edit`, the one way a circuit changes, and the checks that refuse an impossible edit with a reason.
//!
//! An edit that makes clinical nonsense (a reversed pump, a 1/4" tube on a 1/2" port) is allowed: finding it is
//! the validator's job and the trainee's lesson. Refused are edits that cannot physically happen or that refer
//! to nothing: a port joined to itself, a second tube on one port, a part that does not exist.

use super::{CanvasPos, Circuit, Controls, HEIGHT_RANGE_CM, PlacedPart, QuarterTurns, TUBE_LENGTH_RANGE_M, Tube};
use crate::catalog::{Catalog, Entry, PartKind};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use serde::{Deserialize, Serialize};

/// A change to a circuit. Values are self-contained (they carry the ids they create), so a log of edits replays
/// to the same circuit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    AddPart(PlacedPart),
    /// Removes the part, the tubes on its ports, and the links other parts had to it.
    RemovePart {
        part: PartId,
    },
    MovePart {
        part: PartId,
        to: CanvasPos,
    },
    SetHeight {
        part: PartId,
        height_cm: f64,
    },
    Connect(Tube),
    Disconnect {
        tube: TubeId,
    },
    /// Changes a tube's size (bore).
    SetTubing {
        tube: TubeId,
        tubing: CatalogId,
    },
    SetLength {
        tube: TubeId,
        length_m: f64,
    },
    SetClamp {
        tube: TubeId,
        clamped: bool,
    },
    SetCap {
        port: PortRef,
        capped: bool,
    },
    SetControls {
        part: PartId,
        controls: Controls,
    },
    /// Fixes a sensor or heater-cooler to a device, or frees it (`on: None`).
    SetMount {
        part: PartId,
        on: Option<PartId>,
    },
    /// Links a sensor to the pump it stops, or unlinks it (`to: None`).
    SetServo {
        part: PartId,
        to: Option<PartId>,
    },
    /// Mirrors a part's drawing left to right, or back (`flipped: false`).
    SetFlipped {
        part: PartId,
        flipped: bool,
    },
    /// Turns a part's drawing clockwise to the given quarter turn.
    SetRotation {
        part: PartId,
        rotation_deg: QuarterTurns,
    },
    /// Names a part as the team calls it ("P-inlet"), or gives it back its default name (`label: None`).
    SetLabel {
        part: PartId,
        label: Option<String>,
    },
    /// Several edits as one step (one gesture, one undo); all apply or none.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Whether a running circuit can take this edit: settings, clamps, heights, and moving a part on the canvas;
    /// anything that adds or removes parts, tubes, caps or links changes what the simulation runs on.
    pub fn changes_settings_only(&self) -> bool {
        match self {
            Edit::SetControls { .. }
            | Edit::SetClamp { .. }
            | Edit::SetHeight { .. }
            | Edit::MovePart { .. }
            | Edit::SetFlipped { .. }
            | Edit::SetRotation { .. } => true,
            Edit::Batch(edits) => edits.iter().all(Edit::changes_settings_only),
            _ => false,
        }
    }
}

/// Why an edit was refused, in words for the trainee.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error(
        "a circuit holds at most {max} {what}: this one would hold more (the largest real circuit has about 60 parts)"
    )]
    TooMany { what: &'static str, max: usize },
    #[error("there is no {0} in this circuit")]
    NoSuchPart(PartId),
    #[error("there is no {0} in this circuit")]
    NoSuchTube(TubeId),
    #[error("{0} is already used")]
    PartIdTaken(PartId),
    #[error("{0} is already used")]
    TubeIdTaken(TubeId),
    #[error("\"{id}\" is not in the catalog ({hint})")]
    UnknownCatalogId { id: CatalogId, hint: String },
    #[error("\"{0}\" is tubing: lay it between two ports instead of placing it")]
    TubingIsNotAPart(CatalogId),
    #[error("\"{0}\" is not tubing: choose a tubing size")]
    NotTubing(CatalogId),
    #[error("a {noun} is put on a {target}, not placed on the canvas")]
    AccessoryNotPlaced { noun: &'static str, target: &'static str },
    #[error("{part} has no port \"{port}\" ({hint})")]
    NoSuchPort { part: String, port: String, hint: String },
    #[error("the name \"{label}\" cannot be used: {why}")]
    BadLabel { label: String, why: String },
    #[error("a port cannot be joined to itself")]
    PortToItself,
    #[error("{0} already has a tube: each port takes one line (use a Y connector to branch)")]
    PortInUse(PortRef),
    #[error("{0} is capped: take the cap off first")]
    PortCapped(PortRef),
    #[error("{0} has a tube on it: disconnect it before capping")]
    CapOnConnectedPort(PortRef),
    #[error("{what} must be a number from {min} to {max}{}", unit_suffix(unit))]
    OutOfRange { what: &'static str, min: f64, max: f64, unit: &'static str },
    #[error("{part} takes no such settings ({expected})")]
    WrongControls { part: String, expected: &'static str },
    #[error("{} cannot be mounted on {}", with_article(noun), with_article(target))]
    BadMount { noun: &'static str, target: &'static str },
    #[error(
        "{} is not a sensor: only level sensors, bubble detectors, pressure transducers and flow probes stop a pump",
        with_article(noun)
    )]
    NotASensor { noun: &'static str },
    #[error("{} is not a pump: link the sensor to the pump it must stop", with_article(target))]
    NotAPump { target: &'static str },
    #[error("a part cannot be linked to itself")]
    LinkToItself,
}

impl Circuit {
    /// Applies `edit` if it is possible and returns the edit that undoes it; refuses it otherwise, leaving the
    /// circuit unchanged.
    pub fn apply(&mut self, catalog: &Catalog, edit: Edit) -> Result<Edit, EditError> {
        let inverse = self.apply_unrevised(catalog, edit)?;
        self.revision += 1;
        Ok(inverse)
    }

    fn apply_unrevised(&mut self, catalog: &Catalog, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::AddPart(part) => self.add_part(catalog, part),
            Edit::RemovePart { part } => self.remove_part(part),
            Edit::MovePart { part, to } => {
                check_finite_pos(to)?;
                let placed = self.part_mut(part)?;
                let from = std::mem::replace(&mut placed.pos_in_canvas, to);
                Ok(Edit::MovePart { part, to: from })
            }
            Edit::SetHeight { part, height_cm } => {
                check_range("height", height_cm, HEIGHT_RANGE_CM, "cm")?;
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.height_cm, height_cm);
                Ok(Edit::SetHeight { part, height_cm: old })
            }
            Edit::Connect(tube) => self.connect(catalog, tube),
            Edit::Disconnect { tube } => {
                let removed = self.tubes.remove(&tube).ok_or(EditError::NoSuchTube(tube))?;
                Ok(Edit::Connect(removed))
            }
            Edit::SetTubing { tube, tubing } => {
                check_tubing(catalog, &tubing)?;
                let segment = self.tube_mut(tube)?;
                let old = std::mem::replace(&mut segment.tubing, tubing);
                Ok(Edit::SetTubing { tube, tubing: old })
            }
            Edit::SetLength { tube, length_m } => {
                check_range("tube length", length_m, TUBE_LENGTH_RANGE_M, "m")?;
                let segment = self.tube_mut(tube)?;
                let old = std::mem::replace(&mut segment.length_m, length_m);
                Ok(Edit::SetLength { tube, length_m: old })
            }
            Edit::SetClamp { tube, clamped } => {
                let segment = self.tube_mut(tube)?;
                let old = std::mem::replace(&mut segment.clamped, clamped);
                Ok(Edit::SetClamp { tube, clamped: old })
            }
            Edit::SetCap { port, capped } => self.set_cap(catalog, port, capped),
            Edit::SetControls { part, controls } => {
                let kind = self.kind_of(catalog, part).ok_or(EditError::NoSuchPart(part))?;
                check_controls(self.label(catalog, part), kind, &controls)?;
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.controls, controls);
                Ok(Edit::SetControls { part, controls: old })
            }
            Edit::SetMount { part, on } => {
                if let Some(target) = on {
                    self.check_mount(catalog, part, target)?;
                }
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.mounted_on, on);
                Ok(Edit::SetMount { part, on: old })
            }
            Edit::SetServo { part, to } => {
                if let Some(target) = to {
                    self.check_servo(catalog, part, target)?;
                }
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.servo_to, to);
                Ok(Edit::SetServo { part, to: old })
            }
            Edit::SetFlipped { part, flipped } => {
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.flipped, flipped);
                Ok(Edit::SetFlipped { part, flipped: old })
            }
            Edit::SetRotation { part, rotation_deg } => {
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.rotation_deg, rotation_deg);
                Ok(Edit::SetRotation { part, rotation_deg: old })
            }
            Edit::SetLabel { part, label } => {
                if let Some(label) = &label {
                    self.check_label(catalog, part, label)?;
                }
                let placed = self.part_mut(part)?;
                let old = std::mem::replace(&mut placed.label, label);
                Ok(Edit::SetLabel { part, label: old })
            }
            Edit::Batch(edits) => self.apply_batch(catalog, edits),
        }
    }

    /// A label must be short, printable and unique, and must not look like another part's default name (a second
    /// pump added later would be called "Roller pump 2" too).
    fn check_label(&self, catalog: &Catalog, part: PartId, label: &str) -> Result<(), EditError> {
        let refuse = |why: String| Err(EditError::BadLabel { label: label.to_owned(), why });
        if label.trim().is_empty() || label.trim() != label {
            return refuse("write a name without spaces at either end (or clear it for the default name)".into());
        }
        if label.chars().count() > super::MAX_LABEL_CHARS {
            return refuse(format!("write at most {} characters", super::MAX_LABEL_CHARS));
        }
        if label.chars().any(char::is_control) {
            return refuse("write it on one line, without control characters".into());
        }
        if let Some((stem, number)) = label.rsplit_once(' ')
            && number.parse::<u32>().is_ok()
            && catalog.parts().any(|spec| spec.kind.noun().eq_ignore_ascii_case(stem))
        {
            return refuse("that is the form of a default name: choose another (\"P-inlet\", \"pre-membrane\")".into());
        }
        let taken = self.labels(catalog).into_iter().any(|(id, name)| id != part && name.eq_ignore_ascii_case(label));
        if taken {
            return refuse("another part has that name: each part's name is its own".into());
        }
        Ok(())
    }

    fn apply_batch(&mut self, catalog: &Catalog, edits: Vec<Edit>) -> Result<Edit, EditError> {
        let mut inverses = Vec::with_capacity(edits.len());
        for edit in edits {
            match self.apply_unrevised(catalog, edit) {
                Ok(inverse) => inverses.push(inverse),
                Err(error) => {
                    // Undo what this batch already did, newest first; inverses of applied edits always apply.
                    for inverse in inverses.into_iter().rev() {
                        let _ = self.apply_unrevised(catalog, inverse);
                    }
                    return Err(error);
                }
            }
        }
        inverses.reverse();
        Ok(Edit::Batch(inverses))
    }

    fn part_mut(&mut self, id: PartId) -> Result<&mut PlacedPart, EditError> {
        self.parts.get_mut(&id).ok_or(EditError::NoSuchPart(id))
    }

    fn tube_mut(&mut self, id: TubeId) -> Result<&mut Tube, EditError> {
        self.tubes.get_mut(&id).ok_or(EditError::NoSuchTube(id))
    }

    fn add_part(&mut self, catalog: &Catalog, mut part: PlacedPart) -> Result<Edit, EditError> {
        if self.parts.contains_key(&part.id) {
            return Err(EditError::PartIdTaken(part.id));
        }
        if self.parts.len() >= super::MAX_PARTS {
            return Err(EditError::TooMany { what: "parts", max: super::MAX_PARTS });
        }
        let spec = match catalog.entry(&part.catalog_id) {
            Some(Entry::Part(spec)) => spec,
            Some(Entry::Tubing(_)) => return Err(EditError::TubingIsNotAPart(part.catalog_id)),
            None => {
                let hint = catalog.nearest_hint(part.catalog_id.as_str());
                return Err(EditError::UnknownCatalogId { id: part.catalog_id, hint });
            }
        };
        match spec.kind {
            PartKind::Cap => return Err(EditError::AccessoryNotPlaced { noun: "luer cap", target: "port" }),
            PartKind::TubingClamp => {
                return Err(EditError::AccessoryNotPlaced { noun: "tubing clamp", target: "tube" });
            }
            _ => {}
        }
        check_finite_pos(part.pos_in_canvas)?;
        check_range("height", part.height_cm, HEIGHT_RANGE_CM, "cm")?;
        if part.controls == Controls::None {
            part.controls = Controls::default_for(&spec.kind);
        }
        check_controls(spec.name.clone(), &spec.kind, &part.controls)?;
        if let Some(label) = &part.label {
            self.check_label(catalog, part.id, label)?;
        }
        for port in &part.capped {
            if spec.port(port).is_none() {
                return Err(no_such_port(&spec.name, spec, port));
            }
        }
        let (id, mounted_on, servo_to) = (part.id, part.mounted_on, part.servo_to);
        part.mounted_on = None;
        part.servo_to = None;
        self.parts.insert(id, part);
        // Links are checked with the part in place, and undone with it if they are refused.
        let linked = mounted_on
            .map_or(Ok(()), |target| self.check_mount(catalog, id, target))
            .and_then(|()| servo_to.map_or(Ok(()), |target| self.check_servo(catalog, id, target)));
        if let Err(error) = linked {
            self.parts.remove(&id);
            return Err(error);
        }
        if let Some(placed) = self.parts.get_mut(&id) {
            placed.mounted_on = mounted_on;
            placed.servo_to = servo_to;
        }
        Ok(Edit::RemovePart { part: id })
    }

    fn remove_part(&mut self, id: PartId) -> Result<Edit, EditError> {
        let part = self.parts.remove(&id).ok_or(EditError::NoSuchPart(id))?;
        let mut restore = vec![Edit::AddPart(part)];
        let tube_ids: Vec<TubeId> =
            self.tubes.values().filter(|tube| tube.ends().iter().any(|end| end.part == id)).map(|t| t.id).collect();
        for tube_id in tube_ids {
            if let Some(tube) = self.tubes.remove(&tube_id) {
                restore.push(Edit::Connect(tube));
            }
        }
        for other in self.parts.values_mut() {
            if other.mounted_on == Some(id) {
                other.mounted_on = None;
                restore.push(Edit::SetMount { part: other.id, on: Some(id) });
            }
            if other.servo_to == Some(id) {
                other.servo_to = None;
                restore.push(Edit::SetServo { part: other.id, to: Some(id) });
            }
        }
        Ok(if restore.len() == 1 { restore.remove(0) } else { Edit::Batch(restore) })
    }

    fn connect(&mut self, catalog: &Catalog, tube: Tube) -> Result<Edit, EditError> {
        if self.tubes.contains_key(&tube.id) {
            return Err(EditError::TubeIdTaken(tube.id));
        }
        if self.tubes.len() >= super::MAX_TUBES {
            return Err(EditError::TooMany { what: "tubes", max: super::MAX_TUBES });
        }
        check_tubing(catalog, &tube.tubing)?;
        check_range("tube length", tube.length_m, TUBE_LENGTH_RANGE_M, "m")?;
        if tube.from == tube.to {
            return Err(EditError::PortToItself);
        }
        for end in tube.ends() {
            self.check_port_exists(catalog, end)?;
            if self.tube_on(end).is_some() {
                return Err(EditError::PortInUse(end.clone()));
            }
            if self.part(end.part).is_some_and(|part| part.capped.contains(&end.port)) {
                return Err(EditError::PortCapped(end.clone()));
            }
        }
        let id = tube.id;
        self.tubes.insert(id, tube);
        Ok(Edit::Disconnect { tube: id })
    }

    fn set_cap(&mut self, catalog: &Catalog, port: PortRef, capped: bool) -> Result<Edit, EditError> {
        self.check_port_exists(catalog, &port)?;
        if capped && self.tube_on(&port).is_some() {
            return Err(EditError::CapOnConnectedPort(port));
        }
        let placed = self.part_mut(port.part)?;
        let was = if capped { !placed.capped.insert(port.port.clone()) } else { placed.capped.remove(&port.port) };
        Ok(Edit::SetCap { port, capped: was })
    }

    fn check_port_exists(&self, catalog: &Catalog, port: &PortRef) -> Result<(), EditError> {
        let part = self.part(port.part).ok_or(EditError::NoSuchPart(port.part))?;
        let spec = catalog.part(&part.catalog_id).ok_or_else(|| EditError::UnknownCatalogId {
            id: part.catalog_id.clone(),
            hint: catalog.nearest_hint(part.catalog_id.as_str()),
        })?;
        if spec.port(&port.port).is_none() {
            return Err(no_such_port(&self.label(catalog, port.part), spec, &port.port));
        }
        Ok(())
    }

    /// The parts `part` can be mounted on (a level sensor on a reservoir, a heater-cooler on an oxygenator).
    pub fn mount_targets(&self, catalog: &Catalog, part: PartId) -> Vec<PartId> {
        self.parts().map(|p| p.id).filter(|t| self.check_mount(catalog, part, *t).is_ok()).collect()
    }

    /// The pumps the sensor `part` can stop.
    pub fn servo_targets(&self, catalog: &Catalog, part: PartId) -> Vec<PartId> {
        self.parts().map(|p| p.id).filter(|t| self.check_servo(catalog, part, *t).is_ok()).collect()
    }

    fn check_mount(&self, catalog: &Catalog, part: PartId, target: PartId) -> Result<(), EditError> {
        if part == target {
            return Err(EditError::LinkToItself);
        }
        let kind = self.kind_of(catalog, part).ok_or(EditError::NoSuchPart(part))?;
        let target_kind = self.kind_of(catalog, target).ok_or(EditError::NoSuchPart(target))?;
        if kind.mounts_on(target_kind) {
            Ok(())
        } else {
            Err(EditError::BadMount { noun: kind.noun(), target: target_kind.noun() })
        }
    }

    fn check_servo(&self, catalog: &Catalog, part: PartId, target: PartId) -> Result<(), EditError> {
        if part == target {
            return Err(EditError::LinkToItself);
        }
        let kind = self.kind_of(catalog, part).ok_or(EditError::NoSuchPart(part))?;
        let target_kind = self.kind_of(catalog, target).ok_or(EditError::NoSuchPart(target))?;
        let is_sensor = matches!(
            kind,
            PartKind::LevelSensor | PartKind::BubbleDetector | PartKind::PressureTransducer | PartKind::FlowProbe
        );
        let is_pump = matches!(target_kind, PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. });
        if !is_sensor {
            Err(EditError::NotASensor { noun: kind.noun() })
        } else if !is_pump {
            Err(EditError::NotAPump { target: target_kind.noun() })
        } else {
            Ok(())
        }
    }
}

/// "an oxygenator", "a roller pump", "an LV vent".
fn with_article(noun: &str) -> String {
    let vowel_sound = noun.starts_with(['a', 'e', 'i', 'o', 'u']) || noun.starts_with("LV");
    format!("{} {noun}", if vowel_sound { "an" } else { "a" })
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() { String::new() } else { format!(" {unit}") }
}

fn no_such_port(part: &str, spec: &crate::catalog::PartSpec, port: &str) -> EditError {
    let hint = if spec.ports.is_empty() {
        "it has no ports".to_owned()
    } else {
        crate::input::nearest_hint(port, spec.ports.iter().map(|p| p.name.as_str()))
    };
    EditError::NoSuchPort { part: part.to_owned(), port: port.to_owned(), hint }
}

fn check_tubing(catalog: &Catalog, id: &CatalogId) -> Result<(), EditError> {
    match catalog.entry(id) {
        Some(Entry::Tubing(_)) => Ok(()),
        Some(Entry::Part(_)) => Err(EditError::NotTubing(id.clone())),
        None => Err(EditError::UnknownCatalogId { id: id.clone(), hint: catalog.nearest_hint(id.as_str()) }),
    }
}

fn check_range(what: &'static str, value: f64, (min, max): (f64, f64), unit: &'static str) -> Result<(), EditError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(EditError::OutOfRange { what, min, max, unit })
    }
}

/// The canvas is large but finite; positions beyond a kilometre of canvas units are a mistake.
const CANVAS_LIMIT: f64 = 1.0e6;

fn check_finite_pos(pos: CanvasPos) -> Result<(), EditError> {
    check_range("canvas x", f64::from(pos.x), (-CANVAS_LIMIT, CANVAS_LIMIT), "units")?;
    check_range("canvas y", f64::from(pos.y), (-CANVAS_LIMIT, CANVAS_LIMIT), "units")
}

/// Sweep gas the blender-flowmeter offers, L/min. UNSOURCED as a device limit: the reference gives 0.5 L/min as
/// the least while blood flows and 2:1 gas:blood as the most for paediatric devices (§4.1, §6.7); 15 L/min
/// covers adult practice.
const SWEEP_RANGE_L_MIN: (f64, f64) = (0.0, 15.0);

fn check_controls(part: String, kind: &PartKind, controls: &Controls) -> Result<(), EditError> {
    if !controls.fits(kind) {
        let expected = match Controls::default_for(kind) {
            Controls::None => "it has no settings",
            Controls::Pump { .. } => "it takes pump settings",
            Controls::Gas { .. } => "it takes gas settings",
            Controls::Water { .. } => "it takes a water temperature",
        };
        return Err(EditError::WrongControls { part, expected });
    }
    match (*controls, kind) {
        (
            Controls::Pump { rpm, .. },
            PartKind::RollerPump { max_rpm, .. } | PartKind::CentrifugalPump { max_rpm, .. },
        ) => check_range("pump speed", rpm, (0.0, *max_rpm), "rpm"),
        (Controls::Gas { sweep_l_min, fio2 }, _) => {
            check_range("sweep gas", sweep_l_min, SWEEP_RANGE_L_MIN, "L/min")?;
            // An air–oxygen blender gives air (0.21) to pure oxygen (PHYS).
            check_range("FiO2", fio2, (super::FIO2_AIR, 1.0), "")
        }
        (Controls::Water { temp_c }, PartKind::HeaterCooler { max_water_temp_c, min_water_temp_c }) => {
            check_range("water temperature", temp_c, (*min_water_temp_c, *max_water_temp_c), "°C")
        }
        _ => Ok(()),
    }
}
