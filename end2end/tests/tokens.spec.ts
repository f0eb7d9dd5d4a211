import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { maria, signInAs } from './helpers';

/** Makes a token on the profile's tokens page, uses it on the REST API, then revokes it. */
async function makeUseAndRevoke(page: Page, request: APIRequestContext, name: string) {
  await signInAs(page, maria);
  await page.goto('/profile');
  await page.getByRole('link', { name: 'Manage API tokens' }).click();
  await expect(page).toHaveURL(/\/profile\/tokens/);
  await page.getByLabel(/^Name/).fill(name);
  await page.getByLabel('It may').selectOption('read');
  await page.getByLabel('Expires').selectOption('30');
  await page.getByRole('button', { name: 'Make token' }).click();
  await expect(page.getByRole('heading', { name: 'Your new token' })).toBeVisible();
  const token = ((await page.locator('#new-token').textContent()) ?? '').trim();
  expect(token).toMatch(/^kith_[A-Za-z0-9_-]{40,}$/);

  // The token reads the REST API as Maria.
  const auth = { Authorization: `Bearer ${token}` };
  const leads = await request.get('/api/v1/leads?limit=5', { headers: auth });
  expect(leads.status()).toBe(200);
  expect(Array.isArray((await leads.json()).data)).toBe(true);

  // Shown once: the page lists it by its first characters, with its last use.
  await page.reload();
  await expect(page.getByText(token)).toHaveCount(0);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByText(token.slice(0, 12) + '…')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Never', exact: true })).toHaveCount(0);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByText('The token was revoked')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: name }).getByRole('cell', { name: 'Revoked' })).toBeVisible();
  const refused = await request.get('/api/v1/leads', { headers: auth });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
}

test.describe('with JavaScript', () => {
  test('make an API token on the profile, use it, revoke it', async ({ page, request }) => {
    await makeUseAndRevoke(page, request, `Sheet sync ${Date.now()}`);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same, with plain forms', async ({ page, request }) => {
    await makeUseAndRevoke(page, request, `Site sync ${Date.now()}`);
  });
});

test('a write token creates a lead the leads page shows, and /api/docs describes the call', async ({ page, request }) => {
  await signInAs(page, maria, '/profile/tokens');
  await page.getByLabel(/^Name/).fill(`Website form ${Date.now()}`);
  await page.getByLabel('It may').selectOption('write');
  await page.getByRole('button', { name: 'Make token' }).click();
  const token = ((await page.locator('#new-token').textContent()) ?? '').trim();

  const name = `Api Lead ${Date.now()}`;
  const created = await request.post('/api/v1/leads', {
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': `e2e-${Date.now()}` },
    data: { name, email: 'api.lead@example.com', company: 'From The Site' },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()['etag']).toBe('"1"');
  await page.goto(`/leads?q=${encodeURIComponent(name)}`);
  await expect(page.getByRole('link', { name })).toBeVisible();

  // The reference page is Kith's own: Swagger UI drawing the OpenAPI document, nothing from elsewhere.
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) outside.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { name: /Kith REST API/ })).toBeVisible();
  await expect(page.getByText('/leads/{id}/convert').first()).toBeVisible();
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});
