// End-to-end tests of the policy editors and template import against the release build: an
// ARM template with its parameters file picked together, another dropped on the page, their
// elements and the diagnostics panel; Terraform files and a Terraform folder picked; a route
// edited through its form changes verdicts; an internal load balancer built in its editor, and
// a firewall's additional public IP and explicit proxy, change traced verdicts; an editor out of
// sight takes a toggle after its frame is painted, one in sight at once. No request
// leaves localhost.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCREENSHOT_DIR, assertClean, byTestId, openApp as openSharedApp, startSession } from './browser.mjs';

let session;
before(async () => { session = await startSession(); });
after(async () => { await session?.close(); });

const ARM = '../shared/fixtures/arm';

const openApp = (path) => openSharedApp(session, path);

test('an ARM template picked with its parameters file loads; its diagnostics are listed', async () => {
  const { page, record } = await openApp();
  const dir = `${ARM}/azurefirewall-forced-tunneling`;
  await page.setInputFiles(byTestId('import-input'), [`${dir}/azuredeploy.json`, `${dir}/azuredeploy.parameters.json`]);
  await page.waitForSelector(byTestId('element-from-vnet'), { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator(byTestId('firewall-firewall1')).count() === 1, 'the firewall is listed');
  assert.ok(await page.locator('.diagram-canvas g[data-testid^="node-"]').count() > 3, 'diagram drawn');
  const headline = await page.locator(byTestId('import-headline')).textContent();
  assert.match(headline, /azuredeploy\.json with azuredeploy\.parameters\.json \(ARM template\)/);
  assert.ok(await page.locator(`${byTestId('import-diagnostics')} li`).count() > 0, 'import diagnostics listed');
  assert.equal(await page.locator(`${byTestId('import-unevaluated')} li`).count(), 2);
  assert.match(await page.locator(`${byTestId('import-unevaluated')} li`).first().textContent(), /\$\.resources\[\d+\]/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/arm-template-picked.png` });
  assertClean(record);
});

test('the .tf files of a Terraform configuration picked together load: the AML quickstart, its placeholders listed', async () => {
  const { page, record } = await openApp();
  const dir = '../shared/fixtures/terraform/201-machine-learning-moderately-secure';
  const files = ['bastion.tf', 'compute.tf', 'dsvm.tf', 'main.tf', 'network.tf', 'variables.tf', 'workspace.tf'];
  await page.setInputFiles(byTestId('import-input'), files.map((file) => `${dir}/${file}`));
  await page.waitForFunction(() => /Terraform configuration/.test(document.querySelector('[data-testid="import-headline"]')?.textContent ?? ''),
    null, { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator('.diagram-canvas g[data-testid^="node-"]').count() > 3, 'diagram drawn');
  assert.ok(await page.locator(`${byTestId('section-required')} .flow-row`).count() > 10, 'the workspace\'s required flows are listed');
  assert.ok(await page.locator(`${byTestId('section-exfiltration')} [data-status="open"]`).count() > 0,
    'the quickstart leaves exfiltration paths open (public network access stays enabled)');
  const placeholders = await page.locator(`${byTestId('import-unevaluated')} li`).allTextContents();
  assert.ok(placeholders.some((text) => /\.tf:\d+/.test(text)), `placeholders name their file and line: ${placeholders}`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/terraform-picked.png` });
  assertClean(record);
});

