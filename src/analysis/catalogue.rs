//! The required-flow catalogue: every network flow Azure Machine Learning documents as needed,
//! as data. Each entry cites the seed document (and section) it comes from, says when it is
//! required, and whether an attacker could write to its destination class (the exfiltration
//! article's rule: Storage and AzureFrontDoor.Frontend yes; Entra ID, ARM, AzureMachineLearning
//! and MCR no). `required.rs` instantiates the entries against a design.

use crate::model::{Direction, Protocol};

/// A host name that differs per cloud; `{region}` is replaced by the workspace region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host {
    pub public: &'static str,
    pub us_government: &'static str,
}

/// One end of a catalogue flow, before it is bound to elements of a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// Every AML compute instance and cluster (customer VNet or managed VNet).
    AmlCompute,
    /// The compute's own VNet (the `VirtualNetwork` tag as a source): an address of its subnet.
    ComputeVnet,
    /// The Azure host 168.63.129.16, which NSGs name `AzureLoadBalancer`.
    AzureHost,
    /// Jump boxes in the VNet, used to open the studio (seed 004 Step C).
    JumpBox,
    /// On-premises clients behind a VPN or ExpressRoute gateway (seed 003 assumptions).
    VpnClient,
    /// The AML service acting for the workspace (trusted services, resource-instance rules).
    WorkspaceService,
    /// A service tag, optionally regional (`Storage.<region>`), reached by `host` when given.
    ServiceTag {
        tag: &'static str,
        regional: bool,
        host: Option<Host>,
    },
    /// A public host outside Azure's tags (package indexes).
    InternetHost(Host),
    /// The workspace's own default storage account, through `sub_resource`.
    WorkspaceStorage(&'static str),
    /// The storage account Azure Batch uses for AML computes (Microsoft-managed, covered by
    /// the `/services/Azure/MachineLearning` service endpoint policy alias).
    BatchStorage,
    WorkspaceKeyVault,
    WorkspaceRegistry,
    Workspace,
}

/// When an entry applies. Evaluated per source compute (and its workspace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Always,
    /// The compute has a public IP (not "No public IP").
    ComputeHasPublicIp,
    /// The compute has a public IP and uses classic Batch node communication (or the option
    /// `legacy_batch_inbound` asks for the older docs' rule).
    ClassicNodeCommunication,
    /// The compute has no public IP and uses classic Batch node communication (or the option
    /// `legacy_batch_inbound`): seed 004 Step E's rules for the 2022 no-public-IP preview.
    NoPublicIpClassicNodeCommunication,
    /// A compute instance of a workspace with a private endpoint (RStudio, language server).
    ComputeInstanceWithWorkspacePrivateEndpoint,
    /// The workspace was created with `hbi_workspace`.
    HbiWorkspace,
    /// Curated environments come from mcr.microsoft.com (not a custom registry).
    CuratedImagesFromMcr,
    /// The compute is injected into a customer VNet (a managed VNet reaches Batch on its own).
    ComputeInCustomerVnet,
    /// Optional: only when jobs install packages from public indexes.
    PackageInstalls,
    /// Optional: only when Visual Studio Code desktop connects to a compute instance.
    VsCodeOnComputeInstance,
}

impl Condition {
    /// The condition in words, as `required_when` in reports.
    pub fn describe(self) -> &'static str {
        match self {
            Condition::Always => "always",
            Condition::ComputeHasPublicIp => "the compute has a public IP",
            Condition::ClassicNodeCommunication => "the compute has a public IP and uses classic Batch node communication (or option legacy_batch_inbound)",
            Condition::NoPublicIpClassicNodeCommunication => "the compute has no public IP and uses classic Batch node communication (or option legacy_batch_inbound)",
            Condition::ComputeInstanceWithWorkspacePrivateEndpoint => "compute instance of a workspace with a private endpoint",
            Condition::HbiWorkspace => "the workspace was created with hbi_workspace",
            Condition::CuratedImagesFromMcr => "curated environments are pulled from mcr.microsoft.com",
            Condition::ComputeInCustomerVnet => "the compute is in a customer VNet",
            Condition::PackageInstalls => "optional: jobs install packages from public indexes",
            Condition::VsCodeOnComputeInstance => {
                "optional: Visual Studio Code desktop connects to a compute instance"
            }
        }
    }

    /// Optional entries are reported but a design does not need them.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Condition::PackageInstalls | Condition::VsCodeOnComputeInstance
        )
    }
}

/// One documented flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueEntry {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Seed file and section (and the reference section) the entry comes from.
    pub source_document: &'static str,
    pub purpose: &'static str,
    pub required_when: Condition,
    /// Inbound or outbound as seen from the compute or client.
    pub direction: Direction,
    pub from: Endpoint,
    pub to: Endpoint,
    pub protocol: Protocol,
    pub ports: &'static [u16],
    pub writable_by_attacker: bool,
}

