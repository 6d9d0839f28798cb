//! What a trainee is expected to do when a fault fires: each fault kind's documented response from the reference's
//! drills (§8), as actions by their role in the circuit with the model time they are due within, and the actions
//! that make the fault worse. A scenario may replace a fault's expected response or add to it
//! (docs/scenario-format.md, "Faults"). The times are teaching choices: §8 gives the order of the actions, not
//! their deadlines.

use super::{DeviceRole, FaultKind, LineRole, Procedure};
use serde::{Deserialize, Serialize};

/// An action the trainee may take in answer to a fault, named by what it acts on, not by part ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    /// The fault itself put right with the intervention it needs: the kink straightened, the line reconnected, the
    /// air entry sealed, the failed part replaced.
    PutRight,
    /// The arterial pump run again after it stopped (restart, battery, hand crank).
    RestartArterialPump,
    /// The arterial pump slowed or stopped (its speed set lower).
    SlowArterialPump,
    /// The arterial pump's speed raised.
    SpeedUpArterialPump,
    /// A tube of the line clamped.
    ClampLine(LineRole),
    /// More oxygen offered at the oxygenator: FiO2 or sweep raised.
    RaiseOxygen,
    /// A vasodilator given.
    GiveVasodilator,
    /// A vasopressor given.
    GiveVasopressor,
    /// Volume added: crystalloid, albumin or blood.
    AddVolume,
}

impl Response {
    /// The action in words, for the checklist ("Slow the arterial pump").
    pub fn describe(self) -> String {
        let line = |line: LineRole| match line {
            LineRole::Venous => "venous",
            LineRole::Arterial => "arterial",
        };
        match self {
            Response::PutRight => "Put the fault right".to_owned(),
            Response::RestartArterialPump => "Restart the arterial pump (restart, battery, hand crank)".to_owned(),
            Response::SlowArterialPump => "Slow or stop the arterial pump".to_owned(),
            Response::SpeedUpArterialPump => "Speed up the arterial pump".to_owned(),
            Response::ClampLine(l) => format!("Clamp the {} line", line(l)),
            Response::RaiseOxygen => "Check the gas: raise FiO2 or sweep".to_owned(),
            Response::GiveVasodilator => "Give a vasodilator".to_owned(),
            Response::GiveVasopressor => "Give a vasopressor".to_owned(),
            Response::AddVolume => "Add volume to the circuit".to_owned(),
        }
    }
}

/// One expected action and the model time after the fault it is due within, s.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub response: Response,
    pub within_s: f64,
}

const fn expect(response: Response, within_s: f64) -> Expected {
    Expected { response, within_s }
}

/// How the fault's own remedy is named in the checklist, by kind.
pub fn remedy(kind: &FaultKind) -> &'static str {
    match kind {
        FaultKind::OxygenatorFailure { .. } => {
            "Change out the oxygenator (isolate it: pump stopped, clamped both sides)"
        }
        FaultKind::PumpPowerLoss { .. } => "Restore the arterial pump",
        FaultKind::AirEntry { .. } => "Find and seal where the air enters",
        FaultKind::LineKink { .. } => "Find and straighten the kink",
        FaultKind::VenousDisconnection => "Reconnect the venous line",
        FaultKind::HighSvr { .. } => "Bring the resistance down",
        FaultKind::Disconnection { .. } => "Reconnect the line",
        FaultKind::Decannulation { .. } => "Have the cannula replaced (recannulate)",
        FaultKind::Leak { .. } => "Change out the leaking device (isolate it first)",
        FaultKind::PatientBleeding { .. } => "Have the bleeding controlled",
        FaultKind::HeaterCoolerFailure { .. } => "Change to the back-up heater-cooler",
        FaultKind::GasSupplyFailure => "Change to the back-up gas supply",
        FaultKind::PortOpen { .. } => "Find and close the open port",
        FaultKind::Clot { .. } => "Change out the clotted device (isolate it first)",
        FaultKind::PumpSpeedSurge { .. } => "Change to the spare pump (isolate the surging one first)",
        FaultKind::CannulaMalposition { .. } => "Have the cannula repositioned",
    }
}

