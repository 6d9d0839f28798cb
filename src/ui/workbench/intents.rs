//! What the panels ask for (`Intent`) and how the workbench carries it out: anything that changes the circuit,
//! the run or the log becomes an `Action` for the session, which checks it and says why when it refuses; the rest
//! (selection, tab, view, the moment under review, file requests) is the view's own.

use super::run::Pacer;
use super::{Selection, Tab, Workbench, geometry};
use crate::catalog::{Bore, Catalog, PartSpec, PortDir};
use crate::circuit::{CanvasPos, Circuit, Edit, PlacedPart, TUBE_LENGTH_RANGE_M, Tube};
use crate::ids::{CatalogId, PartId, PortRef, TubeId};
use crate::session::Action;
use crate::sim::Alarm;
use crate::validate::Finding;
use eframe::egui;

/// Length a new tube starts with, m: a short segment the trainee then sets in the inspector (the inspector opens
/// on it). A modelling choice, not a clinical number.
const NEW_TUBE_LENGTH_M: f64 = 0.5;

/// How far from its host a sensor or heater-cooler may be dropped and still be mounted on it, canvas units (about
/// half a part's width: "beside it", not "somewhere near"). A drawing choice, not a clinical number.
const MOUNT_REACH: f32 = 40.0;
/// The same reach on the screen, pixels, for a view zoomed out (where 40 canvas units are a few pixels).
const MOUNT_REACH_PX: f32 = 40.0;

/// The edits that clip the new part `part` (an inline device) into `tube`: the line is cut in two of the same
/// tubing and half the length each, upstream end to the inlet, outlet to the downstream end, the clamp kept on the
/// upstream half. `None` when the part is not an inline device (`PartSpec::inline_ends`). Returns the edits and the
/// tube cut.
fn clip_into(
    circuit: &Circuit,
    catalog: &Catalog,
    spec: &PartSpec,
    part: PartId,
    tube: TubeId,
) -> Option<(Vec<Edit>, TubeId)> {
    let (inlet, outlet) = spec.inline_ends().map(|(a, b)| (a.name.clone(), b.name.clone()))?;
    let line = circuit.tube(tube)?;
    // Blood leaves a part through its outlet: the end on an outlet is upstream; otherwise the line's own order.
    let dir_of = |port: &PortRef| {
        let placed = circuit.part(port.part)?;
        Some(catalog.part(&placed.catalog_id)?.port(&port.port)?.dir)
    };
    let upstream_is_to = dir_of(&line.to) == Some(PortDir::Out) && dir_of(&line.from) != Some(PortDir::Out);
    let (upstream, downstream) =
        if upstream_is_to { (line.to.clone(), line.from.clone()) } else { (line.from.clone(), line.to.clone()) };
    let first = circuit.next_tube_id();
    let half = (line.length_m / 2.0).max(TUBE_LENGTH_RANGE_M.0);
    let piece = |id: TubeId, from: PortRef, to: PortRef, clamped: bool| Tube {
        id,
        from,
        to,
        tubing: line.tubing.clone(),
        length_m: half,
        clamped,
    };
    Some((
        vec![
            Edit::Disconnect { tube },
            Edit::Connect(piece(first, upstream, PortRef::new(part, &inlet), line.clamped)),
            Edit::Connect(piece(TubeId(first.0 + 1), PortRef::new(part, &outlet), downstream, false)),
        ],
        tube,
    ))
}

/// What a panel asks for.
#[derive(Debug, Clone)]
pub enum Intent {
    Edit(Edit),
    Select(Selection),
    /// Take a part from the kit; `at` where it was dropped, or `None` for a free place in view; `on_tube` the
    /// tube it was dropped on (an inline device is clipped into it).
    Place {
        catalog_id: CatalogId,
        at: Option<CanvasPos>,
        on_tube: Option<TubeId>,
    },
    /// Lay a tube between two ports, sized for them.
    Connect {
        from: PortRef,
        to: PortRef,
    },
    /// A gesture that cannot make sense: say why.
    Refuse(String),
    /// Show a finding's parts and tubes.
    Highlight(usize),
    ShowTab(Tab),
    Undo,
    Redo,
    Validate,
    DeleteSelection,
    FitView,
    Start,
    TogglePause,
    /// Start the run if none, else pause or resume it.
    ToggleRun,
    Stop,
    Speed(f64),
    Acknowledge(Alarm),
    /// Run a stopped pump again.
    RestartPump(crate::ids::PartId),
    /// Act on the running circuit: put a fault right, give a drug, add fluid.
    Intervene(crate::sim::Intervention),
    /// Save the attempt (`as_new`: to a file chosen now).
    Save {
        as_new: bool,
    },
    /// Show the circuit as it was at this moment of the attempt (`None`: now).
    ReviewAt(Option<f64>),
    AddNote {
        at_s: f64,
        text: String,
    },
    SetGrade(String),
    ExportReport,
}

