//! The `message` of every error body the reference provider sends, in English, French and Arabic: sentences of our
//! own under Logto's error codes (codes and statuses are Logto's, the words are not). The provider answers with them;
//! the designers' gallery shows the same ones in its canned failures.

/// The languages of the message table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ar];

    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
        }
    }

    /// The table's language of a language tag (`fr-CA` → French); English for any other.
    pub fn of_tag(tag: &str) -> Lang {
        match tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase().as_str() {
            "fr" => Lang::Fr,
            "ar" => Lang::Ar,
            _ => Lang::En,
        }
    }
}

/// One row of the table: an error code and its message in each language.
#[derive(Debug)]
pub struct Message {
    pub code: &'static str,
    pub en: &'static str,
    pub fr: &'static str,
    pub ar: &'static str,
}

impl Message {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Fr => self.fr,
            Lang::Ar => self.ar,
        }
    }
}

const fn m(code: &'static str, en: &'static str, fr: &'static str, ar: &'static str) -> Message {
    Message { code, en, fr, ar }
}

/// For a code missing from [`MESSAGES`] (a test keeps every code the sources name in the table).
pub const FALLBACK: Message = m(
    "",
    "Something went wrong. Please try again.",
    "Une erreur s’est produite. Veuillez réessayer.",
    "حدث خطأ ما. يُرجى المحاولة مرة أخرى.",
);

