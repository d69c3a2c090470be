// The rule sets (decision tables) a process owner may edit, with their
// draft and published state, and a form to start a new one.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText } from '../../components';
import { useLoad } from '../../useLoad';
import { HeadList, NewDefinitionForm } from '../definitions';
import { listRuleSets, saveRuleSet } from './api';
import { starter } from './model';

export function RuleSetListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const heads = useLoad((signal) => listRuleSets(signal), []);
  return (
    <section aria-labelledby="rsd-list-title" className="rsd-list">
      <h1 id="rsd-list-title">{t('rsd.listTitle')}</h1>
      <p className="muted">{t('rsd.listHelp')}</p>
      {heads.loading && <Loading />}
      {heads.error !== undefined && <ErrorSummary messages={[problemText(heads.error, t)]} />}
      {heads.data && <HeadList ns="rsd" base="/design/rules" items={heads.data.items} />}
      {heads.data?.items.length === 0 && <p className="muted">{t('rsd.none')}</p>}
      <NewDefinitionForm
        ns="rsd"
        noFormLabel={t('rsd.noForm')}
        create={async (d) => {
          await saveRuleSet(starter(d), undefined);
          navigate(`/design/rules/${d.key}`);
        }}
      />
    </section>
  );
}
