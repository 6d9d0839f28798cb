//! The scenario picker: bundled scenarios and files opened from disk, each with its patient in one line.

use crate::ui::app::ScenarioEntry;
use eframe::egui::{self, RichText};

pub fn picker_ui(ui: &mut egui::Ui, entries: &[ScenarioEntry], selected: &mut Option<usize>) {
    ui.add_space(6.0);
    ui.heading("Scenarios");
    ui.add_space(4.0);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (index, entry) in entries.iter().enumerate() {
            let is_selected = *selected == Some(index);
            if entry_ui(ui, entry, is_selected).clicked() {
                *selected = Some(index);
            }
            ui.add_space(4.0);
        }
    });
}

fn entry_ui(ui: &mut egui::Ui, entry: &ScenarioEntry, is_selected: bool) -> egui::Response {
    let (title, detail, failed) = match &entry.loaded {
        Ok(scenario) => {
            (scenario.title.clone(), format!("{} · {}", scenario.procedure.label(), scenario.patient_summary()), false)
        }
        Err(diagnostics) => (entry.name.clone(), format!("cannot be loaded: {} problem(s)", diagnostics.0.len()), true),
    };
    let visuals = ui.visuals();
    let fill = if is_selected { visuals.selection.bg_fill } else { visuals.faint_bg_color };
    let frame = egui::Frame::group(ui.style()).fill(fill).inner_margin(egui::Margin::same(8));
    let response = frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let title_text = if failed {
                RichText::new(format!("Cannot load: {title}")).color(ui.visuals().error_fg_color).strong()
            } else {
                RichText::new(title.clone()).strong()
            };
            ui.label(title_text);
            ui.label(RichText::new(detail).weak());
            if entry.origin != "Bundled" {
                ui.label(RichText::new(&entry.origin).small().weak());
            }
        })
        .response;
    let response = response.interact(egui::Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &title));
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}
