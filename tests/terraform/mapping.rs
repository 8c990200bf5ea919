//! Each azurerm resource family lowered to the ARM shape `import/azure` converts, checked on
//! the design: attribute names of azurerm 3.x and 4.x
//! (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs), association
//! resources, inline and separate rules, and `azapi_resource` bodies.

use serde_json::{json, Value};

use super::{errors, import_text};

const GROUP: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "eastus"
}
resource "azurerm_virtual_network" "v" {
  name                = "v"
  address_space       = ["10.0.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
"#;

/// The design (as JSON) of GROUP plus `text`, which must import without errors.
pub(super) fn design(text: &str) -> Value {
    let loaded = import_text(&format!("{GROUP}{text}"));
    assert_eq!(errors(&loaded), Vec::<String>::new());
    serde_json::to_value(&loaded.design).expect("design JSON")
}

pub(super) fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .and_then(|items| items.iter().find(|item| item["name"] == name))
        .unwrap_or_else(|| panic!("no `{name}` in {list}"))
}

fn subnet<'a>(design: &'a Value, name: &str) -> &'a Value {
    named(&named(&design["virtual_networks"], "v")["subnets"], name)
}

#[test]
fn subnets_read_3x_and_4x_private_endpoint_policies_and_outbound_access() {
    let d = design(
        r#"
resource "azurerm_subnet" "three" {
  name                                           = "three"
  resource_group_name                            = "rg"
  virtual_network_name                           = "v"
  address_prefixes                               = ["10.0.1.0/24"]
  enforce_private_link_endpoint_network_policies = true
  service_endpoints                              = ["Microsoft.Storage", "Microsoft.KeyVault"]
}
resource "azurerm_subnet" "three_new" {
  name                                      = "three-new"
  resource_group_name                       = "rg"
  virtual_network_name                      = "v"
  address_prefixes                          = ["10.0.2.0/24"]
  private_endpoint_network_policies_enabled = true
}
resource "azurerm_subnet" "four" {
  name                              = "four"
  resource_group_name               = "rg"
  virtual_network_name              = "v"
  address_prefixes                  = ["10.0.3.0/24"]
  private_endpoint_network_policies = "NetworkSecurityGroupEnabled"
  default_outbound_access_enabled   = false
}
"#,
    );
    // 3.x: `enforce_…_policies = true` *disables* the policies.
    assert_eq!(
        subnet(&d, "three")["private_endpoint_network_policies"],
        "Disabled"
    );
    assert_eq!(
        subnet(&d, "three")["service_endpoints"],
        json!(["Microsoft.Storage", "Microsoft.KeyVault"])
    );
    assert_eq!(
        subnet(&d, "three-new")["private_endpoint_network_policies"],
        "Enabled"
    );
    assert_eq!(
        subnet(&d, "four")["private_endpoint_network_policies"],
        "NetworkSecurityGroupEnabled"
    );
    assert_eq!(subnet(&d, "four")["default_outbound_access"], false);
}

#[test]
fn nsgs_with_inline_and_separate_rules_and_associations() {
    let d = design(
        r#"
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_network_security_group" "n" {
  name                = "n"
  location            = "eastus"
  resource_group_name = "rg"
  security_rule {
    name                       = "inline"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Udp"
    source_port_range          = "*"
    destination_port_ranges    = ["53", "123"]
    source_address_prefixes    = ["10.1.0.0/16", "10.2.0.0/16"]
    destination_address_prefix = "*"
  }
}
resource "azurerm_network_security_rule" "separate" {
  name                        = "separate"
  priority                    = 200
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "Storage"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.n.name
}
resource "azurerm_subnet_network_security_group_association" "a" {
  subnet_id                 = azurerm_subnet.s.id
  network_security_group_id = azurerm_network_security_group.n.id
}
"#,
    );
    let nsg = named(&d["network_security_groups"], "n");
    let inline = named(&nsg["rules"], "inline");
    assert_eq!(
        (
            inline["priority"].clone(),
            inline["access"].clone(),
            inline["protocol"].clone()
        ),
        (json!(100), json!("Deny"), json!("Udp"))
    );
    assert_eq!(named(&nsg["rules"], "separate")["direction"], "Outbound");
    assert_eq!(subnet(&d, "s")["nsg"], "n");
}

