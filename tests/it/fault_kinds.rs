//! Every fault kind on a bundled reference circuit at its target flow: it fires at its time, shows its physical
//! signs, its expected response (by the session's actions, as a trainee takes them) restores the patient, and doing
//! nothing does not.

use crate::support::{catalog, scenario, solution};
use perfusion_trainer::circuit::{Controls, Edit, PumpDirection};
use perfusion_trainer::ids::{PartId, TubeId};
use perfusion_trainer::scenario::{CannulaSite, DeviceRole, Fault, FaultKind, LineRole};
use perfusion_trainer::session::{Action, Session};
use perfusion_trainer::sim::{Drug, Fluid, Intervention, PATIENT_ARTERIAL, Simulation};

/// Model time the faults fire at, s: after the go-on transients have settled.
const FAULT_AT_S: f64 = 120.0;

/// The scenario's reference circuit with its arterial pump at the target-flow speed (and a sucker returning the
/// shed blood on CPB), on the scenario with only `kind` at `FAULT_AT_S`, run to just before the fault.
struct Drill {
    session: Session,
    clock_s: f64,
}

impl Drill {
    fn new(id: &str, kind: FaultKind) -> Self {
        let catalog = catalog();
        let mut drill_scenario = scenario(id);
        drill_scenario.faults = vec![Fault::new(FAULT_AT_S, kind)];
        let (pump, rpm, sucker) = match id {
            "adult_cabg" => (3, 105.0, Some(19)),
            "child_cpb" => (8, 67.0, Some(25)),
            "adult_va_ecmo" => (3, 2800.0, None),
            "adult_vv_ecmo" => (3, 2670.0, None),
            other => panic!("no drill set-up for {other}"),
        };
        let mut circuit = solution(id);
        let occlusion_set = sucker.is_some();
        let set = |rpm| Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set };
        circuit.apply(&catalog, Edit::SetControls { part: PartId(pump), controls: set(rpm) }).unwrap();
        if let Some(sucker) = sucker {
            circuit.apply(&catalog, Edit::SetControls { part: PartId(sucker), controls: set(10.0) }).unwrap();
        }
        let mut session = Session::with_circuit(drill_scenario, catalog, "drill", "", &circuit).unwrap();
        session.apply(Action::StartRun).unwrap();
        let mut drill = Drill { session, clock_s: 0.0 };
        drill.run(FAULT_AT_S - 15.0);
        drill
    }

    fn run(&mut self, seconds: f64) {
        self.clock_s += seconds;
        self.session.advance(self.clock_s, seconds).unwrap();
    }

    fn act(&mut self, action: Action) {
        self.session.apply(action.clone()).unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }

    fn edit(&mut self, edit: Edit) {
        self.act(Action::Edit(edit));
    }

    fn sim(&self) -> &Simulation {
        self.session.run().unwrap().simulation()
    }

    fn fired(&self) -> usize {
        self.sim().faults_fired().len()
    }
}

fn pump_rpm(part: u32, rpm: f64, occlusion_set: bool) -> Edit {
    Edit::SetControls {
        part: PartId(part),
        controls: Controls::Pump { rpm, direction: PumpDirection::Forward, occlusion_set },
    }
}

fn clamp(tube: u32, clamped: bool) -> Edit {
    Edit::SetClamp { tube: TubeId(tube), clamped }
}

/// Runs `kind` on `id`'s circuit: `sign` holds a moment after the fault; then a copy left alone fails `restored`
/// after `wait_s`, and one given `respond` passes it.
fn drill(
    id: &str,
    kind: FaultKind,
    sign: impl Fn(&Simulation) -> Result<(), String>,
    respond: impl Fn(&mut Drill),
    wait_s: f64,
    restored: impl Fn(&Simulation) -> Result<(), String>,
) {
    let mut drill = Drill::new(id, kind.clone());
    let before = drill.sim().clone();
    drill.run(14.0);
    assert_eq!(drill.fired(), 0, "{kind:?}: not before its time");
    drill.run(30.0);
    assert_eq!(drill.fired(), 1, "{kind:?}: fired");
    sign(drill.sim()).unwrap_or_else(|e| panic!("{kind:?} shows no sign: {e}"));
    assert!(sign(&before).is_err(), "{kind:?}: the sign is not there before the fault");
    let mut left_alone = Drill { session: drill.session.clone(), clock_s: drill.clock_s };
    left_alone.run(wait_s);
    assert!(restored(left_alone.sim()).is_err(), "{kind:?}: doing nothing does not restore the patient");
    respond(&mut drill);
    drill.run(wait_s);
    restored(drill.sim()).unwrap_or_else(|e| panic!("{kind:?}: the expected response does not restore: {e}"));
    assert!(drill.sim().faults_acting().is_empty() || matches!(kind, FaultKind::HighSvr { .. }));
}

