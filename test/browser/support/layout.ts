/** Layout checks the browser tests share: what sideways scrolling a page hides, and whether a view was brought into sight. */
import type { Locator, Page } from 'playwright-core';

export interface Overflow {
  /** The document's scroll width: above the viewport's width, the whole page scrolls sideways. */
  documentWidth: number;
  /** Elements whose content is wider than their box and that clip or scroll it (named by test id or class). */
  clipped: string[];
}

/**
 * Sideways overflow on the page: of the document, and inside any element that hides it behind a
 * scroll bar or clips it. Invisible file inputs (a styled "Folder…" button) and boxes hidden from
 * sight for screen readers are left out.
 */
export function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const clipped: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('body *')) {
      if (element instanceof HTMLInputElement && element.type === 'file') continue;
      const { overflowX, display } = getComputedStyle(element);
      if (display === 'none' || !/auto|scroll|hidden|clip/.test(overflowX)) continue;
      // Hidden from sight on purpose (kept for screen readers): a 1-pixel clipped box.
      if (element.clientWidth <= 1) continue;
      if (element.scrollWidth > element.clientWidth + 1) {
        const name = element.dataset.testid ?? (element.className || element.tagName.toLowerCase());
        clipped.push(`${name}: ${element.scrollWidth} > ${element.clientWidth}`);
      }
    }
    return { documentWidth: document.documentElement.scrollWidth, clipped };
  });
}

/**
 * Whether the element is as much in view as the viewport allows: wholly inside it, or (taller than
 * the viewport) its top at the viewport's top. A box that only peeks in at an edge does not count.
 */
export async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  const intersects = box.y < viewport.height && box.y + box.height > 0 && box.x < viewport.width && box.x + box.width > 0;
  const whole = box.y >= -1 && box.y + box.height <= viewport.height + 1;
  const topAligned = box.height > viewport.height && Math.abs(box.y) <= 1;
  return intersects && (whole || topAligned);
}
