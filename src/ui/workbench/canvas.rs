//! The assembly canvas: parts drawn as devices, tubing as curved lines between their ports, and while the pump
//! runs, blood moving through it. Gestures become `Intent`s; nothing here changes the circuit itself.
//!
//! Gestures: drag a part to move it, drag from a port to another port to lay a tube, click a tube to select it,
//! click the square on a tube to put on or take off its clamp, drag the background to pan, scroll to zoom, drop a
//! part from the palette to place it.

use super::geometry::{self, PortPlace, Side, View};
use super::icons::{self, IconStyle};
use super::{Intent, Selection};
use crate::catalog::{Bore, Catalog, PortDir};
use crate::circuit::{CanvasPos, Circuit, Tube};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use crate::session::Run;
use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, pos2, vec2,
};
use std::collections::{BTreeMap, HashMap};

/// Particles are drawn this far apart along a tube, screen points.
const PARTICLE_GAP: f32 = 18.0;
/// A particle never jumps more than this share of the gap in one frame: faster flow would strobe (appear to stand
/// still or run backwards), so beyond it the dots move at this cap and the speed shows in the flow figures.
const MAX_STEP_OF_GAP: f32 = 0.45;
/// How close to a tube a click selects it, screen points.
const TUBE_PICK_DISTANCE: f32 = 6.0;

/// What the canvas keeps between frames.
#[derive(Debug, Default)]
pub struct CanvasState {
    pub view: View,
    /// Set when the view should frame the whole circuit on the next frame (a new scenario, "Fit").
    pub fit_pending: bool,
    /// A centre to bring into view on the next frame (a finding's parts), canvas units.
    pub focus_pending: Option<Rect>,
    /// The port a tube is being dragged from.
    connecting: Option<PortRef>,
    /// The part being moved and how far, canvas units.
    moving: Option<(PartId, Vec2)>,
    /// Each tube's particle phase, in gaps.
    phases: HashMap<TubeId, f32>,
    /// The canvas rectangle of the last frame (to place parts added from the keyboard in view).
    pub last_rect: Option<Rect>,
    /// The user has panned or zoomed: the view is theirs, and is no longer reframed when the canvas resizes.
    user_moved_view: bool,
}

impl CanvasState {
    /// A fresh canvas; `fit` frames the circuit on the first frame.
    pub fn framing(fit: bool) -> Self {
        Self { fit_pending: fit, ..Self::default() }
    }
}

/// What the canvas reads to draw.
pub struct CanvasInput<'a> {
    pub catalog: &'a Catalog,
    pub circuit: &'a Circuit,
    pub labels: &'a BTreeMap<PartId, String>,
    pub selection: Selection,
    pub highlight_parts: &'a [PartId],
    pub highlight_tubes: &'a [TubeId],
    pub run: Option<&'a Run>,
    /// Model time advanced this frame, s (moves the particles).
    pub model_dt_s: f64,
}

/// Where a port is drawn this frame.
struct DrawnPort {
    port: PortRef,
    pos: Pos2,
    side: Side,
    dir: PortDir,
    bore: Bore,
}

struct Palette {
    line: Color32,
    body: Color32,
    accent: Color32,
    tube: Color32,
    selected: Color32,
    highlight: Color32,
    text: Color32,
    weak: Color32,
}

fn palette(ui: &egui::Ui) -> Palette {
    let v = ui.visuals();
    let dark = v.dark_mode;
    Palette {
        line: if dark { Color32::from_gray(200) } else { Color32::from_gray(60) },
        body: if dark { Color32::from_rgb(44, 50, 60) } else { Color32::from_rgb(236, 240, 246) },
        accent: Color32::from_rgb(200, 60, 70),
        tube: if dark { Color32::from_rgb(120, 150, 175) } else { Color32::from_rgb(120, 145, 170) },
        selected: v.selection.stroke.color,
        highlight: Color32::from_rgb(240, 150, 30),
        text: v.text_color(),
        weak: v.weak_text_color(),
    }
}

/// Width of a tube of this bore on the screen at zoom 1.
fn bore_width(bore: Bore) -> f32 {
    match bore {
        Bore::Luer => 2.0,
        Bore::In3_16 => 3.0,
        Bore::In1_4 => 4.0,
        Bore::In3_8 => 5.5,
        Bore::In1_2 => 7.0,
        Bore::Any => 4.0,
    }
}

