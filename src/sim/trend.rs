//! What a run records each second: one column per monitored quantity, named with its unit — pressure at each
//! transducer, flow through each pump, each reservoir's volume, the patient's arterial and venous pressures.

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
        columns.push((
            Column { name: "patient arterial pressure".into(), unit: "mmHg" },
            Probe::NodePressure(PATIENT_ARTERIAL),
        ));
        columns.push((
            Column { name: "patient venous pressure".into(), unit: "mmHg" },
            Probe::NodePressure(PATIENT_VENOUS),
        ));
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
            })
            .collect()
    }
}
