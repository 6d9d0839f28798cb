//! The workbench driven headless through egui_kittest as a trainee would: drag parts from the kit, drag tubes
//! from port to port, set them in the inspector, validate, run, clamp, undo; and the keyboard path.

use super::support::{catalog, scenario, solution};
use eframe::egui::{self, Key, Modifiers, Pos2, Rect, Vec2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use perfusion_trainer::catalog::Catalog;
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection};
use perfusion_trainer::ids::{CatalogId, PartId, TubeId};
use perfusion_trainer::rules::Severity;
use perfusion_trainer::scenario::KitAmount;
use perfusion_trainer::ui::{App, Dialogs, Picked};
use perfusion_trainer::validate::validate;

/// Large enough that the reference layouts (up to x = 1140, y = 660) fit the canvas at zoom 1.
const BIG: Vec2 = vec2(2200.0, 1400.0);

fn picker(size: Vec2) -> Harness<'static, App> {
    Harness::builder()
        .with_size(size)
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(400)
        .build_eframe(|cc| App::new(&cc.egui_ctx, None, Dialogs::cancelled()))
}

fn workbench_with(id: &'static str, circuit: Circuit) -> Harness<'static, App> {
    workbench_on(scenario(id), circuit)
}

/// The workbench on a scenario as the test made it (with its own faults) and a circuit.
fn workbench_on(scenario: perfusion_trainer::scenario::Scenario, circuit: Circuit) -> Harness<'static, App> {
    Harness::builder().with_size(vec2(1280.0, 800.0)).with_step_dt(1.0 / 60.0).with_max_steps(400).build_eframe(
        move |cc| {
            let mut app = App::new(&cc.egui_ctx, None, Dialogs::cancelled());
            app.open_workbench(scenario.clone(), circuit.clone());
            app
        },
    )
}

/// Clamps (or unclamps) a tube as a trainee does: selected by its mark on the canvas, then the clamp set in the
/// inspector.
fn toggle_clamp(harness: &mut Harness<'_, App>, tube: u32) {
    harness.get_by_label(&format!("Select tube {tube}")).click();
    harness.run_steps(2);
    harness.get_by_label("Inspector").click();
    harness.run_steps(2);
    harness.get_by_label(&format!("Clamp tube {tube}")).click();
    harness.run_steps(2);
}

fn circuit_of(harness: &Harness<'_, App>) -> Circuit {
    harness.state().workbench().expect("the workbench is open").circuit().clone()
}

