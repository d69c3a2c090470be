import { useTranslation } from 'react-i18next';
import type { Language } from './format';

/** useLanguage answers the UI's current language, re-rendering when it changes. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'fa' ? 'fa' : 'en';
}