/// The colour of blood by its saturation, from dark venous to bright arterial; clear prime is straw.
pub fn blood_colour(hb_g_dl: f64, sat: f64) -> Color32 {
    let straw = Color32::from_rgb(226, 214, 160);
    let venous = Color32::from_rgb(95, 16, 32);
    let arterial = Color32::from_rgb(228, 40, 52);
    let red = venous.lerp_to_gamma(arterial, ((sat - 0.5) / 0.5).clamp(0.0, 1.0) as f32);
    // Diluted blood is paler: full colour from Hb 6 g/dL up.
    straw.lerp_to_gamma(red, (hb_g_dl / 6.0).clamp(0.0, 1.0) as f32)
}

pub fn canvas_ui(ui: &mut egui::Ui, state: &mut CanvasState, input: &CanvasInput, intents: &mut Vec<Intent>) {
    let rect = ui.available_rect_before_wrap();
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    background.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Circuit canvas"));
    // A canvas that shrank (a wider panel, a smaller window) so that parts fell out of view frames the circuit
    // again, unless the user has set the view themselves.
    if let Some(last) = state.last_rect
        && !state.user_moved_view
        && rect.width() < last.width() - 1.0
        && let Some(bounds) = circuit_bounds(input)
    {
        let top_left = state.view.to_screen(rect, CanvasPos { x: bounds.min.x, y: bounds.min.y });
        let bottom_right = state.view.to_screen(rect, CanvasPos { x: bounds.max.x, y: bounds.max.y });
        if !rect.contains(top_left) || !rect.contains(bottom_right) {
            state.fit_pending = true;
        }
    }
    state.last_rect = Some(rect);
    let colours = palette(ui);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::ZERO, ui.visuals().extreme_bg_color);
    paint_grid(&painter, rect, &state.view, ui.visuals().faint_bg_color);

    if state.fit_pending {
        state.fit_pending = false;
        state.user_moved_view = false;
        if let Some(bounds) = circuit_bounds(input) {
            state.view = View::fitting(rect, bounds);
        }
    }
    if let Some(focus) = state.focus_pending.take() {
        let visible = Rect::from_min_max(
            pos2(state.view.to_canvas(rect, rect.min).x, state.view.to_canvas(rect, rect.min).y),
            pos2(state.view.to_canvas(rect, rect.max).x, state.view.to_canvas(rect, rect.max).y),
        );
        if !visible.contains_rect(focus) {
            state.view.origin +=
                rect.center() - state.view.to_screen(rect, CanvasPos { x: focus.center().x, y: focus.center().y });
        }
    }

    // Pan and zoom.
    if background.dragged() && state.connecting.is_none() {
        state.view.origin += background.drag_delta();
        state.user_moved_view = true;
    }
    if background.hovered() {
        let (scroll, pointer) = ui.input(|i| (i.smooth_scroll_delta.y, i.pointer.hover_pos()));
        if scroll.abs() > 0.0
            && let Some(pointer) = pointer
        {
            state.view.zoom_around(rect, pointer, (scroll / 300.0).exp());
            state.user_moved_view = true;
        }
    }

    let ports = drawn_ports(input, state, rect);
    let port_at = |p: Pos2, radius: f32| -> Option<&DrawnPort> {
        ports
            .iter()
            .filter(|d| (d.pos - p).length() <= radius)
            .min_by(|a, b| (a.pos - p).length().total_cmp(&(b.pos - p).length()))
    };
    let port_radius = (5.0 * state.view.zoom).clamp(4.0, 8.0);

    // Tubes, under the parts.
    let mut tube_curves: Vec<(TubeId, Vec<Pos2>)> = Vec::new();
    for tube in input.circuit.tubes() {
        let (Some(a), Some(b)) = (ports.iter().find(|d| d.port == tube.from), ports.iter().find(|d| d.port == tube.to))
        else {
            continue;
        };
        let curve = geometry::tube_curve(a.pos, a.side, b.pos, b.side);
        let (vertices, lengths) = geometry::polyline(&curve, 24);
        paint_tube(&painter, state, input, &colours, tube, &vertices, &lengths);
        let mid = geometry::point_at(&vertices, &lengths, lengths.last().copied().unwrap_or(0.0) / 2.0);
        clamp_handle(ui, &painter, input, &colours, tube, mid, intents);
        tube_curves.push((tube.id, vertices));
    }

    // Parts.
    for part in input.circuit.parts() {
        let Some(spec) = input.catalog.part(&part.catalog_id) else { continue };
        let pos = shown_pos(state, part);
        let part_rect = geometry::part_rect(&state.view, rect, pos, &spec.kind);
        let label = input.labels.get(&part.id).cloned().unwrap_or_default();
        let response = ui.interact(part_rect, egui::Id::unique(("part", part.id)), Sense::click_and_drag());
        let is_selected = input.selection == Selection::Part(part.id);
        response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &label));
        if response.drag_started() {
            // A press on a port that sits on the part's edge lays a tube, whichever widget took the press.
            let press = ui.input(|i| i.pointer.press_origin());
            match press.and_then(|p| port_at(p, port_radius * 1.4)) {
                Some(port) => state.connecting = Some(port.port.clone()),
                None => {
                    state.moving = Some((part.id, Vec2::ZERO));
                    intents.push(Intent::Select(Selection::Part(part.id)));
                }
            }
        }
        if response.dragged()
            && let Some((_, delta)) = state.moving.as_mut()
        {
            *delta += response.drag_delta() / state.view.zoom;
        }
        if response.drag_stopped()
            && let Some((id, delta)) = state.moving.take()
            && delta.length() > 0.5
        {
            let p = part.pos_in_canvas;
            intents.push(Intent::Edit(crate::circuit::Edit::MovePart {
                part: id,
                to: CanvasPos { x: p.x + delta.x, y: p.y + delta.y },
            }));
        }
        if response.clicked() {
            intents.push(Intent::Select(Selection::Part(part.id)));
        }
        // Tooltips are worded only when shown: the canvas draws every frame while a run goes.
        response.on_hover_ui(|ui| {
            ui.label(format!("{label}: {}", spec.name));
        });

        let style = IconStyle {
            line: colours.line,
            body: colours.body,
            accent: colours.accent,
            reversed: matches!(
                part.controls,
                crate::circuit::Controls::Pump { direction: crate::circuit::PumpDirection::Reverse, .. }
            ),
            level: input.run.and_then(|run| super::run::reservoir_fill(run, input.circuit, input.catalog, part.id)),
        };
        icons::paint_part(&painter, part_rect, &spec.kind, &style);
        let outline = if input.highlight_parts.contains(&part.id) {
            Some(colours.highlight)
        } else {
            is_selected.then_some(colours.selected)
        };
        if let Some(colour) = outline {
            painter.rect_stroke(
                part_rect.expand(4.0),
                CornerRadius::same(6),
                Stroke::new(2.0, colour),
                StrokeKind::Outside,
            );
        }
        let font = FontId::proportional((11.0 * state.view.zoom).clamp(9.0, 13.0));
        // Zoomed out, only the main devices keep their names (small fittings would print over each other); the
        // others show theirs on hover, and all do from 80 % zoom.
        if state.view.zoom >= 0.8 || is_selected || outline.is_some() || is_main_device(&spec.kind) {
            painter.text(
                part_rect.center_bottom() + vec2(0.0, 3.0),
                Align2::CENTER_TOP,
                &label,
                font.clone(),
                colours.text,
            );
        }
        if let Some(reading) =
            input.run.and_then(|run| super::run::reading_for(run, input.circuit, input.catalog, part.id))
        {
            let at = part_rect.center_top() - vec2(0.0, 3.0);
            let galley = painter.layout_no_wrap(reading, font, colours.text);
            let bg = Rect::from_center_size(at - vec2(0.0, galley.size().y / 2.0), galley.size() + vec2(8.0, 4.0));
            painter.rect(
                bg,
                CornerRadius::same(3),
                ui.visuals().window_fill,
                Stroke::new(1.0, colours.weak),
                StrokeKind::Inside,
            );
            painter.galley(bg.min + vec2(4.0, 2.0), galley, colours.text);
        }
    }

    // Ports, on top of the parts so they can be grabbed.
    for drawn in &ports {
        let label = format!(
            "{} {}",
            input.labels.get(&drawn.port.part).cloned().unwrap_or_default(),
            drawn.port.port.replace('_', " ")
        );
        let hit = Rect::from_center_size(drawn.pos, Vec2::splat(port_radius * 2.6));
        let response = ui.interact(hit, egui::Id::unique(("port", &drawn.port)), Sense::click_and_drag());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.drag_started() {
            state.connecting = Some(drawn.port.clone());
        }
        if response.clicked() {
            intents.push(Intent::Select(Selection::Part(drawn.port.part)));
        }
        let connected = input.circuit.tube_on(&drawn.port).is_some();
        let capped = input.circuit.part(drawn.port.part).is_some_and(|p| p.capped.contains(&drawn.port.port));
        let hovered = response.hovered();
        response.on_hover_ui(|ui| {
            ui.label(port_tooltip(&label, drawn, connected, capped));
        });
        paint_port(&painter, &colours, drawn, port_radius, connected, capped, hovered);
    }

    // The tube being laid ends where the button is released.
    if state.connecting.is_some() && ui.input(|i| i.pointer.any_released()) {
        let pointer = ui.input(|i| i.pointer.interact_pos());
        let target = pointer.and_then(|p| port_at(p, port_radius * 2.2)).map(|t| t.port.clone());
        if let Some(from) = state.connecting.take() {
            intents.push(match target {
                Some(target) if target == from => Intent::Refuse("A port cannot be joined to itself.".to_owned()),
                Some(target) => Intent::Connect { from, to: target },
                None => Intent::Refuse("Drop the tube on another part's port to connect it.".to_owned()),
            });
        }
    }
    if let Some(from) = &state.connecting
        && let (Some(start), Some(pointer)) =
            (ports.iter().find(|d| &d.port == from), ui.input(|i| i.pointer.interact_pos()))
    {
        let target = port_at(pointer, port_radius * 2.2);
        let (end, end_side) = target.map_or((pointer, Side::Left), |t| (t.pos, t.side));
        let curve = geometry::tube_curve(start.pos, start.side, end, end_side);
        let colour = if target.is_some() { colours.selected } else { colours.weak };
        painter.add(egui::epaint::CubicBezierShape::from_points_stroke(
            curve,
            false,
            Color32::TRANSPARENT,
            Stroke::new(3.0, colour),
        ));
    }

    // A click on the background selects the tube under the pointer, or nothing.
    if background.clicked() {
        let pointer = background.interact_pointer_pos();
        let picked = pointer.and_then(|p| {
            tube_curves
                .iter()
                .map(|(id, vertices)| (*id, geometry::distance_to_polyline(vertices, p)))
                .filter(|(_, d)| *d <= TUBE_PICK_DISTANCE)
                .min_by(|a, b| a.1.total_cmp(&b.1))
        });
        intents.push(Intent::Select(picked.map_or(Selection::None, |(id, _)| Selection::Tube(id))));
    }

    // A part dropped from the palette.
    if let Some(payload) = background.dnd_release_payload::<CatalogId>()
        && let Some(pointer) = ui.input(|i| i.pointer.interact_pos())
    {
        intents.push(Intent::Place { catalog_id: (*payload).clone(), at: Some(state.view.to_canvas(rect, pointer)) });
    }
    if let Some(payload) = background.dnd_hover_payload::<CatalogId>()
        && let (Some(pointer), Some(spec)) = (ui.input(|i| i.pointer.hover_pos()), input.catalog.part(&payload))
    {
        let ghost = Rect::from_center_size(pointer, geometry::part_size(&spec.kind) * state.view.zoom);
        painter.rect_stroke(ghost, CornerRadius::same(6), Stroke::new(1.5, colours.selected), StrokeKind::Outside);
    }

    if input.circuit.is_empty() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "Drag parts from the kit on the left onto the canvas, then drag from port to port to lay tubing.",
            FontId::proportional(15.0),
            colours.weak,
        );
    }
}