test('a Terraform folder picked with Import → Folder… loads with its local module; .terraform is not read', async () => {
  const { page, record } = await openApp();
  const folder = await mkdtemp(join(tmpdir(), 'vnetlab-tf-'));
  const root = join(folder, 'quickstart');
  await mkdir(join(root, 'modules', 'network'), { recursive: true });
  await mkdir(join(root, '.terraform'), { recursive: true });
  await writeFile(join(root, 'main.tf'), 'module "network" {\n  source = "./modules/network"\n  name   = var.name\n}\nvariable "name" {}\n');
  await writeFile(join(root, 'terraform.tfvars'), 'name = "picked"\n');
  await writeFile(join(root, 'modules', 'network', 'main.tf'),
    'variable "name" {}\nresource "azurerm_virtual_network" "v" {\n  name = "vnet-${var.name}"\n  address_space = ["10.9.0.0/16"]\n' +
    '  location = "eastus"\n  resource_group_name = "rg"\n}\n');
  // Not a configuration file: were it read, the import would fail on it.
  await writeFile(join(root, '.terraform', 'broken.tf'), 'this is { not HCL');
  await page.setInputFiles(byTestId('import-folder-input'), root);
  await page.waitForFunction(() => /Terraform configuration/.test(document.querySelector('[data-testid="import-headline"]')?.textContent ?? ''),
    null, { timeout: 30000 });
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator('.diagram-canvas', { hasText: 'vnet-picked' }).count() > 0, 'the module\'s VNet, named from terraform.tfvars, is drawn');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/terraform-folder-picked.png` });
  await rm(folder, { recursive: true, force: true });
  assertClean(record);
});

test('an appliance\'s IP forwarding and SNAT are edited in the element tree; a traced flow follows', async () => {
  const { page, record } = await openApp();
  // A spoke whose 0.0.0.0/0 goes to an appliance in the hub; a second spoke's NSG admits only
  // the appliance's address.
  const peering = (name, local, remote) => ({ name, local_vnet: local, remote_vnet: remote, allow_forwarded_traffic: true });
  const design = {
    schema_version: 1, name: 'nva hub',
    virtual_networks: [
      { name: 'spoke', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'app', prefix: '10.0.1.0/24', route_table: 'rt' }] },
      { name: 'hub', region: 'eastus', address_space: ['10.1.0.0/16'], subnets: [{ name: 'nva', prefix: '10.1.1.0/24' }] },
      { name: 'spoke2', region: 'eastus', address_space: ['10.2.0.0/16'], subnets: [{ name: 'app', prefix: '10.2.1.0/24', nsg: 'nsg-app' }] },
    ],
    peerings: [peering('s-h', 'spoke', 'hub'), peering('h-s', 'hub', 'spoke'), peering('s2-h', 'spoke2', 'hub'), peering('h-s2', 'hub', 'spoke2')],
    route_tables: [{ name: 'rt', routes: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_ip: '10.1.1.4' }] }],
    network_security_groups: [{ name: 'nsg-app', rules: [
      { name: 'from-nva', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: ['10.1.1.4'], destination: ['*'], destination_ports: ['443'] },
      { name: 'deny-rest', priority: 200, direction: 'Inbound', access: 'Deny', protocol: '*', source: ['*'], destination: ['*'], destination_ports: ['*'] },
    ] }],
    computes: [
      { name: 'web', kind: 'virtual_machine', nic: { subnet: 'spoke/app', private_ip: '10.0.1.4' } },
      { name: 'nva', kind: 'network_virtual_appliance', nic: { subnet: 'hub/nva', private_ip: '10.1.1.4' } },
      { name: 'db', kind: 'virtual_machine', nic: { subnet: 'spoke2/app', private_ip: '10.2.1.4' } },
    ],
  };
  await page.setInputFiles(byTestId('import-input'), { name: 'nva.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForSelector(byTestId('ip-forwarding-nva'));
  assert.equal(await page.locator(byTestId('snat-nva')).isDisabled(), true, 'SNAT needs IP forwarding');
  await page.selectOption(byTestId('trace-form-from'), 'web');
  await page.fill(byTestId('trace-form-to'), 'db');
  await page.fill(byTestId('trace-form-port'), '443');
  await page.click(byTestId('trace-form-submit'));
  const verdict = () => page.locator(`${byTestId('traced-row')} .verdict`).first().textContent();
  await page.waitForSelector(byTestId('traced-row'));
  assert.doesNotMatch(await verdict(), /allowed/, 'without IP forwarding the appliance drops transit traffic');

  await page.click(byTestId('ip-forwarding-nva'));
  await page.waitForFunction((s) => !document.querySelector(s).disabled, byTestId('snat-nva'));
  assert.match(await verdict(), /blocked/, 'forwarded unchanged: db\'s NSG sees web and denies it');
  await page.click(byTestId('snat-nva'));
  await page.waitForFunction((s) => document.querySelector(s).checked, byTestId('snat-nva'));
  assert.match(await verdict(), /allowed/, 'with SNAT db\'s NSG sees the appliance');
  await page.locator(byTestId('ip-forwarding-nva')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/nva-forwarding.png` });
  assertClean(record);
});