/// The AutoML host. The reference's conflict 11 lists `automlresources-prod.azureedge.net`
/// (2026 firewall doc) against this one (exfiltration doc); the seeds name this one and no
/// evaluation option chooses between them yet.
pub const AUTOML_HOST: &str = "automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net";
/// The studio's Front Door host (public cloud; `ml.azure.us` in US Government).
pub const STUDIO_HOST: Host = Host {
    public: "ml.azure.com",
    us_government: "ml.azure.us",
};
const AUTOML: Host = Host {
    public: AUTOML_HOST,
    us_government: AUTOML_HOST,
};
const ENTRA: Host = Host {
    public: "login.microsoftonline.com",
    us_government: "login.microsoftonline.us",
};
const ARM: Host = Host {
    public: "management.azure.com",
    us_government: "management.usgovcloudapi.net",
};
const AML_API: Host = Host {
    public: "{region}.api.azureml.ms",
    us_government: "{region}.api.ml.azure.us",
};
const BATCH: Host = Host {
    public: "aml.{region}.batch.azure.com",
    us_government: "aml.{region}.batch.usgovcloudapi.net",
};
const MCR: Host = Host {
    public: "mcr.microsoft.com",
    us_government: "mcr.microsoft.com",
};
const MCR_DATA: Host = Host {
    public: "{region}.data.mcr.microsoft.com",
    us_government: "{region}.data.mcr.microsoft.com",
};
const MONITOR: Host = Host {
    public: "dc.applicationinsights.azure.com",
    us_government: "dc.applicationinsights.azure.com",
};
const PYPI: Host = Host {
    public: "pypi.org",
    us_government: "pypi.org",
};
const PYTHONHOSTED: Host = Host {
    public: "files.pythonhosted.org",
    us_government: "files.pythonhosted.org",
};
const ANACONDA: Host = Host {
    public: "repo.anaconda.com",
    us_government: "repo.anaconda.com",
};

/// Ports Visual Studio Code desktop uses to reach a compute instance.
const VS_CODE_PORTS: [u16; 7] = [8704, 8705, 8706, 8707, 8708, 8709, 8710];

const fn tag(tag: &'static str, regional: bool, host: Option<Host>) -> Endpoint {
    Endpoint::ServiceTag {
        tag,
        regional,
        host,
    }
}

