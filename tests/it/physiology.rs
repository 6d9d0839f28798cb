//! The model validation table (docs/model-validation.md): each physiological output against its published value and
//! source, within the stated tolerance. A row that fails here is a row the table may no longer print.

use super::sim::alarms::{at_target_flow, circuit_at_target_flow};
use super::sim::run;
use super::support::{catalog, scenario, solution};
use perfusion_trainer::circuit::{Circuit, Controls, Edit, PumpDirection};
use perfusion_trainer::ids::{PartId, PortRef};
use perfusion_trainer::priming::PrimingPlan;
use perfusion_trainer::scenario::Scenario;
use perfusion_trainer::sim::{Alarm, PATIENT_ARTERIAL, PATIENT_VENOUS, Simulation, TrendColumns, TrendKey};

/// The reference circuit of `id` at target flow, and a way to change its settings as the run goes.
struct Run {
    scenario: Scenario,
    circuit: Circuit,
    simulation: Simulation,
}

impl Run {
    fn at_target(id: &str) -> Self {
        let (circuit, simulation) = circuit_at_target_flow(id);
        let mut scenario = scenario(id);
        scenario.faults.clear();
        Self { scenario, circuit, simulation }
    }

    fn set(&mut self, edits: &[Edit]) {
        let catalog = catalog();
        for edit in edits {
            self.circuit.apply(&catalog, edit.clone()).unwrap();
            self.simulation.take_edit(edit, &self.scenario, &self.circuit, &catalog).unwrap();
        }
    }
}

fn pump(part: u32, rpm: f64) -> Edit {
    Edit::SetControls {
        part: PartId(part),
        controls: Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set: true },
    }
}

fn gas(part: u32, sweep_l_min: f64, fio2: f64) -> Edit {
    Edit::SetControls { part: PartId(part), controls: Controls::Gas { sweep_l_min, fio2 } }
}

fn sat(simulation: &Simulation, node: usize) -> f64 {
    simulation.node_blood(node).unwrap().sat
}

/// Row "VO2i on CPB": 56 ± 8 mL/min/m² [Hendrix-2019] (reference §6.5); the model's must lie within one SD.
/// Row "SvO2 at the DO2i threshold": at DO2i ≈ 272 [Ranucci-2005] the venous saturation is above the 65 % alarm
/// [Searles-2020], as O2ER 21 ± 3 % [Hendrix-2019] implies (SvO2 ≈ 79 %).
#[test]
fn oxygen_use_on_bypass_is_the_anaesthetised_patients() {
    let mut adult = Run::at_target("adult_cabg");
    run(&mut adult.simulation, 300.0);
    let bsa = adult.scenario.patient.bsa_m2();
    let vo2i = adult.simulation.vo2_ml_min() / bsa;
    assert!((48.0..=64.0).contains(&vo2i), "VO2i {vo2i:.1}");
    // Lower the flow until DO2i sits near 272.
    let rpm = adult.scenario.derived().target_flow_l_min * 1000.0 / 45.0 * 272.0 / adult.simulation.do2i_ml_min_m2();
    adult.set(&[pump(3, rpm)]);
    run(&mut adult.simulation, 300.0);
    let simulation = &adult.simulation;
    let do2i = simulation.do2i_ml_min_m2();
    let svo2 = sat(simulation, PATIENT_VENOUS);
    let o2er = simulation.vo2_ml_min() / bsa / do2i;
    assert!((255.0..=290.0).contains(&do2i), "DO2i {do2i:.0}");
    assert!(svo2 > 0.75 && (0.15..=0.27).contains(&o2er), "SvO2 {svo2:.3}, O2ER {o2er:.3}");
    assert!(!simulation.alarms().contains(&Alarm::Svo2Low), "{:?}", simulation.alarms());
}

