//! Circuit files (RON, versioned): loaded through the same `Edit` door as every other change, with the same
//! diagnostics as scenarios; saved atomically.

use super::{Circuit, Edit, PlacedPart, Tube};
use crate::catalog::Catalog;
use crate::input::{Checker, Diagnostics, Source};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The circuit format version files carry.
pub const CIRCUIT_FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Circuit")]
struct CircuitFile {
    version: u32,
    /// The scenario the circuit was built for (its file stem), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scenario: Option<String>,
    /// At most `MAX_PARTS` (and `MAX_TUBES` tubes): one more is refused where it is written, before the rest of
    /// the file is read.
    #[serde(default, deserialize_with = "crate::input::bounded::at_most::<_, _, { super::MAX_PARTS }>")]
    parts: Vec<PlacedPart>,
    #[serde(default, deserialize_with = "crate::input::bounded::at_most::<_, _, { super::MAX_TUBES }>")]
    tubes: Vec<Tube>,
}

/// A circuit read from a file, with the scenario it names.
#[derive(Debug, Clone)]
pub struct LoadedCircuit {
    pub circuit: Circuit,
    pub scenario: Option<String>,
}

pub fn load(path: &Path, catalog: &Catalog) -> Result<LoadedCircuit, Diagnostics> {
    from_source(&Source::read(path)?, catalog)
}

/// Builds the circuit edit by edit: parts first (without their links, which may name later parts), then tubes,
/// then links; each refusal becomes a diagnostic at the part or tube that caused it.
pub fn from_source(source: &Source, catalog: &Catalog) -> Result<LoadedCircuit, Diagnostics> {
    let file: CircuitFile = source.parse()?;
    let mut check = Checker::new(source);
    if !check.version(file.version, CIRCUIT_FORMAT_VERSION, "circuit") {
        return Err(Diagnostics(check.diagnostics));
    }
    let mut circuit = Circuit::new();
    let mut links = Vec::new();
    for (i, mut part) in file.parts.into_iter().enumerate() {
        let (id, mounted_on, servo_to) = (part.id, part.mounted_on.take(), part.servo_to.take());
        let at = format!("parts[{i}]");
        // A bad name is reported and the part read without it: its tubes and links still find it.
        let labelled = part.label.clone().map(|label| Edit::SetLabel { part: id, label: Some(label) });
        part.label = None;
        let added = circuit.apply(catalog, Edit::AddPart(part));
        if added.is_ok()
            && let Some(edit) = labelled
            && let Err(error) = circuit.apply(catalog, edit)
        {
            check.error(&format!("{at}.label"), error.to_string(), None);
        }
        match added {
            Ok(_) => {
                if let Some(on) = mounted_on {
                    links.push((format!("{at}.mounted_on"), Edit::SetMount { part: id, on: Some(on) }));
                }
                if let Some(to) = servo_to {
                    links.push((format!("{at}.servo_to"), Edit::SetServo { part: id, to: Some(to) }));
                }
            }
            Err(error) => check.error(&field_of_part_error(&at, &error), error.to_string(), None),
        }
    }
    for (i, tube) in file.tubes.into_iter().enumerate() {
        let at = format!("tubes[{i}]");
        if let Err(error) = circuit.apply(catalog, Edit::Connect(tube)) {
            check.error(&at, error.to_string(), None);
        }
    }
    for (at, edit) in links {
        if let Err(error) = circuit.apply(catalog, edit) {
            check.error(&at, error.to_string(), None);
        }
    }
    check.finish(LoadedCircuit { circuit, scenario: file.scenario })
}

fn field_of_part_error(at: &str, error: &super::EditError) -> String {
    use super::EditError as E;
    let field = match error {
        E::UnknownCatalogId { .. } | E::TubingIsNotAPart(_) | E::AccessoryNotPlaced { .. } => "part",
        E::PartIdTaken(_) => "id",
        E::NoSuchPort { .. } => "capped",
        E::WrongControls { .. } => "controls",
        E::OutOfRange { what, .. } if what.starts_with("canvas") => "pos",
        E::OutOfRange { what, .. } if *what == "height" => "height_cm",
        E::OutOfRange { .. } => "controls",
        _ => return at.to_owned(),
    };
    format!("{at}.{field}")
}

/// The circuit as RON text, ready to save.
pub fn to_ron(circuit: &Circuit, scenario: Option<&str>) -> String {
    let file = CircuitFile {
        version: CIRCUIT_FORMAT_VERSION,
        scenario: scenario.map(str::to_owned),
        parts: circuit.parts().cloned().collect(),
        tubes: circuit.tubes().cloned().collect(),
    };
    let config = ron::ser::PrettyConfig::new().struct_names(true).depth_limit(3);
    // Serialising plain data to a String cannot fail; an empty file would be refused on load, never mistaken.
    ron::ser::to_string_pretty(&file, config).unwrap_or_default()
}

/// Saves atomically: a crash mid-write leaves the old file intact.
pub fn save(path: &Path, circuit: &Circuit, scenario: Option<&str>) -> std::io::Result<()> {
    crate::atomic_write::write(path, to_ron(circuit, scenario).as_bytes())
}
