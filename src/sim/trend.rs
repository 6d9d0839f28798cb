//! What a run records: one column per monitored quantity — pressure at each transducer, flow through each pump,
//! each reservoir's volume, each oxygenator's outlet saturation, temperature and PCO2, the patient's arterial and
//! venous pressures, SaO2, SvO2, PaCO2, DO2i and temperature, the air that has reached the patient and the blood
//! lost to the room. A column's identity is its `TrendKey`; its heading
//! ("Pressure transducer 1 (mmHg)") is only for people, so renaming a heading never changes what a column means.

use super::Simulation;
use super::network::{NodeKind, PATIENT_ARTERIAL, PATIENT_VENOUS};
use crate::catalog::{Catalog, PartKind, port};
use crate::circuit::Circuit;
use crate::ids::{PartId, PortRef};
use serde::{Deserialize, Serialize};

/// What a trend column measures, and where. Stored in attempt files (docs/attempt-format.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TrendKey {
    /// Model time since the run started, s.
    Time,
    /// The pressure a transducer reads, mmHg.
    LinePressure(PartId),
    /// Flow through a pump, L/min.
    PumpFlow(PartId),
    /// Blood a reservoir holds, mL.
    ReservoirVolume(PartId),
    /// Saturation at an oxygenator's arterial outlet, %.
    OxygenatorOutletSaturation(PartId),
    /// Temperature at an oxygenator's arterial outlet, °C.
    OxygenatorOutletTemperature(PartId),
    /// PCO2 at an oxygenator's arterial outlet, mmHg.
    OxygenatorOutletPco2(PartId),
    /// PO2 at an oxygenator's arterial outlet, mmHg: what falls first when a membrane fails (reference §8).
    OxygenatorOutletPo2(PartId),
    /// The patient's mean arterial pressure, mmHg.
    PatientArterialPressure,
    /// The patient's central venous pressure, mmHg.
    PatientVenousPressure,
    /// The patient's arterial saturation, %: in the aortic arch (right radial) where a femoral return feeds the lower
    /// body apart.
    PatientSao2,
    /// The lower body's arterial saturation with a femoral return, %.
    PatientSao2LowerBody,
    /// Mixed venous saturation, %.
    Svo2,
    /// Arterial PO2, mmHg.
    Pao2,
    /// Arterial PCO2, mmHg.
    Paco2,
    /// Oxygen delivery index, mL/min/m².
    Do2i,
    /// The patient's body temperature, °C.
    PatientTemperature,
    /// Haemoglobin in the patient's arterial blood, g/dL.
    Hb,
    /// Haematocrit of the patient's arterial blood, %.
    Hct,
    /// Blood lactate, mmol/L.
    Lactate,
    /// Oxygen the tissues consume, mL/min.
    Vo2,
    /// Air that has reached the patient since the run started, mL.
    AirToPatient,
    /// Blood lost to the room since the run started (open ports, disconnections, overflow), mL.
    BloodLost,
}

