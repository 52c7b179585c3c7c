// Broken answers on every call of the email code as second factor (#14): verification and binding, declared by
// code-factor-broken-answers.mjs (which says what each test checks). An account registered with a phone adds its
// email from the suggestion (as in email.spec.mjs).
import { codeFactorBrokenAnswerTests, EMAIL_FACTOR } from './code-factor-broken-answers.mjs';

codeFactorBrokenAnswerTests(EMAIL_FACTOR);
