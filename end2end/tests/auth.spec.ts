import { expect, test } from '@playwright/test';
import { admin, maria, signIn, watchConsole, signInAs, navLink } from './helpers';

test.describe('with JavaScript', () => {
  test('an admin signs in, sees the shell and signs out', async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=\//);
    await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1);

    await signIn(page, admin);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const area of ['Dashboard', 'Leads', 'Customers', 'Tasks', 'Activity', 'Users']) {
      await expect(nav.getByRole('link', { name: area })).toBeVisible();
    }
    await expect(page.getByRole('banner').getByText(admin.name)).toBeVisible();

    await nav.getByRole('link', { name: 'Leads' }).click();
    await expect(page.getByRole('heading', { name: 'Leads' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Leads' })).toHaveAttribute('aria-current', 'page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/leads');
    await expect(page).toHaveURL(/\/login\?next=\/leads/);
    expect(errors.filter((e) => /Content Security Policy|panicked|hydrat/i.test(e))).toEqual([]);
  });

  test('an agent has no Users area', async ({ page }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    await expect(navLink(page, 'Users')).toHaveCount(0);
    const response = await page.goto('/users');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  });

  test('a wrong password shows one clear message', async ({ page }) => {
    await page.goto('/login');
    await signIn(page, { email: admin.email, password: 'not the password' });
    await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
    await expect(page).toHaveURL(/\/login/);
  });

  test('a visitor returns to the page they were going to after signing in', async ({ page }) => {
    await page.goto('/tasks');
    await expect(page).toHaveURL(/\/login\?next=\/tasks/);
    await signIn(page, maria);
    await expect(page).toHaveURL(/\/tasks$/);
    await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();
  });

  test('an expired access token is renewed without the user noticing', async ({ page, context }) => {
    await signInAs(page, maria);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    const before = (await context.cookies()).find((c) => c.name === 'kith_access')?.value;
    expect(before).toBeTruthy();

    // The e2e server issues access tokens that live 3 seconds.
    await page.waitForTimeout(4_000);
    await page.reload();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
    const after = (await context.cookies()).find((c) => c.name === 'kith_access')?.value;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);

    // A server-function call from the page renews it too.
    await page.waitForTimeout(4_000);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/me', { method: 'POST', headers: { Accept: 'application/json' } });
      return { status: res.status, body: await res.text() };
    });
    expect(status.status).toBe(200);
    expect(status.body).toContain(maria.email);
  });

  test('the phone menu opens and closes', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await signInAs(page, maria);
    const toggle = page.getByRole('button', { name: 'Menu' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await navLink(page, 'Customers').click();
    await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('on a phone the main links are there without a menu to open', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await signInAs(page, maria);
    await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeVisible();
    await nav.getByRole('link', { name: 'Customers' }).click();
    await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  });

  test('the sign-in form, its errors and sign-out all work', async ({ page }) => {
    await page.goto('/leads');
    await expect(page).toHaveURL(/\/login\?next=\/leads/);
    await signIn(page, { email: maria.email, password: 'wrong password' });
    await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');

    await signIn(page, maria);
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByRole('heading', { name: 'Leads' })).toBeVisible();
    await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login/);
  });
});
