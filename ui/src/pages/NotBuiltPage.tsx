import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** NotBuiltPage stands where a part of the app is still to come (issue 7), saying so plainly. */
export function NotBuiltPage({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t(title)}</h1>
      <p>{t('common.notBuilt')}</p>
    </section>
  );
}

/** NotFoundPage answers a path the app does not have. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('common.notFound')}</h1>
      <p>
        <Link to="/">{t('common.home')}</Link>
      </p>
    </section>
  );
}