/// Every error code the provider answers with, sorted by code (French with non-breaking spaces before `;:?!`,
/// Arabic with Arabic punctuation).
pub const MESSAGES: &[Message] = &[
    m(
        "auth.forbidden",
        "This action is not allowed here.",
        "Cette action n’est pas autorisée ici.",
        "هذا الإجراء غير مسموح به هنا.",
    ),
    m(
        "connector.invalid_auth_code",
        "The sign-in provider did not accept that authorization code.",
        "Le fournisseur de connexion n’a pas accepté ce code d’autorisation.",
        "لم يقبل مزوّد تسجيل الدخول رمز التفويض هذا.",
    ),
    m(
        "connector.rate_limit_exceeded",
        "Too many codes were sent to this address. Wait a minute and try again.",
        "Trop de codes ont été envoyés à cette adresse. Patientez une minute, puis réessayez.",
        "أُرسل عدد كبير جدًا من الرموز إلى هذا العنوان. انتظر دقيقة ثم حاول مرة أخرى.",
    ),
    m(
        "connector.usage_limit_exceeded",
        "The message service has reached its usage limit.",
        "Le service d’envoi des messages a atteint sa limite d’utilisation.",
        "بلغت خدمة إرسال الرسائل الحدّ الأقصى لاستخدامها.",
    ),
    m(
        "entity.not_exists_with_id",
        "There is no single sign-on connector with that id.",
        "Aucun connecteur d’authentification unique ne porte cet identifiant.",
        "لا يوجد موصّل دخول موحّد بهذا المعرّف.",
    ),
    m(
        "entity.not_found",
        "Nothing matching that request was found.",
        "Aucun élément ne correspond à cette demande.",
        "لم يُعثر على أي عنصر يطابق هذا الطلب.",
    ),
    m(
        "guard.invalid_input",
        "The request does not have the expected shape.",
        "La requête n’a pas la forme attendue.",
        "الطلب ليس بالشكل المتوقَّع.",
    ),
    m(
        "one_time_token.email_mismatch",
        "That sign-in link was made for a different email address.",
        "Ce lien de connexion a été créé pour une autre adresse e-mail.",
        "أُنشئ رابط تسجيل الدخول هذا لعنوان بريد إلكتروني آخر.",
    ),
    m(
        "one_time_token.token_consumed",
        "That sign-in link has already been used.",
        "Ce lien de connexion a déjà été utilisé.",
        "سبق استخدام رابط تسجيل الدخول هذا.",
    ),
    m(
        "one_time_token.token_expired",
        "That sign-in link has expired.",
        "Ce lien de connexion a expiré.",
        "انتهت صلاحية رابط تسجيل الدخول هذا.",
    ),
    m(
        "one_time_token.token_not_found",
        "That sign-in link is not valid.",
        "Ce lien de connexion n’est pas valide.",
        "رابط تسجيل الدخول هذا غير صالح.",
    ),
    m(
        "password.expired",
        "This password has expired. Reset it to sign in again.",
        "Ce mot de passe a expiré. Réinitialisez-le pour vous connecter à nouveau.",
        "انتهت صلاحية كلمة المرور هذه. أعد تعيينها لتسجيل الدخول من جديد.",
    ),
    m(
        "password.rejected",
        "This password does not meet the password rules.",
        "Ce mot de passe ne respecte pas les règles de mot de passe.",
        "كلمة المرور هذه لا تستوفي قواعد كلمات المرور.",
    ),
    m(
        "session.captcha_failed",
        "The security check could not be verified.",
        "La vérification de sécurité n’a pas pu être validée.",
        "تعذّر التحقق من الفحص الأمني.",
    ),
    m(
        "session.captcha_required",
        "A security check is needed before going on.",
        "Une vérification de sécurité est nécessaire pour continuer.",
        "يلزم إجراء تحقق أمني قبل المتابعة.",
    ),
    m(
        "session.email_blocklist.email_not_allowed",
        "This email address isn't accepted here. Use another one.",
        "Cette adresse e-mail n’est pas acceptée ici. Utilisez-en une autre.",
        "عنوان البريد الإلكتروني هذا غير مقبول هنا. استخدم عنوانًا آخر.",
    ),
    m(
        "session.email_blocklist.email_subaddressing_not_allowed",
        "Addresses with a + tag aren't accepted here. Use the address without it.",
        "Les adresses avec un suffixe après « + » ne sont pas acceptées ici. Utilisez l’adresse sans ce suffixe.",
        "العناوين التي تتضمّن لاحقة بعد علامة + غير مقبولة هنا. استخدم العنوان من دون هذه اللاحقة.",
    ),
    m(
        "session.identifier_not_found",
        "No account has been identified in this sign-in yet.",
        "Aucun compte n’a encore été identifié pour cette connexion.",
        "لم يُحدَّد أي حساب في عملية تسجيل الدخول هذه بعد.",
    ),
    m(
        "session.identity_conflict",
        "This sign-in already belongs to a different account.",
        "Cette connexion est déjà associée à un autre compte.",
        "عملية تسجيل الدخول هذه مرتبطة بالفعل بحساب آخر.",
    ),
    m(
        "session.insufficient_info",
        "Some required information is missing from the request.",
        "Il manque des informations obligatoires dans la requête.",
        "بعض المعلومات المطلوبة غير موجودة في الطلب.",
    ),
    m(
        "session.interaction_not_found",
        "This sign-in has not been started yet. Go back and start it again.",
        "Cette connexion n’a pas encore commencé. Revenez en arrière et recommencez.",
        "لم تبدأ عملية تسجيل الدخول هذه بعد. ارجع وابدأها من جديد.",
    ),
    m(
        "session.invalid_credentials",
        "The account or the password is wrong. Check them and try again.",
        "Le compte ou le mot de passe est incorrect. Vérifiez-les et réessayez.",
        "الحساب أو كلمة المرور غير صحيحة. تحقّق منهما وحاول مرة أخرى.",
    ),
    m(
        "session.invalid_interaction_type",
        "This step does not belong to this kind of sign-in.",
        "Cette étape ne fait pas partie de ce type de connexion.",
        "هذه الخطوة لا تنتمي إلى هذا النوع من تسجيل الدخول.",
    ),
    m(
        "session.mfa.backup_code_can_not_be_alone",
        "Backup codes need another verification method next to them.",
        "Les codes de secours doivent être accompagnés d’une autre méthode de vérification.",
        "لا يمكن استخدام الرموز الاحتياطية إلا مع طريقة تحقّق أخرى.",
    ),
    m(
        "session.mfa.backup_code_required",
        "Save a set of backup codes before you continue.",
        "Enregistrez une série de codes de secours avant de continuer.",
        "احفظ مجموعة من الرموز الاحتياطية قبل المتابعة.",
    ),
    m(
        "session.mfa.invalid_backup_code",
        "That backup code is not valid or has been used.",
        "Ce code de secours n’est pas valide ou a déjà été utilisé.",
        "هذا الرمز الاحتياطي غير صالح أو سبق استخدامه.",
    ),
    m(
        "session.mfa.invalid_totp_code",
        "That code from your authenticator app is not right. Try the current one.",
        "Ce code de votre application d’authentification est incorrect. Essayez le code actuel.",
        "هذا الرمز من تطبيق المصادقة غير صحيح. جرّب الرمز الحالي.",
    ),
    m(
        "session.mfa.mfa_factor_not_enabled",
        "This verification method is turned off.",
        "Cette méthode de vérification est désactivée.",
        "طريقة التحقّق هذه معطّلة.",
    ),
    m(
        "session.mfa.mfa_policy_not_user_controlled",
        "Two-step verification is required here and cannot be skipped.",
        "La vérification en deux étapes est obligatoire ici et ne peut pas être ignorée.",
        "التحقّق بخطوتين إلزامي هنا ولا يمكن تخطّيه.",
    ),
    m(
        "session.mfa.require_mfa_verification",
        "Verify it is you with one of your verification methods.",
        "Confirmez votre identité avec l’une de vos méthodes de vérification.",
        "أكّد هويتك بإحدى طرق التحقّق الخاصة بك.",
    ),
    m(
        "session.mfa.suggest_additional_mfa",
        "You can add another verification method for extra safety, or skip this.",
        "Vous pouvez ajouter une autre méthode de vérification pour plus de sécurité, ou passer cette étape.",
        "يمكنك إضافة طريقة تحقّق أخرى لمزيد من الأمان، أو تخطّي هذه الخطوة.",
    ),
    m(
        "session.mfa.webauthn_verification_failed",
        "Your passkey or security key could not be verified.",
        "Votre clé d’accès ou clé de sécurité n’a pas pu être vérifiée.",
        "تعذّر التحقّق من مفتاح المرور أو مفتاح الأمان الخاص بك.",
    ),
    m(
        "session.mfa.webauthn_verification_not_found",
        "This account has no passkey or security key.",
        "Ce compte n’a ni clé d’accès ni clé de sécurité.",
        "لا يملك هذا الحساب مفتاح مرور أو مفتاح أمان.",
    ),
    m(
        "session.not_found",
        "Your sign-in session could not be found. Go back to the app and sign in again.",
        "Votre session de connexion est introuvable. Revenez à l’application et connectez-vous à nouveau.",
        "تعذّر العثور على جلسة تسجيل الدخول. ارجع إلى التطبيق وسجّل الدخول من جديد.",
    ),
    m(
        "session.not_supported_for_forgot_password",
        "A password reset cannot be done this way.",
        "Un mot de passe ne peut pas être réinitialisé de cette façon.",
        "لا يمكن إعادة تعيين كلمة المرور بهذه الطريقة.",
    ),
    m(
        "session.passkey_sign_in.pending_info_not_found",
        "Start the passkey sign-in again.",
        "Recommencez la connexion avec la clé d’accès.",
        "ابدأ تسجيل الدخول بمفتاح المرور من جديد.",
    ),
    m(
        "session.sso_enabled",
        "This email address signs in with single sign-on.",
        "Cette adresse e-mail se connecte par authentification unique.",
        "يجب تسجيل الدخول بعنوان البريد الإلكتروني هذا عبر الدخول الموحّد.",
    ),
    m(
        "session.verification_blocked_too_many_attempts",
        "Too many failed attempts. Wait a while before trying again.",
        "Trop de tentatives infructueuses. Patientez un moment avant de réessayer.",
        "محاولات فاشلة كثيرة جدًا. انتظر قليلًا قبل المحاولة مرة أخرى.",
    ),
    m(
        "session.verification_failed",
        "This verification has not been completed.",
        "Cette vérification n’a pas été menée à son terme.",
        "لم تكتمل عملية التحقّق هذه.",
    ),
    m(
        "session.verification_session_not_found",
        "That verification is unknown or has expired. Please verify again.",
        "Cette vérification est inconnue ou a expiré. Veuillez recommencer la vérification.",
        "عملية التحقّق هذه غير معروفة أو انتهت صلاحيتها. يُرجى التحقّق مرة أخرى.",
    ),
    m(
        "user.email_already_in_use",
        "That email address already belongs to an account.",
        "Cette adresse e-mail appartient déjà à un compte.",
        "عنوان البريد الإلكتروني هذا مرتبط بحساب بالفعل.",
    ),
    m(
        "user.email_exists_in_profile",
        "Your account already has an email address; it cannot be replaced here.",
        "Votre compte a déjà une adresse e-mail\u{a0}; elle ne peut pas être remplacée ici.",
        "لحسابك عنوان بريد إلكتروني بالفعل؛ ولا يمكن استبداله هنا.",
    ),
    m(
        "user.identity_already_in_use",
        "This sign-in identity already belongs to an account.",
        "Cette identité de connexion appartient déjà à un compte.",
        "هوية تسجيل الدخول هذه مرتبطة بحساب بالفعل.",
    ),
    m(
        "user.identity_not_exist",
        "No account uses this social sign-in yet.",
        "Aucun compte n’utilise encore cette connexion par réseau social.",
        "لا يوجد حساب يستخدم تسجيل الدخول الاجتماعي هذا بعد.",
    ),
    m(
        "user.missing_mfa",
        "Set up a verification method to finish signing in.",
        "Configurez une méthode de vérification pour terminer la connexion.",
        "أعدّ طريقة تحقّق لإكمال تسجيل الدخول.",
    ),
    m(
        "user.missing_profile",
        "Some details are still needed to finish.",
        "Quelques informations sont encore nécessaires pour terminer.",
        "ما زالت بعض التفاصيل مطلوبة للإكمال.",
    ),
    m(
        "user.new_password_required_in_profile",
        "Choose a new password first.",
        "Choisissez d’abord un nouveau mot de passe.",
        "اختر كلمة مرور جديدة أولًا.",
    ),
    m(
        "user.passkey_preferred",
        "Add a passkey so you can sign in faster next time.",
        "Ajoutez une clé d’accès pour vous connecter plus vite la prochaine fois.",
        "أضف مفتاح مرور لتسجيل الدخول بشكل أسرع في المرة القادمة.",
    ),
    m(
        "user.password_exists_in_profile",
        "Your account already has a password; it cannot be replaced here.",
        "Votre compte a déjà un mot de passe\u{a0}; il ne peut pas être remplacé ici.",
        "لحسابك كلمة مرور بالفعل؛ ولا يمكن استبدالها هنا.",
    ),
    m(
        "user.phone_already_in_use",
        "That phone number already belongs to an account.",
        "Ce numéro de téléphone appartient déjà à un compte.",
        "رقم الهاتف هذا مرتبط بحساب بالفعل.",
    ),
    m(
        "user.phone_exists_in_profile",
        "Your account already has a phone number; it cannot be replaced here.",
        "Votre compte a déjà un numéro de téléphone\u{a0}; il ne peut pas être remplacé ici.",
        "لحسابك رقم هاتف بالفعل؛ ولا يمكن استبداله هنا.",
    ),
    m(
        "user.same_password",
        "Pick a password different from the one you have now.",
        "Choisissez un mot de passe différent de votre mot de passe actuel.",
        "اختر كلمة مرور مختلفة عن كلمة مرورك الحالية.",
    ),
    m(
        "user.sign_in_method_not_enabled",
        "This way of signing in is turned off.",
        "Ce mode de connexion est désactivé.",
        "طريقة تسجيل الدخول هذه معطّلة.",
    ),
    m(
        "user.sso_identity_not_exist",
        "No account uses this single sign-on identity yet.",
        "Aucun compte n’utilise encore cette identité d’authentification unique.",
        "لا يوجد حساب يستخدم هوية الدخول الموحّد هذه بعد.",
    ),
    m(
        "user.suggest_mfa",
        "Consider adding a second verification step to protect your account.",
        "Pensez à ajouter une deuxième étape de vérification pour protéger votre compte.",
        "ننصحك بإضافة خطوة تحقّق ثانية لحماية حسابك.",
    ),
    m(
        "user.totp_already_in_use",
        "This account already has an authenticator app.",
        "Ce compte a déjà une application d’authentification.",
        "لهذا الحساب تطبيق مصادقة بالفعل.",
    ),
    m(
        "user.user_not_exist",
        "No account matches that identifier.",
        "Aucun compte ne correspond à cet identifiant.",
        "لا يوجد حساب يطابق هذا المعرّف.",
    ),
    m(
        "user.username_already_in_use",
        "That username is taken. Choose another one.",
        "Ce nom d’utilisateur est déjà pris. Choisissez-en un autre.",
        "اسم المستخدم هذا مأخوذ بالفعل. اختر اسمًا آخر.",
    ),
    m(
        "user.username_exists_in_profile",
        "Your account already has a username; it cannot be replaced here.",
        "Votre compte a déjà un nom d’utilisateur\u{a0}; il ne peut pas être remplacé ici.",
        "لحسابك اسم مستخدم بالفعل؛ ولا يمكن استبداله هنا.",
    ),
    m(
        "verification_code.code_mismatch",
        "That code is not the one we sent. Check it and try again.",
        "Ce code n’est pas celui que nous avons envoyé. Vérifiez-le et réessayez.",
        "هذا الرمز ليس الرمز الذي أرسلناه. تحقّق منه وحاول مرة أخرى.",
    ),
    m(
        "verification_code.email_mismatch",
        "The code was sent to a different email address.",
        "Le code a été envoyé à une autre adresse e-mail.",
        "أُرسل الرمز إلى عنوان بريد إلكتروني آخر.",
    ),
    m(
        "verification_code.exceed_max_try",
        "Too many wrong codes. Ask for a new one.",
        "Trop de codes erronés. Demandez-en un nouveau.",
        "أُدخلت رموز خاطئة كثيرة جدًا. اطلب رمزًا جديدًا.",
    ),
    m(
        "verification_code.expired",
        "That code has expired. Ask for a new one.",
        "Ce code a expiré. Demandez-en un nouveau.",
        "انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.",
    ),
    m(
        "verification_code.not_found",
        "That code has already been used. Ask for a new one.",
        "Ce code a déjà été utilisé. Demandez-en un nouveau.",
        "سبق استخدام هذا الرمز. اطلب رمزًا جديدًا.",
    ),
    m(
        "verification_code.phone_mismatch",
        "The code was sent to a different phone number.",
        "Le code a été envoyé à un autre numéro de téléphone.",
        "أُرسل الرمز إلى رقم هاتف آخر.",
    ),
];

