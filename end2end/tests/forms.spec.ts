import { expect, test } from '@playwright/test';
import { admin, maria, signIn, signInAs, navLink } from './helpers';

test.describe('with JavaScript', () => {
  test('a note posts once: the button waits while it saves, then the box is empty again', async ({ page }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    await navLink(page, 'Leads').click();
    await page.locator('table tbody tr').first().getByRole('link').first().click();
    const box = page.getByLabel('Add a note');
    await expect(box).toBeVisible();

    // Hold the save for a moment, as a slow connection would.
    await page.route('**/api/notes/add', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await route.continue();
    });
    const text = `Called back ${Date.now()}`;
    await box.fill(text);
    const button = page.getByRole('button', { name: 'Add note' });
    await button.click();
    // While it saves the button says so and cannot be pressed again.
    const saving = page.getByRole('button', { name: 'Saving…' });
    await expect(saving).toBeDisabled();
    await saving.click({ force: true });
    await expect(page.locator('.note-body').filter({ hasText: text })).toHaveCount(1);
    // The page that follows says what was done, politely.
    await expect(page.locator('#toasts[role="status"]')).toContainText('Note added');
    await expect(box).toHaveValue('');
    await expect(button).toBeEnabled();
    await page.waitForTimeout(1_500);
    await page.reload();
    await expect(page.locator('.note-body').filter({ hasText: text })).toHaveCount(1);
  });

  test('a lapsed session signs in again and returns to the same list, query and all', async ({ page, browser }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    await page.goto('/tasks?status=open&priority=high');
    await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
    await navLink(page, 'Dashboard').click();
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

    // Maria, on another device, signs this browser out.
    const phone = await browser.newPage();
    await signInAs(phone, maria);
    await expect(phone.getByRole('banner').getByText(maria.name)).toBeVisible();
    await phone.goto('/profile');
    await phone.locator('#sessions-table').getByRole('button', { name: 'Sign out' }).first().click();
    await expect(phone).toHaveURL(/saved=session/);
    await phone.close();

    await page.goBack();
    await expect(page).toHaveURL(/\/login\?next=\/tasks%3Fstatus%3Dopen%26priority%3Dhigh/);
    await expect(page.getByText('Your session expired. Please sign in again.')).toBeVisible();
    await signIn(page, maria);
    await expect(page).toHaveURL(/\/tasks\?status=open&priority=high$/);
    await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  });

  test('signing out on purpose does not say the session expired', async ({ page }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    await page.goto('/tasks?status=open');
    await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goBack();
    await expect(page).toHaveURL(/\/login\?next=\/tasks%3Fstatus%3Dopen/);
    await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
    await expect(page.getByText('Your session expired')).toHaveCount(0);
  });
});