test('an ARM template dropped on the page loads; a parameters file alone fails and keeps the design', async () => {
  const { page, record } = await openApp();
  const dir = `${ARM}/userdefined-routes-appliance`;
  const files = [
    { name: 'azuredeploy.json', text: await readFile(`${dir}/azuredeploy.json`, 'utf8') },
    { name: 'azuredeploy.parameters.json', text: await readFile(`${dir}/azuredeploy.parameters.json`, 'utf8') },
  ];
  const drop = (list) => page.evaluate((items) => {
    const transfer = new DataTransfer();
    for (const f of items) transfer.items.add(new File([f.text], f.name, { type: 'application/json' }));
    const target = document.querySelector('[data-testid="shell"]');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, list);
  await drop(files);
  await page.waitForFunction(() => document.querySelector('[data-testid="import-headline"]')?.textContent.includes('ARM template'));
  assert.equal(await page.locator(byTestId('error-banner')).count(), 0);
  assert.ok(await page.locator(`${byTestId('route-editor')} [data-testid^="route-table-"]`).count() > 0, 'its route tables are listed');
  const name = await page.locator(byTestId('design-name')).textContent();

  await drop([files[1]]);
  await page.waitForSelector(byTestId('error-banner'));
  assert.match(await page.locator(byTestId('error-text')).textContent(), /parameters file/);
  assert.match(await page.locator(byTestId('import-error')).textContent(), /parameters file/);
  assert.equal(await page.locator(byTestId('design-name')).textContent(), name, 'the design is kept');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/arm-template-dropped.png` });
  assertClean(record);
});

test('editing a route through its form changes verdicts, and undo restores them', async () => {
  const { page, record } = await openApp();
  const statuses = () => page.locator('.flow-row').evaluateAll(
    (rows) => rows.map((r) => `${r.dataset.testid}:${r.dataset.status}`).join(' '));
  const before = await statuses();
  await page.click('[aria-label="Edit route default-to-fw"]');
  await page.waitForSelector(byTestId('route-form'));
  await page.fill(byTestId('route-next_hop_ip'), '10.0.3.999');
  assert.match(await page.locator(byTestId('route-next_hop_ip-error')).textContent(), /not an IPv4 address/);
  assert.equal(await page.locator(byTestId('route-apply')).isDisabled(), true);
  await page.selectOption(byTestId('route-next_hop_type'), 'None');
  await page.fill(byTestId('route-next_hop_ip'), '');
  assert.equal(await page.locator(byTestId('route-apply')).isDisabled(), false);
  await page.click(byTestId('route-apply'));
  await page.waitForFunction(() => document.querySelector('[data-testid="route-rt-default-to-fw"]')?.textContent.includes('None'));
  const after = await statuses();
  assert.notEqual(after, before, 'a 0/0 route to None drops traffic the firewall used to pass');
  assert.match(await page.locator(byTestId('last-change')).textContent(), /changed|broken|opened|closed/);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/route-edited.png` });
  await page.click(byTestId('undo'));
  await page.waitForFunction(() => document.querySelector('[data-testid="route-rt-default-to-fw"]')?.textContent.includes('VirtualAppliance'));
  assert.equal(await statuses(), before);
  assertClean(record);
});

