//! The bundled scenarios and their reference solutions: all load, the embedded copies match the files, each
//! solution fits its scenario's kit, and the derived figures match hand calculations.

use super::support::{catalog, repo_path, scenario, solution};
use perfusion_trainer::circuit::{CanvasPos, Circuit, Edit, PlacedPart, Tube};
use perfusion_trainer::ids::{CatalogId, PartId, PortRef, TubeId};
use perfusion_trainer::input::Source;
use perfusion_trainer::priming::PrimingPlan;
use perfusion_trainer::scenario::{KitAmount, Scenario, bundled_ids};
use std::collections::BTreeMap;

#[test]
fn every_scenario_file_is_bundled_and_the_embedded_copy_matches_it() {
    let catalog = catalog();
    let mut on_disk: Vec<String> = std::fs::read_dir(repo_path("scenarios"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "ron"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut bundled: Vec<String> = bundled_ids().map(str::to_owned).collect();
    bundled.sort();
    assert_eq!(on_disk, bundled);
    for id in bundled_ids() {
        let from_disk = Scenario::load(&repo_path(&format!("scenarios/{id}.ron")), &catalog).unwrap();
        assert_eq!(from_disk, scenario(id), "{id}");
    }
}

#[test]
fn each_solution_names_its_scenario_and_fits_the_kit() {
    let catalog = catalog();
    for id in bundled_ids() {
        let scenario = scenario(id);
        let path = repo_path(&format!("scenarios/solutions/{id}.ron"));
        let loaded = perfusion_trainer::circuit::file::load(&path, &catalog).unwrap();
        assert_eq!(loaded.scenario.as_deref(), Some(id));
        let circuit = loaded.circuit;

        let mut used_counts: BTreeMap<CatalogId, u32> = BTreeMap::new();
        for part in circuit.parts() {
            *used_counts.entry(part.catalog_id.clone()).or_default() += 1;
            let caps = u32::try_from(part.capped.len()).unwrap();
            *used_counts.entry(CatalogId::new("luer_cap")).or_default() += caps;
        }
        let mut used_lengths: BTreeMap<CatalogId, f64> = BTreeMap::new();
        for tube in circuit.tubes() {
            *used_lengths.entry(tube.tubing.clone()).or_default() += tube.length_m;
            if tube.clamped {
                *used_counts.entry(CatalogId::new("tubing_clamp")).or_default() += 1;
            }
        }
        for (part, used) in used_counts.iter().filter(|(_, used)| **used > 0) {
            let Some(KitAmount::Count(on_shelf)) = scenario.kit_amount(part) else {
                panic!("{id}: solution uses {part}, which is not in the kit");
            };
            assert!(*used <= on_shelf, "{id}: {used} × {part} used, {on_shelf} on the shelf");
        }
        for (tubing, used) in &used_lengths {
            let Some(KitAmount::LengthM(on_shelf)) = scenario.kit_amount(tubing) else {
                panic!("{id}: solution uses {tubing}, which is not in the kit");
            };
            assert!(*used <= on_shelf + 1e-9, "{id}: {used} m of {tubing} used, {on_shelf} m on the shelf");
        }
        for required in &scenario.required {
            assert!(circuit.parts().any(|p| &p.catalog_id == required), "{id}: required {required} missing");
        }
        for forbidden in &scenario.forbidden {
            assert!(!circuit.parts().any(|p| &p.catalog_id == forbidden), "{id}: forbidden {forbidden} present");
        }
    }
}

#[test]
fn each_solution_has_every_port_closed_and_bores_that_fit() {
    let catalog = catalog();
    for id in bundled_ids() {
        let circuit = solution(id);
        for part in circuit.parts() {
            let spec = catalog.part(&part.catalog_id).unwrap();
            for port in &spec.ports {
                let at = PortRef::new(part.id, port.name.clone());
                let closed = circuit.tube_on(&at).is_some() || part.capped.contains(&port.name);
                assert!(closed, "{id}: {} port {} is open", circuit.label(&catalog, part.id), port.name);
                if let Some(tube) = circuit.tube_on(&at) {
                    let tube_bore = catalog.tubing(&tube.tubing).unwrap().bore;
                    assert!(
                        port.bore.accepts(tube_bore),
                        "{id}: {tube_bore} tube on {} {}",
                        circuit.label(&catalog, part.id),
                        port.name
                    );
                }
            }
        }
    }
}

#[test]
fn adult_cabg_patient_figures_match_hand_calculation() {
    // Scenario: 65-year-old man, 80 kg, 175 cm, Hct 0.40, cardiac index 2.4.
    let derived = scenario("adult_cabg").derived();
    // Mosteller (adult, Auto): √(175 × 80 / 3600) = √3.88889 = 1.97203 m².
    assert!((derived.bsa_m2 - 1.97203).abs() < 1e-4, "{}", derived.bsa_m2);
    // Adult man 70 mL/kg × 80 kg = 5600 mL.
    assert!((derived.blood_volume_ml - 5600.0).abs() < 1e-9);
    // 2.4 × 1.97203 = 4.73287 L/min.
    assert!((derived.target_flow_l_min - 4.73287).abs() < 1e-4);
}

#[test]
fn neonate_prime_figures_match_hand_calculation() {
    // Neonate: 3.5 kg term, 6 days, Hct 0.48, 20 mL pre-bypass fluids, 15 mL cardioplegia crystalloid, min Hct 0.24.
    let catalog = catalog();
    let scenario = scenario("neonate_arterial_switch");
    // A hand-built piece of circuit: neonatal oxygenator (43 mL, like RX05 [BS-peds]), 2.0 m of 3/16" tubing
    // (17.8 mL/m) and 1.0 m of 1/4" (31.7 mL/m), §3.1: 43 + 35.6 + 31.7 = 110.3 mL.
    assert!((catalog.part(&CatalogId::new("oxygenator_neonatal")).unwrap().prime_ml - 43.0).abs() < 1e-12);
    let mut circuit = Circuit::new();
    let oxygenator = PartId(1);
    let part = PlacedPart::new(oxygenator, CatalogId::new("oxygenator_neonatal"), CanvasPos::default());
    circuit.apply(&catalog, Edit::AddPart(part)).unwrap();
    let cannula = PartId(2);
    let part = PlacedPart::new(cannula, CatalogId::new("arterial_10_fr"), CanvasPos::default());
    circuit.apply(&catalog, Edit::AddPart(part)).unwrap();
    let cannula_prime = catalog.part(&CatalogId::new("arterial_10_fr")).unwrap().prime_ml;
    for (id, tubing, length_m, to) in [(1, "tubing_3_16", 2.0, "connector"), (2, "tubing_1_4", 1.0, "venous_inlet")] {
        let tube = Tube {
            id: TubeId(id),
            from: PortRef::new(oxygenator, if id == 1 { "arterial_outlet" } else { "recirculation" }),
            to: PortRef::new(if id == 1 { cannula } else { oxygenator }, to),
            tubing: CatalogId::new(tubing),
            length_m,
            clamped: false,
        };
        circuit.apply(&catalog, Edit::Connect(tube)).unwrap();
    }
    let plan = PrimingPlan::new(&scenario, &circuit, &catalog);
    let prime = 110.3 + cannula_prime;
    assert!((plan.prime.total_ml - prime).abs() < 1e-9, "{}", plan.prime.total_ml);
    // BV = 85 × 3.5 = 297.5 mL. Total volume = 297.5 + 20 + prime + 15.
    let total = 297.5 + 20.0 + prime + 15.0;
    // Predicted Hct = 0.48 × 297.5 / total (= 142.8 / total).
    assert!((plan.predicted_hct - 142.8 / total).abs() < 1e-12);
    // Blood to reach 0.24 with Hct 0.60 blood: (0.24 × total − 142.8) / 0.60, or 0 if already above.
    let expected_blood = ((0.24 * total - 142.8) / 0.60).max(0.0);
    assert!((plan.blood_to_add_ml - expected_blood).abs() < 1e-9);
    assert!((plan.hct_with_blood - plan.predicted_hct.max(0.24)).abs() < 1e-9);
}

#[test]
fn the_neonate_needs_blood_in_the_prime_and_the_adult_does_not() {
    let catalog = catalog();
    let neonate =
        PrimingPlan::new(&scenario("neonate_arterial_switch"), &solution("neonate_arterial_switch"), &catalog);
    assert!(neonate.predicted_hct < 0.24 && neonate.blood_to_add_ml > 0.0, "{neonate:?}");
    let adult = PrimingPlan::new(&scenario("adult_cabg"), &solution("adult_cabg"), &catalog);
    assert!(adult.predicted_hct > 0.21 && adult.blood_to_add_ml.abs() < 1e-12, "{adult:?}");
}

#[test]
fn bundled_scenarios_report_problems_under_their_bundled_name() {
    let catalog = catalog();
    let text = std::fs::read_to_string(repo_path("scenarios/adult_cabg.ron")).unwrap();
    let broken = Source::new("scenarios/adult_cabg.ron", text.replacen("hct: 0.40", "hct: 40.0", 1));
    let diagnostics = Scenario::from_source(&broken, "adult_cabg", &catalog).unwrap_err().to_string();
    assert!(diagnostics.contains("patient.hct") && diagnostics.contains("write 0.40"), "{diagnostics}");
}