/// Presses at `from`, moves in steps, releases at `to`: a real drag, frame by frame.
fn drag(harness: &mut Harness<'_, App>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for k in 1..=6 {
        harness.hover_at(from + (to - from) * (k as f32 / 6.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.step();
    harness.step();
}

/// Types a number into the spin button named `name` and commits it with Enter.
fn type_value(harness: &mut Harness<'_, App>, name: &str, value: f64) {
    harness.get_by_label(name).click();
    harness.step();
    harness.step();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.step();
    harness.get_by_label(name).type_text(&format!("{value}"));
    harness.step();
    harness.key_press(Key::Enter);
    harness.step();
    harness.step();
}

/// Opens the combo box named `combo` and picks `option` in its popup: the widget of that name that the popup
/// brought (a part on the canvas may bear the same name).
fn choose(harness: &mut Harness<'_, App>, combo: &str, option: &str) {
    let before: Vec<_> = harness.query_all_by_label(option).map(|n| n.rect()).collect();
    harness.get_by_label(combo).click();
    harness.run();
    let node = harness.query_all_by_label(option).find(|n| !before.contains(&n.rect()));
    node.unwrap_or_else(|| panic!("no option {option} in {combo}")).click();
    harness.run();
}

fn canvas_origin(harness: &Harness<'_, App>) -> Pos2 {
    harness.get_by_label("Circuit canvas").rect().min + vec2(40.0, 40.0)
}

fn kit_label(catalog: &Catalog, id: &CatalogId, left: u32) -> String {
    format!("{} ({left} left)", catalog.name_of(id))
}

/// Builds `target` on an empty workbench through the palette, the canvas and the inspector only.
fn build_by_gestures(harness: &mut Harness<'_, App>, target: &Circuit, scenario_id: &str) {
    let catalog = catalog();
    let kit = scenario(scenario_id).kit;
    let origin = canvas_origin(harness);
    let labels = target.labels(&catalog);
    for part in target.parts() {
        let on_shelf = match kit.iter().find(|(id, _)| *id == part.catalog_id).map(|(_, a)| *a) {
            Some(KitAmount::Count(n)) => n,
            _ => panic!("{} is not in the kit", part.catalog_id),
        };
        let placed = circuit_of(harness).parts().filter(|p| p.catalog_id == part.catalog_id).count() as u32;
        let source = harness.get_by_label(&kit_label(&catalog, &part.catalog_id, on_shelf - placed)).rect().center();
        let at = origin + vec2(part.pos_in_canvas.x, part.pos_in_canvas.y);
        drag(harness, source, at);
        let built = circuit_of(harness);
        let placed_part = built.parts().last().expect("a part was placed");
        assert_eq!(placed_part.catalog_id, part.catalog_id, "dropping {} placed it", labels[&part.id]);
        if part.height_cm != 0.0 {
            type_value(harness, "Height above the heart (cm)", part.height_cm);
        }
        match part.controls {
            Controls::Pump { rpm, direction, occlusion_set } => {
                if rpm != 0.0 {
                    type_value(harness, &format!("{} speed (rpm)", labels[&part.id]), rpm);
                }
                if direction == PumpDirection::Reverse {
                    choose(harness, &format!("{} direction", labels[&part.id]), "Reverse");
                }
                if occlusion_set {
                    harness.get_by_label(&format!("{} occlusion set", labels[&part.id])).click();
                    harness.step();
                }
            }
            Controls::Gas { sweep_l_min, fio2 } => {
                type_value(harness, &format!("{} sweep gas (L/min)", labels[&part.id]), sweep_l_min);
                type_value(harness, &format!("{} FiO2 (%)", labels[&part.id]), fio2 * 100.0);
            }
            Controls::Water { temp_c } => {
                if (temp_c - 37.0).abs() > 1e-9 {
                    type_value(harness, &format!("{} water temperature (°C)", labels[&part.id]), temp_c);
                }
            }
            Controls::None => {}
        }
    }
    for tube in target.tubes() {
        let from = format!("{} {}", labels[&tube.from.part], tube.from.port.replace('_', " "));
        let to = format!("{} {}", labels[&tube.to.part], tube.to.port.replace('_', " "));
        let (a, b) = (harness.get_by_label(&from).rect().center(), harness.get_by_label(&to).rect().center());
        drag(harness, a, b);
        let built = circuit_of(harness);
        let laid = built.tubes().last().expect("a tube was laid");
        assert!(laid.from.port == tube.from.port && laid.to.port == tube.to.port, "{from} to {to}: {laid:?}");
        let wanted = catalog.name_of(&tube.tubing);
        if catalog.name_of(&laid.tubing) != wanted {
            choose(harness, "Tube size", &wanted);
        }
        type_value(harness, "Tube length (m)", tube.length_m);
        if tube.clamped {
            harness.get_by_label(&format!("Clamp tube {}", laid.id.0)).click();
            harness.step();
        }
    }
    // Caps, mounts and safety links, from each part's inspector.
    for part in target.parts() {
        let needs = !part.capped.is_empty() || part.mounted_on.is_some() || part.servo_to.is_some();
        if !needs {
            continue;
        }
        harness.get_by_label(&labels[&part.id]).click();
        harness.run();
        for port in &part.capped {
            harness.get_by_label(&format!("Cap {}", port.replace('_', " "))).click();
            harness.run();
        }
        if let Some(on) = part.mounted_on {
            choose(harness, "Mounted on part", &labels[&on]);
        }
        if let Some(to) = part.servo_to {
            choose(harness, "Pump stopped by this sensor", &labels[&to]);
        }
    }
}

/// The same circuit but for where the parts sit on the canvas.
fn same_assembly(a: &Circuit, b: &Circuit) {
    let parts = |c: &Circuit| {
        c.parts()
            .map(|p| (p.catalog_id.clone(), p.height_cm, p.controls, p.mounted_on, p.servo_to, p.capped.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(parts(a), parts(b));
    let tubes = |c: &Circuit| {
        c.tubes()
            .map(|t| (t.from.clone(), t.to.clone(), t.tubing.clone(), (t.length_m * 100.0).round(), t.clamped))
            .collect::<Vec<_>>()
    };
    assert_eq!(tubes(a), tubes(b));
}

#[test]
fn the_adult_reference_circuit_built_by_gestures_validates_without_critical_findings() {
    let mut harness = picker(BIG);
    harness.run();
    let adult = scenario("adult_cabg");
    harness.query_all_by_label(&adult.title).next().unwrap().click();
    harness.run();
    harness.get_by_label("Build the circuit").click();
    harness.run();
    let target = solution("adult_cabg");
    build_by_gestures(&mut harness, &target, "adult_cabg");
    let built = circuit_of(&harness);
    same_assembly(&built, &target);

    harness.key_press(Key::F5);
    harness.run();
    let catalog = catalog();
    let findings = validate(&adult, &built, &catalog);
    assert!(findings.iter().all(|f| f.severity != Severity::Critical));
    harness.get_by_label(&format!("Findings ({})", findings.len()));
    assert!(harness.query_by_label_contains("Critical: do not go on bypass").is_none());
}

fn empty_workbench(id: &'static str) -> Harness<'static, App> {
    workbench_with(id, Circuit::new())
}

/// A speed typed above the pump's maximum stops at the maximum (150 rpm for the 1/2" roller), and says so, instead
/// of being refused and the field going back to 0.
#[test]
fn a_pump_speed_typed_too_high_stops_at_the_pumps_maximum() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.get_by_label("Roller pump 1").click();
    harness.run();
    type_value(&mut harness, "Roller pump 1 speed (rpm)", 260.0);
    harness.run();
    let controls = circuit_of(&harness).part(PartId(3)).unwrap().controls;
    assert!(matches!(controls, Controls::Pump { rpm, .. } if (rpm - 150.0).abs() < 1e-9), "{controls:?}");
    assert!(harness.query_by_label_contains("260 rpm is beyond what it takes (0–150 rpm); set to 150").is_some());
}

#[test]
fn running_shows_flow_and_a_clamped_arterial_line_raises_the_pressure_alarm() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.key_press(Key::F6);
    harness.run_steps(2);
    // The arterial pump (Roller pump 1, 45 mL/rev) to 105 rpm from the monitor: 4.725 L/min.
    type_value(&mut harness, "Roller pump 1 speed (rpm)", 105.0);
    harness.run_steps(240);
    let flow = harness.state().workbench().and_then(|w| w.simulation()).and_then(|s| s.part_flow_l_min(PartId(3)));
    assert!(flow.is_some_and(|q| (q - 4.725).abs() < 0.01), "{flow:?}");
    assert!(harness.query_by_label("4.7 L/min").is_some(), "the monitor shows the pump flow");

    // Clamp the arterial line (tube 16, bubble detector to aortic cannula) with the pump running.
    toggle_clamp(&mut harness, 16);
    let mut alarmed = false;
    for _ in 0..90 {
        harness.run_steps(1);
        alarmed |= harness.query_by_label_contains("Arterial line pressure high").is_some();
    }
    assert!(alarmed, "the line-pressure alarm sounds within 1.5 s of clamping");
    let clamped = circuit_of(&harness).tube(TubeId(16)).is_some_and(|t| t.clamped);
    assert!(clamped, "the clamp is on the circuit");
}

#[test]
fn an_alarm_can_be_acknowledged() {
    // The arterial line clamped with the pump set: the line-pressure alarm sounds as soon as the run starts.
    let mut circuit = solution("adult_cabg");
    let catalog = catalog();
    let pump = Controls::Pump { rpm: 105.0, direction: PumpDirection::Forward, occlusion_set: true };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls: pump }).unwrap();
    circuit.apply(&catalog, Edit::SetClamp { tube: TubeId(16), clamped: true }).unwrap();
    let mut harness = workbench_with("adult_cabg", circuit);
    harness.run();
    harness.key_press(Key::F6);
    harness.run_steps(30);
    let acknowledge = harness.query_all_by_label("Acknowledge").next().map(|n| n.rect().center());
    let acknowledge = acknowledge.expect("an alarm sounds with an Acknowledge button");
    harness.hover_at(acknowledge);
    harness.step();
    harness.query_all_by_label("Acknowledge").next().unwrap().click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("acknowledged:").is_some());
}

#[test]
fn undo_and_redo_restore_the_circuit_exactly() {
    let mut harness = empty_workbench("adult_cabg");
    harness.run();
    let catalog = catalog();
    let pump = CatalogId::new("roller_pump_1_2");
    let oxygenator = CatalogId::new("oxygenator_adult");
    harness.get_by_label(&kit_label(&catalog, &pump, 1)).click();
    harness.run();
    harness.get_by_label(&kit_label(&catalog, &oxygenator, 1)).click();
    harness.run();
    let before = circuit_of(&harness);
    assert_eq!(before.parts().count(), 2, "clicking the kit places parts");
    let (a, b) = (
        harness.get_by_label("Roller pump 1 outlet").rect().center(),
        harness.get_by_label("Oxygenator 1 venous inlet").rect().center(),
    );
    drag(&mut harness, a, b);
    harness.run();
    let after = circuit_of(&harness);
    assert_eq!(after.tubes().count(), 1, "a tube was laid");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let now = circuit_of(&harness);
    assert_eq!(now.parts().collect::<Vec<_>>(), before.parts().collect::<Vec<_>>(), "Ctrl+Z restores the parts");
    assert_eq!(now.tubes().count(), 0, "and removes the tube");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(circuit_of(&harness).tubes().collect::<Vec<_>>(), after.tubes().collect::<Vec<_>>());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(circuit_of(&harness).tubes().count(), 1, "Ctrl+Y redoes too");
}

/// The keyboard alone places parts and joins two ports; the "Connect to" list offers only the ports that fit (not
/// the oxygenator's 3/8" inlet to a 1/2" pump outlet, nor an outlet to an outlet), so the pump is joined through
/// the reducer.
#[test]
fn the_keyboard_alone_places_parts_and_connects_two_ports_that_fit() {
    let mut harness = empty_workbench("adult_cabg");
    harness.run();
    let catalog = catalog();
    for (id, left) in [("roller_pump_1_2", 1), ("reducer_3_8_1_2", 2), ("oxygenator_adult", 1)] {
        harness.get_by_label(&kit_label(&catalog, &CatalogId::new(id), left)).focus();
        harness.run();
        harness.key_press(Key::Enter);
        harness.run();
    }
    assert_eq!(circuit_of(&harness).parts().count(), 3);
    harness.get_by_label("Roller pump 1").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    // A port on the canvas bears the same name as its list entry: the entries are the ones the list brought.
    let names = ["Oxygenator 1 venous inlet", "Oxygenator 1 arterial outlet", "Reducer 1 large"];
    let on_canvas: Vec<_> = names.iter().flat_map(|n| harness.query_all_by_label(n)).map(|n| n.rect()).collect();
    harness.get_by_label("Connect outlet to").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let listed = |harness: &Harness<'_, App>, name: &str| {
        harness.query_all_by_label(name).find(|n| !on_canvas.contains(&n.rect())).map(|n| n.rect())
    };
    assert!(listed(&harness, "Oxygenator 1 venous inlet").is_none(), "a 3/8\" inlet offered to a 1/2\" outlet");
    assert!(listed(&harness, "Oxygenator 1 arterial outlet").is_none(), "an outlet offered to an outlet");
    let entry = harness.query_all_by_label("Reducer 1 large").find(|n| !on_canvas.contains(&n.rect()));
    entry.expect("the list offers the reducer's 1/2\" end").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let circuit = circuit_of(&harness);
    let tube = circuit.tubes().next().expect("a tube joins the two ports");
    assert_eq!((tube.from.port.as_str(), tube.to.port.as_str()), ("outlet", "large"));
    assert_eq!(tube.tubing.as_str(), "tubing_1_2", "laid with the tubing both ends take");
}