impl Workbench {
    /// Hands an action to the session; a refusal is said in the status bar. Returns whether it took effect.
    pub(super) fn act(&mut self, action: Action) -> bool {
        if self.review.is_some() && matches!(action, Action::Edit(_) | Action::Undo | Action::Redo) {
            self.say("The canvas shows an earlier moment: press Back to now (Review tab) to edit.", true);
            return false;
        }
        self.session.set_clock(self.recording.now_s());
        match self.session.apply(action) {
            Ok(()) => {
                self.status = None;
                true
            }
            Err(refusal) => {
                self.say(format!("Not done: {refusal}."), true);
                false
            }
        }
    }

    pub(super) fn carry_out(&mut self, intent: Intent) {
        match intent {
            Intent::Edit(edit) => {
                let clamp = match &edit {
                    Edit::SetClamp { tube, clamped } => Some((*tube, *clamped)),
                    _ => None,
                };
                if self.act(Action::Edit(edit))
                    && let Some((tube, clamped)) = clamp
                {
                    // A clamp changes what the circuit does: say so, and how to take it back.
                    let done = if clamped { "Clamped" } else { "Unclamped" };
                    let back = if self.session.run().is_some() { "" } else { " (Ctrl+Z undoes it)" };
                    self.say(format!("{done} tube {}{back}.", tube.0), false);
                }
            }
            Intent::Select(selection) => {
                self.selection = selection;
                if selection != Selection::None && self.tab != Tab::Monitor {
                    self.tab = Tab::Inspector;
                }
            }
            Intent::Place { catalog_id, at, on_tube } => self.place(catalog_id, at, on_tube),
            Intent::Connect { from, to } => self.connect(from, to),
            Intent::Refuse(reason) => self.say(reason, true),
            Intent::Highlight(index) => {
                self.highlighted = Some(index);
                if let Some(bounds) = self.session.findings().get(index).and_then(|f| self.bounds_of(f)) {
                    self.canvas.focus_pending = Some(bounds);
                }
            }
            Intent::ShowTab(tab) => self.tab = tab,
            Intent::Undo => {
                if self.act(Action::Undo) {
                    self.say("Undone.", false);
                }
            }
            Intent::Redo => {
                if self.act(Action::Redo) {
                    self.say("Redone.", false);
                }
            }
            Intent::Save { as_new } => self.save_request = Some(as_new),
            Intent::ReviewAt(at) => {
                self.review = None;
                if let Some(at_s) = at {
                    match self.session.moment(at_s) {
                        Ok(moment) => self.review = Some(moment),
                        Err(error) => self.say(format!("The run cannot be replayed there: {error}."), true),
                    }
                }
                self.selection = Selection::None;
            }
            Intent::AddNote { at_s, text } => self.session.add_note(at_s, text),
            Intent::SetGrade(grade) => self.session.set_grade(grade),
            Intent::ExportReport => self.report_request = true,
            Intent::Validate => {
                if self.act(Action::Validate) {
                    self.tab = Tab::Findings;
                    let (count, critical) = (self.session.findings().len(), self.critical_count());
                    self.say(
                        match (count, critical) {
                            (0, _) => "Validated: no findings.".to_owned(),
                            (n, 0) => format!("Validated: {n} finding(s), none critical."),
                            (n, c) => format!("Validated: {n} finding(s), {c} critical."),
                        },
                        critical > 0,
                    );
                }
            }
            Intent::DeleteSelection => {
                let edit = match self.selection {
                    Selection::Part(part) => Some(Edit::RemovePart { part }),
                    Selection::Tube(tube) => Some(Edit::Disconnect { tube }),
                    Selection::None => None,
                };
                if let Some(edit) = edit
                    && self.act(Action::Edit(edit))
                {
                    self.selection = Selection::None;
                }
            }
            Intent::FitView => self.canvas.fit_pending = true,
            Intent::Start => {
                if self.act(Action::StartRun) {
                    self.pacer = Pacer::default();
                    self.tab = Tab::Monitor;
                    let critical = self.critical_count();
                    if critical > 0 {
                        // The model runs what is built, right or wrong: said, not refused.
                        self.say(
                            format!(
                                "Running with {critical} critical finding(s): the patient gets what this circuit \
                                 does (see Findings). Stop the run to change the assembly."
                            ),
                            true,
                        );
                    } else {
                        self.say("Running. Set the arterial pump's speed to go on bypass; settings and clamps can change while it runs.", false);
                    }
                }
            }
            Intent::ToggleRun if self.session.run().is_none() => self.carry_out(Intent::Start),
            Intent::ToggleRun | Intent::TogglePause => {
                let paused = self.session.run().is_some_and(|run| run.paused);
                self.act(if paused { Action::ResumeRun } else { Action::PauseRun });
            }
            Intent::Stop => {
                if self.act(Action::StopRun) {
                    self.say("Stopped. The assembly can be changed again.", false);
                }
            }
            Intent::Speed(speed) => {
                self.act(Action::SetSpeed(speed));
            }
            Intent::Acknowledge(alarm) => {
                self.act(Action::Acknowledge(alarm));
            }
            Intent::RestartPump(pump) => {
                if self.act(Action::RestartPump(pump)) {
                    self.say("Restarted.", false);
                }
            }
            Intent::Intervene(intervention) => {
                let words = intervention.describe();
                if self.act(Action::Intervene(intervention)) {
                    self.say(format!("Done: {words}."), false);
                }
            }
        }
    }

