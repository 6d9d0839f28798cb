//! The specification of one catalog entry, exactly as assets/catalog.ron writes it.
//!
//! Units are in the field names (clinical units: mL, L/min, mmHg, °C, rpm); the simulation converts through
//! `units`. Every number in the catalog file carries a comment naming its source.

use crate::ids::CatalogId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The connector bore of a port or the inner diameter class of a tube.
///
/// Written as a string in files: `"3/16"`, `"1/4"`, `"3/8"`, `"1/2"` (inches, tubing ID), `"luer"` (luer lock
/// fittings and the small-bore monitoring lines that carry them), or `"any"` for clip-on devices (a bubble
/// detector or flow probe clamps over whatever tube runs through it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Bore {
    Luer,
    In3_16,
    In1_4,
    In3_8,
    In1_2,
    Any,
}

impl Bore {
    pub const ALL: [Bore; 6] = [Bore::Luer, Bore::In3_16, Bore::In1_4, Bore::In3_8, Bore::In1_2, Bore::Any];

    pub fn as_str(self) -> &'static str {
        match self {
            Bore::Luer => "luer",
            Bore::In3_16 => "3/16",
            Bore::In1_4 => "1/4",
            Bore::In3_8 => "3/8",
            Bore::In1_2 => "1/2",
            Bore::Any => "any",
        }
    }

    /// Whether a tube of bore `tube` fits this connector without a reducer.
    pub fn accepts(self, tube: Bore) -> bool {
        self == Bore::Any || self == tube
    }
}

impl fmt::Display for Bore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bore::Luer | Bore::Any => f.write_str(self.as_str()),
            _ => write!(f, "{}\"", self.as_str()),
        }
    }
}

impl TryFrom<String> for Bore {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Bore::ALL.into_iter().find(|bore| bore.as_str() == text.trim()).ok_or_else(|| {
            let names: Vec<&str> = Bore::ALL.iter().map(|b| b.as_str()).collect();
            format!("unknown bore \"{text}\": write one of {}", names.join(", "))
        })
    }
}

impl Bore {
    /// Whether one tubing size fits ports of these two bores without a reducer (the same size, or a port that
    /// takes any).
    pub fn joins(self, other: Bore) -> bool {
        self == other || self == Bore::Any || other == Bore::Any
    }
}

impl From<Bore> for String {
    fn from(bore: Bore) -> String {
        bore.as_str().to_owned()
    }
}

/// Which way blood may pass through a port, seen from the part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PortDir {
    /// Blood enters the part here.
    In,
    /// Blood leaves the part here.
    Out,
    /// Either way (connectors, Y pieces, transducer lines).
    Either,
}

impl PortDir {
    /// Whether a tube may join a port of this direction to one of `other`'s: not an inlet to an inlet, nor an
    /// outlet to an outlet (blood could not pass).
    pub fn joins(self, other: PortDir) -> bool {
        !matches!((self, other), (PortDir::In, PortDir::In) | (PortDir::Out, PortDir::Out))
    }
}

/// One port of a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortSpec {
    /// Unique within the part; circuits refer to it ("outlet", "venous_inlet").
    pub name: String,
    pub dir: PortDir,
    pub bore: Bore,
}

/// A flow range in L/min.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowRange {
    pub min_l_min: f64,
    pub max_l_min: f64,
}

/// How the pressure drop across a part depends on the flow through it (ΔP in mmHg, Q in L/min).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum PressureDrop {
    /// Negligible against the rest of the circuit (a connector, a clip-on sensor).
    #[default]
    Negligible,
    /// ΔP = r·Q: a packed fibre bundle or a filter screen behaves as a pure resistance (reference §7.1).
    Linear { mmhg_per_l_min: f64 },
    /// ΔP = a·Q + b·Q·|Q|: cannulae, whose flow is neither laminar nor turbulent (reference §5.1, §7.1).
    Quadratic { a_mmhg_per_l_min: f64, b_mmhg_per_l_min2: f64 },
}

