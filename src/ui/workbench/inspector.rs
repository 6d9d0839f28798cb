//! The selected part or tube: its specifications and settings, and every port with what it is joined to. From
//! here a port can be connected to any free port by choosing it from a list, so the whole circuit can be built
//! without a mouse.

use super::palette::specs_text;
use super::{Intent, Selection};
use crate::catalog::{Catalog, PartKind, PortDir};
use crate::circuit::{Circuit, Controls, Edit, PlacedPart, PumpDirection, Tube};
use crate::ids::{PartId, PortRef};
use crate::scenario::Scenario;
use crate::sim::Intervention;
use eframe::egui::{self, RichText};
use std::ops::RangeInclusive;

pub fn inspector_ui(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    selection: Selection,
    running: bool,
    intents: &mut Vec<Intent>,
) {
    match selection {
        Selection::Part(id) => match circuit.part(id) {
            Some(part) => part_ui(ui, circuit, catalog, part, running, intents),
            None => nothing_selected(ui),
        },
        Selection::Tube(id) => match circuit.tube(id) {
            Some(tube) => tube_ui(ui, scenario, circuit, catalog, tube, running, intents),
            None => nothing_selected(ui),
        },
        Selection::None => nothing_selected(ui),
    }
}

fn nothing_selected(ui: &mut egui::Ui) {
    ui.add_space(8.0);
    ui.label("Select a part or a tube on the canvas to see and set it here.");
    ui.add_space(6.0);
    ui.label(RichText::new("Keyboard: Tab to a part in the kit and press Enter to place it; Tab to a part on the canvas and press Enter to select it; connect its ports from the list here; the arrow keys move it (Shift: farther), F flips it, R and Shift+R turn it. Ctrl+1, Ctrl+2 and Ctrl+3 jump to the kit, the canvas and this panel.").weak());
}

/// How a number field reads and steps.
struct Field<'a> {
    /// Its accessible name (screen readers, tests).
    name: &'a str,
    range: RangeInclusive<f64>,
    speed: f64,
    suffix: &'a str,
    decimals: usize,
}

/// A number field that commits once, when the drag ends or the typing is done, so one gesture is one undo step.
/// A typed value outside the field's range is brought to its nearer end, and the status line says so (260 rpm on a
/// 150-rpm roller sets 150 rpm).
fn committed_value(
    ui: &mut egui::Ui,
    id: egui::Id,
    field: Field,
    current: f64,
    intents: &mut Vec<Intent>,
) -> Option<f64> {
    let mut value = ui.data(|d| d.get_temp::<f64>(id)).unwrap_or(current);
    let response =
        ui.add(egui::DragValue::new(&mut value).speed(field.speed).suffix(field.suffix).fixed_decimals(field.decimals));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, field.name));
    let editing = response.dragged() || response.has_focus();
    if editing {
        ui.data_mut(|d| d.insert_temp(id, value));
        return None;
    }
    ui.data_mut(|d| d.remove::<f64>(id));
    let committed = response.drag_stopped() || response.lost_focus() || response.changed();
    let bounded = value.clamp(*field.range.start(), *field.range.end());
    if committed && bounded.to_bits() != value.to_bits() {
        let (what, unit) = (field.name, field.suffix.trim());
        let (typed, set) = (crate::input::short(value), crate::input::short(bounded));
        intents.push(Intent::Refuse(format!(
            "{what}: {typed} {unit} is beyond what it takes ({}–{} {unit}); set to {set} {unit}.",
            crate::input::short(*field.range.start()),
            crate::input::short(*field.range.end())
        )));
    }
    (committed && bounded.to_bits() != current.to_bits()).then_some(bounded)
}

/// The part's name as typed, committed when the field is left (Enter or Tab); an empty field gives the default name
/// back. A name the circuit refuses is said on the status line and the field shows the name in force again.
fn name_field(ui: &mut egui::Ui, part: &PlacedPart, shown: &str, intents: &mut Vec<Intent>) {
    let id = egui::Id::unique(("part_name", part.id));
    let current = part.label.clone().unwrap_or_default();
    let mut text = ui.data(|d| d.get_temp::<String>(id)).unwrap_or_else(|| current.clone());
    let response = ui.add(
        egui::TextEdit::singleline(&mut text)
            .id_salt(("part_name_field", part.id))
            .hint_text(shown)
            .char_limit(crate::circuit::MAX_LABEL_CHARS)
            .desired_width(160.0),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Part name"));
    if response.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text));
        return;
    }
    ui.data_mut(|d| d.remove::<String>(id));
    let typed = text.trim();
    if response.lost_focus() && typed != current {
        let label = (!typed.is_empty()).then(|| typed.to_owned());
        intents.push(Intent::Edit(Edit::SetLabel { part: part.id, label }));
    }
}

