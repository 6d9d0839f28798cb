//! The debrief report of an attempt: one self-contained HTML file (no scripts, no links to fetch) with the circuit
//! as an inline SVG drawing, the score and its breakdown, the findings, the timeline, the recorded trends as inline
//! SVG charts with alarm markers, and the instructor's notes and grade. Readable offline in any browser.

use super::{Attempt, Event, Score, clock};
use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::scenario::Scenario;
use crate::sim::TrendKey;
use crate::validate::Finding;
use std::fmt::Write as _;

/// Trend columns charted, when the attempt has them; the air that reached the patient and the blood lost only when
/// there were any.
const CHARTED: [TrendKey; 6] = [
    TrendKey::PatientArterialPressure,
    TrendKey::Do2i,
    TrendKey::Svo2,
    TrendKey::PatientTemperature,
    TrendKey::AirToPatient,
    TrendKey::BloodLost,
];

/// Text from a file made safe for the page: markup escaped, and control characters (an escape sequence typed into a
/// grade or a name) shown as U+FFFD rather than written raw.
fn escape(text: &str) -> String {
    crate::input::printable(text, &['\n', '\t'])
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The report; `remarks` are what grading found about the file itself (edited trends or score, a scenario copy that
/// differs from the instructor's, practice without faults), shown first so a reader of the page alone sees them.
pub fn html(
    attempt: &Attempt,
    scenario: &Scenario,
    circuit: &Circuit,
    catalog: &Catalog,
    score: &Score,
    remarks: &[String],
) -> String {
    let findings = crate::validate::validate(scenario, circuit, catalog);
    let mut out = String::new();
    let title = format!("{} — {}", attempt.trainee, scenario.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{}</style></head><body>",
        escape(&title),
        STYLE
    );
    let started = if attempt.started.is_empty() { String::new() } else { format!(" · started {}", attempt.started) };
    let _ = write!(
        out,
        "<h1>{}</h1><p class=\"sub\">{}{} · {} min of work</p>",
        escape(&title),
        escape(scenario.procedure.label()),
        escape(&started),
        (attempt.duration_s() / 60.0).round()
    );
    if !remarks.is_empty() {
        out.push_str("<h2>Remarks on this file</h2><ul class=\"remarks\">");
        for remark in remarks {
            let _ = write!(out, "<li>{}</li>", escape(remark));
        }
        out.push_str("</ul>");
    }
    score_section(&mut out, score, attempt);
    checklist_section(&mut out, &super::checklist::checklist(attempt, scenario, catalog));
    let _ = write!(out, "<h2>Circuit</h2>{}", circuit_svg(circuit, catalog));
    findings_section(&mut out, &findings);
    trends_section(&mut out, attempt);
    timeline_section(&mut out, attempt, &circuit.labels(catalog));
    out.push_str("</body></html>\n");
    out
}

fn score_section(out: &mut String, score: &Score, attempt: &Attempt) {
    let _ = write!(
        out,
        "<h2>Score {:.0} / 100</h2><table><tr><th>component</th><th>points</th><th>why</th></tr>",
        score.total
    );
    let weight: f64 = score.components.iter().map(|c| c.weight).sum();
    for c in &score.components {
        let (points, most) =
            if weight > 0.0 { (100.0 * c.weight * c.fraction / weight, 100.0 * c.weight / weight) } else { (0.0, 0.0) };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{points:.1} / {most:.1}</td><td>{}</td></tr>",
            escape(&c.name.field().replace('_', " ")),
            escape(&c.detail)
        );
    }
    out.push_str("</table>");
    if let Some(grade) = &attempt.grade {
        let _ = write!(out, "<p><b>Grade:</b> {}</p>", escape(grade));
    }
}

fn checklist_section(out: &mut String, items: &[super::checklist::CheckItem]) {
    out.push_str("<h2>Checklist</h2><table><tr><th>action</th><th>status</th><th>clock</th><th>of the run</th></tr>");
    for item in items {
        let _ = write!(
            out,
            "<tr class=\"{0}\"><td>{1}</td><td>{0}</td><td>{2}</td><td>{3}</td></tr>",
            item.status.label(),
            escape(&item.action),
            item.at_s.map(clock).unwrap_or_default(),
            item.model_s.map(clock).unwrap_or_default()
        );
    }
    out.push_str("</table>");
}

fn findings_section(out: &mut String, findings: &[Finding]) {
    let _ = write!(out, "<h2>Findings on the final circuit ({})</h2>", findings.len());
    if findings.is_empty() {
        out.push_str("<p>None: the assembly meets every rule of the scenario.</p>");
        return;
    }
    out.push_str("<ul>");
    for f in findings {
        let _ = write!(
            out,
            "<li class=\"{}\"><b>{}</b> ({}) — {} <i>Fix: {}</i></li>",
            f.severity.label(),
            escape(&f.title),
            f.severity.label(),
            escape(&f.why),
            escape(&f.fix)
        );
    }
    out.push_str("</ul>");
}

/// The circuit as boxes at the parts' canvas positions joined by the tubes (clamped ones dashed).
fn circuit_svg(circuit: &Circuit, catalog: &Catalog) -> String {
    let labels = circuit.labels(catalog);
    let positions: Vec<(f32, f32)> = circuit.parts().map(|p| (p.pos_in_canvas.x, p.pos_in_canvas.y)).collect();
    if positions.is_empty() {
        return "<p>No parts.</p>".to_owned();
    }
    let (min_x, max_x) = positions.iter().fold((f32::MAX, f32::MIN), |(a, b), (x, _)| (a.min(*x), b.max(*x)));
    let (min_y, max_y) = positions.iter().fold((f32::MAX, f32::MIN), |(a, b), (_, y)| (a.min(*y), b.max(*y)));
    let (w, h) = (max_x - min_x + 160.0, max_y - min_y + 120.0);
    let at = |id| circuit.part(id).map(|p| (p.pos_in_canvas.x - min_x + 80.0, p.pos_in_canvas.y - min_y + 60.0));
    let mut svg = format!("<svg viewBox=\"0 0 {w:.0} {h:.0}\" class=\"circuit\" role=\"img\" aria-label=\"circuit\">");
    for tube in circuit.tubes() {
        if let (Some((x1, y1)), Some((x2, y2))) = (at(tube.from.part), at(tube.to.part)) {
            let dash = if tube.clamped { " stroke-dasharray=\"6 4\"" } else { "" };
            let _ =
                write!(svg, "<line x1=\"{x1:.0}\" y1=\"{y1:.0}\" x2=\"{x2:.0}\" y2=\"{y2:.0}\" class=\"tube\"{dash}/>");
        }
    }
    for part in circuit.parts() {
        let Some((x, y)) = at(part.id) else { continue };
        let label = labels.get(&part.id).cloned().unwrap_or_default();
        let _ = write!(
            svg,
            "<rect x=\"{:.0}\" y=\"{:.0}\" width=\"70\" height=\"40\" rx=\"6\" class=\"part\"/><text x=\"{x:.0}\" y=\"{:.0}\">{}</text>",
            x - 35.0,
            y - 20.0,
            y + 34.0,
            escape(&label)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn trends_section(out: &mut String, attempt: &Attempt) {
    if attempt.trends.iter().all(|t| t.rows.is_empty()) {
        return;
    }
    out.push_str("<h2>Trends</h2><p class=\"sub\">Model time in minutes; red lines: alarms raised.</p>");
    for (number, trend) in attempt.trends.iter().enumerate() {
        if attempt.trends.len() > 1 {
            let _ = write!(out, "<h3>Run {} (started at {})</h3>", number + 1, clock(trend.started_at_s));
        }
        let next_start = attempt.trends.get(number + 1).map_or(f64::INFINITY, |t| t.started_at_s);
        let alarm_times: Vec<f64> = attempt
            .log
            .iter()
            .filter(|e| e.at_s >= trend.started_at_s && e.at_s < next_start)
            .filter_map(|e| matches!(e.event, Event::AlarmRaised { .. }).then_some(e.model_s).flatten())
            .collect();
        for key in CHARTED {
            let Some(column) = trend.column(key) else { continue };
            let points = trend.series(key);
            let only_if_any = matches!(key, TrendKey::AirToPatient | TrendKey::BloodLost);
            if only_if_any && points.iter().all(|(_, v)| *v <= 0.0) {
                continue;
            }
            let name = trend.columns.get(column).map_or("", |c| c.heading.as_str());
            out.push_str(&chart(name, &points, &alarm_times));
        }
    }
}

/// A line chart 600 × 160 with its value range and time axis labelled.
fn chart(name: &str, points: &[(f64, f64)], alarms: &[f64]) -> String {
    let (w, h, pad) = (600.0, 160.0, 36.0);
    let t_max = points.iter().map(|p| p.0).fold(1.0, f64::max);
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let (lo, hi) = if hi - lo < 1e-9 { (lo - 1.0, hi + 1.0) } else { (lo, hi) };
    let x = |t: f64| pad + (w - 2.0 * pad) * t / t_max;
    let y = |v: f64| h - pad / 2.0 - (h - pad) * (v - lo) / (hi - lo);
    let line: Vec<String> = points.iter().map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v))).collect();
    let mut svg =
        format!("<figure><figcaption>{}</figcaption><svg viewBox=\"0 0 {w} {h}\" class=\"chart\">", escape(name));
    for t in alarms.iter().filter(|t| **t <= t_max) {
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"4\" y2=\"{1:.0}\" class=\"alarm\"/>",
            x(*t),
            h - pad / 2.0
        );
    }
    let _ = write!(
        svg,
        "<polyline points=\"{}\" class=\"trend\"/><text x=\"2\" y=\"{:.0}\">{hi:.0}</text><text x=\"2\" y=\"{:.0}\">{lo:.0}</text><text x=\"{:.0}\" y=\"{h}\">{:.1} min</text></svg></figure>",
        line.join(" "),
        y(hi) + 4.0,
        y(lo),
        w - pad - 30.0,
        t_max / 60.0
    );
    svg
}