#[test]
fn route_tables_with_inline_and_separate_routes_and_peerings() {
    let d = design(
        r#"
resource "azurerm_virtual_network" "w" {
  name                = "w"
  address_space       = ["10.1.0.0/16"]
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_route_table" "t" {
  name                          = "t"
  location                      = "eastus"
  resource_group_name           = "rg"
  disable_bgp_route_propagation = true
  route {
    name           = "inline"
    address_prefix = "0.0.0.0/0"
    next_hop_type  = "None"
  }
}
resource "azurerm_route" "separate" {
  name                = "separate"
  resource_group_name = "rg"
  route_table_name    = azurerm_route_table.t.name
  address_prefix      = "AzureMachineLearning"
  next_hop_type       = "Internet"
}
resource "azurerm_subnet_route_table_association" "a" {
  subnet_id      = azurerm_subnet.s.id
  route_table_id = azurerm_route_table.t.id
}
resource "azurerm_virtual_network_peering" "p" {
  name                      = "v-to-w"
  resource_group_name       = "rg"
  virtual_network_name      = "v"
  remote_virtual_network_id = azurerm_virtual_network.w.id
  allow_gateway_transit     = true
}
"#,
    );
    let table = named(&d["route_tables"], "t");
    assert_eq!(named(&table["routes"], "inline")["next_hop_type"], "None");
    assert_eq!(
        named(&table["routes"], "separate")["next_hop_type"],
        "Internet"
    );
    assert_eq!(subnet(&d, "s")["route_table"], "t");
    let peering = named(&d["peerings"], "v-to-w");
    assert_eq!(
        (
            peering["remote_vnet"].clone(),
            peering["allow_gateway_transit"].clone()
        ),
        (json!("w"), json!(true))
    );
}

#[test]
fn private_endpoints_with_dns_zone_groups_zones_links_and_records() {
    let d = design(
        r#"
resource "azurerm_subnet" "pe" {
  name                 = "pe"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.9.0/24"]
}
resource "azurerm_key_vault" "kv" {
  name                          = "kv"
  location                      = "eastus"
  resource_group_name           = "rg"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = false
  network_acls {
    default_action = "Deny"
    bypass         = "None"
  }
}
resource "azurerm_private_dns_zone" "z" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = "rg"
}
resource "azurerm_private_dns_zone_virtual_network_link" "l" {
  name                  = "l"
  resource_group_name   = "rg"
  private_dns_zone_name = azurerm_private_dns_zone.z.name
  virtual_network_id    = azurerm_virtual_network.v.id
}
resource "azurerm_private_dns_a_record" "a" {
  name                = "kv"
  zone_name           = azurerm_private_dns_zone.z.name
  resource_group_name = "rg"
  ttl                 = 300
  records             = ["10.0.9.10"]
}
resource "azurerm_private_endpoint" "e" {
  name                = "e"
  location            = "eastus"
  resource_group_name = "rg"
  subnet_id           = azurerm_subnet.pe.id
  ip_configuration {
    name               = "ip"
    private_ip_address = "10.0.9.10"
    subresource_name   = "vault"
  }
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_key_vault.kv.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
  private_dns_zone_group {
    name                 = "g"
    private_dns_zone_ids = [azurerm_private_dns_zone.z.id]
  }
}
"#,
    );
    let endpoint = named(&d["private_endpoints"], "e");
    assert_eq!(endpoint["target"], "kv");
    assert_eq!(endpoint["sub_resource"], "vault");
    assert_eq!(endpoint["private_ip"], "10.0.9.10");
    assert_eq!(
        endpoint["dns_zones"],
        json!(["privatelink.vaultcore.azure.net"])
    );
    let zone = named(&d["private_dns_zones"], "privatelink.vaultcore.azure.net");
    assert_eq!(zone["vnet_links"], json!(["v"]));
    let vault = named(&d["resources"], "kv");
    assert_eq!(
        (
            vault["public_network_access"].clone(),
            vault["network_acls"]["default_action"].clone()
        ),
        (json!("Disabled"), json!("Deny"))
    );
}

