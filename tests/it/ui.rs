//! The app, driven headless through egui_kittest by the labels a user sees.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use perfusion_trainer::ui::{App, Dialogs, Picked};
use std::path::PathBuf;

fn app_with_dialog(answer: Option<PathBuf>) -> Harness<'static, App> {
    Harness::builder().with_size(eframe::egui::vec2(1280.0, 800.0)).build_eframe(move |cc| {
        let mut answer = answer.clone();
        App::new(
            &cc.egui_ctx,
            None,
            Dialogs {
                open_scenario: Box::new(move || answer.take().map_or(Picked::Cancelled, Picked::Chosen)),
                ..Dialogs::cancelled()
            },
        )
    })
}

#[test]
fn the_picker_lists_every_bundled_scenario_with_its_briefing() {
    let mut harness = app_with_dialog(None);
    harness.run();
    let catalog = super::support::catalog();
    for id in perfusion_trainer::scenario::bundled_ids() {
        let scenario = perfusion_trainer::scenario::bundled(id, &catalog).unwrap().unwrap();
        assert!(harness.query_all_by_label(&scenario.title).count() >= 1, "{} listed", scenario.title);
    }
    // The first scenario is selected: its derived targets are shown.
    harness.get_by_label("Target flow");
    harness.get_by_label("Body surface area");

    let vv = super::support::scenario("adult_vv_ecmo");
    harness.query_all_by_label(&vv.title).next().unwrap().click();
    harness.run();
    let flow = format!("{:.2} L/min at", vv.derived().target_flow_l_min);
    assert!(harness.query_by_label_contains(&flow).is_some(), "VV target flow {flow} shown");
}

#[test]
fn opening_a_broken_scenario_shows_its_diagnostics_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let text = std::fs::read_to_string(super::support::repo_path("scenarios/adult_cabg.ron")).unwrap();
    std::fs::write(&path, text.replacen("weight_kg:", "wieght_kg:", 1)).unwrap();
    let mut harness = app_with_dialog(Some(path));
    harness.run();
    harness.get_by_label("Open scenario…").click();
    harness.run();
    harness.get_by_label("mine.ron cannot be loaded");
    assert!(harness.query_by_label_contains("unknown field `wieght_kg`").is_some());
}

#[test]
fn ctrl_o_opens_an_instructors_scenario() {
    let mut harness = app_with_dialog(Some(super::support::repo_path("scenarios/child_cpb.ron")));
    harness.run();
    harness.key_press_modifiers(eframe::egui::Modifiers::COMMAND, eframe::egui::Key::O);
    harness.run();
    // Opened from disk: listed with its path, selected, and remembered among the recent files.
    assert_eq!(harness.state().recent(), [super::support::repo_path("scenarios/child_cpb.ron")]);
    assert!(harness.query_by_label_contains("scenarios/child_cpb.ron").is_some());
    let child = super::support::scenario("child_cpb");
    assert!(harness.query_by_label_contains(&format!("{:.2} L/min at", child.derived().target_flow_l_min)).is_some());
}
