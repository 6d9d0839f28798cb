//! `RawScenario` → `Scenario`: every number finite and in range, every id resolved against the catalog, every
//! problem reported at once with its position and a fix.
//!
//! Ranges are plausibility bounds that catch typos and unit mistakes (Hct 45 for 0.45, weight in pounds), wide
//! enough for any real patient; they are not clinical targets.

use super::{FaultKind, KitAmount, RawScenario, SCENARIO_FORMAT_VERSION, Scenario};
use crate::catalog::{Catalog, Entry};
use crate::ids::CatalogId;
use crate::input::{Checker, Diagnostics, Source};
use crate::patient::{BloodVolumeMethod, HB_G_DL_PER_HCT, Patient};
use std::collections::BTreeSet;

pub(super) fn check(source: &Source, id: &str, raw: RawScenario, catalog: &Catalog) -> Result<Scenario, Diagnostics> {
    let mut c = Checker::new(source);
    c.version(raw.version, SCENARIO_FORMAT_VERSION, "scenario");
    if raw.title.trim().is_empty() {
        c.error("title", "the title is empty", Some("give the scenario a short title".into()));
    }
    if raw.briefing.trim().is_empty() {
        c.error("briefing", "the briefing is empty", Some("say what the trainee is asked to do".into()));
    }
    let patient = check_patient(&mut c, &raw.patient);
    check_physiology(&mut c, &raw.physiology);
    let kit = check_kit(&mut c, &raw.kit, catalog);
    check_targets(&mut c, &raw.targets);
    check_required(&mut c, &raw.required, &raw.forbidden, &kit, catalog);
    check_rules(&mut c, &raw.rules);
    check_faults(&mut c, &raw.faults);
    check_scoring(&mut c, &raw.scoring);
    let scenario = Scenario {
        id: id.to_owned(),
        title: raw.title,
        briefing: raw.briefing,
        procedure: raw.procedure,
        patient,
        physiology: raw.physiology,
        kit,
        targets: raw.targets,
        required: raw.required,
        forbidden: raw.forbidden,
        rules: raw.rules,
        faults: raw.faults,
        scoring: raw.scoring,
        instructor_notes: raw.instructor_notes,
        source_text: String::new(),
    };
    c.finish(scenario)
}

fn check_patient(c: &mut Checker, raw: &super::RawPatient) -> Patient {
    c.range("patient.age", raw.age.in_years(), 0.0, 120.0, "years");
    c.range("patient.weight_kg", raw.weight_kg, 0.5, 250.0, "kg");
    c.range("patient.height_cm", raw.height_cm, 30.0, 250.0, "cm");
    // Derive the missing one of Hct and Hb (see HB_G_DL_PER_HCT for the conversion's status).
    let (hct, hb_g_dl) = match (raw.hct, raw.hb_g_dl) {
        (Some(hct), Some(hb)) => (hct, hb),
        (Some(hct), None) => (hct, hct * HB_G_DL_PER_HCT),
        (None, Some(hb)) => (hb / HB_G_DL_PER_HCT, hb),
        (None, None) => {
            c.error("patient.hct", "neither hct nor hb_g_dl is given", Some("add hct: 0.40 (a fraction)".into()));
            (f64::NAN, f64::NAN)
        }
    };
    if let Some(hct) = raw.hct
        && !in_range(hct, 0.10, 0.65)
    {
        let hint = if (10.0..=65.0).contains(&hct) {
            format!("Hct is a fraction: write {:.2}", hct / 100.0)
        } else {
            "write a fraction from 0.10 to 0.65".to_owned()
        };
        c.error("patient.hct", format!("{} is outside 0.10–0.65", shown(hct)), Some(hint));
    }
    if raw.hb_g_dl.is_some() && c.range("patient.hb_g_dl", hb_g_dl, 3.0, 25.0, "g/dL") && raw.hct.is_none() {
        // The haematocrit derived from Hb must be plausible too.
        if !in_range(hct, 0.10, 0.65) {
            c.error(
                "patient.hb_g_dl",
                format!("gives a haematocrit of {hct:.2}, outside 0.10–0.65"),
                Some("check the value, or give hct as well".into()),
            );
        }
    }
    // Deep hypothermic arrest goes to about 18 °C; 15 °C leaves margin. Above 38 °C is not a bypass plan.
    c.range("patient.target_temp_c", raw.target_temp_c, 15.0, 38.0, "°C");
    if let BloodVolumeMethod::MlPerKg(ml_per_kg) = raw.blood_volume {
        // Measured adult blood volumes span 35–129 mL/kg [BVE-JECT] (reference §6.2).
        c.range("patient.blood_volume", ml_per_kg, 35.0, 130.0, "mL/kg");
    }
    c.range("patient.pre_bypass_fluids_ml", raw.pre_bypass_fluids_ml, 0.0, 5000.0, "mL");
    Patient {
        age: raw.age,
        sex: raw.sex,
        weight_kg: raw.weight_kg,
        height_cm: raw.height_cm,
        hct,
        hb_g_dl,
        target_temp_c: raw.target_temp_c,
        bsa_formula: raw.bsa_formula,
        blood_volume: raw.blood_volume,
        pre_bypass_fluids_ml: raw.pre_bypass_fluids_ml,
    }
}

