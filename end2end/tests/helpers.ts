import { expect, type Page } from '@playwright/test';

export const admin = { email: 'admin@kith.test', password: 'kith-admin-demo', name: 'Dana Reyes' };
export const maria = { email: 'maria@kith.test', password: 'kith-agent-demo', name: 'Maria Lopez' };

/** Signs in through the form, the way a person does. */
export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Collects console errors (a CSP violation would show up here). */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}