#[test]
fn storage_network_rules_as_a_block_and_as_their_own_resource_and_registries() {
    let d = design(
        r#"
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
  service_endpoints    = ["Microsoft.Storage"]
}
resource "azurerm_storage_account" "inline" {
  name                     = "stinline"
  location                 = "eastus"
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  network_rules {
    default_action             = "Deny"
    ip_rules                   = ["203.0.113.0/24"]
    virtual_network_subnet_ids = [azurerm_subnet.s.id]
  }
}
resource "azurerm_storage_account" "separate" {
  name                     = "stseparate"
  location                 = "eastus"
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
resource "azurerm_storage_account_network_rules" "r" {
  storage_account_id = azurerm_storage_account.separate.id
  default_action     = "Deny"
  bypass             = ["AzureServices"]
}
resource "azurerm_container_registry" "cr" {
  name                          = "crx"
  location                      = "eastus"
  resource_group_name           = "rg"
  sku                           = "Premium"
  public_network_access_enabled = true
  network_rule_set {
    default_action = "Deny"
    ip_rule {
      action   = "Allow"
      ip_range = "198.51.100.0/24"
    }
  }
}
"#,
    );
    let inline = named(&d["resources"], "stinline");
    assert_eq!(inline["network_acls"]["default_action"], "Deny");
    assert_eq!(
        inline["network_acls"]["ip_rules"],
        json!(["203.0.113.0/24"])
    );
    assert_eq!(
        inline["network_acls"]["virtual_network_rules"],
        json!(["v/s"])
    );
    let separate = named(&d["resources"], "stseparate");
    assert_eq!(separate["network_acls"]["default_action"], "Deny");
    assert_eq!(separate["network_acls"]["bypass_azure_services"], true);
    let registry = named(&d["resources"], "crx");
    assert_eq!(
        registry["network_acls"]["ip_rules"],
        json!(["198.51.100.0/24"])
    );
}

#[test]
fn firewalls_with_classic_collections_policies_and_rule_collection_groups() {
    let d = design(
        r#"
resource "azurerm_subnet" "fw" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.100.0/26"]
}
resource "azurerm_ip_group" "g" {
  name                = "workloads"
  location            = "eastus"
  resource_group_name = "rg"
  cidrs               = ["10.0.1.0/24", "10.0.2.0/24"]
}
resource "azurerm_firewall_policy" "p" {
  name                = "p"
  location            = "eastus"
  resource_group_name = "rg"
  dns {
    proxy_enabled = true
  }
}
resource "azurerm_firewall_policy_rule_collection_group" "g" {
  name               = "g"
  firewall_policy_id = azurerm_firewall_policy.p.id
  priority           = 500
  network_rule_collection {
    name     = "net"
    priority = 100
    action   = "Allow"
    rule {
      name                  = "dns"
      protocols             = ["UDP"]
      source_ip_groups      = [azurerm_ip_group.g.id]
      destination_addresses = ["168.63.129.16"]
      destination_ports     = ["53"]
    }
  }
  application_rule_collection {
    name     = "app"
    priority = 200
    action   = "Allow"
    rule {
      name = "pypi"
      protocols {
        type = "Https"
        port = 443
      }
      source_addresses  = ["10.0.0.0/16"]
      destination_fqdns = ["pypi.org"]
    }
  }
}
resource "azurerm_public_ip" "ip" {
  name                = "ip"
  location            = "eastus"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_firewall" "f" {
  name                = "f"
  location            = "eastus"
  resource_group_name = "rg"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.p.id
  ip_configuration {
    name                 = "c"
    subnet_id            = azurerm_subnet.fw.id
    public_ip_address_id = azurerm_public_ip.ip.id
  }
}
resource "azurerm_route_table" "t" {
  name                = "t"
  location            = "eastus"
  resource_group_name = "rg"
  route {
    name                   = "to-firewall"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = azurerm_firewall.f.ip_configuration[0].private_ip_address
  }
}
"#,
    );
    let firewall = named(&d["firewalls"], "f");
    // https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq: .0–.3 are reserved.
    assert_eq!(firewall["private_ip"], "10.0.100.4");
    assert_eq!(
        named(&named(&d["route_tables"], "t")["routes"], "to-firewall")["next_hop_ip"],
        "10.0.100.4"
    );
    let policy = named(&d["firewall_policies"], "p");
    let group = named(&policy["rule_collection_groups"], "g");
    assert_eq!(group["rule_collections"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        named(&d["ip_groups"], "workloads")["prefixes"],
        json!(["10.0.1.0/24", "10.0.2.0/24"])
    );
}

