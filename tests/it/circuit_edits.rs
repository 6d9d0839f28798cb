//! The circuit model through its one door: edits, refusals with reasons, undo/redo, queries, files.

use super::support::{catalog, scenario, solution};
use perfusion_trainer::circuit::{
    CanvasPos, Circuit, Controls, Edit, EditError, PlacedPart, PumpDirection, QuarterTurns, Tube, file,
};
use perfusion_trainer::ids::{CatalogId, PartId, PortRef, TubeId};
use perfusion_trainer::input::Source;
use perfusion_trainer::session::{Action, Refusal, Session};

fn place(circuit: &mut Circuit, id: &str) -> PartId {
    let part = PlacedPart::new(circuit.next_part_id(), CatalogId::new(id), CanvasPos { x: 10.0, y: 20.0 });
    let new_id = part.id;
    circuit.apply(&catalog(), Edit::AddPart(part)).unwrap_or_else(|e| panic!("add {id}: {e}"));
    new_id
}

fn tube(circuit: &Circuit, from: (PartId, &str), to: (PartId, &str), tubing: &str, length_m: f64) -> Edit {
    Edit::Connect(Tube {
        id: circuit.next_tube_id(),
        from: PortRef::new(from.0, from.1),
        to: PortRef::new(to.0, to.1),
        tubing: CatalogId::new(tubing),
        length_m,
        clamped: false,
    })
}

/// Reservoir → roller pump → oxygenator, on 1/2" and 3/8" tubing.
fn small_circuit() -> (Circuit, PartId, PartId, PartId) {
    let catalog = catalog();
    let mut circuit = Circuit::new();
    let reservoir = place(&mut circuit, "reservoir_hardshell_adult");
    let pump = place(&mut circuit, "roller_pump_1_2");
    let oxygenator = place(&mut circuit, "oxygenator_adult");
    let edit = tube(&circuit, (reservoir, "outlet"), (pump, "inlet"), "tubing_1_2", 1.0);
    circuit.apply(&catalog, edit).unwrap();
    let edit = tube(&circuit, (pump, "outlet"), (oxygenator, "venous_inlet"), "tubing_3_8", 0.5);
    circuit.apply(&catalog, edit).unwrap();
    (circuit, reservoir, pump, oxygenator)
}

#[test]
fn a_placed_pump_starts_stopped_with_occlusion_unset() {
    let (circuit, _, pump, oxygenator) = small_circuit();
    assert_eq!(
        circuit.part(pump).unwrap().controls,
        Controls::Pump { rpm: 0.0, direction: PumpDirection::Forward, occlusion_set: false }
    );
    assert_eq!(circuit.part(oxygenator).unwrap().controls, Controls::Gas { sweep_l_min: 0.0, fio2: 0.21 });
}

