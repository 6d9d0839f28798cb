//! Reviewing the attempt: the score with its breakdown, a timeline scrubber that shows the circuit and its findings
//! as they were at any moment, the log with alarm and validation markers, the recorded trends up to that moment,
//! and the instructor's notes at timestamps and grade (saved with the attempt).

use super::Intent;
use crate::attempt::{Attempt, Event, Score, clock};
use crate::sim::TrendKey;
use crate::validate::Finding;
use eframe::egui::{self, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

/// What the review panel shows and edits.
pub struct ReviewView<'a> {
    pub attempt: &'a Attempt,
    /// The scenario author's notes for the instructor.
    pub instructor_notes: &'a str,
    pub score: &'a Score,
    pub checklist: &'a [crate::attempt::checklist::CheckItem],
    /// The moment shown, s from the start; `None`: now (the live circuit).
    pub at_s: Option<f64>,
    /// The findings of the circuit at that moment.
    pub findings_then: &'a [Finding],
    /// The monitor at that moment (re-simulated), when a run was going.
    pub monitor_then: &'a [(String, f64)],
    /// The circuit's part labels, to name parts in the log.
    pub labels: &'a std::collections::BTreeMap<crate::ids::PartId, String>,
    /// An attempt opened for review (Open attempt…): the scenario's notes for the instructor, the drills no run has
    /// reached, the notes and the grade are shown. In the trainee's own attempt they stay hidden: they are the
    /// answer key.
    pub for_instructor: bool,
}

/// Text being typed in the panel, kept between frames.
#[derive(Debug, Default)]
pub struct Drafts {
    pub note: String,
    pub grade: String,
}

pub fn review_ui(ui: &mut egui::Ui, view: &ReviewView, drafts: &mut Drafts, intents: &mut Vec<Intent>) {
    let attempt = view.attempt;
    ui.label(RichText::new(format!("{} on {}", attempt.trainee, attempt.scenario.id)).strong());
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("started {}", attempt.started)).weak().small());
        if ui
            .button("Export report…")
            .on_hover_text("One HTML file with the circuit, score, findings, trends and timeline")
            .clicked()
        {
            intents.push(Intent::ExportReport);
        }
    });
    ui.add_space(4.0);
    score_ui(ui, view.score, view.for_instructor);
    ui.add_space(6.0);
    checklist_ui(ui, view, intents);
    ui.add_space(6.0);
    timeline_ui(ui, view, intents);
    ui.add_space(6.0);
    if !view.for_instructor {
        ui.label(
            RichText::new(
                "The instructor's notes, the drills still to come and the grade show when the saved attempt is \
                 opened for review (Open attempt…).",
            )
            .weak()
            .small(),
        );
        return;
    }
    notes_ui(ui, view, drafts, intents);
    if !view.instructor_notes.is_empty() {
        egui::CollapsingHeader::new("The scenario's notes for the instructor").default_open(false).show(ui, |ui| {
            ui.label(view.instructor_notes);
        });
    }
}

/// The score and each component: its name and points on a line, what earned them wrapped beneath, so the panel
/// keeps its width however long the explanation.
fn score_ui(ui: &mut egui::Ui, score: &Score, for_instructor: bool) {
    use crate::attempt::ComponentKind;
    ui.label(RichText::new(format!("Score {:.0} / 100", score.total)).heading());
    let weight: f64 = score.components.iter().map(|c| c.weight).sum();
    for component in &score.components {
        // How the drills were answered names them: judged in the review, not shown while they may still come.
        if !for_instructor && component.name == ComponentKind::FaultResponse {
            ui.label(RichText::new("response to the drills: judged when the attempt is reviewed").small().weak());
            continue;
        }
        let points = if weight > 0.0 { 100.0 * component.weight * component.fraction / weight } else { 0.0 };
        let most = if weight > 0.0 { 100.0 * component.weight / weight } else { 0.0 };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{points:.1} / {most:.1}")).monospace());
            ui.label(RichText::new(component.name.field().replace('_', " ")).strong());
        });
        ui.add(egui::Label::new(RichText::new(&component.detail).small().weak()).wrap());
    }
    ui.label(RichText::new("Rubric: docs/scoring.md").weak().small());
}