#[test]
fn a_gesture_that_cannot_make_sense_is_refused_with_its_reason() {
    let mut harness = empty_workbench("adult_cabg");
    harness.run();
    let catalog = catalog();
    for id in ["roller_pump_1_2", "oxygenator_adult"] {
        harness.get_by_label(&kit_label(&catalog, &CatalogId::new(id), 1)).click();
        harness.run();
    }
    // A port dragged back onto itself.
    let outlet = harness.get_by_label("Roller pump 1 outlet").rect().center();
    drag(&mut harness, outlet, outlet + vec2(60.0, 40.0));
    harness.run();
    assert!(harness.query_by_label_contains("Drop the tube on another part's port").is_some());
    harness.drag_at(outlet);
    harness.step();
    for offset in [vec2(20.0, 20.0), vec2(40.0, 0.0), vec2(0.0, 0.0)] {
        harness.hover_at(outlet + offset);
        harness.step();
    }
    harness.drop_at(outlet);
    harness.run();
    assert!(harness.query_by_label_contains("cannot be joined to itself").is_some());
    // A second tube on a port that already has one.
    let inlet = harness.get_by_label("Oxygenator 1 venous inlet").rect().center();
    drag(&mut harness, outlet, inlet);
    harness.run();
    let recirculation = harness.get_by_label("Oxygenator 1 recirculation").rect().center();
    drag(&mut harness, outlet, recirculation);
    harness.run();
    assert!(harness.query_by_label_contains("already has a tube").is_some());
    assert_eq!(circuit_of(&harness).tubes().count(), 1, "the refused tube is not laid");
}

#[test]
fn clicking_a_finding_shows_its_parts_and_delete_removes_a_part() {
    let mut circuit = solution("adult_cabg");
    let catalog = catalog();
    // The bubble detector removed: the air-protection rule fires and names the arterial pump.
    circuit.apply(&catalog, Edit::RemovePart { part: PartId(9) }).unwrap();
    let mut harness = workbench_with("adult_cabg", circuit.clone());
    harness.run();
    harness.key_press(Key::F5);
    harness.run();
    let findings = validate(&scenario("adult_cabg"), &circuit, &catalog);
    let critical = findings.iter().find(|f| f.severity == Severity::Critical).expect("a critical finding");
    harness.query_all_by_label(&critical.title).next().unwrap().click();
    harness.run();
    let shown = harness.state().workbench().and_then(|w| w.highlighted_finding()).map(|f| f.title.clone());
    assert_eq!(shown.as_deref(), Some(critical.title.as_str()), "the clicked finding is shown on the canvas");

    harness.get_by_label("Oxygenator 1").click();
    harness.run();
    harness.key_press(Key::Delete);
    harness.run();
    assert!(circuit_of(&harness).part(PartId(6)).is_none(), "Del removes the selected part");
}

fn app_with(
    dialogs: impl FnOnce() -> Dialogs + 'static,
    autosave: Option<std::path::PathBuf>,
) -> Harness<'static, App> {
    let mut dialogs = Some(dialogs);
    Harness::builder().with_size(vec2(1280.0, 800.0)).with_step_dt(1.0 / 60.0).with_max_steps(400).build_eframe(
        move |cc| {
            let mut app = App::new(&cc.egui_ctx, None, dialogs.take().map_or_else(Dialogs::cancelled, |d| d()));
            if let Some(path) = autosave.clone() {
                app.autosave_to(path);
            }
            app
        },
    )
}

/// From the picker: the adult scenario, the trainee's name typed, Build, two parts placed and joined.
fn build_a_little(harness: &mut Harness<'_, App>, trainee: &str) {
    harness.run();
    harness.get_by_label("Trainee name").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Trainee name").type_text(trainee);
    harness.run();
    build_from_kit(harness, &["roller_pump_1_2", "oxygenator_adult"]);
    let (a, b) = (
        harness.get_by_label("Roller pump 1 outlet").rect().center(),
        harness.get_by_label("Oxygenator 1 venous inlet").rect().center(),
    );
    drag(harness, a, b);
    harness.run();
}

/// From the briefing: Build, then each catalog id placed from the kit by a click.
fn build_from_kit(harness: &mut Harness<'_, App>, ids: &[&str]) {
    harness.get_by_label("Build the circuit").click();
    harness.run();
    let catalog = catalog();
    for id in ids {
        harness.get_by_label(&kit_label(&catalog, &CatalogId::new(*id), 1)).click();
        harness.run();
    }
}

/// A tube's end is pulled to a port it could join from a near miss (magnetic): dropped 20 px beside the
/// oxygenator's inlet, it joins it.
#[test]
fn a_tube_dropped_near_a_port_that_fits_snaps_to_it() {
    let mut harness = app_with(Dialogs::cancelled, None);
    harness.run();
    // A 3/8" raceway and the adult oxygenator's 3/8" inlet: the same bore, so the inlet pulls the tube's end.
    build_from_kit(&mut harness, &["roller_pump_3_8", "oxygenator_adult"]);
    let from = harness.get_by_label("Roller pump 1 outlet").rect().center();
    let inlet = harness.get_by_label("Oxygenator 1 venous inlet").rect().center();
    drag(&mut harness, from, inlet + vec2(-20.0, 0.0));
    harness.run();
    let tubes: Vec<_> = circuit_of(&harness).tubes().map(|t| (t.from.port.clone(), t.to.port.clone())).collect();
    assert_eq!(tubes, vec![("outlet".to_owned(), "venous_inlet".to_owned())], "snapped to the inlet");
}

/// A tube from an outlet to an outlet is laid as asked (the validator explains it), but the status line says at
/// once that no blood can flow through it.
#[test]
fn a_tube_between_two_outlets_is_called_out_as_it_is_laid() {
    let mut harness = app_with(Dialogs::cancelled, None);
    build_a_little(&mut harness, "Kim");
    assert!(harness.query_by_label_contains("Tube laid. Set its size").is_some(), "a sound tube is just laid");
    let (a, b) = (
        harness.get_by_label("Oxygenator 1 arterial outlet").rect().center(),
        harness.get_by_label("Oxygenator 1 recirculation").rect().center(),
    );
    drag(&mut harness, a, b);
    harness.run();
    assert_eq!(circuit_of(&harness).tubes().count(), 2, "laid as asked");
    assert!(harness.query_by_label_contains("between two outlets").is_some(), "called out");
}

#[test]
fn ctrl_s_saves_the_attempt_with_its_log_and_it_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let target = path.clone();
    let opened = path.clone();
    let mut harness = app_with(
        move || Dialogs {
            save_attempt: Box::new(move || Picked::Chosen(target.clone())),
            open_attempt: Box::new(move || Picked::Chosen(opened.clone())),
            ..Dialogs::cancelled()
        },
        None,
    );
    build_a_little(&mut harness, "Dana");
    harness.key_press(Key::F5);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let built = circuit_of(&harness);
    let loaded = perfusion_trainer::attempt::load(&path, &catalog()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(loaded.attempt.trainee, "Dana");
    assert_eq!(loaded.circuit.tubes().collect::<Vec<_>>(), built.tubes().collect::<Vec<_>>(), "the log replays");
    let events = &loaded.attempt.log;
    let edits = events.iter().filter(|e| matches!(e.event, perfusion_trainer::attempt::Event::Edit(_))).count();
    assert_eq!(edits, 3, "two parts and a tube");
    assert!(events.iter().any(|e| matches!(e.event, perfusion_trainer::attempt::Event::Validated { .. })));
    assert!(loaded.attempt.score.is_some(), "the score is saved with it");
    assert_eq!(harness.state().recent().first(), Some(&path), "the saved attempt heads the recent files");

    // Opened again (Ctrl+Shift+O) on a fresh app: the same circuit on the workbench.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    harness.run();
    assert_eq!(circuit_of(&harness).tubes().collect::<Vec<_>>(), built.tubes().collect::<Vec<_>>());
}

#[test]
fn unsaved_work_is_autosaved_and_offered_for_recovery_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let autosave = dir.path().join("autosave.ron");
    let mut harness = app_with(Dialogs::cancelled, Some(autosave.clone()));
    build_a_little(&mut harness, "Eli");
    let built = circuit_of(&harness);
    // Leaving the workbench autosaves at once (as closing the window does).
    harness.get_by_label("Scenarios").click();
    harness.run();
    assert!(autosave.is_file(), "autosaved");

    let mut next = app_with(Dialogs::cancelled, Some(autosave.clone()));
    next.run();
    assert_eq!(next.state().recovery().map(|a| a.trainee.clone()).as_deref(), Some("Eli"));
    next.get_by_label("Recover").click();
    next.run();
    assert_eq!(circuit_of(&next).parts().collect::<Vec<_>>(), built.parts().collect::<Vec<_>>());
    assert_eq!(circuit_of(&next).tubes().collect::<Vec<_>>(), built.tubes().collect::<Vec<_>>());
}

