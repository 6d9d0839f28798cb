//! The given cases (../shared/cases/README.md, copied into tests/cases/) that the product got wrong when tried as
//! users would, each run as its command and checked against what is right.

use super::support::{bin, repo_path};

/// The CSV `simulate` prints: the header and the rows.
struct Trend {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Trend {
    fn simulate(args: &[&str]) -> Trend {
        let output = bin().arg("simulate").args(args).current_dir(repo_path("")).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        let mut lines = text.lines().map(|l| l.split(',').map(str::to_owned).collect::<Vec<_>>());
        let header = lines.next().unwrap();
        Trend { header, rows: lines.collect() }
    }

    /// The values of the column whose heading starts with `heading`.
    fn column(&self, heading: &str) -> Vec<f64> {
        let index = self.header.iter().position(|h| h.starts_with(heading)).unwrap_or_else(|| panic!("{heading}"));
        self.rows.iter().map(|r| r[index].parse().unwrap()).collect()
    }

    /// Every column measured in mmHg.
    fn pressures(&self) -> Vec<f64> {
        let columns: Vec<&String> = self.header.iter().filter(|h| h.ends_with("(mmHg)")).collect();
        columns.iter().flat_map(|h| self.column(h)).collect()
    }

    fn alarms(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r.last().map_or("", String::as_str)).collect()
    }
}

const ADULT: &str = "scenarios/solutions/adult_cabg.ron";

/// envelope/pump_stop: the arterial pump stopped at 60 s with the venous line left open drained the patient to
/// −33.6 mmHg. Right: the veins collapse, and the patient's pressures stay at or just above 0 mmHg (§6.10).
#[test]
fn a_stopped_pump_with_the_venous_line_open_leaves_the_patient_at_zero_not_below() {
    let trend =
        Trend::simulate(&["adult_cabg", ADULT, "--minutes", "5", "--commands", "tests/cases/pump_stop.commands.ron"]);
    for heading in ["patient arterial pressure", "patient venous pressure"] {
        let values = trend.column(heading);
        let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(lowest >= 0.0, "{heading}: {lowest} mmHg");
        let last = values.last().copied().unwrap();
        assert!(last < 3.0, "{heading} drained to {last} mmHg by 5 min");
    }
}

/// envelope/reversed_roller: the arterial roller run backwards drew a line to −1062 mmHg and filled a 4000 mL
/// reservoir to 9861 mL. Right: nothing below −760 mmHg gauge, no reservoir past its capacity, the reversal alarmed.
#[test]
fn a_reversed_roller_stays_above_vacuum_and_the_reservoir_within_its_capacity() {
    let trend = Trend::simulate(&[
        "adult_cabg",
        ADULT,
        "--minutes",
        "2",
        "--commands",
        "tests/cases/reversed_roller.commands.ron",
    ]);
    let lowest = trend.pressures().into_iter().fold(f64::INFINITY, f64::min);
    assert!(lowest >= -760.0, "{lowest} mmHg");
    let fullest = trend.column("Hard-shell reservoir 1 volume").into_iter().fold(0.0, f64::max);
    assert!(fullest <= 4000.0, "{fullest} mL");
    assert!(trend.alarms().iter().skip(1).all(|a| a.contains("Reversed arterial flow")), "{:?}", trend.alarms());
    for heading in ["patient arterial pressure", "patient venous pressure"] {
        let lowest = trend.column(heading).into_iter().fold(f64::INFINITY, f64::min);
        assert!(lowest >= 0.0, "{heading}: {lowest} mmHg");
    }
}

/// envelope/reservoir_dry: with the level sensor unlinked the reservoir fell to −361 mL while the roller still
/// delivered blood. Right: a reservoir never goes below empty; emptied, its outlet draws air (seen by the bubble
/// detector, which stops the roller), and air to the patient is a column of the trend.
#[test]
fn a_reservoir_run_dry_stays_at_empty_and_its_outlet_draws_air() {
    let trend = Trend::simulate(&[
        "tests/cases/reservoir_dry.ron",
        "tests/cases/reservoir_dry.circuit.ron",
        "--minutes",
        "5",
        "--commands",
        "tests/cases/reservoir_dry.commands.ron",
    ]);
    let volumes = trend.column("Hard-shell reservoir 1 volume");
    let lowest = volumes.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(lowest >= -1.0, "{lowest} mL");
    assert!(volumes.last().copied().unwrap() < 5.0, "the reservoir emptied");
    assert!(trend.alarms().iter().any(|a| a.contains("Air at the bubble detector")), "the outlet drew air");
    let air = trend.column("air to patient");
    assert!(air.iter().all(|ml| (0.0..50.0).contains(ml)), "the linked detector stopped the roller: {air:?}");
}
