// i18next set up with the two message files. The chosen language is kept
// in localStorage and applied to the document (lang, dir) and the API
// client (Accept-Language) whenever it changes.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages } from './messages';
import { api } from '../api/client';
import { isRTL } from './format';
/** Where the chosen language is remembered. */
export const languageStorageKey = 'pishkhan.lang';
/** storedLanguage is the remembered language, else the browser's if it is Persian, else English. */
export function storedLanguage() {
    const kept = typeof localStorage === 'undefined' ? null : localStorage.getItem(languageStorageKey);
    if (kept === 'en' || kept === 'fa')
        return kept;
    return typeof navigator !== 'undefined' && navigator.language?.startsWith('fa') ? 'fa' : 'en';
}
/** applyLanguage sets the document's language and direction and the API's Accept-Language. */
export function applyLanguage(lang) {
    document.documentElement.lang = lang;
    document.documentElement.dir = isRTL(lang) ? 'rtl' : 'ltr';
    api.setLanguage(lang);
}
i18n.use(initReactI18next).init({
    resources: { en: { translation: messages.en }, fa: { translation: messages.fa } },
    lng: storedLanguage(),
    fallbackLng: false,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
});
i18n.on('languageChanged', (lng) => {
    const lang = (lng === 'fa' ? 'fa' : 'en');
    try {
        localStorage.setItem(languageStorageKey, lang);
    }
    catch {
        // private mode: the choice lasts for this page only
    }
    applyLanguage(lang);
});
applyLanguage(i18n.language);
export default i18n;