fn is_main_device(kind: &crate::catalog::PartKind) -> bool {
    use crate::catalog::PartKind;
    matches!(
        kind,
        PartKind::RollerPump { .. }
            | PartKind::CentrifugalPump { .. }
            | PartKind::Oxygenator { .. }
            | PartKind::Reservoir { .. }
            | PartKind::Cannula { .. }
            | PartKind::ArterialFilter { .. }
            | PartKind::CardioplegiaSet { .. }
    )
}

fn paint_grid(painter: &egui::Painter, rect: Rect, view: &View, colour: Color32) {
    let step = 40.0 * view.zoom;
    if step < 8.0 {
        return;
    }
    let origin = rect.min + view.origin;
    let first_x = origin.x + ((rect.left() - origin.x) / step).ceil() * step;
    let first_y = origin.y + ((rect.top() - origin.y) / step).ceil() * step;
    let stroke = Stroke::new(1.0, colour);
    let mut x = first_x;
    while x < rect.right() {
        painter.line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], stroke);
        x += step;
    }
    let mut y = first_y;
    while y < rect.bottom() {
        painter.line_segment([pos2(rect.left(), y), pos2(rect.right(), y)], stroke);
        y += step;
    }
}

fn circuit_bounds(input: &CanvasInput) -> Option<Rect> {
    input
        .circuit
        .parts()
        .filter_map(|p| {
            input.catalog.part(&p.catalog_id).map(|spec| geometry::part_bounds(p.pos_in_canvas, &spec.kind))
        })
        .reduce(|a, b| a.union(b))
}