/// Row "no flow": with the pump stopped the tissues extract no further than the critical extraction (69 %
/// [Sheep-VO2], §6.6): SvO2 stays above the floor it sets, and the unmet demand shows as a rising lactate.
#[test]
fn without_flow_svo2_keeps_its_extraction_floor_and_lactate_rises() {
    let mut adult = Run::at_target("adult_cabg");
    run(&mut adult.simulation, 120.0);
    let sao2 = sat(&adult.simulation, PATIENT_ARTERIAL);
    adult.set(&[pump(3, 0.0)]);
    run(&mut adult.simulation, 600.0);
    let simulation = &adult.simulation;
    let svo2 = sat(simulation, PATIENT_VENOUS);
    assert!(svo2 > 0.25 && svo2 >= (1.0 - 0.694) * sao2 - 0.02, "SvO2 {svo2:.3} (SaO2 {sao2:.3})");
    let lactate = simulation.lactate_mmol_l();
    assert!(lactate > 3.0 && simulation.oxygen_debt_ml() > 500.0, "lactate {lactate:.2}");
}

/// Row "Hct at go-on": the monitor agrees with `prime`'s plan within 2 % (reference §6.4 [Terumo-Hct]) once the
/// circuit's wet prime has mixed (for the neonate, once cardioplegia has washed the set's prime in).
#[test]
fn the_monitor_at_go_on_agrees_with_the_priming_plan() {
    let catalog = catalog();
    // The neonate's recirculation line and connectors keep a few millilitres of prime out of the mixing: 4 %.
    for (id, cardioplegia, tolerance) in
        [("adult_cabg", None, 0.02), ("neonate_arterial_switch", Some(pump(14, 8.0)), 0.04)]
    {
        let scenario = scenario(id);
        let plan = PrimingPlan::new(&scenario, &solution(id), &catalog);
        let mut go_on = Run::at_target(id);
        go_on.set(&cardioplegia.into_iter().collect::<Vec<_>>());
        run(&mut go_on.simulation, 1200.0);
        let hct = go_on.simulation.hct();
        let off = (hct / plan.hct_with_blood - 1.0).abs();
        assert!(off < tolerance, "{id}: monitor Hct {hct:.3}, plan {:.3}", plan.hct_with_blood);
    }
}

/// Row "PaCO2 at the usual sweep": adult at gas:blood 0.65 [Searles-2020] and neonate at 1:1 [Trilly-IFU] both in
/// 35–45 mmHg (§6.7); Row "PaCO2 vs sweep": ×5 sweep lowers PaCO2 2.2-fold [MSE-sweep] (§2.3), within 30 %.
#[test]
fn co2_follows_sweep_blood_flow_and_membrane_size() {
    let paco2 = |id: &str, oxygenator: u32, ratio: f64, fio2: f64| {
        let mut go_on = Run::at_target(id);
        let flow = go_on.scenario.derived().target_flow_l_min;
        go_on.set(&[gas(oxygenator, ratio * flow, fio2)]);
        run(&mut go_on.simulation, 1800.0);
        go_on.simulation.node_blood(PATIENT_ARTERIAL).unwrap().pco2_mmhg
    };
    let adult = paco2("adult_cabg", 6, 0.65, 0.6);
    let neonate = paco2("neonate_arterial_switch", 6, 1.0, 0.5);
    assert!(
        (35.0..=45.0).contains(&adult) && (35.0..=45.0).contains(&neonate),
        "adult {adult:.1}, neonate {neonate:.1}"
    );
    let low = paco2("adult_cabg", 6, 0.4, 0.6);
    let high = paco2("adult_cabg", 6, 2.0, 0.6);
    let ratio = low / high;
    assert!((1.54..=2.86).contains(&ratio), "sweep ×5: PaCO2 {low:.1} → {high:.1}, ratio {ratio:.2}");
}

