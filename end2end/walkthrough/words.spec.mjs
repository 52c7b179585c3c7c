// #15 item 14: the words a person reads. Headlines that say what to do, the account named plainly, a signature that
// is true, and Arabic written with its own punctuation, its "و" on the word it joins.
import { test, expect, expectScreenAnnounced } from '../fixtures.mjs';
import { freshEmail, ALICE, codeSentBy, expectCodeScreen, typeCode, allowMissingProfile } from '../flows/identifier-helpers.mjs';
import { startDemo, acceptTermsIfAsked, axeClean, RESET } from './helpers.mjs';

test('the code screen says what to do; the password screen names the account; the signature is not a placeholder', async ({ page }) => {
  await startDemo(page, 'first_screen=register', /\/register/);
  await expect(page.locator('footer.logto_signature')).toHaveText('Sign-in by Logto');
  await page.locator('input[name=identifier]').fill(freshEmail('words'));
  await page.locator('input[name=terms]').check();
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/register\/verification-code/);
  // Each new step names the document after its headline and takes the focus to its first field (#15, item 3).
  await expectScreenAnnounced(page, 'Enter the code', page.locator('input[name=passcode_0]'));

  await startDemo(page, '', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(ALICE.username);
  await acceptTermsIfAsked(page);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  await expectScreenAnnounced(page, 'Enter your password', page.locator('input[name=password]'));
  await expect(page.locator('p.signIn_description')).toHaveText(`Enter the password for ${ALICE.username}`);
});

test('Arabic: the hints use the Arabic comma and semicolon, and "و" is written onto the word it joins', async ({ page, request, guard }, testInfo) => {
  allowMissingProfile(guard);
  await startDemo(page, 'ui_locales=ar&first_screen=register', /\/register/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  // The terms: "…شروط الاستخدام وسياسة الخصوصية", one word after "و", never "و" alone at a line's end.
  const sentence = page.locator('.terms_sentence');
  await expect(sentence).toContainText('شروط الاستخدام وسياسة الخصوصية');
  expect(await sentence.textContent()).not.toMatch(/\sو\s/);
  await axeClean(page, testInfo, 'register-ar');

  // The username hint of flows.json's registration: "…؛ …، … و…", no Latin comma or semicolon.
  const email = freshEmail('ar');
  await page.locator('input[name=identifier]').fill(email);
  await page.locator('input[name=terms]').check();
  const message = await codeSentBy(request, email, () => page.locator('button[type=submit]').click());
  await expectCodeScreen(page, /register/);
  await expect(page.locator('p.signIn_description')).toContainText('أرسلنا رمزًا');
  await typeCode(page, message.code);
  await page.waitForURL(/\/continue\/username/);
  const hint = page.locator('.field_hint');
  await expect(hint).toContainText('؛');
  await expect(hint).toContainText('،');
  const text = await hint.textContent();
  expect(text).not.toMatch(/[,;]/);
  expect(text).not.toMatch(/\sو\s/);
  await axeClean(page, testInfo, 'continue-username-ar');
});

test('French: no word left unelided before a vowel ("ce e-mail", "de alice"), from register to the password and reset screens', async ({ page }, testInfo) => {
  // A word that elides before a vowel sound and does not is a mistake a French reader notices at once (the issue's
  // "Ce e-mail"); an account name or an identifier kind put after "de" or "le" makes the same mistake.
  const noUnelidedWord = async (where) =>
    expect(await page.locator('main').innerText(), where).not.toMatch(/\b(ce|de|que|le|la)\s+[aeiouyàâéèêëîïôûù]/i);
  await startDemo(page, 'ui_locales=fr&first_screen=register', /\/register/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  const field = page.locator('input[name=identifier]');
  await field.fill('pas une adresse');
  await page.locator('input[name=terms]').check();
  await page.locator('button[type=submit]').click();
  await expect(page.locator('p.field_error')).toHaveText('Ce que vous avez saisi n’est pas un e-mail valide');
  await noUnelidedWord('the register form with its error');
  await axeClean(page, testInfo, 'register-error-fr');

  await field.fill(freshEmail('fr'));
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/register\/verification-code/);
  await expectScreenAnnounced(page, 'Saisissez le code', page.locator('input[name=passcode_0]'));
  await expect(page.getByRole('link', { name: 'Modifier votre e-mail' })).toBeVisible();
  await noUnelidedWord('the code screen');

  await startDemo(page, 'ui_locales=fr', /\/sign-in/);
  await page.locator('input[name=identifier]').fill(ALICE.username);
  await acceptTermsIfAsked(page);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/sign-in\/password/);
  await expect(page.locator('p.signIn_description')).toHaveText(`Saisissez le mot de passe du compte ${ALICE.username}`);
  await noUnelidedWord('the password screen');

  await startDemo(page, 'ui_locales=fr&first_screen=reset_password', RESET);
  await expect(page.locator('main')).toContainText('Saisissez votre e-mail et nous vous enverrons un code.');
  await noUnelidedWord('the reset screen');
});