#[test]
fn a_tampered_attempt_is_not_opened_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tampered.ron");
    let catalog = catalog();
    let mut attempt = perfusion_trainer::attempt::Attempt::new(
        "Fay",
        "",
        perfusion_trainer::attempt::ScenarioCopy::new("adult_cabg", scenario("adult_cabg").source_text),
    );
    attempt.scenario.text = attempt.scenario.text.replacen("weight_kg: 80.0", "weight_kg: 60.0", 1);
    perfusion_trainer::attempt::save(&path, &attempt).unwrap();
    let opened = path.clone();
    let mut harness = app_with(
        move || Dialogs { open_attempt: Box::new(move || Picked::Chosen(opened.clone())), ..Dialogs::cancelled() },
        None,
    );
    harness.run();
    harness.get_by_label("Open attempt…").click();
    harness.run();
    assert!(harness.state().workbench().is_none());
    assert!(harness.query_by_label_contains("tampered.ron cannot be opened").is_some());
    assert!(harness.query_by_label_contains("does not match its hash").is_some());
    let _ = catalog;
}

#[test]
fn review_scrubs_the_timeline_and_keeps_notes_and_a_grade() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attempt.ron");
    perfusion_trainer::attempt::save(&path, &super::attempt_fixture::adult_attempt("Gus", &catalog)).unwrap();
    let (opened, saved) = (path.clone(), path.clone());
    let report = dir.path().join("debrief.html");
    let reported = report.clone();
    let mut harness = app_with(
        move || Dialogs {
            open_attempt: Box::new(move || Picked::Chosen(opened.clone())),
            save_attempt: Box::new(move || Picked::Chosen(saved.clone())),
            save_report: Box::new(move || Picked::Chosen(reported.clone())),
            ..Dialogs::cancelled()
        },
        None,
    );
    harness.run();
    harness.get_by_label("Open attempt…").click();
    harness.run();
    assert_eq!(circuit_of(&harness).parts().count(), 24, "the attempt's circuit is on the canvas");
    harness.get_by_label("Review").click();
    harness.run();
    assert!(harness.query_by_label_contains("Score ").is_some(), "the score is shown");
    // A checklist item shows its moment: on bypass, so the monitor then is re-simulated from the log.
    harness.get_by_label_contains("done: Reach the target flow").click();
    harness.run();
    assert!(harness.query_by_label("Monitor then (re-simulated from the log)").is_some());
    // The log's first entry: 20 s in, only the venous cannula was placed.
    harness.get_by_label_contains("Log (").scroll_to_me();
    harness.run();
    harness.get_by_label_contains("Log (").click();
    harness.run();
    harness.get_by_label_contains("00:20  edit: placed").scroll_to_me();
    harness.run();
    harness.get_by_label_contains("00:20  edit: placed").click();
    harness.run();
    assert!(harness.query_by_label("Venous cannula 1").is_some() && harness.query_by_label("Roller pump 1").is_none());
    // The log closed again, so the notes are in view.
    harness.get_by_label_contains("Log (").scroll_to_me();
    harness.run();
    harness.get_by_label_contains("Log (").click();
    harness.run();
    // A note at that moment and a grade, saved into the file.
    harness.get_by_label("Note text").scroll_to_me();
    harness.run();
    harness.get_by_label("Note text").click();
    harness.run();
    harness.get_by_label("Note text").type_text("Started with the venous side: good.");
    harness.run();
    harness.get_by_label("Add at 00:20").scroll_to_me();
    harness.run();
    harness.get_by_label("Add at 00:20").click();
    harness.run();
    harness.get_by_label("Grade text").scroll_to_me();
    harness.run();
    harness.get_by_label("Grade text").click();
    harness.run();
    harness.get_by_label("Grade text").type_text("Pass");
    harness.run();
    harness.get_by_label("Set grade").scroll_to_me();
    harness.run();
    harness.get_by_label("Set grade").click();
    harness.run();
    let recorded = harness.state().workbench().map(|w| (w.attempt().notes.len(), w.attempt().grade.clone()));
    assert_eq!(recorded, Some((1, Some("Pass".to_owned()))), "note and grade recorded");
    harness.get_by_label("Back to now").click();
    harness.run();
    assert!(harness.query_by_label("Roller pump 1").is_some(), "back to the whole circuit");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let loaded = perfusion_trainer::attempt::load(&path, &catalog).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(loaded.attempt.grade.as_deref(), Some("Pass"));
    let note = loaded.attempt.notes.first().expect("a note");
    assert!((note.at_s - 20.0).abs() < 1e-9 && note.text.contains("venous side"));
    // The debrief report from the Review tab.
    harness.get_by_label("Export report…").scroll_to_me();
    harness.run();
    harness.get_by_label("Export report…").click();
    harness.run();
    let html = std::fs::read_to_string(&report).expect("the report was written");
    assert!(html.contains("Started with the venous side: good.") && html.contains("<svg"));
}

/// What the app records is what `run` makes of the same actions: the trainee's actions taken from the app's log
/// and played headless give the same log, trends and score.
#[test]
fn an_attempt_recorded_in_the_app_is_what_run_makes_of_its_actions() {
    use perfusion_trainer::session::{replay, script};
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.key_press(Key::F5);
    harness.run();
    harness.key_press(Key::F6);
    harness.run_steps(2);
    type_value(&mut harness, "Roller pump 1 speed (rpm)", 105.0);
    harness.run_steps(120);
    toggle_clamp(&mut harness, 16);
    harness.run_steps(90);
    let acknowledge = harness.query_all_by_label("Acknowledge").next().map(|n| n.rect().center());
    harness.hover_at(acknowledge.expect("the clamp raised an alarm"));
    harness.step();
    harness.query_all_by_label("Acknowledge").next().unwrap().click();
    harness.run_steps(30);
    harness.get_by_label("Stop run").click();
    harness.run();
    let recorded = harness.state().workbench().unwrap().attempt();
    assert!(
        recorded.log.iter().any(|e| matches!(e.event, perfusion_trainer::attempt::Event::AlarmAcknowledged { .. }))
    );

    let dir = tempfile::tempdir().unwrap();
    let actions = dir.path().join("actions.ron");
    std::fs::write(&actions, script::to_ron(&replay::actions(&recorded))).unwrap();
    let out = dir.path().join("played.ron");
    // The script holds every action, the circuit's building edits too: it starts from an empty canvas.
    let status = super::support::bin()
        .args(["run", "adult_cabg"])
        .arg("--actions")
        .arg(&actions)
        .arg("--out")
        .arg(&out)
        .args(["--trainee", &recorded.trainee])
        .status()
        .unwrap();
    assert!(status.success());
    let played = perfusion_trainer::attempt::load(&out, &catalog()).unwrap_or_else(|d| panic!("{d}")).attempt;
    assert_eq!(played.log, recorded.log, "the same log");
    assert_eq!(played.trends, recorded.trends, "the same trends");
    assert_eq!(played.score, recorded.score, "the same score");
}

/// The adult reference circuit with its arterial pump set for the target flow, on the adult scenario with only
/// `faults`, running.
fn running_drill(faults: Vec<perfusion_trainer::scenario::Fault>) -> Harness<'static, App> {
    let catalog = catalog();
    let mut adult = scenario("adult_cabg");
    adult.faults = faults;
    let mut circuit = solution("adult_cabg");
    let pump = Controls::Pump { rpm: 105.0, direction: PumpDirection::Forward, occlusion_set: true };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls: pump }).unwrap();
    let mut harness = workbench_on(adult, circuit);
    harness.run();
    harness.key_press(Key::F6);
    harness.run_steps(2);
    harness
}