/// Gives a widget its accessible name when its visible text alone would be ambiguous ("Cap" on every port).
fn named(response: egui::Response, role: egui::Role, name: &str) -> egui::Response {
    response.widget_info(|| egui::WidgetInfo::labeled(role, true, name));
    response
}

fn part_ui(
    ui: &mut egui::Ui,
    circuit: &Circuit,
    catalog: &Catalog,
    part: &PlacedPart,
    running: bool,
    intents: &mut Vec<Intent>,
) {
    let Some(spec) = catalog.part(&part.catalog_id) else {
        ui.label(format!("{} is not in the catalog.", part.catalog_id));
        return;
    };
    let labels = circuit.labels(catalog);
    let label = labels.get(&part.id).cloned().unwrap_or_default();
    ui.heading(&label);
    ui.label(RichText::new(specs_text(spec)).weak());
    ui.add_space(6.0);

    egui::Grid::new("part_settings").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        ui.label("Name").on_hover_text(
            "What the team calls this part (\"P-inlet\", \"pre-membrane\"): used on the canvas, in findings, trends, \
             alarms and reports. Leave empty for the default name.",
        );
        ui.add_enabled_ui(!running, |ui| name_field(ui, part, &label, intents));
        ui.end_row();
        ui.label("Drawing").on_hover_text(
            "Mirror the part so its lines leave from the other side (key F), or turn it a quarter (R, Shift+R) so a \
             line can run up or down through it. The drawing only.",
        );
        ui.horizontal(|ui| {
            let words = if part.flipped { "Flip back" } else { "Flip" };
            if ui.button(words).on_hover_text("Mirror left to right (F)").clicked() {
                intents.push(Intent::Edit(Edit::SetFlipped { part: part.id, flipped: !part.flipped }));
            }
            let turned = format!("Turn 90° (now {}°)", part.rotation_deg.degrees());
            if ui.button("Turn 90°").on_hover_text(format!("{turned}; R, Shift+R turns back")).clicked() {
                let rotation_deg = part.rotation_deg.clockwise();
                intents.push(Intent::Edit(Edit::SetRotation { part: part.id, rotation_deg }));
            }
        });
        ui.end_row();
        ui.label("Height above the heart")
            .on_hover_text("Sets the gravity head: a reservoir below the patient drains by siphon.");
        if let Some(height_cm) = committed_value(
            ui,
            egui::Id::unique(("height", part.id)),
            Field {
                name: "Height above the heart (cm)",
                range: -200.0..=200.0,
                speed: 1.0,
                suffix: " cm",
                decimals: 0,
            },
            part.height_cm,
            intents,
        ) {
            intents.push(Intent::Edit(Edit::SetHeight { part: part.id, height_cm }));
        }
        ui.end_row();
        controls_ui(ui, part, Some(&spec.kind), &label, Layout::Rows, intents);
        if matches!(spec.kind, PartKind::LevelSensor | PartKind::HeaterCooler { .. }) {
            ui.label("Mounted on").on_hover_text(
                "A level sensor goes on a reservoir; a heater-cooler on an oxygenator or cardioplegia set.",
            );
            link_combo(
                ui,
                "mount",
                "Mounted on part",
                part.id,
                part.mounted_on,
                &labels,
                &circuit.mount_targets(catalog, part.id),
                |on| Edit::SetMount { part: part.id, on },
                intents,
            );
            ui.end_row();
        }
        if matches!(
            spec.kind,
            PartKind::LevelSensor | PartKind::BubbleDetector | PartKind::PressureTransducer | PartKind::FlowProbe
        ) {
            ui.label("Stops pump").on_hover_text("The safety link: the pump this sensor stops when it alarms.");
            link_combo(
                ui,
                "servo",
                "Pump stopped by this sensor",
                part.id,
                part.servo_to,
                &labels,
                &circuit.servo_targets(catalog, part.id),
                |to| Edit::SetServo { part: part.id, to },
                intents,
            );
            ui.end_row();
        }
    });

    ui.add_space(8.0);
    ui.label(RichText::new("Ports").strong());
    for port in &spec.ports {
        let here = PortRef::new(part.id, port.name.clone());
        let dir = match port.dir {
            PortDir::In => "in",
            PortDir::Out => "out",
            PortDir::Either => "two-way",
        };
        // Each port a block: its name, then what it is joined to and the buttons, indented, on a line of their own
        // (wrapped mid-row they made a ragged list).
        ui.label(RichText::new(format!("{} ({}, {dir})", port.name.replace('_', " "), port.bore)).strong());
        ui.indent(("port", &port.name), |ui| {
            ui.horizontal_wrapped(|ui| port_row(ui, circuit, catalog, &labels, part, port, &here, running, intents));
        });
    }
    if running {
        during_run_ui(ui, circuit, catalog, part, intents);
    }
    ui.add_space(10.0);
    if ui
        .add_enabled(!running, egui::Button::new("Remove part"))
        .on_hover_text("Delete the part and its tubes (Del)")
        .clicked()
    {
        intents.push(Intent::DeleteSelection);
    }
}