/// Issue 12's firewall features from azurerm: several `ip_configuration` blocks (Learn,
/// "Deploy an Azure Firewall with multiple public IP addresses"), a policy's `explicit_proxy`
/// block (Learn, "Azure Firewall Explicit proxy") and a DNAT rule's `translated_fqdn`.
#[test]
fn firewalls_with_several_public_ips_an_explicit_proxy_and_dnat_to_an_fqdn() {
    let d = design(
        r#"
resource "azurerm_subnet" "fw" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.100.0/26"]
}
resource "azurerm_firewall_policy" "p" {
  name                = "p"
  location            = "eastus"
  resource_group_name = "rg"
  explicit_proxy {
    enabled    = true
    http_port  = 8080
    https_port = 8443
  }
}
resource "azurerm_firewall_policy_rule_collection_group" "g" {
  name               = "g"
  firewall_policy_id = azurerm_firewall_policy.p.id
  priority           = 500
  nat_rule_collection {
    name     = "dnat"
    priority = 100
    action   = "Dnat"
    rule {
      name                = "web"
      protocols           = ["TCP"]
      source_addresses    = ["*"]
      destination_address = "20.0.0.2"
      destination_ports   = ["8080"]
      translated_fqdn     = "app.contoso.internal"
      translated_port     = "80"
    }
  }
}
resource "azurerm_firewall" "f" {
  name                = "f"
  location            = "eastus"
  resource_group_name = "rg"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.p.id
  ip_configuration {
    name                 = "first"
    subnet_id            = azurerm_subnet.fw.id
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/first"
  }
  ip_configuration {
    name                 = "second"
    public_ip_address_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/second"
  }
}
"#,
    );
    let firewall = named(&d["firewalls"], "f");
    assert!(firewall["public_ip"].is_string(), "{firewall}");
    assert_eq!(
        firewall["additional_public_ips"].as_array().map(Vec::len),
        Some(1),
        "{firewall}"
    );
    assert_ne!(firewall["public_ip"], firewall["additional_public_ips"][0]);
    let policy = named(&d["firewall_policies"], "p");
    assert_eq!(
        policy["explicit_proxy"],
        json!({"http_port": 8080, "https_port": 8443})
    );
    let rule = &named(
        &named(&policy["rule_collection_groups"], "g")["rule_collections"],
        "dnat",
    )["rules"][0];
    assert_eq!(rule["translated_fqdn"], "app.contoso.internal");
    assert!(rule.get("translated_address").is_none(), "{rule}");
}

