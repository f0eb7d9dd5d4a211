import { expect, test } from '@playwright/test';
import { admin, maria, signInAs } from './helpers';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('an @mention in a note rings the bell of the member named, who reads it and marks it read', async ({ page, browser }) => {
      const words = `Can you call them back? (${javaScriptEnabled ? 'js' : 'html'})`;
      await signInAs(page, maria, '/leads');
      await page.locator('main table a[href^="/leads/"]').first().click();
      const lead = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
      const box = page.getByLabel('Add a note');
      let note = `@Dana ${words}`;
      if (javaScriptEnabled) {
        // Typing @ and the start of a name offers the teammates it may be.
        await box.pressSequentially('@rey');
        const picker = page.getByRole('listbox', { name: 'Teammates to mention' });
        await expect(picker.getByRole('option', { name: 'Dana Reyes' })).toBeVisible();
        await box.press('Enter');
        await expect(picker).toHaveCount(0);
        await expect(box).toHaveValue('@Dana Reyes ');
        await box.pressSequentially(words);
        note = `@Dana Reyes ${words}`;
      } else {
        await box.fill(note);
      }
      await page.getByRole('button', { name: 'Add note' }).click();
      await expect(page.locator('.note-body').first()).toHaveText(note);

      const theirs = await browser.newPage({ javaScriptEnabled });
      await signInAs(theirs, admin);
      const bell = theirs.getByRole('link', { name: /^Notifications, \d+ unread$/ });
      await expect(bell).toBeVisible();
      await bell.click();
      await expect(theirs).toHaveURL(/\/notifications$/);
      await expect(theirs.getByRole('heading', { name: 'Notifications' })).toBeVisible();
      const item = theirs.getByRole('listitem').filter({ hasText: words });
      await expect(item).toContainText(`Maria Lopez mentioned you in a note on the lead ${lead}`);
      await expect(item.getByRole('link', { name: lead })).toHaveAttribute('href', /^\/leads\//);

      await item.getByRole('button', { name: /Mark read/ }).click();
      await expect(theirs.getByRole('listitem').filter({ hasText: words }).getByRole('button', { name: /Mark read/ })).toHaveCount(0);
      await theirs.goto('/notifications');
      if (await theirs.getByRole('button', { name: 'Mark all read' }).count()) {
        await theirs.getByRole('button', { name: 'Mark all read' }).click();
      }
      await expect(theirs.getByText('Nothing unread.')).toBeVisible();
      await expect(theirs.getByRole('link', { name: 'Notifications', exact: true })).toBeVisible();
      await theirs.getByRole('listitem').filter({ hasText: words }).getByRole('link', { name: lead }).click();
      await expect(theirs.getByRole('heading', { name: lead })).toBeVisible();
      await theirs.close();
    });
  });
}