/// The expected actions, each with its status; clicking one shows that moment. The trainee's own view shows what
/// has happened only: an action not yet due names the answer to a drill under way, or one still to come.
fn checklist_ui(ui: &mut egui::Ui, view: &ReviewView, intents: &mut Vec<Intent>) {
    use crate::attempt::checklist::Status;
    ui.label(RichText::new("Checklist").strong());
    let shown = |item: &&crate::attempt::checklist::CheckItem| {
        view.for_instructor || (!item.unreached_fault && item.status != Status::NotDue)
    };
    for item in view.checklist.iter().filter(shown) {
        let colour = match item.status {
            Status::Done => ui.visuals().text_color(),
            Status::NotDue => ui.visuals().weak_text_color(),
            Status::Late => ui.visuals().warn_fg_color,
            Status::Missed | Status::Wrong => ui.visuals().error_fg_color,
        };
        let when = match (item.at_s, item.model_s) {
            (Some(t), Some(m)) => format!(" at {} ({} of the run)", clock(t), clock(m)),
            (Some(t), None) => format!(" at {}", clock(t)),
            _ => String::new(),
        };
        let text = RichText::new(format!("{}: {}{when}", item.status.label(), item.action)).color(colour);
        let response = ui.add(egui::Button::selectable(false, text).wrap());
        if let Some(at) = item.at_s
            && response.clicked()
        {
            intents.push(Intent::ReviewAt(Some(at)));
        }
    }
}

fn timeline_ui(ui: &mut egui::Ui, view: &ReviewView, intents: &mut Vec<Intent>) {
    let attempt = view.attempt;
    let end = attempt.duration_s();
    ui.label(RichText::new("Timeline").strong());
    ui.horizontal_wrapped(|ui| {
        let mut at = view.at_s.unwrap_or(end);
        // Room beside the slider for its value and name, however narrow the panel.
        ui.spacing_mut().slider_width = (ui.available_width() - 150.0).clamp(60.0, 240.0);
        let slider = ui
            .add(egui::Slider::new(&mut at, 0.0..=end.max(1.0)).custom_formatter(|v, _| clock(v)).text("moment shown"));
        slider.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline moment"));
        // Re-simulating a moment takes a while for a long run: once the slider is let go, or stepped by key.
        if slider.drag_stopped() || (slider.changed() && !slider.dragged()) {
            intents.push(Intent::ReviewAt(Some(at)));
        }
        if view.at_s.is_some() && ui.button("Back to now").on_hover_text("Show the live circuit again").clicked() {
            intents.push(Intent::ReviewAt(None));
        }
    });
    if let Some(at) = view.at_s {
        let critical = view.findings_then.iter().filter(|f| f.severity == crate::rules::Severity::Critical).count();
        ui.label(format!(
            "At {}: the canvas shows the circuit as it was; {} finding(s), {critical} critical.",
            clock(at),
            view.findings_then.len()
        ));
        for finding in view.findings_then.iter().take(6) {
            ui.label(RichText::new(format!("• {}", finding.title)).small());
        }
        if !view.monitor_then.is_empty() {
            ui.label(RichText::new("Monitor then (re-simulated from the log)").strong());
            egui::Grid::new("monitor_then").num_columns(2).striped(true).show(ui, |ui| {
                for (name, value) in view.monitor_then {
                    ui.label(name);
                    ui.label(RichText::new(format!("{value:.1}")).monospace());
                    ui.end_row();
                }
            });
        }
    }
    trends_ui(ui, view);
    egui::CollapsingHeader::new(format!("Log ({} entries)", attempt.log.len())).default_open(false).show(ui, |ui| {
        for entry in &attempt.log {
            let text = entry.event.describe_named(view.labels);
            let response = ui.selectable_label(false, format!("{}  {text}", clock(entry.at_s)));
            if response.clicked() {
                intents.push(Intent::ReviewAt(Some(entry.at_s)));
            }
        }
    });
}

