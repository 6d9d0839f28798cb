//! What a run records each second: one column per monitored quantity, named with its unit — pressure at each
//! transducer, flow through each pump, each reservoir's volume, each oxygenator's outlet saturation and
//! temperature and PCO2, the patient's arterial and venous pressures, SaO2, SvO2, PaCO2, DO2i and temperature.

use super::Simulation;
use super::network::{NodeKind, PATIENT_ARTERIAL, PATIENT_VENOUS};
use crate::catalog::{Catalog, PartKind};
use crate::circuit::Circuit;
use crate::ids::{PartId, PortRef};

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub unit: &'static str,
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
    Do2i,
    BodyTemperature,
}

/// The columns of a circuit's trend and how to read each from the simulation.
pub struct TrendColumns {
    columns: Vec<(Column, Probe)>,
}

impl TrendColumns {
    pub fn new(simulation: &Simulation, circuit: &Circuit, catalog: &Catalog) -> Self {
        let mut columns = vec![(Column { name: "time".into(), unit: "s" }, Probe::Time)];
        let labels = circuit.labels(catalog);
        let label = |id: PartId| labels.get(&id).cloned().unwrap_or_default();
        let network = simulation.network();
        for part in circuit.parts() {
            match circuit.kind_of(catalog, part.id) {
                Some(PartKind::PressureTransducer) => {
                    if let Some(node) = network.port_node.get(&PortRef::new(part.id, "line")) {
                        columns.push((Column { name: label(part.id), unit: "mmHg" }, Probe::NodePressure(*node)));
                    }
                }
                Some(PartKind::RollerPump { .. } | PartKind::CentrifugalPump { .. }) => {
                    columns.push((
                        Column { name: format!("{} flow", label(part.id)), unit: "L/min" },
                        Probe::PartFlow(part.id),
                    ));
                }
                _ => {}
            }
        }
        for (index, node) in network.nodes.iter().enumerate() {
            if let NodeKind::Reservoir { part, .. } = node.kind {
                columns
                    .push((Column { name: format!("{} volume", label(part)), unit: "mL" }, Probe::NodeVolume(index)));
            }
        }
        for part in circuit.parts() {
            if let Some(PartKind::Oxygenator { .. }) = circuit.kind_of(catalog, part.id)
                && let Some(node) = network.port_node.get(&PortRef::new(part.id, "arterial_outlet"))
            {
                let name = label(part.id);
                columns.push((Column { name: format!("{name} outlet SaO2"), unit: "%" }, Probe::NodeSaturation(*node)));
                columns.push((
                    Column { name: format!("{name} outlet temperature"), unit: "°C" },
                    Probe::NodeTemperature(*node),
                ));
                columns.push((Column { name: format!("{name} outlet PCO2"), unit: "mmHg" }, Probe::NodePco2(*node)));
            }
        }
        let patient = [
            ("patient arterial pressure", "mmHg", Probe::NodePressure(PATIENT_ARTERIAL)),
            ("patient venous pressure", "mmHg", Probe::NodePressure(PATIENT_VENOUS)),
            ("patient SaO2", "%", Probe::NodeSaturation(PATIENT_ARTERIAL)),
            ("SvO2", "%", Probe::NodeSaturation(PATIENT_VENOUS)),
            ("PaCO2", "mmHg", Probe::NodePco2(PATIENT_ARTERIAL)),
            ("DO2i", "mL/min/m²", Probe::Do2i),
            ("patient temperature", "°C", Probe::BodyTemperature),
        ];
        for (name, unit, probe) in patient {
            columns.push((Column { name: name.into(), unit }, probe));
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
                Probe::Do2i => simulation.do2i_ml_min_m2(),
                Probe::BodyTemperature => simulation.body_temp_c(),
            })
            .collect()
    }
}
