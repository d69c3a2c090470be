// The request form: the published form of a catalog entry, rendered by
// @rjsf/core in the UI's language, validated in the browser with the same
// schema as the server, and submitted to POST /requests. The server's 422
// field errors are shown under the fields they point at.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema } from '@rjsf/utils';
import { api } from '../api/client';
import { Problem, fieldErrors } from '../api/problem';
import type { CatalogEntry, FormVersion, FragmentVersion, Page, Receipt } from '../api/types';
import { useLoad } from '../useLoad';
import { Code, ErrorSummary, Loading, problemText } from '../components';
import { useLanguage } from '../i18n/useLanguage';
import { localText, type Text } from '../i18n/format';
import { fragmentRefs, inlineFragments, titleFragmentFields, uiSchema, type FragmentSchemas } from './formSchema';
import { translateErrors, translateStrings, validator } from './validator';
import { applyEvaluation, hasFieldRules, useFieldRules } from './formRules';

export interface LoadedForm {
  entry: CatalogEntry;
  version: FormVersion;
  schema: Record<string, unknown>;
}

/** loadForm fetches a catalog entry's published form and the fragments it was published with. */
export async function loadForm(type: string, signal: AbortSignal): Promise<LoadedForm> {
  const catalog = await api.get<Page<CatalogEntry>>('/catalog', { signal });
  const entry = catalog.items.find((e) => e.key === type);
  if (!entry) throw new Problem({ status: 404, title: '' });
  return { entry, ...(await loadFormVersion(entry.form.key, entry.form.version, signal)) };
}

/**
 * loadFormVersion fetches a published form version ('latest' for the
 * newest) with the fragments it was published with inlined, ready for
 * @rjsf/core: the schema without its title (pages show it in the UI's
 * language), fragment fields titled with the fragments' titles.
 */
export async function loadFormVersion(key: string, n: number | 'latest', signal: AbortSignal): Promise<Omit<LoadedForm, 'entry'>> {
  const version = await api.get<FormVersion>(`/forms/${encodeURIComponent(key)}/versions/${n}`, { signal });
  const pinned = version.fragments ?? [];
  const fragments: FragmentSchemas = {};
  const titles: Record<string, Text> = {};
  // Fragments may name fragments: fetch until nothing new is named.
  for (let todo = [...fragmentRefs(version.definition.schema, pinned)]; todo.length; ) {
    const got = await Promise.all(
      todo.map((ref) => {
        const [key, n] = ref.split('@');
        return api.get<FragmentVersion>(`/fragments/${key}/versions/${n}`, { signal });
      }),
    );
    got.forEach((f) => {
      fragments[`${f.key}@${f.version}`] = f.definition.schema;
      if (f.title) titles[`${f.key}@${f.version}`] = f.title;
    });
    todo = got.flatMap((f) => [...fragmentRefs(f.definition.schema, pinned)]).filter((r) => !(r in fragments));
  }
  const schema = inlineFragments(version.definition.schema, pinned, fragments) as Record<string, unknown>;
  version.definition = titleFragmentFields(version.definition, pinned, titles);
  delete schema.title; // the page shows the title in the UI's language
  return { version, schema };
}

export function NewRequestPage() {
  const { type = '' } = useParams();
  const { t } = useTranslation();
  const lang = useLanguage();
  const form = useLoad((signal) => loadForm(type, signal), [type]);
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const ui = useMemo(() => (form.data ? uiSchema(form.data.version.definition, lang, form.data.schema) : {}), [form.data, lang]);
  // The form's rules, evaluated by the server as she types (docs/rules.md).
  const rulesBody = useMemo(() => ({ version: form.data?.version.version, type, channel: 'portal' }), [form.data, type]);
  const evaluation = useFieldRules(form.data?.version.key ?? '', rulesBody, data, !!form.data && hasFieldRules(form.data.version.definition.ui?.fields));
  const shown = useMemo(
    () => (form.data ? applyEvaluation(form.data.schema, ui, data, evaluation) : null),
    [form.data, ui, data, evaluation],
  );
  const transformErrors = useMemo(() => translateErrors(t), [t]);
  const translateString = useMemo(() => translateStrings(t), [t]);

  if (form.loading) return <Loading />;
  if (form.error || !form.data)
    return (
      <section>
        <h1>{t('newRequest.title')}</h1>
        <ErrorSummary messages={[form.error instanceof Problem && form.error.status === 404 ? t('newRequest.unknownType') : problemText(form.error, t)]} />
        <Link to="/catalog">{t('newRequest.backToCatalog')}</Link>
      </section>
    );

  const title = localText(form.data.entry.title, lang);
  if (receipt) {
    return (
      <section aria-labelledby="receipt-title" className="receipt">
        <h1 id="receipt-title">{t('newRequest.receivedTitle')}</h1>
        <p role="status">{t('newRequest.received', { title })}</p>
        <p className="tracking">
          {t('common.trackingCode')}: <Code>{receipt.trackingCode}</Code>
        </p>
        <p>{t('newRequest.keepCode')}</p>
        <ul className="actions">
          <li>
            <Link to={`/requests/${receipt.id}`} data-testid="receipt-link">
              {t('newRequest.viewRequest')}
            </Link>
          </li>
          <li>
            <Link to="/requests">{t('nav.myRequests')}</Link>
          </li>
        </ul>
      </section>
    );
  }

  async function submit(e: IChangeEvent) {
    setBusy(true);
    setGeneral([]);
    setServerErrors({});
    try {
      setReceipt(await api.post<Receipt>('/requests', { type, channel: 'portal', data: e.formData ?? {} }));
    } catch (err) {
      if (err instanceof Problem && err.errors.length) {
        const { tree, general } = fieldErrors(err, '/data');
        setServerErrors(tree as ErrorSchema);
        setGeneral([err.title || problemText(err, t), ...general]);
      } else setGeneral([problemText(err, t)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{title}</h1>
      {form.data.entry.description && <p>{localText(form.data.entry.description, lang)}</p>}
      <ErrorSummary messages={general} />
      <Form
        key={lang /* labels and messages follow the language */}
        schema={shown?.schema ?? form.data.schema}
        uiSchema={shown?.ui ?? ui}
        formData={shown?.data ?? data}
        validator={validator}
        transformErrors={transformErrors}
        translateString={translateString}
        extraErrors={serverErrors}
        showErrorList={false}
        focusOnFirstError
        noHtml5Validate
        disabled={busy}
        onChange={(e) => setData(e.formData)}
        onSubmit={submit}
      >
        <button type="submit" className="primary" disabled={busy}>
          {t('newRequest.submit')}
        </button>
      </Form>
    </section>
  );
}
