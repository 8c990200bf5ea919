//! azurerm load balancers lowered to `Microsoft.Network/loadBalancers`: `azurerm_lb` and its
//! separate parts (`azurerm_lb_backend_address_pool`, `azurerm_lb_backend_address_pool_address`,
//! `azurerm_lb_probe`, `azurerm_lb_rule`, `azurerm_lb_outbound_rule`) and
//! `azurerm_network_interface_backend_address_pool_association`
//! (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/lb).

use serde_json::json;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Verdict};
use vnetlab::model::{Design, Protocol};

use super::mapping::{design, named};

const HUB: &str = r#"
resource "azurerm_subnet" "nva" {
  name                 = "nva"
  resource_group_name  = "rg"
  virtual_network_name = "v"
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_subnet" "work" {
  name                            = "work"
  resource_group_name             = "rg"
  virtual_network_name            = "v"
  address_prefixes                = ["10.0.2.0/24"]
  default_outbound_access_enabled = false
}
resource "azurerm_network_interface" "nva" {
  for_each             = { a = "10.0.1.4", b = "10.0.1.5" }
  name                 = "nva-${each.key}"
  location             = "eastus"
  resource_group_name  = "rg"
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = each.value
  }
}
resource "azurerm_network_interface" "worker" {
  name                = "worker"
  location            = "eastus"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.work.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.2.4"
  }
}
resource "azurerm_lb" "ilb" {
  name                = "ilb"
  location            = "eastus"
  resource_group_name = "rg"
  sku                 = "Standard"
  frontend_ip_configuration {
    name                          = "fe"
    subnet_id                     = azurerm_subnet.nva.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.10"
  }
}
resource "azurerm_lb_backend_address_pool" "nvas" {
  name            = "nvas"
  loadbalancer_id = azurerm_lb.ilb.id
}
resource "azurerm_network_interface_backend_address_pool_association" "nva" {
  for_each                = azurerm_network_interface.nva
  network_interface_id    = each.value.id
  ip_configuration_name   = "ipconfig1"
  backend_address_pool_id = azurerm_lb_backend_address_pool.nvas.id
}
resource "azurerm_lb_probe" "ssh" {
  name            = "ssh"
  loadbalancer_id = azurerm_lb.ilb.id
  protocol        = "Tcp"
  port            = 22
}
resource "azurerm_lb_rule" "ha" {
  name                           = "ha"
  loadbalancer_id                = azurerm_lb.ilb.id
  protocol                       = "All"
  frontend_port                  = 0
  backend_port                   = 0
  frontend_ip_configuration_name = "fe"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.nvas.id]
  probe_id                       = azurerm_lb_probe.ssh.id
}
resource "azurerm_public_ip" "out" {
  name                = "out"
  location            = "eastus"
  resource_group_name = "rg"
  allocation_method   = "Static"
  ip_address          = "52.0.0.1"
}
resource "azurerm_lb" "plb" {
  name                = "plb"
  location            = "eastus"
  resource_group_name = "rg"
  sku                 = "Standard"
  frontend_ip_configuration {
    name                 = "pip"
    public_ip_address_id = azurerm_public_ip.out.id
  }
}
resource "azurerm_lb_backend_address_pool" "vms" {
  name            = "vms"
  loadbalancer_id = azurerm_lb.plb.id
}
resource "azurerm_lb_backend_address_pool_address" "worker" {
  name                    = "worker"
  backend_address_pool_id = azurerm_lb_backend_address_pool.vms.id
  virtual_network_id      = azurerm_virtual_network.v.id
  ip_address              = "10.0.2.4"
}
resource "azurerm_lb_outbound_rule" "out" {
  name                    = "out"
  loadbalancer_id         = azurerm_lb.plb.id
  protocol                = "All"
  backend_address_pool_id = azurerm_lb_backend_address_pool.vms.id
  frontend_ip_configuration {
    name = "pip"
  }
}
"#;

#[test]
fn azurerm_lb_and_its_parts_lower_to_one_load_balancer_each() {
    let d = design(HUB);
    let ilb = named(&d["load_balancers"], "ilb");
    assert_eq!(
        ilb["frontends"],
        json!([{"name": "fe", "subnet": "v/nva", "private_ip": "10.0.1.10"}])
    );
    assert_eq!(
        ilb["backend_pools"],
        json!([{"name": "nvas", "members": ["nva-a", "nva-b"]}])
    );
    assert_eq!(
        ilb["probes"],
        json!([{"name": "ssh", "protocol": "Tcp", "port": 22}])
    );
    assert_eq!(
        ilb["rules"],
        json!([{"name": "ha", "frontend": "fe", "backend_pool": "nvas", "protocol": "All",
                "frontend_port": 0, "backend_port": 0, "probe": "ssh"}])
    );
    let plb = named(&d["load_balancers"], "plb");
    assert_eq!(
        plb["frontends"],
        json!([{"name": "pip", "public_ip": "52.0.0.1"}])
    );
    assert_eq!(
        plb["outbound_rules"],
        json!([{"name": "out", "frontends": ["pip"], "backend_pool": "vms", "protocol": "All"}])
    );
    // The pool address 10.0.2.4 is the NIC `worker`.
    assert_eq!(
        plb["backend_pools"],
        json!([{"name": "vms", "members": ["worker"]}])
    );

    let design: Design = serde_json::from_value(d).expect("a design");
    let engine = Engine::new(&design);
    let out = engine
        .trace(&Flow::new(
            FlowSource::Element("worker".into()),
            FlowTarget::Address("203.0.113.9".parse().unwrap()),
            Protocol::Tcp,
            Some(443),
        ))
        .expect("traces");
    assert_eq!(out.verdict, Verdict::Allowed, "{}", out.reason);
    let egress = out
        .hops
        .iter()
        .find(|h| h.step == Step::InternetEgress)
        .expect("egress");
    assert_eq!(egress.rule.as_ref().map(|r| r.name.as_str()), Some("out"));
}
