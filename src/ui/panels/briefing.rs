//! The selected scenario: briefing, patient, the targets derived from the patient, limits and the kit; or, for
//! a file that cannot be loaded, its diagnostics.

use crate::catalog::Catalog;
use crate::input::Diagnostics;
use crate::scenario::{KitAmount, Scenario};
use crate::ui::app::ScenarioEntry;
use eframe::egui::{self, RichText};

pub fn briefing_ui(ui: &mut egui::Ui, entry: &ScenarioEntry, catalog: &Catalog) {
    match &entry.loaded {
        Ok(scenario) => egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            scenario_ui(ui, scenario, catalog);
        }),
        Err(diagnostics) => egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            diagnostics_ui(ui, &format!("{} cannot be loaded", entry.name), diagnostics);
        }),
    };
}

pub fn diagnostics_ui(ui: &mut egui::Ui, heading: &str, diagnostics: &Diagnostics) {
    ui.add_space(6.0);
    ui.heading(RichText::new(heading).color(ui.visuals().error_fg_color));
    ui.label("Each line gives the file, line and column, the field, what is wrong and how to fix it.");
    ui.add_space(8.0);
    for diagnostic in &diagnostics.0 {
        ui.label(RichText::new(diagnostic.to_string()).monospace());
        ui.add_space(2.0);
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Fix the file and open it again.").weak());
}

fn scenario_ui(ui: &mut egui::Ui, scenario: &Scenario, catalog: &Catalog) {
    ui.add_space(6.0);
    ui.heading(&scenario.title);
    ui.label(RichText::new(scenario.procedure.label()).strong());
    ui.add_space(6.0);
    ui.label(&scenario.briefing);
    ui.add_space(12.0);

    let derived = scenario.derived();
    let patient = &scenario.patient;
    ui.columns(2, |columns| {
        section_ui(&mut columns[0], "Patient", |ui| {
            row(ui, "Age", patient.age.to_string());
            row(ui, "Sex", format!("{:?}", patient.sex));
            row(ui, "Weight", format!("{} kg", patient.weight_kg));
            row(ui, "Height", format!("{} cm", patient.height_cm));
            row(ui, "Haematocrit", format!("{:.0} %", patient.hct * 100.0));
            row(ui, "Haemoglobin", format!("{:.1} g/dL", patient.hb_g_dl));
            row(ui, "Planned temperature", format!("{} °C", patient.target_temp_c));
        });
        section_ui(&mut columns[1], "Derived targets", |ui| {
            row(ui, "Body surface area", format!("{:.2} m² ({:?})", derived.bsa_m2, patient.bsa_formula_used()));
            row(ui, "Blood volume", format!("{:.0} mL", derived.blood_volume_ml));
            row(
                ui,
                "Target flow",
                format!(
                    "{:.2} L/min at {} L/min/m²",
                    derived.target_flow_l_min, scenario.targets.cardiac_index_l_min_m2
                ),
            );
            row(ui, "Prime limit", derived.max_prime_ml.map_or("none set".to_owned(), |ml| format!("{ml:.0} mL")));
            row(ui, "Minimum Hct on bypass", format!("{:.0} %", derived.min_hct * 100.0));
            row(ui, "Clear prime keeping it", format!("≤ {:.0} mL", derived.max_clear_prime_for_min_hct_ml));
        });
    });
    ui.add_space(12.0);

    let targets = &scenario.targets;
    ui.columns(2, |columns| {
        section_ui(&mut columns[0], "Limits", |ui| {
            row(ui, "Arterial line pressure", format!("≤ {} mmHg", targets.arterial_line_max_mmhg));
            row(ui, "Venous line pressure", format!("≥ {} mmHg", targets.venous_line_min_mmhg));
            row(ui, "Mean arterial pressure", format!("{}–{} mmHg", targets.map_min_mmhg, targets.map_max_mmhg));
            row(ui, "SvO2", format!("≥ {:.0} %", targets.svo2_min * 100.0));
            row(ui, "DO2i", format!("≥ {} mL/min/m²", targets.do2i_min_ml_min_m2));
        });
        section_ui(&mut columns[1], "Kit on the shelf", |ui| {
            for (id, amount) in &scenario.kit {
                let amount = match amount {
                    KitAmount::Count(count) => format!("× {count}"),
                    KitAmount::LengthM(length) => format!("{length} m"),
                };
                row(ui, &catalog.name_of(id), amount);
            }
        });
    });
}

fn section_ui(ui: &mut egui::Ui, title: &str, add_rows: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style()).inner_margin(egui::Margin::same(10)).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(title).strong().size(15.0));
        ui.add_space(4.0);
        // Two equal columns, so the stripes run the width of the frame; a long name wraps rather than pushing the
        // value out of the frame.
        let column_width = (ui.available_width() - 16.0) / 2.0;
        egui::Grid::new(title)
            .num_columns(2)
            .spacing([16.0, 4.0])
            .min_col_width(column_width)
            .max_col_width(column_width)
            .striped(true)
            .show(ui, add_rows);
    });
}

fn row(ui: &mut egui::Ui, label: &str, value: String) {
    ui.label(RichText::new(label).weak());
    ui.label(value);
    ui.end_row();
}
