import { expect, test } from '@playwright/test';
import { admin, columnAt, expectOnly, maria, signInAs, navLink } from './helpers';

const today = () => new Date().toISOString().slice(0, 10);

test('a customer is created directly, gets a note and a task, and the task is done from the list', async ({ page }) => {
  await signInAs(page, maria);
  await navLink(page, 'Customers').click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('Name').fill('Yara Voss');
  await page.getByLabel('Email').fill('yara@voss.example');
  await page.getByLabel('Tags').fill('VIP, retail');
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByRole('heading', { name: 'Yara Voss' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'vip' }).first()).toBeVisible();

  await page.getByLabel('Add a note').fill('Wants the catalogue.\nCall after 3 pm.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.locator('.note-body').first()).toHaveText('Wants the catalogue.\nCall after 3 pm.');
  // The note stands in the timeline itself, not also as "added a note".
  await expect(page.getByRole('region', { name: 'Timeline' }).locator('.note-body')).toHaveCount(1);
  await expect(page.getByText('added a note')).toHaveCount(0);

  await page.getByRole('link', { name: 'Add task' }).click();
  await expect(page.getByRole('link', { name: 'Yara Voss' })).toBeVisible();
  await page.getByLabel('Title').fill('Send the welcome pack');
  await page.getByLabel('Due date').fill(today());
  await page.getByRole('button', { name: 'Create task' }).click();
  await expect(page.getByRole('heading', { name: 'Yara Voss' })).toBeVisible();
  await expect(page.locator('#tasks').getByRole('link', { name: 'Send the welcome pack' })).toBeVisible();

  await navLink(page, 'Tasks').click();
  const row = page.getByRole('row').filter({ hasText: 'Send the welcome pack' });
  await expect(row.getByRole('link', { name: 'Yara Voss' })).toBeVisible();
  await row.getByRole('button', { name: 'Mark done: Send the welcome pack' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Send the welcome pack' })).toHaveCount(0);
  await page.getByLabel('Status').selectOption('done');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=done/);
  await expect(page.getByRole('row').filter({ hasText: 'Send the welcome pack' })).toBeVisible();
});

test('an agent sees only their own customers and tasks; an admin sees everyone', async ({ page, browser }) => {
  await signInAs(page, admin);
  await expect(page.getByRole('banner').getByText(admin.name)).toBeVisible();
  await page.goto('/tasks?status=all&per_page=100');
  // The first column holds the tick boxes of the bulk actions.
  const everyone = new Set(await page.locator('table tbody tr td:nth-child(6)').allTextContents());
  expect(everyone.size).toBeGreaterThan(1);

  const agent = await browser.newPage();
  await signInAs(agent, maria);
  await expect(agent.getByRole('banner').getByText(maria.name)).toBeVisible();
  const assignees = await columnAt(agent, '/tasks?status=all&per_page=100', 6);
  await expect(agent.getByLabel('Assigned to')).toHaveCount(0);
  expectOnly(assignees, maria.name);
  // The first column holds the tick boxes of the bulk actions.
  expectOnly(await columnAt(agent, '/customers?per_page=100', 6), maria.name);
  await agent.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('notes are added and tasks marked done with plain forms', async ({ page }) => {
    await signInAs(page, maria, '/customers');
    await page.locator('table tbody tr td a').first().click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.getByLabel('Add a note').fill('Left a voicemail.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.locator('.note-body').first()).toHaveText('Left a voicemail.');

    await page.goto('/tasks');
    const first = page.locator('table tbody tr').first();
    // The first column holds the tick boxes of the bulk actions.
    const link = first.locator('td:nth-child(2) a');
    const [title, href] = [(await link.textContent()) ?? '', (await link.getAttribute('href')) ?? ''];
    await first.getByRole('button', { name: `Mark done: ${title}` }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    await expect(page.locator(`table a[href="${href}"]`)).toHaveCount(0);
    await page.goto(href);
    await expect(page.locator('.page-header .status')).toHaveText('Done');
  });
});
