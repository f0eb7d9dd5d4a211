import { expect, test } from '@playwright/test';
import { admin, columnAt, expectOnly, maria, signInAs, navLink } from './helpers';

test('a lead is created, found by search, edited and converted to a customer', async ({ page }) => {
  await signInAs(page, maria);
  await navLink(page, 'Leads').click();
  await page.getByRole('link', { name: 'New lead' }).click();
  await page.getByLabel('Name').fill('Zelda Quartz');
  await page.getByLabel('Email').fill('zelda@quartz.example');
  await page.getByLabel('Company').fill('Quartz Works');
  await page.getByRole('button', { name: 'Create lead' }).click();
  await expect(page.getByRole('heading', { name: 'Zelda Quartz' })).toBeVisible();

  await navLink(page, 'Leads').click();
  await page.getByLabel('Search').fill('QUARTZ');
  // With JavaScript the list follows the search box after a short pause, and the URL keeps it.
  await expect(page).toHaveURL(/q=QUARTZ/);
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
  await page.getByRole('link', { name: 'Zelda Quartz' }).click();

  // Saved in place (a 200 from the server function), then the lead's page loads again.
  const save = async () => {
    const response = page.waitForResponse(
      (r) => r.url().endsWith('/api/leads/update') && r.request().method() === 'POST',
    );
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect((await response).status()).toBe(200);
    await reloaded;
  };
  await page.getByLabel('Phone').fill('+1 555 123 4567');
  await save();
  // A second save works too: the page loaded the lead's new version after the first.
  await page.getByLabel('Source').fill('Trade show');
  await save();
  await page.reload();
  await expect(page.getByLabel('Phone', { exact: true })).toHaveValue('+1 555 123 4567');
  await expect(page.getByLabel('Source')).toHaveValue('Trade show');

  // Converting asks first, saying what it will do.
  await page.getByRole('link', { name: 'Convert to customer…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Convert Zelda Quartz to a customer?' });
  await expect(confirm).toContainText('open task');
  await confirm.getByRole('button', { name: 'Convert to customer' }).click();
  await expect(page).toHaveURL(/\/customers\//);
  await expect(page.getByRole('heading', { name: 'Zelda Quartz' })).toBeVisible();
  await page.getByText('Converted from the lead').getByRole('link').click();
  await expect(page.getByText('Converted to a customer.')).toBeVisible();
  await expect(page.getByText('Closed Won').first()).toBeVisible();
});

test('a search typed before the page is live is still applied, and typing goes on in the box', async ({ page }) => {
  await signInAs(page, maria);
  // A slow connection: the WebAssembly arrives well after the search is typed.
  await page.route('**/pkg/*.wasm', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.goto('/leads');
  await page.getByLabel('Search').fill('nobody-by-this-name');
  await expect(page).toHaveURL(/q=nobody-by-this-name/);
  await expect(page.getByLabel('Search')).toHaveValue('nobody-by-this-name');
  await expect(page.getByLabel('Search')).toBeFocused();
});

test("an agent's list shows only their own leads", async ({ page, browser }) => {
  await signInAs(page, admin);
  await expect(page.getByRole('banner').getByText(admin.name)).toBeVisible();
  await page.goto('/leads');
  const everyone = await page.locator('table tbody tr').count();
  expect(everyone).toBeGreaterThan(0);
  await expect(page.getByLabel('Agent')).toBeVisible();

  const agent = await browser.newPage();
  await signInAs(agent, maria);
  await expect(agent.getByRole('banner').getByText(maria.name)).toBeVisible();
  // The first column holds the tick boxes of the bulk actions.
  const assignees = await columnAt(agent, '/leads?per_page=100', 6);
  await expect(agent.getByLabel('Agent')).toHaveCount(0);
  expectOnly(assignees, maria.name);
  await agent.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('searching, filtering and editing work as plain forms', async ({ page }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    await page.goto('/leads');
    await page.getByLabel('Status').selectOption('won');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/status=won/);
    const statuses = await page.locator('table tbody .status').allTextContents();
    expect(new Set(statuses)).toEqual(new Set(['Closed Won']));

    await page.locator('table tbody a').first().click();
    await page.getByLabel('Background').fill('Called </textarea> back');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByLabel('Background')).toHaveValue('Called </textarea> back');

    await page.getByRole('link', { name: 'Delete…' }).click();
    await expect(page.getByRole('heading', { name: 'Delete this lead?' })).toBeVisible();
    await page.getByRole('button', { name: 'Delete lead' }).click();
    await expect(page).toHaveURL(/\/leads$/);
  });
});
