//! `az` CLI commands for each [`Edit`]: `create` commands that also update an existing
//! element, run with the resource group in `$RG`.

use crate::model::{
    AddressMatch, ComputeKind, ManagedIsolationMode, PaasKind, PublicNetworkAccess, SecurityRule,
};

use super::arm::protocol_name;
use super::{collection_listing, Edit};

/// One shell word, single-quoted when it needs quoting; control characters through `$'…'`.
fn word(text: &str) -> String {
    if text.chars().any(char::is_control) {
        let escaped: String = text
            .chars()
            .map(|c| match c {
                '\'' | '\\' => format!("\\{c}"),
                c if c.is_control() => format!("\\x{:02x}", c as u32 & 0xff),
                c => c.to_string(),
            })
            .collect();
        return format!("$'{escaped}'");
    }
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@,+=".contains(c))
    {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn words<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| word(&i.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn addresses(items: &[AddressMatch]) -> String {
    words(items)
}

fn nsg_rule(nsg: &str, rule: &SecurityRule) -> String {
    format!(
        "az network nsg rule create --resource-group \"$RG\" --nsg-name {} --name {} \\\n  --priority {} --direction {:?} --access {:?} --protocol {} \\\n  --source-address-prefixes {} --source-port-ranges {} \\\n  --destination-address-prefixes {} --destination-port-ranges {}\n",
        word(nsg),
        word(&rule.name),
        rule.priority,
        rule.direction,
        rule.access,
        word(&protocol_name(rule)),
        addresses(&rule.source),
        words(&rule.source_ports),
        addresses(&rule.destination),
        words(&rule.destination_ports),
    )
}

pub(super) fn render(edit: &Edit) -> String {
    match edit {
        Edit::NsgCreated(nsg) => format!(
            "az network nsg create --resource-group \"$RG\" --name {}\n",
            word(&nsg.name)
        ),
        Edit::NsgRule { nsg, rule } => nsg_rule(nsg, rule),
        Edit::NsgRulesRemoved { nsg, removed } => removed
            .iter()
            .map(|rule| {
                format!(
                    "az network nsg rule delete --resource-group \"$RG\" --nsg-name {} --name {}\n",
                    word(&nsg.name),
                    word(rule)
                )
            })
            .collect(),
        Edit::Subnet {
            vnet,
            subnet,
            before,
        } => {
            let mut arguments = Vec::new();
            let changed = |pick: &dyn Fn(&crate::model::Subnet) -> String| {
                before.is_none_or(|b| pick(b) != pick(subnet))
            };
            if changed(&|s| format!("{:?}", s.service_endpoints)) {
                arguments.push(format!("--service-endpoints {}", words(&subnet.service_endpoints)));
            }
            if changed(&|s| format!("{:?}", s.service_endpoint_policies)) {
                arguments.push(format!(
                    "--service-endpoint-policy {}",
                    words(&subnet.service_endpoint_policies)
                ));
            }
            if changed(&|s| format!("{:?}", s.route_table)) {
                arguments.push(format!(
                    "--route-table {}",
                    word(subnet.route_table.as_deref().unwrap_or(""))
                ));
            }
            if changed(&|s| format!("{:?}", s.nsg)) {
                arguments.push(format!(
                    "--network-security-group {}",
                    word(subnet.nsg.as_deref().unwrap_or(""))
                ));
            }
            if changed(&|s| s.default_outbound_access.to_string()) {
                arguments.push(format!("--default-outbound {}", subnet.default_outbound_access));
            }
            format!(
                "az network vnet subnet update --resource-group \"$RG\" --vnet-name {} --name {} \\\n  {}\n",
                word(vnet),
                word(&subnet.name),
                arguments.join(" \\\n  ")
            )
        }
        Edit::RouteTableCreated(table) => format!(
            "az network route-table create --resource-group \"$RG\" --name {} --disable-bgp-route-propagation {}\n",
            word(&table.name),
            table.disable_gateway_propagation
        ),
        Edit::Route { table, route } => {
            let next_hop_ip = route
                .next_hop_ip
                .map_or(String::new(), |ip| format!(" --next-hop-ip-address {ip}"));
            format!(
                "az network route-table route create --resource-group \"$RG\" --route-table-name {} --name {} \\\n  --address-prefix {} --next-hop-type {:?}{next_hop_ip}\n",
                word(table),
                word(&route.name),
                word(&route.address_prefix.to_string()),
                route.next_hop_type
            )
        }
        Edit::Sep(policy) => {
            let mut text = format!(
                "az network service-endpoint policy create --resource-group \"$RG\" --name {}\n",
                word(&policy.name)
            );
            for definition in &policy.definitions {
                text.push_str(&format!(
                    "az network service-endpoint policy-definition create --resource-group \"$RG\" --policy-name {} --name {} \\\n  --service {} --service-resources {}\n",
                    word(&policy.name),
                    word(&definition.name),
                    word(&definition.service),
                    words(&definition.service_resources)
                ));
            }
            text
        }
        Edit::PublicIpRemoved(compute) => match compute.kind {
            ComputeKind::ComputeInstance | ComputeKind::ComputeCluster => format!(
                "# enableNodePublicIp is fixed when the compute is created: recreate {} without a public IP\naz ml compute create --resource-group \"$RG\" --workspace-name \"$WORKSPACE\" --name {} --type {} --enable-node-public-ip false\n",
                compute.name,
                word(&compute.name),
                if compute.kind == ComputeKind::ComputeInstance { "ComputeInstance" } else { "AmlCompute" }
            ),
            _ => format!(
                "az network nic ip-config update --resource-group \"$RG\" --nic-name \"$NIC\" --name ipconfig1 --remove publicIpAddress   # the NIC of {}\n",
                compute.name
            ),
        },
        Edit::PublicAccess { name, kind, access } => {
            let disabled = *access != PublicNetworkAccess::Enabled;
            let state = if disabled { "Disabled" } else { "Enabled" };
            match kind {
                Some(PaasKind::StorageAccount) => format!(
                    "az storage account update --resource-group \"$RG\" --name {} --public-network-access {state}\n",
                    word(name)
                ),
                Some(PaasKind::KeyVault) => format!(
                    "az keyvault update --resource-group \"$RG\" --name {} --public-network-access {state}\n",
                    word(name)
                ),
                Some(PaasKind::ContainerRegistry) => format!(
                    "az acr update --resource-group \"$RG\" --name {} --public-network-enabled {}\n",
                    word(name),
                    !disabled
                ),
                None => format!(
                    "az ml workspace update --resource-group \"$RG\" --name {} --public-network-access {state}\n",
                    word(name)
                ),
            }
        }
        Edit::ManagedNetwork(workspace) => {
            let mode = match workspace.managed_network.isolation_mode {
                ManagedIsolationMode::Disabled => "disabled",
                ManagedIsolationMode::AllowInternetOutbound => "allow_internet_outbound",
                ManagedIsolationMode::AllowOnlyApprovedOutbound => "allow_only_approved_outbound",
            };
            format!(
                "az ml workspace update --resource-group \"$RG\" --name {} --managed-network {mode}\n# then add its {} outbound rule(s) with az ml workspace outbound-rule set\n",
                word(&workspace.name),
                workspace.managed_network.outbound_rules.len()
            )
        }
        Edit::FirewallCollection {
            firewall,
            collection,
        } => collection_listing("#", firewall, collection),
        Edit::FirewallPolicyGroup { policy, group } => {
            let container = format!("{policy}/{}", group.name);
            let mut text = format!(
                "# rule collection group {container} (priority {}): deploy its collections as listed (az network firewall policy rule-collection-group collection add-filter-collection / add-nat-collection)\n",
                group.priority
            );
            for collection in &group.rule_collections {
                text.push_str(&collection_listing("#", &container, collection));
            }
            text
        }
    }
}
