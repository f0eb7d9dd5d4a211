import { expect, test, type Page } from '@playwright/test';
import { maria, signInAs } from './helpers';

/** Creates one of Maria's leads through the form and returns its page's path. */
async function newLead(page: Page, name: string, company: string): Promise<string> {
  await page.goto('/leads/new');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Company').fill(company);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  return new URL(page.url()).pathname;
}

test('the command palette finds a record by two words and opens it with Enter', async ({ page }) => {
  const stamp = Date.now().toString(36);
  await signInAs(page, maria);
  const path = await newLead(page, `Palette Person ${stamp}`, `Orchid${stamp} Ltd`);
  await page.goto('/tasks');
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);

  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Command palette' });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole('combobox', { name: 'Find a record or a command' });
  await expect(box).toBeFocused();
  await box.fill(`person orchid${stamp}`);
  const hit = dialog.getByRole('option', { name: new RegExp(`Lead Palette Person ${stamp}`) });
  await expect(hit).toBeVisible();
  // The commands come first; arrow down to the lead, then Enter.
  for (let i = 0; i < 10 && (await hit.getAttribute('aria-selected')) !== 'true'; i++) {
    await box.press('ArrowDown');
  }
  await box.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${path}$`));

  // Esc closes it; "/" opens it; a command goes where it says.
  await page.keyboard.press('/');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Control+k');
  await box.fill('go to tasks');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/tasks$/);
});

test('keyboard shortcuts move between areas and are listed under ?', async ({ page }) => {
  await signInAs(page, maria, '/');
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await page.keyboard.press('g');
  await page.keyboard.press('l');
  await expect(page).toHaveURL(/\/leads$/);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await page.keyboard.press('n');
  await expect(page).toHaveURL(/\/leads\/new$/);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  // Typing in a field is typing, not a shortcut.
  await page.getByLabel('Name').press('g');
  await page.getByLabel('Name').press('c');
  await expect(page).toHaveURL(/\/leads\/new$/);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the header search box finds a record on the search page', async ({ page }) => {
    const stamp = Date.now().toString(36);
    await signInAs(page, maria);
    const path = await newLead(page, `Plain Search ${stamp}`, `Fern${stamp} Works`);
    await page.getByRole('searchbox', { name: 'Find anything' }).fill(`fern${stamp}`);
    await page.getByRole('searchbox', { name: 'Find anything' }).press('Enter');
    await expect(page).toHaveURL(/\/search\?q=/);
    await expect(page.getByRole('heading', { name: 'Leads (1)' })).toBeVisible();
    await page.getByRole('link', { name: `Plain Search ${stamp}` }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  });
});
