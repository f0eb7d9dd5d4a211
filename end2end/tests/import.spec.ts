import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { admin, signInAs } from './helpers';

/** A Pipedrive people export: one row without a valid email, one owner by name. */
function pipedriveExport(tag: string): Buffer {
  return Buffer.from(
    [
      'Person - Name,Person - Email,Person - Phone,Organization - Name,Lead - Status,Person - Owner,Person - Label',
      `Ines ${tag},ines.${tag}@example.com,+351 21 000 0001,Tejo Lda,Open,Maria Lopez,warm`,
      `Rui ${tag},rui.${tag}@example.com,+351 21 000 0002,Douro SA,Won,James Chen,`,
      `Bad ${tag},not-an-email,,,Open,,`,
    ].join('\n'),
  );
}

/** Uploads the export from the leads list, fixes a mapping, previews and imports it. */
async function importFromLeads(page: Page, tag: string) {
  await signInAs(page, admin, '/leads');
  await page.getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
  await page.getByLabel('The file holds').selectOption('leads');
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: `pipedrive-${tag}.csv`,
    mimeType: 'text/csv',
    buffer: pipedriveExport(tag),
  });
  await page.getByRole('button', { name: 'Upload and map columns' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Import of pipedrive-${tag}.csv`);

  // Proposed from Pipedrive's headers; the label column goes to the notes instead of nowhere.
  await expect(page.getByLabel('Person - Email')).toHaveValue('email');
  await expect(page.getByLabel('Person - Owner')).toHaveValue('assignee');
  await page.getByLabel('Person - Label').selectOption('notes');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('2 new records would be created')).toBeVisible();
  await expect(page.getByText('1 rows would be rejected')).toBeVisible();
  await expect(page.getByText(/Row 3: email:/)).toBeVisible();
  const stored = page.getByRole('table', { name: 'The first rows as they would be stored' });
  await expect(stored.getByRole('row', { name: new RegExp(`Ines ${tag}.*Maria Lopez`) })).toBeVisible();

  await page.getByRole('button', { name: 'Import 3 rows' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('dl.counts')).toContainText('Created2');
  await expect(page.locator('dl.counts')).toContainText('Rejected1');
}

/** The rejected rows download as CSV with the reason for each. */
async function downloadRejected(page: Page, tag: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the 1 rejected rows/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pipedrive-.*-rejected-.*\.csv$/);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toContain('Person - Name,Person - Email');
  expect(text).toContain(`Bad ${tag},not-an-email`);
  expect(text).toContain('Reason');
}

/** Undo archives the imported leads: the list no longer shows them. */
async function undo(page: Page, tag: string) {
  await page.getByRole('button', { name: 'Undo this import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Undone' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/Undone: 2 records archived/)).toBeVisible();
  await page.goto(`/leads?q=${tag}`);
  await expect(page.getByRole('link', { name: `Ines ${tag}` })).toHaveCount(0);
}

test('a CRM export is uploaded, mapped, previewed, imported with live progress and undone', async ({ page }) => {
  const tag = `js${Date.now()}`;
  await importFromLeads(page, tag);
  await page.goto(`/leads?q=${tag}`);
  await expect(page.getByRole('link', { name: `Ines ${tag}` })).toBeVisible();
  await page.goBack();
  await downloadRejected(page, tag);
  await undo(page, tag);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the same import works with plain forms and a page that refreshes itself', async ({ page }) => {
    const tag = `nojs${Date.now()}`;
    await importFromLeads(page, tag);
    await downloadRejected(page, tag);
    await undo(page, tag);
  });

  test('a file that cannot be read is refused with a message on the upload page', async ({ page }) => {
    await signInAs(page, admin, '/import');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'empty.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name,Email\n'),
    });
    await page.getByRole('button', { name: 'Upload and map columns' }).click();
    await expect(page.getByRole('alert')).toHaveText('The file has a header but no rows under it.');
  });
});
