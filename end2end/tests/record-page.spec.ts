import { expect, test, type Page } from '@playwright/test';
import { maria, signInAs } from './helpers';

const today = () => new Date().toISOString().slice(0, 10);

/** Creates a lead through the form and stays on its page. */
async function newLead(page: Page, name: string, email: string, phone: string) {
  await page.goto('/leads/new');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Phone').fill(phone);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('a lead page: header, contact links, fields edited in place, one timeline', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInAs(page, maria);
  await newLead(page, 'Quinn Ledger', 'quinn@ledger.example', '+1 (555) 010-7788');
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');

  // The header: status and the key actions.
  await expect(page.locator('.record-header').getByText('New', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Convert to customer…' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Delete…' })).toBeVisible();

  // Email and phone write and call, and copy.
  const details = page.getByRole('region', { name: 'Details' });
  await expect(details.getByRole('link', { name: 'quinn@ledger.example' })).toHaveAttribute('href', 'mailto:quinn@ledger.example');
  await expect(details.getByRole('link', { name: '+1 (555) 010-7788' })).toHaveAttribute('href', 'tel:+15550107788');
  await details.getByRole('button', { name: 'Copy the email' }).click();
  await expect(page.getByRole('status').getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('quinn@ledger.example');

  // Fields read as values: Save and Cancel show only once one is being edited.
  const save = details.getByRole('button', { name: 'Save changes' });
  await expect(save).toBeHidden();
  await page.locator('body').press('e');
  await expect(details.getByLabel('Name')).toBeFocused();
  await expect(save).toBeVisible();

  // Esc puts a field back and leaves it.
  await details.getByLabel('Source').fill('Typed by mistake');
  await details.getByLabel('Source').press('Escape');
  await expect(details.getByLabel('Source')).toHaveValue('');
  await expect(details.getByLabel('Source')).not.toBeFocused();
  await expect(save).toBeHidden();

  // Enter saves; the page says so and shows the change in its timeline.
  await details.getByLabel('Company').fill('Ledger & Sons');
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/leads/update'));
  await details.getByLabel('Company').press('Enter');
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole('status').getByText('Lead saved')).toBeVisible();
  await expect(page.getByLabel('Company')).toHaveValue('Ledger & Sons');

  // Notes, tasks and history in one timeline, newest first.
  await page.getByLabel('Add a note').fill('Asked for the annual price.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByRole('status').getByText('Note added')).toBeVisible();
  await page.locator('#tasks').getByRole('link', { name: 'Add task' }).click();
  await page.getByLabel('Title').fill('Send the annual quote');
  await page.getByLabel('Due date').fill(today());
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Quinn Ledger' })).toBeVisible();

  const timeline = page.getByRole('region', { name: 'Timeline' }).locator('.timeline > li');
  await expect(timeline).toHaveCount(4);
  await expect(timeline.nth(0)).toContainText('Send the annual quote');
  await expect(timeline.nth(1)).toContainText('Asked for the annual price.');
  await expect(timeline.nth(2)).toContainText('changed it');
  await expect(timeline.nth(2)).toContainText('Ledger & Sons');
  await expect(timeline.nth(3)).toContainText('created it');
  await expect(page.getByText('added a note')).toHaveCount(0);
});

test('a task page has the same shape: header, fields in place, history', async ({ page }) => {
  await signInAs(page, maria);
  await page.goto('/tasks/new');
  await page.getByLabel('Title').fill('Call the printer');
  await page.getByLabel('Due date').fill(today());
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Call the printer' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete task' })).toBeVisible();
  const details = page.getByRole('region', { name: 'Details' });
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', '');
  await details.getByLabel('Title').fill('Call the printer back');
  await details.getByRole('button', { name: 'Save task' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Call the printer back' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText('changed it');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the record page is a plain form: Save shows, copying does not', async ({ page }) => {
    await signInAs(page, maria);
    await newLead(page, 'Rory Plain', 'rory@plain.example', '555 0101');
    const details = page.getByRole('region', { name: 'Details' });
    await expect(details.getByRole('link', { name: 'rory@plain.example' })).toBeVisible();
    await expect(details.getByRole('button', { name: 'Copy the email' })).toBeHidden();
    await expect(details.getByRole('button', { name: 'Save changes' })).toBeVisible();
    await details.getByLabel('Company').fill('Plain Ltd');
    await details.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByLabel('Company')).toHaveValue('Plain Ltd');
    await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Plain Ltd');
  });
});
