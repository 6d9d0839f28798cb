//! The run: start, pause, stop and speed in the toolbar; alarms as banners over the canvas; the monitor's current
//! values, the machine's settings and trends by unit.

use super::Intent;
use super::inspector::{Layout, controls_ui};
use super::run::{SPEEDS, rounded};
use crate::attempt::clock;
use crate::catalog::Catalog;
use crate::circuit::{Circuit, Controls};
use crate::session::Run;
use crate::ui::UiCommand;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Corner, Legend, Line, Plot, PlotPoints};

/// Start, pause, stop and speed, the run's time, and why it is not keeping pace when it is not (`behind`, the speed
/// reached; `at_limit`, the attempt's model time used up).
pub fn run_controls_ui(
    ui: &mut egui::Ui,
    run: Option<&Run>,
    behind: Option<f32>,
    at_limit: bool,
    intents: &mut Vec<Intent>,
) {
    match run {
        None => {
            if UiCommand::ToggleRun.button(ui, None, true, "") {
                intents.push(Intent::Start);
            }
        }
        Some(run) => {
            let pause = if run.paused { "Resume" } else { "Pause" };
            if UiCommand::ToggleRun.button(ui, Some(pause.to_owned()), true, "") {
                intents.push(Intent::TogglePause);
            }
            if ui.button("Stop run").on_hover_text("End the run; the assembly can be edited again").clicked() {
                intents.push(Intent::Stop);
            }
            let mut speed = run.speed;
            let combo = egui::ComboBox::from_id_salt("run_speed")
                .selected_text(format!("×{speed:.0}"))
                .width(60.0)
                .show_ui(ui, |ui| {
                    for option in SPEEDS {
                        ui.selectable_value(&mut speed, option, format!("×{option:.0}"));
                    }
                });
            combo.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Run speed"));
            combo.response.on_hover_text("Model time per real second");
            if speed.to_bits() != run.speed.to_bits() {
                intents.push(Intent::Speed(speed));
            }
            ui.label(RichText::new(format!("t = {}", clock(run.simulation().state().time_s))).monospace());
            if let Some(reached) = behind {
                ui.label(
                    RichText::new(format!(
                        "running at ×{reached:.1}: this machine cannot keep up with ×{:.0}",
                        run.speed
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            if at_limit {
                ui.label(
                    RichText::new(format!(
                        "the attempt's runs have used their {:.0} h of model time: stop the run to review it",
                        crate::session::MAX_MODEL_S / 3600.0
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            if let Some(failed) = run.failed() {
                ui.label(RichText::new(format!("Model stopped: {failed}")).color(ui.visuals().error_fg_color));
            }
        }
    }
}

/// The alarms sounding, over the top of the canvas: unacknowledged ones loud, with a button to acknowledge, the
/// cause before its consequences, each with the run's time it sounded from (`raised_at`, model s). An overlay, so
/// alarms coming and going never move the panels under the user's pointer.
pub fn alarm_overlay(
    ui: &mut egui::Ui,
    run: &Run,
    labels: &std::collections::BTreeMap<crate::ids::PartId, String>,
    raised_at: &dyn Fn(crate::sim::Alarm) -> Option<f64>,
    canvas: egui::Rect,
    intents: &mut Vec<Intent>,
) {
    let mut alarms = run.alarms();
    if alarms.is_empty() {
        return;
    }
    // The cause before its consequences, the ones not yet acknowledged first among equals.
    alarms.sort_by_key(|(alarm, acknowledged)| (*acknowledged, alarm.urgency()));
    let area = canvas.shrink2(egui::vec2(12.0, 8.0));
    let mut overlay =
        ui.new_child(egui::UiBuilder::new().max_rect(area).layout(egui::Layout::top_down(egui::Align::Min)));
    for (alarm, acknowledged) in alarms {
        let (fill, text) = if acknowledged {
            (overlay.visuals().window_fill, overlay.visuals().text_color())
        } else {
            (Color32::from_rgb(170, 25, 25), Color32::WHITE)
        };
        egui::Frame::new()
            .fill(fill)
            .stroke(egui::Stroke::new(1.0, Color32::from_rgb(170, 25, 25)))
            .inner_margin(egui::Margin::symmetric(10, 5))
            .corner_radius(4)
            .show(&mut overlay, |ui| {
                // The button first, so a long alarm (a safety stop names its pump, sensor and reading) wraps beside
                // it instead of pushing it out of the canvas.
                ui.horizontal(|ui| {
                    if !acknowledged
                        && ui
                            .button("Acknowledge")
                            .on_hover_text("Silence this alarm; it sounds again if it clears and returns")
                            .clicked()
                    {
                        intents.push(Intent::Acknowledge(alarm));
                    }
                    let status = if acknowledged { "acknowledged" } else { "ALARM" };
                    let words = run.simulation().describe_alarm(alarm, labels);
                    let since = raised_at(alarm).map(|model_s| format!(" (since {} of the run)", clock(model_s)));
                    let line = format!("{status}: {words}{}", since.unwrap_or_default());
                    ui.add(egui::Label::new(RichText::new(line).color(text).strong()).wrap());
                });
            });
        overlay.add_space(3.0);
    }
}

/// The monitor: the patient's figures, the machine's settings (each pump named with its job, `pump_jobs`), drugs
/// and fluids, the figures now and the trends.
pub fn monitor_ui(
    ui: &mut egui::Ui,
    run: Option<&Run>,
    circuit: &Circuit,
    catalog: &Catalog,
    pump_jobs: &std::collections::BTreeMap<crate::ids::PartId, crate::circuit::PumpJob>,
    intents: &mut Vec<Intent>,
) {
    let Some(run) = run else {
        ui.add_space(8.0);
        ui.label("Start a run to see pressures, flows, saturations and temperatures here.");
        ui.add_space(4.0);
        ui.label(RichText::new("The run simulates whatever is built, right or wrong: a clamp left on raises the line pressure, a reversed pump drains the patient.").weak());
        return;
    };
    let labels = circuit.labels(catalog);
    let names: Vec<_> = run.columns().columns().cloned().collect();
    // The model as it is this frame, as the canvas's readings show it (the kept rows lag by up to a sample).
    let now = run.columns().sample(run.simulation());
    vital_signs_ui(ui, &now, &names);
    // On full bypass the model's heart gives nothing: before a pump turns, the near-zero pressures are that, not a
    // fault of the circuit.
    if !run.simulation().has_native_heart() && !circuit.any_pump_turning() {
        ui.label(
            RichText::new(
                "Full bypass: the patient's heart gives no output in this scenario, so until a pump turns the \
                 pressures stay near zero. Set the arterial pump's speed to go on.",
            )
            .small()
            .weak(),
        );
    }
    egui::CollapsingHeader::new(RichText::new("Machine").strong()).default_open(true).show(ui, |ui| {
        // One device per block, its name (and a pump's job) over its controls, which wrap: a narrow panel never
        // hides a control.
        for part in circuit.parts().filter(|p| p.controls != Controls::None) {
            let label = labels.get(&part.id).cloned().unwrap_or_default();
            match pump_jobs.get(&part.id) {
                Some(job) => ui.label(RichText::new(format!("{label} ({})", job.word())).strong()),
                None => ui.label(RichText::new(&label).strong()),
            };
            let kind = circuit.kind_of(catalog, part.id);
            ui.horizontal_wrapped(|ui| controls_ui(ui, part, kind, &label, Layout::Line, intents));
            if run.simulation().is_stopped(part.id) {
                // The speed above is the one set; the pump itself stands still until restarted.
                ui.horizontal_wrapped(|ui| {
                    let why = if run.simulation().safety_stop(part.id).is_some() {
                        "stopped by its safety link: 0 rpm"
                    } else {
                        "no power: 0 rpm"
                    };
                    ui.label(RichText::new(why).color(ui.visuals().warn_fg_color).strong());
                    let restart = ui
                        .button(RichText::new("Restart").color(ui.visuals().warn_fg_color))
                        .on_hover_text("Run this stopped pump again (restart or hand crank after a power loss; after a safety stop, once its cause has cleared)");
                    restart.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Restart {label}"))
                    });
                    if restart.clicked() {
                        intents.push(Intent::RestartPump(part.id));
                    }
                });
            }
            ui.add_space(4.0);
        }
    });
    egui::CollapsingHeader::new(RichText::new("Drugs and fluids").strong()).default_open(true).show(ui, |ui| {
        drugs_and_fluids_ui(ui, intents);
    });
    egui::CollapsingHeader::new(RichText::new("Now").strong()).default_open(true).show(ui, |ui| {
        // The figure in a column of its own, then the name wrapping beside it: a long name ("Oxygenator 1 outlet
        // temperature") never widens the panel past the window at 150 %.
        let row_height = ui.spacing().interact_size.y;
        for (column, value) in names.iter().zip(&now).skip(1) {
            ui.horizontal(|ui| {
                ui.allocate_ui_with_layout(
                    egui::vec2(110.0, row_height),
                    egui::Layout::right_to_left(egui::Align::Center),
                    |ui| ui.label(RichText::new(format!("{:.1} {}", rounded(*value, 1), column.unit)).monospace()),
                );
                ui.add(egui::Label::new(capitalised(&column.name)).wrap());
            });
        }
    });
    egui::CollapsingHeader::new(RichText::new("Trends").strong()).default_open(true).show(ui, |ui| {
        trends_ui(ui, run, &names);
    });
}

/// The patient's figures a perfusionist watches first, above the machine: pressure, saturations, oxygen delivery,
/// temperature, haematocrit, lactate (the whole list is under "Now").
fn vital_signs_ui(ui: &mut egui::Ui, now: &[f64], names: &[crate::sim::Column]) {
    use crate::sim::TrendKey;
    let vitals = [
        (TrendKey::PatientArterialPressure, "MAP"),
        (TrendKey::PatientSao2, "SaO2"),
        (TrendKey::Svo2, "SvO2"),
        (TrendKey::Do2i, "DO2i"),
        (TrendKey::PatientTemperature, "Temp"),
        (TrendKey::Hct, "Hct"),
        (TrendKey::Lactate, "Lactate"),
    ];
    ui.horizontal_wrapped(|ui| {
        for (key, short) in vitals {
            let Some((column, value)) = names.iter().zip(now).find(|(c, _)| c.key == key) else { continue };
            // Each figure whole on a line: the row wraps between figures, never inside one.
            let text = RichText::new(format!("{short} {:.1} {}", rounded(*value, 1), column.unit)).monospace().strong();
            let chip = ui.add(egui::Label::new(text).extend());
            chip.on_hover_text(capitalised(&column.name));
            ui.add_space(6.0);
        }
    });
    ui.separator();
}

/// What the perfusionist gives into the circuit: a drug bolus (µg) and fluid into the reservoir (mL), each chosen,
/// sized and given by a button; the choices are kept between frames.
fn drugs_and_fluids_ui(ui: &mut egui::Ui, intents: &mut Vec<Intent>) {
    use crate::sim::{Drug, Fluid, Intervention};
    let id = egui::Id::unique("drugs_and_fluids");
    let (mut drug, mut dose_ug, mut fluid, mut volume_ml) = ui
        .data(|d| d.get_temp::<(Drug, f64, Fluid, f64)>(id))
        .unwrap_or((Drug::GlycerylTrinitrate, 100.0, Fluid::Crystalloid, 250.0));
    egui::Grid::new("drugs_and_fluids_grid").num_columns(4).spacing([8.0, 4.0]).show(ui, |ui| {
        let combo = egui::ComboBox::from_id_salt("drug").selected_text(drug.label()).show_ui(ui, |ui| {
            for option in [Drug::GlycerylTrinitrate, Drug::Phenylephrine] {
                ui.selectable_value(&mut drug, option, option.label());
            }
        });
        combo.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Drug"));
        let dose = ui.add(
            egui::DragValue::new(&mut dose_ug).range(10.0..=crate::sim::intervention::MAX_DOSE_UG).suffix(" µg"),
        );
        dose.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Dose (µg)"));
        let give = ui.button("Give").on_hover_text(
            "A bolus into the circuit: glyceryl trinitrate lowers the vascular resistance over minutes, phenylephrine raises it",
        );
        give.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Give the drug"));
        if give.clicked() {
            intents.push(Intent::Intervene(Intervention::GiveDrug { drug, dose_ug }));
        }
        ui.end_row();
        let combo = egui::ComboBox::from_id_salt("fluid").selected_text(fluid.label()).show_ui(ui, |ui| {
            for option in [Fluid::Crystalloid, Fluid::Albumin, Fluid::PackedCells] {
                ui.selectable_value(&mut fluid, option, option.label());
            }
        });
        combo.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Fluid"));
        let volume = ui.add(
            egui::DragValue::new(&mut volume_ml).range(10.0..=crate::sim::intervention::MAX_FLUID_ML).suffix(" mL"),
        );
        volume.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, "Volume (mL)"));
        let add = ui.button("Add").on_hover_text("Pour it into the venous reservoir (into the patient's veins on ECMO)");
        add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Add the fluid"));
        if add.clicked() {
            intents.push(Intent::Intervene(Intervention::AddFluid { fluid, volume_ml }));
        }
        ui.end_row();
    });
    let surgeon = ui.button("Ask the surgeon to control bleeding").on_hover_text(
        "When the field fills faster than the suckers clear it: the surgeon finds and stops the bleeding",
    );
    if surgeon.clicked() {
        intents.push(Intent::Intervene(Intervention::SurgicalHaemostasis));
    }
    ui.data_mut(|d| d.insert_temp(id, (drug, dose_ug, fluid, volume_ml)));
}

/// The plot a column goes on: one per quantity (pressures together, flows together...); gas tensions apart from
/// line pressures though both are in mmHg.
fn plot_group(column: &crate::sim::Column) -> String {
    if column.name.contains("CO2") {
        format!("PCO2 ({})", column.unit)
    } else if column.name.contains("PO2") || column.name.contains("PaO2") {
        format!("PO2 ({})", column.unit)
    } else {
        column.unit.to_owned()
    }
}

/// The least span a plot's value axis shows, in the plot's unit: a steady reading is drawn flat at its value, not
/// as the rounding noise of its last digits stretched over the plot (37 °C drawn as 36.99999999999999 to
/// 37.000000000000). A display choice.
fn least_span(unit: &str) -> f64 {
    match unit {
        "°C" | "g/dL" | "mmol/L" => 2.0,
        "mmHg" => 20.0,
        "L/min" => 1.0,
        "%" => 10.0,
        "mL" => 100.0,
        "mL/min" | "mL/min/m²" => 50.0,
        _ => 1.0,
    }
}

/// One plot per group over the model time kept, in minutes; the legend small and translucent in a corner.
fn trends_ui(ui: &mut egui::Ui, run: &Run, names: &[crate::sim::Column]) {
    let mut groups: Vec<String> = Vec::new();
    for column in names.iter().skip(1).filter(|c| c.unit != "list") {
        let group = plot_group(column);
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    for group in groups {
        ui.label(RichText::new(&group).small().weak());
        let lines: Vec<(String, Vec<[f64; 2]>)> = names
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, c)| plot_group(c) == group)
            .map(|(index, column)| {
                let points =
                    run.rows().iter().filter_map(|row| Some([*row.first()? / 60.0, *row.get(index)?])).collect();
                (capitalised(&column.name), points)
            })
            .collect();
        let (low, high) = lines
            .iter()
            .flat_map(|(_, points)| points.iter().map(|p| p[1]))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let unit = names.iter().find(|c| plot_group(c) == group).map_or("", |c| c.unit);
        let half = least_span(unit) / 2.0;
        let middle = if low.is_finite() && high.is_finite() { (low + high) / 2.0 } else { 0.0 };
        Plot::new(("trend", &group))
            .height(130.0)
            .legend(
                Legend::default().position(Corner::LeftTop).background_alpha(0.6).text_style(egui::TextStyle::Small),
            )
            .x_axis_label("min")
            .include_y(middle - half)
            .include_y(middle + half)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .show(ui, |plot| {
                for (name, points) in lines {
                    plot.line(Line::new(name, PlotPoints::from(points)));
                }
            });
    }
    ui.label(RichText::new("Time axis in minutes of model time.").small().weak());
}

/// "Patient arterial pressure" from the trend's "patient arterial pressure".
fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}