const WORKSPACE_DEPENDENCIES: &str = r#"
resource "azurerm_key_vault" "kv" {
  name                = "kv"
  location            = "eastus"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
resource "azurerm_storage_account" "st" {
  name                     = "st"
  location                 = "eastus"
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"#;

#[test]
fn aml_workspace_public_access_managed_network_and_outbound_rules() {
    let d = design(&format!(
        "{WORKSPACE_DEPENDENCIES}{}",
        r#"
resource "azurerm_machine_learning_workspace" "w" {
  name                          = "w"
  location                      = "eastus"
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = azurerm_storage_account.st.id
  public_network_access_enabled = false
  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
  identity {
    type = "SystemAssigned"
  }
}
resource "azurerm_machine_learning_workspace_network_outbound_rule_fqdn" "pypi" {
  name             = "pypi"
  workspace_id     = azurerm_machine_learning_workspace.w.id
  destination_fqdn = "pypi.org"
}
resource "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint" "blob" {
  name                = "blob"
  workspace_id        = azurerm_machine_learning_workspace.w.id
  service_resource_id = azurerm_storage_account.st.id
  sub_resource_target = "blob"
  spark_enabled       = true
}
"#
    ));
    let workspace = named(&d["workspaces"], "w");
    assert_eq!(workspace["public_network_access"], "Disabled");
    assert_eq!(
        (
            workspace["key_vault"].clone(),
            workspace["storage_account"].clone()
        ),
        (json!("kv"), json!("st"))
    );
    assert_eq!(
        workspace["managed_network"]["isolation_mode"],
        "allow_only_approved_outbound"
    );
    assert!(
        workspace["managed_network"]["outbound_rules"]
            .to_string()
            .contains("pypi.org"),
        "{workspace}"
    );
    // `spark_enabled` (Learn, "Workspace managed virtual network isolation": serverless Spark
    // uses private endpoint rules marked for Spark).
    let rules = &workspace["managed_network"]["outbound_rules"];
    assert_eq!(named(rules, "blob")["spark_enabled"], true, "{rules}");
    assert!(named(rules, "pypi").get("spark_enabled").is_none());
}

#[test]
fn aml_compute_clusters_in_a_subnet_without_public_ips() {
    let d = design(&format!(
        "{WORKSPACE_DEPENDENCIES}{}",
        r#"
resource "azurerm_subnet" "t" {
  name                 = "training"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_machine_learning_workspace" "w" {
  name                    = "w"
  location                = "eastus"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Insights/components/ai"
  key_vault_id            = azurerm_key_vault.kv.id
  storage_account_id      = azurerm_storage_account.st.id
  identity {
    type = "SystemAssigned"
  }
}
resource "azurerm_machine_learning_compute_cluster" "c" {
  name                          = "cluster"
  location                      = "eastus"
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS2_V2"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.w.id
  subnet_resource_id            = azurerm_subnet.t.id
  node_public_ip_enabled        = false
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
"#
    ));
    let cluster = named(&d["computes"], "cluster");
    assert_eq!(cluster["kind"], "compute_cluster");
    assert_eq!(cluster["workspace"], "w");
    assert_eq!(cluster["nic"]["subnet"], "v/training");
    assert!(
        cluster["nic"].get("public_ip").is_none_or(Value::is_null),
        "{cluster}"
    );
}

#[test]
fn network_interfaces_vms_and_their_security_groups() {
    let d = design(
        r#"
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_network_security_group" "n" {
  name                = "nic-nsg"
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_network_interface" "nic" {
  name                  = "nic"
  location              = "eastus"
  resource_group_name   = "rg"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "c"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.10"
  }
}
resource "azurerm_network_interface_security_group_association" "a" {
  network_interface_id      = azurerm_network_interface.nic.id
  network_security_group_id = azurerm_network_security_group.n.id
}
resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm"
  location              = "eastus"
  resource_group_name   = "rg"
  size                  = "Standard_B1s"
  admin_username        = "azureuser"
  network_interface_ids = [azurerm_network_interface.nic.id]
}
"#,
    );
    let vm = named(&d["computes"], "vm");
    assert_eq!(vm["nic"]["private_ip"], "10.0.1.10");
    assert_eq!(vm["nic"]["ip_forwarding"], true);
    assert_eq!(vm["nic"]["nsg"], "nic-nsg");
}

#[test]
fn azapi_resource_bodies_go_through_the_arm_converters() {
    let d = design(
        r#"
resource "azapi_resource" "subnet" {
  type      = "Microsoft.Network/virtualNetworks/subnets@2024-05-01"
  name      = "from-azapi"
  parent_id = azurerm_virtual_network.v.id
  body = {
    properties = {
      addressPrefix    = "10.0.7.0/24"
      serviceEndpoints = [{ service = "Microsoft.Storage" }]
    }
  }
}
resource "azapi_resource" "nsg" {
  type      = "Microsoft.Network/networkSecurityGroups@2024-05-01"
  name      = "azapi-nsg"
  parent_id = azurerm_resource_group.rg.id
  location  = "eastus"
  body = jsonencode({
    properties = { securityRules = [] }
  })
}
"#,
    );
    assert_eq!(subnet(&d, "from-azapi")["prefix"], "10.0.7.0/24");
    assert_eq!(
        subnet(&d, "from-azapi")["service_endpoints"],
        json!(["Microsoft.Storage"])
    );
    named(&d["network_security_groups"], "azapi-nsg");
}

