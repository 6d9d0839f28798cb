//! The validator's findings, grouped by severity: what is wrong, why it matters for this patient, how to fix it.
//! Clicking one shows its parts and tubes on the canvas.

use super::Intent;
use crate::rules::Severity;
use crate::validate::Finding;
use eframe::egui::{self, Color32, RichText};

pub fn severity_colour(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Critical, true) => Color32::from_rgb(255, 110, 100),
        (Severity::Critical, false) => Color32::from_rgb(190, 30, 30),
        (Severity::Warning, true) => Color32::from_rgb(240, 180, 70),
        (Severity::Warning, false) => Color32::from_rgb(170, 100, 0),
        (Severity::Advice, true) => Color32::from_rgb(130, 180, 240),
        (Severity::Advice, false) => Color32::from_rgb(30, 90, 170),
    }
}

pub fn findings_ui(ui: &mut egui::Ui, findings: &[Finding], highlighted: Option<usize>, intents: &mut Vec<Intent>) {
    if findings.is_empty() {
        ui.add_space(8.0);
        ui.label("No findings: the assembly meets every rule for this scenario.");
        return;
    }
    ui.label(RichText::new("Checked live as you build. Click a finding to show its parts.").weak().small());
    let dark = ui.visuals().dark_mode;
    for severity in [Severity::Critical, Severity::Warning, Severity::Advice] {
        let group: Vec<(usize, &Finding)> =
            findings.iter().enumerate().filter(|(_, f)| f.severity == severity).collect();
        if group.is_empty() {
            continue;
        }
        ui.add_space(6.0);
        let heading = match severity {
            Severity::Critical => "Critical: do not go on bypass",
            Severity::Warning => "Warnings: fix before going on",
            Severity::Advice => "Advice",
        };
        ui.label(RichText::new(format!("{heading} ({})", group.len())).strong().color(severity_colour(severity, dark)));
        for (index, finding) in group {
            let selected = highlighted == Some(index);
            // The finding shown on the canvas gets a heavier border in its severity's colour; the fill stays
            // plain so the text keeps its contrast.
            let stroke = if selected {
                egui::Stroke::new(2.5, severity_colour(severity, dark))
            } else {
                egui::Stroke::new(1.0, severity_colour(severity, dark).gamma_multiply(0.6))
            };
            let response = egui::Frame::group(ui.style())
                .fill(ui.visuals().faint_bg_color)
                .stroke(stroke)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(&finding.title).strong());
                    ui.label(&finding.why);
                    ui.label(RichText::new(format!("Fix: {}", finding.fix)).italics());
                    ui.label(RichText::new(finding.rule).small().weak());
                })
                .response
                .interact(egui::Sense::click());
            response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &finding.title));
            if response.clicked() {
                intents.push(Intent::Highlight(index));
            }
            response.on_hover_cursor(egui::CursorIcon::PointingHand);
        }
    }
}