test('the semantics options panel shows every option with a control', async () => {
  const { page, record } = await openApp();
  await page.click(`${byTestId('options-panel')} summary`);
  const keys = await page.locator(`${byTestId('options-panel')} [data-option]`).evaluateAll((rows) => rows.map((r) => r.dataset.option));
  assert.ok(keys.includes('service_endpoint_beats_udr') && keys.includes('storage_endpoint_scope') && keys.includes('max_rules_per_nsg'), `${keys}`);
  await page.selectOption(byTestId('option-storage_endpoint_scope'), 'same_region_and_paired');
  await page.waitForSelector('[data-option="storage_endpoint_scope"].changed');
  await page.screenshot({ path: `${SCREENSHOT_DIR}/options.png` });
  assertClean(record);
});

// Traces `from` → `to`:`port` with the trace form; returns a function reading that row's verdict.
async function traceFlow(page, from, to, port) {
  await page.selectOption(byTestId('trace-form-from'), from);
  await page.fill(byTestId('trace-form-to'), to);
  await page.fill(byTestId('trace-form-port'), String(port));
  await page.click(byTestId('trace-form-submit'));
  const row = page.locator(byTestId('traced-row'), { hasText: to });
  await row.first().waitFor();
  return () => row.first().locator('.verdict').textContent();
}

// Waits (up to 10 s) until `verdict()` matches `pattern`: a change re-traces the row after its repaint.
async function waitForVerdict(page, verdict, pattern) {
  for (let i = 0; i < 100; i += 1) {
    if (pattern.test(await verdict())) return;
    await page.waitForTimeout(100);
  }
  assert.match(await verdict(), pattern);
}

