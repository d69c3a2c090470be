// The frame around every page: a skip link, the header with navigation,
// the language switch and the session, and the main region that takes the
// focus when the route changes (so screen readers start at the new page).
import { useEffect, useRef, type ReactNode } from 'react';
import { NavLink, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { sectionsFor } from './navigation';
import { useLanguage } from './i18n/useLanguage';

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip" href="#main">
        {t('shell.skip')}
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          {t('shell.brand')}
        </NavLink>
        <nav aria-label={t('shell.navigation')}>
          <ul>
            {user &&
              sectionsFor(user.roles).map((s) => (
                <li key={s.path}>
                  <NavLink to={s.path}>{t(s.label)}</NavLink>
                </li>
              ))}
            <li>
              <NavLink to="/track">{t('nav.track')}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="session">
          <LanguageSwitch />
          {user ? (
            <>
              <span className="who" data-testid="who">
                {user.name || user.username}
              </span>
              <button
                type="button"
                onClick={async () => {
                  await logout();
                  navigate('/login');
                }}
              >
                {t('shell.logout')}
              </button>
            </>
          ) : (
            user === null && <NavLink to="/login">{t('shell.login')}</NavLink>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** LanguageSwitch offers the other language, named in itself (English / فارسی). */
function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const lang = useLanguage();
  const other = lang === 'fa' ? 'en' : 'fa';
  return (
    <button
      type="button"
      lang={other}
      data-testid="language"
      aria-label={t('shell.switchLanguage', { lng: other })}
      onClick={() => i18n.changeLanguage(other)}
    >
      {t('shell.languageName', { lng: other })}
    </button>
  );
}
