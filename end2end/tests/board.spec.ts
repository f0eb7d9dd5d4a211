import { expect, test, type Page } from '@playwright/test';
import { admin, maria, signInAs } from './helpers';

/** Creates a lead through the form and opens the board searched down to it. */
async function boardWithNewLead(page: Page, name: string) {
  await signInAs(page, maria);
  await expect(page.getByRole('banner').getByText(maria.name)).toBeVisible();
  await page.goto('/leads/new');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create lead' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.goto(`/leads/board?q=${encodeURIComponent(name)}`);
}

const column = (page: Page, status: string) => page.locator(`section[data-status="${status}"]`);

test('a card moves by drag and drop and by keyboard', async ({ page }) => {
  const name = `Board Drag ${Date.now()}`;
  await boardWithNewLead(page, name);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  const card = page.locator('li.board-card', { hasText: name });
  await expect(column(page, 'new').locator('li.board-card', { hasText: name })).toBeVisible();
  // With JavaScript and a mouse, the plain move form is out of the way.
  await expect(card.getByRole('button', { name: 'Move' })).toBeHidden();

  await card.dragTo(column(page, 'in_progress'));
  await expect(column(page, 'in_progress').locator('li.board-card', { hasText: name })).toBeVisible();
  await expect(column(page, 'in_progress').locator('.board-count')).toContainText('1');
  await expect(column(page, 'new').locator('.board-count')).toContainText('0');

  await column(page, 'in_progress').locator('li.board-card', { hasText: name }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('status').filter({ hasText: `Moved ${name} to Closed Won.` })).toBeAttached();
  await expect(column(page, 'won').locator('li.board-card', { hasText: name })).toBeVisible();
  // The focus stays on the moved card, so it can move on.
  await expect(column(page, 'won').locator('li.board-card', { hasText: name })).toBeFocused();

  // The move was saved: a fresh load shows it where it was left.
  await page.reload();
  await expect(column(page, 'won').locator('li.board-card', { hasText: name })).toBeVisible();
});

test('a column shows more cards on demand', async ({ page }) => {
  await signInAs(page, admin, '/leads/board');
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  const cards = column(page, 'new').locator('li.board-card');
  await expect(cards).toHaveCount(25);
  await column(page, 'new').getByRole('button', { name: 'Show more New leads' }).click();
  await expect(cards).toHaveCount(50);
  // Cards shown later move like the first ones.
  await expect(cards.nth(40)).toHaveAttribute('draggable', 'true');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test("a card moves with its status select", async ({ page }) => {
    const name = `Board Plain ${Date.now()}`;
    await boardWithNewLead(page, name);
    await page.getByLabel(`Status of ${name}`).selectOption('lost');
    await page.locator('li.board-card', { hasText: name }).getByRole('button', { name: 'Move' }).click();
    await expect(page).toHaveURL(/\/leads\/board\?q=/);
    await expect(column(page, 'lost').locator('li.board-card', { hasText: name })).toBeVisible();
    await expect(column(page, 'new').locator('li.board-card', { hasText: name })).toHaveCount(0);
  });
});
