import { expect, test, type Page } from '@playwright/test';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admin, signInAs } from './helpers';

/** A small web server on loopback standing for another system: it keeps what it is sent. */
async function otherSite(answer: (req: IncomingMessage, body: string) => { status: number; html?: string }) {
  const received: { headers: IncomingMessage['headers']; body: string; url: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body, url: req.url ?? '' });
      const { status, html } = answer(req, body);
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html ?? '');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise((done) => server.close(done)) };
}

/** Ticks a checkbox by its label within a fieldset. */
async function tick(page: Page, group: string, label: string) {
  await page.getByRole('group', { name: group }).getByLabel(label, { exact: true }).check();
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('register a webhook, make a lead, see its signed delivery in the log', async ({ page }) => {
      const receiver = await otherSite(() => ({ status: 204 }));
      try {
        await signInAs(page, admin, '/settings');
        await page.getByRole('link', { name: 'Webhooks' }).click();
        await page.getByLabel(/^URL/).fill(`http://127.0.0.1:${receiver.port}/kith`);
        await page.getByLabel(/What it is for/).fill('Sync to the sheet');
        await tick(page, 'Events to send', 'lead.created');
        await page.getByRole('button', { name: 'Add endpoint' }).click();
        await expect(page.getByText('The endpoint was added')).toBeVisible();
        const endpoint = page.url();

        const name = `Hooked ${Date.now()}`;
        await page.goto('/leads/new');
        await page.getByLabel('Name').fill(name);
        await page.getByRole('button', { name: /Create lead|Save/ }).click();
        await expect(page).toHaveURL(/\/leads\/[0-9a-f-]+$/);

        await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
        const sent = receiver.received[0];
        expect(sent.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
        expect(JSON.parse(sent.body)).toMatchObject({ type: 'lead.created', data: { label: name } });

        await page.goto(endpoint);
        const row = page.getByRole('row').filter({ hasText: 'lead.created' });
        await expect(row.getByRole('cell', { name: 'delivered' })).toBeVisible();
        await expect(row.getByRole('cell', { name: '204' })).toBeVisible();
        await page.getByRole('button', { name: 'Remove' }).click();
        await expect(page.getByText('The endpoint was removed')).toBeVisible();
      } finally {
        await receiver.close();
      }
    });

    test('make a web form and send it from a page on another site', async ({ page }) => {
      const name = `Form visitor ${Date.now()}`;
      let postUrl = '';
      const site = await otherSite((req) =>
        req.url === '/thanks'
          ? { status: 200, html: '<h1>Thanks from the shop</h1>' }
          : {
              status: 200,
              html: `<!doctype html><title>Shop</title><form action="${postUrl}" method="post">
                <label>Name <input name="name"></label><label>Email <input name="email"></label>
                <input name="website" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px">
                <button type="submit">Send</button></form>`,
            },
      );
      try {
        await signInAs(page, admin, '/settings');
        await page.getByRole('link', { name: 'Web forms' }).click();
        await page.getByLabel(/^Name \(such as/).fill(`Shop contact ${Date.now()}`);
        await tick(page, 'Who gets its leads (several: each in turn)', 'Maria Lopez');
        await page.getByLabel(/Thank-you page/).fill(`http://localhost:${site.port}/thanks`);
        await page.getByRole('button', { name: 'Add form' }).click();
        await expect(page.getByText('The form is ready')).toBeVisible();
        postUrl = ((await page.locator('#form-post-url').textContent()) ?? '').trim();
        expect(postUrl).toMatch(/\/forms\/[A-Za-z0-9_-]+$/);
        await expect(page.locator('#form-snippet')).toContainText('name="website"');

        // Another site (another origin: localhost, not 127.0.0.1) posts the form.
        await page.goto(`http://localhost:${site.port}/`);
        await page.getByLabel('Name').fill(name);
        await page.getByLabel('Email').fill(`visitor.${Date.now()}@example.com`);
        await page.getByRole('button', { name: 'Send' }).click();
        await expect(page.getByRole('heading', { name: 'Thanks from the shop' })).toBeVisible();

        await page.goto(`/leads?q=${encodeURIComponent(name)}`);
        const row = page.getByRole('row').filter({ hasText: name });
        await expect(row).toBeVisible();
        await expect(row.getByText('Maria Lopez')).toBeVisible();
      } finally {
        await site.close();
      }
    });
  });
}