/// Most points a temperature scaling may list.
const MAX_SCALING_POINTS: usize = 16;

fn check_physiology(c: &mut Checker, raw: &super::Physiology) {
    // SVR in these units scales inversely with body size: a neonate's runs to several thousand.
    if let Some(svr) = raw.svr_dyn_s_cm5 {
        c.range("physiology.svr_dyn_s_cm5", svr, 200.0, 20000.0, "dyn·s·cm⁻⁵");
    }
    if let Some(cvp) = raw.cvp_mmhg {
        c.range("physiology.cvp_mmhg", cvp, -5.0, 30.0, "mmHg");
    }
    if let Some(vo2) = raw.vo2_ml_kg_min {
        c.range("physiology.vo2_ml_kg_min", vo2, 0.5, 15.0, "mL/kg/min");
    }
    if let Some(scale) = raw.recirculation_scale {
        c.range("physiology.recirculation_scale", scale, 0.0, 3.0, "");
    }
    c.range("physiology.native_output_l_min", raw.native_output_l_min, 0.0, 15.0, "L/min");
    c.range("physiology.native_lung_sao2", raw.native_lung_sao2, 0.3, 1.0, "");
    if let Some(bleeding) = raw.bleeding_ml_min {
        c.range("physiology.bleeding_ml_min", bleeding, 0.0, 2000.0, "mL/min");
    }
}

fn check_kit(c: &mut Checker, items: &[super::KitItem], catalog: &Catalog) -> Vec<(CatalogId, KitAmount)> {
    if items.is_empty() {
        c.error("kit", "the kit is empty", Some("list the parts and tubing on the shelf".into()));
    }
    let mut kit = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("kit[{i}]");
        if !seen.insert(&item.part) {
            c.error(
                &format!("{at}.part"),
                format!("\"{}\" is listed twice", item.part),
                Some("merge the two lines".into()),
            );
        }
        match catalog.entry(&item.part) {
            None => {
                let hint = c.listing().then(|| catalog.nearest_hint(item.part.as_str()));
                c.error(&format!("{at}.part"), format!("unknown part \"{}\"", item.part), hint);
            }
            Some(Entry::Tubing(_)) => {
                if item.count.is_some() {
                    c.error(&format!("{at}.count"), "tubing is counted in metres", Some("write length_m: 4.0".into()));
                }
                match item.length_m {
                    Some(length_m) => {
                        if c.range(&format!("{at}.length_m"), length_m, 0.1, 100.0, "m") {
                            kit.push((item.part.clone(), KitAmount::LengthM(length_m)));
                        }
                    }
                    None => c.error(&at, "tubing needs a length", Some("add length_m: 4.0".into())),
                }
            }
            Some(Entry::Part(_)) => {
                if item.length_m.is_some() {
                    c.error(&format!("{at}.length_m"), "length_m is for tubing", Some("write count: 2".into()));
                }
                let count = item.count.unwrap_or(1);
                if c.range(&format!("{at}.count"), f64::from(count), 1.0, 100.0, "") {
                    kit.push((item.part.clone(), KitAmount::Count(count)));
                }
            }
        }
    }
    kit
}