/// Where a part is drawn this frame: where it is, or where it is being dragged to.
fn shown_pos(state: &CanvasState, part: &crate::circuit::PlacedPart) -> CanvasPos {
    match state.moving {
        Some((moving, delta)) if moving == part.id => {
            CanvasPos { x: part.pos_in_canvas.x + delta.x, y: part.pos_in_canvas.y + delta.y }
        }
        _ => part.pos_in_canvas,
    }
}

/// Every port's place on the screen this frame (a part being moved takes its ports with it).
fn drawn_ports(input: &CanvasInput, state: &CanvasState, rect: Rect) -> Vec<DrawnPort> {
    let mut out = Vec::new();
    for part in input.circuit.parts() {
        let Some(spec) = input.catalog.part(&part.catalog_id) else { continue };
        let centre = state.view.to_screen(rect, shown_pos(state, part));
        for PortPlace { name, dir, side, offset } in geometry::port_places(spec) {
            let bore = spec.port(&name).map_or(Bore::Any, |p| p.bore);
            out.push(DrawnPort {
                port: PortRef::new(part.id, name),
                pos: centre + offset * state.view.zoom,
                side,
                dir,
                bore,
            });
        }
    }
    out
}

fn port_tooltip(label: &str, drawn: &DrawnPort, connected: bool, capped: bool) -> String {
    let dir = match drawn.dir {
        PortDir::In => "inlet",
        PortDir::Out => "outlet",
        PortDir::Either => "two-way",
    };
    let state = if capped {
        ", capped"
    } else if connected {
        ", connected"
    } else {
        "; drag from here to another port to connect"
    };
    format!("{label}: {dir} port, {} bore{state}", drawn.bore)
}