/// What a port is joined to, with what can be done at it: inspect or take off its tube, uncap it, or connect or
/// cap it.
#[allow(clippy::too_many_arguments)]
fn port_row(
    ui: &mut egui::Ui,
    circuit: &Circuit,
    catalog: &Catalog,
    labels: &std::collections::BTreeMap<PartId, String>,
    part: &PlacedPart,
    port: &crate::catalog::PortSpec,
    here: &PortRef,
    running: bool,
    intents: &mut Vec<Intent>,
) {
    if let Some(tube) = circuit.tube_on(here) {
        let other = tube.other_end(here).map(|p| port_name(labels, p)).unwrap_or_default();
        ui.label(format!("to {other}"));
        let inspect =
            named(ui.button(format!("Tube {}", tube.id.0)), egui::Role::Button, &format!("Inspect tube {}", tube.id.0));
        if inspect.on_hover_text("Show this tube: its size, length, clamp and what can be done at it").clicked() {
            intents.push(Intent::Select(Selection::Tube(tube.id)));
        }
        let button = ui.add_enabled(!running, egui::Button::new("Disconnect"));
        if named(button, egui::Role::Button, &format!("Disconnect {}", port.name.replace('_', " ")))
            .on_hover_text("Remove the tube on this port")
            .clicked()
        {
            intents.push(Intent::Edit(Edit::Disconnect { tube: tube.id }));
        }
    } else if part.capped.contains(&port.name) {
        ui.label("capped");
        let button = ui.add_enabled(!running, egui::Button::new("Uncap"));
        if named(button, egui::Role::Button, &format!("Uncap {}", port.name.replace('_', " "))).clicked() {
            intents.push(Intent::Edit(Edit::SetCap { port: here.clone(), capped: false }));
        }
    } else {
        connect_combo(ui, circuit, catalog, labels, here, running, intents);
        let button = ui.add_enabled(!running, egui::Button::new("Cap"));
        if named(button, egui::Role::Button, &format!("Cap {}", port.name.replace('_', " ")))
            .on_hover_text("Close this port with a cap from the kit")
            .clicked()
        {
            intents.push(Intent::Edit(Edit::SetCap { port: here.clone(), capped: true }));
        }
    }
}