test('an internal load balancer is built in the editor: the routed flow reaches a healthy NVA, a blocked probe drops it, undo restores it', async () => {
  const { page, record } = await openApp();
  // A spoke whose 0.0.0.0/0 goes to 10.1.1.10 in the hub, where two forwarding NVAs sit behind
  // an NSG denying the load balancer's probes on TCP 8080; no load balancer yet.
  const peering = (name, local, remote) => ({ name, local_vnet: local, remote_vnet: remote, allow_forwarded_traffic: true });
  const nva = (name, ip) => ({ name, kind: 'network_virtual_appliance', nic: { subnet: 'hub/nva', private_ip: ip, nsg: 'nsg-nva', ip_forwarding: true } });
  const design = {
    schema_version: 1, name: 'nva hub behind a load balancer',
    virtual_networks: [
      { name: 'spoke', region: 'eastus', address_space: ['10.0.0.0/16'], subnets: [{ name: 'app', prefix: '10.0.1.0/24', route_table: 'rt' }] },
      { name: 'hub', region: 'eastus', address_space: ['10.1.0.0/16'], subnets: [{ name: 'nva', prefix: '10.1.1.0/24' }] },
      { name: 'spoke2', region: 'eastus', address_space: ['10.2.0.0/16'], subnets: [{ name: 'app', prefix: '10.2.1.0/24' }] },
    ],
    peerings: [peering('s-h', 'spoke', 'hub'), peering('h-s', 'hub', 'spoke'), peering('s2-h', 'spoke2', 'hub'), peering('h-s2', 'hub', 'spoke2')],
    route_tables: [{ name: 'rt', routes: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_ip: '10.1.1.10' }] }],
    network_security_groups: [{ name: 'nsg-nva', rules: [
      { name: 'deny-probe-8080', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: ['AzureLoadBalancer'], destination: ['*'], destination_ports: ['8080'] },
    ] }],
    computes: [
      { name: 'web', kind: 'virtual_machine', nic: { subnet: 'spoke/app', private_ip: '10.0.1.4' } },
      nva('nva', '10.1.1.4'), nva('nva2', '10.1.1.5'),
      { name: 'db', kind: 'virtual_machine', nic: { subnet: 'spoke2/app', private_ip: '10.2.1.4' } },
    ],
  };
  await page.setInputFiles(byTestId('import-input'), { name: 'ilb.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForSelector(byTestId('add-lb-hub/nva'));
  const verdict = await traceFlow(page, 'web', 'db', 443);
  assert.doesNotMatch(await verdict(), /allowed/, 'nothing answers at 10.1.1.10 yet');

  await page.click(byTestId('add-lb-hub/nva'));
  await page.waitForSelector(byTestId('lb-ilb'));
  assert.match(await page.locator(byTestId('element-ilb')).textContent(), /ilb/, 'the load balancer is in the element tree');
  await page.locator(byTestId('element-ilb')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/load-balancer-tree.png` });
  assert.match(await page.locator(byTestId('lb-frontend-frontend')).textContent(), /private 10\.1\.1\.6 in hub\/nva/);

  // The frontend moves to the routes' next hop; an address outside the subnet is named.
  await page.click(byTestId('edit-lb-frontend-frontend'));
  await page.fill(byTestId('lb-frontend-private_ip'), '10.2.1.10');
  assert.match(await page.locator(byTestId('lb-frontend-private_ip-error')).textContent(), /10\.2\.1\.10 is not in subnet hub\/nva/);
  assert.equal(await page.locator(byTestId('lb-frontend-apply')).isDisabled(), true);
  await page.fill(byTestId('lb-frontend-private_ip'), '10.1.1.10');
  await page.click(byTestId('lb-frontend-apply'));
  await page.waitForFunction(() => /10\.1\.1\.10/.test(document.querySelector('[data-testid="lb-frontend-frontend"]')?.textContent ?? ''));

  // A pool of both NVAs, the default TCP 22 probe and the HA ports rule the form offers.
  await page.click(byTestId('add-lb-backend-pool-ilb'));
  await page.check(byTestId('lb-pool-members-nva'));
  await page.check(byTestId('lb-pool-members-nva2'));
  await page.click(byTestId('lb-pool-apply'));
  await page.waitForSelector(byTestId('lb-backend-pool-pool'));
  await page.click(byTestId('add-lb-health-probe-ilb'));
  await page.fill(byTestId('lb-probe-port'), '0');
  assert.match(await page.locator(byTestId('lb-probe-port-error')).textContent(), /number from 1 to 65535/);
  await page.fill(byTestId('lb-probe-port'), '22');
  await page.click(byTestId('lb-probe-apply'));
  await page.waitForSelector(byTestId('lb-health-probe-probe'));
  await page.click(byTestId('add-lb-load-balancing-rule-ilb'));
  assert.equal(await page.locator(byTestId('lb-rule-protocol')).inputValue(), 'HA ports');
  assert.equal(await page.locator(byTestId('lb-rule-frontend_port')).count(), 0, 'HA ports take no port');
  await page.locator(byTestId('lb-rule-form')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/load-balancer-rule-form.png` });
  await page.click(byTestId('lb-rule-apply'));
  await page.waitForSelector(byTestId('lb-load-balancing-rule-ha-ports'));
  await waitForVerdict(page, verdict, /allowed/);

  // The probe moved to 8080, which the NVAs' NSG denies: no healthy backend, the flow is dropped.
  await page.click(byTestId('edit-lb-health-probe-probe'));
  await page.fill(byTestId('lb-probe-port'), '8080');
  await page.click(byTestId('lb-probe-apply'));
  await waitForVerdict(page, verdict, /no-route/);
  await page.locator(byTestId('lb-ilb')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/load-balancer-editor.png` });
  await page.click(byTestId('undo'));
  await waitForVerdict(page, verdict, /allowed/);
  assert.match(await page.locator(byTestId('lb-health-probe-probe')).textContent(), /port 22/);

  // Removed from the element tree: the route has nowhere to go again.
  await page.click('[aria-label="Remove ilb"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="lb-editor"]'));
  await waitForVerdict(page, verdict, /^(?!.*allowed)/);
  assertClean(record);
});

test('a firewall\'s additional public IP and its policy\'s explicit proxy are edited in the firewall editor; traced flows follow', async () => {
  const { page, record } = await openApp();
  // A compute configured to use fw's explicit proxy, whose policy has it off; a DNAT rule on
  // 20.0.0.2, not yet a public IP of the firewall.
  const design = {
    schema_version: 1, name: 'firewall settings',
    virtual_networks: [{ name: 'vnet', region: 'eastus', address_space: ['10.0.0.0/16'],
      subnets: [{ name: 'training', prefix: '10.0.1.0/24' }, { name: 'AzureFirewallSubnet', prefix: '10.0.3.0/26' }] }],
    firewalls: [{ name: 'fw', subnet: 'vnet/AzureFirewallSubnet', private_ip: '10.0.3.4', public_ip: '20.0.0.1', policy: 'policy' }],
    firewall_policies: [{ name: 'policy', rule_collection_groups: [{ name: 'g', priority: 100, rule_collections: [
      { type: 'nat', name: 'dnat', priority: 100, rules: [{ name: 'ssh', protocols: ['Tcp'], sources: ['*'], destination_address: '20.0.0.2',
        destination_ports: ['2222'], translated_address: '10.0.1.4', translated_port: 22 }] },
      { type: 'network', name: 'deny-all', priority: 200, action: 'Deny',
        rules: [{ name: 'nothing', protocols: ['Any'], sources: ['*'], destinations: ['*'], destination_ports: ['*'] }] },
      { type: 'application', name: 'web', priority: 300, action: 'Allow',
        rules: [{ name: 'allow-pypi', sources: ['*'], protocols: [{ protocol: 'https', port: 443 }], target_fqdns: ['pypi.org'] }] },
    ] }] }],
    computes: [{ name: 'ci', kind: 'virtual_machine', explicit_proxy: 'fw', nic: { subnet: 'vnet/training', private_ip: '10.0.1.4' } }],
    external_hosts: [{ name: 'internet-host', kind: 'internet', ip: '203.0.113.10', fqdns: ['pypi.org'] }],
  };
  await page.setInputFiles(byTestId('import-input'), { name: 'fw.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(design)) });
  await page.waitForSelector(byTestId('explicit-proxy-policy'));
  assert.match(await page.locator(byTestId('explicit-proxy-summary-policy')).textContent(), /off · configured on ci/);

  // The explicit proxy: off, ci's HTTPS request is refused; on, the application rule allows it.
  const proxied = await traceFlow(page, 'ci', 'pypi.org', 443);
  assert.match(await proxied(), /blocked/);
  await page.click(byTestId('edit-explicit-proxy-policy'));
  await page.check(byTestId('explicit-proxy-enabled'));
  await page.fill(byTestId('explicit-proxy-https_port'), '8080');
  assert.match(await page.locator(byTestId('explicit-proxy-https_port-error')).textContent(), /ports must differ/);
  assert.equal(await page.locator(byTestId('explicit-proxy-apply')).isDisabled(), true);
  await page.fill(byTestId('explicit-proxy-https_port'), '8443');
  await page.click(byTestId('explicit-proxy-apply'));
  await page.waitForFunction(() => /on · HTTP port 8080 · HTTPS port 8443/.test(
    document.querySelector('[data-testid="explicit-proxy-summary-policy"]')?.textContent ?? ''));
  await waitForVerdict(page, proxied, /allowed/);

  // ci's own setting, a select in the element tree: none, then fw's proxy again.
  const summary = () => page.locator(byTestId('explicit-proxy-summary-policy')).textContent();
  await page.selectOption(byTestId('compute-proxy-ci'), '');
  await waitForVerdict(page, summary, /no compute is configured to use it/);
  await page.locator(byTestId('compute-proxy-ci')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/compute-proxy.png` });
  await page.selectOption(byTestId('compute-proxy-ci'), 'fw');
  await waitForVerdict(page, summary, /configured on ci/);
  await waitForVerdict(page, proxied, /allowed/);

  // An additional public IP: a private address is named; 20.0.0.2 lets the DNAT rule match
  // (before, 20.0.0.2 is just an address on the internet).
  await traceFlow(page, 'internet-host', '20.0.0.2', 2222);
  await page.locator(byTestId('traced-row'), { hasText: '20.0.0.2' }).first().click();
  const traceText = () => page.locator(byTestId('trace')).textContent();
  await page.waitForSelector(byTestId('trace'));
  assert.match(await traceText(), /20\.0\.0\.2 on the internet/);
  assert.doesNotMatch(await traceText(), /10\.0\.1\.4/);
  await page.click(byTestId('edit-firewall-ips-fw'));
  await page.fill(byTestId('firewall-ips-additional_public_ips'), '20.0.0.2, 10.0.0.9');
  assert.match(await page.locator(byTestId('firewall-ips-additional_public_ips-error')).textContent(), /10\.0\.0\.9 is not a public address/);
  assert.equal(await page.locator(byTestId('firewall-ips-apply')).isDisabled(), true);
  await page.fill(byTestId('firewall-ips-additional_public_ips'), '20.0.0.2');
  await page.locator(byTestId('firewall-ips-form')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/firewall-settings-form.png` });
  await page.click(byTestId('firewall-ips-apply'));
  await page.waitForFunction(() => /additional 20\.0\.0\.2/.test(
    document.querySelector('[data-testid="firewall-ips-summary-fw"]')?.textContent ?? ''));
  await waitForVerdict(page, traceText, /DNAT[\s\S]*10\.0\.1\.4/);
  await page.locator(byTestId('firewall-editor')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/firewall-settings.png` });
  await page.click(byTestId('undo'));
  await waitForVerdict(page, traceText, /20\.0\.0\.2 on the internet/);
  assertClean(record);
});

