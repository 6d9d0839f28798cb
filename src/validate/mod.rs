//! Assembly validation: the checks a senior perfusionist makes before going on bypass, each finding saying what
//! is wrong, why it matters for this patient (in their numbers), how to fix it, and which parts and tubes are
//! involved.
//!
//! `validate` is pure and deterministic and never fails, whatever the circuit. Rules live in families (one file
//! each); `RULES` lists every rule id with its severity and source, and docs/validation-rules.md documents them.
//! Scenarios switch rules off or set their parameters by id. Depends on `circuit`, `scenario`, `catalog`,
//! `priming`.

mod kit;
mod order;
mod patient_fit;
mod readiness;
mod safety;
mod sizing;
mod topology;

pub use crate::rules::{RULES, RuleInfo, Severity};

use crate::catalog::Catalog;
use crate::circuit::Circuit;
use crate::circuit::flow::{self, FlowGraph, Route};
use crate::ids::{PartId, TubeId};
use crate::scenario::{DerivedTargets, Scenario};
use serde::Serialize;

/// One problem with the assembly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable rule id ("order.oxygenator_before_pump").
    pub rule: &'static str,
    pub severity: Severity,
    /// One line: what is wrong.
    pub title: String,
    /// The clinical consequence, in this patient's numbers.
    pub why: String,
    /// How to put it right.
    pub fix: String,
    pub parts: Vec<PartId>,
    pub tubes: Vec<TubeId>,
}

/// What every rule family reads: the inputs and what is worked out from them once.
pub struct Context<'a> {
    pub scenario: &'a Scenario,
    pub circuit: &'a Circuit,
    pub catalog: &'a Catalog,
    pub derived: DerivedTargets,
    pub flow: FlowGraph,
    /// The route from a drainage cannula to a return cannula, when one exists.
    pub main_line: Option<Route>,
}

impl<'a> Context<'a> {
    fn new(scenario: &'a Scenario, circuit: &'a Circuit, catalog: &'a Catalog) -> Self {
        let flow = FlowGraph::new(circuit, catalog);
        let (drainage, returns) = flow::cannula_ports(circuit, catalog);
        let main_line = flow.main_route(circuit, &drainage, &returns);
        Self { scenario, circuit, catalog, derived: scenario.derived(), flow, main_line }
    }

    /// A rule parameter as the scenario sets it (`rules: [(rule: "...", params: [("name", value)])]`), or its
    /// default.
    pub fn param(&self, param: &crate::rules::RuleParam) -> f64 {
        self.scenario
            .rules
            .iter()
            .filter(|setting| setting.rule == param.rule)
            .flat_map(|setting| setting.params.iter())
            .find(|(name, _)| name == param.name)
            .map_or_else(
                || match param.default {
                    crate::rules::ParamDefault::Fixed(value) => value,
                    crate::rules::ParamDefault::Target(_, read) => read(&self.scenario.targets),
                },
                |(_, value)| *value,
            )
    }

    fn enabled(&self, rule: &str) -> bool {
        !self.scenario.rules.iter().any(|setting| setting.rule == rule && !setting.enabled)
    }

    pub fn label(&self, part: PartId) -> String {
        self.circuit.label(self.catalog, part)
    }

    /// The catalog name of a placed part ("Aortic cannula, 20 Fr (adult)").
    pub fn name(&self, part: PartId) -> String {
        self.circuit.part(part).map_or_else(|| self.label(part), |p| self.catalog.name_of(&p.catalog_id))
    }

    pub fn target_flow_l_min(&self) -> f64 {
        self.derived.target_flow_l_min
    }
}

/// Every finding for this circuit in this scenario, most severe first; rules the scenario switches off are left
/// out.
pub fn validate(scenario: &Scenario, circuit: &Circuit, catalog: &Catalog) -> Vec<Finding> {
    let context = Context::new(scenario, circuit, catalog);
    let mut findings = Vec::new();
    topology::check(&context, &mut findings);
    order::check(&context, &mut findings);
    safety::check(&context, &mut findings);
    sizing::check(&context, &mut findings);
    readiness::check(&context, &mut findings);
    patient_fit::check(&context, &mut findings);
    kit::check(&context, &mut findings);
    findings.retain(|finding| context.enabled(finding.rule));
    // The scenario's severities, where it sets one for a rule.
    for finding in &mut findings {
        if let Some(severity) =
            context.scenario.rules.iter().find(|s| s.rule == finding.rule).and_then(|setting| setting.severity)
        {
            finding.severity = severity;
        }
    }
    findings.sort_by(|a, b| {
        a.severity.cmp(&b.severity).then_with(|| a.rule.cmp(b.rule)).then_with(|| a.parts.cmp(&b.parts))
    });
    findings
}
