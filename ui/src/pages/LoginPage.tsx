import { useState } from 'react';
import { useLocation, useNavigate, Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session';
import { homeFor } from '../navigation';
import { ErrorSummary } from '../components';
import { useSubmit } from '../useSubmit';

/** LoginPage logs a person in with a password and returns them where they were going. */
export function LoginPage() {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    const user = await login(username.trim(), password);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from ?? homeFor(user.roles), { replace: true });
  });

  return (
    <section className="narrow">
      <h1>{t('login.title')}</h1>
      <ErrorSummary messages={error ? [error] : []} />
      <form onSubmit={submit} className="stack">
        <label htmlFor="username">{t('login.username')}</label>
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <p>
        <Link to="/track">{t('login.trackInstead')}</Link>
      </p>
    </section>
  );
}
