import { expect, test, type Page } from '@playwright/test';
import { admin, maria, watchConsole, signInAs } from './helpers';

/** The numbers of a chart's table, one row per category. */
async function tableNumbers(page: Page, id: string): Promise<string[]> {
  return page.locator(`#${id}-table tbody tr`).evaluateAll((rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('th, td')).map((c) => c.textContent?.trim()).join(' ')),
  );
}

/** The values ECharts was given for a chart's first series. */
async function chartValues(page: Page, id: string): Promise<number[]> {
  return page.evaluate((id) => {
    const charts = (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): { series: { data: number[] }[] } } } }).echarts;
    const element = document.getElementById(id);
    if (!element) throw new Error(`no #${id}`);
    return charts.getInstanceByDom(element).getOption().series[0].data;
  }, id);
}

test('the dashboard draws its charts from the same numbers as its tables', async ({ page }) => {
  const errors = watchConsole(page);
  await signInAs(page, admin);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  const perDay = page.locator('#leads-per-day');
  await expect(perDay).toBeVisible();
  await expect(perDay.locator('canvas')).toHaveCount(1);
  const values = await chartValues(page, 'leads-per-day');
  expect(values).toHaveLength(14);
  const rows = await tableNumbers(page, 'leads-per-day');
  expect(rows.map((r) => Number(r.split(' ').pop()))).toEqual(values);
  // The table stays for screen readers; the chart is hidden from them.
  await expect(perDay).toHaveAttribute('aria-hidden', 'true');
  await expect(page.locator('#leads-per-day-table')).toBeAttached();

  // Leads per status are the cards: no chart repeats them.
  await expect(page.locator('#leads-by-status')).toHaveCount(0);
  await expect(page.locator('#team-chart canvas')).toHaveCount(1);
  await expect(page.getByRole('table', { name: /Each team member/ })).toBeVisible();

  // Charts follow the window's size.
  const before = await perDay.locator('canvas').evaluate((c) => c.getBoundingClientRect().width);
  await page.setViewportSize({ width: 700, height: 900 });
  await expect.poll(() => perDay.locator('canvas').evaluate((c) => c.getBoundingClientRect().width)).not.toBe(before);
  expect(errors).toEqual([]);
});

test('an agent opens a card and lands on the filtered list', async ({ page }) => {
  await signInAs(page, maria);
  await page.getByRole('link', { name: /Overdue tasks/ }).first().click();
  await expect(page).toHaveURL(/\/tasks\?overdue=1/);
  await expect(page.getByLabel('Overdue only')).toBeChecked();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the dashboard shows its numbers as tables, and the activity log filters', async ({ page }) => {
    await signInAs(page, admin);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    await expect(page.locator('#leads-per-day')).toBeHidden();
    const perDay = page.getByRole('table', { name: /Leads created per day/ });
    await expect(perDay).toBeVisible();
    await expect(perDay.locator('tbody tr')).toHaveCount(14);
    await expect(page.locator('script[src*="echarts"]')).toHaveCount(0);

    await page.getByRole('link', { name: 'All activity' }).click();
    await page.getByLabel('Record type').selectOption('lead');
    await page.getByLabel('Action').selectOption('convert');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/type=lead/);
    const rows = page.getByRole('table', { name: 'Activity, newest first' }).locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    await expect(rows.first()).toContainText('Converted');
    await rows.first().getByRole('link').click();
    await expect(page).toHaveURL(/\/leads\//);
  });
});
