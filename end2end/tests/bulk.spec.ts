import { expect, test, type Page } from '@playwright/test';
import { admin, maria, signInAs } from './helpers';

/** Adds leads named `names` for whoever is signed in on `page`, in company `company`. */
async function addLeads(page: Page, company: string, names: string[]) {
  for (const name of names) {
    const res = await page.request.post('/api/leads/create', {
      form: { name, email: '', phone: '', company, source: '', status: 'new', notes: '' },
      maxRedirects: 0,
    });
    expect(res.status()).toBeLessThan(400);
  }
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('ticked leads are moved after a confirmation that counts them, then deleted', async ({ page }) => {
      const company = `Bulkfield ${javaScriptEnabled ? 'js' : 'html'} ${Date.now()}`;
      await signInAs(page, maria);
      await addLeads(page, company, ['Bulk Ada', 'Bulk Ben', 'Bulk Cy']);
      await page.goto(`/leads?q=${encodeURIComponent(company)}`);
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(4);

      await page.getByRole('checkbox', { name: 'Select Bulk Ada' }).check();
      await page.getByRole('checkbox', { name: 'Select Bulk Ben' }).check();
      await page.getByLabel('Move to').selectOption({ label: 'Closed Won' });
      await page.getByRole('button', { name: 'Move…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Move 2 leads to Closed Won?' });
      await expect(confirm.getByRole('listitem')).toHaveText(['Bulk Ada', 'Bulk Ben']);
      await confirm.getByRole('button', { name: 'Move 2 leads' }).click();
      await expect(page).toHaveURL(/\/leads\?q=/);
      await expect(page.getByRole('row', { name: /Bulk Ada/ })).toContainText('Closed Won');
      await expect(page.getByRole('row', { name: /Bulk Cy/ })).toContainText('New');
      if (javaScriptEnabled) {
        await expect(page.getByRole('status').filter({ hasText: 'Leads changed' })).toBeVisible();
        // Ticking all on the page needs JavaScript; without it the box is not shown.
        await page.getByLabel('Tick all on this page').check();
      } else {
        await expect(page.getByLabel('Tick all on this page')).toBeHidden();
        for (const name of ['Bulk Ada', 'Bulk Ben', 'Bulk Cy']) {
          await page.getByRole('checkbox', { name: `Select ${name}` }).check();
        }
      }
      await page.getByRole('button', { name: 'Delete…' }).click();
      const remove = page.getByRole('alertdialog', { name: 'Delete 3 leads?' });
      await remove.getByRole('button', { name: 'Delete 3 leads' }).click();
      await expect(page.getByText('No leads match')).toBeVisible();
    });

    test('ticked tasks are marked done together, while each row keeps its own quick action', async ({ page }) => {
      // A day of their own, so the list shows just these tasks.
      const day = `2041-0${javaScriptEnabled ? 3 : 4}-${String(1 + (Date.now() % 27)).padStart(2, '0')}`;
      await signInAs(page, maria);
      for (const title of ['Bulk call A', 'Bulk call B', 'Bulk call C']) {
        const res = await page.request.post('/api/tasks/create', {
          form: { title, description: '', due_date: day, due_time: '', priority: 'medium', status: 'open' },
          maxRedirects: 0,
        });
        expect(res.status()).toBeLessThan(400);
      }
      await page.goto(`/tasks?due_from=${day}&due_to=${day}`);
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(4);
      await page.getByRole('button', { name: 'Mark done: Bulk call C' }).click();
      await expect(page.getByRole('table').getByRole('row')).toHaveCount(3);

      await page.getByRole('checkbox', { name: 'Select Bulk call A' }).check();
      await page.getByRole('checkbox', { name: 'Select Bulk call B' }).check();
      await page.getByLabel('Move to').selectOption({ label: 'Done' });
      await page.getByRole('button', { name: 'Move…' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Move 2 tasks to Done?' });
      await expect(confirm.getByRole('listitem')).toHaveText(['Bulk call A', 'Bulk call B']);
      await confirm.getByRole('button', { name: 'Move 2 tasks' }).click();
      await expect(page).toHaveURL(/\/tasks\?due_from=/);
      await expect(page.getByRole('table')).toHaveCount(0);
      if (javaScriptEnabled) {
        await expect(page.getByRole('status').filter({ hasText: 'Tasks changed' })).toBeVisible();
      }
    });

    test('acting with nothing ticked says what to do, not that Kith failed', async ({ page }) => {
      await signInAs(page, admin, '/leads');
      await page.getByLabel('Assign to').selectOption({ label: maria.name });
      await page.getByRole('button', { name: 'Assign…' }).click();
      await expect(page.getByRole('heading', { name: 'Nothing to change' })).toBeVisible();
      await expect(page.getByText('Tick the leads to change first, or choose all that match.')).toBeVisible();
      await expect(page.getByText('Something went wrong')).toHaveCount(0);
      await page.getByRole('link', { name: 'Back to the list' }).click();
      await expect(page).toHaveURL(/\/leads/);
    });
  });
}