    fn bounds_of(&self, finding: &Finding) -> Option<egui::Rect> {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let tube_parts = finding.tubes.iter().filter_map(|t| circuit.tube(*t)).flat_map(|t| [t.from.part, t.to.part]);
        finding
            .parts
            .iter()
            .copied()
            .chain(tube_parts)
            .filter_map(|id| {
                let part = circuit.part(id)?;
                Some(geometry::part_bounds(
                    part.pos_in_canvas,
                    circuit.kind_of(catalog, id)?,
                    geometry::Orientation::of(part),
                ))
            })
            .reduce(|a, b| a.union(b))
    }

    /// Places a part from the kit. Dropped on a tube, a device with one inlet and one outlet (a bubble detector, a
    /// flow probe, a filter) is clipped into that line; dropped on or beside its host, a sensor or heater-cooler is
    /// mounted on it. Either is one step, undone as one.
    fn place(&mut self, catalog_id: CatalogId, at: Option<CanvasPos>, on_tube: Option<TubeId>) {
        let dropped = at.is_some();
        let at = at.unwrap_or_else(|| self.free_spot());
        let circuit = self.session.circuit();
        let id = circuit.next_part_id();
        let placed = Edit::AddPart(PlacedPart::new(id, catalog_id.clone(), at));
        let spec = self.session.catalog().part(&catalog_id);
        let noun = spec.map_or("part", |s| s.kind.noun());
        let clip =
            on_tube.zip(spec).and_then(|(tube, spec)| clip_into(circuit, self.session.catalog(), spec, id, tube));
        let mount = if dropped && clip.is_none() { self.host_near(&catalog_id, at) } else { None };
        let (edit, done) = match (clip, mount) {
            (Some((edits, tube)), _) => (
                Edit::Batch([placed].into_iter().chain(edits).collect()),
                Some(format!("Clipped the {noun} into tube {}", tube.0)),
            ),
            (None, Some((host, name))) => (
                Edit::Batch(vec![placed, Edit::SetMount { part: id, on: Some(host) }]),
                Some(format!("Mounted the {noun} on {name}")),
            ),
            (None, None) => (placed, None),
        };
        if self.act(Action::Edit(edit)) {
            self.selection = Selection::Part(id);
            self.tab = Tab::Inspector;
            if let Some(done) = done {
                self.say(format!("{done} (Ctrl+Z undoes it)."), false);
            }
        }
    }