fn check(ok: bool, what: String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what) }
}

fn outlet_po2(s: &Simulation) -> f64 {
    let node = s.network().port_node.get(&perfusion_trainer::ids::PortRef::new(PartId(6), "arterial_outlet")).copied();
    node.and_then(|n| s.node_blood(n)).map_or(0.0, |b| b.po2_mmhg)
}

fn map(s: &Simulation) -> f64 {
    s.node_pressure_mmhg(PATIENT_ARTERIAL)
}

fn pump_flow(s: &Simulation, part: u32) -> f64 {
    s.part_flow_l_min(PartId(part)).unwrap_or(0.0)
}

/// Blood lost to the room over the last `seconds` of a copy run on, mL.
fn losing(s: &Simulation, seconds: f64) -> f64 {
    let mut ahead = s.clone();
    let before = ahead.blood_lost_ml();
    while ahead.state().time_s < s.state().time_s + seconds {
        ahead.step().unwrap();
    }
    ahead.blood_lost_ml() - before
}

#[test]
fn a_failing_or_clotting_membrane_lowers_po2_and_a_change_out_restores_it() {
    let change_out = |d: &mut Drill| {
        d.edit(Edit::SetControls { part: PartId(6), controls: Controls::Gas { sweep_l_min: 2.8, fio2: 1.0 } });
        d.edit(pump_rpm(3, 0.0, true));
        d.edit(clamp(12, true));
        d.edit(clamp(14, true));
        d.run(20.0);
        d.act(Action::Intervene(Intervention::ReplacePart(PartId(6))));
        d.edit(Edit::SetControls { part: PartId(6), controls: Controls::Gas { sweep_l_min: 2.8, fio2: 0.6 } });
        d.edit(clamp(14, false));
        d.edit(clamp(12, false));
        d.edit(pump_rpm(3, 105.0, true));
    };
    for kind in [
        FaultKind::OxygenatorFailure { transfer_fraction: 0.4, resistance_factor: 2.0 },
        FaultKind::Clot { device: DeviceRole::Oxygenator, resistance_factor: 3.0 },
    ] {
        drill(
            "adult_cabg",
            kind,
            |s| check(outlet_po2(s) < 300.0, format!("outlet PO2 {:.0}", outlet_po2(s))),
            change_out,
            180.0,
            |s| check(outlet_po2(s) > 400.0, format!("outlet PO2 {:.0}", outlet_po2(s))),
        );
    }
}

#[test]
fn a_power_loss_stops_the_pump_until_it_is_cranked() {
    drill(
        "adult_cabg",
        FaultKind::PumpPowerLoss { duration_s: 0.0 },
        |s| check(pump_flow(s, 3) < 0.1, format!("flow {:.2}", pump_flow(s, 3))),
        |d| d.act(Action::RestartPump(PartId(3))),
        60.0,
        |s| check(pump_flow(s, 3) > 4.5, format!("flow {:.2}", pump_flow(s, 3))),
    );
}

#[test]
fn a_kinked_arterial_line_stops_the_roller_until_it_is_straightened() {
    drill(
        "child_cpb",
        FaultKind::LineKink { line: LineRole::Arterial, open_fraction: 0.2 },
        |s| check(s.is_stopped(PartId(8)), "the servo stopped the roller".into()),
        |d| {
            d.act(Action::Intervene(Intervention::Straighten(TubeId(14))));
            d.act(Action::RestartPump(PartId(8)));
        },
        60.0,
        |s| check(pump_flow(s, 8) > 1.7 && !s.is_stopped(PartId(8)), format!("flow {:.2}", pump_flow(s, 8))),
    );
}

#[test]
fn air_or_an_open_port_on_the_venous_line_shows_in_it_until_sealed() {
    let air_in_line = |s: &Simulation| {
        let air = s.tube_blood(TubeId(8)).map_or(0.0, |b| b.air);
        check(air > 0.001, format!("air share {air:.4} in the venous line"))
    };
    for kind in [
        FaultKind::AirEntry { line: LineRole::Venous, ml_per_min: 100.0 },
        FaultKind::PortOpen { line: LineRole::Venous },
    ] {
        drill(
            "adult_cabg",
            kind,
            air_in_line,
            |d| d.act(Action::Intervene(Intervention::SealAirEntry(TubeId(8)))),
            60.0,
            |s| match air_in_line(s) {
                Ok(()) => Err("air still in the line".into()),
                Err(_) => Ok(()),
            },
        );
    }
}