/// A membrane cannot add more oxygen than its sweep brings: at 0.2 L/min of 60 % oxygen (120 mL/min) for the adult's
/// blood flow the arterial saturation falls far below what 1:1 gives, whatever the device's rating.
#[test]
fn oxygenation_is_limited_by_the_oxygen_the_sweep_brings() {
    let arterial_sat = |sweep_l_min: f64| {
        let mut go_on = Run::at_target("adult_cabg");
        go_on.set(&[gas(6, sweep_l_min, 0.6)]);
        run(&mut go_on.simulation, 600.0);
        sat(&go_on.simulation, PATIENT_ARTERIAL)
    };
    let (starved, served) = (arterial_sat(0.2), arterial_sat(4.7));
    assert!(served > 0.98, "at 1:1 the blood leaves saturated: {served:.3}");
    assert!(starved < 0.9, "60 mL/min of uptake cannot saturate 4.7 L/min of blood: {starved:.3}");
}

/// The VV case's commands: the dual-lumen circuit's centrifugal pump (part 3) at `rpm`.
fn vv_at(rpm: f64, minutes: f64) -> Simulation {
    let catalog = catalog();
    let scenario = scenario("adult_vv_ecmo");
    let mut circuit = solution("adult_vv_ecmo");
    let controls = Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set: false };
    circuit.apply(&catalog, Edit::SetControls { part: PartId(3), controls }).unwrap();
    let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
    run(&mut simulation, minutes * 60.0);
    simulation
}

/// Row "VV SaO2 vs ECMO share": SaO2 rises with the ECMO share of cardiac output, > 90 % above 60 % [resus-VV];
/// Row "recirculation": R = (SpreO2 − SvO2)/(SpostO2 − SvO2) [Recirc-formula] rises with flow, 7.7 % at 3 L/min and
/// 33.6 % at 5 L/min [Recirc-CFD] (§2.3), within 5 points.
#[test]
fn vv_ecmo_oxygenates_by_its_share_of_cardiac_output_less_recirculation() {
    let native_l_min = scenario("adult_vv_ecmo").physiology.native_output_l_min;
    let mut last_sao2 = 0.0;
    let mut points = Vec::new();
    for rpm in [1500.0, 2000.0, 2500.0, 3000.0, 3500.0] {
        let s = vv_at(rpm, 6.0);
        let flow = s.part_flow_l_min(PartId(3)).unwrap();
        let sao2 = sat(&s, PATIENT_ARTERIAL);
        let pre = s.port_blood(&PortRef::new(PartId(3), "inlet")).unwrap().sat;
        let post = s.port_blood(&PortRef::new(PartId(6), "arterial_outlet")).unwrap().sat;
        let svo2 = sat(&s, PATIENT_VENOUS);
        let recirculation = (pre - svo2) / (post - svo2);
        points.push((flow, sao2, recirculation));
        assert!(sao2 > last_sao2, "SaO2 rises with flow: {points:?}");
        last_sao2 = sao2;
        if flow / native_l_min > 0.6 {
            assert!(sao2 > 0.90, "share {:.2}: SaO2 {sao2:.3}", flow / native_l_min);
        }
        let expected = (0.077 + 0.1295 * (flow - 3.0)).clamp(0.0, 0.9);
        assert!((recirculation - expected).abs() < 0.05, "{flow:.2} L/min: R {recirculation:.3} vs {expected:.3}");
    }
}