    /// The part a sensor or heater-cooler dropped at `at` belongs on: the nearest host within reach, with its label.
    fn host_near(&self, catalog_id: &CatalogId, at: CanvasPos) -> Option<(PartId, String)> {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let kind = &catalog.part(catalog_id)?.kind;
        let labels = circuit.labels(catalog);
        let reach = MOUNT_REACH.max(MOUNT_REACH_PX / self.canvas.view.zoom.max(0.05));
        let point = egui::pos2(at.x, at.y);
        circuit
            .parts()
            .filter_map(|p| {
                let host_kind = circuit.kind_of(catalog, p.id)?;
                let bounds = geometry::part_bounds(p.pos_in_canvas, host_kind, geometry::Orientation::of(p));
                let distance = bounds.distance_to_pos(point);
                (kind.mounts_on(host_kind) && distance <= reach).then_some((p.id, distance))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| (id, labels.get(&id).cloned().unwrap_or_else(|| id.to_string())))
    }

    /// A place in view, below the parts already there, for a part added from the keyboard.
    fn free_spot(&self) -> CanvasPos {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let rect =
            self.canvas.last_rect.unwrap_or(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(700.0, 600.0)));
        let view = &self.canvas.view;
        let top_left = view.canvas_from_screen(rect, rect.min + egui::vec2(80.0, 80.0));
        let width = (rect.width() - 160.0) / view.zoom;
        let step = 120.0;
        let columns = ((width / step).floor() as usize).max(1);
        for index in 0..400 {
            let candidate = CanvasPos {
                x: top_left.x + (index % columns) as f32 * step,
                y: top_left.y + (index / columns) as f32 * 140.0,
            };
            let taken = circuit.parts().any(|p| {
                circuit.kind_of(catalog, p.id).is_some_and(|kind| {
                    geometry::part_bounds(p.pos_in_canvas, kind, geometry::Orientation::of(p))
                        .expand(20.0)
                        .contains(egui::pos2(candidate.x, candidate.y))
                })
            });
            if !taken {
                return candidate;
            }
        }
        top_left
    }

    /// Lays a tube from `from` to `to`, of the kit's tubing that fits both ports, and opens it in the inspector.
    fn connect(&mut self, from: PortRef, to: PortRef) {
        let (circuit, catalog) = (self.session.circuit(), self.session.catalog());
        let spec_of = |port: &PortRef| {
            circuit.part(port.part).and_then(|p| catalog.part(&p.catalog_id)).and_then(|spec| spec.port(&port.port))
        };
        let bore_of = |port: &PortRef| spec_of(port).map_or(Bore::Any, |p| p.bore);
        // Laid as asked (a wrong circuit is for the validator to explain), but a tube blood cannot pass is said at
        // once, not left to be found.
        let dirs = spec_of(&from).map(|p| p.dir).zip(spec_of(&to).map(|p| p.dir));
        let against_the_flow = match dirs {
            Some((PortDir::Out, PortDir::Out)) => Some("two outlets: blood pushed into it from both ends"),
            Some((PortDir::In, PortDir::In)) => Some("two inlets: both ends draw from it"),
            _ => None,
        };
        let Some(tubing) = self.session.scenario().kit_tubing_for(catalog, bore_of(&from), bore_of(&to)) else {
            self.say("The kit has no tubing at all: this scenario cannot be built.", true);
            return;
        };
        let id = circuit.next_tube_id();
        let tube = Tube { id, from, to, tubing, length_m: NEW_TUBE_LENGTH_M, clamped: false };
        if self.act(Action::Edit(Edit::Connect(tube))) {
            self.selection = Selection::Tube(id);
            self.tab = Tab::Inspector;
            match against_the_flow {
                Some(why) => self.say(
                    format!("Tube laid between {why}, so no blood can flow through it. Ctrl+Z takes it back."),
                    true,
                ),
                None => self.say("Tube laid. Set its size and length in the inspector.", false),
            }
        }
    }
}