/// The catalogue. Order is the report order.
pub const CATALOGUE: &[CatalogueEntry] = &[
    CatalogueEntry {
        id: "inbound-aml-44224",
        source_document: "001_8ce7b28008a0f891.txt Inbound; 004_3d730467459d448a.txt Step D (Required public internet access); reference 7.1",
        purpose: "AML creates, updates and deletes the compute",
        required_when: Condition::ComputeHasPublicIp,
        direction: Direction::Inbound,
        from: tag("AzureMachineLearning", false, None),
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &[44224],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "inbound-batch-29876",
        source_document: "004_3d730467459d448a.txt Step D (Required public internet access); 003_687d1f1c56146b39.txt compute scenario; reference 7.1 (classic mode only; 002 drops it)",
        purpose: "Azure Batch (classic node communication) manages the nodes",
        required_when: Condition::ClassicNodeCommunication,
        direction: Direction::Inbound,
        from: tag("BatchNodeManagement", true, None),
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &[29876, 29877],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "inbound-vnet-batch-no-public-ip",
        source_document: "004_3d730467459d448a.txt Step D (Important: no public IP) and Step E (No public IP for compute clusters, preview); 002_5b4cb6bb1d57b787.txt (Batch inbound no longer required)",
        purpose: "Azure Batch manages no-public-IP nodes from inside the VNet (classic node communication)",
        required_when: Condition::NoPublicIpClassicNodeCommunication,
        direction: Direction::Inbound,
        from: Endpoint::ComputeVnet,
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &[29876, 29877],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "inbound-load-balancer-no-public-ip",
        source_document: "004_3d730467459d448a.txt Step D (Important: no public IP) and Step E (No public IP for compute clusters, preview)",
        purpose: "AML reaches no-public-IP nodes through the Azure load balancer",
        required_when: Condition::NoPublicIpClassicNodeCommunication,
        direction: Direction::Inbound,
        from: Endpoint::AzureHost,
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &[44224],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-entra-id",
        source_document: "004_3d730467459d448a.txt Step D (network rules); 001_8ce7b28008a0f891.txt Outbound; reference 7.2",
        purpose: "authentication with Microsoft Entra ID",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureActiveDirectory", false, Some(ENTRA)),
        protocol: Protocol::Tcp,
        ports: &[80, 443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-aml-https",
        source_document: "000_df96d350b6876ac4.txt Inbound and outbound; 004_3d730467459d448a.txt Step D; reference 7.2",
        purpose: "the Azure Machine Learning service",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureMachineLearning", false, Some(AML_API)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-aml-notebook",
        source_document: "004_3d730467459d448a.txt Step D (8787 RStudio, 18881 language server; only with a workspace private endpoint); reference 7.2",
        purpose: "RStudio and the notebook language server on a compute instance",
        required_when: Condition::ComputeInstanceWithWorkspacePrivateEndpoint,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureMachineLearning", false, Some(AML_API)),
        protocol: Protocol::Tcp,
        ports: &[8787, 18881],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-aml-udp-5831",
        source_document: "reference 7.2 (2026 firewall doc; not in the seeds)",
        purpose: "AML compute communication over UDP",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureMachineLearning", false, Some(AML_API)),
        protocol: Protocol::Udp,
        ports: &[5831],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-arm",
        source_document: "004_3d730467459d448a.txt Step D; reference 7.2",
        purpose: "Azure Resource Manager",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureResourceManager", false, Some(ARM)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-batch",
        source_document: "000_df96d350b6876ac4.txt Inbound and outbound (ANY 443); 001/002 Outbound; reference 7.1 simplified node communication",
        purpose: "Azure Batch back end (simplified node communication)",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("BatchNodeManagement", true, Some(BATCH)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-batch-storage",
        source_document: "000_df96d350b6876ac4.txt (Storage.<region> TCP 443, service endpoint policy alias); 003 Purposes of storage accounts (Microsoft storage); reference 7.6",
        purpose: "Microsoft-managed storage of the Batch back end (Storage.<region>)",
        required_when: Condition::ComputeInCustomerVnet,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::BatchStorage,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: true,
    },
    CatalogueEntry {
        id: "workspace-storage-blob",
        source_document: "003_687d1f1c56146b39.txt Purposes of storage accounts (your storage, 443); reference 7.2",
        purpose: "data and artifacts in the workspace's default storage (blob)",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::WorkspaceStorage("blob"),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "workspace-storage-file-smb",
        source_document: "003_687d1f1c56146b39.txt Purposes of storage accounts (file share over SMB 445); 004_3d730467459d448a.txt Step D (445 when a firewall sits between the compute and the storage private endpoints)",
        purpose: "the workspace file share mounted over SMB",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::WorkspaceStorage("file"),
        protocol: Protocol::Tcp,
        ports: &[445],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "workspace-key-vault",
        source_document: "003_687d1f1c56146b39.txt Assumptions (key vault through its private endpoint); 004_3d730467459d448a.txt Step C",
        purpose: "the workspace's key vault",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::WorkspaceKeyVault,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "workspace-registry",
        source_document: "004_3d730467459d448a.txt Step D (AzureContainerRegistry.<region>: custom images); Step C (registry private endpoint)",
        purpose: "the workspace's container registry (custom images)",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::WorkspaceRegistry,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "workspace-api",
        source_document: "003_687d1f1c56146b39.txt Assumptions (workspace private endpoint); 004_3d730467459d448a.txt Step E (no-public-IP computes need the workspace private link)",
        purpose: "the workspace API",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::Workspace,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-hbi-key-vault",
        source_document: "004_3d730467459d448a.txt Step D (Keyvault.region, hbi_workspace only); 003 compute scenario; reference 7.7",
        purpose: "the key vault of the Batch back end",
        required_when: Condition::HbiWorkspace,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureKeyVault", true, None),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-mcr",
        source_document: "001_8ce7b28008a0f891.txt Curated environments (MicrosoftContainerRegistry.<region>, mcr.microsoft.com); 004 Step D",
        purpose: "curated images from the Microsoft Container Registry",
        required_when: Condition::CuratedImagesFromMcr,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("MicrosoftContainerRegistry", true, Some(MCR)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-mcr-data",
        source_document: "001_8ce7b28008a0f891.txt Curated environments (AzureFrontDoor.FirstParty, *.data.mcr.microsoft.com)",
        purpose: "MCR image layers behind AzureFrontDoor.FirstParty",
        required_when: Condition::CuratedImagesFromMcr,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureFrontDoor.FirstParty", false, Some(MCR_DATA)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "outbound-automl-frontdoor",
        source_document: "000_df96d350b6876ac4.txt (AutoML host instead of AzureFrontDoor.frontend); 001 Outbound; 004 Step D (AzureFrontDoor.FrontEnd)",
        purpose: "AutoML assets on Azure Front Door",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureFrontDoor.Frontend", false, Some(AUTOML)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: true,
    },
    CatalogueEntry {
        id: "outbound-azure-monitor",
        source_document: "004_3d730467459d448a.txt Step D (AzureMonitor, monitoring hosts); reference 7.2 (unless AMPLS)",
        purpose: "metrics and logs to Azure Monitor and Application Insights",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: tag("AzureMonitor", false, Some(MONITOR)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "package-pypi",
        source_document: "004_3d730467459d448a.txt Step D (application rules: pypi.org)",
        purpose: "Python package index",
        required_when: Condition::PackageInstalls,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::InternetHost(PYPI),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "package-pythonhosted",
        source_document: "004_3d730467459d448a.txt Step D (*.pythonhosted.org when the index is overwritten)",
        purpose: "Python package files",
        required_when: Condition::PackageInstalls,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::InternetHost(PYTHONHOSTED),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "package-anaconda",
        source_document: "004_3d730467459d448a.txt Step D (anaconda.com, *.anaconda.com)",
        purpose: "conda default packages",
        required_when: Condition::PackageInstalls,
        direction: Direction::Outbound,
        from: Endpoint::AmlCompute,
        to: Endpoint::InternetHost(ANACONDA),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "studio-frontdoor",
        source_document: "003_687d1f1c56146b39.txt Access a workspace from the studio; 004_3d730467459d448a.txt Step F (AzureFrontDoor.Frontend from inside the VNet); 000 (ml.azure.com)",
        purpose: "the studio UI from a client inside the VNet",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::JumpBox,
        to: tag("AzureFrontDoor.Frontend", false, Some(STUDIO_HOST)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: true,
    },
    CatalogueEntry {
        id: "studio-entra-id",
        source_document: "003_687d1f1c56146b39.txt Access a workspace from the studio (Microsoft Entra ID)",
        purpose: "studio sign-in from a client inside the VNet",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::JumpBox,
        to: tag("AzureActiveDirectory", false, Some(ENTRA)),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "studio-workspace",
        source_document: "003_687d1f1c56146b39.txt Access a workspace from the studio (workspace private endpoint); 004 Step C",
        purpose: "the studio's calls to the workspace",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::JumpBox,
        to: Endpoint::Workspace,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "studio-storage-blob",
        source_document: "003_687d1f1c56146b39.txt Access a workspace from the studio (default storage private endpoint); reference 7.3",
        purpose: "the studio's browser code reads the default storage",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::JumpBox,
        to: Endpoint::WorkspaceStorage("blob"),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "vscode-from-jump-box",
        source_document: "reference 7.2 (VS Code: ports 8704-8710 to the compute instance); 003_687d1f1c56146b39.txt compute scenario (VS Code on a compute instance needs more traffic); 004_3d730467459d448a.txt Step D (VS Code hosts)",
        purpose: "Visual Studio Code desktop on the jump box connects to a compute instance",
        required_when: Condition::VsCodeOnComputeInstance,
        direction: Direction::Inbound,
        from: Endpoint::JumpBox,
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &VS_CODE_PORTS,
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "vscode-from-vpn-client",
        source_document: "reference 7.2 (VS Code: ports 8704-8710 to the compute instance); 003_687d1f1c56146b39.txt compute scenario and Assumptions (clients over VPN)",
        purpose: "Visual Studio Code desktop on a VPN client connects to a compute instance",
        required_when: Condition::VsCodeOnComputeInstance,
        direction: Direction::Inbound,
        from: Endpoint::VpnClient,
        to: Endpoint::AmlCompute,
        protocol: Protocol::Tcp,
        ports: &VS_CODE_PORTS,
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "vpn-studio-workspace",
        source_document: "003_687d1f1c56146b39.txt Assumptions (clients over VPN or ExpressRoute) and Access a workspace from the studio",
        purpose: "the studio's calls to the workspace from a VPN client",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::VpnClient,
        to: Endpoint::Workspace,
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "vpn-studio-storage-blob",
        source_document: "003_687d1f1c56146b39.txt Access a workspace from the studio (storage private endpoint); reference 7.3",
        purpose: "the studio's browser code reads the default storage from a VPN client",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::VpnClient,
        to: Endpoint::WorkspaceStorage("blob"),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
    CatalogueEntry {
        id: "data-profiling-storage",
        source_document: "003_687d1f1c56146b39.txt Use AutoML, the designer, the dataset and the datastore from the studio (trusted services or resource instance rule); 004 Step F",
        purpose: "data profiling: the AML service reads the default storage",
        required_when: Condition::Always,
        direction: Direction::Outbound,
        from: Endpoint::WorkspaceService,
        to: Endpoint::WorkspaceStorage("blob"),
        protocol: Protocol::Tcp,
        ports: &[443],
        writable_by_attacker: false,
    },
];

/// The entry with `id`.
pub fn entry(id: &str) -> Option<&'static CatalogueEntry> {
    CATALOGUE.iter().find(|e| e.id == id)
}