/// What can be done to a part while the run goes: change out a device, recannulate or reposition a cannula, put an
/// oxygenator on the back-up gas. Offered whatever is wrong: the trainee finds the fault, the buttons do not.
fn during_run_ui(
    ui: &mut egui::Ui,
    circuit: &Circuit,
    catalog: &Catalog,
    part: &PlacedPart,
    intents: &mut Vec<Intent>,
) {
    let labels = circuit.labels(catalog);
    let label = labels.get(&part.id).cloned().unwrap_or_default();
    let kind = circuit.kind_of(catalog, part.id);
    let mut actions: Vec<(&str, &str, Intervention)> = Vec::new();
    if matches!(
        kind,
        Some(
            PartKind::Oxygenator { .. }
                | PartKind::ArterialFilter { .. }
                | PartKind::RollerPump { .. }
                | PartKind::CentrifugalPump { .. }
                | PartKind::HeaterCooler { .. }
        )
    ) {
        actions.push((
            "Change out",
            "Swap in a new one, clear-primed and de-aired. Isolate it first: stop the pump and clamp a tube before it and a tube after it (a heater-cooler needs no isolation).",
            Intervention::ReplacePart(part.id),
        ));
    }
    if matches!(kind, Some(PartKind::Oxygenator { .. })) {
        actions.push(("Back-up gas", "Take the sweep gas from the back-up cylinder", Intervention::BackupGas(part.id)));
    }
    if matches!(kind, Some(PartKind::Cannula { .. })) {
        actions.push((
            "Recannulate",
            "Have the surgeon place a fresh cannula where this one came out",
            Intervention::Recannulate(part.id),
        ));
        actions.push((
            "Reposition",
            "Have the surgeon move this cannula back into place",
            Intervention::Reposition(part.id),
        ));
    }
    if actions.is_empty() {
        return;
    }
    ui.add_space(10.0);
    ui.label(RichText::new("During the run").strong());
    ui.horizontal_wrapped(|ui| {
        for (text, hint, intervention) in actions {
            let button = named(ui.button(text), egui::Role::Button, &format!("{text} {label}"));
            if button.on_hover_text(hint).clicked() {
                intents.push(Intent::Intervene(intervention));
            }
        }
    });
}

fn port_name(labels: &std::collections::BTreeMap<PartId, String>, port: &PortRef) -> String {
    format!("{} {}", labels.get(&port.part).cloned().unwrap_or_default(), port.port.replace('_', " "))
}

/// How settings are laid out: a grid row per setting with its caption (the inspector), or all on one line (the
/// monitor's machine panel, one line per device).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Rows,
    Line,
}