#[test]
fn impossible_edits_are_refused_with_a_reason() {
    let catalog = catalog();
    let (mut circuit, reservoir, pump, oxygenator) = small_circuit();
    let before = circuit.clone();
    let check = |circuit: &mut Circuit, edit: Edit| circuit.apply(&catalog, edit).unwrap_err();

    let same_port = Edit::Connect(Tube {
        id: TubeId(99),
        from: PortRef::new(pump, "inlet"),
        to: PortRef::new(pump, "inlet"),
        tubing: CatalogId::new("tubing_1_2"),
        length_m: 1.0,
        clamped: false,
    });
    assert_eq!(check(&mut circuit, same_port), EditError::PortToItself);

    let used = tube(&circuit, (pump, "inlet"), (oxygenator, "arterial_outlet"), "tubing_1_2", 1.0);
    let error = check(&mut circuit, used);
    assert!(error.to_string().contains("already has a tube"), "{error}");

    let typo = tube(&circuit, (pump, "outlett"), (oxygenator, "arterial_outlet"), "tubing_1_2", 1.0);
    let error = check(&mut circuit, typo).to_string();
    assert!(error.contains("no port \"outlett\"") && error.contains("\"outlet\""), "{error}");

    let unknown = Edit::AddPart(PlacedPart::new(PartId(50), CatalogId::new("oxygenator_adlt"), CanvasPos::default()));
    let error = check(&mut circuit, unknown).to_string();
    assert!(error.contains("oxygenator_adult"), "nearest id suggested: {error}");

    let tubing_as_part = Edit::AddPart(PlacedPart::new(PartId(51), CatalogId::new("tubing_3_8"), CanvasPos::default()));
    assert!(matches!(check(&mut circuit, tubing_as_part), EditError::TubingIsNotAPart(_)));

    let cap_as_part = Edit::AddPart(PlacedPart::new(PartId(52), CatalogId::new("luer_cap"), CanvasPos::default()));
    assert!(matches!(check(&mut circuit, cap_as_part), EditError::AccessoryNotPlaced { .. }));

    let negative = Edit::SetLength { tube: TubeId(1), length_m: -1.0 };
    assert!(matches!(check(&mut circuit, negative), EditError::OutOfRange { .. }));
    let nan = Edit::SetLength { tube: TubeId(1), length_m: f64::NAN };
    assert!(matches!(check(&mut circuit, nan), EditError::OutOfRange { .. }));

    let gas_on_pump = Edit::SetControls { part: pump, controls: Controls::Gas { sweep_l_min: 2.0, fio2: 0.5 } };
    assert!(matches!(check(&mut circuit, gas_on_pump), EditError::WrongControls { .. }));

    let too_fast = Edit::SetControls {
        part: pump,
        controls: Controls::Pump { rpm: 10_000.0, direction: PumpDirection::Forward, occlusion_set: true },
    };
    assert!(matches!(check(&mut circuit, too_fast), EditError::OutOfRange { .. }));

    let cap_connected = Edit::SetCap { port: PortRef::new(reservoir, "outlet"), capped: true };
    assert!(matches!(check(&mut circuit, cap_connected), EditError::CapOnConnectedPort(_)));

    let mount_wrong = Edit::SetMount { part: pump, on: Some(reservoir) };
    assert!(matches!(check(&mut circuit, mount_wrong), EditError::BadMount { .. }));

    assert_eq!(circuit, before, "refused edits leave the circuit unchanged");
}

#[test]
fn clinically_wrong_but_possible_edits_are_allowed() {
    // A 1/4" tube on a 1/2" port and a reversed pump are the validator's business, not refusals.
    let catalog = catalog();
    let (mut circuit, reservoir, pump, _) = small_circuit();
    let edit = Edit::SetTubing { tube: TubeId(1), tubing: CatalogId::new("tubing_1_4") };
    circuit.apply(&catalog, edit).unwrap();
    let reverse = Controls::Pump { rpm: 50.0, direction: PumpDirection::Reverse, occlusion_set: false };
    circuit.apply(&catalog, Edit::SetControls { part: pump, controls: reverse }).unwrap();
    circuit.apply(&catalog, Edit::SetHeight { part: reservoir, height_cm: 120.0 }).unwrap();
}

#[test]
fn removing_a_part_takes_its_tubes_and_undo_restores_everything() {
    let catalog = catalog();
    let (mut circuit, reservoir, pump, _) = small_circuit();
    let sensor = place(&mut circuit, "level_sensor");
    circuit.apply(&catalog, Edit::SetMount { part: sensor, on: Some(reservoir) }).unwrap();
    circuit.apply(&catalog, Edit::SetServo { part: sensor, to: Some(pump) }).unwrap();
    let before = circuit.clone();

    let mut session = Session::with_circuit(scenario("adult_cabg"), catalog.clone(), "", "", &circuit).unwrap();
    session.apply(Action::Edit(Edit::RemovePart { part: pump })).unwrap();
    let circuit = session.circuit();
    assert!(circuit.part(pump).is_none());
    assert_eq!(circuit.tubes().count(), 0, "both tubes were on the pump");
    assert_eq!(circuit.part(sensor).unwrap().servo_to, None, "the link to the removed pump is gone");

    session.apply(Action::Undo).unwrap();
    assert_eq!(session.circuit().parts().collect::<Vec<_>>(), before.parts().collect::<Vec<_>>());
    assert_eq!(session.circuit().tubes().collect::<Vec<_>>(), before.tubes().collect::<Vec<_>>());

    session.apply(Action::Redo).unwrap();
    assert!(session.circuit().part(pump).is_none());
    session.apply(Action::Undo).unwrap();
    assert_eq!(session.apply(Action::Undo), Err(Refusal::NothingToUndo), "the opened circuit is not undoable");
}