#[test]
fn a_line_come_apart_loses_blood_until_clamped_and_reconnected() {
    for (kind, line_tube) in [
        (FaultKind::VenousDisconnection, 8),
        (FaultKind::Disconnection { line: LineRole::Venous }, 8),
        (FaultKind::Disconnection { line: LineRole::Arterial }, 16),
    ] {
        drill(
            "adult_cabg",
            kind,
            |s| check(s.blood_lost_ml() > 20.0, format!("{:.1} mL lost", s.blood_lost_ml())),
            |d| {
                d.edit(pump_rpm(3, 0.0, true));
                d.edit(clamp(line_tube, true));
                d.act(Action::Intervene(Intervention::Reconnect(TubeId(line_tube))));
                d.edit(clamp(line_tube, false));
                d.edit(pump_rpm(3, 105.0, true));
                d.act(Action::Intervene(Intervention::AddFluid { fluid: Fluid::Crystalloid, volume_ml: 500.0 }));
            },
            60.0,
            |s| {
                let flow = pump_flow(s, 3);
                check(
                    losing(s, 10.0) < 0.5 && flow > 4.5,
                    format!("{:.1} mL lost in 10 s at {flow:.2} L/min", losing(s, 10.0)),
                )
            },
        );
    }
}

#[test]
fn a_high_svr_raises_the_map_until_a_vasodilator_acts() {
    drill(
        "adult_cabg",
        FaultKind::HighSvr { factor: 1.8 },
        |s| check(map(s) > 80.0, format!("MAP {:.0}", map(s))),
        |d| d.act(Action::Intervene(Intervention::GiveDrug { drug: Drug::GlycerylTrinitrate, dose_ug: 100.0 })),
        300.0,
        |s| check((50.0..=80.0).contains(&map(s)), format!("MAP {:.0}", map(s))),
    );
}

#[test]
fn a_decannulated_return_bleeds_out_until_clamped_and_recannulated() {
    drill(
        "adult_va_ecmo",
        FaultKind::Decannulation { cannula: CannulaSite::Return },
        // The pump empties the patient into the room: litres within half a minute (§8 [lifesupport-decann]).
        |s| check(s.blood_lost_ml() > 1000.0, format!("{:.0} mL lost", s.blood_lost_ml())),
        |d| {
            d.edit(clamp(8, true));
            d.edit(clamp(1, true));
            d.edit(pump_rpm(3, 0.0, false));
            d.act(Action::Intervene(Intervention::Recannulate(PartId(9))));
            d.act(Action::Intervene(Intervention::AddFluid { fluid: Fluid::PackedCells, volume_ml: 1000.0 }));
            d.edit(pump_rpm(3, 2800.0, false));
            d.edit(clamp(1, false));
            d.edit(clamp(8, false));
        },
        60.0,
        |s| check(losing(s, 10.0) < 1.0, format!("{:.1} mL lost in 10 s", losing(s, 10.0))),
    );
}

#[test]
fn a_leaking_oxygenator_loses_blood_until_changed_out() {
    drill(
        "adult_cabg",
        FaultKind::Leak { device: DeviceRole::Oxygenator, ml_per_min: 200.0 },
        |s| check(losing(s, 10.0) > 10.0, format!("{:.1} mL lost in 10 s", losing(s, 10.0))),
        |d| {
            d.edit(pump_rpm(3, 0.0, true));
            d.edit(clamp(12, true));
            d.edit(clamp(14, true));
            d.run(20.0);
            d.act(Action::Intervene(Intervention::ReplacePart(PartId(6))));
            d.edit(clamp(14, false));
            d.edit(clamp(12, false));
            d.edit(pump_rpm(3, 105.0, true));
        },
        60.0,
        |s| check(losing(s, 10.0) < 0.5, format!("{:.1} mL lost in 10 s", losing(s, 10.0))),
    );
}