/// Row "differential hypoxia": peripheral VA ECMO with a recovering heart and failing lungs gives the upper body
/// the lungs' blood and the lower body the circuit's (North–South, [Harlequin] §2.2); both are trend columns.
#[test]
fn peripheral_va_ecmo_shows_differential_hypoxia() {
    let catalog = catalog();
    let mut scenario = scenario("adult_va_ecmo");
    scenario.physiology.native_output_l_min = 4.0;
    scenario.physiology.native_lung_sao2 = 0.70;
    let id = "adult_va_ecmo";
    let mut circuit = solution(id);
    let controls = Controls::Pump { rpm: 3000.0, direction: PumpDirection::Forward, occlusion_set: false };
    let pump = circuit.parts().find(|p| matches!(p.controls, Controls::Pump { .. })).unwrap().id;
    circuit.apply(&catalog, Edit::SetControls { part: pump, controls }).unwrap();
    let mut simulation = Simulation::new(&scenario, &circuit, &catalog);
    run(&mut simulation, 300.0);
    let lower = simulation.network().lower_body;
    let (upper_sat, lower_sat) = (sat(&simulation, PATIENT_ARTERIAL), sat(&simulation, lower));
    assert!(upper_sat < 0.92 && lower_sat > upper_sat + 0.05, "right radial {upper_sat:.3}, lower body {lower_sat:.3}");
    let columns = TrendColumns::new(&simulation, &circuit, &catalog);
    let names: Vec<String> = columns.columns().map(|c| c.name.clone()).collect();
    assert!(names.contains(&"SaO2 right radial".to_owned()) && names.contains(&"SaO2 lower body".to_owned()));
    // Central cannulation (CPB) keeps one arterial saturation.
    let cpb = at_target_flow("adult_cabg");
    let keys: Vec<TrendKey> =
        TrendColumns::new(&cpb, &solution("adult_cabg"), &catalog).columns().map(|c| c.key).collect();
    assert!(!keys.contains(&TrendKey::PatientSao2LowerBody) && keys.contains(&TrendKey::Lactate));
}

/// Row "SVR with cooling": resistance follows the blood's viscosity (§7.2), rising as the patient cools: at fixed
/// rpm a centrifugal pump's flow fell 15–20 % during cooling [Nishida-1998] (§7.1); here the roller holds flow and
/// (MAP − CVP) / flow rises by 5–35 % as the patient cools below 35 °C.
/// Row "targets with temperature": cooled, CI 2.0 meets the scaled target (1.8 of 2.4 hypothermic [ANZ-survey]
/// §6.3; 1.6 at 28 °C): no "flow below target".
#[test]
fn cooling_raises_svr_and_lowers_the_flow_target() {
    let mut adult = Run::at_target("adult_cabg");
    run(&mut adult.simulation, 120.0);
    let resistance = |s: &Simulation| {
        (s.node_pressure_mmhg(PATIENT_ARTERIAL) - s.node_pressure_mmhg(PATIENT_VENOUS)) / s.systemic_flow_l_min()
    };
    let warm = resistance(&adult.simulation);
    let water = Edit::SetControls { part: PartId(12), controls: Controls::Water { temp_c: 25.0 } };
    // A sucker returns the shed blood (20 mL/min) so the reservoir keeps its level through the hour.
    adult.set(&[water, pump(19, 3.0)]);
    run(&mut adult.simulation, 900.0);
    let temp = adult.simulation.body_temp_c();
    let outlet = adult.simulation.port_blood(&PortRef::new(PartId(6), "arterial_outlet")).unwrap().temp_c;
    assert!(temp < 35.0, "body {temp:.1} °C, outlet {outlet:.1} °C");
    let rise = resistance(&adult.simulation) / warm - 1.0;
    assert!((0.05..=0.35).contains(&rise), "SVR +{:.0} % at {temp:.1} °C", rise * 100.0);
    // CI 2.0 at 28 °C: 2.0 × BSA L/min.
    let rpm = 2.0 * adult.scenario.patient.bsa_m2() * 1000.0 / 45.0;
    adult.set(&[pump(3, rpm)]);
    run(&mut adult.simulation, 10.0);
    let alarms = adult.simulation.alarms();
    assert!(!alarms.contains(&Alarm::FlowBelowTarget), "{alarms:?}");
    assert!((adult.scenario.targets.scale_at(28.0) - 2.0 / 3.0).abs() < 1e-9);
}

/// A neonate whose scenario leaves physiology out gets a neonate's SVR (a constant SVR index), not an adult's.
#[test]
fn physiology_defaults_follow_the_patients_size() {
    let scenario = scenario("neonate_arterial_switch");
    let mut defaulted = scenario.clone();
    defaulted.physiology.svr_dyn_s_cm5 = None;
    let svr = defaulted.svr_dyn_s_cm5();
    assert!((svr - 1000.0 * 1.9 / scenario.patient.bsa_m2()).abs() < 1e-6 && svr > 8000.0, "{svr}");
}
