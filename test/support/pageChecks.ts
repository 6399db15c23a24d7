import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Checks a console page as people meet it, shared by the browser tests:
 * axe-core's rules run inside the page (serious and critical findings
 * only), and every action reached with the Tab key alone.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page now, one line each (rule, help, first targets). */
export const axeViolations = async (page: Page): Promise<string[]> => {
  // Evaluated through the DevTools protocol, which the console's strict CSP (no inline script) does not govern.
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`)) as string[];
};

/**
 * The visible, enabled actions (links, buttons, form controls) the Tab key never reaches from the top
 * of the page: each is described by its tag and text. Empty when every action is keyboard-reachable.
 */
export const unreachableByKeyboard = async (page: Page): Promise<string[]> => {
  const total = (await page.evaluate(`(() => {
    const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')];
    // checkVisibility also sees what a closed <details> or content-visibility hides, which still has a box.
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && el.checkVisibility({ visibilityProperty: true }) && !el.disabled && el.getAttribute('tabindex') !== '-1'; };
    let n = 0;
    for (const el of all) { if (visible(el)) { el.dataset.kbd = String(n++); } else delete el.dataset.kbd; }
    window.__kbdSeen = new Set();
    document.addEventListener('focusin', (e) => { const k = e.target && e.target.dataset && e.target.dataset.kbd; if (k !== undefined) window.__kbdSeen.add(k); }, true);
    if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
    return n;
  })()`)) as number;
  await page.evaluate('window.scrollTo(0, 0)');
  // A radio group is one Tab stop: allow for that, and stop once everything was seen.
  for (let i = 0; i < total + 20; i++) {
    await page.keyboard.press('Tab');
    if (((await page.evaluate('window.__kbdSeen.size')) as number) >= total) break;
  }
  const missed = (await page.evaluate(`(() => [...document.querySelectorAll('[data-kbd]')]
    .filter((el) => !window.__kbdSeen.has(el.dataset.kbd))
    .filter((el) => !(el.type === 'radio' && [...document.querySelectorAll('input[type=radio][name="' + el.name + '"]')].some((r) => window.__kbdSeen.has(r.dataset.kbd))))
    .map((el) => el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().slice(0, 40)))()`)) as string[];
  // Leave the page as it was found (no focus ring in the next screenshot).
  await page.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
  return missed;
};