#[test]
fn every_edit_bumps_the_revision_and_a_refused_one_does_not() {
    let catalog = catalog();
    let (mut circuit, _, pump, _) = small_circuit();
    let revision = circuit.revision();
    circuit.apply(&catalog, Edit::MovePart { part: pump, to: CanvasPos { x: 1.0, y: 2.0 } }).unwrap();
    assert_eq!(circuit.revision(), revision + 1);
    let _ = circuit.apply(&catalog, Edit::MovePart { part: PartId(999), to: CanvasPos::default() });
    assert_eq!(circuit.revision(), revision + 1);
}

#[test]
fn a_batch_applies_all_or_nothing() {
    let catalog = catalog();
    let (mut circuit, _, pump, oxygenator) = small_circuit();
    let before = circuit.clone();
    let batch = Edit::Batch(vec![
        Edit::MovePart { part: pump, to: CanvasPos { x: 500.0, y: 500.0 } },
        Edit::SetClamp { tube: TubeId(1), clamped: true },
        Edit::MovePart { part: PartId(12345), to: CanvasPos::default() },
    ]);
    assert_eq!(circuit.apply(&catalog, batch).unwrap_err(), EditError::NoSuchPart(PartId(12345)));
    assert_eq!(circuit.parts().collect::<Vec<_>>(), before.parts().collect::<Vec<_>>());
    assert_eq!(circuit.tubes().collect::<Vec<_>>(), before.tubes().collect::<Vec<_>>());

    let mut session = Session::with_circuit(scenario("adult_cabg"), catalog.clone(), "", "", &circuit).unwrap();
    let batch = Edit::Batch(vec![
        Edit::MovePart { part: oxygenator, to: CanvasPos { x: 5.0, y: 5.0 } },
        Edit::SetClamp { tube: TubeId(2), clamped: true },
    ]);
    session.apply(Action::Edit(batch)).unwrap();
    assert!(session.circuit().tube(TubeId(2)).unwrap().clamped);
    session.apply(Action::Undo).unwrap();
    assert_eq!(session.circuit().parts().collect::<Vec<_>>(), before.parts().collect::<Vec<_>>());
    assert_eq!(session.circuit().tubes().collect::<Vec<_>>(), before.tubes().collect::<Vec<_>>());
}

#[test]
fn queries_answer_connections_paths_and_labels() {
    let catalog = catalog();
    let (circuit, reservoir, pump, oxygenator) = small_circuit();
    assert_eq!(circuit.connected_to(&PortRef::new(pump, "inlet")), Some(&PortRef::new(reservoir, "outlet")));
    assert_eq!(circuit.connected_to(&PortRef::new(pump, "nonexistent")), None);
    assert_eq!(circuit.paths_between(reservoir, oxygenator), vec![vec![reservoir, pump, oxygenator]]);
    assert!(circuit.paths_between(reservoir, PartId(999)).is_empty());
    assert_eq!(circuit.label(&catalog, pump), "Roller pump 1");
    assert_eq!(circuit.tubes_of(pump).count(), 2);
}

