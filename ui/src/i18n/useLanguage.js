import { useTranslation } from 'react-i18next';
/** useLanguage answers the UI's current language, re-rendering when it changes. */
export function useLanguage() {
    const { i18n } = useTranslation();
    return i18n.language === 'fa' ? 'fa' : 'en';
}