fn check_targets(c: &mut Checker, t: &super::Targets) {
    // Practice spans 1.2 L/min/m² in deep hypothermia to over 3.0 in infants [Kirklin-1982] [Mitchell-1990].
    c.range("targets.cardiac_index_l_min_m2", t.cardiac_index_l_min_m2, 0.5, 5.0, "L/min/m²");
    if let Some(max_prime_ml) = t.max_prime_ml {
        c.range("targets.max_prime_ml", max_prime_ml, 10.0, 5000.0, "mL");
    }
    c.range("targets.min_hct", t.min_hct, 0.10, 0.45, "(fraction)");
    c.range("targets.added_blood_hct", t.added_blood_hct, 0.30, 0.90, "(fraction)");
    c.range("targets.cardioplegia_crystalloid_ml", t.cardioplegia_crystalloid_ml, 0.0, 5000.0, "mL");
    c.range("targets.arterial_line_max_mmhg", t.arterial_line_max_mmhg, 50.0, 1000.0, "mmHg");
    c.range("targets.venous_line_min_mmhg", t.venous_line_min_mmhg, -300.0, 0.0, "mmHg");
    c.range("targets.map_min_mmhg", t.map_min_mmhg, 20.0, 120.0, "mmHg");
    if c.range("targets.map_max_mmhg", t.map_max_mmhg, 30.0, 150.0, "mmHg") && t.map_max_mmhg <= t.map_min_mmhg {
        c.error("targets.map_max_mmhg", "map_max_mmhg is not above map_min_mmhg", Some("e.g. 50 to 80 mmHg".into()));
    }
    c.range("targets.svo2_min", t.svo2_min, 0.30, 0.95, "(fraction)");
    c.range("targets.do2i_min_ml_min_m2", t.do2i_min_ml_min_m2, 100.0, 600.0, "mL/min/m²");
    c.range("targets.cannula_dp_max_mmhg", t.cannula_dp_max_mmhg, 10.0, 500.0, "mmHg");
    c.range("targets.membrane_dp_max_mmhg", t.membrane_dp_max_mmhg, 5.0, 500.0, "mmHg");
    c.range("targets.outlet_temp_max_c", t.outlet_temp_max_c, 30.0, 42.0, "°C");
    c.range("targets.temp_gradient_max_c", t.temp_gradient_max_c, 1.0, 30.0, "°C");
    c.range("targets.warm_temp_gradient_max_c", t.warm_temp_gradient_max_c, 1.0, 30.0, "°C");
    for (i, (temp_c, fraction)) in t.temperature_scaling.iter().enumerate() {
        c.range(&format!("targets.temperature_scaling[{i}].0"), *temp_c, 10.0, 40.0, "°C");
        c.range(&format!("targets.temperature_scaling[{i}].1"), *fraction, 0.2, 1.5, "(fraction of the 37 °C target)");
    }
    if t.temperature_scaling.len() > MAX_SCALING_POINTS {
        c.error(
            "targets.temperature_scaling",
            format!("{} points; at most {MAX_SCALING_POINTS}", t.temperature_scaling.len()),
            Some("a few points with straight lines between them describe the rule".into()),
        );
    } else if t.temperature_scaling.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
        c.error(
            "targets.temperature_scaling",
            "the points are not in order of temperature",
            Some("list them from the coldest to the warmest, each temperature once, e.g. [(20.0, 0.5), (32.0, 0.75), (37.0, 1.0)]".into()),
        );
    }
}

