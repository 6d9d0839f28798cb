//! The assembly canvas: parts drawn as devices, tubing as curved lines between their ports, and while the pump
//! runs, blood moving through it. Gestures become `Intent`s; nothing here changes the circuit itself. This module
//! keeps the view (fit, focus, pan, zoom) and the order of drawing; `tubes`, `parts` and `ports` draw and take the
//! gestures on each, `paint` holds how things look.
//!
//! Gestures: drag a part to move it, drag from a port to another port to lay a tube, click a tube (or the mark at
//! its middle) to select it, right click that mark to put on or take off its clamp, drag the background to pan,
//! scroll to zoom, drop a part from the palette to place it.

mod captions;
mod paint;
mod parts;
mod ports;
mod tubes;

use super::geometry::{self, Side, View};
use super::{Intent, Selection};
use crate::catalog::{Bore, Catalog, PortDir};
use crate::circuit::{CanvasPos, Circuit};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use crate::session::Run;
use eframe::egui::{self, Align2, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2, pos2};
use std::collections::{BTreeMap, HashMap};

/// What the pointer is doing on the canvas, one thing at a time.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Gesture {
    #[default]
    Idle,
    /// A tube is being dragged out of this port.
    LayingTube { from: PortRef },
    /// A part is being dragged, this far so far, canvas units.
    MovingPart { part: PartId, by: Vec2 },
}

/// What the canvas keeps between frames.
#[derive(Debug, Default)]
pub struct CanvasState {
    pub view: View,
    /// Set when the view should frame the whole circuit on the next frame (a new scenario, "Fit").
    pub fit_pending: bool,
    /// A region to bring into view on the next frame (a finding's parts), canvas units.
    pub focus_pending: Option<Rect>,
    gesture: Gesture,
    /// Each tube's particle phase, in gaps.
    phases: HashMap<TubeId, f32>,
    /// The canvas rectangle of the last frame (to place parts added from the keyboard in view).
    pub last_rect: Option<Rect>,
    /// The user has panned or zoomed: the view is theirs, and is no longer reframed when the canvas resizes.
    user_moved_view: bool,
    /// The keyboard jumps to the canvas this frame: its first part (or the canvas itself) takes the focus.
    pub focus_first_part: bool,
    /// The tube under the pointer when the canvas's context menu was opened (none: the background's menu).
    menu_tube: Option<TubeId>,
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
pub struct DrawnPort {
    port: PortRef,
    pos: Pos2,
    side: Side,
    dir: PortDir,
    bore: Bore,
    /// No tube on it and no cap: a tube can end here.
    free: bool,
}

impl DrawnPort {
    /// Whether a tube laid from `self` could end on `other`: another part's free port of a direction and bore that
    /// join (two sizes join through a reducer).
    fn could_join(&self, other: &DrawnPort) -> bool {
        self.port.part != other.port.part && other.free && self.dir.joins(other.dir) && self.bore.joins(other.bore)
    }
}

pub fn canvas_ui(ui: &mut egui::Ui, state: &mut CanvasState, input: &CanvasInput, intents: &mut Vec<Intent>) {
    let rect = ui.available_rect_before_wrap();
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    background.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Circuit canvas"));
    if state.focus_first_part && input.circuit.is_empty() {
        background.request_focus();
    }
    frame_view(state, input, rect);
    pan_and_zoom(ui, state, &background, rect);
    let colours = paint::palette(ui);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::ZERO, ui.visuals().extreme_bg_color);
    paint::paint_grid(&painter, rect, &state.view, ui.visuals().faint_bg_color);

    let ports = ports::drawn_ports(input, state, rect);
    let port_at = |p: Pos2, radius: f32| -> Option<&DrawnPort> {
        ports
            .iter()
            .filter(|d| (d.pos - p).length() <= radius)
            .min_by(|a, b| (a.pos - p).length().total_cmp(&(b.pos - p).length()))
    };
    let port_radius = (5.0 * state.view.zoom).clamp(4.0, 8.0);
    let curves = tubes::tubes_ui(ui, &painter, state, input, &colours, &ports, intents);
    parts::links(&painter, state, input, &colours, rect);
    parts::parts_ui(ui, &painter, state, input, &colours, rect, &ports, &port_at, port_radius, intents);
    ports::ports_ui(ui, &painter, state, input, &colours, &ports, port_radius, intents);
    ports::laying_tube_ui(ui, &painter, state, &colours, &port_at, port_radius, &ports, intents);

