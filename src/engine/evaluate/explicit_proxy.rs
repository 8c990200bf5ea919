//! Azure Firewall explicit proxy (Microsoft Learn, "Azure Firewall Explicit proxy"): a compute
//! whose HTTP and HTTPS clients are configured to use a firewall's explicit proxy sends those
//! requests to the firewall's private IP at the proxy's HTTP or HTTPS port — no UDR needed —
//! and the firewall applies only its application rules, then opens its own connection from
//! its address. vnetlab takes a flow to port 80 as an HTTP request and to port 443 as an
//! HTTPS one; other flows, and flows whose sender ignores the proxy setting
//! (`Flow::bypasses_proxy`, the exfiltration search's adversary), go directly.
//!
//! The leg to the proxy is walked as a flow to the firewall's private IP at the proxy port
//! (the source's admin rules, NSGs and routes decide it), then the original request is
//! evaluated by the application rules with the original destination port.

use super::{no_rule, DefaultOutbound, End, Sender, Walk};
use crate::engine::address::Party;
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::firewall::FirewallOutcome;
use crate::engine::port_span::PortSpan;
use crate::engine::trace::{HopLog, Outcome, Step, Verdict};
use crate::model::{Compute, PortRange, Protocol};

const HTTP: PortRange = PortRange {
    first: 80,
    last: 80,
};
const HTTPS: PortRange = PortRange {
    first: 443,
    last: 443,
};

impl<'e> Walk<'e> {
    /// Starts a flow from `subnet`: through the explicit proxy `compute` is configured to use,
    /// when the flow is an HTTP or HTTPS request, otherwise directly.
    pub(super) fn start_from_subnet(
        &mut self,
        subnet: &str,
        compute: Option<&'e Compute>,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        let Some((client, proxy_name)) =
            compute.and_then(|c| Some((c.name.as_str(), c.explicit_proxy.as_deref()?)))
        else {
            return self.start_in_subnet(subnet, compute, sender, destination);
        };
        if self.flow.bypasses_proxy {
            self.hop(Step::Source, client, Outcome::Info, no_rule, format_args!("the sender ignores {client}'s explicit proxy setting (firewall {proxy_name}) and connects directly, as code that opens its own connections can"));
            return self.start_in_subnet(subnet, compute, sender, destination);
        }
        let engine = self.engine;
        let Some(index) = engine.firewalls.iter().position(|f| f.name == proxy_name) else {
            let reason = format_args!("{client} is configured to use the explicit proxy of firewall {proxy_name}, which the design does not have");
            return self.stop(Verdict::Unsupported, Step::Source, client, no_rule, reason);
        };
        let firewall = &engine.firewalls[index];
        let Some(settings) = &firewall.explicit_proxy else {
            let reason = format_args!("explicit proxy: {client} sends HTTP(S) requests to firewall {proxy_name}, whose policy does not enable the explicit proxy, so nothing accepts them");
            return self.stop(Verdict::Blocked, Step::Route, proxy_name, no_rule, reason);
        };
        let request = if self.flow.protocol != Protocol::Tcp {
            None
        } else if PortSpan::check_in(&self.ports, &[HTTP]) {
            settings.http_port.map(|port| ("HTTP", port))
        } else if PortSpan::check_in(&self.ports, &[HTTPS]) {
            settings.https_port.map(|port| ("HTTPS", port))
        } else {
            None
        };
        let Some((kind, proxy_port)) = request else {
            self.hop(Step::Source, client, Outcome::Info, no_rule, format_args!("explicit proxy of firewall {proxy_name}: {client} sends only HTTP (port 80) and HTTPS (port 443) requests through the ports it has enabled; this flow goes directly"));
            return self.start_in_subnet(subnet, compute, sender, destination);
        };
        self.hop(Step::Route, proxy_name, Outcome::Forward, no_rule, format_args!("explicit proxy: {client} sends the {kind} request to firewall {proxy_name}'s explicit proxy at {}:{proxy_port} (a client setting; no UDR needed)", firewall.private_ip));
        let original_ports = self.ports.get();
        self.ports.get_mut().translate(proxy_port);
        let proxy = Destination {
            party: Party::at(firewall.private_ip),
            entity: Entity::Firewall(index),
            fqdn: None,
            sub_resource: None,
        };
        let explains = self.hops.explains();
        let outer = std::mem::replace(&mut self.hops, HopLog::new(explains));
        let leg = self.start_in_subnet(subnet, compute, sender.clone(), &proxy);
        let mut leg_hops = std::mem::replace(&mut self.hops, outer);
        if leg.verdict != Verdict::Allowed {
            self.hops.append(leg_hops);
            return leg;
        }
        // The leg ends by delivering to the firewall: the request goes on from there.
        leg_hops.discard_last();
        self.hops.append(leg_hops);
        self.ports.set(original_ports);
        let design = &engine.design;
        let packet = self.firewall_packet(
            &sender.party,
            &destination.party,
            destination.fqdn.as_deref(),
        );
        let mut hops = HopLog::new(self.hops.explains());
        let outcome = firewall.evaluate_explicit_proxy(
            packet,
            engine.service_tags(),
            design.cloud,
            &mut hops,
        );
        self.hops.append(hops);
        match outcome {
            FirewallOutcome::Deny => {
                let reason = self.hops.last_reason();
                self.end(
                    Verdict::Blocked,
                    format_args!("firewall {proxy_name}: {reason}"),
                )
            }
            FirewallOutcome::Undecidable => self.end(
                Verdict::Unsupported,
                format_args!("firewall {proxy_name} cannot decide the explicit proxy request"),
            ),
            FirewallOutcome::Allow { snat } => {
                let mut next = sender;
                next.party = Party::at(snat.unwrap_or(firewall.private_ip));
                next.unsnatted_firewall = None;
                next.public_ip = firewall.public_ip;
                next.default_outbound = DefaultOutbound::NotApplicable;
                next.forwarded = true;
                self.hop(Step::Route, &firewall.subnet, Outcome::Info, no_rule, "explicit proxy: the firewall opens its own connection to the destination, so its subnet's routes apply");
                self.route(&firewall.subnet, next, destination, 1)
            }
        }
    }
}