/// What a cannula is for; decides which patient compartment its tip sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CannulaRole {
    /// Right atrial single-stage venous drainage (often two of them, SVC + IVC).
    VenousSingleStage,
    /// Right atrium + IVC two-stage venous drainage.
    VenousTwoStage,
    /// Ascending aortic return.
    Arterial,
    /// Femoral venous drainage (ECMO, peripheral CPB).
    FemoralVenous,
    /// Femoral arterial return (VA ECMO, peripheral CPB).
    FemoralArterial,
    /// Dual-lumen VV ECMO cannula: drainage and return lumens in one cannula.
    DualLumenVv,
    /// Distal perfusion (reperfusion) catheter for the leg below a femoral arterial cannula.
    DistalPerfusion,
    /// Return into a great vein toward the right atrium (internal jugular, two-site VV ECMO, §2.3).
    VenousReturn,
}

/// Hard-shell or soft (collapsible) venous reservoir.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReservoirType {
    /// Rigid venous/cardiotomy reservoir open to atmosphere (or vacuum), with defoamer and filters.
    HardShell,
    /// Closed collapsible bag: no air/blood interface.
    SoftBag,
}

/// Patient size an oxygenator is designed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OxygenatorClass {
    Neonatal,
    Paediatric,
    SmallAdult,
    Adult,
}

/// Kind of inline connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConnectorType {
    Straight,
    Reducer,
    Y,
}

/// Kind-specific data: what the part is and its performance parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum PartKind {
    Cannula {
        role: CannulaRole,
        /// French size (outer diameter in mm × 3); two-stage cannulae give the larger (IVC) size.
        french: f64,
    },
    Reservoir {
        kind: ReservoirType,
        capacity_ml: f64,
        /// The manufacturer's minimum operating level (reference §4.4).
        min_level_ml: f64,
    },
    RollerPump {
        /// Volume displaced per revolution with the boot tubing the raceway takes (reference §3.3).
        stroke_ml_per_rev: f64,
        max_rpm: f64,
    },
    CentrifugalPump {
        max_rpm: f64,
        /// Pressure rise at zero flow at `reference_rpm`; scales with rpm² (affinity laws, reference §7.1).
        shutoff_head_mmhg: f64,
        reference_rpm: f64,
        /// Slope of the head–flow curve: head falls by this much per L/min of forward flow.
        head_drop_mmhg_per_l_min: f64,
    },
    Oxygenator {
        class: OxygenatorClass,
        /// Blood-side oxygen transfer at rated flow, mL O2/min (reference §4.1, [Rated-flow]).
        o2_transfer_ml_min: f64,
        /// Heat-exchanger performance factor (T_out − T_in)/(T_water − T_in) at mid rated flow (reference §4.2).
        heat_exchanger_factor: f64,
        /// Whether an arterial line filter is built in ("F" models, reference §4.1).
        integrated_filter: bool,
    },
    HeaterCooler {
        /// Highest water temperature the unit allows (42 °C, reference §4.2).
        max_water_temp_c: f64,
        min_water_temp_c: f64,
    },
    ArterialFilter {
        screen_um: f64,
    },
    Connector {
        shape: ConnectorType,
    },
    /// Inline luer sampling port (stopcock manifold piece) with a luer side port.
    LuerPort,
    /// Luer cap: put on a port, not placed on the canvas.
    Cap,
    /// Tubing clamp: put on a tube, not placed on the canvas.
    TubingClamp,
    OneWayValve {
        /// Pressure difference needed to open, mmHg.
        opening_mmhg: f64,
    },
    PressureTransducer,
    BubbleDetector,
    /// Mounted on a reservoir; stops the pump it is linked to below its level.
    LevelSensor,
    FlowProbe,
    CardiotomySucker,
    LvVent,
    CardioplegiaSet {
        /// Parts blood to one part crystalloid (4 for 4:1 blood cardioplegia, reference §1.2).
        blood_to_crystalloid: f64,
    },
    Haemoconcentrator,
}

