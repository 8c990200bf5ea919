//! An NSG's rules are shared by the copies of a design until one copy edits them (issue #16:
//! the analysis works on copies, and rules are most of an enterprise design's memory): a copy
//! shares them, an edit copies them first and leaves the other copies as they were, and rules
//! read from JSON are held at their exact size.

use vnetlab::analysis::scenarios;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget};
use vnetlab::model::{Access, Design, Protocol};

fn dlp_design() -> Design {
    scenarios::find("dlp-sep-nsg")
        .expect("scenario exists")
        .design()
        .expect("scenario parses")
}

#[test]
fn a_copy_shares_the_rules_until_it_edits_them() {
    let design = dlp_design();
    let copy = design.clone();
    for (original, copied) in design
        .network_security_groups
        .iter()
        .zip(&copy.network_security_groups)
    {
        assert!(
            std::ptr::eq(original.rules.as_ptr(), copied.rules.as_ptr()),
            "{}: a copy holds the same rules, not copies of them",
            original.name
        );
    }

    let mut edited = design.clone();
    let nsg = edited
        .network_security_groups
        .iter_mut()
        .find(|nsg| !nsg.rules.is_empty())
        .expect("the scenario has an NSG with rules");
    let name = nsg.name.clone();
    let before = nsg.rules[0].clone();
    nsg.rules[0].access = match before.access {
        Access::Allow => Access::Deny,
        Access::Deny => Access::Allow,
    };
    let original = design
        .network_security_groups
        .iter()
        .find(|nsg| nsg.name == name)
        .expect("same NSG in the original");
    assert_eq!(
        original.rules[0], before,
        "the original's rule is unchanged"
    );
    let edited_nsg = edited
        .network_security_groups
        .iter()
        .find(|nsg| nsg.name == name)
        .expect("same NSG in the copy");
    assert_ne!(edited_nsg.rules[0], before, "the copy's rule is edited");
    assert!(!std::ptr::eq(
        original.rules.as_ptr(),
        edited_nsg.rules.as_ptr()
    ));
}

/// An engine compiled before a copy of its design was edited keeps its verdicts: the rule
/// deciding a compute's internet-bound flow, with every NSG rule removed in a copy, still
/// decides on the first engine and no longer on the second.
#[test]
fn an_engine_keeps_its_verdicts_when_a_copy_of_its_design_is_edited() {
    let design = dlp_design();
    let before = Engine::new(&design);
    let flow = Flow::new(
        FlowSource::Element(first_compute(&design)),
        FlowTarget::Fqdn("example.com".into()),
        Protocol::Tcp,
        Some(443),
    );
    let denied_before = before.trace(&flow).expect("traces");
    let deciding = denied_before
        .hops
        .iter()
        .find_map(|hop| {
            hop.rule
                .as_ref()
                .map(|r| (hop.element.clone(), r.name.clone()))
        })
        .expect("a rule decides");

    let mut edited = design.clone();
    for nsg in &mut edited.network_security_groups {
        nsg.rules.clear();
    }
    let after = Engine::new(&edited);
    let traced_again = before.trace(&flow).expect("traces");
    assert_eq!(traced_again.verdict, denied_before.verdict);
    assert_eq!(
        traced_again.hops.iter().find_map(|hop| hop
            .rule
            .as_ref()
            .map(|r| (hop.element.clone(), r.name.clone()))),
        Some(deciding)
    );
    assert!(design
        .network_security_groups
        .iter()
        .any(|nsg| !nsg.rules.is_empty()));
    assert_ne!(
        after.trace(&flow).expect("traces").hops,
        denied_before.hops,
        "the edited copy is evaluated on its own rules"
    );
}

fn first_compute(design: &Design) -> String {
    design
        .computes
        .iter()
        .find(|c| c.nic.is_some())
        .expect("the scenario has a compute with a NIC")
        .name
        .clone()
}

#[test]
fn rules_read_from_json_are_held_at_their_exact_size() {
    let design = dlp_design();
    let text = serde_json::to_string(&design).expect("serialises");
    let read: Design = serde_json::from_str(&text).expect("parses");
    let mut checked = 0;
    for nsg in &read.network_security_groups {
        assert_eq!(nsg.rules.capacity(), nsg.rules.len(), "{}", nsg.name);
        for rule in nsg.rules.iter() {
            for (field, len, capacity) in [
                ("source", rule.source.len(), rule.source.capacity()),
                (
                    "destination",
                    rule.destination.len(),
                    rule.destination.capacity(),
                ),
                (
                    "source_ports",
                    rule.source_ports.len(),
                    rule.source_ports.capacity(),
                ),
                (
                    "destination_ports",
                    rule.destination_ports.len(),
                    rule.destination_ports.capacity(),
                ),
            ] {
                assert_eq!(capacity, len, "{}/{} {field}", nsg.name, rule.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "the scenario has NSG rules");
    assert_eq!(read, design);
}