    // A click on the background selects the tube under the pointer, or nothing; a right click there selects it
    // too and opens its menu.
    if background.clicked() || background.secondary_clicked() {
        let picked = background.interact_pointer_pos().and_then(|p| tubes::tube_at(&curves, p));
        intents.push(Intent::Select(picked.map_or(Selection::None, Selection::Tube)));
        state.menu_tube = picked;
    }
    background.context_menu(|ui| context_menu(ui, state.menu_tube.and_then(|id| input.circuit.tube(id)), intents));
    drop_from_kit(ui, &painter, state, input, &colours, &background, rect, &curves, intents);
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

/// The canvas's right-click menu: a tube's actions when one is under the pointer, then the view's and validation.
fn context_menu(ui: &mut egui::Ui, tube: Option<&crate::circuit::Tube>, intents: &mut Vec<Intent>) {
    use crate::circuit::Edit;
    if let Some(tube) = tube {
        let clamp = if tube.clamped { "Take the clamp off" } else { "Clamp this line" };
        if ui.button(clamp).clicked() {
            intents.push(Intent::Edit(Edit::SetClamp { tube: tube.id, clamped: !tube.clamped }));
            ui.close();
        }
        if ui.button("Remove this tube (Del)").clicked() {
            intents.push(Intent::Edit(Edit::Disconnect { tube: tube.id }));
            ui.close();
        }
    }
    if ui.button("Fit the circuit in view (Ctrl+0)").clicked() {
        intents.push(Intent::FitView);
        ui.close();
    }
    if ui.button("Validate the circuit (F5)").clicked() {
        intents.push(Intent::Validate);
        ui.close();
    }
}

/// Frames the circuit when asked (or when a shrinking canvas hid parts of a view the user has not set), and brings
/// a region asked for into view.
fn frame_view(state: &mut CanvasState, input: &CanvasInput, rect: Rect) {
    // A canvas that changes size (window resized, scale changed, a panel moved) frames the circuit again, unless
    // the user has placed the view themselves.
    if let Some(last) = state.last_rect
        && !state.user_moved_view
        && (rect.size() - last.size()).abs().max_elem() > 1.0
    {
        state.fit_pending = true;
    }
    state.last_rect = Some(rect);
    if state.fit_pending {
        state.fit_pending = false;
        state.user_moved_view = false;
        if let Some(bounds) = circuit_bounds(input) {
            state.view = View::fitting(rect, bounds);
        }
    }
    if let Some(focus) = state.focus_pending.take() {
        let (min, max) = (state.view.canvas_from_screen(rect, rect.min), state.view.canvas_from_screen(rect, rect.max));
        let visible = Rect::from_min_max(pos2(min.x, min.y), pos2(max.x, max.y));
        if !visible.contains_rect(focus) {
            let centre = CanvasPos { x: focus.center().x, y: focus.center().y };
            state.view.origin += rect.center() - state.view.screen_from_canvas(rect, centre);
        }
    }
}

/// Dragging the background pans (unless a tube is being laid); the wheel zooms about the pointer anywhere on the
/// canvas, over a part, a port or a tube as over the background (not over a menu or tooltip above it).
fn pan_and_zoom(ui: &egui::Ui, state: &mut CanvasState, background: &egui::Response, rect: Rect) {
    if background.dragged() && !matches!(state.gesture, Gesture::LayingTube { .. }) {
        state.view.origin += background.drag_delta();
        state.user_moved_view = true;
    }
    let (scroll, pointer) = ui.input(|i| (i.smooth_scroll_delta.y, i.pointer.hover_pos()));
    if scroll.abs() > 0.0
        && let Some(pointer) = pointer
        && rect.contains(pointer)
        && ui.ctx().layer_id_at(pointer) == Some(ui.layer_id())
    {
        state.view.zoom_around(rect, pointer, (scroll / 300.0).exp());
        state.user_moved_view = true;
    }
}

/// A part dragged from the kit: its outline under the pointer, placed where it is dropped.
#[allow(clippy::too_many_arguments)]
/// A part dragged from the kit: a ghost follows the pointer, the line under it is marked (an inline device dropped
/// there is clipped into it), and the drop places it.
fn drop_from_kit(
    ui: &egui::Ui,
    painter: &egui::Painter,
    state: &CanvasState,
    input: &CanvasInput,
    colours: &paint::Palette,
    background: &egui::Response,
    rect: Rect,
    curves: &[(TubeId, Vec<Pos2>)],
    intents: &mut Vec<Intent>,
) {
    if let Some(payload) = background.dnd_release_payload::<CatalogId>()
        && let Some(pointer) = ui.input(|i| i.pointer.interact_pos())
    {
        let at = state.view.canvas_from_screen(rect, pointer);
        let on_tube = tubes::tube_at(curves, pointer);
        intents.push(Intent::Place { catalog_id: (*payload).clone(), at: Some(at), on_tube });
    }
    if let Some(payload) = background.dnd_hover_payload::<CatalogId>()
        && let (Some(pointer), Some(spec)) = (ui.input(|i| i.pointer.hover_pos()), input.catalog.part(&payload))
    {
        if spec.inline_ends().is_some()
            && let Some(tube) = tubes::tube_at(curves, pointer)
            && let Some((_, vertices)) = curves.iter().find(|(id, _)| *id == tube)
        {
            painter.add(egui::Shape::line(vertices.clone(), Stroke::new(6.0, colours.selected.gamma_multiply(0.5))));
        }
        let ghost = Rect::from_center_size(pointer, geometry::part_size(&spec.kind) * state.view.zoom);
        painter.rect_stroke(ghost, CornerRadius::same(6), Stroke::new(1.5, colours.selected), StrokeKind::Outside);
    }
}

fn circuit_bounds(input: &CanvasInput) -> Option<Rect> {
    input
        .circuit
        .parts()
        .filter_map(|p| {
            input
                .catalog
                .part(&p.catalog_id)
                .map(|spec| geometry::part_bounds(p.pos_in_canvas, &spec.kind, geometry::Orientation::of(p)))
        })
        .reduce(|a, b| a.union(b))
}