/// The row of `code`, if the table has one.
pub fn lookup(code: &str) -> Option<&'static Message> {
    MESSAGES.binary_search_by(|m| m.code.cmp(code)).ok().map(|i| &MESSAGES[i])
}

/// The message for `code` in `lang` ([`FALLBACK`]'s for an unknown code).
pub fn text(code: &str, lang: Lang) -> &'static str {
    lookup(code).unwrap_or(&FALLBACK).get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_complete() {
        for pair in MESSAGES.windows(2) {
            assert!(pair[0].code < pair[1].code, "sorted, no duplicates: {} then {}", pair[0].code, pair[1].code);
        }
        for row in MESSAGES.iter().chain([&FALLBACK]) {
            for lang in Lang::ALL {
                let text = row.get(lang);
                assert!(!text.trim().is_empty(), "{} has no {} text", row.code, lang.tag());
                assert!(text.ends_with(['.', '?', '!', '؟']), "{} {}: a whole sentence: {text}", row.code, lang.tag());
            }
            assert_ne!(row.fr, row.en, "{}: French is translated", row.code);
            assert_ne!(row.ar, row.en, "{}: Arabic is translated", row.code);
            assert_eq!(lookup(row.code).map(|r| r.code), (!row.code.is_empty()).then_some(row.code));
        }
    }

    #[test]
    fn french_and_arabic_punctuation() {
        for row in MESSAGES.iter().chain([&FALLBACK]) {
            // French: typographic apostrophe, a no-break space before the high punctuation.
            assert!(!row.fr.contains('\''), "{}: use ’ in French: {}", row.code, row.fr);
            for (i, c) in row.fr.char_indices().filter(|(_, c)| ";:?!".contains(*c)) {
                assert!(row.fr[..i].ends_with('\u{a0}'), "{}: no-break space before {c}: {}", row.code, row.fr);
            }
            // Arabic: Arabic comma, semicolon and question mark; Arabic letters throughout.
            assert!(!row.ar.contains([',', ';', '?']), "{}: Arabic punctuation: {}", row.code, row.ar);
            assert!(row.ar.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)), "{}: Arabic text", row.code);
        }
    }

    #[test]
    fn unknown_codes_get_the_fallback() {
        assert_eq!(text("no.such_code", Lang::Fr), FALLBACK.fr);
        assert_eq!(text("session.invalid_credentials", Lang::Ar), lookup("session.invalid_credentials").unwrap().ar);
    }

    #[test]
    fn a_language_tag_picks_its_table_language() {
        for (tag, want) in [
            ("fr", Lang::Fr),
            ("fr-CA", Lang::Fr),
            ("AR_eg", Lang::Ar),
            ("en", Lang::En),
            ("de", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::of_tag(tag), want, "{tag:?}");
        }
    }
}