fn paint_port(
    painter: &egui::Painter,
    colours: &Palette,
    drawn: &DrawnPort,
    radius: f32,
    connected: bool,
    capped: bool,
    hovered: bool,
) {
    let colour = match drawn.dir {
        PortDir::In => Color32::from_rgb(70, 120, 220),
        PortDir::Out => Color32::from_rgb(220, 80, 70),
        PortDir::Either => Color32::from_gray(150),
    };
    let r = if hovered { radius * 1.3 } else { radius };
    if capped {
        painter.rect_filled(
            Rect::from_center_size(drawn.pos, Vec2::splat(r * 1.8)),
            CornerRadius::same(2),
            colours.weak,
        );
        return;
    }
    if connected {
        painter.circle_filled(drawn.pos, r, colour);
    } else {
        painter.circle(drawn.pos, r, colours.body, Stroke::new(2.0, colour));
    }
    // A small chevron shows which way blood goes through the port.
    let n = drawn.side.normal();
    let inward = match drawn.dir {
        PortDir::In => -n,
        PortDir::Out => n,
        PortDir::Either => return,
    };
    let tip = drawn.pos + n * (r + 6.0) + inward * 3.0;
    let back = tip - inward * 5.0;
    let across = vec2(-inward.y, inward.x) * 3.5;
    painter.add(Shape::convex_polygon(vec![tip, back + across, back - across], colour, Stroke::NONE));
}

