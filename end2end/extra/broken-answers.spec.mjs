// Broken answers (#14; end2end/broken-answers.mjs) on the custom profile fields of a registration: Continue on
// /continue/extra-profile saves the fields, identifies the new account and submits. Each call gets every breakage in
// turn; the message comes with the fields as typed, and the retry goes on: with the fields again until the account is
// made (what the person typed may have changed meanwhile), only the submit once identification made it.
import { test, expect, recordApi } from '../fixtures.mjs';
import { allowBrokenAnswers, breakEachWay } from '../broken-answers.mjs';
import { allowMissingProfile, codeSentBy, expectCodeScreen, freshEmail, freshUsername, typeCode } from '../flows/identifier-helpers.mjs';

const EA = '/api/experience';
const EXTRA_PROFILE_CALLS = [
  { method: 'POST', path: `${EA}/profile`, reads: false },
  { method: 'POST', path: `${EA}/identification`, reads: false },
  { method: 'POST', path: `${EA}/submit`, reads: true },
];

for (const call of EXTRA_PROFILE_CALLS) {
  test(`custom profile fields, ${call.method} ${call.path}: every broken answer shows a message, keeps the fields, and the retry works`, async ({ page, request, guard }) => {
    allowBrokenAnswers(guard);
    allowMissingProfile(guard);
    await page.clock.install();
    const email = freshEmail('xb');
    const username = freshUsername('Xb');
    const api = recordApi(page);
    await page.goto('/demo');
    await page.waitForURL(/\/register/);
    const button = page.locator('button[name=submit]');
    await page.locator('input[name=identifier]').fill(email);
    await page.locator('input[name=terms]').check();
    const message = await codeSentBy(request, email, () => button.click());
    await expectCodeScreen(page, /register/);
    await typeCode(page, message.code);
    await page.waitForURL(/\/continue\/username/);
    await page.locator('input[name=identifier]').fill(username);
    await button.click();
    await page.waitForURL(/\/continue\/extra-profile/);
    const company = page.getByLabel('Company', { exact: true });
    const website = page.getByLabel('Website (optional)');
    await company.fill('Acme');
    await website.fill('https://acme.test');
    await breakEachWay(page, call, {
      attempt: () => button.click(),
      ready: () => expect(button).toBeEnabled(),
      kept: async () => {
        await expect(company).toHaveValue('Acme');
        await expect(website).toHaveValue('https://acme.test');
      },
    });
    await button.click();
    await page.waitForURL(/\/demo\/callback/);
    await expect(page.locator('body')).toContainText(`(${username})`);
    if (call.path.endsWith('/submit')) {
      const saved = api.calls.filter((c) => c.key === `POST ${EA}/profile` && JSON.parse(c.body).type === 'extraProfile');
      expect(saved.length, 'the fields of the made account were not sent again').toBe(1);
      expect(api.count(`POST ${EA}/identification`), 'one identification per screen (code, username, fields)').toBe(3);
    }
  });
}