/// At ×30 an alarm would be half a minute old before the next frame: the run comes back to ×1 when one sounds
/// (here DO2i low, a few seconds after going on bypass), says why, and the banner says since when.
#[test]
fn an_alarm_brings_a_fast_run_back_to_real_time() {
    let mut harness = running_drill(vec![]);
    harness.get_by_label("Run speed").click();
    harness.run_steps(2);
    harness.get_by_label("×30").click();
    harness.run_steps(120);
    let workbench = harness.state().workbench().expect("the workbench");
    let (speed, model_s) = workbench.session().run().map(|r| (r.speed, r.simulation().state().time_s)).unwrap();
    assert!((speed - 1.0).abs() < f64::EPSILON, "back to real time: ×{speed}");
    assert!(model_s < 30.0, "stopped racing within a frame of the alarm: t = {model_s} s");
    assert!(harness.query_by_label_contains("The run came back to ×1 when").is_some(), "and says so");
    let banners: Vec<String> = harness.query_all_by_label_contains("ALARM: ").map(|n| format!("{n:?}")).collect();
    assert!(banners.iter().any(|b| b.contains("(since 00:")), "the banner says since when: {banners:?}");
}

fn interventions(harness: &Harness<'_, App>) -> Vec<perfusion_trainer::sim::Intervention> {
    let workbench = harness.state().workbench().unwrap();
    workbench
        .session()
        .log()
        .log
        .iter()
        .filter_map(|e| match &e.event {
            perfusion_trainer::attempt::Event::Intervened(i) => Some(i.clone()),
            _ => None,
        })
        .collect()
}

fn faults_acting(harness: &Harness<'_, App>) -> usize {
    harness.state().workbench().and_then(|w| w.simulation()).map_or(0, |s| s.faults_acting().len())
}

#[test]
fn a_kinked_line_is_found_from_the_part_and_straightened_from_its_tube() {
    use perfusion_trainer::scenario::{Fault, FaultKind, LineRole};
    let kink = FaultKind::LineKink { line: LineRole::Arterial, open_fraction: 0.3 };
    let mut harness = running_drill(vec![Fault::new(1.0, kink)]);
    harness.run_steps(120);
    assert_eq!(faults_acting(&harness), 1, "the kink is on the line 1 s into bypass");
    // The bubble detector's ports lead to the arterial line's last tube (16), where the kink is.
    harness.get_by_label("Bubble detector 1").click();
    harness.run_steps(2);
    harness.get_by_label("Inspector").click();
    harness.run_steps(2);
    harness.get_by_label("Inspect tube 16").click();
    harness.run_steps(2);
    // The wrong remedy is refused with its reason; the right one puts the kink right.
    harness.get_by_label("Reconnect tube 16").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("has not come apart").is_some(), "the refusal says why");
    harness.get_by_label("Straighten tube 16").click();
    harness.run_steps(2);
    assert_eq!(faults_acting(&harness), 0, "the kink is gone");
    assert!(harness.query_by_label_contains("Done: straightened tube 16").is_some());
    assert_eq!(interventions(&harness), [perfusion_trainer::sim::Intervention::Straighten(TubeId(16))]);
}

#[test]
fn drugs_and_fluids_are_given_from_the_monitor_with_the_mouse_and_the_keyboard() {
    use perfusion_trainer::sim::{Drug, Fluid, Intervention};
    let mut harness = running_drill(Vec::new());
    harness.get_by_label("Monitor").click();
    harness.run_steps(2);
    // A running model repaints every frame: the popup is given frames, not run to rest.
    harness.get_by_label("Drug").click();
    harness.run_steps(3);
    harness.get_by_label("phenylephrine").click();
    harness.run_steps(3);
    type_value(&mut harness, "Dose (µg)", 200.0);
    harness.get_by_label("Give the drug").click();
    harness.run_steps(2);
    // The keyboard: focus the button and press Enter; the fluid and volume as they stand (crystalloid, 250 mL).
    harness.get_by_label("Add the fluid").focus();
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert_eq!(
        interventions(&harness),
        [
            Intervention::GiveDrug { drug: Drug::Phenylephrine, dose_ug: 200.0 },
            Intervention::AddFluid { fluid: Fluid::Crystalloid, volume_ml: 250.0 }
        ]
    );
    harness.run_steps(120);
    let tone = harness.state().workbench().and_then(|w| w.simulation()).map(|s| s.vascular_tone());
    assert!(tone.is_some_and(|t| t > 1.0), "phenylephrine raises the resistance: {tone:?}");
}

#[test]
fn a_failed_oxygenator_is_changed_out_once_isolated() {
    use perfusion_trainer::scenario::{Fault, FaultKind};
    let failure = FaultKind::OxygenatorFailure { transfer_fraction: 0.4, resistance_factor: 2.0 };
    let mut harness = running_drill(vec![Fault::new(0.5, failure)]);
    harness.run_steps(60);
    assert_eq!(faults_acting(&harness), 1);
    harness.get_by_label("Inspector").click();
    harness.run_steps(2);
    harness.get_by_label("Oxygenator 1").click();
    harness.run_steps(2);
    let change_out = |harness: &mut Harness<'_, App>| {
        harness.query_all_by_label_contains("Change out").next().expect("a Change out button").click();
        harness.run_steps(2);
    };
    change_out(&mut harness);
    assert!(harness.query_by_label_contains("isolate part 6 first").is_some(), "refused while blood flows through it");
    // Isolate it: pump stopped, clamped before (tube 12) and after (tube 14).
    harness.get_by_label("Monitor").click();
    harness.run_steps(2);
    type_value(&mut harness, "Roller pump 1 speed (rpm)", 0.0);
    toggle_clamp(&mut harness, 12);
    toggle_clamp(&mut harness, 14);
    harness.run_steps(60);
    // Back to the oxygenator in the inspector.
    harness.get_by_label("Inspector").click();
    harness.run_steps(2);
    harness.get_by_label("Oxygenator 1").click();
    harness.run_steps(2);
    change_out(&mut harness);
    assert_eq!(faults_acting(&harness), 0, "the new oxygenator works");
    assert_eq!(interventions(&harness), [perfusion_trainer::sim::Intervention::ReplacePart(PartId(6))]);
}

#[test]
fn every_intervention_reaches_the_session_by_mouse_or_keyboard_and_says_what_happened() {
    let mut harness = running_drill(Vec::new());
    let press = |harness: &mut Harness<'_, App>, label: &str, keyboard: bool| {
        let node = harness.get_by_label(label);
        if keyboard {
            node.focus();
            harness.run_steps(1);
            harness.key_press(Key::Enter);
        } else {
            node.click();
        }
        harness.run_steps(2);
    };
    harness.get_by_label("Inspector").click();
    harness.run_steps(2);
    // The return cannula: recannulating one still in the vessel is refused with why; repositioning is done.
    harness.get_by_label("Arterial cannula 1").click();
    harness.run_steps(2);
    press(&mut harness, "Recannulate Arterial cannula 1", false);
    assert!(harness.query_by_label_contains("is still in the vessel").is_some());
    press(&mut harness, "Reposition Arterial cannula 1", true);
    assert!(harness.query_by_label_contains("Done: repositioned").is_some());
    // The oxygenator's back-up gas, by keyboard.
    harness.get_by_label("Oxygenator 1").click();
    harness.run_steps(2);
    press(&mut harness, "Back-up gas Oxygenator 1", true);
    assert!(harness.query_by_label_contains("back-up gas supply").is_some());
    // A tube: nothing to reconnect or seal on a sound line, and the refusal says so.
    harness.get_by_label("Inspect tube 12").click();
    harness.run_steps(2);
    press(&mut harness, "Reconnect tube 12", true);
    assert!(harness.query_by_label_contains("has not come apart").is_some());
    press(&mut harness, "Seal air entry tube 12", false);
    assert!(harness.query_by_label_contains("no air is entering").is_some());
    // The surgeon, from the monitor.
    harness.get_by_label("Monitor").click();
    harness.run_steps(2);
    press(&mut harness, "Ask the surgeon to control bleeding", true);
    assert!(harness.query_by_label_contains("asked the surgeon").is_some());
    let done = interventions(&harness);
    assert_eq!(done.len(), 3, "reposition, back-up gas and haemostasis were done: {done:?}");
}

/// The app showing the briefing of bundled scenario `id` in a window 1280 wide and `height` high.
fn briefing_of(id: &str, height: f32) -> Harness<'static, App> {
    let id = id.to_owned();
    Harness::builder().with_size(vec2(1280.0, height)).with_max_steps(400).build_eframe(move |cc| {
        let mut app = App::new(&cc.egui_ctx, None, Dialogs::cancelled());
        app.show_briefing(&id);
        app
    })
}