#[test]
fn prime_volume_adds_parts_and_tube_lengths() {
    let catalog = catalog();
    let (circuit, ..) = small_circuit();
    let report = circuit.prime(&catalog);
    let part_prime = |id: &str| catalog.part(&CatalogId::new(id)).unwrap().prime_ml;
    // Tubing: 1.0 m of 1/2" at 126.7 mL/m and 0.5 m of 3/8" at 71.3 mL/m (reference §3.1) = 126.7 + 35.65.
    let tubes: f64 = report.tubes.iter().map(|t| t.prime_ml).sum();
    assert!((tubes - 162.35).abs() < 1e-9, "{tubes}");
    let parts =
        part_prime("reservoir_hardshell_adult") + part_prime("roller_pump_1_2") + part_prime("oxygenator_adult");
    assert!((report.total_ml - (parts + 162.35)).abs() < 1e-9);
}

#[test]
fn circuit_files_round_trip_through_the_edit_door() {
    let catalog = catalog();
    for id in perfusion_trainer::scenario::bundled_ids() {
        let circuit = solution(id);
        let text = file::to_ron(&circuit, Some(id));
        let loaded = file::from_source(&Source::new("round-trip.ron", text.clone()), &catalog)
            .unwrap_or_else(|d| panic!("{id} reloads:\n{d}\n{text}"));
        assert_eq!(loaded.scenario.as_deref(), Some(id));
        assert_eq!(loaded.circuit.parts().collect::<Vec<_>>(), circuit.parts().collect::<Vec<_>>(), "{id}");
        assert_eq!(loaded.circuit.tubes().collect::<Vec<_>>(), circuit.tubes().collect::<Vec<_>>(), "{id}");
        // Saved twice, the same bytes.
        assert_eq!(file::to_ron(&loaded.circuit, Some(id)), text);
    }
}

#[test]
fn saving_is_atomic_and_readable() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let (circuit, ..) = small_circuit();
    file::save(&path, &circuit, None).unwrap();
    file::save(&path, &circuit, None).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("mine.ron")], "no temporary file left behind");
    let loaded = file::load(&path, &catalog).unwrap();
    assert_eq!(loaded.circuit.tubes().count(), 2);
}

/// A part's turn is written in degrees and read back; an angle that is not a quarter turn is refused at its line
/// with what to write.
#[test]
fn a_turned_part_is_written_in_degrees_and_other_angles_are_refused() {
    let catalog = catalog();
    let (mut circuit, _, pump, _) = small_circuit();
    let half = QuarterTurns::UPRIGHT.clockwise().clockwise();
    circuit.apply(&catalog, Edit::SetRotation { part: pump, rotation_deg: half }).unwrap();
    let text = file::to_ron(&circuit, None);
    assert!(text.contains("rotation_deg: 180"), "{text}");
    let loaded = file::from_source(&Source::new("turned.ron", text.clone()), &catalog).unwrap();
    assert_eq!(loaded.circuit.part(pump).map(|p| p.rotation_deg), Some(half));

    let skewed = text.replace("rotation_deg: 180", "rotation_deg: 45");
    let error = file::from_source(&Source::new("turned.ron", skewed), &catalog).unwrap_err().to_string();
    assert!(error.starts_with("turned.ron:") && error.contains("write 0, 90, 180 or 270"), "{error}");
}

#[test]
fn a_broken_circuit_file_names_the_part_and_the_problem() {
    let catalog = catalog();
    let text = r#"Circuit(
    version: 1,
    parts: [
        (id: 1, part: "roller_pump_1_2", pos: (x: 0.0, y: 0.0)),
        (id: 2, part: "oxygenatr_adult", pos: (x: 100.0, y: 0.0)),
    ],
    tubes: [
        (id: 1, from: (part: 1, port: "outlet"), to: (part: 1, port: "outlet"), tubing: "tubing_1_2", length_m: 1.0),
    ],
)"#;
    let diagnostics = file::from_source(&Source::new("broken.ron", text), &catalog).unwrap_err();
    let messages: Vec<String> = diagnostics.0.iter().map(ToString::to_string).collect();
    assert!(messages[0].starts_with("broken.ron:5:"), "{messages:?}");
    assert!(messages[0].contains("parts[1].part") && messages[0].contains("oxygenator_adult"), "{messages:?}");
    assert!(messages[1].starts_with("broken.ron:8:") && messages[1].contains("itself"), "{messages:?}");
}