fn timeline_section(
    out: &mut String,
    attempt: &Attempt,
    labels: &std::collections::BTreeMap<crate::ids::PartId, String>,
) {
    out.push_str("<h2>Timeline</h2><table><tr><th>time</th><th>what happened</th></tr>");
    let mut notes = attempt.notes.iter().peekable();
    for entry in &attempt.log {
        while let Some(note) = notes.next_if(|n| n.at_s <= entry.at_s) {
            let _ = write!(
                out,
                "<tr class=\"note\"><td>{}</td><td>Note: {}</td></tr>",
                clock(note.at_s),
                escape(&note.text)
            );
        }
        // Building edits are many and the file has them; what the trainee changed on a running circuit (speeds,
        // clamps, gas, water) is part of the story of the run.
        if matches!(entry.event, Event::Edit(_)) && entry.model_s.is_none() {
            continue;
        }
        let text = entry.event.describe_named(labels);
        let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", clock(entry.at_s), escape(&text));
    }
    for note in notes {
        let _ =
            write!(out, "<tr class=\"note\"><td>{}</td><td>Note: {}</td></tr>", clock(note.at_s), escape(&note.text));
    }
    let edits = attempt.log.iter().filter(|e| matches!(e.event, Event::Edit(_)) && e.model_s.is_none()).count();
    let _ = write!(
        out,
        "</table><p class=\"sub\">Changes made while a run went are listed; the {edits} building edits are in the \
         attempt file's log.</p>"
    );
}

const STYLE: &str = "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}h1{margin-bottom:0}\
.sub{color:#666}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px;text-align:left}\
li.critical{color:#a00}tr.missed td,tr.wrong td{color:#a00}tr.late td{color:#8a5a00}li.warning{color:#8a5a00}svg.circuit{width:100%;border:1px solid #ccc;background:#fafafa}\
.part{fill:#e8eef6;stroke:#345}.tube{stroke:#678;stroke-width:3}svg text{font-size:11px;text-anchor:middle}\
svg.chart text{text-anchor:start}svg.chart{width:100%;background:#fafafa}.trend{fill:none;stroke:#c33;stroke-width:2}\
.alarm{stroke:#e00;stroke-width:1;opacity:.5}tr.note td{background:#fff8dc}figure{margin:1em 0}ul.remarks{color:#a00}";
