//! `perfusion-trainer patient SCENARIO [--json]`: the patient and the targets derived from them.

use super::output;
use crate::patient::{Sex, blood_volume_ml_per_kg};
use crate::scenario::Scenario;
use serde_json::json;

pub fn run(scenario: &Scenario, as_json: bool) {
    let p = &scenario.patient;
    let d = scenario.derived();
    let ml_per_kg = blood_volume_ml_per_kg(p.blood_volume, p.age, p.sex, p.weight_kg);
    if as_json {
        output::json(&json!({
            "scenario": scenario.id,
            "title": scenario.title,
            "procedure": format!("{:?}", scenario.procedure),
            "patient": {
                "age_years": p.age.in_years(),
                "sex": match p.sex { Sex::Male => "male", Sex::Female => "female" },
                "weight_kg": p.weight_kg,
                "height_cm": p.height_cm,
                "hct": p.hct,
                "hb_g_dl": p.hb_g_dl,
                "target_temp_c": p.target_temp_c,
            },
            "bsa_formula": format!("{:?}", p.bsa_formula_used()),
            "bsa_m2": d.bsa_m2,
            "blood_volume_ml_per_kg": ml_per_kg,
            "blood_volume_ml": d.blood_volume_ml,
            "cardiac_index_l_min_m2": scenario.targets.cardiac_index_l_min_m2,
            "target_flow_l_min": d.target_flow_l_min,
            "max_prime_ml": d.max_prime_ml,
            "min_hct": d.min_hct,
            "max_clear_prime_for_min_hct_ml": d.max_clear_prime_for_min_hct_ml,
        }));
        return;
    }
    let limit = d.max_prime_ml.map_or_else(|| "none set".to_owned(), |ml| format!("{ml:.0} mL"));
    output::text(&format!(
        "{title}\n{procedure}\n\nPatient            {summary}\nTarget temperature {temp} °C\n\n\
         BSA                {bsa:.2} m² ({formula:?})\n\
         Blood volume       {bv:.0} mL ({ml_per_kg} mL/kg)\n\
         Target flow        {flow:.2} L/min (cardiac index {ci} L/min/m²)\n\
         Prime limit        {limit}\n\
         Minimum Hct        {min_hct:.0} % (a clear prime up to {clear:.0} mL keeps it)\n",
        title = scenario.title,
        procedure = scenario.procedure.label(),
        summary = scenario.patient_summary(),
        temp = p.target_temp_c,
        bsa = d.bsa_m2,
        formula = p.bsa_formula_used(),
        bv = d.blood_volume_ml,
        flow = d.target_flow_l_min,
        ci = scenario.targets.cardiac_index_l_min_m2,
        min_hct = d.min_hct * 100.0,
        clear = d.max_clear_prime_for_min_hct_ml,
    ));
}
