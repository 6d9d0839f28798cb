//! Identifier newtypes shared by the catalog, circuits and scenarios.
//!
//! Kept apart so every module can name a part or a port without depending on the module that owns it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The id of a catalog entry, as written in assets/catalog.ron ("roller_pump_1_2").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CatalogId(pub String);

impl CatalogId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CatalogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A part placed in one circuit; unique within that circuit (a new part takes the highest id in use + 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartId(pub u32);

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "part {}", self.0)
    }
}

/// A tubing segment in one circuit; unique within that circuit (a new tube takes the highest id in use + 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TubeId(pub u32);

impl fmt::Display for TubeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tube {}", self.0)
    }
}

/// One port of one placed part: `(part: 3, port: "outlet")` in a circuit file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortRef {
    pub part: PartId,
    pub port: String,
}

impl PortRef {
    pub fn new(part: PartId, port: impl Into<String>) -> Self {
        Self { part, port: port.into() }
    }
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.part, self.port)
    }
}