impl TrendKey {
    pub fn unit(self) -> &'static str {
        match self {
            TrendKey::Time => "s",
            TrendKey::LinePressure(_)
            | TrendKey::OxygenatorOutletPco2(_)
            | TrendKey::OxygenatorOutletPo2(_)
            | TrendKey::PatientArterialPressure
            | TrendKey::PatientVenousPressure
            | TrendKey::Pao2
            | TrendKey::Paco2 => "mmHg",
            TrendKey::PumpFlow(_) => "L/min",
            TrendKey::ReservoirVolume(_) | TrendKey::AirToPatient | TrendKey::BloodLost => "mL",
            TrendKey::OxygenatorOutletSaturation(_)
            | TrendKey::PatientSao2
            | TrendKey::PatientSao2LowerBody
            | TrendKey::Svo2
            | TrendKey::Hct => "%",
            TrendKey::Hb => "g/dL",
            TrendKey::Lactate => "mmol/L",
            TrendKey::Vo2 => "mL/min",
            TrendKey::OxygenatorOutletTemperature(_) | TrendKey::PatientTemperature => "°C",
            TrendKey::Do2i => "mL/min/m²",
        }
    }

    /// The part the column is about, if it is about one.
    pub fn part(self) -> Option<PartId> {
        match self {
            TrendKey::LinePressure(part)
            | TrendKey::PumpFlow(part)
            | TrendKey::ReservoirVolume(part)
            | TrendKey::OxygenatorOutletSaturation(part)
            | TrendKey::OxygenatorOutletTemperature(part)
            | TrendKey::OxygenatorOutletPco2(part)
            | TrendKey::OxygenatorOutletPo2(part) => Some(part),
            _ => None,
        }
    }

    /// The column's name for people, with `label` the part's label ("Roller pump 1 flow").
    pub fn name(self, label: &str) -> String {
        match self {
            TrendKey::Time => "time".into(),
            TrendKey::LinePressure(_) => label.to_owned(),
            TrendKey::PumpFlow(_) => format!("{label} flow"),
            TrendKey::ReservoirVolume(_) => format!("{label} volume"),
            TrendKey::OxygenatorOutletSaturation(_) => format!("{label} outlet SaO2"),
            TrendKey::OxygenatorOutletTemperature(_) => format!("{label} outlet temperature"),
            TrendKey::OxygenatorOutletPco2(_) => format!("{label} outlet PCO2"),
            TrendKey::OxygenatorOutletPo2(_) => format!("{label} outlet PO2"),
            TrendKey::PatientArterialPressure => "patient arterial pressure".into(),
            TrendKey::PatientVenousPressure => "patient venous pressure".into(),
            TrendKey::PatientSao2 => "patient SaO2".into(),
            TrendKey::PatientSao2LowerBody => "SaO2 lower body".into(),
            TrendKey::Hb => "Hb".into(),
            TrendKey::Hct => "Hct".into(),
            TrendKey::Lactate => "lactate".into(),
            TrendKey::Vo2 => "VO2".into(),
            TrendKey::Svo2 => "SvO2".into(),
            TrendKey::Pao2 => "PaO2".into(),
            TrendKey::Paco2 => "PaCO2".into(),
            TrendKey::Do2i => "DO2i".into(),
            TrendKey::PatientTemperature => "patient temperature".into(),
            TrendKey::AirToPatient => "air to patient".into(),
            TrendKey::BloodLost => "blood lost".into(),
        }
    }
}

/// A column as the monitor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub key: TrendKey,
    pub name: String,
    pub unit: &'static str,
}

impl Column {
    /// "Roller pump 1 flow (L/min)".
    pub fn heading(&self) -> String {
        format!("{} ({})", self.name, self.unit)
    }
}

#[derive(Debug, Clone, Copy)]
enum Probe {
    Time,
    NodePressure(usize),
    PartFlow(PartId),
    NodeVolume(usize),
    NodeSaturation(usize),
    NodeTemperature(usize),
    NodePco2(usize),
    NodePo2(usize),
    Do2i,
    Hb,
    Hct,
    Lactate,
    Vo2,
    BodyTemperature,
    AirToPatient,
    BloodLost,
}

/// The columns of a circuit's trend and how to read each from the simulation.
#[derive(Debug, Clone)]
pub struct TrendColumns {
    columns: Vec<(Column, Probe)>,
}