#[test]
fn surgical_bleeding_fills_the_field_faster_than_the_sucker_clears_it_until_controlled() {
    let pool = |s: &Simulation| s.node_volume_ml(perfusion_trainer::sim::FIELD);
    drill(
        "adult_cabg",
        FaultKind::PatientBleeding { ml_per_min: 600.0 },
        |s| check(pool(s) > 50.0, format!("{:.0} mL in the field", pool(s))),
        |d| {
            d.act(Action::Intervene(Intervention::SurgicalHaemostasis));
            d.act(Action::Intervene(Intervention::AddFluid { fluid: Fluid::PackedCells, volume_ml: 300.0 }));
        },
        300.0,
        |s| {
            let flow = pump_flow(s, 3);
            check(
                pool(s) < 30.0 && flow > 4.5 && map(s) > 50.0,
                format!("{:.0} mL in the field, {flow:.2} L/min, MAP {:.0}", pool(s), map(s)),
            )
        },
    );
}

#[test]
fn an_overheating_heater_cooler_warms_the_blood_until_changed() {
    let outlet_temp = |s: &Simulation| {
        let node =
            s.network().port_node.get(&perfusion_trainer::ids::PortRef::new(PartId(6), "arterial_outlet")).copied();
        node.and_then(|n| s.node_blood(n)).map_or(0.0, |b| b.temp_c)
    };
    drill(
        "adult_cabg",
        FaultKind::HeaterCoolerFailure { water_temp_c: Some(42.0) },
        |s| check(outlet_temp(s) > 38.5, format!("outlet {:.1} °C", outlet_temp(s))),
        |d| d.act(Action::Intervene(Intervention::ReplacePart(PartId(12)))),
        120.0,
        |s| check(outlet_temp(s) < 37.6, format!("outlet {:.1} °C", outlet_temp(s))),
    );
}

#[test]
fn a_gas_supply_failure_lowers_pao2_until_the_back_up_cylinder() {
    let pao2 = |s: &Simulation| s.node_blood(PATIENT_ARTERIAL).map_or(0.0, |b| b.po2_mmhg);
    drill(
        "adult_cabg",
        FaultKind::GasSupplyFailure,
        |s| check(outlet_po2(s) < 150.0, format!("outlet PO2 {:.0}", outlet_po2(s))),
        |d| d.act(Action::Intervene(Intervention::BackupGas(PartId(6)))),
        120.0,
        |s| check(pao2(s) > 300.0, format!("PaO2 {:.0}", pao2(s))),
    );
}

#[test]
fn a_surging_centrifugal_pump_overflows_until_changed_for_the_spare() {
    drill(
        "adult_va_ecmo",
        FaultKind::PumpSpeedSurge { factor: 1.5 },
        |s| check(pump_flow(s, 3) > 5.2, format!("flow {:.2}", pump_flow(s, 3))),
        |d| {
            d.edit(pump_rpm(3, 0.0, false));
            d.edit(clamp(2, true));
            d.edit(clamp(3, true));
            d.run(5.0);
            d.act(Action::Intervene(Intervention::ReplacePart(PartId(3))));
            d.edit(clamp(3, false));
            d.edit(clamp(2, false));
            d.edit(pump_rpm(3, 2800.0, false));
        },
        60.0,
        |s| check((4.0..=4.9).contains(&pump_flow(s, 3)), format!("flow {:.2}", pump_flow(s, 3))),
    );
}

#[test]
fn a_malpositioned_vv_cannula_recirculates_until_repositioned() {
    let sao2 = |s: &Simulation| s.node_blood(PATIENT_ARTERIAL).map_or(0.0, |b| b.sat);
    drill(
        "adult_vv_ecmo",
        FaultKind::CannulaMalposition { factor: 3.0 },
        |s| check(sao2(s) < 0.97, format!("SaO2 {:.3}", sao2(s))),
        |d| d.act(Action::Intervene(Intervention::Reposition(PartId(1)))),
        120.0,
        |s| check(sao2(s) > 0.98, format!("SaO2 {:.3}", sao2(s))),
    );
}

/// Fluid given on ECMO (no reservoir: into the veins) dilutes the whole circulating blood, not one compartment:
/// 500 mL of crystalloid into an 85 kg patient's 6 L and the circuit's 0.6 L lowers the Hct by about 7 %.
#[test]
fn fluid_on_ecmo_dilutes_the_whole_circulation() {
    let mut drill = Drill::new("adult_va_ecmo", FaultKind::HighSvr { factor: 1.0 });
    let before = drill.sim().hct();
    drill.act(Action::Intervene(Intervention::AddFluid { fluid: Fluid::Crystalloid, volume_ml: 500.0 }));
    drill.run(120.0);
    let drop = 1.0 - drill.sim().hct() / before;
    assert!((0.04..0.10).contains(&drop), "Hct {before:.3} → {:.3} ({:.1} %)", drill.sim().hct(), drop * 100.0);
}