#[test]
fn sucker_and_vent_lines_are_listed_dry_and_not_counted() {
    let catalog = catalog();
    let (mut circuit, reservoir, ..) = small_circuit();
    let primed_before = circuit.prime(&catalog).total_ml;
    let sucker = place(&mut circuit, "cardiotomy_sucker");
    let pump = place(&mut circuit, "roller_pump_1_4");
    let edit = tube(&circuit, (sucker, "outlet"), (pump, "inlet"), "tubing_1_4", 1.8);
    circuit.apply(&catalog, edit).unwrap();
    let edit = tube(&circuit, (pump, "outlet"), (reservoir, "cardiotomy_1"), "tubing_1_4", 1.0);
    circuit.apply(&catalog, edit).unwrap();
    let report = circuit.prime(&catalog);
    assert!((report.total_ml - primed_before).abs() < 1e-9, "the suction line adds nothing to the prime");
    let dry_tubes: f64 = report.tubes.iter().filter(|t| t.dry).map(|t| t.prime_ml).sum();
    // 2.8 m of 1/4" at 31.7 mL/m (reference §3.1) = 88.76 mL, listed as dry.
    assert!((dry_tubes - 88.76).abs() < 1e-9, "{dry_tubes}");
    assert!(report.parts.iter().any(|p| p.part == pump && p.dry));
    assert!(report.parts.iter().any(|p| p.part == reservoir && !p.dry), "the reservoir is primed");
}

#[test]
fn labels_in_one_pass_match_labels_one_by_one() {
    let catalog = catalog();
    let circuit = solution("adult_cabg");
    let labels = circuit.labels(&catalog);
    for part in circuit.parts() {
        assert_eq!(labels[&part.id], circuit.label(&catalog, part.id));
    }
}

#[test]
fn only_settings_clamps_heights_and_moves_can_change_while_running() {
    let clamp = Edit::SetClamp { tube: TubeId(1), clamped: true };
    let speed = Edit::SetControls { part: PartId(3), controls: Controls::None };
    let moved = Edit::MovePart { part: PartId(3), to: CanvasPos { x: 0.0, y: 0.0 } };
    assert!(clamp.changes_settings_only() && speed.changes_settings_only() && moved.changes_settings_only());
    assert!(Edit::Batch(vec![clamp.clone(), moved]).changes_settings_only());
    let removed = Edit::Disconnect { tube: TubeId(1) };
    assert!(!removed.changes_settings_only());
    assert!(!Edit::Batch(vec![clamp, removed]).changes_settings_only(), "one structural edit spoils the batch");
}

#[test]
fn a_new_tube_takes_the_kit_tubing_that_fits_its_ports() {
    use perfusion_trainer::catalog::Bore;
    let catalog = catalog();
    let adult = super::support::scenario("adult_cabg");
    let bore = |id: Option<CatalogId>| id.and_then(|id| catalog.tubing(&id)).map(|t| t.bore);
    assert_eq!(bore(adult.kit_tubing_for(&catalog, Bore::In1_2, Bore::In1_2)), Some(Bore::In1_2));
    // A sensor takes any bore: the other end decides.
    assert_eq!(bore(adult.kit_tubing_for(&catalog, Bore::Any, Bore::In3_8)), Some(Bore::In3_8));
    // No size fits both (1/2" to 3/8"): one that fits either end, for the validator to explain.
    let mixed = bore(adult.kit_tubing_for(&catalog, Bore::In1_2, Bore::In3_8));
    assert!(mixed == Some(Bore::In1_2) || mixed == Some(Bore::In3_8), "{mixed:?}");
}