/// `open SCENARIO` without a circuit shows the scenario's briefing first, with "Build the circuit", which opens its
/// workbench.
#[test]
fn opening_a_scenario_shows_its_briefing_first() {
    let mut harness = briefing_of("child_cpb", 800.0);
    harness.run();
    assert!(harness.query_all_by_label_contains("Sam, 3½ years").next().is_some(), "the child's briefing");
    assert!(harness.state().workbench().is_none(), "not yet the workbench");
    harness.get_by_label("Build the circuit").click();
    harness.run();
    let opened = harness.state().workbench().map(|w| w.session().scenario().id.clone());
    assert_eq!(opened.as_deref(), Some("child_cpb"));
}

/// A scenario opened from outside the list (the command line, a dropped file) is scrolled into view in the list, so
/// its card shows as the selected one even in a short window.
#[test]
fn a_scenario_opened_from_outside_the_list_is_scrolled_into_view() {
    let mut harness = briefing_of("drill_va_power_failure", 420.0);
    harness.run();
    let title = scenario("drill_va_power_failure").title;
    // The card in the list on the left (the briefing on the right bears the title too).
    let card = harness.query_all_by_label_contains(&title).map(|n| n.rect()).find(|r| r.left() < 340.0).unwrap();
    assert!(card.top() >= 0.0 && card.bottom() <= 420.0, "the selected card is out of view: {card:?}");
}

/// The briefing's practice switch: the drill opens without its faults, the toolbar says so, and the attempt
/// records it.
#[test]
fn the_briefing_switch_opens_a_drill_for_practice_without_its_faults() {
    let mut harness = briefing_of("drill_va_power_failure", 800.0);
    harness.run();
    harness.get_by_label("Practise without the faults").click();
    harness.run();
    harness.get_by_label("Build the circuit").click();
    harness.run();
    let session = harness.state().workbench().expect("the workbench").session();
    assert!(session.scenario().faults.is_empty() && session.log().without_faults);
    assert!(harness.query_by_label("Practice: no faults").is_some(), "the toolbar does not say it is practice");
}

/// On a machine with no file dialog (no desktop portal, no zenity), Save writes the attempt into the app's data
/// folder and says where, Export report likewise, and Open says how else to open a file: nothing is silent.
#[test]
fn without_a_file_dialog_nothing_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with(Dialogs::unavailable, Some(dir.path().join("autosave.ron")));
    build_a_little(&mut harness, "Eli");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run();
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("attempts")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    assert!(perfusion_trainer::attempt::load(&saved[0], &catalog()).is_ok(), "a whole attempt");
    assert!(harness.query_by_label_contains(&format!("Saved to {}", saved[0].display())).is_some(), "said where");
    harness.get_by_label("Open scenario…").click();
    harness.run();
    assert!(harness.query_by_label_contains("No file dialog on this machine").is_some(), "says why and how");
}

/// Clicking the middle of a tube selects it and never clamps it; the clamp is set from its context menu (or the
/// inspector), in so many words.
#[test]
fn a_click_on_a_tube_selects_it_and_its_context_menu_clamps_it() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.get_by_label("Select tube 16").click();
    harness.run();
    assert!(!circuit_of(&harness).tube(TubeId(16)).unwrap().clamped, "a click does not clamp");
    assert!(harness.query_by_label("Clamp tube 16").is_some(), "the inspector shows the tube with its clamp");
    harness.get_by_label("Select tube 16").click_secondary();
    harness.run();
    harness.get_by_label("Clamp this line").click();
    harness.run();
    assert!(circuit_of(&harness).tube(TubeId(16)).unwrap().clamped, "the context menu clamps");
    assert!(harness.query_by_label_contains("Clamped tube 16 (Ctrl+Z undoes it)").is_some(), "and says so");
}

/// A right click anywhere on a tube's body (not only its middle mark) selects it and offers its actions; a part's
/// menu offers to remove it. Both undo.
#[test]
fn right_clicks_on_a_tube_body_and_on_a_part_offer_their_actions() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    // Tube 16 runs straight from the bubble detector to the aortic cannula: 9 px beside its 12-px mark is its body.
    let body = harness.get_by_label("Select tube 16").rect().center() + vec2(9.0, 0.0);
    harness.hover_at(body);
    harness.step();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: body,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run();
    assert!(harness.query_by_label("Clamp tube 16").is_some(), "the right click selects the tube");
    harness.get_by_label("Clamp this line").click();
    harness.run();
    assert!(circuit_of(&harness).tube(TubeId(16)).unwrap().clamped, "the body's menu clamps");
    harness.get_by_label("Oxygenator 1").click_secondary();
    harness.run();
    harness.get_by_label("Remove (Del)").click();
    harness.run();
    assert!(circuit_of(&harness).part(PartId(6)).is_none(), "the part's menu removes it");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(circuit_of(&harness).part(PartId(6)).is_some(), "undone");
}

/// The monitor leads with the patient (MAP, saturations, DO2i...) and names each pump by its job.
#[test]
fn the_monitor_leads_with_the_patient_and_names_each_pumps_job() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.key_press(Key::F6);
    harness.run_steps(10);
    harness.get_by_label("Monitor").click();
    harness.run_steps(3);
    let map = harness.get_by_label_contains("MAP ").rect();
    let machine = harness.get_by_label("Machine").rect();
    assert!(map.bottom() <= machine.top(), "the patient's figures come before the machine");
    for pump in
        ["Roller pump 1 (arterial)", "Roller pump 2 (cardioplegia)", "Roller pump 3 (sucker)", "Roller pump 5 (vent)"]
    {
        assert!(harness.query_by_label(pump).is_some(), "{pump} not named");
    }
}

/// The wheel zooms wherever the pointer is on the canvas, over a part as over the background, during a run too.
#[test]
fn the_wheel_zooms_over_a_part_during_a_run() {
    let mut harness = running_drill(vec![]);
    let pump = harness.get_by_label("Roller pump 1").rect();
    let before = pump.width();
    harness.hover_at(pump.center());
    harness.step();
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, 120.0),
        modifiers: Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    harness.run_steps(30);
    let after = harness.get_by_label("Roller pump 1").rect().width();
    assert!(after > before * 1.2, "the pump was {before} px wide and is {after} px");
}

/// The arrow keys move the selected part (Shift: five steps), one undoable move each.
#[test]
fn the_arrow_keys_move_the_selected_part() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    let at = |harness: &Harness<'_, App>| circuit_of(harness).part(PartId(6)).unwrap().pos_in_canvas;
    let before = at(&harness);
    harness.get_by_label("Oxygenator 1").click();
    harness.run();
    harness.key_press(Key::ArrowRight);
    harness.run();
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    harness.run();
    let after = at(&harness);
    assert!(
        (after.x - before.x - 10.0).abs() < 1e-3 && (after.y - before.y - 50.0).abs() < 1e-3,
        "{before:?} → {after:?}"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!((at(&harness).y - before.y).abs() < 1e-3, "undone");
}

/// The keyboard alone: Ctrl+2 reaches the canvas, Enter selects the focused part, and the arrows, F and R then act
/// on it though the part keeps the keyboard focus (only a text field holds the keys back).
#[test]
fn a_part_selected_from_the_keyboard_moves_flips_and_turns_from_the_keyboard() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let before = circuit_of(&harness);
    for key in [Key::ArrowRight, Key::F, Key::R] {
        harness.key_press(key);
        harness.run();
    }
    let after = circuit_of(&harness);
    let changed: Vec<_> = after.parts().filter(|p| before.part(p.id) != Some(*p)).collect();
    let [part] = changed[..] else { panic!("one part should have changed: {changed:?}") };
    let was = before.part(part.id).unwrap();
    assert!((part.pos_in_canvas.x - was.pos_in_canvas.x - 10.0).abs() < 1e-3, "moved: {part:?}");
    assert!(part.flipped && part.rotation_deg.degrees() == 90, "flipped and turned: {part:?}");
}