impl FaultKind {
    /// The response the reference's drills (§8) expect, in the order they are due. Deadlines: UNSOURCED teaching
    /// choices (the drills give the actions and their order, not their times): what must stop harm at once within
    /// 30 s, a cause found within 1–2 min, a device change within 15 min.
    pub fn expected_response(&self, procedure: Procedure) -> Vec<Expected> {
        use Response::*;
        match self {
            // ECMO: clamp the return first (a stopped centrifugal head lets blood run back), then the back-up drive
            // or hand crank (§8 [ELSO-panic-power] [reanimate-ECMO]).
            FaultKind::PumpPowerLoss { .. } if procedure != Procedure::Cpb => {
                vec![expect(ClampLine(LineRole::Arterial), 30.0), expect(RestartArterialPump, 60.0)]
            }
            // "Check gas supply first", then change out the oxygenator (§8 [Changeout-tip] [JECT-changeout]).
            FaultKind::OxygenatorFailure { .. } => vec![expect(RaiseOxygen, 120.0), expect(PutRight, 900.0)],
            // CPB: battery or hand crank at once; the pump must run again (§8 [Southland] [Handcrank-1987]).
            FaultKind::PumpPowerLoss { .. } => vec![expect(RestartArterialPump, 30.0)],
            // Venous air: slow the pump before the level falls, have the entry secured (§8 [reanimate-ECMO]).
            // Arterial air: stop the pump and clamp the line at once, then find the source (§8 [Mills-1980]).
            FaultKind::AirEntry { line: LineRole::Venous, .. } => {
                vec![expect(SlowArterialPump, 60.0), expect(PutRight, 120.0)]
            }
            FaultKind::AirEntry { line: LineRole::Arterial, .. } => vec![
                expect(SlowArterialPump, 10.0),
                expect(ClampLine(LineRole::Arterial), 30.0),
                expect(PutRight, 300.0),
            ],
            // Remove the kink (§8 "clamp left on / kinked arterial line"); a venous kink also means matching the
            // pump to the return that is left (§8 "low reservoir / low venous return").
            FaultKind::LineKink { line: LineRole::Arterial, .. } => vec![expect(PutRight, 60.0)],
            FaultKind::LineKink { line: LineRole::Venous, .. } => {
                vec![expect(SlowArterialPump, 60.0), expect(PutRight, 120.0)]
            }
            // Pre-pump disconnection: clamp proximal and distal, pump off, repair (§8 [reanimate-ECMO]).
            FaultKind::VenousDisconnection => {
                vec![expect(ClampLine(LineRole::Venous), 30.0), expect(SlowArterialPump, 30.0), expect(PutRight, 180.0)]
            }
            // MAP above 80: a vasodilator (§6.8 [EACTS-2019]).
            FaultKind::HighSvr { .. } => vec![expect(GiveVasodilator, 300.0)],
            FaultKind::Disconnection { line: LineRole::Venous } => {
                vec![expect(ClampLine(LineRole::Venous), 30.0), expect(SlowArterialPump, 30.0), expect(PutRight, 180.0)]
            }
            // Post-pump: haemorrhage. Pump off and clamp at once, then repair (§8 "line disconnection / rupture").
            FaultKind::Disconnection { line: LineRole::Arterial } => vec![
                expect(SlowArterialPump, 10.0),
                expect(ClampLine(LineRole::Arterial), 30.0),
                expect(PutRight, 180.0),
            ],
            // Immediate clamp-clamp, pump off, volume, then a fresh cannula (§8 [lifesupport-decann]
            // [reanimate-ECMO]).
            FaultKind::Decannulation { .. } => vec![
                expect(ClampLine(LineRole::Arterial), 15.0),
                expect(ClampLine(LineRole::Venous), 30.0),
                expect(SlowArterialPump, 15.0),
                expect(AddVolume, 300.0),
                expect(PutRight, 600.0),
            ],
            // Keep the volume up while the device is isolated and changed (§8 "line disconnection / rupture").
            FaultKind::Leak { .. } => vec![expect(AddVolume, 300.0), expect(PutRight, 900.0)],
            // The suckers return it; replace what is lost (§6.4 volume, §8 "low reservoir").
            FaultKind::PatientBleeding { .. } => vec![expect(AddVolume, 300.0), expect(PutRight, 900.0)],
            // Keep the temperature within the STS limits: change the unit (§8 [STS-temp]).
            FaultKind::HeaterCoolerFailure { .. } => vec![expect(PutRight, 300.0)],
            // Check the gas supply first (§8 [Changeout-tip]): the back-up cylinder.
            FaultKind::GasSupplyFailure => vec![expect(PutRight, 60.0)],
            FaultKind::PortOpen { .. } => vec![expect(PutRight, 60.0)],
            // A clotting membrane: gas first, then change it (§8 [SMJ-oxyfail]); any other device, change it.
            FaultKind::Clot { device: DeviceRole::Oxygenator, .. } => {
                vec![expect(RaiseOxygen, 120.0), expect(PutRight, 900.0)]
            }
            FaultKind::Clot { .. } => vec![expect(PutRight, 900.0)],
            // Slow it at once, then the spare pump (§8 [CP-failures]: "keep a spare roller pump").
            FaultKind::PumpSpeedSurge { .. } => vec![expect(SlowArterialPump, 30.0), expect(PutRight, 600.0)],
            // Recirculation or line pressure from a malpositioned cannula: reposition it (§8 [DeBois-2003]).
            FaultKind::CannulaMalposition { .. } => vec![expect(PutRight, 600.0)],
        }
    }

    /// Actions that make this fault worse, taken while it lasts: speeding the pump against a kink or an arterial
    /// air entry, cutting flow or giving a vasopressor for a high resistance (§6.8 [EACTS-2019]: "don't push > 80
    /// with pressors").
    pub fn harmful_responses(&self) -> Vec<Response> {
        use Response::*;
        match self {
            FaultKind::LineKink { .. }
            | FaultKind::AirEntry { .. }
            | FaultKind::VenousDisconnection
            | FaultKind::Disconnection { .. }
            | FaultKind::Decannulation { .. }
            | FaultKind::Leak { .. }
            | FaultKind::PortOpen { .. }
            | FaultKind::PumpSpeedSurge { .. } => vec![SpeedUpArterialPump],
            FaultKind::HighSvr { .. } => vec![SlowArterialPump, GiveVasopressor],
            FaultKind::OxygenatorFailure { .. }
            | FaultKind::PumpPowerLoss { .. }
            | FaultKind::PatientBleeding { .. }
            | FaultKind::HeaterCoolerFailure { .. }
            | FaultKind::GasSupplyFailure
            | FaultKind::Clot { .. }
            | FaultKind::CannulaMalposition { .. } => Vec::new(),
        }
    }
}