/// A part named as the team calls it keeps that name everywhere the circuit names parts, leaves the others'
/// numbering alone, and is undone like any edit; a name that would confuse (a duplicate, a default-looking name, a
/// control character, too long, blank) is refused with what to write.
#[test]
fn a_part_takes_the_name_the_team_calls_it() {
    let catalog = catalog();
    let mut circuit = Circuit::new();
    let first = place(&mut circuit, "pressure_transducer");
    let second = place(&mut circuit, "pressure_transducer");
    let third = place(&mut circuit, "pressure_transducer");
    let undo = circuit.apply(&catalog, Edit::SetLabel { part: first, label: Some("P-inlet".into()) }).unwrap();
    let labels = circuit.labels(&catalog);
    assert_eq!(labels[&first], "P-inlet");
    assert_eq!(labels[&second], "Pressure transducer 2", "naming one part renumbered another");
    assert_eq!(circuit.label(&catalog, third), "Pressure transducer 3");
    assert_eq!(circuit.label(&catalog, first), "P-inlet");

    for (name, says) in [
        ("p-INLET", "another part has that name"),
        ("Pressure transducer 7", "form of a default name"),
        ("pre\u{1b}[2J", "control characters"),
        ("a name far too long for any trend column", "at most 24"),
        ("  ", "without spaces"),
    ] {
        let refused = circuit.apply(&catalog, Edit::SetLabel { part: second, label: Some(name.into()) }).unwrap_err();
        assert!(matches!(refused, EditError::BadLabel { .. }), "{name}: {refused}");
        assert!(refused.to_string().contains(says), "{name}: {refused}");
    }
    circuit.apply(&catalog, undo).unwrap();
    assert_eq!(circuit.label(&catalog, first), "Pressure transducer 1");

    // In a file: written, read back, and a bad one located at its field, the part still read (its tube finds it).
    circuit.apply(&catalog, Edit::SetLabel { part: second, label: Some("pre-membrane".into()) }).unwrap();
    circuit.apply(&catalog, tube(&circuit, (second, "line"), (third, "line"), "tubing_luer", 1.0)).unwrap();
    let text = file::to_ron(&circuit, None);
    assert!(text.contains("label: Some(\"pre-membrane\")"), "{text}");
    let loaded = file::from_source(&Source::new("named.ron", text.clone()), &catalog).expect("reads back");
    assert_eq!(loaded.circuit.label(&catalog, second), "pre-membrane");
    let clash = text.replace("pre-membrane", "Pressure transducer 1");
    let diagnostics = file::from_source(&Source::new("clash.ron", clash), &catalog).unwrap_err();
    let message = diagnostics.0[0].to_string();
    assert!(message.starts_with("clash.ron:") && message.contains("parts[1].label"), "{message}");
    assert!(message.contains("form of a default name"), "{message}");
    assert_eq!(diagnostics.0.len(), 1, "a follow-on error for the part's tube: {diagnostics}");
}

/// Each pump's job read from how the circuit is built: the main line's pump is the arterial one, the others are
/// named by the sucker, vent or cardioplegia set their lines reach; without a main line no pump is the arterial one.
#[test]
fn each_pump_is_known_by_its_job() {
    use perfusion_trainer::circuit::PumpJob;
    let catalog = catalog();
    let mut circuit = solution("adult_cabg");
    let jobs = circuit.pump_jobs(&catalog);
    let expected = [
        (3, PumpJob::Arterial),
        (15, PumpJob::Cardioplegia),
        (19, PumpJob::Sucker),
        (21, PumpJob::Sucker),
        (24, PumpJob::Vent),
    ];
    assert_eq!(jobs.into_iter().collect::<Vec<_>>(), expected.map(|(id, job)| (PartId(id), job)).to_vec());
    assert!(!circuit.any_pump_turning(), "the reference is saved with every pump stopped");
    circuit.apply(&catalog, Edit::Disconnect { tube: TubeId(16) }).unwrap();
    assert!(!circuit.pump_jobs(&catalog).values().any(|j| *j == PumpJob::Arterial), "no main line, no arterial pump");
}