fn check_required(
    c: &mut Checker,
    required: &[CatalogId],
    forbidden: &[CatalogId],
    kit: &[(CatalogId, KitAmount)],
    catalog: &Catalog,
) {
    // Sets, not searches of the lists: a file of 90,000 entries stays linear.
    let in_kit: BTreeSet<&CatalogId> = kit.iter().map(|(id, _)| id).collect();
    let is_required: BTreeSet<&CatalogId> = required.iter().collect();
    for (field, ids) in [("required", required), ("forbidden", forbidden)] {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.iter().enumerate() {
            let at = format!("{field}[{i}]");
            if !seen.insert(id) {
                c.error(&at, format!("\"{id}\" is listed twice"), Some("remove one".into()));
            } else if catalog.entry(id).is_none() {
                let hint = c.listing().then(|| catalog.nearest_hint(id.as_str()));
                c.error(&at, format!("unknown part \"{id}\""), hint);
            } else if field == "required" && !in_kit.contains(id) {
                c.error(&at, format!("\"{id}\" is required but not in the kit"), Some("add it to the kit".into()));
            } else if field == "forbidden" && is_required.contains(id) {
                c.error(&at, format!("\"{id}\" is both required and forbidden"), Some("keep one".into()));
            }
        }
    }
}

fn check_rules(c: &mut Checker, rules: &[super::RuleSetting]) {
    let mut rules_seen = std::collections::HashSet::new();
    for (i, setting) in rules.iter().enumerate() {
        let well_formed = setting.rule.split('.').all(|word| {
            !word.is_empty() && word.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        });
        if !well_formed {
            c.error(
                &format!("rules[{i}].rule"),
                format!("\"{}\" is not a rule id", setting.rule),
                Some("rule ids are words of lower-case letters, digits and _ joined by dots".into()),
            );
        }
        if well_formed && !crate::rules::is_rule(&setting.rule) {
            c.error(
                &format!("rules[{i}].rule"),
                format!("unknown rule \"{}\"", setting.rule),
                c.listing()
                    .then(|| crate::input::nearest_hint(&setting.rule, crate::rules::RULES.iter().map(|r| r.id))),
            );
        }
        // Sets of names seen, not a search of the earlier entries: a file of 90,000 entries stays linear.
        if !rules_seen.insert(setting.rule.as_str()) {
            c.error(
                &format!("rules[{i}].rule"),
                format!("\"{}\" is set twice", setting.rule),
                Some("give each rule one entry, with all its settings".into()),
            );
        }
        let mut params_seen = std::collections::HashSet::new();
        for (j, (name, value)) in setting.params.iter().enumerate() {
            let at = format!("rules[{i}].params[{j}]");
            match crate::rules::params_of(&setting.rule).find(|p| p.name == name) {
                Some(param) => {
                    c.range(&at, *value, param.min, param.max, param.unit);
                }
                None if well_formed && crate::rules::is_rule(&setting.rule) => {
                    let known: Vec<&str> = crate::rules::params_of(&setting.rule).map(|p| p.name).collect();
                    let elsewhere = crate::rules::RULE_PARAMS.iter().find(|p| p.name == name);
                    let mut hints = Vec::new();
                    if known.is_empty() {
                        hints.push(match crate::rules::targets_read_by(&setting.rule) {
                            Some(fields) => format!("{} takes no parameters: it reads {fields}", setting.rule),
                            None => format!("{} takes no parameters", setting.rule),
                        });
                    } else {
                        hints.push(crate::input::nearest_hint(name, known.iter().copied()));
                    }
                    if let Some(other) = elsewhere {
                        hints.push(format!("\"{name}\" is a parameter of {}", other.rule));
                    }
                    let hint = hints.join("; ");
                    c.error(&at, format!("\"{name}\" is not a parameter of {}", setting.rule), Some(hint));
                }
                None => {}
            }
            if !params_seen.insert(name.as_str()) {
                c.error(&at, format!("parameter \"{name}\" is set twice"), None);
            }
        }
    }
}

/// Longest scenario run a fault may be scheduled in: a day of model time.
const MAX_FAULT_TIME_S: f64 = 86_400.0;
/// Most actions a fault's expected response may list: a drill's response is a handful of steps.
const MAX_EXPECTED: usize = 16;

