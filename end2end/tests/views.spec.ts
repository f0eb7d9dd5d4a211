import { expect, test } from '@playwright/test';
import { admin, maria, signInAs } from './helpers';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a list saved as a view comes back from its tab, and is forgotten', async ({ page }) => {
      const name = `Won ones ${javaScriptEnabled ? 'js' : 'html'}`;
      await signInAs(page, maria, '/leads?status=won&sort=name&dir=asc');
      const tabs = page.getByRole('navigation', { name: 'Saved views' });
      await expect(tabs.getByRole('link', { name: 'All' })).toBeVisible();
      await page.getByText('Save this view').click();
      await page.getByLabel('Name of the view').fill(name);
      await page.getByRole('button', { name: 'Save view' }).click();
      await expect(tabs.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
      await expect(page).toHaveURL(/status=won/);

      await tabs.getByRole('link', { name: 'All' }).click();
      await expect(page).toHaveURL(/\/leads\?view=all$/);
      await expect(tabs.getByRole('link', { name })).not.toHaveAttribute('aria-current', 'page');
      await tabs.getByRole('link', { name }).click();
      await expect(page).toHaveURL(/status=won&sort=name&dir=asc/);
      await expect(page.getByLabel('Status', { exact: true })).toHaveValue('won');

      await tabs.getByRole('button', { name: `Forget the view ${name}` }).click();
      await expect(tabs.getByRole('link', { name })).toHaveCount(0);
    });
  });
}

test('a chosen default view opens with the list, for its chooser only', async ({ page }) => {
  const james = { email: 'james@kith.test', password: 'kith-agent-demo' };
  await signInAs(page, james, '/customers?sort=name&dir=desc');
  await page.getByText('Save this view').click();
  await page.getByLabel('Name of the view').fill('Z to A');
  await page.getByRole('button', { name: 'Save view' }).click();
  const tabs = page.getByRole('navigation', { name: 'Saved views' });
  await page.getByRole('button', { name: 'Make this the default view' }).click();
  await expect(tabs.getByRole('link', { name: 'Z to A · default' })).toHaveAttribute('aria-current', 'page');

  // The list's own address now opens with it; "All" still shows everything.
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/customers\?sort=name&dir=desc$/);
  await tabs.getByRole('link', { name: 'All' }).click();
  await expect(page).toHaveURL(/\/customers\?view=all$/);
  await expect(tabs.getByRole('link', { name: 'All' })).toHaveAttribute('aria-current', 'page');

  await tabs.getByRole('link', { name: /Z to A/ }).click();
  await page.getByRole('button', { name: 'Stop opening this view by default' }).click();
  // Saved, then back on the whole list, before the list's own address is asked again.
  await expect(page).toHaveURL(/\/customers\?view=all$/);
  await page.goto('/customers');
  await expect(page).toHaveURL(/\/customers$/);
  await tabs.getByRole('button', { name: 'Forget the view Z to A' }).click();
  await expect(tabs.getByRole('link', { name: /Z to A/ })).toHaveCount(0);
});

test('a view an admin shares shows on everyone\'s list, and only the admin may forget it', async ({ page, browser }) => {
  await signInAs(page, admin, '/tasks?overdue=1');
  await page.getByText('Save this view').click();
  await page.getByLabel('Name of the view').fill('Overdue, all of us');
  await page.getByLabel('Share with the team').check();
  await page.getByRole('button', { name: 'Save view' }).click();
  const tabs = page.getByRole('navigation', { name: 'Saved views' });
  await expect(tabs.getByRole('link', { name: /Overdue, all of us/ })).toBeVisible();

  const agent = await browser.newPage();
  await signInAs(agent, maria, '/tasks');
  const theirs = agent.getByRole('navigation', { name: 'Saved views' });
  await expect(theirs.getByRole('link', { name: /Overdue, all of us/ })).toBeVisible();
  await expect(theirs.getByRole('button', { name: /Forget the view Overdue/ })).toHaveCount(0);
  await expect(agent.getByLabel('Share with the team')).toHaveCount(0);
  await agent.close();

  await tabs.getByRole('button', { name: 'Forget the view Overdue, all of us' }).click();
  await expect(tabs.getByRole('link', { name: /Overdue, all of us/ })).toHaveCount(0);
});
