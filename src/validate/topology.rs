//! Whether the pieces fit together at all: open ports, bores, tubes that join two outlets.

use super::{Context, Finding, Severity};
use crate::catalog::{Bore, PortDir};
use crate::ids::PortRef;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    open_ports(cx, out);
    bores_and_directions(cx, out);
}

fn open_ports(cx: &Context, out: &mut Vec<Finding>) {
    for part in cx.circuit.parts() {
        let Some(spec) = cx.catalog.part(&part.catalog_id) else { continue };
        for port in &spec.ports {
            let at = PortRef::new(part.id, port.name.clone());
            if cx.circuit.tube_on(&at).is_some() || part.capped.contains(&port.name) {
                continue;
            }
            if spec.kind.port_vents_harmlessly(port.dir) {
                continue;
            }
            let label = cx.label(part.id);
            out.push(Finding {
                rule: "topology.open_port",
                severity: Severity::Critical,
                title: format!("{label}: port {} is open", port.name.replace('_', " ")),
                why: "An open port bleeds under positive pressure and draws air in under negative pressure; on the \
                      venous side air locks the line and drainage stops."
                    .to_owned(),
                fix: format!("Connect a line to {label} {} or close it with a luer cap.", port.name.replace('_', " ")),
                parts: vec![part.id],
                tubes: Vec::new(),
            });
        }
    }
}

fn bores_and_directions(cx: &Context, out: &mut Vec<Finding>) {
    for tube in cx.circuit.tubes() {
        let Some(tubing) = cx.catalog.tubing(&tube.tubing) else { continue };
        for end in tube.ends() {
            let Some(port) =
                cx.circuit.part(end.part).and_then(|p| cx.catalog.part(&p.catalog_id)?.port(&end.port).cloned())
            else {
                continue;
            };
            if port.bore != Bore::Any && port.bore != tubing.bore {
                let label = cx.label(end.part);
                out.push(Finding {
                    rule: "topology.bore_mismatch",
                    severity: Severity::Warning,
                    title: format!(
                        "{} tube on the {} connector of {label} {}",
                        tubing.bore,
                        port.bore,
                        end.port.replace('_', " ")
                    ),
                    why: "A tube that does not match its connector leaks, pulls off under pressure or narrows the \
                          lumen."
                        .to_owned(),
                    fix: format!("Use {} tubing here, or fit a reducer between the sizes.", port.bore),
                    parts: vec![end.part],
                    tubes: vec![tube.id],
                });
            }
        }
        // The ports as built; a pump turning the wrong way is `order.reversed_pump`'s to report.
        let from = port_dir(cx, &tube.from);
        let to = port_dir(cx, &tube.to);
        let clash = match (from, to) {
            (Some(PortDir::Out), Some(PortDir::Out)) => Some("two outlets"),
            (Some(PortDir::In), Some(PortDir::In)) => Some("two inlets"),
            _ => None,
        };
        if let Some(what) = clash {
            let line = cx.circuit.tube_label(cx.catalog, tube);
            out.push(Finding {
                rule: "topology.flow_conflict",
                severity: Severity::Critical,
                title: format!("The line {line} joins {what}"),
                why: "Blood cannot flow along a line whose two ends both push or both draw: the parts work against \
                      each other and no flow passes."
                    .to_owned(),
                fix: "Reconnect the line from an outlet to an inlet (check which way the part faces).".to_owned(),
                parts: vec![tube.from.part, tube.to.part],
                tubes: vec![tube.id],
            });
        }
    }
}

fn port_dir(cx: &Context, port: &PortRef) -> Option<PortDir> {
    let part = cx.circuit.part(port.part)?;
    Some(cx.catalog.part(&part.catalog_id)?.port(&port.port)?.dir)
}