fn check_faults(c: &mut Checker, faults: &[super::Fault]) {
    for (i, fault) in faults.iter().enumerate() {
        let at = format!("faults[{i}]");
        c.range(&format!("{at}.at_s"), fault.at_s, 0.0, MAX_FAULT_TIME_S, "s");
        let kind = format!("{at}.kind");
        match fault.kind {
            FaultKind::OxygenatorFailure { transfer_fraction, resistance_factor } => {
                c.range(&format!("{kind}.transfer_fraction"), transfer_fraction, 0.0, 1.0, "");
                c.range(&format!("{kind}.resistance_factor"), resistance_factor, 1.0, 100.0, "");
            }
            FaultKind::PumpPowerLoss { duration_s } => {
                c.range(&format!("{kind}.duration_s"), duration_s, 0.0, 3600.0, "s");
            }
            FaultKind::AirEntry { ml_per_min, .. } => {
                c.range(&format!("{kind}.ml_per_min"), ml_per_min, 0.0, 1000.0, "mL/min");
            }
            FaultKind::LineKink { open_fraction, .. } => {
                c.range(&format!("{kind}.open_fraction"), open_fraction, 0.0, 1.0, "");
            }
            FaultKind::VenousDisconnection
            | FaultKind::Disconnection { .. }
            | FaultKind::Decannulation { .. }
            | FaultKind::GasSupplyFailure
            | FaultKind::PortOpen { .. } => {}
            FaultKind::Leak { ml_per_min, .. } | FaultKind::PatientBleeding { ml_per_min } => {
                c.range(&format!("{kind}.ml_per_min"), ml_per_min, 0.0, 5000.0, "mL/min");
            }
            FaultKind::HeaterCoolerFailure { water_temp_c } => {
                if let Some(t) = water_temp_c {
                    c.range(&format!("{kind}.water_temp_c"), t, 0.0, 60.0, "°C");
                }
            }
            FaultKind::Clot { resistance_factor, .. } => {
                c.range(&format!("{kind}.resistance_factor"), resistance_factor, 1.0, 100.0, "");
            }
            FaultKind::PumpSpeedSurge { factor } => {
                c.range(&format!("{kind}.factor"), factor, 1.0, 3.0, "");
            }
            FaultKind::CannulaMalposition { factor } => {
                c.range(&format!("{kind}.factor"), factor, 1.0, 10.0, "");
            }
            FaultKind::HighSvr { factor } => {
                c.range(&format!("{kind}.factor"), factor, 1.0, 10.0, "");
            }
        }
        let lists = [("expect", fault.expect.as_deref().unwrap_or(&[])), ("also_expect", &fault.also_expect[..])];
        for (field, list) in lists {
            if list.len() > MAX_EXPECTED {
                c.error(
                    &format!("{at}.{field}"),
                    format!("{} actions", list.len()),
                    Some(format!("list at most {MAX_EXPECTED}")),
                );
            }
            for (j, expected) in list.iter().enumerate().take(MAX_EXPECTED) {
                c.range(&format!("{at}.{field}[{j}].within_s"), expected.within_s, 1.0, MAX_FAULT_TIME_S, "s");
            }
        }
    }
}

fn check_scoring(c: &mut Checker, s: &super::ScoringWeights) {
    let weights = [
        ("critical_findings", s.critical_findings),
        ("assembly_time", s.assembly_time),
        ("alarm_response", s.alarm_response),
        ("time_in_targets", s.time_in_targets),
        ("prime_volume", s.prime_volume),
        ("fault_response", s.fault_response),
    ];
    let mut all_in_range = true;
    for (name, weight) in weights {
        all_in_range &= c.range(&format!("scoring.{name}"), weight, 0.0, 1000.0, "");
    }
    if all_in_range && weights.iter().map(|(_, w)| w).sum::<f64>() <= 0.0 {
        c.error("scoring", "every weight is zero", Some("give at least one component a weight".into()));
    }
}

fn in_range(value: f64, min: f64, max: f64) -> bool {
    value.is_finite() && value >= min && value <= max
}

fn shown(value: f64) -> String {
    if value.is_nan() { "NaN".to_owned() } else { value.to_string() }
}
