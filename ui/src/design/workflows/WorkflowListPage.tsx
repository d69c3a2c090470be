// The workflows a process owner may design, with their draft and published
// state, and a form to start a new one.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText } from '../../components';
import { useLoad } from '../../useLoad';
import { HeadList, NewDefinitionForm } from '../definitions';
import { listWorkflows, saveDraft } from './api';
import { starter } from './model';

export function WorkflowListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const heads = useLoad((signal) => listWorkflows(signal), []);
  return (
    <section aria-labelledby="wfd-list-title" className="wfd-list">
      <h1 id="wfd-list-title">{t('wfd.listTitle')}</h1>
      {heads.loading && <Loading />}
      {heads.error !== undefined && <ErrorSummary messages={[problemText(heads.error, t)]} />}
      {heads.data && <HeadList ns="wfd" base="/design/workflows" items={heads.data.items} />}
      <NewDefinitionForm
        ns="wfd"
        formRequired
        noFormLabel={t('wfd.choose')}
        create={async (d) => {
          await saveDraft(starter(d), undefined);
          navigate(`/design/workflows/${d.key}`);
        }}
      />
    </section>
  );
}