test('an editor scrolled out of sight takes a toggle after the toggle\'s frame is painted; one in sight in the same frame', async () => {
  const { page, record } = await openApp();
  await page.selectOption(byTestId('scenario-picker'), 'il5-us-gov');
  await page.waitForFunction(() => document.querySelector('#scenario-picker').value === 'il5-us-gov');
  const editor = byTestId('nsg-il5-nsg');
  const count = `${editor} .nsg-count`;
  const toggle = byTestId('toggle-nsg-outbound-lockdown');
  // The rule count the editor shows at the moment the toggle's new state reaches the DOM.
  const flip = () => page.evaluate(({ toggle, count }) => new Promise((resolve) => {
    const button = document.querySelector(toggle);
    const pressed = button.getAttribute('aria-pressed');
    const observer = new MutationObserver(() => {
      if (document.querySelector(toggle).getAttribute('aria-pressed') !== pressed) {
        observer.disconnect();
        resolve(document.querySelector(count).textContent);
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true });
    button.click();
  }), { toggle, count });
  const inSight = () => page.locator(editor).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight && element.closest('.panel').getBoundingClientRect().bottom > box.top;
  });
  const before = await page.locator(count).textContent();
  assert.equal(await inSight(), false, 'the NSG editor starts below the toggles');

  assert.equal(await flip(), before, 'the hidden editor is not rebuilt in the click\'s task');
  await page.waitForFunction(({ count, before }) => document.querySelector(count).textContent !== before, { count, before });
  const locked = await page.locator(count).textContent();
  assert.notEqual(locked, before, 'the lockdown adds a rule, shown once the frame is painted');

  await page.locator(editor).scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await inSight(), true);
  assert.equal(await flip(), before, 'the editor in sight shows the change in the toggle\'s own frame');
  assertClean(record);
});