/// Perimeters written with `azapi_resource` (common while azurerm lacked them): the bodies are
/// ARM already and reach the same converter, children under their `parent_id`.
#[test]
fn azapi_perimeter_resources_go_through_the_arm_converter() {
    let d = design(
        r#"
resource "azurerm_key_vault" "kv" {
  name                = "kvnsp"
  location            = "eastus"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
resource "azapi_resource" "nsp" {
  type      = "Microsoft.Network/networkSecurityPerimeters@2024-07-01"
  name      = "nsp-azapi"
  parent_id = azurerm_resource_group.rg.id
  location  = "eastus"
  body      = { properties = {} }
}
resource "azapi_resource" "profile" {
  type      = "Microsoft.Network/networkSecurityPerimeters/profiles@2024-07-01"
  name      = "default"
  parent_id = azapi_resource.nsp.id
  body      = { properties = {} }
}
resource "azapi_resource" "rule" {
  type      = "Microsoft.Network/networkSecurityPerimeters/profiles/accessRules@2024-07-01"
  name      = "allow-sub-inbound"
  parent_id = azapi_resource.profile.id
  body = {
    properties = {
      direction     = "Inbound"
      subscriptions = [{ id = "/subscriptions/00000000-0000-0000-0000-000000000000" }]
    }
  }
}
resource "azapi_resource" "association" {
  type      = "Microsoft.Network/networkSecurityPerimeters/resourceAssociations@2024-07-01"
  name      = "kv"
  parent_id = azapi_resource.nsp.id
  body = {
    properties = {
      privateLinkResource = { id = azurerm_key_vault.kv.id }
      profile             = { id = azapi_resource.profile.id }
      accessMode          = "Enforced"
    }
  }
}
"#,
    );
    let perimeter = named(&d["network_security_perimeters"], "nsp-azapi");
    assert_eq!(
        named(&perimeter["profiles"], "default")["inbound_rules"][0]["name"],
        "allow-sub-inbound"
    );
    assert_eq!(
        perimeter["associations"],
        json!([{"name": "kv", "resource": "kvnsp", "profile": "default", "access_mode": "Enforced"}])
    );
}

/// A service endpoint storage policy with a storage definition and a `Global` one (the alias
/// form AML's managed storage needs:
/// https://learn.microsoft.com/azure/machine-learning/how-to-data-exfiltration-prevention),
/// attached to a subnet by `service_endpoint_policy_ids`.
#[test]
fn service_endpoint_storage_policies_and_their_subnets() {
    let d = design(
        r#"
resource "azurerm_storage_account" "st" {
  name                     = "stpolicy"
  location                 = "eastus"
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
resource "azurerm_subnet_service_endpoint_storage_policy" "p" {
  name                = "sep"
  location            = "eastus"
  resource_group_name = "rg"
  definition {
    name              = "own-storage"
    service_resources = [azurerm_storage_account.st.id]
  }
  definition {
    name              = "aml"
    service           = "Global"
    service_resources = ["/services/Azure/MachineLearning"]
  }
}
resource "azurerm_subnet" "s" {
  name                        = "s"
  resource_group_name         = "rg"
  virtual_network_name        = "v"
  address_prefixes            = ["10.0.1.0/24"]
  service_endpoints           = ["Microsoft.Storage"]
  service_endpoint_policy_ids = [azurerm_subnet_service_endpoint_storage_policy.p.id]
}
"#,
    );
    let policy = named(&d["service_endpoint_policies"], "sep");
    assert_eq!(
        named(&policy["definitions"], "own-storage")["service"],
        "Microsoft.Storage"
    );
    assert_eq!(named(&policy["definitions"], "aml")["service"], "Global");
    assert_eq!(
        named(&policy["definitions"], "aml")["service_resources"],
        json!(["/services/Azure/MachineLearning"])
    );
    assert_eq!(subnet(&d, "s")["service_endpoint_policies"], json!(["sep"]));
}

/// Virtual Network Manager: a network group with a static member and a security admin
/// configuration whose collection applies to it
/// (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins).
#[test]
fn network_manager_groups_members_and_security_admin_rules() {
    let d = design(
        r#"
resource "azurerm_network_manager" "m" {
  name                = "avnm"
  location            = "eastus"
  resource_group_name = "rg"
  scope_accesses      = ["SecurityAdmin"]
  scope {
    subscription_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
  }
}
resource "azurerm_network_manager_network_group" "g" {
  name               = "spokes"
  network_manager_id = azurerm_network_manager.m.id
}
resource "azurerm_network_manager_static_member" "v" {
  name                      = "member-v"
  network_group_id          = azurerm_network_manager_network_group.g.id
  target_virtual_network_id = azurerm_virtual_network.v.id
}
resource "azurerm_network_manager_security_admin_configuration" "c" {
  name               = "guardrails"
  network_manager_id = azurerm_network_manager.m.id
}
resource "azurerm_network_manager_admin_rule_collection" "rc" {
  name                            = "deny-high-risk"
  security_admin_configuration_id = azurerm_network_manager_security_admin_configuration.c.id
  network_group_ids               = [azurerm_network_manager_network_group.g.id]
}
resource "azurerm_network_manager_admin_rule" "r" {
  name                     = "deny-rdp"
  admin_rule_collection_id = azurerm_network_manager_admin_rule_collection.rc.id
  action                   = "Deny"
  direction                = "Inbound"
  priority                 = 10
  protocol                 = "Tcp"
  destination_port_ranges  = ["3389"]
  source {
    address_prefix_type = "ServiceTag"
    address_prefix      = "Internet"
  }
}
"#,
    );
    let manager = named(&d["network_managers"], "avnm");
    assert_eq!(
        named(&manager["network_groups"], "spokes")["vnets"],
        json!(["v"])
    );
    let collection = named(&manager["admin_rule_collections"], "deny-high-risk");
    assert_eq!(collection["network_groups"], json!(["spokes"]));
    let rule = named(&collection["rules"], "deny-rdp");
    assert_eq!(
        (rule["access"].clone(), rule["priority"].clone()),
        (json!("Deny"), json!(10))
    );
    assert!(rule["source"].to_string().contains("Internet"), "{rule}");
    assert!(
        rule["destination_ports"].to_string().contains("3389"),
        "{rule}"
    );
}

/// A VPN gateway with its local network gateway and connection: the on-premises prefixes
/// reach the design through the connection, as for ARM.
#[test]
fn vpn_gateways_local_network_gateways_and_connections() {
    let d = design(
        r#"resource "azurerm_subnet" "gw" {
  name                 = "GatewaySubnet"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.255.0/27"]
}
resource "azurerm_public_ip" "gw" {
  name                = "gw-ip"
  location            = "eastus"
  resource_group_name = "rg"
  allocation_method   = "Static"
}
resource "azurerm_virtual_network_gateway" "vpn" {
  name                = "vpn"
  location            = "eastus"
  resource_group_name = "rg"
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1"
  ip_configuration {
    name                 = "c"
    public_ip_address_id = azurerm_public_ip.gw.id
    subnet_id            = azurerm_subnet.gw.id
  }
}
resource "azurerm_local_network_gateway" "onprem" {
  name                = "onprem"
  location            = "eastus"
  resource_group_name = "rg"
  gateway_address     = "203.0.113.10"
  address_space       = ["192.168.0.0/16"]
}
resource "azurerm_virtual_network_gateway_connection" "c" {
  name                       = "to-onprem"
  location                   = "eastus"
  resource_group_name        = "rg"
  type                       = "IPsec"
  virtual_network_gateway_id = azurerm_virtual_network_gateway.vpn.id
  local_network_gateway_id   = azurerm_local_network_gateway.onprem.id
  shared_key                 = "x"
}
"#,
    );
    let gateway = named(&d["gateways"], "vpn");
    assert_eq!(
        (gateway["kind"].clone(), gateway["vnet"].clone()),
        (json!("vpn"), json!("v"))
    );
    assert_eq!(gateway["on_premises_prefixes"], json!(["192.168.0.0/16"]));
}

/// Network security perimeter resources lower to the ARM shapes `import/azure` converts: the
/// perimeter, its profile, inbound (address prefixes, subscriptions) and outbound (FQDN) access
/// rules, and the association with its access mode; the resource's own `publicNetworkAccess`
/// is left as written (the mode, not the association, decides:
/// https://learn.microsoft.com/azure/private-link/network-security-perimeter-transition).
#[test]
fn perimeter_profiles_access_rules_and_associations() {
    let configuration = |mode: &str| {
        format!(
            r#"
resource "azurerm_storage_account" "st" {{
  name                     = "stnsp"
  location                 = "eastus"
  resource_group_name      = "rg"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}}
resource "azurerm_network_security_perimeter" "p" {{
  name                = "nsp"
  location            = "eastus"
  resource_group_name = "rg"
}}
resource "azurerm_network_security_perimeter_profile" "profile" {{
  name                          = "profile"
  network_security_perimeter_id = azurerm_network_security_perimeter.p.id
}}
resource "azurerm_network_security_perimeter_access_rule" "corp" {{
  name                                  = "corp"
  network_security_perimeter_profile_id = azurerm_network_security_perimeter_profile.profile.id
  direction                             = "Inbound"
  address_prefixes                      = ["198.51.100.0/24"]
  subscription_ids                      = ["/subscriptions/11111111-1111-1111-1111-111111111111"]
}}
resource "azurerm_network_security_perimeter_access_rule" "out" {{
  name                                  = "partner"
  network_security_perimeter_profile_id = azurerm_network_security_perimeter_profile.profile.id
  direction                             = "Outbound"
  fqdns                                 = ["*.partner.example"]
}}
resource "azurerm_network_security_perimeter_association" "a" {{
  name                                  = "assoc"
  network_security_perimeter_profile_id = azurerm_network_security_perimeter_profile.profile.id
  resource_id                           = azurerm_storage_account.st.id
  access_mode                           = "{mode}"
}}
"#
        )
    };
    let enforced = design(&configuration("Enforced"));
    let perimeter = named(&enforced["network_security_perimeters"], "nsp");
    let profile = named(&perimeter["profiles"], "profile");
    assert_eq!(
        profile["inbound_rules"],
        json!([{"name": "corp", "address_prefixes": ["198.51.100.0/24"],
                "subscriptions": ["/subscriptions/11111111-1111-1111-1111-111111111111"]}])
    );
    assert_eq!(
        profile["outbound_rules"],
        json!([{"name": "partner", "fqdns": ["*.partner.example"]}])
    );
    assert_eq!(
        perimeter["associations"],
        json!([{"name": "assoc", "resource": "stnsp", "profile": "profile", "access_mode": "Enforced"}])
    );
    assert_eq!(
        named(&enforced["resources"], "stnsp")["public_network_access"],
        "Enabled"
    );
    let learning = design(&configuration("Learning"));
    assert_eq!(
        named(&learning["network_security_perimeters"], "nsp")["associations"][0]["access_mode"],
        "Learning"
    );
}

/// NIC↔ASG, NAT gateway↔public IP and subnet↔NAT gateway associations. A public IP's address
/// is Azure's to assign; given here (`ip_address`), the subnet egresses through it.
#[test]
fn asg_and_nat_gateway_associations() {
    let d = design(
        r#"resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_application_security_group" "web" {
  name                = "asg-web"
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_network_interface" "nic" {
  name                = "nic"
  location            = "eastus"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "c"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_network_interface_application_security_group_association" "a" {
  network_interface_id          = azurerm_network_interface.nic.id
  application_security_group_id = azurerm_application_security_group.web.id
}
resource "azurerm_public_ip" "nat" {
  name                = "nat-ip"
  location            = "eastus"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
  ip_address          = "20.1.2.3"
}
resource "azurerm_nat_gateway" "nat" {
  name                = "nat"
  location            = "eastus"
  resource_group_name = "rg"
}
resource "azurerm_nat_gateway_public_ip_association" "n" {
  nat_gateway_id       = azurerm_nat_gateway.nat.id
  public_ip_address_id = azurerm_public_ip.nat.id
}
resource "azurerm_subnet_nat_gateway_association" "s" {
  subnet_id      = azurerm_subnet.s.id
  nat_gateway_id = azurerm_nat_gateway.nat.id
}
"#,
    );
    assert_eq!(
        named(&d["computes"], "nic")["nic"]["asgs"],
        json!(["asg-web"])
    );
    assert_eq!(subnet(&d, "s")["nat_gateway_ip"], "20.1.2.3");
}

/// A subnet that does not set its private endpoint network policies gets its provider's
/// default: `Enabled` when the configuration pins azurerm 3.x, `Disabled` (4.x, as ARM)
/// otherwise (https://registry.terraform.io/providers/hashicorp/azurerm/3.117.1/docs/resources/subnet).
#[test]
fn private_endpoint_policies_default_by_the_pinned_provider_major_version() {
    let subnet_block = r#"
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
"#;
    let pinned = r#"
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.100"
    }
  }
}
"#;
    let three = design(&format!("{pinned}{subnet_block}"));
    assert_eq!(
        subnet(&three, "s")["private_endpoint_network_policies"],
        "Enabled"
    );
    let unpinned = design(subnet_block);
    assert_eq!(
        subnet(&unpinned, "s")["private_endpoint_network_policies"],
        "Disabled"
    );
}
