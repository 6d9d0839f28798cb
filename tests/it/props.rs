//! Properties over random input: any sequence of edits, sensible or not, never panics, and validating the same
//! circuit always gives the same findings.

use super::support::{catalog, scenario};
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{CanvasPos, Circuit, Controls, Edit, PlacedPart, PumpDirection, Tube};
use perfusion_trainer::ids::{CatalogId, PartId, PortRef, TubeId};
use perfusion_trainer::sim::Simulation;
use perfusion_trainer::validate::validate;
use proptest::prelude::*;

/// An edit built from random numbers, resolved against the catalog and the circuit as it stands so that most are
/// meaningful and some are not.
#[derive(Debug, Clone)]
enum Op {
    Add(usize),
    Remove(usize),
    Connect(usize, usize, usize, usize, usize, f64),
    Disconnect(usize),
    Clamp(usize),
    Cap(usize, usize),
    Pump(usize, f64, bool),
    Link(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<usize>().prop_map(Op::Add),
        1 => any::<usize>().prop_map(Op::Remove),
        6 => (any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>(), -1.0..12.0f64)
            .prop_map(|(a, b, c, d, e, f)| Op::Connect(a, b, c, d, e, f)),
        1 => any::<usize>().prop_map(Op::Disconnect),
        1 => any::<usize>().prop_map(Op::Clamp),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Cap(a, b)),
        1 => (any::<usize>(), -100.0..6000.0f64, any::<bool>()).prop_map(|(a, b, c)| Op::Pump(a, b, c)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Link(a, b)),
    ]
}

fn pick<T: Clone>(items: &[T], index: usize) -> Option<T> {
    (!items.is_empty()).then(|| items[index % items.len()].clone())
}

fn random_port(circuit: &Circuit, catalog: &Catalog, part: usize, port: usize) -> Option<PortRef> {
    let parts: Vec<&PlacedPart> = circuit.parts().collect();
    let placed = pick(&parts, part)?;
    let spec = catalog.part(&placed.catalog_id)?;
    let name = pick(&spec.ports, port)?.name;
    Some(PortRef::new(placed.id, name))
}

fn to_edit(op: &Op, circuit: &Circuit, catalog: &Catalog) -> Option<Edit> {
    let parts: Vec<PartId> = circuit.parts().map(|p| p.id).collect();
    let tubes: Vec<TubeId> = circuit.tubes().map(|t| t.id).collect();
    let ids: Vec<CatalogId> = catalog.ids().cloned().collect();
    let tubing: Vec<CatalogId> = catalog.tubings().map(|t| t.id.clone()).collect();
    Some(match op {
        Op::Add(i) => Edit::AddPart(PlacedPart::new(circuit.next_part_id(), pick(&ids, *i)?, CanvasPos::default())),
        Op::Remove(i) => Edit::RemovePart { part: pick(&parts, *i)? },
        Op::Connect(a, b, c, d, t, length_m) => Edit::Connect(Tube {
            id: circuit.next_tube_id(),
            from: random_port(circuit, catalog, *a, *b)?,
            to: random_port(circuit, catalog, *c, *d)?,
            tubing: pick(&tubing, *t)?,
            length_m: *length_m,
            clamped: false,
        }),
        Op::Disconnect(i) => Edit::Disconnect { tube: pick(&tubes, *i)? },
        Op::Clamp(i) => Edit::SetClamp { tube: pick(&tubes, *i)?, clamped: true },
        Op::Cap(a, b) => Edit::SetCap { port: random_port(circuit, catalog, *a, *b)?, capped: true },
        Op::Pump(i, rpm, reverse) => Edit::SetControls {
            part: pick(&parts, *i)?,
            controls: Controls::Pump {
                rpm: *rpm,
                direction: if *reverse { PumpDirection::Reverse } else { PumpDirection::Forward },
                occlusion_set: true,
            },
        },
        Op::Link(a, b) => Edit::SetServo { part: pick(&parts, *a)?, to: Some(pick(&parts, *b)?) },
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_never_panic_and_validation_is_deterministic(ops in proptest::collection::vec(op(), 0..60)) {
        let catalog = catalog();
        let scenarios = [scenario("adult_cabg"), scenario("adult_vv_ecmo")];
        let mut circuit = Circuit::new();
        for op in &ops {
            if let Some(edit) = to_edit(op, &circuit, &catalog) {
                let before = circuit.clone();
                if circuit.apply(&catalog, edit).is_err() {
                    prop_assert_eq!(circuit.parts().collect::<Vec<_>>(), before.parts().collect::<Vec<_>>());
                    prop_assert_eq!(circuit.tubes().collect::<Vec<_>>(), before.tubes().collect::<Vec<_>>());
                }
            }
        }
        for scenario in &scenarios {
            let first = validate(scenario, &circuit, &catalog);
            prop_assert_eq!(&first, &validate(scenario, &circuit, &catalog));
            // The same nonsense circuit in the live model: finite numbers, every step converged.
            let mut simulation = Simulation::new(scenario, &circuit, &catalog);
            for _ in 0..200 {
                let stepped = simulation.step();
                prop_assert!(stepped.is_ok(), "{:?}", stepped);
            }
            let state = simulation.state();
            prop_assert!(state.pressures_pa.iter().chain(&state.flows_m3_s).all(|x| x.is_finite()));
        }
    }
}
