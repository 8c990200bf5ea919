//! A flow to the internet dropped at a private subnet (default outbound access off) names the
//! subnet and why in its `internet-egress` hop. Source: Microsoft Learn, "Default outbound
//! access in Azure" (learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access):
//! subnets are private by default from API version 2025-07-01; their VMs need a public IP, a
//! NAT gateway, a load balancer outbound rule or an appliance to reach the internet.

use serde_json::{json, Value};
use vnetlab::engine::{Step, Verdict};

use super::support::{base, engine, expect_decided, set, tcp};

const RULE: &str = "defaultOutboundAccess: false";

#[test]
fn a_flow_to_the_internet_stops_at_a_private_subnet_saying_why() {
    // (case, subnet properties, verdict, words of the deciding hop's reason)
    let cases: [(&str, Value, Verdict, &[&str]); 5] = [
        (
            "private by API version",
            json!({"default_outbound_access": false, "private_by_api_version": "2025-07-01"}),
            Verdict::NoRoute,
            &[
                "vnet/training is a private subnet (default outbound access off",
                "created at API version 2025-07-01",
            ],
        ),
        (
            "private by its property",
            json!({"default_outbound_access": false}),
            Verdict::NoRoute,
            &[
                "vnet/training is a private subnet",
                "its defaultOutboundAccess property is false",
            ],
        ),
        (
            "default outbound access on",
            json!({}),
            Verdict::Allowed,
            &[],
        ),
        (
            "private, with a NAT gateway",
            json!({"default_outbound_access": false, "private_by_api_version": "2025-07-01", "nat_gateway_ip": "20.1.1.1"}),
            Verdict::Allowed,
            &[],
        ),
        (
            "private by API version, a later version",
            json!({"default_outbound_access": false, "private_by_api_version": "2025-09-01-preview"}),
            Verdict::NoRoute,
            &["created at API version 2025-09-01-preview"],
        ),
    ];
    for (case, properties, verdict, words) in cases {
        let mut design = base();
        for (key, value) in properties.as_object().expect("an object") {
            set(
                &mut design,
                &format!("/virtual_networks/0/subnets/0/{key}"),
                value.clone(),
            );
        }
        let trace = tcp(&engine(&design), "ci", "pypi.org", 443);
        if verdict == Verdict::Allowed {
            assert_eq!(trace.verdict, verdict, "{case}: {}", trace.reason);
            assert!(
                !trace
                    .hops
                    .iter()
                    .any(|h| h.reason.contains("private subnet")),
                "{case}"
            );
            continue;
        }
        expect_decided(&trace, verdict, Step::InternetEgress, RULE);
        let decided = trace.decided_by.as_ref().expect("deciding hop");
        assert_eq!(decided.element, "vnet/training", "{case}");
        for word in words {
            assert!(decided.reason.contains(word), "{case}: {}", decided.reason);
        }
    }
}