/// Pump, gas and water settings; shared with the monitor so the run can be driven from either.
/// A part's machine settings. `kind` (the part's catalog kind) bounds what can be typed: a pump's speed stops at its
/// maximum instead of being refused after the fact.
pub fn controls_ui(
    ui: &mut egui::Ui,
    part: &PlacedPart,
    kind: Option<&PartKind>,
    label: &str,
    layout: Layout,
    intents: &mut Vec<Intent>,
) {
    let set = |controls: Controls| Intent::Edit(Edit::SetControls { part: part.id, controls });
    let caption = |ui: &mut egui::Ui, text: &str, hover: &str| {
        if layout == Layout::Rows {
            ui.label(text).on_hover_text(hover);
        }
    };
    let row_end = |ui: &mut egui::Ui| {
        if layout == Layout::Rows {
            ui.end_row();
        }
    };
    match part.controls {
        Controls::Pump { rpm, direction, occlusion_set } => {
            let max_rpm = match kind {
                Some(PartKind::RollerPump { max_rpm, .. } | PartKind::CentrifugalPump { max_rpm, .. }) => *max_rpm,
                _ => rpm.max(0.0),
            };
            caption(ui, "Speed", "Roller: flow = rpm × stroke volume. Centrifugal: head grows with rpm².");
            if let Some(rpm) = committed_value(
                ui,
                egui::Id::unique(("rpm", part.id)),
                Field {
                    name: &format!("{label} speed (rpm)"),
                    range: 0.0..=max_rpm,
                    speed: 1.0,
                    suffix: " rpm",
                    decimals: 0,
                },
                rpm,
                intents,
            ) {
                intents.push(set(Controls::Pump { rpm, direction, occlusion_set }));
            }
            row_end(ui);
            caption(ui, "Direction", "Which way the head turns: a reversed head pumps from outlet to inlet.");
            let mut chosen = direction;
            let combo = egui::ComboBox::from_id_salt(("direction", part.id))
                .selected_text(match direction {
                    PumpDirection::Forward => "Forward",
                    PumpDirection::Reverse => "Reverse",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, PumpDirection::Forward, "Forward");
                    ui.selectable_value(&mut chosen, PumpDirection::Reverse, "Reverse");
                });
            named(combo.response, egui::Role::ComboBox, &format!("{label} direction"));
            if chosen != direction {
                intents.push(set(Controls::Pump { rpm, direction: chosen, occlusion_set }));
            }
            row_end(ui);
            caption(ui, "Occlusion", "Roller occlusion adjusted before use (drop test).");
            let mut occlusion = occlusion_set;
            let checkbox = ui.checkbox(&mut occlusion, if layout == Layout::Line { "occlusion set" } else { "" });
            let name = format!("{label} occlusion set");
            checkbox.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, occlusion, &name));
            if checkbox.changed() {
                intents.push(set(Controls::Pump { rpm, direction, occlusion_set: occlusion }));
            }
            row_end(ui);
        }
        Controls::Gas { sweep_l_min, fio2 } => {
            caption(ui, "Sweep gas", "Gas flow through the membrane: clears CO2.");
            if let Some(sweep) = committed_value(
                ui,
                egui::Id::unique(("sweep", part.id)),
                Field {
                    name: &format!("{label} sweep gas (L/min)"),
                    range: 0.0..=15.0,
                    speed: 0.05,
                    suffix: " L/min",
                    decimals: 2,
                },
                sweep_l_min,
                intents,
            ) {
                intents.push(set(Controls::Gas { sweep_l_min: sweep, fio2 }));
            }
            row_end(ui);
            caption(ui, "FiO2", "Oxygen fraction of the sweep gas: sets the post-oxygenator PO2.");
            if let Some(value) = committed_value(
                ui,
                egui::Id::unique(("fio2", part.id)),
                Field {
                    name: &format!("{label} FiO2 (%)"),
                    range: 21.0..=100.0,
                    speed: 0.5,
                    suffix: " %",
                    decimals: 0,
                },
                fio2 * 100.0,
                intents,
            ) {
                intents.push(set(Controls::Gas { sweep_l_min, fio2: value / 100.0 }));
            }
            row_end(ui);
        }
        Controls::Water { temp_c } => {
            caption(ui, "Water temperature", "Heater-cooler water to the heat exchanger.");
            if let Some(temp) = committed_value(
                ui,
                egui::Id::unique(("water", part.id)),
                Field {
                    name: &format!("{label} water temperature (°C)"),
                    range: 2.0..=42.0,
                    speed: 0.1,
                    suffix: " °C",
                    decimals: 1,
                },
                temp_c,
                intents,
            ) {
                intents.push(set(Controls::Water { temp_c: temp }));
            }
            row_end(ui);
        }
        Controls::None => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn link_combo(
    ui: &mut egui::Ui,
    salt: &str,
    title: &str,
    part: PartId,
    current: Option<PartId>,
    labels: &std::collections::BTreeMap<PartId, String>,
    candidates: &[PartId],
    edit: impl Fn(Option<PartId>) -> Edit,
    intents: &mut Vec<Intent>,
) {
    let mut chosen = current;
    let name = |id: Option<PartId>| id.and_then(|id| labels.get(&id).cloned()).unwrap_or_else(|| "none".to_owned());
    let combo = egui::ComboBox::from_id_salt((salt, part)).selected_text(name(current)).show_ui(ui, |ui| {
        ui.selectable_value(&mut chosen, None, "none");
        for other in candidates {
            ui.selectable_value(&mut chosen, Some(*other), name(Some(*other)));
        }
    });
    named(combo.response, egui::Role::ComboBox, title);
    if chosen != current {
        intents.push(Intent::Edit(edit(chosen)));
    }
}

/// "Connect to…": the free ports on the other parts that fit this one (direction and bore: two sizes are joined
/// through a reducer, which is listed for both).
fn connect_combo(
    ui: &mut egui::Ui,
    circuit: &Circuit,
    catalog: &Catalog,
    labels: &std::collections::BTreeMap<PartId, String>,
    here: &PortRef,
    running: bool,
    intents: &mut Vec<Intent>,
) {
    let Some(this) = circuit.part(here.part).and_then(|p| catalog.part(&p.catalog_id)?.port(&here.port)) else {
        return;
    };
    let free: Vec<PortRef> = circuit
        .parts()
        .filter(|p| p.id != here.part)
        .flat_map(|p| {
            catalog.part(&p.catalog_id).into_iter().flat_map(move |spec| {
                spec.ports
                    .iter()
                    .filter(move |port| this.dir.joins(port.dir) && this.bore.joins(port.bore))
                    .map(move |port| PortRef::new(p.id, port.name.clone()))
                    .filter(move |port| !p.capped.contains(&port.port))
            })
        })
        .filter(|port| circuit.tube_on(port).is_none())
        .collect();
    ui.add_enabled_ui(!running && !free.is_empty(), |ui| {
        let combo = egui::ComboBox::from_id_salt(("connect", here)).selected_text("Connect to…").show_ui(ui, |ui| {
            for port in free {
                if ui.selectable_label(false, port_name(labels, &port)).clicked() {
                    intents.push(Intent::Connect { from: here.clone(), to: port });
                }
            }
        });
        let combo = combo.response.on_hover_text(
            "Only the free ports that fit are listed: an outlet to an inlet, and the same bore (a reducer joins two \
             sizes).",
        );
        named(combo, egui::Role::ComboBox, &format!("Connect {} to", here.port.replace('_', " ")));
    });
}