/// The trainee's own attempt keeps the answer key out of the Review tab: no notes for the instructor, no drill still
/// to come (adult CABG has an oxygenator failure at 15:00), no grade to set; a saved attempt opened for review
/// shows them (`review_scrubs_the_timeline_and_keeps_notes_and_a_grade`).
#[test]
fn the_trainees_own_review_tab_hides_the_answer_key() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.get_by_label("Review").click();
    harness.run();
    assert!(harness.query_by_label_contains("Score ").is_some(), "the score is shown");
    assert!(harness.query_by_label_contains("opened for review").is_some(), "the trainee is told where they are");
    for hidden in ["did not reach it", "notes for the instructor", "Grade", "missed: Validate", "fault response"] {
        assert!(harness.query_by_label_contains(hidden).is_none(), "`{hidden}` is shown to the trainee");
    }

    // A drill under way: the actions it expects are not shown before they are due (they are its answer).
    use perfusion_trainer::scenario::{Fault, FaultKind, LineRole};
    let kink = FaultKind::LineKink { line: LineRole::Arterial, open_fraction: 0.3 };
    let mut harness = running_drill(vec![Fault::new(1.0, kink)]);
    harness.run_steps(120);
    assert_eq!(faults_acting(&harness), 1, "the kink is on");
    harness.get_by_label("Review").click();
    harness.run();
    assert!(harness.query_by_label_contains(" within ").is_none(), "an expected action is shown before it is due");
}

/// On a small window and on a laptop at 150 % the canvas keeps at least 40 % of the width and the whole reference
/// circuit stays framed in it (each part's accessible node lies inside the canvas).
#[test]
fn small_and_scaled_screens_keep_a_usable_canvas_with_the_circuit_in_view() {
    for (size, scale) in [(vec2(1024.0, 700.0), 1.0), (vec2(1366.0 / 1.5, 768.0 / 1.5), 1.5)] {
        let mut harness = Harness::builder()
            .with_size(size)
            .with_pixels_per_point(scale)
            .with_step_dt(1.0 / 60.0)
            .with_max_steps(400)
            .build_eframe(|cc| {
                let mut app = App::new(&cc.egui_ctx, None, Dialogs::cancelled());
                app.open_workbench(scenario("adult_cabg"), solution("adult_cabg"));
                app
            });
        harness.run();
        let canvas = harness.get_by_label("Circuit canvas").rect();
        assert!(canvas.width() >= 0.4 * size.x, "canvas {canvas:?} in a {size:?} window at {scale}");
        assert!(harness.get_by_label("Start run").rect().max.y <= size.y, "toolbar off the window");
        let parts = harness.query_all_by_label_contains("Roller pump").collect::<Vec<_>>();
        let on_canvas: Vec<_> = parts.iter().map(|n| n.rect()).filter(|r| r.center().x > canvas.min.x).collect();
        assert!(!on_canvas.is_empty(), "no pump drawn on the canvas");
        for rect in on_canvas {
            assert!(canvas.expand(1.0).contains_rect(rect), "a pump at {rect:?} outside the canvas {canvas:?}");
        }
        // Running, the monitor fits its panel: nothing in it pushes the panel's content off its left edge.
        harness.key_press(Key::F6);
        harness.run_steps(10);
        let tab = harness.get_by_label("Inspector").rect();
        // (A few points of the panel's margin lie over the canvas's last frame.)
        assert!(tab.left() >= canvas.right() - 6.0, "the side panel's content runs off it at {scale}: {tab:?}");
    }
}

/// A clip-on bubble detector dragged from the kit onto the arterial line is clipped into it (the line cut in two,
/// upstream half to its first end), and a level sensor dropped on the reservoir is mounted on it; each is one
/// undoable step that says what it did.
#[test]
fn a_device_dropped_on_a_line_clips_in_and_a_sensor_dropped_on_its_host_is_mounted() {
    let catalog = catalog();
    let mut circuit = solution("adult_cabg");
    let (filter, detector, cannula, sensor, reservoir) = (PartId(8), PartId(9), PartId(10), PartId(11), PartId(2));
    let filter_out = circuit
        .tubes_of(detector)
        .find_map(|t| t.ends().into_iter().find(|p| p.part != detector).cloned())
        .expect("filter side");
    assert_eq!(filter_out.part, filter);
    let cannula_in = circuit
        .tubes_of(cannula)
        .find_map(|t| t.ends().into_iter().find(|p| p.part != cannula).cloned())
        .expect("cannula side");
    assert_eq!(cannula_in.part, detector);
    let cannula_port =
        circuit.tubes_of(cannula).next().unwrap().ends().into_iter().find(|p| p.part == cannula).cloned();
    let line = circuit.tubes_of(detector).next().unwrap().clone();
    for part in [detector, sensor] {
        circuit.apply(&catalog, Edit::RemovePart { part }).unwrap();
    }
    let joined = circuit.next_tube_id();
    let direct = perfusion_trainer::circuit::Tube {
        id: joined,
        from: filter_out.clone(),
        to: cannula_port.expect("cannula port"),
        tubing: line.tubing.clone(),
        length_m: 1.0,
        clamped: false,
    };
    circuit.apply(&catalog, Edit::Connect(direct)).unwrap();
    let mut harness = workbench_with("adult_cabg", circuit);
    harness.run();

    let mark = harness.get_by_label(&format!("Select tube {}", joined.0)).rect().center();
    harness.get_by_label_contains("Bubble (air) detector, clip-on (").scroll_to_me();
    harness.run();
    let kit = harness.get_by_label_contains("Bubble (air) detector, clip-on (").rect().center();
    drag(&mut harness, kit, mark + vec2(0.0, 1.0));
    harness.run();
    let after = circuit_of(&harness);
    assert!(after.tube(joined).is_none(), "the line was not cut");
    let detector = after.parts().find(|p| p.catalog_id.as_str() == "bubble_detector").expect("detector placed").id;
    let ends: Vec<_> =
        after.tubes_of(detector).filter_map(|t| t.ends().into_iter().find(|p| p.part != detector).cloned()).collect();
    assert_eq!(ends.len(), 2, "the detector sits in the line");
    assert!(ends.iter().any(|p| p.part == filter) && ends.iter().any(|p| p.part == cannula));
    assert!(harness.query_by_label_contains("Clipped the bubble detector into tube").is_some());

    let host = harness.get_by_label("Hard-shell reservoir 1").rect().center();
    harness.get_by_label_contains("Reservoir level sensor (").scroll_to_me();
    harness.run();
    let kit = harness.get_by_label_contains("Reservoir level sensor (").rect().center();
    drag(&mut harness, kit, host + vec2(30.0, 0.0));
    harness.run();
    let after = circuit_of(&harness);
    let placed = after.parts().find(|p| p.catalog_id.as_str() == "level_sensor").expect("sensor placed");
    assert_eq!(placed.mounted_on, Some(reservoir));
    assert!(harness.query_by_label_contains("Mounted the level sensor on Hard-shell reservoir 1").is_some());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let undone = circuit_of(&harness);
    assert!(undone.tube(joined).is_some(), "undo did not restore the line");
    assert!(
        undone.parts().all(|p| p.catalog_id.as_str() != "bubble_detector" && p.catalog_id.as_str() != "level_sensor")
    );
}

/// A part is named in the inspector: typed, committed with Enter, shown on the canvas under its new name, and one
/// Ctrl+Z gives the default name back.
#[test]
fn a_part_is_named_in_the_inspector_and_the_canvas_shows_the_name() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.get_by_label("Pressure transducer 1").click();
    harness.run();
    harness.get_by_label("Part name").click();
    harness.run();
    harness.get_by_label("Part name").type_text("P-inlet");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(circuit_of(&harness).part(PartId(13)).and_then(|p| p.label.clone()).as_deref(), Some("P-inlet"));
    let canvas = harness.get_by_label("Circuit canvas").rect();
    let on_canvas = harness.query_all_by_label("P-inlet").any(|n| canvas.contains(n.rect().center()));
    assert!(on_canvas, "the canvas does not show the new name");
    assert!(harness.query_by_label("Pressure transducer 1").is_none());
    harness.get_by_label("Circuit canvas").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(circuit_of(&harness).part(PartId(13)).and_then(|p| p.label.clone()), None);
}

/// During a power loss the machine panel says the pump stands still (the speed beside it is only the one set), and
/// Restart runs it again.
#[test]
fn the_machine_panel_says_a_pump_without_power_stands_still() {
    use perfusion_trainer::scenario::{Fault, FaultKind};
    let mut harness = running_drill(vec![Fault::new(1.0, FaultKind::PumpPowerLoss { duration_s: 0.0 })]);
    harness.run_steps(120);
    harness.get_by_label("Monitor").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("no power: 0 rpm").is_some(), "the panel does not say the pump stopped");
    let restart = harness.get_by_label("Restart Roller pump 1").rect();
    assert!(restart.max.x <= 1280.0, "Restart at {restart:?} is off the window");
    harness.get_by_label("Restart Roller pump 1").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("no power: 0 rpm").is_none(), "still said stopped after the restart");
}

