/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which never downloads a
 * browser): where it is, how it is started (off the network, quiet), and a page that blocks and
 * records every request but its own document and records errors, dialogs and CSP violations.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Keep Chromium off the network and quiet (see the node machine notes); Playwright adds a fresh profile dir. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether Chromium is here. Without it `suite` is skipped with a warning, except under CI (`CI`
 * set), where it fails: `.ci/run` installs Debian's chromium package.
 */
export function requireChromium(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error(
      `${CHROMIUM} not found: the browser tests need Debian's chromium package (apt-get install chromium); .ci/run installs it`,
    );
  console.warn(`${suite} skipped: ${CHROMIUM} not found (apt-get install chromium to run it)`);
  return false;
}

/** What a page did while it was open. */
export interface PageLog {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** A page that blocks and records every request but its own document, and records errors and dialogs. */
export async function watchedPage(browser: Browser, url: string): Promise<{ page: Page; log: PageLog }> {
  const log: PageLog = { errors: [], requests: [], dialogs: [] };
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: true,
  });
  const page = await context.newPage();
  const record = (requested: string) => {
    if (requested !== url && !log.requests.includes(requested)) log.requests.push(requested);
  };
  // route sees what goes to the network; the request event also sees what the CSP stopped first.
  await page.route('**', (route) => {
    if (route.request().url() === url) return route.continue();
    record(route.request().url());
    return route.abort('blockedbyclient');
  });
  page.on('request', (r) => record(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // Injected by the driver, not by the page, so the page's CSP does not apply to it. (Strings, not
  // functions: the project's TypeScript has no DOM library.)
  await page.addInitScript(
    "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  );
  await page.goto(url, { waitUntil: 'load' });
  return { page, log };
}
