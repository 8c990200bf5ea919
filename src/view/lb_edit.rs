//! The load balancer edits: add an internal load balancer in a subnet, and add, replace or
//! remove its frontends, backend pools, health probes, load-balancing rules and outbound rules.
//! Renaming a part renames the references to it in the load balancer's rules. Each is a pure
//! change of a design copy; [`apply_edit`](super::edit::apply_edit) then refuses the result when
//! it adds validation errors (a part still used by a rule cannot be removed, say), with the
//! validator's message, so a rejected edit never reaches the design.

use crate::model::{
    BackendPool, Design, Frontend, HealthProbe, LoadBalancer, LoadBalancerOutboundRule,
    LoadBalancingRule,
};

use super::policy_edit::unused_name;
use super::toggles::free_address;

/// A part of a load balancer, by list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LbPart {
    Frontend,
    BackendPool,
    Probe,
    Rule,
    OutboundRule,
}

impl LbPart {
    /// The part's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            LbPart::Frontend => "frontend",
            LbPart::BackendPool => "backend pool",
            LbPart::Probe => "health probe",
            LbPart::Rule => "load-balancing rule",
            LbPart::OutboundRule => "outbound rule",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LoadBalancerEdit {
    /// A new internal load balancer with one frontend at a free address of `subnet`.
    Add { subnet: String },
    /// Replaces frontend `index` of load balancer `lb`, or appends when `index` is `None`.
    SetFrontend {
        lb: String,
        index: Option<usize>,
        frontend: Frontend,
    },
    SetPool {
        lb: String,
        index: Option<usize>,
        pool: BackendPool,
    },
    SetProbe {
        lb: String,
        index: Option<usize>,
        probe: HealthProbe,
    },
    SetRule {
        lb: String,
        index: Option<usize>,
        rule: LoadBalancingRule,
    },
    SetOutboundRule {
        lb: String,
        index: Option<usize>,
        rule: LoadBalancerOutboundRule,
    },
    /// Removes item `index` of the `part` list of `lb`.
    RemovePart {
        lb: String,
        part: LbPart,
        index: usize,
    },
}

fn lb_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut LoadBalancer, String> {
    design
        .load_balancers
        .iter_mut()
        .find(|lb| lb.name == name)
        .ok_or_else(|| format!("there is no load balancer named {name}"))
}

/// Puts `item` at `index` (or appends), returning the name it replaced.
fn set_at<T: Clone>(
    items: &mut Vec<T>,
    index: Option<usize>,
    item: &T,
    name: fn(&T) -> &str,
    what: &str,
) -> Result<Option<String>, String> {
    match index {
        Some(i) => {
            let slot = items
                .get_mut(i)
                .ok_or_else(|| format!("there is no such {what}"))?;
            let previous = name(slot).to_string();
            *slot = item.clone();
            Ok(Some(previous))
        }
        None => {
            items.push(item.clone());
            Ok(None)
        }
    }
}

/// Renames `from` to `to` in every reference `references` yields.
fn follow_rename<'a>(
    references: impl Iterator<Item = &'a mut String>,
    from: Option<String>,
    to: &str,
) {
    let Some(from) = from.filter(|from| from != to) else {
        return;
    };
    for reference in references.filter(|r| **r == from) {
        *reference = to.to_string();
    }
}

/// Applies `edit` to `design` in place.
pub fn apply_load_balancer_edit(
    design: &mut Design,
    edit: &LoadBalancerEdit,
) -> Result<(), String> {
    match edit {
        LoadBalancerEdit::Add { subnet } => {
            let private_ip = free_address(design, subnet)
                .ok_or_else(|| format!("{subnet} has no free address"))?;
            let taken: Vec<&str> = design
                .load_balancers
                .iter()
                .map(|lb| lb.name.as_str())
                .collect();
            let name = unused_name("ilb", &taken);
            design.load_balancers.push(LoadBalancer {
                name,
                frontends: vec![Frontend {
                    name: "frontend".to_string(),
                    subnet: Some(subnet.clone()),
                    private_ip: Some(private_ip),
                    public_ip: None,
                }],
                backend_pools: Vec::new(),
                probes: Vec::new(),
                rules: Vec::new(),
                outbound_rules: Vec::new(),
            });
        }
        LoadBalancerEdit::SetFrontend {
            lb,
            index,
            frontend,
        } => {
            let lb = lb_mut(design, lb)?;
            let from = set_at(&mut lb.frontends, *index, frontend, |f| &f.name, "frontend")?;
            let references = lb.rules.iter_mut().map(|r| &mut r.frontend).chain(
                lb.outbound_rules
                    .iter_mut()
                    .flat_map(|r| r.frontends.iter_mut()),
            );
            follow_rename(references, from, &frontend.name);
        }
        LoadBalancerEdit::SetPool { lb, index, pool } => {
            let lb = lb_mut(design, lb)?;
            let from = set_at(
                &mut lb.backend_pools,
                *index,
                pool,
                |p| &p.name,
                "backend pool",
            )?;
            let references = lb
                .rules
                .iter_mut()
                .map(|r| &mut r.backend_pool)
                .chain(lb.outbound_rules.iter_mut().map(|r| &mut r.backend_pool));
            follow_rename(references, from, &pool.name);
        }
        LoadBalancerEdit::SetProbe { lb, index, probe } => {
            let lb = lb_mut(design, lb)?;
            let from = set_at(&mut lb.probes, *index, probe, |p| &p.name, "probe")?;
            follow_rename(
                lb.rules.iter_mut().filter_map(|r| r.probe.as_mut()),
                from,
                &probe.name,
            );
        }
        LoadBalancerEdit::SetRule { lb, index, rule } => {
            set_at(
                &mut lb_mut(design, lb)?.rules,
                *index,
                rule,
                |r| &r.name,
                "rule",
            )?;
        }
        LoadBalancerEdit::SetOutboundRule { lb, index, rule } => {
            set_at(
                &mut lb_mut(design, lb)?.outbound_rules,
                *index,
                rule,
                |r| &r.name,
                "outbound rule",
            )?;
        }
        LoadBalancerEdit::RemovePart { lb, part, index } => {
            let lb = lb_mut(design, lb)?;
            let index = *index;
            let len = match part {
                LbPart::Frontend => lb.frontends.len(),
                LbPart::BackendPool => lb.backend_pools.len(),
                LbPart::Probe => lb.probes.len(),
                LbPart::Rule => lb.rules.len(),
                LbPart::OutboundRule => lb.outbound_rules.len(),
            };
            if index >= len {
                return Err(format!("{} has no such {}", lb.name, part.label()));
            }
            match part {
                LbPart::Frontend => drop(lb.frontends.remove(index)),
                LbPart::BackendPool => drop(lb.backend_pools.remove(index)),
                LbPart::Probe => drop(lb.probes.remove(index)),
                LbPart::Rule => drop(lb.rules.remove(index)),
                LbPart::OutboundRule => drop(lb.outbound_rules.remove(index)),
            }
        }
    }
    Ok(())
}
