import { expect, type Page } from '@playwright/test';

export const admin = { email: 'admin@kith.test', password: 'kith-admin-demo', name: 'Dana Reyes' };
export const maria = { email: 'maria@kith.test', password: 'kith-agent-demo', name: 'Maria Lopez' };

/** Signs in through the form, the way a person does. */
export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the sign-in page, signs in, waits to be let in and, given a path, goes there. */
export async function signInAs(page: Page, who: { email: string; password: string }, path?: string) {
  await page.goto('/login');
  await signIn(page, who);
  await expect(page).not.toHaveURL(/\/login/);
  if (path) await page.goto(path);
}

/** The main navigation's link to `area`. */
export function navLink(page: Page, area: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: area });
}

/** The texts in column `n` (from 1) of the list at `path`. */
export async function columnAt(page: Page, path: string, n: number): Promise<string[]> {
  await page.goto(path);
  return page.locator(`table tbody tr td:nth-child(${n})`).allTextContents();
}

/** Asserts that a column lists someone, and only `name`. */
export function expectOnly(values: string[], name: string) {
  expect(values.length).toBeGreaterThan(0);
  expect(new Set(values)).toEqual(new Set([name]));
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
