import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { admin, maria, signInAs } from './helpers';

/** The pages everyone has, then the admin's own; `:lead` and the like are a record of the list. */
const EVERYONE = [
  '/',
  '/leads',
  '/leads/new',
  '/leads/board',
  '/leads/:lead',
  '/customers',
  '/customers/new',
  '/customers/:customer',
  '/tasks',
  '/tasks/new',
  '/tasks/:task',
  '/activity',
  '/search?q=a',
  '/profile',
  '/profile/two-factor',
  '/profile/tokens',
  '/notifications',
  '/import',
  '/no-such-page',
];
const ADMIN_ONLY = ['/users', '/users/new', '/users/:user', '/settings', '/webhooks', '/lead-forms'];

/** The path of the first record the list at `list` links to. */
async function firstRecord(page: Page, list: string): Promise<string> {
  await page.goto(list);
  const href = await page.locator(`main table a[href^="${list}/"]`).first().getAttribute('href');
  expect(href, `a record on ${list}`).toBeTruthy();
  return href!;
}

/** Every page `who` may open, with real record ids in place of `:lead` and the like. */
async function pagesOf(page: Page, paths: string[]): Promise<string[]> {
  const records: Record<string, string> = {};
  for (const [key, list] of [
    [':lead', '/leads'],
    [':customer', '/customers'],
    [':task', '/tasks'],
    [':user', '/users'],
  ]) {
    if (paths.some((p) => p.includes(key))) records[key] = await firstRecord(page, list);
  }
  return paths.map((p) => records[p] ?? p);
}

/** Fails with the page's axe violations, each with its rule and where. */
async function expectAccessible(page: Page, path: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map(
    (v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found).toEqual([]);
}

for (const [role, who, paths] of [
  ['an agent', maria, EVERYONE],
  ['an admin', admin, [...EVERYONE, ...ADMIN_ONLY]],
] as const) {
  test(`every page ${role} opens fits a 390 px phone and passes axe`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, who);
    for (const path of await pagesOf(page, [...paths])) {
      await page.goto(path);
      await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
      // The header's navigation is on every page (folded behind Menu on a phone).
      await expect(page.locator('nav#main-nav')).toBeAttached();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
      await expectAccessible(page, path);
    }
  });
}

test('on a phone each list is a stack of cards, every row within the screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInAs(page, admin);
  for (const list of ['/leads', '/customers', '/tasks', '/users']) {
    await page.goto(list);
    const row = page.locator('main table tbody tr').first();
    await expect(row).toBeVisible();
    expect(await row.evaluate((tr) => getComputedStyle(tr).display), list).toBe('flex');
    const box = (await row.boundingBox())!;
    expect(box.x + box.width, `${list}: a card ends within the screen`).toBeLessThanOrEqual(390);
    // The headings are left to screen readers.
    const headings = await page.locator('main table thead').first().boundingBox();
    expect(headings?.height ?? 0, `${list}: headings hidden`).toBeLessThanOrEqual(1);
    // Values that need one say what they are ("Assigned to: Maria Lopez").
    const labelled = row.locator('td[data-label]').first();
    const label = await labelled.getAttribute('data-label');
    expect(await labelled.evaluate((td) => getComputedStyle(td, '::before').content), list).toBe(`"${label}: "`);
  }
  // On a wide screen the same list is a table.
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto('/leads');
  expect(await page.locator('main table tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('table-row');
});

test('the sign-in page fits a phone and passes axe', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/login');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page, '/login');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a phone reaches every area from the navigation', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, maria);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const [area, path] of [
      ['Leads', '/leads'],
      ['Customers', '/customers'],
      ['Tasks', '/tasks'],
      ['Dashboard', '/'],
    ]) {
      await nav.getByRole('link', { name: area }).click();
      await expect(page).toHaveURL(new RegExp(`${path === '/' ? '/$' : path}`));
    }
  });

  test('a page that does not exist keeps the header and navigation', async ({ page }) => {
    await signInAs(page, maria);
    const res = await page.goto('/no-such-page');
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' })).toBeVisible();
  });
});