/// The port names the simulation, the alarms and the validator find a part's roles by. A catalog part must have
/// the ones its kind needs (`PartKind::required_ports`), so a user catalog that names them otherwise is refused
/// when it loads instead of building a network without that part.
pub mod port {
    pub const INLET: &str = "inlet";
    pub const OUTLET: &str = "outlet";
    pub const VENOUS_INLET: &str = "venous_inlet";
    pub const ARTERIAL_OUTLET: &str = "arterial_outlet";
    pub const RECIRCULATION: &str = "recirculation";
    pub const CARDIOPLEGIA_OUTLET: &str = "cardioplegia_outlet";
    pub const SAMPLING_ARTERIAL: &str = "sampling_arterial";
    pub const SAMPLING_VENOUS: &str = "sampling_venous";
    pub const PURGE: &str = "purge";
    pub const BLOOD_INLET: &str = "blood_inlet";
    pub const PRESSURE: &str = "pressure";
    /// A cannula's circuit end.
    pub const CONNECTOR: &str = "connector";
    /// A dual-lumen cannula's two circuit ends.
    pub const DRAINAGE: &str = "drainage";
    pub const RETURN: &str = "return";
    /// A transducer's dome.
    pub const LINE: &str = "line";
    /// The first side of a clip-on sensor (bubble detector, flow probe).
    pub const SIDE_A: &str = "a";
}