/// Unsaved work is never lost to the next attempt: back on the scenario list it is offered for recovery at once;
/// starting another attempt instead keeps it under its own name (listed in the recent files, said in the picker);
/// and a recovered attempt shows Save* until it is saved.
#[test]
fn unsaved_work_is_kept_when_another_attempt_starts_and_a_recovered_one_is_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let autosave = dir.path().join("autosave.ron");
    let mut harness = app_with(Dialogs::cancelled, Some(autosave.clone()));
    build_a_little(&mut harness, "Eli");
    harness.get_by_label("Scenarios").click();
    harness.run();
    assert_eq!(harness.state().recovery().map(|a| a.trainee.clone()).as_deref(), Some("Eli"), "offered at once");

    harness.get_by_label("Build the circuit").click();
    harness.run();
    let kept = harness.state().recent().first().cloned().expect("the kept attempt heads the recent files");
    let loaded = perfusion_trainer::attempt::load(&kept, &catalog()).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!((loaded.attempt.trainee.as_str(), loaded.circuit.tubes().count()), ("Eli", 1));
    harness.get_by_label("Scenarios").click();
    harness.run();
    assert!(harness.query_by_label_contains("Your unsaved attempt on Adult CABG").is_some(), "not said");

    // A fresh start offers the autosave of the second attempt (nothing built: none), and the kept one reopens.
    std::fs::copy(&kept, &autosave).unwrap();
    let mut next = app_with(Dialogs::cancelled, Some(autosave.clone()));
    next.run();
    next.get_by_label("Recover").click();
    next.run();
    assert!(next.query_by_label("Save*").is_some(), "a recovered attempt shows as saved");
}

/// A part is mirrored left to right with F (or the inspector's button): its inlet moves to the right side, the
/// circuit is the same, and Ctrl+Z puts it back.
#[test]
fn a_part_flips_left_to_right_and_its_ports_change_sides() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    let inlet_left_of_outlet = |harness: &Harness<'_, App>| {
        let inlet = harness.get_by_label("Roller pump 1 inlet").rect().center().x;
        inlet < harness.get_by_label("Roller pump 1 outlet").rect().center().x
    };
    assert!(inlet_left_of_outlet(&harness));
    harness.get_by_label("Roller pump 1").click();
    harness.run();
    harness.key_press(Key::F);
    harness.run();
    assert!(circuit_of(&harness).part(PartId(3)).is_some_and(|p| p.flipped));
    assert!(!inlet_left_of_outlet(&harness), "the inlet did not move to the right");
    harness.get_by_label("Flip back").click();
    harness.run();
    assert!(inlet_left_of_outlet(&harness));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(circuit_of(&harness).part(PartId(3)).is_some_and(|p| p.flipped), "undo brings the flip back");
}

/// A part turns a quarter with R (Shift+R back, or the inspector's buttons): the pump's inlet, on the left when
/// upright, goes to the top, then the right; the part's box turns with it; Ctrl+Z undoes a turn.
#[test]
fn a_part_turns_by_quarters_and_its_ports_go_round() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    // Where the inlet sits from the outlet, across the pump.
    let inlet = |harness: &Harness<'_, App>| {
        let outlet = harness.get_by_label("Roller pump 1 outlet").rect().center();
        harness.get_by_label("Roller pump 1 inlet").rect().center() - outlet
    };
    let turns = |harness: &Harness<'_, App>| circuit_of(harness).part(PartId(3)).map(|p| p.rotation_deg.degrees());
    assert!(inlet(&harness).x < -10.0, "upright, the inlet is on the left: {:?}", inlet(&harness));
    harness.get_by_label("Roller pump 1").click();
    harness.run();
    harness.key_press(Key::R);
    harness.run();
    assert_eq!(turns(&harness), Some(90));
    let at = inlet(&harness);
    assert!(at.y < -10.0 && at.x.abs() < 2.0, "a quarter clockwise puts the inlet on top: {at:?}");
    harness.get_by_label("Turn 90°").click();
    harness.run();
    assert!(inlet(&harness).x > 10.0, "half a turn puts the inlet on the right: {:?}", inlet(&harness));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::R);
    harness.run();
    assert_eq!(turns(&harness), Some(90), "Shift+R turns back");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(turns(&harness), Some(180), "undo brings the half turn back");
}

/// A slow frame (a software renderer draws four a second) may hold several key presses, and a Shift already let go:
/// each press counts, with the modifiers it was pressed with.
#[test]
fn every_key_press_in_a_slow_frame_counts_with_its_own_modifiers() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    harness.get_by_label("Roller pump 1").click();
    harness.run();
    let press = |harness: &mut Harness<'_, App>, key: Key, modifiers: Modifiers| {
        for pressed in [true, false] {
            let event = egui::Event::Key { key, physical_key: None, pressed, repeat: false, modifiers };
            harness.event(event);
        }
    };
    // Two R presses and a Shift+R in one frame: clockwise twice, back once: a quarter turn.
    press(&mut harness, Key::R, Modifiers::NONE);
    press(&mut harness, Key::R, Modifiers::NONE);
    press(&mut harness, Key::R, Modifiers::SHIFT);
    // Two Shift+Right presses: five steps each.
    press(&mut harness, Key::ArrowRight, Modifiers::SHIFT);
    press(&mut harness, Key::ArrowRight, Modifiers::SHIFT);
    let before = circuit_of(&harness).part(PartId(3)).unwrap().pos_in_canvas;
    harness.run();
    let part = circuit_of(&harness).part(PartId(3)).unwrap().clone();
    assert_eq!(part.rotation_deg.degrees(), 90, "{part:?}");
    assert!((part.pos_in_canvas.x - before.x - 100.0).abs() < 1e-3, "{before:?} → {:?}", part.pos_in_canvas);
}

/// A tall part turned a quarter lies on its side: its box is wider than tall.
#[test]
fn a_turned_part_takes_its_turned_box() {
    let mut circuit = solution("adult_cabg");
    let upright = |c: &Circuit| c.part(PartId(2)).map(|p| p.rotation_deg);
    let quarter = upright(&circuit).unwrap().clockwise();
    circuit.apply(&catalog(), Edit::SetRotation { part: PartId(2), rotation_deg: quarter }).unwrap();
    let mut harness = workbench_with("adult_cabg", circuit);
    harness.run();
    let reservoir = harness.get_by_label("Hard-shell reservoir 1").rect();
    assert!(reservoir.width() > reservoir.height(), "{reservoir:?}");
}

/// The picker's scenario cards are in the Tab order: Tab reaches one, Enter opens its briefing.
#[test]
fn the_keyboard_reaches_a_scenario_card_and_opens_its_briefing() {
    let mut harness = picker(vec2(1280.0, 800.0));
    harness.run();
    let title = scenario("child_cpb").title;
    let mut reached = false;
    for _ in 0..40 {
        harness.key_press(Key::Tab);
        harness.run();
        if harness.query_all_by_label(&title).any(|n| n.is_focused()) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached the card of {title}");
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.query_all_by_label_contains("Sam, 3½ years").next().is_some(), "the child's briefing");
}

/// Ctrl+1, Ctrl+2 and Ctrl+3 jump the keyboard to the kit, the canvas and the side panel, without 30 Tabs.
#[test]
fn shortcuts_jump_the_keyboard_between_kit_canvas_and_panel() {
    let mut harness = workbench_with("adult_cabg", solution("adult_cabg"));
    harness.run();
    let focused_in = |harness: &Harness<'_, App>, region: Rect| {
        harness.query_all_by_label_contains("").any(|n| n.is_focused() && region.contains(n.rect().center()))
    };
    let canvas = harness.get_by_label("Circuit canvas").rect();
    let panel = harness.get_by_label("Inspector").rect().expand2(vec2(0.0, 4.0));
    let kit = Rect::from_min_max(Pos2::ZERO, pos2(canvas.min.x, 800.0));
    for (key, region, name) in [(Key::Num2, canvas, "canvas"), (Key::Num1, kit, "kit"), (Key::Num3, panel, "panel")] {
        harness.key_press_modifiers(Modifiers::COMMAND, key);
        harness.run();
        assert!(focused_in(&harness, region), "Ctrl+{key:?} did not reach the {name}");
    }
}
