// Broken answers on every call of the SMS code as second factor (#14): verification (an account whose phone is its
// factor) and binding (an account registered by email adds a phone from the suggestion, as in suggestion.spec.mjs),
// declared by code-factor-broken-answers.mjs (which says what each test checks).
import { codeFactorBrokenAnswerTests, PHONE_FACTOR } from './code-factor-broken-answers.mjs';

codeFactorBrokenAnswerTests(PHONE_FACTOR);
