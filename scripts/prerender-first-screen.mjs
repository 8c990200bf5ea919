// Prerenders the first screen into a release build's index.html, so a new visitor sees the
// default design, its flows and its diagram as soon as the HTML and CSS are in, while the wasm
// app is still downloading and compiling (README "First screen").
//
// The build is served on 127.0.0.1 and opened in headless Chromium at 1280×720 (the diagram
// also at 1920×1080, below); once the app has settled (no answer still computing), the markup
// it rendered is copied into index.html as
// an inert, aria-hidden `.first-screen` before the loading spinner, with a "Starting vnetlab…"
// status (the spinner's, for the eye and for screen readers). What a screen shows only
// through DOM properties (the picked scenario, a text field's value, a ticked box) is written
// into attributes first. Ids (but the diagram's arrowhead markers'), `data-testid`s and
// `elementtiming`s are dropped, so nothing can mistake the picture for the app, and the flows
// summary is marked `elementtiming="first-screen"`.
// static/first-screen.js hides it when the page will not start on the default design (a query,
// a fragment, an autosave or a lab in progress); the app replaces it when it starts.
//
// Run by trunk after a release build (Trunk.toml's post_build hook, on the staging folder), or
// by hand on a built folder. Without Chromium the page keeps its spinner and a warning is
// printed; the end-to-end tests require the first screen.
// Usage: node scripts/prerender-first-screen.mjs [DIST]
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve-dist.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const START = '<div class="first-screen"';
const END = '<!-- end of first screen -->';

const hooked = process.env.TRUNK_STAGING_DIR !== undefined;
if (hooked && process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const dist = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';
const indexPath = join(dist, 'index.html');

try {
  await access(CHROMIUM);
} catch {
  console.warn(`prerender-first-screen: no Chromium at ${CHROMIUM}; ${indexPath} keeps its spinner`);
  process.exit(0);
}

const original = withoutFirstScreen(await readFile(indexPath, 'utf8'));
await writeFile(indexPath, original);
const markup = await renderFirstScreen(dist);
const marker = '<div id="app">';
if (!original.includes(marker)) throw new Error(`${indexPath} has no ${marker}`);
await writeFile(indexPath, original.replace(marker,
  `${marker}\n  ${START} inert aria-hidden="true">${markup}</div>` +
  '<p class="first-screen-status" role="status">Starting vnetlab…</p>' +
  `<div class="first-screen-end" hidden></div>${END}`));
console.log(`prerender-first-screen: ${indexPath} shows the first screen (${markup.length} characters)`);

/** `html` without a first screen an earlier run wrote (so the script can run twice). */
function withoutFirstScreen(html) {
  const start = html.indexOf(START);
  if (start < 0) return html;
  const end = html.indexOf(END, start);
  if (end < 0) throw new Error(`${indexPath}: a first screen without its end marker`);
  return html.slice(0, start).replace(/\n\s*$/, '') + html.slice(end + END.length);
}

/** The markup the app renders at first, settled, as attributes only, with the diagram also as
 * laid out for a wide window. */
async function renderFirstScreen(root) {
  const server = await serveDirectory(root, 0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForSelector('[data-testid="flow-summary"]', { timeout: 60000 });
    await page.waitForFunction(() => !document.querySelector('[data-computed="false"]'), null, { timeout: 60000 });
    // Two frames, so effects that run after a paint (the diagram's fit to its frame) are in.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    if (errors.length) throw new Error(`the app logged errors while prerendering: ${errors.join('; ')}`);
    await page.evaluate(() => {
      // A copy of `live` as attributes only (see the top of this file).
      window.picture = (live) => {
        const copy = live.cloneNode(true);
        const originals = [live, ...live.querySelectorAll('*')];
        const copies = [copy, ...copy.querySelectorAll('*')];
        originals.forEach((element, i) => {
          const copied = copies[i];
          if (element instanceof HTMLSelectElement) {
            [...copied.options].forEach((option, j) => option.toggleAttribute('selected', j === element.selectedIndex));
          } else if (element instanceof HTMLInputElement) {
            if (element.type === 'checkbox' || element.type === 'radio') copied.toggleAttribute('checked', element.checked);
            else if (element.type !== 'file') copied.setAttribute('value', element.value);
          } else if (element instanceof HTMLTextAreaElement) {
            copied.textContent = element.value;
          }
          if (element.getAttribute('data-testid') === 'flow-summary') copied.setAttribute('elementtiming', 'first-screen');
          else copied.removeAttribute('elementtiming');
          // An SVG marker keeps its id: the edges' arrowheads refer to it (`url(#…)`).
          if (!(element instanceof SVGMarkerElement)) copied.removeAttribute('id');
          for (const name of ['data-testid', 'style', 'autofocus']) copied.removeAttribute(name);
        });
        return copy;
      };
      window.firstScreen = window.picture(document.getElementById('app'));
    });
    // The diagram is laid out for its frame's width: a second picture of it at 1920×1080, shown
    // instead in windows 1600 px wide or more (app.css), its markers renamed so that each
    // picture's arrowheads are its own.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(500);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return await page.evaluate(() => {
      const narrow = window.firstScreen.querySelector('.diagram-frame');
      const wide = window.picture(document.querySelector('#app .diagram-frame'));
      wide.querySelectorAll('marker').forEach((marker) => { marker.id = `${marker.id}-wide`; });
      wide.querySelectorAll('[marker-end]').forEach((edge) => {
        edge.setAttribute('marker-end', edge.getAttribute('marker-end').replace(/\)$/, '-wide)'));
      });
      narrow.classList.add('narrow-only');
      wide.classList.add('wide-only');
      narrow.after(wide);
      return window.firstScreen.innerHTML;
    });
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