/// The recorded trends of the run under review (the last one when the moment shown is not in a run) up to the
/// moment shown, with a line at every alarm raised.
fn trends_ui(ui: &mut egui::Ui, view: &ReviewView) {
    let trends = &view.attempt.trends;
    let at_s = view.at_s.unwrap_or(f64::INFINITY);
    let Some((index, trend)) = trends.iter().enumerate().rev().find(|(_, t)| t.started_at_s <= at_s) else { return };
    if trend.rows.is_empty() {
        return;
    }
    let until_model_s = view.at_s.map_or(f64::INFINITY, |at| at - trend.started_at_s);
    let next_start = trends.get(index + 1).map_or(f64::INFINITY, |t| t.started_at_s);
    let wanted = [TrendKey::Do2i, TrendKey::PatientArterialPressure, TrendKey::Svo2];
    // The wheel scrolls the panel, never the chart (it once panned it to an empty y ≈ −1000); a small legend in a
    // corner leaves the lines in view.
    let legend =
        Legend::default().position(egui_plot::Corner::LeftTop).background_alpha(0.6).text_style(egui::TextStyle::Small);
    Plot::new("review_trends")
        .height(180.0)
        .legend(legend)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            for key in wanted {
                let Some(column) = trend.column(key) else { continue };
                let name = trend.columns.get(column).map_or_else(String::new, |c| c.heading.clone());
                let points: Vec<[f64; 2]> = trend
                    .series(key)
                    .into_iter()
                    .filter(|(t, _)| *t <= until_model_s)
                    .map(|(t, v)| [t / 60.0, v])
                    .collect();
                plot.line(Line::new(name, PlotPoints::from(points)));
            }
            for entry in view.attempt.log.iter().filter(|e| e.at_s >= trend.started_at_s && e.at_s < next_start) {
                if let (Event::AlarmRaised { alarm }, Some(model_s)) = (&entry.event, entry.model_s)
                    && model_s <= until_model_s
                {
                    plot.vline(VLine::new(alarm.label(), model_s / 60.0));
                }
            }
        });
    ui.label(RichText::new("Minutes of model time; vertical lines: alarms raised.").weak().small());
}

fn notes_ui(ui: &mut egui::Ui, view: &ReviewView, drafts: &mut Drafts, intents: &mut Vec<Intent>) {
    ui.label(RichText::new("Instructor's notes").strong());
    for note in &view.attempt.notes {
        ui.label(format!("{}  {}", clock(note.at_s), note.text));
    }
    let at = view.at_s.unwrap_or(view.attempt.duration_s());
    ui.horizontal(|ui| {
        let field = ui.add(egui::TextEdit::singleline(&mut drafts.note).hint_text("a note at the moment shown"));
        field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Note text"));
        if ui.add_enabled(!drafts.note.trim().is_empty(), egui::Button::new(format!("Add at {}", clock(at)))).clicked()
        {
            intents.push(Intent::AddNote { at_s: at, text: std::mem::take(&mut drafts.note) });
        }
    });
    ui.horizontal(|ui| {
        ui.label(format!("Grade: {}", view.attempt.grade.as_deref().unwrap_or("none")));
        let field = ui.add(egui::TextEdit::singleline(&mut drafts.grade).desired_width(80.0));
        field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Grade text"));
        if ui.add_enabled(!drafts.grade.trim().is_empty(), egui::Button::new("Set grade")).clicked() {
            intents.push(Intent::SetGrade(std::mem::take(&mut drafts.grade)));
        }
    });
    ui.label(RichText::new("Notes and grade are saved with the attempt (Ctrl+S).").weak().small());
}
