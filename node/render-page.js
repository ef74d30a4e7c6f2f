// Opens a report page (poa report) from disk in Debian's Chromium, headless, through playwright-core,
// and prints what the browser saw as one JSON object: console errors, uncaught errors, every request
// other than the page itself (each is also refused), the charts drawn and their SVG elements, the
// tooltip shown when hovering the first chart, and the page's embedded data. Writes a full-page
// screenshot. Usage: node render-page.js PAGE.html SCREENSHOT.png
'use strict';
const path = require('path');
const {pathToFileURL} = require('url');
const {chromium} = require('playwright-core');

async function main() {
  const [page, shot] = process.argv.slice(2);
  if (!page || !shot) throw new Error('usage: node render-page.js PAGE.html SCREENSHOT.png');
  const url = pathToFileURL(path.resolve(page)).href;
  const browser = await chromium.launch({
    executablePath: process.env.POA_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // No sandbox (tests run as root); nothing of Chromium's own may reach for the network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const seen = {consoleErrors: [], pageErrors: [], requests: []};
  try {
    const context = await browser.newContext({viewport: {width: 1400, height: 900}});
    await context.route('**/*', route => {
      const u = route.request().url();
      if (u === url) return route.continue();
      seen.requests.push(u);
      return route.abort();
    });
    const tab = await context.newPage();
    tab.on('console', m => { if (m.type() === 'error') seen.consoleErrors.push(m.text()); });
    tab.on('pageerror', e => seen.pageErrors.push(String(e)));
    await tab.goto(url, {waitUntil: 'load'});
    await tab.waitForSelector('body[data-ready="true"]', {timeout: 30000});
    Object.assign(seen, await tab.evaluate(() => ({
      title: document.title,
      charts: (document.body.dataset.charts || '').split(',').filter(Boolean),
      svgElements: Object.fromEntries([...document.querySelectorAll('[data-chart]')].map(d =>
        [d.dataset.chart, d.querySelectorAll('svg path, svg rect, svg text').length])),
      sections: [...document.querySelectorAll('main section')].map(s => s.id),
      notice: (document.getElementById('notice') || {}).textContent || null,
      text: document.body.innerText.length,
      data: JSON.parse(document.getElementById('poa-data').textContent),
    })));
    if (seen.charts.length) {
      const first = tab.locator('[data-chart="' + seen.charts[0] + '"]');
      const box = await first.boundingBox();
      await tab.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // The tooltip: a visible absolutely placed div with text inside the chart, polled for up to 5 s.
      const tooltip = d => [...d.querySelectorAll('div')]
        .filter(x => x.style.position === 'absolute' && x.style.display !== 'none' && x.textContent.trim()).map(x => x.textContent.trim())[0] || null;
      for (let i = 0; i < 50 && !seen.tooltip; i++) {
        await tab.waitForTimeout(100);
        seen.tooltip = await first.evaluate(tooltip);
      }
    }
    await tab.screenshot({path: shot, fullPage: true});
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(seen) + '\n');
}

main().catch(e => { process.stderr.write('render-page: ' + (e && e.message || e) + '\n'); process.exit(1); });