impl PartKind {
    /// The ports a part of this kind must have for the simulation, the alarms and the validator to find its roles.
    pub fn required_ports(&self) -> &'static [&'static str] {
        match self {
            PartKind::Oxygenator { .. } => &[port::VENOUS_INLET, port::ARTERIAL_OUTLET],
            PartKind::ArterialFilter { .. }
            | PartKind::Haemoconcentrator
            | PartKind::OneWayValve { .. }
            | PartKind::RollerPump { .. }
            | PartKind::CentrifugalPump { .. } => &[port::INLET, port::OUTLET],
            PartKind::Cannula { role: CannulaRole::DualLumenVv, .. } => &[port::DRAINAGE, port::RETURN],
            PartKind::Cannula { .. } => &[port::CONNECTOR],
            PartKind::CardioplegiaSet { .. } => &[port::BLOOD_INLET],
            PartKind::CardiotomySucker | PartKind::LvVent | PartKind::Reservoir { .. } => &[port::OUTLET],
            PartKind::PressureTransducer => &[port::LINE],
            PartKind::BubbleDetector => &[port::SIDE_A],
            _ => &[],
        }
    }

    /// Accessories are used on ports and tubes (caps, clamps) rather than placed as parts.
    pub fn is_accessory(&self) -> bool {
        matches!(self, PartKind::Cap | PartKind::TubingClamp)
    }

    /// Whether this part is fixed to a `host` rather than joined by tubing: a level sensor on a reservoir, a
    /// heater-cooler on an oxygenator's or a cardioplegia set's heat exchanger.
    pub fn mounts_on(&self, host: &PartKind) -> bool {
        match self {
            PartKind::LevelSensor => matches!(host, PartKind::Reservoir { .. }),
            PartKind::HeaterCooler { .. } => {
                matches!(host, PartKind::Oxygenator { .. } | PartKind::CardioplegiaSet { .. })
            }
            _ => false,
        }
    }

    /// Whether a port of this kind in direction `dir`, left open, neither bleeds nor draws air: a spare inlet on the
    /// lid of a vented hard-shell reservoir, which sits at the room's pressure above the blood (reference §4.4).
    /// The validator does not call it open, and the model gives it no leak.
    pub fn port_vents_harmlessly(&self, dir: PortDir) -> bool {
        dir == PortDir::In && matches!(self, PartKind::Reservoir { kind: ReservoirType::HardShell, .. })
    }

    /// A short, human name for the kind ("roller pump"), used in labels and messages.
    pub fn noun(&self) -> &'static str {
        match self {
            // Named by what the cannula is for: "Venous cannula 1", "Arterial cannula 1", not "Cannula 2".
            PartKind::Cannula { role, .. } => match role {
                CannulaRole::VenousSingleStage | CannulaRole::VenousTwoStage => "venous cannula",
                CannulaRole::Arterial => "arterial cannula",
                CannulaRole::FemoralVenous => "femoral venous cannula",
                CannulaRole::FemoralArterial => "femoral arterial cannula",
                CannulaRole::DualLumenVv => "dual-lumen cannula",
                CannulaRole::DistalPerfusion => "distal perfusion cannula",
                CannulaRole::VenousReturn => "return cannula",
            },
            PartKind::Reservoir { kind: ReservoirType::HardShell, .. } => "hard-shell reservoir",
            PartKind::Reservoir { kind: ReservoirType::SoftBag, .. } => "soft reservoir bag",
            PartKind::RollerPump { .. } => "roller pump",
            PartKind::CentrifugalPump { .. } => "centrifugal pump",
            PartKind::Oxygenator { .. } => "oxygenator",
            PartKind::HeaterCooler { .. } => "heater-cooler",
            PartKind::ArterialFilter { .. } => "arterial filter",
            PartKind::Connector { shape: ConnectorType::Straight } => "straight connector",
            PartKind::Connector { shape: ConnectorType::Reducer } => "reducer",
            PartKind::Connector { shape: ConnectorType::Y } => "Y connector",
            PartKind::LuerPort => "luer sampling port",
            PartKind::Cap => "luer cap",
            PartKind::TubingClamp => "tubing clamp",
            PartKind::OneWayValve { .. } => "one-way valve",
            PartKind::PressureTransducer => "pressure transducer",
            PartKind::BubbleDetector => "bubble detector",
            PartKind::LevelSensor => "level sensor",
            PartKind::FlowProbe => "flow probe",
            PartKind::CardiotomySucker => "cardiotomy sucker",
            PartKind::LvVent => "LV vent",
            PartKind::CardioplegiaSet { .. } => "cardioplegia set",
            PartKind::Haemoconcentrator => "haemoconcentrator",
        }
    }
}

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartSpec {
    pub id: CatalogId,
    /// Generic name shown to the trainee ("Adult membrane oxygenator").
    pub name: String,
    pub kind: PartKind,
    #[serde(default)]
    pub ports: Vec<PortSpec>,
    /// Blood volume needed to fill the part, mL.
    pub prime_ml: f64,
    /// Flow range the maker rates the part for; `None` where it does not apply (a cap, a transducer).
    #[serde(default)]
    pub rated_flow: Option<FlowRange>,
    #[serde(default)]
    pub pressure_drop: PressureDrop,
}

impl PartSpec {
    pub fn port(&self, name: &str) -> Option<&PortSpec> {
        self.ports.iter().find(|port| port.name == name)
    }

    /// The two ends of a part that sits in a line, upstream first: exactly two ports, an inlet and an outlet (an
    /// arterial filter, a one-way valve) or two either-way ends (a clip-on bubble detector or flow probe, a straight
    /// connector). Such a part dropped on a tube is clipped into it. `None` for any other part.
    pub fn inline_ends(&self) -> Option<(&PortSpec, &PortSpec)> {
        match self.ports.as_slice() {
            [a, b] => match (a.dir, b.dir) {
                (PortDir::In, PortDir::Out) | (PortDir::Either, PortDir::Either) => Some((a, b)),
                (PortDir::Out, PortDir::In) => Some((b, a)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// One tubing size. Tubes in a circuit refer to it; their length is chosen per segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TubingSpec {
    pub id: CatalogId,
    pub name: String,
    pub bore: Bore,
    pub inner_diameter_mm: f64,
    /// Priming volume per metre, mL/m (reference §3.1).
    pub prime_ml_per_m: f64,
}