impl TrendColumns {
    pub fn new(simulation: &Simulation, circuit: &Circuit, catalog: &Catalog) -> Self {
        let labels = circuit.labels(catalog);
        let column = |key: TrendKey| {
            let label = key.part().and_then(|p| labels.get(&p)).map_or("", String::as_str);
            Column { key, name: key.name(label), unit: key.unit() }
        };
        let mut columns = vec![(column(TrendKey::Time), Probe::Time)];
        let network = simulation.network();
        for part in circuit.parts() {
            match circuit.kind_of(catalog, part.id) {
                Some(PartKind::PressureTransducer) => {
                    if let Some(node) = network.port_node.get(&PortRef::new(part.id, port::LINE)) {
                        columns.push((column(TrendKey::LinePressure(part.id)), Probe::NodePressure(*node)));
                    }
                }
                Some(PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }) => {
                    columns.push((column(TrendKey::PumpFlow(part.id)), Probe::PartFlow(part.id)));
                }
                _ => {}
            }
        }
        for (index, node) in network.nodes.iter().enumerate() {
            if let NodeKind::Reservoir { part, .. } = node.kind {
                columns.push((column(TrendKey::ReservoirVolume(part)), Probe::NodeVolume(index)));
            }
        }
        for part in circuit.parts() {
            if let Some(PartKind::Oxygenator { .. }) = circuit.kind_of(catalog, part.id)
                && let Some(node) = network.port_node.get(&PortRef::new(part.id, port::ARTERIAL_OUTLET))
            {
                let id = part.id;
                columns.push((column(TrendKey::OxygenatorOutletSaturation(id)), Probe::NodeSaturation(*node)));
                columns.push((column(TrendKey::OxygenatorOutletTemperature(id)), Probe::NodeTemperature(*node)));
                columns.push((column(TrendKey::OxygenatorOutletPo2(id)), Probe::NodePo2(*node)));
                columns.push((column(TrendKey::OxygenatorOutletPco2(id)), Probe::NodePco2(*node)));
            }
        }
        let split = network.lower_body != PATIENT_ARTERIAL;
        let patient = [
            (TrendKey::PatientArterialPressure, Probe::NodePressure(PATIENT_ARTERIAL)),
            (TrendKey::PatientVenousPressure, Probe::NodePressure(PATIENT_VENOUS)),
            (TrendKey::PatientSao2, Probe::NodeSaturation(PATIENT_ARTERIAL)),
            (TrendKey::PatientSao2LowerBody, Probe::NodeSaturation(network.lower_body)),
            (TrendKey::Svo2, Probe::NodeSaturation(PATIENT_VENOUS)),
            (TrendKey::Pao2, Probe::NodePo2(PATIENT_ARTERIAL)),
            (TrendKey::Paco2, Probe::NodePco2(PATIENT_ARTERIAL)),
            (TrendKey::Do2i, Probe::Do2i),
            (TrendKey::Hb, Probe::Hb),
            (TrendKey::Hct, Probe::Hct),
            (TrendKey::Lactate, Probe::Lactate),
            (TrendKey::Vo2, Probe::Vo2),
            (TrendKey::PatientTemperature, Probe::BodyTemperature),
            (TrendKey::AirToPatient, Probe::AirToPatient),
            (TrendKey::BloodLost, Probe::BloodLost),
        ];
        for (key, probe) in patient {
            if key == TrendKey::PatientSao2LowerBody && !split {
                continue;
            }
            let mut entry = column(key);
            if key == TrendKey::PatientSao2 && split {
                "SaO2 right radial".clone_into(&mut entry.name);
            }
            columns.push((entry, probe));
        }
        Self { columns }
    }

    pub fn columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().map(|(column, _)| column)
    }

    /// One row: the value of every column now.
    pub fn sample(&self, simulation: &Simulation) -> Vec<f64> {
        self.columns
            .iter()
            .map(|(_, probe)| match *probe {
                Probe::Time => simulation.state().time_s,
                Probe::NodePressure(node) => simulation.node_pressure_mmhg(node),
                Probe::PartFlow(part) => simulation.part_flow_l_min(part).unwrap_or(0.0),
                Probe::NodeVolume(node) => simulation.node_volume_ml(node),
                Probe::NodeSaturation(node) => simulation.node_blood(node).map_or(0.0, |b| b.sat * 100.0),
                Probe::NodeTemperature(node) => simulation.node_blood(node).map_or(0.0, |b| b.temp_c),
                Probe::NodePco2(node) => simulation.node_blood(node).map_or(0.0, |b| b.pco2_mmhg),
                Probe::NodePo2(node) => simulation.node_blood(node).map_or(0.0, |b| b.po2_mmhg),
                Probe::Do2i => simulation.do2i_ml_min_m2(),
                Probe::Hb => simulation.hb_g_dl(),
                Probe::Hct => simulation.hct() * 100.0,
                Probe::Lactate => simulation.lactate_mmol_l(),
                Probe::Vo2 => simulation.vo2_ml_min(),
                Probe::BodyTemperature => simulation.body_temp_c(),
                Probe::AirToPatient => simulation.air_to_patient_ml(),
                Probe::BloodLost => simulation.blood_lost_ml(),
            })
            .collect()
    }
}