#[allow(clippy::too_many_arguments)]
fn paint_tube(
    painter: &egui::Painter,
    state: &mut CanvasState,
    input: &CanvasInput,
    colours: &Palette,
    tube: &Tube,
    vertices: &[Pos2],
    lengths: &[f32],
) {
    let bore = input.catalog.tubing(&tube.tubing).map_or(Bore::Any, |t| t.bore);
    let width = (bore_width(bore) * state.view.zoom).clamp(1.5, 12.0);
    let blood = input.run.and_then(|run| run.simulation().tube_blood(tube.id));
    let colour = blood.map_or(colours.tube, |b| blood_colour(b.hb_g_dl, b.sat));
    let selected = input.selection == Selection::Tube(tube.id);
    let highlighted = input.highlight_tubes.contains(&tube.id);
    if selected || highlighted {
        let glow = if highlighted { colours.highlight } else { colours.selected };
        painter.add(Shape::line(vertices.to_vec(), Stroke::new(width + 6.0, glow)));
    }
    // The tube wall, then the lumen.
    painter.add(Shape::line(vertices.to_vec(), Stroke::new(width + 2.0, colours.line.gamma_multiply(0.6))));
    painter.add(Shape::line(vertices.to_vec(), Stroke::new(width, colour)));

    let (Some(run), Some(blood)) = (input.run, blood) else { return };
    let total = lengths.last().copied().unwrap_or(0.0);
    if total < PARTICLE_GAP {
        return;
    }
    let turnover = run.simulation().tube_turnover_per_s(tube.id).unwrap_or(0.0);
    let shift_gaps = (turnover * input.model_dt_s) as f32 * total / PARTICLE_GAP;
    let shift_gaps = shift_gaps.clamp(-MAX_STEP_OF_GAP, MAX_STEP_OF_GAP);
    let phase = state.phases.entry(tube.id).or_insert(0.0);
    *phase = (*phase + shift_gaps).rem_euclid(1.0);
    let air = blood.air > 0.01;
    let dot = if air { Color32::WHITE } else { colour.lerp_to_gamma(Color32::WHITE, 0.45) };
    let radius = if air { (width * 0.45).max(2.0) } else { (width * 0.22).max(1.0) };
    let mut s = *phase * PARTICLE_GAP;
    while s < total {
        let p = geometry::point_at(vertices, lengths, s);
        if air {
            painter.circle(p, radius, Color32::from_white_alpha(200), Stroke::new(1.0, Color32::from_gray(90)));
        } else {
            painter.circle_filled(p, radius, dot);
        }
        s += PARTICLE_GAP;
    }
}

/// The square at a tube's middle: click it to put the clamp on or take it off.
fn clamp_handle(
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    input: &CanvasInput,
    colours: &Palette,
    tube: &Tube,
    at: Pos2,
    intents: &mut Vec<Intent>,
) {
    let size = 12.0;
    let rect = Rect::from_center_size(at, Vec2::splat(size));
    let name = format!("Clamp tube {}", tube.id.0);
    let response = ui.interact(rect, egui::Id::unique(("clamp", tube.id)), Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, tube.clamped, &name));
    if response.clicked() {
        intents.push(Intent::Edit(crate::circuit::Edit::SetClamp { tube: tube.id, clamped: !tube.clamped }));
    }
    let hovered = response.hovered();
    response.on_hover_ui(|ui| {
        ui.label(format!(
            "{}\n{}: click to {}",
            super::tube_name(input.labels, tube),
            if tube.clamped { "Clamped" } else { "Open" },
            if tube.clamped { "take the clamp off" } else { "clamp this line" }
        ));
    });
    if tube.clamped {
        // Two jaws across the line.
        let jaw = Stroke::new(3.0, colours.highlight);
        painter.line_segment([at + vec2(-8.0, -9.0), at + vec2(8.0, 9.0)], jaw);
        painter.line_segment([at + vec2(-8.0, 9.0), at + vec2(8.0, -9.0)], jaw);
    } else if hovered || input.selection == Selection::Tube(tube.id) {
        painter.rect_stroke(rect, CornerRadius::same(2), Stroke::new(1.5, colours.line), StrokeKind::Inside);
    }
}
