import { expect, test } from '@playwright/test';
import { admin, signIn, watchConsole, signInAs, navLink } from './helpers';

test('an admin adds an agent, the agent changes their password, and deactivation sends their open page to sign-in', async ({ browser }) => {
  const stamp = Date.now();
  const agent = { name: `Lena Park ${stamp}`, email: `lena.${stamp}@kith.test`, password: 'first pass lantern' };
  const newPassword = 'second pass harbour';

  const adminPage = await (await browser.newContext()).newPage();
  const errors = watchConsole(adminPage);
  await signInAs(adminPage, admin);
  await navLink(adminPage, 'Users').click();
  await expect(adminPage.getByRole('heading', { name: 'Users' })).toBeVisible();
  await adminPage.getByRole('link', { name: 'New user' }).click();
  const generated = adminPage.getByLabel('Initial password');
  await expect(generated).toHaveValue(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await adminPage.getByLabel('Name', { exact: true }).fill(agent.name);
  await adminPage.getByLabel('Email').fill(agent.email);
  await adminPage.getByLabel('Role').selectOption('agent');
  await generated.fill('short');
  await adminPage.getByRole('button', { name: 'Create user' }).click();
  await expect(adminPage.getByText('Use at least 10 characters.')).toBeVisible();
  // The error is shown in place: what was typed stays, and the bad field has the focus.
  await expect(adminPage.getByLabel('Name', { exact: true })).toHaveValue(agent.name);
  await expect(generated).toBeFocused();
  await generated.fill(agent.password);
  await adminPage.getByRole('button', { name: 'Create user' }).click();
  await expect(adminPage.getByRole('heading', { name: agent.name })).toBeVisible();
  await expect(adminPage.getByText('User created.')).toBeVisible();

  const agentPage = await (await browser.newContext()).newPage();
  await signInAs(agentPage, agent);
  await expect(agentPage.getByRole('banner').getByText(agent.name)).toBeVisible();
  await agentPage.getByRole('banner').getByRole('link', { name: agent.name }).click();
  await expect(agentPage.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await agentPage.getByLabel('Current password').fill(agent.password);
  await agentPage.getByLabel('New password (at least 10 characters)').fill(newPassword);
  await agentPage.getByLabel('Repeat new password').fill(newPassword);
  await agentPage.getByRole('button', { name: 'Change password' }).click();
  await expect(agentPage.getByText('Password changed.')).toBeVisible();
  await expect(agentPage.locator('#sessions-table').getByText('This browser')).toBeVisible();
  // Reloaded in the browser after the change: times are formatted there too.
  await expect(agentPage.locator('#sessions-table tbody tr').first().locator('td').nth(3)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await navLink(agentPage, 'Leads').click();
  await expect(agentPage.getByRole('heading', { name: 'Leads' })).toBeVisible();

  await adminPage.reload();
  await adminPage.getByRole('button', { name: 'Deactivate' }).click();
  await expect(adminPage.getByText('This account is deactivated')).toBeVisible();

  // The agent's page is still open; their next step finds the session gone.
  await navLink(agentPage, 'Tasks').click();
  await expect(agentPage).toHaveURL(/\/login\?.*expired=1/);
  await signIn(agentPage, { email: agent.email, password: newPassword });
  await expect(agentPage.getByRole('alert')).toHaveText('Email or password is incorrect.');
  expect(errors.filter((e) => /Content Security Policy|panicked|hydrat/i.test(e))).toEqual([]);
});

test('times follow the organisation time zone in the browser as on the server', async ({ page }) => {
  await signInAs(page, admin);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const saveZone = async (zone: string) => {
    await page.goto('/settings');
    await page.getByLabel('Time zone').fill(zone);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
  };
  // Kathmandu is 5:45 ahead of UTC, so its minutes differ from UTC's.
  await saveZone('Asia/Kathmandu');
  await navLink(page, 'Activity').click();
  const newest = page.getByRole('table', { name: 'Activity, newest first' }).locator('tbody tr').first();
  await expect(newest).toContainText('Asia/Kathmandu');
  const inBrowser = await newest.locator('td').first().textContent();
  await page.reload();
  await expect(newest).toContainText('Asia/Kathmandu');
  expect(await newest.locator('td').first().textContent()).toBe(inBrowser);
  await saveZone('UTC');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an admin renames the organisation and the header shows it', async ({ page }) => {
    await signInAs(page, admin, '/settings');
    await expect(page.getByRole('heading', { name: 'Organisation settings' })).toBeVisible();
    await expect(page.getByLabel('Time zone')).toHaveValue('UTC');
    await page.getByLabel('Organisation name').fill('Harbour Street Sales');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await expect(page.getByRole('banner').getByRole('link', { name: 'Harbour Street Sales' })).toBeVisible();
    await page.goto('/activity?type=settings');
    await expect(page.getByRole('row').filter({ hasText: 'Harbour Street Sales' })).toBeVisible();
  });
});