fn tube_ui(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    tube: &Tube,
    running: bool,
    intents: &mut Vec<Intent>,
) {
    ui.heading(format!("Tube {}", tube.id.0));
    ui.label(super::tube_name(&circuit.labels(catalog), tube));
    ui.add_space(6.0);
    let prime = circuit.prime(catalog);
    let tube_prime = prime.tubes.iter().find(|t| t.tube == tube.id);
    egui::Grid::new("tube_settings").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        ui.label("Size").on_hover_text("Inner diameter: resistance falls with the fourth power of the bore.");
        let current = catalog.name_of(&tube.tubing);
        let mut chosen = tube.tubing.clone();
        ui.add_enabled_ui(!running, |ui| {
            let combo = egui::ComboBox::from_id_salt(("tubing", tube.id)).selected_text(current).show_ui(ui, |ui| {
                for (id, _) in scenario.kit.iter().filter(|(id, _)| catalog.tubing(id).is_some()) {
                    ui.selectable_value(&mut chosen, id.clone(), catalog.name_of(id));
                }
            });
            named(combo.response, egui::Role::ComboBox, "Tube size");
        });
        if chosen != tube.tubing {
            intents.push(Intent::Edit(Edit::SetTubing { tube: tube.id, tubing: chosen }));
        }
        ui.end_row();
        ui.label("Length").on_hover_text("Longer lines hold more prime and drop more pressure.");
        ui.add_enabled_ui(!running, |ui| {
            if let Some(length_m) = committed_value(
                ui,
                egui::Id::unique(("length", tube.id)),
                Field { name: "Tube length (m)", range: 0.05..=10.0, speed: 0.01, suffix: " m", decimals: 2 },
                tube.length_m,
                intents,
            ) {
                intents.push(Intent::Edit(Edit::SetLength { tube: tube.id, length_m }));
            }
        });
        ui.end_row();
        ui.label("Prime volume");
        ui.label(match tube_prime {
            Some(p) if p.dry => format!("{:.0} mL (sucker or vent line: runs dry, not counted)", p.prime_ml),
            Some(p) => format!("{:.0} mL", p.prime_ml),
            None => "—".to_owned(),
        });
        ui.end_row();
        ui.label("Circuit prime");
        ui.label(format!("{:.0} mL", prime.total_ml));
        ui.end_row();
        ui.label("Clamp");
        let mut clamped = tube.clamped;
        let checkbox =
            named(ui.checkbox(&mut clamped, "clamped"), egui::Role::CheckBox, &format!("Clamp tube {}", tube.id.0));
        if checkbox.on_hover_text("Also: right click the mark at the tube's middle").changed() {
            intents.push(Intent::Edit(Edit::SetClamp { tube: tube.id, clamped }));
        }
        ui.end_row();
    });
    if running {
        ui.add_space(10.0);
        ui.label(RichText::new("At the line").strong());
        ui.horizontal_wrapped(|ui| {
            let actions = [
                ("Straighten", "Straighten a kink in this line", Intervention::Straighten(tube.id)),
                ("Reconnect", "Join this line again where it came apart (clamp it first)", Intervention::Reconnect(tube.id)),
                (
                    "Seal air entry",
                    "Seal where air gets into this line: tighten the purse-string, reseat the connector, close the port",
                    Intervention::SealAirEntry(tube.id),
                ),
            ];
            for (label, hint, intervention) in actions {
                let button = named(ui.button(label), egui::Role::Button, &format!("{label} tube {}", tube.id.0));
                if button.on_hover_text(hint).clicked() {
                    intents.push(Intent::Intervene(intervention));
                }
            }
        });
    }
    ui.add_space(10.0);
    if ui.add_enabled(!running, egui::Button::new("Remove tube")).on_hover_text("Delete this tube (Del)").clicked() {
        intents.push(Intent::DeleteSelection);
    }
}
