import { expect, test, type Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { signIn, signInAs } from './helpers';

// Priya is the demo agent no other browser test signs in as.
const priya = { email: 'priya@kith.test', password: 'kith-agent-demo', name: 'Priya Nair' };

/** The code an authenticator app with `secret` shows `ahead` seconds from now. */
function codeFor(secret: string, ahead = 0): string {
  const totp = new TOTP({ secret: secret.replace(/\s+/g, ''), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + ahead * 1000 });
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

async function setUpAndSignInWithCodes(page: Page) {
  await signInAs(page, priya);
  await expect(page.getByRole('banner').getByText(priya.name)).toBeVisible();
  await page.goto('/profile');
  await page.getByRole('link', { name: 'Set up two-factor sign-in' }).click();
  await expect(page).toHaveURL(/\/profile\/two-factor/);
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.locator('#two-factor-secret').textContent()) ?? '';
  expect(secret.replace(/\s+/g, '')).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel('Code from the app').fill(codeFor(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = await codes.allTextContents();
  await expect(page.getByText('Signing in asks for a code from your authenticator app')).toBeVisible();

  // Signing in now takes the password, then a code (the next one: each is used once).
  await signOut(page);
  await signIn(page, priya);
  await expect(page).toHaveURL(/\/login\/code/);
  await page.getByLabel('Code', { exact: true }).fill(codeFor(secret, 30));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('banner').getByText(priya.name)).toBeVisible();

  // Or a recovery code, when the phone is lost.
  await signOut(page);
  await signIn(page, priya);
  await expect(page).toHaveURL(/\/login\/code/);
  await page.getByLabel('Code', { exact: true }).fill(recovery[0]);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('banner').getByText(priya.name)).toBeVisible();

  // Turning it off takes the password and a code.
  await page.goto('/profile/two-factor');
  await page.getByLabel('Current password').last().fill(priya.password);
  await page.getByLabel('Code from your app, or a recovery code').fill(recovery[1]);
  await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
  await expect(page.getByText('Two-factor sign-in is off.')).toBeVisible();
}

test.describe('with JavaScript', () => {
  test('set up two-factor sign-in, sign in with a code and with a recovery code, turn it off', async ({ page }) => {
    await setUpAndSignInWithCodes(page);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same, with plain forms', async ({ page }) => {
    await setUpAndSignInWithCodes(page);
  });
});
